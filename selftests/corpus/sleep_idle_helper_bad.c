// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: a sleep the stop does not end. Shape: a background scrubber
 * whose while (!kthread_should_stop()) loop calls a helper that waits for
 * the disk to have been idle long enough, sleeping with
 * schedule_timeout_idle() until it has (the pause loop of
 * writecache_writeback() in drivers/md/dm-writecache.c); kthread_run(),
 * the task in a struct, stop in module exit.
 *
 * The bug: kthread_stop() wakes the thread, the helper finds the disk not
 * idle long enough yet and sleeps again: the stop waits out the pause
 * (5 s from the last pass, about 4.5 s of it here).
 */
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/sched.h>

#define SCRUB_PAUSE_MS	5000

struct scrubber {
	struct task_struct *task;
	unsigned long last_busy;	/* jiffies of the disk's last I/O */
	unsigned int passes;
};

static struct scrubber scrub;

/* Leave the disk to foreground I/O until it has been idle a pause long. */
static void scrub_wait_idle(struct scrubber *s)
{
	unsigned long idle, pause = msecs_to_jiffies(SCRUB_PAUSE_MS);

	for (;;) {
		idle = jiffies - READ_ONCE(s->last_busy);
		if (idle >= pause)
			break;
		schedule_timeout_idle(pause - idle);
	}
}

static int scrub_fn(void *data)
{
	struct scrubber *s = data;

	while (!kthread_should_stop()) {
		scrub_wait_idle(s);
		if (kthread_should_stop())
			break;
		s->passes++;
		/* the pass itself was I/O */
		WRITE_ONCE(s->last_busy, jiffies);
	}
	return 0;
}

static int __init scrub_init(void)
{
	scrub.last_busy = jiffies;
	scrub.task = kthread_run(scrub_fn, &scrub, "cp-sl-idlehelp");
	return PTR_ERR_OR_ZERO(scrub.task);
}

static void __exit scrub_exit(void)
{
	kthread_stop(scrub.task);
	pr_info("%u scrub passes\n", scrub.passes);
}

module_init(scrub_init);
module_exit(scrub_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("corpus: an idle-wait helper the stop waits out (bad)");

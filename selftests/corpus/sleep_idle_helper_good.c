// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: the fixed twin of sleep_idle_helper_bad.c. The helper's sleep
 * is a wait_event_idle_timeout() whose condition is the stop, and the
 * helper gives up waiting once the stop is asked for: kthread_stop() ends
 * the pause, and the loop's test after the helper sees the stop.
 */
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/wait.h>

#define SCRUB_PAUSE_MS	5000

struct scrubber {
	struct task_struct *task;
	wait_queue_head_t wq;
	unsigned long last_busy;	/* jiffies of the disk's last I/O */
	unsigned int passes;
};

static struct scrubber scrub;

/* Leave the disk to foreground I/O until it has been idle a pause long. */
static void scrub_wait_idle(struct scrubber *s)
{
	unsigned long idle, pause = msecs_to_jiffies(SCRUB_PAUSE_MS);

	while (!kthread_should_stop()) {
		idle = jiffies - READ_ONCE(s->last_busy);
		if (idle >= pause)
			break;
		wait_event_idle_timeout(s->wq, kthread_should_stop(),
					pause - idle);
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
	init_waitqueue_head(&scrub.wq);
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
MODULE_DESCRIPTION("corpus: an idle-wait helper the stop ends (good)");

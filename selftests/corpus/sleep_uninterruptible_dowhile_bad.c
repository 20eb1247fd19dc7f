// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: a sleep the stop does not end. Shape: a link-reset thread, a
 * do { } while (!kthread_should_stop()) loop that resets the link, then
 * backs off with schedule_timeout_uninterruptible() until the whole delay
 * has passed ("while (delta) delta = schedule_timeout_uninterruptible(
 * delta);", the back-off of ata_eh_reset() in drivers/ata/libata-eh.c);
 * kthread_run(), the task in a struct, stop in module exit.
 *
 * The bug: kthread_stop() wakes the thread, schedule_timeout_*() returns
 * what was left of the delay, and the loop sleeps it again: the stop
 * waits out the back-off (5 s, about 4.5 s of it here).
 */
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/sched.h>

#define RESET_BACKOFF_MS	5000

struct link_ctl {
	struct task_struct *task;
	unsigned int resets;
};

static struct link_ctl link;

static int link_reset_fn(void *data)
{
	struct link_ctl *lc = data;
	long delta;

	do {
		lc->resets++;
		delta = msecs_to_jiffies(RESET_BACKOFF_MS);
		while (delta)
			delta = schedule_timeout_uninterruptible(delta);
	} while (!kthread_should_stop());
	return 0;
}

static int __init link_init(void)
{
	link.task = kthread_run(link_reset_fn, &link, "cp-sl-unint");
	return PTR_ERR_OR_ZERO(link.task);
}

static void __exit link_exit(void)
{
	kthread_stop(link.task);
	pr_info("%u link resets\n", link.resets);
}

module_init(link_init);
module_exit(link_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("corpus: a back-off the stop waits out (bad)");

// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: the fixed twin of sleep_uninterruptible_dowhile_bad.c. The
 * back-off is one wait_event_idle_timeout() whose condition is the stop:
 * it too sleeps the whole delay through spurious wake-ups, but
 * kthread_stop() makes its condition true and ends it.
 */
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/wait.h>

#define RESET_BACKOFF_MS	5000

struct link_ctl {
	struct task_struct *task;
	wait_queue_head_t wq;
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
		wait_event_idle_timeout(lc->wq, kthread_should_stop(), delta);
	} while (!kthread_should_stop());
	return 0;
}

static int __init link_init(void)
{
	init_waitqueue_head(&link.wq);
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
MODULE_DESCRIPTION("corpus: a back-off the stop ends (good)");

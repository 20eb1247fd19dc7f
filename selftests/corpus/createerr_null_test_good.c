// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: the fixed twin of createerr_null_test_bad.c. The result is
 * tested with IS_ERR(), and init fails with its error: exit is never
 * reached with an error pointer.
 */
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/wait.h>

#define POLL_MS	100

static DECLARE_WAIT_QUEUE_HEAD(poll_wq);
static struct task_struct *poller;
static unsigned int polls;

static int poll_fn(void *unused)
{
	while (!kthread_should_stop()) {
		polls++;
		wait_event_idle_timeout(poll_wq, kthread_should_stop(),
					msecs_to_jiffies(POLL_MS));
	}
	return 0;
}

static int __init poll_init(void)
{
	poller = kthread_run(poll_fn, NULL, "cp-ce-null");
	if (IS_ERR(poller))
		return PTR_ERR(poller);
	return 0;
}

static void __exit poll_exit(void)
{
	kthread_stop(poller);
	pr_info("%u polls\n", polls);
}

module_init(poll_init);
module_exit(poll_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("corpus: a kthread_run() result tested with IS_ERR() (good)");

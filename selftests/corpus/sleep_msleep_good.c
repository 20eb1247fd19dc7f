// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: the fixed twin of sleep_msleep_bad.c. The period is a timed
 * wait whose condition is the stop: kthread_stop() wakes it, the
 * condition is true, and the thread leaves at once (time.After and the
 * stop channel in one select).
 */
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/wait.h>

static DECLARE_WAIT_QUEUE_HEAD(poller_wq);
static struct task_struct *poller;
static unsigned int period_ms = 5000;
static unsigned long polls;

static int poller_fn(void *unused)
{
	while (!kthread_should_stop()) {
		polls++;
		wait_event_idle_timeout(poller_wq, kthread_should_stop(),
					msecs_to_jiffies(period_ms));
	}
	return 0;
}

static int __init sleep_init(void)
{
	poller = kthread_run(poller_fn, NULL, "cp-sleep-msleep");
	return PTR_ERR_OR_ZERO(poller);
}

static void __exit sleep_exit(void)
{
	kthread_stop(poller);
}

module_init(sleep_init);
module_exit(sleep_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("corpus: a poller whose timed wait sees the stop (good)");

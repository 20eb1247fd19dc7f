// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: the fixed twin of sleep_idle_bare_bad.c. The period is a
 * wait_event_idle_timeout() whose condition is the stop: the condition is
 * tested after the thread is on the queue and in TASK_IDLE, so a stop that
 * comes at any point, even before the sleep, ends it.
 */
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <linux/wait.h>

static int poll_time = 3;
module_param(poll_time, int, 0644);
MODULE_PARM_DESC(poll_time, "slot polling period in seconds (1-3)");

static DECLARE_WAIT_QUEUE_HEAD(slot_poll_wq);
static struct task_struct *slot_poller;
static unsigned int polls;

static int slot_poll_fn(void *unused)
{
	while (!kthread_should_stop()) {
		polls++;
		if (poll_time <= 0 || poll_time > 3)
			poll_time = 3;
		wait_event_idle_timeout(slot_poll_wq, kthread_should_stop(),
					poll_time * HZ);
	}
	return 0;
}

static int __init slot_poll_init(void)
{
	slot_poller = kthread_run(slot_poll_fn, NULL, "cp-sl-idlebare");
	return PTR_ERR_OR_ZERO(slot_poller);
}

static void __exit slot_poll_exit(void)
{
	kthread_stop(slot_poller);
	pr_info("%u polls\n", polls);
}

module_init(slot_poll_init);
module_exit(slot_poll_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("corpus: an idle wait the stop always ends (good)");

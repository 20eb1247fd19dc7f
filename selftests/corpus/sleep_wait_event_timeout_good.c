// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: the fixed twin of sleep_wait_event_timeout_bad.c. The stop is
 * in the wait's condition: kthread_stop() wakes the thread, the condition
 * is true, the wait returns, and the loop's test sees the stop.
 */
#include <linux/atomic.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/wait.h>

#define STATUS_POLL_MS	5000

static DECLARE_WAIT_QUEUE_HEAD(status_wq);
static atomic_t status_events = ATOMIC_INIT(0);	/* counted by the irq */
static struct task_struct *status_thread;
static unsigned int events, polls;

static int status_fn(void *unused)
{
	while (!kthread_should_stop()) {
		if (!wait_event_timeout(status_wq,
					atomic_read(&status_events) ||
					kthread_should_stop(),
					msecs_to_jiffies(STATUS_POLL_MS)))
			polls++;	/* read the status register */
		events += atomic_xchg(&status_events, 0);
	}
	return 0;
}

static int __init status_init(void)
{
	status_thread = kthread_run(status_fn, NULL, "cp-sl-wet");
	return PTR_ERR_OR_ZERO(status_thread);
}

static void __exit status_exit(void)
{
	kthread_stop(status_thread);
	pr_info("%u events, %u polls\n", events, polls);
}

module_init(status_init);
module_exit(status_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("corpus: an event wait the stop ends (good)");

// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: a timed wait whose condition lacks the stop. Shape: an event
 * thread, while (!kthread_should_stop()), that waits for the device's
 * status-change interrupt with wait_event_timeout(), the timeout a
 * fallback poll of the status register (the interrupt may be lost);
 * kthread_run(), global task, stop in module exit.
 *
 * The bug: kthread_stop() wakes the thread, the wait finds no event
 * pending and sleeps on until its timeout: the stop waits out the poll
 * period (5 s, about 4.5 s of it here). The corpus has no device, so no
 * interrupt ever comes.
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
					atomic_read(&status_events),
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
MODULE_DESCRIPTION("corpus: an event wait whose timeout the stop waits out (bad)");

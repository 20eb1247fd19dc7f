// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: a stop wake-up lost between the stop test and the sleep.
 * Shape: an event thread on the device's wait queue (add_wait_queue()
 * once), do { } while (!kthread_should_stop()), that sets TASK_IDLE,
 * sleeps with schedule() if no event is pending (tested after the state
 * is set, so none is lost), then handles the events; the stop test is the
 * loop's, at the bottom; kthread_run(), global task, stop in module exit.
 *
 * The bug: from the loop's test back to set_current_state() the stop is
 * not tested again. A kthread_stop() in that window wakes a running
 * thread, which does nothing; the thread then sleeps in TASK_IDLE and
 * nothing wakes it for the stop: the unload hangs until the device's next
 * event. Here the device signals every 50 ms, so the unload is at worst
 * 50 ms late, and the window is a few instructions wide: a VM run does
 * not see it.
 */
#include <linux/atomic.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/timer.h>
#include <linux/wait.h>

#define EVENT_MS	50

static DECLARE_WAIT_QUEUE_HEAD(event_wq);
static atomic_t events_pending = ATOMIC_INIT(0);
static struct timer_list device;	/* the corpus's device */
static struct task_struct *event_thread;
static unsigned int events;

static void device_fn(struct timer_list *t)
{
	atomic_inc(&events_pending);
	wake_up(&event_wq);
	mod_timer(t, jiffies + msecs_to_jiffies(EVENT_MS));
}

static int event_fn(void *unused)
{
	DECLARE_WAITQUEUE(wait, current);

	add_wait_queue(&event_wq, &wait);
	do {
		set_current_state(TASK_IDLE);
		if (!atomic_read(&events_pending))
			schedule();
		__set_current_state(TASK_RUNNING);
		events += atomic_xchg(&events_pending, 0);
	} while (!kthread_should_stop());
	remove_wait_queue(&event_wq, &wait);
	return 0;
}

static int __init event_init(void)
{
	timer_setup(&device, device_fn, 0);
	event_thread = kthread_run(event_fn, NULL, "cp-lw-dowhile");
	if (IS_ERR(event_thread))
		return PTR_ERR(event_thread);
	mod_timer(&device, jiffies + msecs_to_jiffies(EVENT_MS));
	return 0;
}

static void __exit event_exit(void)
{
	kthread_stop(event_thread);
	timer_delete_sync(&device);
	pr_info("%u events\n", events);
}

module_init(event_init);
module_exit(event_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("corpus: a do-while TASK_IDLE sleep that can miss the stop's wake-up (bad)");

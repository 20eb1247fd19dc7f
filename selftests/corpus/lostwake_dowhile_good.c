// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: the fixed twin of lostwake_dowhile_bad.c. The stop is tested
 * after the state is set, with the work: a kthread_stop() before
 * set_current_state() is seen by that test, and one after it finds the
 * thread in TASK_IDLE and wakes it.
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
		if (!atomic_read(&events_pending) && !kthread_should_stop())
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
MODULE_DESCRIPTION("corpus: a do-while TASK_IDLE sleep that sees the stop (good)");

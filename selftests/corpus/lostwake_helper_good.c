// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: the fixed twin of lostwake_helper_bad.c. The helper tests the
 * stop after setting the state, with the work: a kthread_stop() before
 * set_current_state() is seen by that test, and one after it finds the
 * thread in TASK_UNINTERRUPTIBLE and wakes it.
 */
#include <linux/atomic.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/timer.h>
#include <linux/wait.h>

#define RING_MS	50

static DECLARE_WAIT_QUEUE_HEAD(ring_wq);
static atomic_t ring_entries = ATOMIC_INIT(0);
static struct timer_list device;	/* the corpus's device */
static struct task_struct *ring_thread;
static unsigned int serviced;

static void device_fn(struct timer_list *t)
{
	atomic_inc(&ring_entries);
	wake_up(&ring_wq);
	mod_timer(t, jiffies + msecs_to_jiffies(RING_MS));
}

/* Sleep until the device posts to the ring; the caller is on ring_wq. */
static void ring_sleep(void)
{
	set_current_state(TASK_UNINTERRUPTIBLE);
	if (!atomic_read(&ring_entries) && !kthread_should_stop())
		schedule();
	__set_current_state(TASK_RUNNING);
}

static int ring_fn(void *unused)
{
	DECLARE_WAITQUEUE(wait, current);

	add_wait_queue(&ring_wq, &wait);
	while (!kthread_should_stop()) {
		serviced += atomic_xchg(&ring_entries, 0);
		ring_sleep();
	}
	remove_wait_queue(&ring_wq, &wait);
	return 0;
}

static int __init ring_init(void)
{
	timer_setup(&device, device_fn, 0);
	ring_thread = kthread_run(ring_fn, NULL, "cp-lw-helper");
	if (IS_ERR(ring_thread))
		return PTR_ERR(ring_thread);
	mod_timer(&device, jiffies + msecs_to_jiffies(RING_MS));
	return 0;
}

static void __exit ring_exit(void)
{
	kthread_stop(ring_thread);
	timer_delete_sync(&device);
	pr_info("%u ring entries\n", serviced);
}

module_init(ring_init);
module_exit(ring_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("corpus: a sleep helper that sees the stop (good)");

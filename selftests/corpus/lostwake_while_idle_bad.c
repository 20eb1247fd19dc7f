// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: a stop wake-up lost between the stop test and the sleep.
 * Shape: a tick handler on the device's wait queue (add_wait_queue() once,
 * as jfs_lazycommit() and aoe's kthread() do), while
 * (!kthread_should_stop()), that sets TASK_IDLE, sleeps with schedule()
 * if no tick is pending (the work is tested after the state is set, so no
 * tick is lost), then takes the ticks; kthread_run(), global task, stop
 * in module exit.
 *
 * The bug: the stop is tested before the state is set, and not after. A
 * kthread_stop() between the loop's test and set_current_state() wakes a
 * running thread, which does nothing; the thread then sleeps in TASK_IDLE
 * and nothing wakes it for the stop: the unload hangs until some other
 * wake-up. Here the device ticks every 50 ms, so the unload is at worst
 * 50 ms late, and the window is a few instructions wide: a VM run does not
 * see it.
 */
#include <linux/atomic.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/timer.h>
#include <linux/wait.h>

#define TICK_MS	50

static DECLARE_WAIT_QUEUE_HEAD(tick_wq);
static atomic_t ticks_pending = ATOMIC_INIT(0);
static struct timer_list tick;		/* the corpus's device */
static struct task_struct *tick_thread;
static unsigned int ticks;

static void tick_fn(struct timer_list *t)
{
	atomic_inc(&ticks_pending);
	wake_up(&tick_wq);
	mod_timer(t, jiffies + msecs_to_jiffies(TICK_MS));
}

static int tick_thread_fn(void *unused)
{
	DECLARE_WAITQUEUE(wait, current);

	add_wait_queue(&tick_wq, &wait);
	while (!kthread_should_stop()) {
		set_current_state(TASK_IDLE);
		if (!atomic_read(&ticks_pending))
			schedule();
		__set_current_state(TASK_RUNNING);
		ticks += atomic_xchg(&ticks_pending, 0);
	}
	remove_wait_queue(&tick_wq, &wait);
	return 0;
}

static int __init tick_init(void)
{
	timer_setup(&tick, tick_fn, 0);
	tick_thread = kthread_run(tick_thread_fn, NULL, "cp-lw-while");
	if (IS_ERR(tick_thread))
		return PTR_ERR(tick_thread);
	mod_timer(&tick, jiffies + msecs_to_jiffies(TICK_MS));
	return 0;
}

static void __exit tick_exit(void)
{
	kthread_stop(tick_thread);
	timer_delete_sync(&tick);
	pr_info("%u ticks\n", ticks);
}

module_init(tick_init);
module_exit(tick_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("corpus: a TASK_IDLE sleep that can miss the stop's wake-up (bad)");

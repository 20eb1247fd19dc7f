// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: the fixed twin of lostwake_while_idle_bad.c. The stop is tested
 * again after the state is set, with the work: a kthread_stop() before
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
		if (!atomic_read(&ticks_pending) && !kthread_should_stop())
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
MODULE_DESCRIPTION("corpus: a TASK_IDLE sleep that sees the stop (good)");

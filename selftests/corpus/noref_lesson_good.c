// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: the fixed twin of noref_lesson_bad.c. A reference is taken
 * between kthread_create() and wake_up_process(), before the ticker can
 * run, and dropped after the stop (kthread_stop() + put_task_struct(),
 * which is kthread_stop_put() from 6.7 on): the task_struct outlives the
 * thread, and exit's kthread_stop() only collects its result.
 */
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/sched/task.h>
#include <linux/wait.h>

static DECLARE_WAIT_QUEUE_HEAD(ticker_wq);
static struct task_struct *ticker;
static unsigned long nr_ticks;

static int ticker_fn(void *unused)
{
	while (!kthread_should_stop()) {
		if (wait_event_idle_timeout(ticker_wq, kthread_should_stop(),
					    msecs_to_jiffies(50)))
			break;
		if (++nr_ticks == 3)
			return 0;
	}
	return 0;
}

static int __init noref_init(void)
{
	ticker = kthread_create(ticker_fn, NULL, "cp-noref-lesson");
	if (IS_ERR(ticker))
		return PTR_ERR(ticker);
	get_task_struct(ticker);
	wake_up_process(ticker);
	return 0;
}

static void __exit noref_exit(void)
{
	kthread_stop(ticker);
	put_task_struct(ticker);
}

module_init(noref_init);
module_exit(noref_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("corpus: a returning thread stopped through its reference (good)");

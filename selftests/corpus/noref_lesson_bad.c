// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: a thread that may return on its own, stopped with a bare
 * kthread_stop(). Shape: the lesson's ticker, a while loop around
 * wait_event_idle_timeout() with the stop in its condition, then a return
 * after a few ticks; kthread_create() + wake_up_process(), the task in a
 * global, the stop in module exit.
 *
 * The bug: the ticker returns after 3 ticks (150 ms); its task_struct is
 * freed soon after; exit's kthread_stop() touches freed memory (KASAN on
 * the debug kernel). Nothing holds a reference: init never took one.
 */
#include <linux/kthread.h>
#include <linux/module.h>
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
	wake_up_process(ticker);
	return 0;
}

static void __exit noref_exit(void)
{
	kthread_stop(ticker);
}

module_init(noref_init);
module_exit(noref_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("corpus: a returning thread stopped without a reference (bad)");

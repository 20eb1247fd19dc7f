// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: the fixed twin of unaware_wait_event_while_bad.c. The stop is
 * in the wait's condition: kthread_stop() wakes the thread, the condition
 * is true, the wait returns, and the loop's test sees the stop; the unload
 * does not wait for the device. The timer is cancelled as before.
 */
#include <linux/atomic.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/timer.h>
#include <linux/wait.h>

#define DEVICE_IRQ_MS	4700

static DECLARE_WAIT_QUEUE_HEAD(bh_wq);
static atomic_t bh_pending = ATOMIC_INIT(0);
static struct timer_list device_irq;	/* the corpus's device */
static struct task_struct *bh_thread;
static unsigned int bh_events;

static void device_irq_fn(struct timer_list *t)
{
	atomic_inc(&bh_pending);
	wake_up(&bh_wq);
}

static int bh_fn(void *unused)
{
	while (!kthread_should_stop()) {
		wait_event(bh_wq,
			   atomic_read(&bh_pending) || kthread_should_stop());
		bh_events += atomic_xchg(&bh_pending, 0);
	}
	return 0;
}

static int __init bh_init(void)
{
	timer_setup(&device_irq, device_irq_fn, 0);
	bh_thread = kthread_run(bh_fn, NULL, "cp-un-we");
	if (IS_ERR(bh_thread))
		return PTR_ERR(bh_thread);
	mod_timer(&device_irq, jiffies + msecs_to_jiffies(DEVICE_IRQ_MS));
	return 0;
}

static void __exit bh_exit(void)
{
	kthread_stop(bh_thread);
	timer_delete_sync(&device_irq);
	pr_info("%u events\n", bh_events);
}

module_init(bh_init);
module_exit(bh_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("corpus: a bottom half whose wait_event() the stop ends (good)");

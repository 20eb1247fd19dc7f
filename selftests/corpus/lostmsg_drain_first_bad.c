// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: a consumer stopped with messages still queued. Shape: a
 * message consumer, while (!kthread_should_stop()), that drains its queue
 * (a kfifo) and then sleeps in a stop-aware wait_event_idle() until the
 * queue has something or the stop comes; kthread_run(), global task, stop
 * in module exit right after the last messages are queued.
 *
 * The bug: a wake-up for new messages and the stop can come together:
 * the wait returns, the loop's test sees the stop, and the thread leaves
 * without the drain at the top of the loop; what was queued is lost
 * (here, the messages exit queues just before kthread_stop()). Nothing
 * crashes or leaks; only the module's own counters show the loss, which
 * exit prints.
 */
#include <linux/kfifo.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/spinlock.h>
#include <linux/wait.h>

static DEFINE_KFIFO(msg_fifo, u32, 64);
static DEFINE_SPINLOCK(msg_lock);	/* serialises the fifo's writers */
static DECLARE_WAIT_QUEUE_HEAD(msg_wq);
static struct task_struct *consumer;
static unsigned int sent, handled;

static void msg_send(u32 msg)
{
	if (kfifo_in_spinlocked(&msg_fifo, &msg, 1, &msg_lock))
		sent++;
	wake_up(&msg_wq);
}

static void msg_drain(void)
{
	u32 msg;

	while (kfifo_out(&msg_fifo, &msg, 1))
		handled++;
}

static int consumer_fn(void *unused)
{
	while (!kthread_should_stop()) {
		msg_drain();
		wait_event_idle(msg_wq, !kfifo_is_empty(&msg_fifo) ||
				kthread_should_stop());
	}
	return 0;
}

static int __init msg_init(void)
{
	u32 i;

	consumer = kthread_run(consumer_fn, NULL, "cp-lm-drain");
	if (IS_ERR(consumer))
		return PTR_ERR(consumer);
	for (i = 0; i < 4; i++)
		msg_send(i);
	return 0;
}

static void __exit msg_exit(void)
{
	u32 i;

	for (i = 0; i < 4; i++)
		msg_send(100 + i);
	kthread_stop(consumer);
	pr_info("%u messages sent, %u handled, %u left in the queue\n",
		sent, handled, kfifo_len(&msg_fifo));
}

module_init(msg_init);
module_exit(msg_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("corpus: a consumer that leaves without a last drain (bad)");

// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: the fixed twin of nofree_kfifo_bad.c. Module exit frees the
 * fifo once the thread that drains it is stopped.
 */
#include <linux/kfifo.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/spinlock.h>
#include <linux/wait.h>

#define LOG_FIFO_SIZE	4096

static struct kfifo log_fifo;
static DEFINE_SPINLOCK(log_lock);	/* serialises the fifo's writers */
static DECLARE_WAIT_QUEUE_HEAD(log_wq);
static struct task_struct *log_thread;
static unsigned int logged;

static void log_record(u32 rec)
{
	kfifo_in_spinlocked(&log_fifo, &rec, sizeof(rec), &log_lock);
	wake_up(&log_wq);
}

static int log_fn(void *unused)
{
	u32 rec;

	while (!kthread_should_stop()) {
		wait_event_idle(log_wq, !kfifo_is_empty(&log_fifo) ||
				kthread_should_stop());
		while (kfifo_out(&log_fifo, &rec, sizeof(rec)) == sizeof(rec))
			logged++;
	}
	return 0;
}

static int __init log_init(void)
{
	int err;
	u32 i;

	err = kfifo_alloc(&log_fifo, LOG_FIFO_SIZE, GFP_KERNEL);
	if (err)
		return err;
	log_thread = kthread_run(log_fn, NULL, "cp-nf-kfifo");
	if (IS_ERR(log_thread)) {
		kfifo_free(&log_fifo);
		return PTR_ERR(log_thread);
	}
	for (i = 0; i < 8; i++)
		log_record(i);
	return 0;
}

static void __exit log_exit(void)
{
	kthread_stop(log_thread);
	kfifo_free(&log_fifo);
	pr_info("%u records logged\n", logged);
}

module_init(log_init);
module_exit(log_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("corpus: a logger whose kfifo is freed at unload (good)");

// SPDX-License-Identifier: GPL-2.0
/*
 * ktlife_first: the smallest correct kthread lifecycle, read top to bottom.
 *
 * Two threads, both started by module init and stopped by module exit:
 *   - "ktlife_first/w", a worker fed through a kfifo: each write() to
 *     /sys/kernel/debug/ktlife_first/feed is one message. It sleeps until
 *     there is a message or a stop, and returns only when told to stop.
 *   - "ktlife_first/t", a periodic thread: a tick every period_ms, in a
 *     timed wait that a stop cuts short. With ticks=N it returns on its own
 *     after N ticks, so init holds a task reference on it for exit's stop.
 * Reading "stats" shows what both did.
 */
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/kfifo.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#define MSG_MAX 64
/* make MUTANT=first_...: a lesson switched off (selftests/mutants.list). */
#define MUTANT(name) IS_ENABLED(KTLIFE_MUTANT_FIRST_##name)

static unsigned int period_ms = 1000;
module_param(period_ms, uint, 0444);
MODULE_PARM_DESC(period_ms, "tick period in ms (1..60000, default 1000)");

static unsigned int ticks;
module_param(ticks, uint, 0444);
MODULE_PARM_DESC(ticks, "ticks before the ticker returns (default: none)");

/* fifo_lock guards the fifo, both sides: see ktlife's module/queue.h. */
static DEFINE_SPINLOCK(fifo_lock);
static STRUCT_KFIFO_REC_1(1024) fifo;
static DECLARE_WAIT_QUEUE_HEAD(worker_wq);
/* Nobody wakes ticker_wq: kthread_stop() wakes the thread itself. */
static DECLARE_WAIT_QUEUE_HEAD(ticker_wq);
static struct task_struct *worker, *ticker;
static struct dentry *dir;
/* Each written by one thread and read by "stats", hence *_ONCE(). */
static unsigned long processed, bytes, nr_ticks;

/**
 * worker_fn() - drain the fifo until told to stop.
 * @unused: no data.
 *
 * Stopped by ktlife_first_exit() with kthread_stop(), once the feed file
 * is gone: the stop's wake-up finds the fifo drained once more.
 * Return: 0.
 */
static int worker_fn(void *unused)
{
	char msg[MSG_MAX];
	unsigned int len;

	while (!kthread_should_stop()) {
		wait_event_idle(worker_wq,
				!kfifo_is_empty_spinlocked(&fifo, &fifo_lock) ||
					kthread_should_stop());
		while ((len = kfifo_out_spinlocked(&fifo, msg, sizeof(msg),
						   &fifo_lock))) {
			WRITE_ONCE(processed, processed + 1);
			WRITE_ONCE(bytes, bytes + len);
		}
	}
	return 0;
}

/**
 * ticker_fn() - count a tick every period_ms, until stopped or done.
 * @unused: no data.
 *
 * Stopped by ktlife_first_exit(), or by itself after @ticks ticks. Its
 * wait is wait_event_timeout() in TASK_IDLE: as stop-aware, but an idle
 * ticker neither counts in the load average nor looks like a hung task.
 * Return: 0.
 */
static int ticker_fn(void *unused)
{
	while (!kthread_should_stop()) {
		if (MUTANT(MSLEEP)) /* sleep first, look at the stop after */
			msleep(period_ms);
		/* 0 when the period ran out; more when a stop cut it short. */
		if (wait_event_idle_timeout(ticker_wq, kthread_should_stop(),
					    msecs_to_jiffies(period_ms)))
			break;
		WRITE_ONCE(nr_ticks, nr_ticks + 1);
		if (nr_ticks == ticks)
			return 0;
	}
	return 0;
}

/* One write() is one message: copied in first, then queued under the lock. */
static ssize_t feed_write(struct file *file, const char __user *ubuf,
			  size_t len, loff_t *ppos)
{
	char msg[MSG_MAX];

	if (len == 0 || len > sizeof(msg))
		return -EMSGSIZE;
	if (copy_from_user(msg, ubuf, len))
		return -EFAULT;
	if (!kfifo_in_spinlocked(&fifo, msg, len, &fifo_lock))
		return -EAGAIN;
	wake_up(&worker_wq);
	return len;
}

static const struct file_operations feed_fops = {
	.owner = THIS_MODULE,
	.open = nonseekable_open,
	.write = feed_write,
};

static int stats_show(struct seq_file *m, void *unused)
{
	seq_printf(m, "processed: %lu\nbytes: %lu\nticks: %lu\n",
		   READ_ONCE(processed), READ_ONCE(bytes), READ_ONCE(nr_ticks));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stats);

static int __init ktlife_first_init(void)
{
	if (period_ms < 1 || period_ms > 60000)
		return -EINVAL;
	INIT_KFIFO(fifo);
	worker = kthread_run(worker_fn, NULL, "ktlife_first/w");
	if (IS_ERR(worker))
		return PTR_ERR(worker);

	ticker = kthread_create(ticker_fn, NULL, "ktlife_first/t");
	if (IS_ERR(ticker)) {
		kthread_stop(worker);
		return PTR_ERR(ticker);
	}
	get_task_struct(ticker); /* it may return before exit stops it */
	if (MUTANT(NO_REF)) /* as if it were never taken */
		put_task_struct(ticker);
	wake_up_process(ticker);

	dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("feed", 0200, dir, NULL, &feed_fops);
	debugfs_create_file("stats", 0400, dir, NULL, &stats_fops);
	return 0;
}

static void __exit ktlife_first_exit(void)
{
	debugfs_remove(dir); /* no more messages */
	kthread_stop(worker); /* wakes it, waits for its return */
	kthread_stop(ticker); /* the same, or reaps it if it returned: */
	put_task_struct(ticker); /* its task_struct was ours to keep */
}

module_init(ktlife_first_init);
module_exit(ktlife_first_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("The smallest correct kthread lifecycle");

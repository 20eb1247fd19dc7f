// SPDX-License-Identifier: GPL-2.0
/*
 * ktlife_first: the smallest correct kthread lifecycle, read top to bottom.
 *
 * Two threads, both started by module init and stopped by module exit:
 *   - "ktlife_first/w", a worker fed through a kfifo: each write() to
 *     /sys/kernel/debug/ktlife_first/feed is one message. It sleeps until
 *     there is a message or a stop, and returns only when told to stop,
 *     once it has processed every message fed before the stop.
 *   - "ktlife_first/t", a periodic thread: a tick every period_ms, in a
 *     timed wait that a stop cuts short. With ticks=N it returns on its own
 *     after N ticks, so init holds a task reference on it for exit's stop.
 * Reading "stats" shows what both did; unloading prints the totals.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

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

/*
 * fifo_lock guards the fifo, both sides: a kfifo needs no lock with one
 * reader and one writer, but any number of processes may write "feed" at
 * once. Both sides run in process context only, hence _noirqsave.
 */
static DEFINE_SPINLOCK(fifo_lock);
static STRUCT_KFIFO_REC_1(1024) fifo;
static DECLARE_WAIT_QUEUE_HEAD(worker_wq);
/*
 * Nobody wakes ticker_wq: kthread_stop() wakes the thread itself. The
 * ticker waits on it anyway, because wait_event_idle_timeout() tests its
 * condition after it has set its state: a stop that lands between the
 * loop's test and the sleep still ends the sleep. A bare
 * schedule_timeout_idle() would sleep out the whole period.
 */
static DECLARE_WAIT_QUEUE_HEAD(ticker_wq);
static struct task_struct *worker, *ticker;
static struct dentry *dir;
/* Each written by one thread and read by "stats", hence *_ONCE(). */
static unsigned long processed, bytes, nr_ticks;

/* The worker's condition: something to process. */
static bool have_work(void)
{
	return !kfifo_is_empty_spinlocked_noirqsave(&fifo, &fifo_lock);
}

/* Process every message in the fifo. */
static void drain(void)
{
	char msg[MSG_MAX];
	unsigned int len;

	while ((len = kfifo_out_spinlocked_noirqsave(&fifo, msg, sizeof(msg),
						     &fifo_lock))) {
		WRITE_ONCE(processed, processed + 1);
		WRITE_ONCE(bytes, bytes + len);
	}
}

/**
 * worker_fn() - process the fifo until told to stop, then return.
 * @unused: no data.
 *
 * Stopped by ktlife_first_exit() with kthread_stop(), once the feed file
 * is gone. The stop may come while it is between two drains, with a
 * message queued since the last one: the loop then ends at once, so it
 * drains once more after it, and nothing fed before the stop is lost.
 * Return: 0.
 */
static int worker_fn(void *unused)
{
	while (!kthread_should_stop()) {
		wait_event_idle(worker_wq,
				have_work() || kthread_should_stop());
		drain();
		if (MUTANT(NO_FINAL_DRAIN)) /* hold the window open... */
			msleep(500);
	}
	if (!MUTANT(NO_FINAL_DRAIN)) /* ...where this drain is needed */
		drain(); /* what came after the last drain */
	return 0;
}

/**
 * ticker_fn() - count a tick every period_ms, until stopped or done.
 * @unused: no data.
 *
 * Stopped by ktlife_first_exit(), or returns by itself after @ticks ticks.
 * Its wait is wait_event_idle_timeout(): the timed wait with the stop in
 * its condition, in TASK_IDLE, so that an idle ticker neither counts in
 * the load average nor looks like a hung task.
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
	if (!kfifo_in_spinlocked_noirqsave(&fifo, msg, len, &fifo_lock))
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

	/* Last: a file works as soon as it exists, and the worker is ready. */
	dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("feed", 0200, dir, NULL, &feed_fops);
	debugfs_create_file("stats", 0400, dir, NULL, &stats_fops);
	return 0;
}

static void __exit ktlife_first_exit(void)
{
	debugfs_remove(dir); /* no more messages */
	kthread_stop(worker); /* wakes it, waits for it to return */
	/*
	 * Running or returned long ago, the ticker's task_struct is still
	 * there: the reference init took keeps it. kthread_stop() waits for
	 * it to return (at once, if it already has) and takes its result.
	 */
	kthread_stop(ticker);
	put_task_struct(ticker); /* the reference init took */
	pr_info("processed %lu messages, %lu bytes, %lu ticks\n", processed,
		bytes, nr_ticks);
}

module_init(ktlife_first_init);
module_exit(ktlife_first_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("The smallest correct kthread lifecycle");

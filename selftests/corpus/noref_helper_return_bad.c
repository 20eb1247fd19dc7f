// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: a thread that may return on its own, stopped with a bare
 * kthread_stop(). Shape: cxd2880-spi's TS reader (cxd2880_ts_read()): the
 * thread function sets itself freezable and returns the value of its poll
 * loop, "return ts_poll_loop(ts);", a helper whose while
 * (!kthread_should_stop()) loop around wait_event_freezable_timeout()
 * (the stop in its condition) returns early when an SPI read fails;
 * kthread_run() when the first feed starts, the task in a field of the
 * device's struct, the stop in the function that stops the last feed.
 *
 * The bug: the third read of the TS buffer's state fails, about 150 ms
 * after load; the helper returns the error, the thread returns it, and
 * its task_struct is freed a grace period later; ts_stop_feed()'s
 * kthread_stop() touches freed memory (KASAN on the debug kernel).
 * Nothing holds a reference.
 */
#include <linux/freezer.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/wait.h>

#define TS_PKT_SIZE	188
#define TS_MAX_PKTS	16
#define TS_POLL_MS	50

struct ts_dev {
	struct task_struct *ts_read_thread;
	wait_queue_head_t wq;
	u8 *ts_buf;
	unsigned int feed_count;
	unsigned int nr_reads;
	unsigned long nr_pkts;
};

static struct ts_dev *demod;

/* How many packets the demodulator holds: the third SPI read fails. */
static int ts_read_buffer_info(struct ts_dev *ts, unsigned int *pkts)
{
	if (++ts->nr_reads == 3)
		return -EIO;
	*pkts = TS_MAX_PKTS;
	return 0;
}

static void ts_read_packets(struct ts_dev *ts, unsigned int pkts)
{
	memset(ts->ts_buf, 0x47, pkts * TS_PKT_SIZE);
	ts->nr_pkts += pkts;
}

static int ts_poll_loop(struct ts_dev *ts)
{
	unsigned int pkts;
	int ret;

	while (!kthread_should_stop()) {
		wait_event_freezable_timeout(ts->wq, kthread_should_stop(),
					     msecs_to_jiffies(TS_POLL_MS));
		ret = ts_read_buffer_info(ts, &pkts);
		if (ret) {
			pr_err("cp-noref: reading the TS buffer info failed (%d)\n",
			       ret);
			return ret;
		}
		ts_read_packets(ts, pkts);
	}
	return 0;
}

static int ts_read_thread(void *arg)
{
	struct ts_dev *ts = arg;

	set_freezable();
	return ts_poll_loop(ts);
}

static int ts_start_feed(struct ts_dev *ts)
{
	int ret;

	if (ts->feed_count++)
		return 0;
	ts->ts_buf = kmalloc(TS_MAX_PKTS * TS_PKT_SIZE, GFP_KERNEL);
	if (!ts->ts_buf) {
		ret = -ENOMEM;
		goto err;
	}
	ts->ts_read_thread = kthread_run(ts_read_thread, ts, "cp-nr-tsread");
	if (IS_ERR(ts->ts_read_thread)) {
		ret = PTR_ERR(ts->ts_read_thread);
		kfree(ts->ts_buf);
		ts->ts_buf = NULL;
		goto err;
	}
	return 0;
err:
	ts->feed_count--;
	return ret;
}

static void ts_stop_feed(struct ts_dev *ts)
{
	if (--ts->feed_count)
		return;
	kthread_stop(ts->ts_read_thread);
	kfree(ts->ts_buf);
	ts->ts_buf = NULL;
}

static int __init ts_init(void)
{
	int ret;

	demod = kzalloc(sizeof(*demod), GFP_KERNEL);
	if (!demod)
		return -ENOMEM;
	init_waitqueue_head(&demod->wq);
	ret = ts_start_feed(demod);
	if (ret)
		kfree(demod);
	return ret;
}

static void __exit ts_exit(void)
{
	ts_stop_feed(demod);
	kfree(demod);
}

module_init(ts_init);
module_exit(ts_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("corpus: a TS reader whose poll helper returns on an error, stopped without a reference (bad)");

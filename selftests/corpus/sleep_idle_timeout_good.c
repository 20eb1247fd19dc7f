// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: the fixed twin of sleep_idle_timeout_bad.c. The stop is in the
 * wait's condition: kthread_stop() wakes the thread, the condition is
 * true, the wait returns, and the test after it sees the stop.
 */
#include <linux/atomic.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/wait.h>

#define FLUSH_PERIOD_MS	5000
#define FLUSH_BATCH	64

struct flusher {
	struct task_struct *task;
	wait_queue_head_t wq;
	atomic_t dirty;		/* entries the writers marked */
	unsigned int flushes;
};

static struct flusher *flusher;

static int flush_fn(void *data)
{
	struct flusher *f = data;

	for (;;) {
		wait_event_idle_timeout(f->wq,
					atomic_read(&f->dirty) >= FLUSH_BATCH ||
					kthread_should_stop(),
					msecs_to_jiffies(FLUSH_PERIOD_MS));
		if (kthread_should_stop())
			break;
		atomic_set(&f->dirty, 0);
		f->flushes++;
	}
	return 0;
}

static int __init flush_init(void)
{
	struct flusher *f;

	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return -ENOMEM;
	init_waitqueue_head(&f->wq);
	atomic_set(&f->dirty, 0);
	f->task = kthread_run(flush_fn, f, "cp-sl-weit");
	if (IS_ERR(f->task)) {
		int err = PTR_ERR(f->task);

		kfree(f);
		return err;
	}
	flusher = f;
	return 0;
}

static void __exit flush_exit(void)
{
	kthread_stop(flusher->task);
	pr_info("%u flushes\n", flusher->flushes);
	kfree(flusher);
}

module_init(flush_init);
module_exit(flush_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("corpus: a flusher whose period the stop ends (good)");

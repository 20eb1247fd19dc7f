// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: an allocation not freed at unload. Shape: a receiver whose
 * kzalloc()ed device struct holds a 4 KiB kmalloc()ed ring buffer that
 * its thread fills, while (!kthread_should_stop()), with a stop-aware
 * timed wait between frames; both allocations and kthread_run() in module
 * init, the task in the struct; exit stops the thread and frees the
 * struct.
 *
 * The bug: exit frees the struct but not the buffer it pointed to. The
 * buffer, allocated by insmod, is left with nothing pointing at it:
 * kmemleak reports it (debug kernel); the stock kernel cannot see it.
 */
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/wait.h>

#define RX_BUF_SIZE	4096
#define RX_FRAME_SIZE	64
#define RX_FRAME_MS	50

struct rx_ring {
	struct task_struct *task;
	wait_queue_head_t wq;
	u8 *buf;			/* RX_BUF_SIZE bytes */
	unsigned int head;
	unsigned int frames;
};

static struct rx_ring *rx;

static int rx_fn(void *data)
{
	struct rx_ring *r = data;

	while (!kthread_should_stop()) {
		memset(r->buf + r->head, r->frames & 0xff, RX_FRAME_SIZE);
		r->head = (r->head + RX_FRAME_SIZE) % RX_BUF_SIZE;
		r->frames++;
		wait_event_idle_timeout(r->wq, kthread_should_stop(),
					msecs_to_jiffies(RX_FRAME_MS));
	}
	return 0;
}

static int __init rx_init(void)
{
	struct rx_ring *r;
	int err = -ENOMEM;

	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	r->buf = kmalloc(RX_BUF_SIZE, GFP_KERNEL);
	if (!r->buf)
		goto free_ring;
	init_waitqueue_head(&r->wq);
	r->task = kthread_run(rx_fn, r, "cp-nf-rxbuf");
	if (IS_ERR(r->task)) {
		err = PTR_ERR(r->task);
		goto free_buf;
	}
	rx = r;
	return 0;

free_buf:
	kfree(r->buf);
free_ring:
	kfree(r);
	return err;
}

static void __exit rx_exit(void)
{
	kthread_stop(rx->task);
	pr_info("%u frames\n", rx->frames);
	kfree(rx);
}

module_init(rx_init);
module_exit(rx_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("corpus: a receiver whose ring buffer is never freed (bad)");

// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: the fixed twin of nofree_struct_buf_bad.c. Module exit frees
 * the ring buffer before the struct that points to it, once the thread
 * that fills it is stopped.
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
	kfree(rx->buf);
	kfree(rx);
}

module_init(rx_init);
module_exit(rx_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("corpus: a receiver whose ring buffer is freed at unload (good)");

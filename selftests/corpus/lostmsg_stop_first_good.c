// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: the fixed twin of lostmsg_stop_first_bad.c. The thread drains
 * the queue once more after its loop: whatever was queued before
 * kthread_stop() is done before the thread leaves.
 */
#include <linux/kfifo.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/wait.h>

struct req_queue {
	struct task_struct *task;
	wait_queue_head_t wq;
	spinlock_t lock;		/* serialises the fifo's writers */
	DECLARE_KFIFO(reqs, u32, 64);
	unsigned int sent;
	unsigned int done;
};

static struct req_queue *rq;

static void req_submit(struct req_queue *q, u32 req)
{
	if (kfifo_in_spinlocked(&q->reqs, &req, 1, &q->lock))
		q->sent++;
	wake_up(&q->wq);
}

static void req_drain(struct req_queue *q)
{
	u32 req;

	while (kfifo_out(&q->reqs, &req, 1))
		q->done++;
}

static int req_fn(void *data)
{
	struct req_queue *q = data;

	for (;;) {
		wait_event_idle(q->wq, !kfifo_is_empty(&q->reqs) ||
				kthread_should_stop());
		if (kthread_should_stop())
			break;
		req_drain(q);
	}
	req_drain(q);
	return 0;
}

static int __init req_init(void)
{
	struct req_queue *q;
	u32 i;

	q = kzalloc(sizeof(*q), GFP_KERNEL);
	if (!q)
		return -ENOMEM;
	init_waitqueue_head(&q->wq);
	spin_lock_init(&q->lock);
	INIT_KFIFO(q->reqs);
	q->task = kthread_run(req_fn, q, "cp-lm-stop");
	if (IS_ERR(q->task)) {
		int err = PTR_ERR(q->task);

		kfree(q);
		return err;
	}
	for (i = 0; i < 4; i++)
		req_submit(q, i);
	rq = q;
	return 0;
}

static void __exit req_exit(void)
{
	u32 i;

	for (i = 0; i < 4; i++)
		req_submit(rq, 100 + i);
	kthread_stop(rq->task);
	pr_info("%u requests sent, %u done, %u left in the queue\n",
		rq->sent, rq->done, kfifo_len(&rq->reqs));
	kfree(rq);
}

module_init(req_init);
module_exit(req_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("corpus: a consumer that drains once more when stopped (good)");

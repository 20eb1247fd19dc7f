// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: the fixed twin of lostwake_prepare_to_wait_bad.c. The stop is
 * tested again after prepare_to_wait(), with the work: a kthread_stop()
 * before it is seen by that test, and one after it finds the thread in
 * TASK_IDLE and wakes it.
 */
#include <linux/atomic.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/timer.h>
#include <linux/wait.h>

#define DOORBELL_MS	50

struct doorbell {
	struct task_struct *task;
	wait_queue_head_t wq;
	atomic_t rung;			/* doorbells not yet handled */
	struct timer_list device;	/* the corpus's device */
	unsigned int handled;
};

static struct doorbell *bell;

static void device_fn(struct timer_list *t)
{
	struct doorbell *b = container_of(t, typeof(*b), device);

	atomic_inc(&b->rung);
	wake_up(&b->wq);
	mod_timer(t, jiffies + msecs_to_jiffies(DOORBELL_MS));
}

static int bell_fn(void *data)
{
	struct doorbell *b = data;
	DEFINE_WAIT(wait);

	while (!kthread_should_stop()) {
		prepare_to_wait(&b->wq, &wait, TASK_IDLE);
		if (!atomic_read(&b->rung) && !kthread_should_stop())
			schedule();
		finish_wait(&b->wq, &wait);
		b->handled += atomic_xchg(&b->rung, 0);
	}
	return 0;
}

static int __init bell_init(void)
{
	struct doorbell *b;

	b = kzalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return -ENOMEM;
	init_waitqueue_head(&b->wq);
	atomic_set(&b->rung, 0);
	timer_setup(&b->device, device_fn, 0);
	b->task = kthread_run(bell_fn, b, "cp-lw-prepare");
	if (IS_ERR(b->task)) {
		int err = PTR_ERR(b->task);

		kfree(b);
		return err;
	}
	mod_timer(&b->device, jiffies + msecs_to_jiffies(DOORBELL_MS));
	bell = b;
	return 0;
}

static void __exit bell_exit(void)
{
	kthread_stop(bell->task);
	timer_delete_sync(&bell->device);
	pr_info("%u doorbells\n", bell->handled);
	kfree(bell);
}

module_init(bell_init);
module_exit(bell_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("corpus: a prepare_to_wait() sleep that sees the stop (good)");

// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: a stop wake-up lost between the stop test and the sleep, the
 * state set by prepare_to_wait(). Shape: a doorbell handler, while
 * (!kthread_should_stop()), that calls prepare_to_wait(..., TASK_IDLE)
 * on the device's wait queue, sleeps with schedule() if no doorbell is
 * pending (tested after prepare_to_wait(), so none is lost), then
 * finish_wait()s and handles the doorbells; the device in a kzalloc()ed
 * struct, kthread_run(), the task in it, stop in module exit.
 *
 * The bug: prepare_to_wait() is set_current_state() with a queue entry,
 * and the stop is tested only before it. A kthread_stop() between the
 * loop's test and prepare_to_wait() wakes a running thread, which does
 * nothing; the thread then sleeps in TASK_IDLE and nothing wakes it for
 * the stop: the unload hangs until the next doorbell. Here the device
 * rings every 50 ms, so the unload is at worst 50 ms late, and the window
 * is a few instructions wide: a VM run does not see it.
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
		if (!atomic_read(&b->rung))
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
MODULE_DESCRIPTION("corpus: a prepare_to_wait() sleep that can miss the stop's wake-up (bad)");

// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: the fixed twin of lostwake_for_unint_bad.c. The stop is tested
 * again after the state is set, with the work: a kthread_stop() before
 * set_current_state() is seen by that test, and one after it finds the
 * thread in TASK_UNINTERRUPTIBLE and wakes it.
 */
#include <linux/atomic.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/timer.h>
#include <linux/wait.h>

#define COMPLETION_MS	50

struct reaper {
	struct task_struct *task;
	wait_queue_head_t wq;
	atomic_t pending;		/* completions not yet reaped */
	struct timer_list device;	/* the corpus's device */
	unsigned int reaped;
};

static struct reaper *reaper;

static void device_fn(struct timer_list *t)
{
	struct reaper *r = container_of(t, typeof(*r), device);

	atomic_inc(&r->pending);
	wake_up(&r->wq);
	mod_timer(t, jiffies + msecs_to_jiffies(COMPLETION_MS));
}

static int reap_fn(void *data)
{
	struct reaper *r = data;
	DECLARE_WAITQUEUE(wait, current);

	add_wait_queue(&r->wq, &wait);
	for (;;) {
		if (kthread_should_stop())
			break;
		r->reaped += atomic_xchg(&r->pending, 0);
		set_current_state(TASK_UNINTERRUPTIBLE);
		if (!atomic_read(&r->pending) && !kthread_should_stop())
			schedule();
		__set_current_state(TASK_RUNNING);
	}
	remove_wait_queue(&r->wq, &wait);
	return 0;
}

static int __init reap_init(void)
{
	struct reaper *r;

	r = kzalloc(sizeof(*r), GFP_KERNEL);
	if (!r)
		return -ENOMEM;
	init_waitqueue_head(&r->wq);
	atomic_set(&r->pending, 0);
	timer_setup(&r->device, device_fn, 0);
	r->task = kthread_run(reap_fn, r, "cp-lw-for");
	if (IS_ERR(r->task)) {
		int err = PTR_ERR(r->task);

		kfree(r);
		return err;
	}
	mod_timer(&r->device, jiffies + msecs_to_jiffies(COMPLETION_MS));
	reaper = r;
	return 0;
}

static void __exit reap_exit(void)
{
	kthread_stop(reaper->task);
	timer_delete_sync(&reaper->device);
	pr_info("%u completions reaped\n", reaper->reaped);
	kfree(reaper);
}

module_init(reap_init);
module_exit(reap_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("corpus: an uninterruptible sleep that sees the stop (good)");

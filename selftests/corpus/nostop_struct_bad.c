// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: a thread with no stop path, the post's leaking goroutine.
 * Shape: a watcher, while (!kthread_should_stop()), asleep in
 * wait_event_idle() with the stop in its condition; the device in a
 * kzalloc()ed struct, kthread_run(), the task in it; module exit frees
 * the struct, the task pointer with it, and forgets the thread.
 *
 * The bug: nobody calls kthread_stop(). After rmmod the thread sleeps on
 * a wait queue in the freed struct, in TASK_IDLE, with no timeout;
 * nothing will ever wake it (were it woken, it would read the freed
 * struct and run freed code). ktleak finds the kernel thread that
 * outlived the module.
 */
#include <linux/atomic.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/wait.h>

struct watcher {
	struct task_struct *task;
	wait_queue_head_t wq;
	atomic_t pending;		/* counted by the irq */
	unsigned int handled;
};

static struct watcher *watcher;

static int watch_fn(void *data)
{
	struct watcher *w = data;

	while (!kthread_should_stop()) {
		wait_event_idle(w->wq, atomic_read(&w->pending) ||
				kthread_should_stop());
		w->handled += atomic_xchg(&w->pending, 0);
	}
	return 0;
}

static int __init watch_init(void)
{
	struct watcher *w;

	w = kzalloc(sizeof(*w), GFP_KERNEL);
	if (!w)
		return -ENOMEM;
	init_waitqueue_head(&w->wq);
	atomic_set(&w->pending, 0);
	w->task = kthread_run(watch_fn, w, "cp-ns-struct");
	if (IS_ERR(w->task)) {
		int err = PTR_ERR(w->task);

		kfree(w);
		return err;
	}
	watcher = w;
	return 0;
}

static void __exit watch_exit(void)
{
	pr_info("%u events\n", watcher->handled);
	kfree(watcher);
}

module_init(watch_init);
module_exit(watch_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("corpus: a watcher whose struct module exit frees, thread and all (bad)");

// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: a thread with no stop path, the post's leaking goroutine.
 * Shape: an event handler, while (!kthread_should_stop()), asleep in
 * wait_event_idle() with the stop in its condition, as it should be;
 * kthread_run(), global task; module exit reports its count and forgets
 * the thread.
 *
 * The bug: nobody calls kthread_stop(). After rmmod the thread sleeps on
 * a wait queue in the freed module's memory, in TASK_IDLE, with no
 * timeout; nothing will ever wake it (were it woken, it would run freed
 * code). ktleak finds the kernel thread that outlived the module.
 */
#include <linux/atomic.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/wait.h>

static DECLARE_WAIT_QUEUE_HEAD(ev_wq);
static atomic_t ev_pending = ATOMIC_INIT(0);	/* counted by the irq */
static struct task_struct *ev_thread;
static unsigned int ev_handled;

static int ev_fn(void *unused)
{
	while (!kthread_should_stop()) {
		wait_event_idle(ev_wq, atomic_read(&ev_pending) ||
				kthread_should_stop());
		ev_handled += atomic_xchg(&ev_pending, 0);
	}
	return 0;
}

static int __init ev_init(void)
{
	ev_thread = kthread_run(ev_fn, NULL, "cp-ns-global");
	return PTR_ERR_OR_ZERO(ev_thread);
}

static void __exit ev_exit(void)
{
	pr_info("%u events\n", ev_handled);
}

module_init(ev_init);
module_exit(ev_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("corpus: an event thread module exit forgets (bad)");

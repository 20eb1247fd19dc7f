// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus, a real incident: landhb/DrawBridge#1, "Null pointer deference
 * after calling kthread_stop" (https://github.com/landhb/DrawBridge/issues/1,
 * 2018): DrawBridge's port-knocking module starts a companion thread that
 * listens on a raw socket with a BPF filter attached; the thread returns
 * on its own when it cannot set up the socket or attach the filter, and
 * rmmod's kthread_stop() in module exit then ran into the freed task (an
 * oops in wait_for_completion() under rmmod). The issue shows only the
 * oops; the cause and the fix are in the project's module of that time
 * (kernel/xt_knock.c, kernel/listen.c): the fix took a task reference
 * between kthread_create() and wake_up_process(), dropped after
 * kthread_stop().
 *
 * This module: the listener, created with kthread_create() and woken, its
 * task in a global, stopped in module exit. Its setup is simulated and
 * fails as if the kernel refused the socket filter: the thread returns
 * -ENOPROTOOPT at once, and rmmod's kthread_stop() 0.5 s later touches
 * the freed task_struct (KASAN on the debug kernel).
 */
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/wait.h>

#define DB_PKT_SIZE	2048

static struct task_struct *listener;
static DECLARE_WAIT_QUEUE_HEAD(db_sock_wq);
static unsigned long db_knocks;

/* The raw socket's filter: this kernel refuses it. */
static int db_attach_filter(void *pkt)
{
	return -ENOPROTOOPT;
}

static bool db_packet_pending(void)
{
	return false;
}

static int db_listen(void *unused)
{
	void *pkt;
	int err;

	pkt = kmalloc(DB_PKT_SIZE, GFP_KERNEL);
	if (!pkt)
		return -ENOMEM;
	err = db_attach_filter(pkt);
	if (err) {
		pr_info("cp-drawbridge: could not attach the socket filter: %d\n",
			err);
		kfree(pkt);
		return err;
	}

	while (!kthread_should_stop()) {
		wait_event_interruptible_timeout(db_sock_wq,
						 db_packet_pending() ||
						 kthread_should_stop(),
						 msecs_to_jiffies(2000));
		if (db_packet_pending())
			db_knocks++;
	}
	kfree(pkt);
	return 0;
}

static int __init db_init(void)
{
	listener = kthread_create(db_listen, NULL, "cp-drawbridge");
	if (IS_ERR(listener))
		return PTR_ERR(listener);
	wake_up_process(listener);
	return 0;
}

static void __exit db_exit(void)
{
	kthread_stop(listener);
}

module_init(db_init);
module_exit(db_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("corpus: DrawBridge#1, a listener that failed its setup, stopped (bad)");

// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: the fixed twin of real_drawbridge_bad.c, with the fix
 * DrawBridge applied for landhb/DrawBridge#1, in this module's own code:
 * a reference on the listener's task is taken after kthread_create() and
 * before wake_up_process(), so that the task_struct survives a listener
 * that returns from its failed setup, and module exit drops it after
 * kthread_stop() (kthread_stop_put() from 6.7 on).
 */
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/sched/task.h>
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
	/* The listener returns if its setup fails: keep its task. */
	get_task_struct(listener);
	wake_up_process(listener);
	return 0;
}

static void __exit db_exit(void)
{
	kthread_stop(listener);
	put_task_struct(listener);
}

module_init(db_init);
module_exit(db_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("corpus: DrawBridge#1, a listener that failed its setup, stopped through its reference (good)");

// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: the fixed twin of unaware_killable_dowhile_bad.c. The stop is
 * in the wait's condition: kthread_stop() wakes the thread, the condition
 * is true, the wait returns 0, and the loop's test sees the stop; the
 * unload does not wait for the firmware. The timer is cancelled as before.
 */
#include <linux/atomic.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/timer.h>
#include <linux/wait.h>

#define FIRMWARE_MSG_MS	4700

static DECLARE_WAIT_QUEUE_HEAD(mbox_wq);
static atomic_t mbox_doorbell = ATOMIC_INIT(0);
static struct timer_list firmware;	/* the corpus's firmware */
static struct task_struct *mbox_reader;
static unsigned int mbox_msgs;

static void firmware_fn(struct timer_list *t)
{
	atomic_inc(&mbox_doorbell);
	wake_up(&mbox_wq);
}

static int mbox_fn(void *unused)
{
	do {
		if (wait_event_killable(mbox_wq, atomic_read(&mbox_doorbell) ||
					kthread_should_stop()))
			continue;
		mbox_msgs += atomic_xchg(&mbox_doorbell, 0);
	} while (!kthread_should_stop());
	return 0;
}

static int __init mbox_init(void)
{
	timer_setup(&firmware, firmware_fn, 0);
	mbox_reader = kthread_run(mbox_fn, NULL, "cp-un-killable");
	if (IS_ERR(mbox_reader))
		return PTR_ERR(mbox_reader);
	mod_timer(&firmware, jiffies + msecs_to_jiffies(FIRMWARE_MSG_MS));
	return 0;
}

static void __exit mbox_exit(void)
{
	kthread_stop(mbox_reader);
	timer_delete_sync(&firmware);
	pr_info("%u mailbox messages\n", mbox_msgs);
}

module_init(mbox_init);
module_exit(mbox_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("corpus: a mailbox reader whose killable wait the stop ends (good)");

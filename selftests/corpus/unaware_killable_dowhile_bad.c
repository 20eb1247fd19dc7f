// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: an untimed wait whose condition lacks the stop. Shape: a
 * mailbox reader, do { } while (!kthread_should_stop()), that sleeps in
 * wait_event_killable() (the wait of the driver's ioctl path, reused)
 * until the firmware rings the doorbell, then reads the mailbox;
 * kthread_run(), global task, stop in module exit.
 *
 * The bug: a killable wait ends on a fatal signal only, and
 * kthread_stop() sends none: since 6.1 it makes signal_pending() true,
 * which ends interruptible sleeps, not killable ones. The stop wakes the
 * thread, the doorbell has not rung, and the wait sleeps again until the
 * firmware writes, which may be never. Here a timer stands in for the
 * firmware and rings once, 4.7 s after load: the unload takes about 4 s.
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
		if (wait_event_killable(mbox_wq, atomic_read(&mbox_doorbell)))
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
MODULE_DESCRIPTION("corpus: a mailbox reader whose killable wait the stop cannot end (bad)");

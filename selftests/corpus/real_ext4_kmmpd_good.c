// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: the fixed twin of real_ext4_kmmpd_bad.c, with the fix of
 * 61bb4a1c417e (CVE-2021-47342) in this module's own code: once the file
 * system is read-only the MMP thread stops updating but does not return;
 * it idles until kthread_should_stop() is true (the state set before each
 * test, so that the stop's wake-up cannot be lost), and only then
 * returns. The unmount's kthread_stop() always finds it alive: no task
 * reference is needed.
 */
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/workqueue.h>

#define MMP_INTERVAL_MS	50

struct mmp_sb_info {
	struct task_struct *mmp_task;
	bool read_only;
	u32 mmp_seq;
	struct delayed_work remount;
};

static struct mmp_sb_info sbi;

/* The MMP block write: the sequence tells other nodes we are alive. */
static void mmp_write_block(struct mmp_sb_info *s)
{
	s->mmp_seq++;
}

static int kmmpd(void *data)
{
	struct mmp_sb_info *s = data;

	while (!kthread_should_stop() && !READ_ONCE(s->read_only)) {
		mmp_write_block(s);
		schedule_timeout_interruptible(msecs_to_jiffies(MMP_INTERVAL_MS));
	}
	/* Read-only: nothing to protect, but only the stopper ends us. */
	set_current_state(TASK_IDLE);
	while (!kthread_should_stop()) {
		schedule();
		set_current_state(TASK_IDLE);
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

static void mmp_remount_ro(struct work_struct *work)
{
	WRITE_ONCE(sbi.read_only, true);
}

static void mmp_stop(struct mmp_sb_info *s)
{
	if (s->mmp_task) {
		kthread_stop(s->mmp_task);
		s->mmp_task = NULL;
	}
}

static int __init mmp_init(void)
{
	struct task_struct *task;

	INIT_DELAYED_WORK(&sbi.remount, mmp_remount_ro);
	task = kthread_run(kmmpd, &sbi, "cp-kmmpd");
	if (IS_ERR(task))
		return PTR_ERR(task);
	sbi.mmp_task = task;
	schedule_delayed_work(&sbi.remount, msecs_to_jiffies(100));
	return 0;
}

static void __exit mmp_exit(void)
{
	cancel_delayed_work_sync(&sbi.remount);
	mmp_stop(&sbi);
}

module_init(mmp_init);
module_exit(mmp_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("corpus: CVE-2021-47342, ext4's kmmpd waits for its stop after remount r/o (good)");

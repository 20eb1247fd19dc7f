// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus, a real incident: CVE-2021-47342, ext4's kmmpd, fixed by
 * 61bb4a1c417e ("ext4: fix possible UAF when remounting r/o a
 * mmp-protected file system"). kmmpd, the thread that keeps a multi-mount
 * protected file system's MMP block fresh, leaves its loop and returns
 * once the file system is read-only (and on MMP block errors). After a
 * remount read-only the thread could exit and its task be freed while
 * sbi->s_mmp_tsk still pointed at it; ext4_stop_mmpd()'s kthread_stop()
 * then touched freed memory. The fix lets kmmpd return only once it is
 * stopped: past its loop, it waits for kthread_should_stop().
 *
 * This module: the MMP thread (kthread_run(), the task in the super
 * block's struct) updates a sequence number every 50 ms in a loop on
 * "not stopped and not read-only"; a delayed work remounts the file
 * system read-only 100 ms after insmod, and the thread returns. Module
 * exit is the unmount's stop: kthread_stop() on the task freed 0.4 s
 * before (KASAN on the debug kernel).
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
	/* Read-only: nothing to protect any more. */
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
MODULE_DESCRIPTION("corpus: CVE-2021-47342, ext4's kmmpd returned on remount r/o, stopped (bad)");

// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: the fixed twin of real_nova_bad.c, with the fix proposed in
 * NVSL/linux-nova#156, in this module's own code: kthread_should_stop()
 * is tested again after prepare_to_wait() has set the sleeping state, and
 * the cleaner does not schedule() once it is true. A stop that comes
 * before that test is seen by it; one that comes after finds the thread
 * in TASK_INTERRUPTIBLE and its wake-up ends the sleep.
 */
#include <linux/atomic.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

struct nv_sb_info {
	struct task_struct *cleaner;
	wait_queue_head_t cleaner_wq;
	atomic_t to_clean;
	unsigned long cleaned;
	struct delayed_work deleter;
};

static struct nv_sb_info sbi;

static void nv_clean_snapshots(struct nv_sb_info *s)
{
	while (atomic_add_unless(&s->to_clean, -1, 0))
		s->cleaned++;
}

static int nv_snapshot_cleaner(void *data)
{
	struct nv_sb_info *s = data;
	DEFINE_WAIT(wait);

	while (!kthread_should_stop()) {
		prepare_to_wait(&s->cleaner_wq, &wait, TASK_INTERRUPTIBLE);
		if (!atomic_read(&s->to_clean) && !kthread_should_stop())
			schedule();
		finish_wait(&s->cleaner_wq, &wait);

		nv_clean_snapshots(s);
	}
	return 0;
}

/* A snapshot deletion: its blocks are the cleaner's to free. */
static void nv_delete_snapshot(struct work_struct *work)
{
	atomic_inc(&sbi.to_clean);
	wake_up(&sbi.cleaner_wq);
}

static int __init nv_init(void)
{
	init_waitqueue_head(&sbi.cleaner_wq);
	INIT_DELAYED_WORK(&sbi.deleter, nv_delete_snapshot);
	sbi.cleaner = kthread_run(nv_snapshot_cleaner, &sbi, "cp-nova-cleaner");
	if (IS_ERR(sbi.cleaner))
		return PTR_ERR(sbi.cleaner);
	schedule_delayed_work(&sbi.deleter, msecs_to_jiffies(100));
	return 0;
}

static void __exit nv_exit(void)
{
	cancel_delayed_work_sync(&sbi.deleter);
	kthread_stop(sbi.cleaner);
}

module_init(nv_init);
module_exit(nv_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("corpus: linux-nova#156, a cleaner that tests the stop after setting its state (good)");

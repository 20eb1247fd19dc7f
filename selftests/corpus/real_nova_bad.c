// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus, a real incident: NVSL/linux-nova#156, "Fix kernel hang when
 * snapshot cleaner thread is not stopped properly"
 * (https://github.com/NVSL/linux-nova/issues/156, 2024). NOVA's unmount
 * stops the snapshot cleaner thread with kthread_stop(). The cleaner tests
 * kthread_should_stop() at the top of its loop, then goes to sleep with
 * prepare_to_wait(TASK_INTERRUPTIBLE) and schedule() without testing it
 * again: a stop that lands between the test and the sleep finds the thread
 * still running, its wake-up is lost, and the thread sleeps with unmount
 * waiting for it in kthread_stop() (a hang after minutes of mount/umount
 * loops). The fix the issue proposes: do not schedule() once
 * kthread_should_stop() is true, tested after prepare_to_wait().
 *
 * This module: the cleaner (kthread_run(), the task in the superblock's
 * struct), woken when a snapshot is deleted (a delayed work deletes one
 * 100 ms after insmod); module exit is the unmount's kthread_stop(). The
 * sleep is TASK_INTERRUPTIBLE, as in NOVA: since 6.1 (a7c01fa93aeb)
 * kthread_stop() also ends interruptible sleeps, so the lost wake-up no
 * longer hangs, and before 6.1 its window was a few instructions wide.
 * A VM run sees nothing.
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
		if (!atomic_read(&s->to_clean))
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
MODULE_DESCRIPTION("corpus: linux-nova#156, a cleaner that sleeps past the stop test (bad)");

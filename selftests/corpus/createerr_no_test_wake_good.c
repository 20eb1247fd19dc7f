// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: the fixed twin of createerr_no_test_wake_bad.c. The result is
 * tested with IS_ERR() before it is bound and woken, and init fails with
 * its error.
 */
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/wait.h>

#define WORK_MS	100

static DECLARE_WAIT_QUEUE_HEAD(work_wq);
static struct task_struct *worker;
static unsigned int rounds;

static int work_fn(void *unused)
{
	while (!kthread_should_stop()) {
		rounds++;
		wait_event_idle_timeout(work_wq, kthread_should_stop(),
					msecs_to_jiffies(WORK_MS));
	}
	return 0;
}

static int __init work_init(void)
{
	worker = kthread_create(work_fn, NULL, "cp-ce-wake");
	if (IS_ERR(worker))
		return PTR_ERR(worker);
	kthread_bind(worker, 0);
	wake_up_process(worker);
	return 0;
}

static void __exit work_exit(void)
{
	kthread_stop(worker);
	pr_info("%u rounds\n", rounds);
}

module_init(work_init);
module_exit(work_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("corpus: a kthread_create() result tested with IS_ERR() (good)");

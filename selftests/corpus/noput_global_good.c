// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: the fixed twin of noput_global_bad.c. Exit drops init's
 * reference after the stop (kthread_stop() + put_task_struct(), which is
 * kthread_stop_put() from 6.7 on): the task_struct goes with the thread.
 */
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/sched/task.h>
#include <linux/wait.h>

#define FILL_PERIOD_MS	50

static DECLARE_WAIT_QUEUE_HEAD(fill_wait);
static struct task_struct *fill_task;
static u8 fill_pool[64];
static unsigned long fills;

/* The hardware source: present for as long as the module is loaded. */
static bool fill_source_present(void)
{
	return true;
}

static int fill_thread(void *unused)
{
	while (!kthread_should_stop()) {
		if (!fill_source_present())
			break;
		get_random_bytes(fill_pool, sizeof(fill_pool));
		fills++;
		wait_event_interruptible_timeout(fill_wait,
						 kthread_should_stop(),
						 msecs_to_jiffies(FILL_PERIOD_MS));
	}
	return 0;
}

static int __init fill_init(void)
{
	fill_task = kthread_create(fill_thread, NULL, "cp-np-fill");
	if (IS_ERR(fill_task))
		return PTR_ERR(fill_task);
	get_task_struct(fill_task);
	wake_up_process(fill_task);
	return 0;
}

static void __exit fill_exit(void)
{
	kthread_stop(fill_task);
	put_task_struct(fill_task);
}

module_init(fill_init);
module_exit(fill_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("corpus: a fill thread whose task reference is put after the stop (good)");

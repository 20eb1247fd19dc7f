// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: the fixed twin of noref_for_break_bad.c. hp_start_thread()
 * takes a reference between kthread_create() and wake_up_process(),
 * before the poller can run, and hp_stop_thread() drops it after the stop
 * (kthread_stop() + put_task_struct(), which is kthread_stop_put() from
 * 6.7 on): when the poller breaks out on the failed scan and returns, its
 * task_struct stays until the stop has collected the result.
 */
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/sched/task.h>

#define HP_POLL_MS	50

static struct task_struct *hp_thread;
static unsigned int nr_scans;

/* Look for the slot that raised ENUM#: the third scan finds none. */
static int check_slots(void)
{
	if (++nr_scans == 3) {
		pr_err("cp-noref: cannot find ENUM# source, shutting down\n");
		return -ENODEV;
	}
	return 0;
}

static int poll_thread(void *data)
{
	int rc;

	for (;;) {
		if (kthread_should_stop())
			break;
		rc = check_slots();
		if (rc < 0)
			break;
		schedule_timeout_interruptible(msecs_to_jiffies(HP_POLL_MS));
	}
	return 0;
}

static int hp_start_thread(void)
{
	hp_thread = kthread_create(poll_thread, NULL, "cp-nr-hppolld");
	if (IS_ERR(hp_thread))
		return PTR_ERR(hp_thread);
	get_task_struct(hp_thread);
	wake_up_process(hp_thread);
	return 0;
}

static void hp_stop_thread(void)
{
	kthread_stop(hp_thread);
	put_task_struct(hp_thread);
}

static int __init hp_init(void)
{
	return hp_start_thread();
}

static void __exit hp_exit(void)
{
	hp_stop_thread();
}

module_init(hp_init);
module_exit(hp_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("corpus: a hot-plug poller that breaks out on an error, stopped through its reference (good)");

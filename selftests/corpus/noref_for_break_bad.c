// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: a thread that may return on its own, stopped with a bare
 * kthread_stop(). Shape: cpci_hotplug_core's poll_thread(): a for (;;)
 * loop that breaks on "if (kthread_should_stop())" at its top, and also
 * breaks out when the slot scan fails, then returns;
 * schedule_timeout_interruptible() of the poll period;
 * kthread_create() + wake_up_process() in a start function, the task in
 * a global, the stop in a stop function of its own (cpci_stop_thread()),
 * called from module exit.
 *
 * The bug: the third slot scan finds no ENUM# source, about 100 ms after
 * load, and the poller breaks out and returns; its task_struct is freed a
 * grace period later, and hp_stop_thread()'s kthread_stop() touches freed
 * memory (KASAN on the debug kernel). Nothing holds a reference.
 */
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/sched.h>

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
	wake_up_process(hp_thread);
	return 0;
}

static void hp_stop_thread(void)
{
	kthread_stop(hp_thread);
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
MODULE_DESCRIPTION("corpus: a hot-plug poller that breaks out on an error, stopped without a reference (bad)");

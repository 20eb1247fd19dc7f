// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: the fixed twin of sleep_interruptible_resleep_bad.c. The inner
 * loop tests the stop too, as kmemleak_scan_thread()'s does: the stop's
 * TIF_NOTIFY_SIGNAL ends the sleep (or keeps it from starting), and the
 * test ends the loop.
 */
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/sched.h>

#define SCAN_PERIOD_MS	5000

static struct task_struct *scanner;
static unsigned int scans;

static int scan_fn(void *unused)
{
	long timeout;

	while (!kthread_should_stop()) {
		scans++;
		timeout = msecs_to_jiffies(SCAN_PERIOD_MS);
		while (timeout && !kthread_should_stop())
			timeout = schedule_timeout_interruptible(timeout);
	}
	return 0;
}

static int __init scan_init(void)
{
	scanner = kthread_run(scan_fn, NULL, "cp-sl-resleep");
	return PTR_ERR_OR_ZERO(scanner);
}

static void __exit scan_exit(void)
{
	kthread_stop(scanner);
	pr_info("%u scans\n", scans);
}

module_init(scan_init);
module_exit(scan_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("corpus: an interruptible sleep loop that sees the stop (good)");

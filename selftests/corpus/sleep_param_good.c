// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: the fixed twin of sleep_param_bad.c. The period is
 * msleep_interruptible(): since 6.1 kthread_stop() makes signal_pending()
 * true for the thread, which ends an interruptible sleep at once, however
 * long the parameter made it.
 */
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

static unsigned int scan_ms = 5000;
module_param(scan_ms, uint, 0644);
MODULE_PARM_DESC(scan_ms, "sensor scan period in ms (100-5000)");

static struct task_struct *scanner;
static unsigned int scans;

static int scanner_fn(void *unused)
{
	unsigned int ms;

	while (!kthread_should_stop()) {
		scans++;
		ms = clamp(READ_ONCE(scan_ms), 100U, 5000U);
		msleep_interruptible(ms);
	}
	return 0;
}

static int __init scanner_init(void)
{
	scanner = kthread_run(scanner_fn, NULL, "cp-sl-param");
	return PTR_ERR_OR_ZERO(scanner);
}

static void __exit scanner_exit(void)
{
	kthread_stop(scanner);
	pr_info("%u scans\n", scans);
}

module_init(scanner_init);
module_exit(scanner_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("corpus: a scanner whose parameter-long sleep the stop ends (good)");

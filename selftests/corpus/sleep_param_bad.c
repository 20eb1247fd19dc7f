// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: a sleep the stop does not end, of a length read at run time.
 * Shape: a sensor scanner, while (!kthread_should_stop()), that sleeps
 * its period with msleep(), the period a writable module parameter read
 * on every turn and clamped (as pciehp_poll() clamps pciehp_poll_time);
 * kthread_run(), global task, stop in module exit.
 *
 * The bug: msleep() sleeps again after every wake-up until its time is
 * up, so the stop waits out the period; how long depends on what the
 * administrator wrote (5 s by default here, about 4.5 s of it waited).
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
		msleep(ms);
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
MODULE_DESCRIPTION("corpus: a scanner whose parameter-long msleep() the stop waits out (bad)");

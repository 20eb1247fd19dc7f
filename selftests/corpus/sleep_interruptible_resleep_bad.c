// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: an interruptible sleep the stop does not end, because the loop
 * around it sleeps again. Shape: a periodic scanner, while
 * (!kthread_should_stop()), that sleeps out its 5 s period with
 * "while (timeout) timeout = schedule_timeout_interruptible(timeout);"
 * (kmemleak_scan_thread() in mm/kmemleak.c without the stop test it has
 * in that inner loop); kthread_run(), global task, stop in module exit.
 *
 * The bug: since 6.1 kthread_stop() sets TIF_NOTIFY_SIGNAL, which ends an
 * interruptible sleep and, never cleared in a kthread, makes every later
 * one return at once. The inner loop does not look at the stop: it calls
 * schedule_timeout_interruptible() again and again, each returning
 * without sleeping, until the period is over. The stop waits out the
 * period (about 4.5 s here) with the thread spinning on a CPU; before
 * 6.1 it slept it out.
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
		while (timeout)
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
MODULE_DESCRIPTION("corpus: an interruptible sleep loop that sleeps again after the stop (bad)");

// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: a sleep the stop does not end. Shape: the setup thread of
 * drivers/media/cec/usb/extron-da-hd-4k-plus, a for (;;) loop that tests
 * the stop first ("if (kthread_should_stop()) break;"), asks the device
 * whether it is there, and ssleep()s before it asks again; kthread_run(),
 * global task, stop in module exit.
 *
 * The bug: ssleep() is msleep(), which goes back to sleep after every
 * wake-up until its time is up. kthread_stop() wakes the thread, the
 * sleep goes on, and the stop waits out the rest of the 5 s retry delay
 * (about 4.5 s here; rmmod sits in D state meanwhile).
 */
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/module.h>

#define PROBE_RETRY_S	5

static struct task_struct *prober;
static unsigned int probes;

/* Ask the device whether it is there: the corpus has none. */
static bool probe_device(void)
{
	probes++;
	return false;
}

static int prober_fn(void *unused)
{
	for (;;) {
		if (kthread_should_stop())
			break;
		if (!probe_device())
			pr_debug("no device yet, retrying in %d s\n",
				 PROBE_RETRY_S);
		ssleep(PROBE_RETRY_S);
	}
	return 0;
}

static int __init prober_init(void)
{
	prober = kthread_run(prober_fn, NULL, "cp-sl-ssleep");
	return PTR_ERR_OR_ZERO(prober);
}

static void __exit prober_exit(void)
{
	kthread_stop(prober);
	pr_info("%u probes\n", probes);
}

module_init(prober_init);
module_exit(prober_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("corpus: a retry loop whose ssleep() the stop waits out (bad)");

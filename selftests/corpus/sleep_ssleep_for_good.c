// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: the fixed twin of sleep_ssleep_for_bad.c. The retry delay is
 * msleep_interruptible(): since 6.1 kthread_stop() makes signal_pending()
 * true for the thread, which ends an interruptible sleep at once, and the
 * loop's next turn sees the stop.
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
		msleep_interruptible(PROBE_RETRY_S * MSEC_PER_SEC);
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
MODULE_DESCRIPTION("corpus: a retry loop whose interruptible sleep the stop ends (good)");

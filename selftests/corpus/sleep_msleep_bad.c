// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: the post's time.Sleep. A poller that sleeps its whole period
 * with msleep() and looks at the stop only after: kthread_stop() waits
 * the period out (5 s here; a real poller's may be minutes, and rmmod
 * sits in D state that long). Shape: while loop, kthread_run(), global.
 */
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/module.h>

static struct task_struct *poller;
static unsigned int period_ms = 5000;
static unsigned long polls;

static int poller_fn(void *unused)
{
	while (!kthread_should_stop()) {
		polls++;
		msleep(period_ms);
	}
	return 0;
}

static int __init sleep_init(void)
{
	poller = kthread_run(poller_fn, NULL, "cp-sleep-msleep");
	return PTR_ERR_OR_ZERO(poller);
}

static void __exit sleep_exit(void)
{
	kthread_stop(poller);
}

module_init(sleep_init);
module_exit(sleep_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("corpus: a poller whose msleep() the stop waits out (bad)");

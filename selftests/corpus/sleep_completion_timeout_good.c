// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: the fixed twin of sleep_completion_timeout_bad.c. The wait is
 * wait_for_completion_interruptible_timeout(): since 6.1 kthread_stop()
 * makes signal_pending() true for the thread, the wait returns
 * -ERESTARTSYS at once, and the loop's test sees the stop. A stopped
 * wait is not counted as a missed answer.
 */
#include <linux/completion.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/module.h>

#define HEARTBEAT_MS	5000

static DECLARE_COMPLETION(hb_answer);	/* completed by the fw's irq */
static struct task_struct *heartbeat;
static unsigned int beats, missed;

static int heartbeat_fn(void *unused)
{
	unsigned long period = msecs_to_jiffies(HEARTBEAT_MS);
	long left;

	while (!kthread_should_stop()) {
		reinit_completion(&hb_answer);
		beats++;	/* ring the doorbell */
		left = wait_for_completion_interruptible_timeout(&hb_answer, period);
		if (!left)
			missed++;
	}
	return 0;
}

static int __init heartbeat_init(void)
{
	heartbeat = kthread_run(heartbeat_fn, NULL, "cp-sl-compl");
	return PTR_ERR_OR_ZERO(heartbeat);
}

static void __exit heartbeat_exit(void)
{
	kthread_stop(heartbeat);
	pr_info("%u heartbeats, %u missed\n", beats, missed);
}

module_init(heartbeat_init);
module_exit(heartbeat_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("corpus: a heartbeat whose interruptible wait the stop ends (good)");

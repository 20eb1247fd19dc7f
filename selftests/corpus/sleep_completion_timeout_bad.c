// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: a timed wait on a completion the stop does not complete.
 * Shape: a firmware heartbeat, while (!kthread_should_stop()), that rings
 * the doorbell and waits for the firmware's answer with
 * wait_for_completion_timeout(), the timeout the heartbeat period (a
 * missed answer is counted); kthread_run(), global task, stop in module
 * exit.
 *
 * The bug: nobody completes the completion at stop. kthread_stop() wakes
 * the thread, the completion is not done, and the wait sleeps on until
 * its timeout: the stop waits out the period (5 s, about 4.5 s of it
 * here). The corpus has no firmware, so no answer ever comes.
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
	unsigned long left, period = msecs_to_jiffies(HEARTBEAT_MS);

	while (!kthread_should_stop()) {
		reinit_completion(&hb_answer);
		beats++;	/* ring the doorbell */
		left = wait_for_completion_timeout(&hb_answer, period);
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
MODULE_DESCRIPTION("corpus: a heartbeat whose answer the stop waits for (bad)");

// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: the fixed twin of createerr_struct_stored_bad.c. The stored
 * result is tested with IS_ERR(): on a failure the flag is cleared again
 * and init fails with the error, so exit never stops an error pointer.
 */
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/wait.h>

#define CONTROL_MS	100

static struct {
	struct task_struct *poll_task;
	wait_queue_head_t wq;
	bool running;
	unsigned int rounds;
} fan;

static int control_loop(void *unused)
{
	while (!kthread_should_stop()) {
		fan.rounds++;
		wait_event_idle_timeout(fan.wq, kthread_should_stop(),
					msecs_to_jiffies(CONTROL_MS));
	}
	return 0;
}

static int __init fan_init(void)
{
	init_waitqueue_head(&fan.wq);
	fan.running = true;
	fan.poll_task = kthread_run(control_loop, NULL, "cp-ce-stored");
	if (IS_ERR(fan.poll_task)) {
		fan.running = false;
		return PTR_ERR(fan.poll_task);
	}
	return 0;
}

static void __exit fan_exit(void)
{
	if (fan.running) {
		fan.running = false;
		kthread_stop(fan.poll_task);
		fan.poll_task = NULL;
	}
	pr_info("%u control rounds\n", fan.rounds);
}

module_init(fan_init);
module_exit(fan_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("corpus: a kthread_run() result stored and tested with IS_ERR() (good)");

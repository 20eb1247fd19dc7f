// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: a creation failure taken for a thread. Shape: the fan control
 * of drivers/macintosh/therm_windtunnel.c (and mcu_mpc8349emitx's
 * shutdown thread): kthread_run()'s result is stored in a field of the
 * driver's global state with a "running" flag set, and never tested;
 * exit stops the thread if the flag says it runs.
 *
 * The bug: no IS_ERR() anywhere. After a creation failure (-ENOMEM,
 * -EINTR when insmod is killed while kthreadd forks, -EAGAIN below
 * kernel.threads-max) init succeeds with an error pointer in the field,
 * and module exit's kthread_stop() dereferences it. A VM run does not
 * make the creation fail (that needs fault injection), and on its path
 * the module is correct.
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
MODULE_DESCRIPTION("corpus: a kthread_run() result stored and never tested (bad)");

// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: a sleep the stop does not always end. Shape: pciehp_poll() of
 * drivers/pci/hotplug/pciehp_hpc.c, a while (!kthread_should_stop())
 * poller that sleeps its period with a bare schedule_timeout_idle(), the
 * period a module parameter in seconds, clamped; kthread_run(), global
 * task, stop in module exit.
 *
 * The bug is narrower than the sleep's look: kthread_stop()'s
 * wake_up_process() wakes TASK_IDLE sleepers (TASK_IDLE includes
 * TASK_UNINTERRUPTIBLE, which TASK_NORMAL wakes), and a bare
 * schedule_timeout_idle() does not sleep again, so a stop that finds the
 * thread asleep ends the sleep at once. Only a stop that comes between the
 * loop's test and the sleep is missed (the thread is still running, the
 * wake-up does nothing): the thread then sleeps its whole period, and the
 * stop waits it out. A VM run does not hit that window.
 */
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>

static int poll_time = 3;
module_param(poll_time, int, 0644);
MODULE_PARM_DESC(poll_time, "slot polling period in seconds (1-3)");

static struct task_struct *slot_poller;
static unsigned int polls;

static int slot_poll_fn(void *unused)
{
	while (!kthread_should_stop()) {
		polls++;
		if (poll_time <= 0 || poll_time > 3)
			poll_time = 3;
		schedule_timeout_idle(poll_time * HZ);
	}
	return 0;
}

static int __init slot_poll_init(void)
{
	slot_poller = kthread_run(slot_poll_fn, NULL, "cp-sl-idlebare");
	return PTR_ERR_OR_ZERO(slot_poller);
}

static void __exit slot_poll_exit(void)
{
	kthread_stop(slot_poller);
	pr_info("%u polls\n", polls);
}

module_init(slot_poll_init);
module_exit(slot_poll_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("corpus: a bare idle sleep whose stop can come too early (bad)");

// SPDX-License-Identifier: GPL-2.0
/* mydrv: polls a (pretend) sensor from a kthread. */
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/sched.h>

static struct task_struct *poller;
static int samples;

static int read_sensor(void)
{
	return samples < 1000 ? samples : -EIO;
}

static int mydrv_poll(void *unused)
{
	while (!kthread_should_stop()) {
		int v = read_sensor();

		if (v < 0)
			return v;	/* the sensor is gone: give up */
		samples++;
		set_current_state(TASK_UNINTERRUPTIBLE);
		schedule();
	}
	return 0;
}

static int __init mydrv_init(void)
{
	poller = kthread_run(mydrv_poll, NULL, "mydrv-poll");
	if (!poller)
		return -ENOMEM;
	return 0;
}

static void __exit mydrv_exit(void)
{
	kthread_stop(poller);
}

module_init(mydrv_init);
module_exit(mydrv_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("a sensor poller with three kthread bugs");

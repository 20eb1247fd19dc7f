// SPDX-License-Identifier: GPL-2.0
/* mydrv: polls a (pretend) sensor from a kthread; fixed. */
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/sched/task.h>

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
			return v;	/* safe now: mydrv_exit() holds a reference */
		samples++;
		set_current_state(TASK_UNINTERRUPTIBLE);
		if (!kthread_should_stop())
			schedule();
		__set_current_state(TASK_RUNNING);
	}
	return 0;
}

static int __init mydrv_init(void)
{
	poller = kthread_create(mydrv_poll, NULL, "mydrv-poll");
	if (IS_ERR(poller))
		return PTR_ERR(poller);
	get_task_struct(poller);
	wake_up_process(poller);
	return 0;
}

static void __exit mydrv_exit(void)
{
	kthread_stop_put(poller);
}

module_init(mydrv_init);
module_exit(mydrv_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("a sensor poller, fixed");

// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: the fixed twin of unaware_completion_while_bad.c. The wait is
 * wait_for_completion_interruptible(): since 6.1 kthread_stop() makes
 * signal_pending() true for the thread, the wait returns -ERESTARTSYS at
 * once, and the thread leaves (a kthread gets no other signal). The
 * command left running is cancelled with the timer, as before.
 *
 * Not the other fix, a complete() before kthread_stop(): the thread could
 * take it, loop before the stop is set, start a command and wait again.
 */
#include <linux/completion.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/timer.h>

#define DEVICE_CMD_MS	4700

struct cmd_dev {
	struct task_struct *task;
	struct completion done;		/* the device finished a command */
	struct timer_list device;	/* the corpus's device */
	unsigned int cmds;
};

static struct cmd_dev *cmd_dev;

static void device_fn(struct timer_list *t)
{
	struct cmd_dev *d = container_of(t, typeof(*d), device);

	complete(&d->done);
}

static void cmd_start(struct cmd_dev *d)
{
	reinit_completion(&d->done);
	mod_timer(&d->device, jiffies + msecs_to_jiffies(DEVICE_CMD_MS));
}

static int cmd_fn(void *data)
{
	struct cmd_dev *d = data;

	while (!kthread_should_stop()) {
		cmd_start(d);
		if (wait_for_completion_interruptible(&d->done))
			break;
		d->cmds++;
	}
	return 0;
}

static int __init cmd_init(void)
{
	struct cmd_dev *d;

	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	init_completion(&d->done);
	timer_setup(&d->device, device_fn, 0);
	d->task = kthread_run(cmd_fn, d, "cp-un-cmd");
	if (IS_ERR(d->task)) {
		int err = PTR_ERR(d->task);

		kfree(d);
		return err;
	}
	cmd_dev = d;
	return 0;
}

static void __exit cmd_exit(void)
{
	kthread_stop(cmd_dev->task);
	timer_delete_sync(&cmd_dev->device);
	pr_info("%u commands\n", cmd_dev->cmds);
	kfree(cmd_dev);
}

module_init(cmd_init);
module_exit(cmd_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("corpus: a command wait the stop interrupts (good)");

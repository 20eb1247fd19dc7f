// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: an untimed wait whose condition lacks the stop. Shape: a
 * command consumer, for (;;), that sleeps in wait_event_idle() until the
 * device has queued a command (a kfifo), runs what is queued, then tests
 * the stop ("if (kthread_should_stop()) break;"); the device in a
 * kzalloc()ed struct, kthread_run(), the task in it, stop in module exit.
 *
 * The bug: kthread_stop() wakes the thread, the queue is empty, and
 * wait_event_idle() sleeps again: the stop waits for the device's next
 * command, which may never come. Here a timer stands in for the device
 * and queues one command 4.7 s after load, so the unload takes about 4 s.
 */
#include <linux/jiffies.h>
#include <linux/kfifo.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/timer.h>
#include <linux/wait.h>

#define DEVICE_CMD_MS	4700

struct cmd_dev {
	struct task_struct *task;
	wait_queue_head_t wq;
	spinlock_t lock;		/* serialises the fifo's writers */
	DECLARE_KFIFO(cmds, u32, 16);
	struct timer_list device;	/* the corpus's device */
	unsigned int done;
};

static struct cmd_dev *cmd_dev;

static void device_fn(struct timer_list *t)
{
	struct cmd_dev *d = container_of(t, typeof(*d), device);
	u32 cmd = 1;

	kfifo_in_spinlocked(&d->cmds, &cmd, 1, &d->lock);
	wake_up(&d->wq);
}

static int cmd_fn(void *data)
{
	struct cmd_dev *d = data;
	u32 cmd;

	for (;;) {
		wait_event_idle(d->wq, !kfifo_is_empty(&d->cmds));
		while (kfifo_out(&d->cmds, &cmd, 1))
			d->done++;
		if (kthread_should_stop())
			break;
	}
	return 0;
}

static int __init cmd_init(void)
{
	struct cmd_dev *d;

	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	init_waitqueue_head(&d->wq);
	spin_lock_init(&d->lock);
	INIT_KFIFO(d->cmds);
	timer_setup(&d->device, device_fn, 0);
	d->task = kthread_run(cmd_fn, d, "cp-un-idle");
	if (IS_ERR(d->task)) {
		int err = PTR_ERR(d->task);

		kfree(d);
		return err;
	}
	mod_timer(&d->device, jiffies + msecs_to_jiffies(DEVICE_CMD_MS));
	cmd_dev = d;
	return 0;
}

static void __exit cmd_exit(void)
{
	kthread_stop(cmd_dev->task);
	timer_delete_sync(&cmd_dev->device);
	pr_info("%u commands done\n", cmd_dev->done);
	kfree(cmd_dev);
}

module_init(cmd_init);
module_exit(cmd_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("corpus: a command consumer whose wait_event_idle() the stop cannot end (bad)");

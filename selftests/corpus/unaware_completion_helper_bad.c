// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: a completion the stop does not complete. Shape: a firmware
 * poller whose thread first calls a helper that sleeps in
 * wait_for_completion() until the firmware's "ready" interrupt, then
 * polls in a while (!kthread_should_stop()) loop with a stop-aware timed
 * wait; the device in a kzalloc()ed struct, kthread_run(), the task in
 * it, stop in module exit.
 *
 * The bug: the module is unloaded before the firmware is up.
 * kthread_stop() wakes the thread, the completion is not done, and
 * wait_for_completion() sleeps again: the stop waits for the firmware,
 * which on a dead device never comes. Here a timer stands in for the
 * firmware and is ready 4.7 s after load: the unload takes about 4 s.
 */
#include <linux/completion.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/timer.h>
#include <linux/wait.h>

#define FIRMWARE_READY_MS	4700
#define FIRMWARE_POLL_MS	100

struct fw_dev {
	struct task_struct *task;
	struct completion ready;	/* the firmware is up */
	wait_queue_head_t wq;
	struct timer_list firmware;	/* the corpus's firmware */
	unsigned int polls;
};

static struct fw_dev *fw_dev;

static void firmware_fn(struct timer_list *t)
{
	struct fw_dev *d = container_of(t, typeof(*d), firmware);

	complete_all(&d->ready);
}

/* Nothing can be asked of the firmware before it says it is ready. */
static void fw_wait_ready(struct fw_dev *d)
{
	wait_for_completion(&d->ready);
}

static int fw_poll_fn(void *data)
{
	struct fw_dev *d = data;

	fw_wait_ready(d);
	while (!kthread_should_stop()) {
		d->polls++;
		wait_event_idle_timeout(d->wq, kthread_should_stop(),
					msecs_to_jiffies(FIRMWARE_POLL_MS));
	}
	return 0;
}

static int __init fw_init(void)
{
	struct fw_dev *d;

	d = kzalloc(sizeof(*d), GFP_KERNEL);
	if (!d)
		return -ENOMEM;
	init_completion(&d->ready);
	init_waitqueue_head(&d->wq);
	timer_setup(&d->firmware, firmware_fn, 0);
	d->task = kthread_run(fw_poll_fn, d, "cp-un-ready");
	if (IS_ERR(d->task)) {
		int err = PTR_ERR(d->task);

		kfree(d);
		return err;
	}
	mod_timer(&d->firmware, jiffies + msecs_to_jiffies(FIRMWARE_READY_MS));
	fw_dev = d;
	return 0;
}

static void __exit fw_exit(void)
{
	kthread_stop(fw_dev->task);
	timer_delete_sync(&fw_dev->firmware);
	pr_info("%u firmware polls\n", fw_dev->polls);
	kfree(fw_dev);
}

module_init(fw_init);
module_exit(fw_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("corpus: a wait for firmware the stop cannot end (bad)");

// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: a thread that may return on its own, stopped with a bare
 * kthread_stop(). Shape: dpaa2-eth's link-state poller
 * (dpaa2_eth_poll_link_state()): a while (!kthread_should_stop()) loop
 * that returns the error of a failed firmware command from its body, and
 * sleeps the period with msleep_interruptible(); kthread_run(), the task
 * in a field of the driver's private struct, the stop in module exit
 * (the driver's remove).
 *
 * The bug: the third link-state command fails (the firmware stops
 * answering), about 100 ms after load; the poller returns the error, and
 * its task_struct is freed a grace period later; exit's kthread_stop()
 * touches freed memory (KASAN on the debug kernel). Nothing holds a
 * reference: kthread_run() woke the thread before anyone could take one.
 */
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/slab.h>

#define LINK_POLL_MS	50

struct link_priv {
	struct task_struct *poll_thread;
	unsigned int nr_cmds;
	bool link_up;
};

static struct link_priv *link_dev;

/* The firmware's link-state command: the third one times out. */
static int link_state_cmd(struct link_priv *priv, bool *up)
{
	if (++priv->nr_cmds == 3)
		return -ETIMEDOUT;
	*up = true;
	return 0;
}

static int link_state_update(struct link_priv *priv)
{
	bool up;
	int err;

	err = link_state_cmd(priv, &up);
	if (err)
		return err;
	priv->link_up = up;
	return 0;
}

static int poll_link_state(void *arg)
{
	struct link_priv *priv = arg;
	int err;

	while (!kthread_should_stop()) {
		err = link_state_update(priv);
		if (unlikely(err))
			return err;

		msleep_interruptible(LINK_POLL_MS);
	}

	return 0;
}

static int __init link_init(void)
{
	int err;

	link_dev = kzalloc(sizeof(*link_dev), GFP_KERNEL);
	if (!link_dev)
		return -ENOMEM;

	link_dev->poll_thread = kthread_run(poll_link_state, link_dev,
					    "cp-nr-linkpoll");
	if (IS_ERR(link_dev->poll_thread)) {
		err = PTR_ERR(link_dev->poll_thread);
		kfree(link_dev);
		return err;
	}
	return 0;
}

static void __exit link_exit(void)
{
	kthread_stop(link_dev->poll_thread);
	kfree(link_dev);
}

module_init(link_init);
module_exit(link_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("corpus: a link poller that returns on an error, stopped without a reference (bad)");

// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: the fixed twin of noref_while_return_bad.c. The poller is
 * created with kthread_create(), a reference is taken before
 * wake_up_process() lets it run, and exit drops it after the stop
 * (kthread_stop() + put_task_struct(), which is kthread_stop_put() from
 * 6.7 on): when the third firmware command fails and the poller returns,
 * its task_struct stays until exit has collected the result.
 */
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/sched/task.h>
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

	link_dev->poll_thread = kthread_create(poll_link_state, link_dev,
					       "cp-nr-linkpoll");
	if (IS_ERR(link_dev->poll_thread)) {
		err = PTR_ERR(link_dev->poll_thread);
		kfree(link_dev);
		return err;
	}
	get_task_struct(link_dev->poll_thread);
	wake_up_process(link_dev->poll_thread);
	return 0;
}

static void __exit link_exit(void)
{
	kthread_stop(link_dev->poll_thread);
	put_task_struct(link_dev->poll_thread);
	kfree(link_dev);
}

module_init(link_init);
module_exit(link_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("corpus: a link poller that returns on an error, stopped through its reference (good)");

// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: a task reference never put. Shape: a receive poller started by
 * a start function with kthread_create_on_node(), a reference taken
 * before wake_up_process() (right: the poller returns when the link
 * drops), the task in a field of the port's struct; the stop function,
 * called from module exit, reaps it with a bare kthread_stop() and
 * clears the field.
 *
 * The bug: kthread_stop() drops only the reference it takes itself, and
 * the start function's is never put: the poller's task_struct outlives
 * it, one per start, until reboot (ktleak counts it, on both kernels).
 */
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/numa.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>

#define RX_POLL_MS	50

struct rx_port {
	struct task_struct *rx_thread;
	int node;
	bool link_up;
	unsigned long polls;
};

static struct rx_port *port;

static int rx_poll_thread(void *data)
{
	struct rx_port *p = data;

	while (!kthread_should_stop()) {
		if (!READ_ONCE(p->link_up))
			return -ENOLINK;
		p->polls++;
		schedule_timeout_interruptible(msecs_to_jiffies(RX_POLL_MS));
	}
	return 0;
}

static int rx_start(struct rx_port *p)
{
	struct task_struct *t;

	t = kthread_create_on_node(rx_poll_thread, p, p->node, "cp-np-rxpoll");
	if (IS_ERR(t))
		return PTR_ERR(t);
	get_task_struct(t);
	p->rx_thread = t;
	wake_up_process(t);
	return 0;
}

static void rx_stop(struct rx_port *p)
{
	if (!p->rx_thread)
		return;
	kthread_stop(p->rx_thread);
	p->rx_thread = NULL;
}

static int __init rx_init(void)
{
	int err;

	port = kzalloc(sizeof(*port), GFP_KERNEL);
	if (!port)
		return -ENOMEM;
	port->node = NUMA_NO_NODE;
	port->link_up = true;
	err = rx_start(port);
	if (err)
		kfree(port);
	return err;
}

static void __exit rx_exit(void)
{
	rx_stop(port);
	kfree(port);
}

module_init(rx_init);
module_exit(rx_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("corpus: a receive poller whose task reference the stop function never puts (bad)");

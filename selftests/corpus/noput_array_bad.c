// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: task references never put. Shape: one worker thread per port,
 * in an array of port structs, each created with kthread_create() and
 * referenced before wake_up_process() (right: a worker returns when its
 * port goes away), set up in a loop; module exit reaps them in a loop
 * with a bare kthread_stop().
 *
 * The bug: kthread_stop() drops only the reference it takes itself, and
 * init's are never put: every worker's task_struct outlives it, one per
 * port and load, until reboot (ktleak counts them, on both kernels).
 */
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/sched/task.h>

#define NR_PORTS	2
#define PORT_POLL_MS	50

struct port {
	struct task_struct *worker;
	unsigned int id;
	bool present;
	unsigned long polls;
};

static struct port ports[NR_PORTS];

static int port_worker(void *data)
{
	struct port *p = data;

	while (!kthread_should_stop()) {
		if (!READ_ONCE(p->present))
			return -ENODEV;
		p->polls++;
		msleep_interruptible(PORT_POLL_MS);
	}
	return 0;
}

static void ports_stop(unsigned int n)
{
	while (n--)
		kthread_stop(ports[n].worker);
}

static int __init ports_init(void)
{
	struct port *p;
	unsigned int i;
	int err;

	for (i = 0; i < NR_PORTS; i++) {
		p = &ports[i];
		p->id = i;
		p->present = true;
		p->worker = kthread_create(port_worker, p, "cp-np-port%u", i);
		if (IS_ERR(p->worker)) {
			err = PTR_ERR(p->worker);
			ports_stop(i);
			return err;
		}
		get_task_struct(p->worker);
		wake_up_process(p->worker);
	}
	return 0;
}

static void __exit ports_exit(void)
{
	ports_stop(NR_PORTS);
}

module_init(ports_init);
module_exit(ports_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("corpus: per-port workers whose task references are never put (bad)");

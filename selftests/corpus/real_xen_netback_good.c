// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: the fixed twin of real_xen_netback_bad.c, with the fix of
 * 107866a8eb0b ("xen-netback: take a reference to the RX task thread",
 * CVE-2021-28691 / XSA-374) in this module's own code: each receive
 * thread's task is referenced between kthread_create() and
 * wake_up_process(), before the thread can run, and the disconnect drops
 * it after kthread_stop() (kthread_stop_put() from 6.7 on). Queue 0's
 * thread still returns when the frontend's malformed packet disables the
 * interface; its task_struct now outlives it, and the stop only collects
 * its result.
 */
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#define NB_NR_QUEUES	2

struct nb_vif;

struct nb_queue {
	struct nb_vif *vif;
	unsigned int id;
	struct task_struct *rx_task;
	wait_queue_head_t rx_wq;
	unsigned long rx_packets;
};

struct nb_vif {
	struct nb_queue queues[NB_NR_QUEUES];
	bool disabled;
	bool carrier;
	struct delayed_work frontend;
};

static struct nb_vif *vif;

/* Guest-to-host traffic is checked here: a malformed packet is fatal. */
static void nb_fatal_tx_err(struct nb_vif *v)
{
	pr_warn("cp-netback: malformed packet from the frontend, disabling\n");
	WRITE_ONCE(v->disabled, true);
	wake_up(&v->queues[0].rx_wq);
}

/* The rogue frontend: its first packet is malformed. */
static void nb_frontend_fn(struct work_struct *work)
{
	struct nb_vif *v = container_of(to_delayed_work(work), struct nb_vif,
					frontend);

	nb_fatal_tx_err(v);
}

/* Queue 0's thread owns the carrier: a disabled interface ends it. */
static bool nb_rx_carrier_lost(struct nb_queue *queue)
{
	return queue->id == 0 && READ_ONCE(queue->vif->disabled);
}

static int nb_rx_thread(void *data)
{
	struct nb_queue *queue = data;

	while (!kthread_should_stop()) {
		wait_event_idle_timeout(queue->rx_wq,
					nb_rx_carrier_lost(queue) ||
					kthread_should_stop(),
					msecs_to_jiffies(20));
		if (nb_rx_carrier_lost(queue)) {
			WRITE_ONCE(queue->vif->carrier, false);
			break;
		}
		queue->rx_packets++;
	}
	return 0;
}

static void nb_disconnect(struct nb_vif *v, unsigned int nr)
{
	unsigned int i;

	for (i = 0; i < nr; i++) {
		kthread_stop(v->queues[i].rx_task);
		put_task_struct(v->queues[i].rx_task);
	}
}

/* One queue's share of the connect: its receive thread. */
static int nb_connect_queue(struct nb_vif *v, unsigned int id)
{
	struct nb_queue *queue = &v->queues[id];
	struct task_struct *task;

	queue->vif = v;
	queue->id = id;
	init_waitqueue_head(&queue->rx_wq);
	task = kthread_create(nb_rx_thread, queue, "cp-netback-%u", id);
	if (IS_ERR(task))
		return PTR_ERR(task);
	/* Queue 0's thread may return on its own: keep its task. */
	get_task_struct(task);
	queue->rx_task = task;
	wake_up_process(task);
	return 0;
}

static int __init nb_init(void)
{
	unsigned int i;
	int err;

	vif = kzalloc(sizeof(*vif), GFP_KERNEL);
	if (!vif)
		return -ENOMEM;
	INIT_DELAYED_WORK(&vif->frontend, nb_frontend_fn);
	vif->carrier = true;

	for (i = 0; i < NB_NR_QUEUES; i++) {
		err = nb_connect_queue(vif, i);
		if (err) {
			nb_disconnect(vif, i);
			kfree(vif);
			return err;
		}
	}

	schedule_delayed_work(&vif->frontend, msecs_to_jiffies(100));
	return 0;
}

static void __exit nb_exit(void)
{
	cancel_delayed_work_sync(&vif->frontend);
	nb_disconnect(vif, NB_NR_QUEUES);
	kfree(vif);
}

module_init(nb_init);
module_exit(nb_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("corpus: CVE-2021-28691, xen-netback's rx thread stopped through its reference (good)");

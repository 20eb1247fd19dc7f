// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus, a real incident: CVE-2021-28691 (XSA-374), Linux xen-netback.
 * A malicious or buggy PV frontend sends a malformed packet; netback
 * disables the interface, and the receive thread of queue 0 sees that,
 * takes the carrier down and returns. When the backend is destroyed,
 * the disconnect calls kthread_stop() on every queue's receive thread,
 * queue 0's already freed: a use-after-free the guest triggers. Fixed by
 * 107866a8eb0b ("xen-netback: take a reference to the RX task thread",
 * CVE-2021-47111), which restored the reference that the rework
 * 2ac061ce97f4 had dropped.
 *
 * This module: a backend with two queues, each with its receive thread
 * (kthread_create() + wake_up_process(), the task in the queue's struct,
 * no reference). The rogue frontend is a delayed work that sends its
 * malformed packet 100 ms after insmod: the fatal-error path disables the
 * interface and wakes queue 0's thread, which leaves its loop and
 * returns. Module exit is the backend's disconnect: kthread_stop() on
 * each queue's task, queue 0's freed 400 ms before (KASAN on the debug
 * kernel).
 */
#include <linux/kthread.h>
#include <linux/module.h>
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

	for (i = 0; i < nr; i++)
		kthread_stop(v->queues[i].rx_task);
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
MODULE_DESCRIPTION("corpus: CVE-2021-28691, xen-netback's exited rx thread stopped (bad)");

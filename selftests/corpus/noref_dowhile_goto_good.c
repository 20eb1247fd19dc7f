// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: the fixed twin of noref_dowhile_goto_bad.c. A reference is
 * taken on the local between kthread_create_on_node() and
 * wake_up_process(), before the service thread can run, and exit drops it
 * through the struct's copy after the stop (kthread_stop() +
 * put_task_struct(), which is kthread_stop_put() from 6.7 on): when the
 * thread leaves on the fatal status, its task_struct stays until exit has
 * collected the result.
 */
#include <linux/bitops.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#define SVC_IRQ_MS	50
#define SVC_WORK_BIT	0

struct svc_dd {
	struct task_struct *svc_thread;
	wait_queue_head_t svc_wait;
	unsigned long flags;
	struct delayed_work irq_work;	/* stands for the device's interrupt */
	int numa_node;
	int index;
	unsigned int nr_events;
};

static struct svc_dd *svc_dev;

/* The device's interrupt: flags work for the service thread. */
static void svc_irq(struct work_struct *work)
{
	struct svc_dd *dd = container_of(to_delayed_work(work), struct svc_dd,
					 irq_work);

	set_bit(SVC_WORK_BIT, &dd->flags);
	wake_up_interruptible(&dd->svc_wait);
	schedule_delayed_work(&dd->irq_work, msecs_to_jiffies(SVC_IRQ_MS));
}

/* Service one event: the third finds the device in a fatal state. */
static int svc_handle_event(struct svc_dd *dd)
{
	if (++dd->nr_events == 3)
		return -EIO;
	return 0;
}

static int svc_thread(void *data)
{
	struct svc_dd *dd = data;
	int err = 0;

	do {
		wait_event_interruptible(dd->svc_wait,
					 kthread_should_stop() ||
					 test_bit(SVC_WORK_BIT, &dd->flags));
		if (kthread_should_stop())
			goto out;
		clear_bit(SVC_WORK_BIT, &dd->flags);
		err = svc_handle_event(dd);
		if (err) {
			pr_err("cp-noref: fatal device status %d, service thread exits\n",
			       err);
			goto out;
		}
	} while (!kthread_should_stop());
out:
	return err;
}

static int __init svc_init(void)
{
	struct task_struct *t;

	svc_dev = kzalloc(sizeof(*svc_dev), GFP_KERNEL);
	if (!svc_dev)
		return -ENOMEM;
	init_waitqueue_head(&svc_dev->svc_wait);
	INIT_DELAYED_WORK(&svc_dev->irq_work, svc_irq);
	svc_dev->numa_node = NUMA_NO_NODE;

	t = kthread_create_on_node(svc_thread, svc_dev, svc_dev->numa_node,
				   "cp-nr-svc%02d", svc_dev->index);
	if (IS_ERR(t)) {
		kfree(svc_dev);
		return PTR_ERR(t);
	}
	get_task_struct(t);
	wake_up_process(t);

	/* Unmask the interrupt, then publish the service thread. */
	schedule_delayed_work(&svc_dev->irq_work, msecs_to_jiffies(SVC_IRQ_MS));
	svc_dev->svc_thread = t;
	return 0;
}

static void __exit svc_exit(void)
{
	cancel_delayed_work_sync(&svc_dev->irq_work);
	kthread_stop(svc_dev->svc_thread);
	put_task_struct(svc_dev->svc_thread);
	kfree(svc_dev);
}

module_init(svc_init);
module_exit(svc_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("corpus: a service thread that leaves by goto on a fatal status, stopped through its reference (good)");

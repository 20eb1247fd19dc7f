// SPDX-License-Identifier: GPL-2.0
/*
 * Fixture for kthread_stop_no_ref.cocci: threads that can return before
 * they are asked to stop, each reaped with a bare kthread_stop(). Every
 * line marked "expect:" must be reported, and nothing else.
 */
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/wait.h>

struct demo_dev {
	struct task_struct *poll_task;
	struct task_struct *rx_task;
	struct task_struct *bench_task;
	struct task_struct *heartbeat;
	struct task_struct *capture;
	wait_queue_head_t rx_wq;
	bool rx_pending;
	bool disabled;
	bool shutdown;
	void *buf;
};

int demo_read_fifo(struct demo_dev *dev);
int demo_reset(struct demo_dev *dev);
int demo_map(struct demo_dev *dev);
void demo_unmap(struct demo_dev *dev);
void demo_write_heartbeat(struct demo_dev *dev);
int demo_sample(struct demo_dev *dev);

/* A poll loop that gives up on errors: cxd2880-spi's shape. */
static int demo_poll_thread(void *arg)
{
	struct demo_dev *dev = arg;
	int ret;

	if (!dev)
		return -EINVAL; /* expect: kthread_stop_no_ref */
	ret = demo_reset(dev);
	if (ret)
		return ret; /* expect: kthread_stop_no_ref */
	while (!kthread_should_stop()) {
		ret = demo_read_fifo(dev);
		if (ret < 0)
			return ret; /* expect: kthread_stop_no_ref */
		usleep_range(10000, 11000);
	}
	return 0;
}

/* The rogue-frontend bailout of xen-netback (CVE-2021-28691). */
static int demo_rx_thread(void *arg)
{
	struct demo_dev *dev = arg;

	for (;;) {
		wait_event_interruptible(dev->rx_wq, READ_ONCE(dev->rx_pending) ||
						     kthread_should_stop());
		if (kthread_should_stop())
			break;
		if (READ_ONCE(dev->disabled)) {
			pr_warn("demo: rx disabled\n");
			break;
		}
		WRITE_ONCE(dev->rx_pending, false);
		demo_read_fifo(dev);
	}
	return 0; /* expect: kthread_stop_no_ref */
}

/* Error exits by goto from the loop: map_benchmark's shape. */
static int demo_bench_thread(void *arg)
{
	struct demo_dev *dev = arg;
	int ret = 0;

	while (!kthread_should_stop()) {
		if (demo_map(dev)) {
			ret = -ENOMEM;
			goto out;
		}
		demo_unmap(dev);
		cond_resched();
	}
out:
	return ret; /* expect: kthread_stop_no_ref */
}

/* A loop that also ends on its own condition: ext4 kmmpd's shape. */
static int demo_heartbeat_thread(void *arg)
{
	struct demo_dev *dev = arg;

	while (!kthread_should_stop() && !READ_ONCE(dev->shutdown)) {
		demo_write_heartbeat(dev);
		msleep_interruptible(5000);
	}
	kfree(dev->buf);
	return 0; /* expect: kthread_stop_no_ref */
}

/* The test comes first in the loop; a failure later leaves anyway. */
static int demo_capture_thread(void *arg)
{
	struct demo_dev *dev = arg;
	int ret;

	do {
		ret = demo_sample(dev);
		if (ret < 0)
			return ret; /* expect: kthread_stop_no_ref */
		usleep_range(1000, 2000);
	} while (!kthread_should_stop());
	return 0;
}

static int demo_capture2_thread(void *arg)
{
	struct demo_dev *dev = arg;
	int ret;

	for (;;) {
		if (kthread_should_stop())
			break;
		ret = demo_sample(dev);
		if (ret < 0)
			kthread_exit(ret); /* expect: kthread_stop_no_ref */
		usleep_range(1000, 2000);
	}
	return 0;
}

int demo_start(struct demo_dev *dev)
{
	struct task_struct *task;

	dev->poll_task = kthread_run(demo_poll_thread, dev, "demo-poll");
	if (IS_ERR(dev->poll_task))
		return PTR_ERR(dev->poll_task);
	dev->rx_task = kthread_run(demo_rx_thread, dev, "demo-rx");
	if (IS_ERR(dev->rx_task))
		return PTR_ERR(dev->rx_task);
	dev->bench_task = kthread_create(demo_bench_thread, dev, "demo-bench");
	if (IS_ERR(dev->bench_task))
		return PTR_ERR(dev->bench_task);
	wake_up_process(dev->bench_task);
	dev->heartbeat = kthread_run(demo_heartbeat_thread, dev, "demo-hb");
	if (IS_ERR(dev->heartbeat))
		return PTR_ERR(dev->heartbeat);
	/* ina2xx's shape: a local, then a field. */
	task = kthread_run(dev->buf ? demo_capture_thread :
				      demo_capture2_thread, dev, "demo-cap");
	if (IS_ERR(task))
		return PTR_ERR(task);
	dev->capture = task;
	return 0;
}

void demo_stop(struct demo_dev *d)
{
	kthread_stop(d->poll_task);
	kthread_stop(d->rx_task);
	kthread_stop(d->bench_task);
	kthread_stop(d->heartbeat);
	if (d->capture) {
		kthread_stop(d->capture);
		d->capture = NULL;
	}
}

/* preemptirq_delay_test's shape: one function creates and stops. */
static int demo_once_thread(void *data)
{
	struct completion *done = data;
	void *mask;

	mask = kzalloc(64, GFP_KERNEL);
	if (!mask)
		return -ENOMEM; /* expect: kthread_stop_no_ref */
	complete(done);
	while (!kthread_should_stop())
		schedule_timeout_interruptible(HZ);
	kfree(mask);
	return 0;
}

/* A source that goes away ends the loop: the hwrng core's old shape. */
struct demo_rng;
struct demo_rng *demo_get_rng(void);
void demo_fill(struct demo_rng *rng);

static struct task_struct *demo_fill_task;

static int demo_fill_thread(void *unused)
{
	while (!kthread_should_stop()) {
		struct demo_rng *rng = demo_get_rng();

		if (!rng)
			break;
		demo_fill(rng);
	}
	return 0; /* expect: kthread_stop_no_ref */
}

int demo_fill_start(void)
{
	demo_fill_task = kthread_run(demo_fill_thread, NULL, "demo-fill");
	return PTR_ERR_OR_ZERO(demo_fill_task);
}

void demo_fill_stop(void)
{
	kthread_stop(demo_fill_task);
}

/*
 * A stop flag of its own, tested beside kthread_should_stop(), and a
 * removal flag: either lets the thread leave before kthread_stop() comes
 * (mtip32xx's shape).
 */
struct demo_svc {
	struct task_struct *task;
	wait_queue_head_t wq;
	unsigned long flags;
	bool removing;
	bool dead;
	bool gone;
};

#define DEMO_SVC_STOP 0

static int demo_svc_thread(void *arg)
{
	struct demo_svc *svc = arg;

	while (1) {
		if (kthread_should_stop() || test_bit(DEMO_SVC_STOP, &svc->flags))
			goto out;
		wait_event_interruptible(svc->wq, svc->flags);
		if (READ_ONCE(svc->removing))
			goto out;
		cond_resched();
	}
out:
	return 0; /* expect: kthread_stop_no_ref */
}

/* A longer condition: ocfs2 o2hb_thread's shape. */
static int demo_hb2_thread(void *arg)
{
	struct demo_svc *svc = arg;

	while (!kthread_should_stop() && !READ_ONCE(svc->dead) &&
	       !READ_ONCE(svc->gone))
		msleep_interruptible(1000);
	return 0; /* expect: kthread_stop_no_ref */
}

void demo_svc_stop(struct demo_svc *svc, struct task_struct *hb)
{
	set_bit(DEMO_SVC_STOP, &svc->flags);
	wake_up(&svc->wq);
	kthread_stop(svc->task);
	kthread_stop(hb);
}

int demo_svc_start(struct demo_svc *svc)
{
	svc->task = kthread_run(demo_svc_thread, svc, "demo-svc");
	if (IS_ERR(svc->task))
		return PTR_ERR(svc->task);
	svc->task = kthread_run(demo_hb2_thread, svc, "demo-hb2");
	return PTR_ERR_OR_ZERO(svc->task);
}

int demo_run_once(void)
{
	DECLARE_COMPLETION_ONSTACK(done);
	struct task_struct *t;

	t = kthread_run(demo_once_thread, &done, "demo-once");
	if (IS_ERR(t))
		return PTR_ERR(t);
	wait_for_completion(&done);
	return kthread_stop(t);
}

/*
 * The good fixture's audit shapes, each with the stop gone from what
 * decides: a -ERESTARTSYS compared where no signal makes it, an "error"
 * that a helper returns on its own (-EIO, not only past the stop loop),
 * and a last wait that a kick ends as well as the stop.
 */
struct demo_napi {
	struct task_struct *task;
	wait_queue_head_t wq;
	bool kicked;
	bool broken;
};

int demo_napi_poll(struct demo_napi *n);

static int demo_napi_wait(struct demo_napi *n)
{
	while (!kthread_should_stop()) {
		if (READ_ONCE(n->broken))
			return -EIO;
		if (READ_ONCE(n->kicked))
			return 0;
		schedule_timeout_interruptible(HZ);
	}
	return -1;
}

static int demo_napi_thread(void *arg)
{
	struct demo_napi *n = arg;
	long err;

	while (!demo_napi_wait(n)) {
		err = demo_napi_poll(n);
		if (err == -EIO)
			return err; /* expect: kthread_stop_no_ref */
	}
	wait_event_interruptible(n->wq, READ_ONCE(n->kicked) ||
				 kthread_should_stop());
	return 0; /* expect: kthread_stop_no_ref */
}

int demo_napi_start(struct demo_napi *n)
{
	n->task = kthread_run(demo_napi_thread, n, "demo-napi");
	return PTR_ERR_OR_ZERO(n->task);
}

void demo_napi_stop(struct demo_napi *n)
{
	kthread_stop(n->task);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Fixture for kthread_stop_no_ref.cocci: kthread_stop_no_ref.bad.c fixed.
 * Nothing here may be reported. Two fixes are shown: a task reference
 * held from creation and dropped by kthread_stop_put(), and a thread that
 * waits for kthread_should_stop() before it returns (ext4 kmmpd's and
 * hwrng's fix). The last threads need neither: they return only once
 * asked to stop.
 */
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/wait.h>

struct demo_dev {
	struct task_struct *poll_task;
	struct task_struct *rx_task;
	struct task_struct *bench_task;
	struct task_struct *heartbeat;
	struct task_struct *capture;
	struct task_struct *idle_task;
	struct task_struct *kick_task;
	struct task_struct *idle2_task;
	wait_queue_head_t rx_wq;
	wait_queue_head_t kick_wq;
	bool rx_pending;
	bool kicked;
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

/* Reaped with kthread_stop_put(): returning early is safe. */
static int demo_poll_thread(void *arg)
{
	struct demo_dev *dev = arg;
	int ret;

	if (!dev)
		return -EINVAL;
	ret = demo_reset(dev);
	if (ret)
		return ret;
	while (!kthread_should_stop()) {
		ret = demo_read_fifo(dev);
		if (ret < 0)
			return ret;
		usleep_range(10000, 11000);
	}
	return 0;
}

/* Reaped with kthread_stop_put() too. */
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
	return 0;
}

/* Sleep until kthread_stop(): the thread then never returns first. */
static void demo_wait_for_stop(void)
{
	while (!kthread_should_stop()) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (!kthread_should_stop())
			schedule();
	}
	__set_current_state(TASK_RUNNING);
}

/* Its error path waits for the stop: the goto lands before the wait. */
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
	while (!kthread_should_stop()) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (!kthread_should_stop())
			schedule();
	}
	__set_current_state(TASK_RUNNING);
	return ret;
}

/* Its own condition ends the work, not the thread. */
static int demo_heartbeat_thread(void *arg)
{
	struct demo_dev *dev = arg;

	while (!kthread_should_stop() && !READ_ONCE(dev->shutdown)) {
		demo_write_heartbeat(dev);
		msleep_interruptible(5000);
	}
	kfree(dev->buf);
	demo_wait_for_stop();
	return 0;
}

static int demo_capture_thread(void *arg)
{
	struct demo_dev *dev = arg;
	int ret;

	do {
		ret = demo_sample(dev);
		if (ret < 0)
			return ret;
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
			kthread_exit(ret);
		usleep_range(1000, 2000);
	}
	return 0;
}

/* Leaves only when asked to: no reference needed. */
static int demo_idle_thread(void *arg)
{
	while (!kthread_should_stop())
		msleep_interruptible(1000);
	return 0;
}

static bool demo_kick_ready(struct demo_dev *dev)
{
	return READ_ONCE(dev->kicked) || kthread_should_stop();
}

/* A helper tests for the stop; every exit is behind it. */
static int demo_kick_thread(void *arg)
{
	struct demo_dev *dev = arg;

	for (;;) {
		wait_event_idle(dev->kick_wq, demo_kick_ready(dev));
		if (kthread_should_stop())
			return 0;
		WRITE_ONCE(dev->kicked, false);
		demo_reset(dev);
	}
}

/* The loop lives in a function of its own. */
static int demo_idle_loop(struct demo_dev *dev)
{
	while (!kthread_should_stop())
		msleep_interruptible(1000);
	return 0;
}

static int demo_idle2_thread(void *arg)
{
	return demo_idle_loop(arg);
}

int demo_start(struct demo_dev *dev)
{
	struct task_struct *task;

	dev->poll_task = kthread_create(demo_poll_thread, dev, "demo-poll");
	if (IS_ERR(dev->poll_task))
		return PTR_ERR(dev->poll_task);
	get_task_struct(dev->poll_task);
	wake_up_process(dev->poll_task);
	task = kthread_create(demo_rx_thread, dev, "demo-rx");
	if (IS_ERR(task))
		return PTR_ERR(task);
	dev->rx_task = get_task_struct(task);
	wake_up_process(task);
	dev->bench_task = kthread_run(demo_bench_thread, dev, "demo-bench");
	if (IS_ERR(dev->bench_task))
		return PTR_ERR(dev->bench_task);
	dev->heartbeat = kthread_run(demo_heartbeat_thread, dev, "demo-hb");
	if (IS_ERR(dev->heartbeat))
		return PTR_ERR(dev->heartbeat);
	task = kthread_create(dev->buf ? demo_capture_thread :
					 demo_capture2_thread, dev, "demo-cap");
	if (IS_ERR(task))
		return PTR_ERR(task);
	get_task_struct(task);
	dev->capture = task;
	wake_up_process(task);
	dev->idle_task = kthread_run(demo_idle_thread, dev, "demo-idle");
	if (IS_ERR(dev->idle_task))
		return PTR_ERR(dev->idle_task);
	dev->kick_task = kthread_run(demo_kick_thread, dev, "demo-kick");
	if (IS_ERR(dev->kick_task))
		return PTR_ERR(dev->kick_task);
	dev->idle2_task = kthread_run(demo_idle2_thread, dev, "demo-idle2");
	if (IS_ERR(dev->idle2_task))
		return PTR_ERR(dev->idle2_task);
	return 0;
}

void demo_stop(struct demo_dev *d)
{
	kthread_stop_put(d->poll_task);
	kthread_stop_put(d->rx_task);
	kthread_stop(d->bench_task);
	kthread_stop(d->heartbeat);
	kthread_stop(d->idle_task);
	kthread_stop(d->kick_task);
	kthread_stop(d->idle2_task);
	if (d->capture) {
		kthread_stop(d->capture);
		put_task_struct(d->capture);
		d->capture = NULL;
	}
}

/*
 * Shapes that look like an early exit and are not. Each thread below is
 * reaped with a bare kthread_stop() and needs no reference.
 */
struct demo_misc {
	struct task_struct *dummy;
	struct task_struct *parker;
	struct task_struct *sampler;
	struct task_struct *server;
	struct task_struct *writer;
	struct task_struct *rb;
	struct task_struct *napi;
	struct task_struct *commit;
	wait_queue_head_t wq;
	struct list_head queue;
	spinlock_t lock;
	bool kicked;
};

/* Never woken: kthread_stop() reaps it without running it. */
static int demo_dummy_thread(void *arg)
{
	return 0;
}

/* Parked until kthread_stop() unparks it (psci_checker's shape). */
static int demo_parker_thread(void *arg)
{
	int ret = demo_reset(arg);

	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (kthread_should_park())
			break;
		schedule();
	}
	__set_current_state(TASK_RUNNING);
	kthread_parkme();
	return ret;
}

/* A kthread gets a signal only from kthread_stop() (trace_hwlat's shape). */
static int demo_sampler_thread(void *arg)
{
	while (!kthread_should_stop()) {
		demo_reset(arg);
		if (msleep_interruptible(100))
			break;
	}
	return 0;
}

/* The stop test is two calls down (dm-vdo's shape). */
static void *demo_next(struct demo_misc *m)
{
	wait_event_interruptible(m->wq, READ_ONCE(m->kicked) ||
					kthread_should_stop());
	return kthread_should_stop() ? NULL : m;
}

static void demo_serve(struct demo_misc *m)
{
	while (demo_next(m))
		WRITE_ONCE(m->kicked, false);
}

static int demo_server_thread(void *arg)
{
	struct demo_misc *m = arg;

	demo_serve(m);
	if (!m)
		BUG();
	return 0;
}

/* A label inside an endless loop (dm-crypt's shape). */
static int demo_writer_thread(void *arg)
{
	struct demo_misc *m = arg;

	while (1) {
		spin_lock_irq(&m->lock);
		if (!list_empty(&m->queue))
			goto pop;
		set_current_state(TASK_INTERRUPTIBLE);
		spin_unlock_irq(&m->lock);
		if (kthread_should_stop()) {
			__set_current_state(TASK_RUNNING);
			break;
		}
		schedule();
		continue;
pop:
		list_del_init(m->queue.next);
		spin_unlock_irq(&m->lock);
	}
	return 0;
}

/* An inner loop left by break, inside an endless one (vimc's shape). */
static int demo_rb_thread(void *arg)
{
	struct demo_misc *m = arg;
	int i;

	for (;;) {
		if (kthread_should_stop())
			break;
		for (i = 0; i < 4; i++)
			if (demo_reset(arg))
				break;
		schedule_timeout_interruptible(HZ / 60);
	}
	return 0;
}

/*
 * Shapes Linux 6.12 taught the rule (docs/audit.md): a helper whose -1
 * comes only past its stop loop (napi_thread_wait()), a negated "stop and
 * nothing left" (ocfs2's commit thread), a stop variable set to 0 first
 * and in a wait's condition (genwqe), a -ERESTARTSYS that only the stop's
 * signal makes (solo6x10), and a last wait for the stop alone (pvrusb2).
 */
static int demo_poll_wait(struct demo_misc *m)
{
	set_current_state(TASK_INTERRUPTIBLE);
	while (!kthread_should_stop()) {
		if (READ_ONCE(m->kicked)) {
			__set_current_state(TASK_RUNNING);
			return 0;
		}
		schedule();
		set_current_state(TASK_INTERRUPTIBLE);
	}
	__set_current_state(TASK_RUNNING);
	return -1;
}

static int demo_napi_thread(void *arg)
{
	struct demo_misc *m = arg;

	while (!demo_poll_wait(m))
		WRITE_ONCE(m->kicked, false);
	return 0;
}

static int demo_commit_thread(void *arg)
{
	struct demo_misc *m = arg;
	int should_stop = 0;
	long left;

	while (!(kthread_should_stop() && !READ_ONCE(m->kicked))) {
		wait_event_interruptible_timeout(m->wq, READ_ONCE(m->kicked) ||
			(should_stop = kthread_should_stop()), HZ);
		if (should_stop)
			break;
		left = schedule_timeout_interruptible(HZ);
		if (left == -ERESTARTSYS || kthread_should_stop())
			break;
	}
	wait_event_interruptible(m->wq, kthread_should_stop());
	return 0;
}

int demo_misc_start(struct demo_misc *m)
{
	struct task_struct *t;

	m->dummy = kthread_create(demo_dummy_thread, m, "demo-dummy");
	if (IS_ERR(m->dummy))
		return PTR_ERR(m->dummy);
	m->parker = kthread_run(demo_parker_thread, m, "demo-parker");
	if (IS_ERR(m->parker))
		return PTR_ERR(m->parker);
	m->sampler = kthread_run(demo_sampler_thread, m, "demo-sampler");
	if (IS_ERR(m->sampler))
		return PTR_ERR(m->sampler);
	m->server = kthread_run(demo_server_thread, m, "demo-server");
	if (IS_ERR(m->server))
		return PTR_ERR(m->server);
	m->writer = kthread_run(demo_writer_thread, m, "demo-writer");
	if (IS_ERR(m->writer))
		return PTR_ERR(m->writer);
	t = kthread_run(demo_rb_thread, m, "demo-rb");
	if (IS_ERR(t))
		return PTR_ERR(t);
	rcu_assign_pointer(m->rb, t);
	m->napi = kthread_run(demo_napi_thread, m, "demo-napi");
	if (IS_ERR(m->napi))
		return PTR_ERR(m->napi);
	m->commit = kthread_run(demo_commit_thread, m, "demo-commit");
	if (IS_ERR(m->commit))
		return PTR_ERR(m->commit);
	return 0;
}

void demo_misc_stop(struct demo_misc *m)
{
	struct task_struct *t;

	kthread_stop(m->dummy);
	kthread_park(m->parker);
	kthread_stop(m->parker);
	kthread_stop(m->sampler);
	kthread_stop(m->server);
	kthread_stop(m->writer);
	t = rcu_dereference_protected(m->rb, 1);
	kthread_stop(t);
	kthread_stop(m->napi);
	kthread_stop(m->commit);
}

/* The hwrng core's fix: with no source, wait for the stop, then leave. */
struct demo_rng;
struct demo_rng *demo_get_rng(void);
void demo_fill(struct demo_rng *rng);

static struct task_struct *demo_fill_task;

static int demo_fill_thread(void *unused)
{
	while (!kthread_should_stop()) {
		struct demo_rng *rng = demo_get_rng();

		if (!rng) {
			while (!kthread_should_stop()) {
				set_current_state(TASK_INTERRUPTIBLE);
				if (!kthread_should_stop())
					schedule();
			}
			__set_current_state(TASK_RUNNING);
			break;
		}
		demo_fill(rng);
	}
	return 0;
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

static int demo_once_thread(void *data)
{
	struct completion *done = data;
	void *mask;

	mask = kzalloc(64, GFP_KERNEL);
	if (!mask)
		return -ENOMEM;
	complete(done);
	while (!kthread_should_stop())
		schedule_timeout_interruptible(HZ);
	kfree(mask);
	return 0;
}

int demo_run_once(void)
{
	DECLARE_COMPLETION_ONSTACK(done);
	struct task_struct *t;

	t = kthread_create(demo_once_thread, &done, "demo-once");
	if (IS_ERR(t))
		return PTR_ERR(t);
	get_task_struct(t);
	wake_up_process(t);
	wait_for_completion(&done);
	return kthread_stop_put(t);
}

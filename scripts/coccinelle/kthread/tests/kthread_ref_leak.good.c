// SPDX-License-Identifier: GPL-2.0
/*
 * Fixture for kthread_ref_leak.cocci: kthread_ref_leak.bad.c fixed, every
 * reference put. Nothing here may be reported.
 */
#include <linux/kthread.h>
#include <linux/sched/task.h>
#include <linux/slab.h>

struct demo_worker {
	struct task_struct *task;
	struct task_struct *aux;
	struct completion done;
};

static int demo_worker_fn(void *arg)
{
	while (!kthread_should_stop())
		schedule_timeout_interruptible(HZ);
	return 0;
}

static int demo_aux_fn(void *arg)
{
	struct demo_worker *w = arg;

	complete(&w->done);
	return 0;
}

/* The reference from creation, dropped by kthread_stop_put(). */
int demo_worker_start(struct demo_worker *w)
{
	struct task_struct *t;

	t = kthread_create(demo_worker_fn, w, "demo-worker");
	if (IS_ERR(t))
		return PTR_ERR(t);
	w->task = get_task_struct(t);
	wake_up_process(t);
	return 0;
}

void demo_worker_stop(struct demo_worker *w)
{
	kthread_stop_put(w->task);
	w->task = NULL;
}

/* It returns on its own: reaped, and its reference put, by the stop. */
int demo_aux_start(struct demo_worker *w)
{
	struct task_struct *t;

	t = kthread_create(demo_aux_fn, w, "demo-aux");
	if (IS_ERR(t))
		return PTR_ERR(t);
	get_task_struct(t);
	w->aux = t;
	wake_up_process(t);
	wait_for_completion(&w->done);
	return 0;
}

/* Before 6.6: kthread_stop(), then the put. */
void demo_aux_stop(struct demo_worker *w)
{
	kthread_stop(w->aux);
	put_task_struct(w->aux);
}

/*
 * Kept in a struct that another file tears down (usbip's shape): the
 * put is not in this file, and the kthread_stop() on the error path
 * comes before the reference.
 */
int demo_pair_start(struct demo_worker *w)
{
	struct task_struct *rx, *tx;

	rx = kthread_create(demo_worker_fn, w, "demo-rx");
	if (IS_ERR(rx))
		return PTR_ERR(rx);
	tx = kthread_create(demo_worker_fn, w, "demo-tx");
	if (IS_ERR(tx)) {
		kthread_stop(rx);
		return PTR_ERR(tx);
	}
	get_task_struct(rx);
	get_task_struct(tx);
	w->task = rx;
	w->aux = tx;
	wake_up_process(rx);
	wake_up_process(tx);
	return 0;
}

/* Per-CPU threads, reaped through the per-CPU slot (smpboot's shape). */
static DEFINE_PER_CPU(struct task_struct *, demo_pcpu_task);

int demo_pcpu_start(unsigned int cpu)
{
	struct task_struct *t;

	t = kthread_create_on_cpu(demo_worker_fn, NULL, cpu, "demo/%u");
	if (IS_ERR(t))
		return PTR_ERR(t);
	get_task_struct(t);
	*per_cpu_ptr(&demo_pcpu_task, cpu) = t;
	wake_up_process(t);
	return 0;
}

void demo_pcpu_stop(unsigned int cpu)
{
	struct task_struct *t = *per_cpu_ptr(&demo_pcpu_task, cpu);

	kthread_stop_put(t);
}

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

/* It returns on its own: reaped (and its reference put) by the stop. */
int demo_aux_start(struct demo_worker *w)
{
	w->aux = kthread_create(demo_aux_fn, w, "demo-aux");
	if (IS_ERR(w->aux))
		return PTR_ERR(w->aux);
	get_task_struct(w->aux);
	wake_up_process(w->aux);
	wait_for_completion(&w->done);
	return 0;
}

/* Before 6.6: kthread_stop(), then the put. */
void demo_aux_stop(struct demo_worker *w)
{
	kthread_stop(w->aux);
	put_task_struct(w->aux);
}

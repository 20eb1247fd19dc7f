// SPDX-License-Identifier: GPL-2.0
/*
 * Fixture for kthread_ref_leak.cocci: task references taken on created
 * kthreads and never put. Every line marked "expect:" must be reported,
 * and nothing else.
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

/* Half the change to kthread_stop_put(): the reference, not the put. */
int demo_worker_start(struct demo_worker *w)
{
	struct task_struct *t;

	t = kthread_create(demo_worker_fn, w, "demo-worker");
	if (IS_ERR(t))
		return PTR_ERR(t);
	w->task = get_task_struct(t); /* expect: kthread_ref_leak */
	wake_up_process(t);
	return 0;
}

void demo_worker_stop(struct demo_worker *w)
{
	kthread_stop(w->task);
	w->task = NULL;
}

/* ktlife's ktlife_bug_unreaped(): nobody ever reaps it. */
int demo_aux_start(struct demo_worker *w)
{
	struct task_struct *t;

	t = kthread_create(demo_aux_fn, w, "demo-aux");
	if (IS_ERR(t))
		return PTR_ERR(t);
	get_task_struct(t); /* expect: kthread_ref_leak */
	wake_up_process(t);
	wait_for_completion(&w->done);
	return 0;
}

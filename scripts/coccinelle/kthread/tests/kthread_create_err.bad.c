// SPDX-License-Identifier: GPL-2.0
/*
 * Fixture for kthread_create_err.cocci: kthread creation results tested
 * the wrong way, or not at all. Every line marked "expect:" must be
 * reported, and nothing else.
 */
#include <linux/cpu.h>
#include <linux/kthread.h>
#include <linux/sched.h>

struct demo_ctx {
	struct task_struct *task;
	struct task_struct *mon;
	struct kthread_worker *worker;
};

static struct task_struct *demo_global;

int demo_fn(void *arg);

int demo_start_null(struct demo_ctx *ctx)
{
	ctx->task = kthread_run(demo_fn, ctx, "demo");
	if (!ctx->task) /* expect: kthread_create_err */
		return -ENOMEM;
	return 0;
}

int demo_start_eq_null(struct demo_ctx *ctx)
{
	struct task_struct *t;

	t = kthread_create_on_node(demo_fn, ctx, NUMA_NO_NODE, "demo");
	if (t == NULL) /* expect: kthread_create_err */
		return -ENOMEM;
	ctx->task = t;
	wake_up_process(t);
	return 0;
}

/* kernel/sched/ext.c's shape in 6.12. */
static struct kthread_worker *demo_create_helper(const char *name)
{
	struct kthread_worker *helper;

	helper = kthread_create_worker(0, name);
	if (helper) /* expect: kthread_create_err */
		sched_set_fifo(helper->task);
	return helper;
}

int demo_start_one_error(struct demo_ctx *ctx)
{
	ctx->mon = kthread_run(demo_fn, ctx, "demo-mon");
	if (ctx->mon == ERR_PTR(-ENOMEM)) /* expect: kthread_create_err */
		return -ENOMEM;
	return 0;
}

int demo_start_bound(struct demo_ctx *ctx, unsigned int cpu)
{
	struct task_struct *t;

	t = kthread_create(demo_fn, ctx, "demo/%u", cpu);
	kthread_bind(t, cpu); /* expect: kthread_create_err */
	wake_up_process(t);
	ctx->task = t;
	return 0;
}

int demo_start_stored(void)
{
	demo_global = kthread_run(demo_fn, NULL, "demo-global"); /* expect: kthread_create_err */
	return 0;
}

void demo_stop_global(void)
{
	kthread_stop(demo_global);
}

int demo_start_direct(struct demo_ctx *ctx)
{
	if (!kthread_run_on_cpu(demo_fn, ctx, 0, "demo/%u")) /* expect: kthread_create_err */
		return -ENOMEM;
	return 0;
}

int demo_start_worker(struct demo_ctx *ctx)
{
	ctx->worker = kthread_create_worker_on_cpu(0, 0, "demo-w/%d", 0);
	return ctx->worker ? 0 : -ENOMEM; /* expect: kthread_create_err */
}

int demo_start_init(struct demo_ctx *ctx)
{
	struct task_struct *t = kthread_run(demo_fn, ctx, "demo-init");

	if (t == NULL) /* expect: kthread_create_err */
		return -ENOMEM;
	ctx->task = t;
	return 0;
}

static struct task_struct *demo_pool[4];

int demo_start_pool(void)
{
	int i;

	for (i = 0; i < 4; i++)
		demo_pool[i] = kthread_run(demo_fn, NULL, "demo-pool/%d", i); /* expect: kthread_create_err */
	return 0;
}

void demo_stop_pool(void)
{
	int i;

	for (i = 0; i < 4; i++)
		kthread_stop(demo_pool[i]);
}

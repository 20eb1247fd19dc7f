// SPDX-License-Identifier: GPL-2.0
/*
 * Fixture for kthread_create_err.cocci: kthread_create_err.bad.c fixed,
 * and the usual correct shapes. Nothing here may be reported.
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
	if (IS_ERR(ctx->task))
		return PTR_ERR(ctx->task);
	return 0;
}

int demo_start_eq_null(struct demo_ctx *ctx)
{
	struct task_struct *t;

	t = kthread_create_on_node(demo_fn, ctx, NUMA_NO_NODE, "demo");
	if (IS_ERR(t))
		return PTR_ERR(t);
	ctx->task = t;
	wake_up_process(t);
	return 0;
}

static struct kthread_worker *demo_create_helper(const char *name)
{
	struct kthread_worker *helper;

	helper = kthread_create_worker(0, name);
	if (!IS_ERR(helper))
		sched_set_fifo(helper->task);
	return helper;
}

int demo_start_one_error(struct demo_ctx *ctx)
{
	ctx->mon = kthread_run(demo_fn, ctx, "demo-mon");
	if (IS_ERR(ctx->mon)) {
		/* Telling the errors apart after IS_ERR() is fine. */
		if (PTR_ERR(ctx->mon) == -EINTR)
			pr_debug("demo: killed while creating\n");
		return PTR_ERR(ctx->mon);
	}
	return 0;
}

int demo_start_bound(struct demo_ctx *ctx, unsigned int cpu)
{
	struct task_struct *t;

	t = kthread_create(demo_fn, ctx, "demo/%u", cpu);
	if (WARN_ON(IS_ERR(t)))
		return PTR_ERR(t);
	kthread_bind(t, cpu);
	wake_up_process(t);
	ctx->task = t;
	return 0;
}

int demo_start_stored(void)
{
	demo_global = kthread_run(demo_fn, NULL, "demo-global");
	return PTR_ERR_OR_ZERO(demo_global);
}

int demo_start_direct(struct demo_ctx *ctx)
{
	struct task_struct *t = kthread_run_on_cpu(demo_fn, ctx, 0, "demo/%u");

	return PTR_ERR_OR_ZERO(t);
}

int demo_start_worker(struct demo_ctx *ctx)
{
	ctx->worker = kthread_create_worker_on_cpu(0, 0, "demo-w/%d", 0);
	if (IS_ERR(ctx->worker)) {
		int ret = PTR_ERR(ctx->worker);

		ctx->worker = NULL;
		return ret;
	}
	return 0;
}

/* A stop function: NULL means "never started", after IS_ERR() at start. */
void demo_stop(struct demo_ctx *ctx)
{
	if (ctx->task)
		kthread_stop(ctx->task);
	if (!IS_ERR_OR_NULL(ctx->mon))
		kthread_stop(ctx->mon);
}

/* Creation returned to the caller, which tests it. */
struct task_struct *demo_spawn(struct demo_ctx *ctx)
{
	return kthread_create(demo_fn, ctx, "demo-spawn");
}

int demo_start_copy(struct demo_ctx *ctx)
{
	struct task_struct *t;

	t = kthread_run(demo_fn, ctx, "demo-copy");
	if (!t || IS_ERR(t))
		return -ENOMEM;
	ctx->task = t;
	return 0;
}

/* Tested in a later loop over the array (lib/lwq.c's test). */
int demo_start_pool(void)
{
	struct task_struct *pool[4];
	int i;

	for (i = 0; i < 4; i++)
		pool[i] = kthread_run(demo_fn, NULL, "demo-pool/%d", i);
	for (i = 0; i < 4; i++)
		if (!IS_ERR_OR_NULL(pool[i]))
			kthread_stop(pool[i]);
	return 0;
}

/* Kept, and never read again in this file: an error harms nothing here. */
static struct task_struct *demo_reaper;

void demo_start_reaper(void)
{
	demo_reaper = kthread_run(demo_fn, NULL, "demo-reaper");
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: the fixed twin of real_lunatik_bad.c, with the fix of lunatik
 * PR 820 in this module's own code: thread.run() takes a reference on the
 * task between kthread_create() and wake_up_process(), before the body can
 * run; the body no longer clears the pointer (an ended thread still has
 * its task); thread:stop() takes the pointer under the lock, clearing it
 * so that one stop collects the thread, and drops the reference after
 * kthread_stop() (kthread_stop_put() from 6.7 on). Whether the body
 * returned long before, just before or not at all, the task_struct the
 * stop touches is alive.
 */
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/sched/task.h>

#define LT_SCRIPT_STEPS	3
#define LT_STEP_US	20000

struct lt_thread {
	struct mutex lock;		/* guards task */
	struct task_struct *task;
	unsigned int steps;
};

static struct lt_thread thread;

/* The Lua function: a few steps of work, then it returns. */
static int lt_run_script(struct lt_thread *t)
{
	while (t->steps < LT_SCRIPT_STEPS) {
		t->steps++;
		usleep_range(LT_STEP_US, LT_STEP_US + LT_STEP_US / 4);
	}
	return 0;
}

static int lt_body(void *data)
{
	struct lt_thread *t = data;

	return lt_run_script(t);
}

/* thread.run(): create, reference, publish, wake. */
static int lt_run(struct lt_thread *t)
{
	struct task_struct *task;

	task = kthread_create(lt_body, t, "cp-lunatik");
	if (IS_ERR(task))
		return PTR_ERR(task);
	/* The body returns on its own: the stop needs the task kept. */
	get_task_struct(task);
	mutex_lock(&t->lock);
	t->task = task;
	mutex_unlock(&t->lock);
	wake_up_process(task);
	return 0;
}

/* thread:stop() */
static int lt_stop(struct lt_thread *t)
{
	struct task_struct *task;
	int ret;

	mutex_lock(&t->lock);
	task = t->task;
	t->task = NULL;
	mutex_unlock(&t->lock);

	if (!task) {
		pr_info("cp-lunatik: thread has already stopped\n");
		return 0;
	}
	ret = kthread_stop(task);
	put_task_struct(task);
	return ret;
}

static int __init lt_init(void)
{
	mutex_init(&thread.lock);
	return lt_run(&thread);
}

static void __exit lt_exit(void)
{
	lt_stop(&thread);
	mutex_destroy(&thread.lock);
}

module_init(lt_init);
module_exit(lt_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("corpus: lunatik PR 820, a returning body stopped through its reference (good)");

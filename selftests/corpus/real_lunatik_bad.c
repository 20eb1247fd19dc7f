// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus, a real incident: luainkernel/lunatik PR 820, "thread: hold a
 * reference to the task it may stop"
 * (https://github.com/luainkernel/lunatik/pull/820). Lunatik's thread
 * object kept the task of its kernel thread and called kthread_stop() on
 * it from thread:stop() without a reference of its own, while the thread's
 * body returns as soon as its Lua function does, clearing the object's
 * task pointer on its way out. Between the stopper's read of that pointer
 * and its kthread_stop(), the body could return and its task be freed and
 * reused: kthread_stop() then hit the WARN_ON in to_kthread() and a NULL
 * dereference, which took a host down from a device write callback. The
 * fix (stacked on PR 825, which creates the task before waking it) takes
 * the reference between the two, and the body no longer clears the
 * pointer.
 *
 * This module: the thread object (a lock, the task pointer), its body a
 * "script" of three 20 ms steps that then clears the pointer under the
 * lock and returns; kthread_create(), the pointer stored, then
 * wake_up_process(), as after PR 825. Module exit is thread:stop(): it
 * reads the pointer under the lock, drops the lock, and stops the task it
 * read. Here the stop comes 0.5 s after insmod, long after the body
 * ended, and finds the pointer cleared; the use-after-free needs the body
 * to return inside the stopper's window of a few instructions, which a
 * VM run does not hit.
 */
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/mutex.h>

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
	int ret;

	ret = lt_run_script(t);

	/* Ended: nothing left for a stop to do. */
	mutex_lock(&t->lock);
	t->task = NULL;
	mutex_unlock(&t->lock);
	return ret;
}

/* thread.run(): create, publish, wake. */
static int lt_run(struct lt_thread *t)
{
	struct task_struct *task;

	task = kthread_create(lt_body, t, "cp-lunatik");
	if (IS_ERR(task))
		return PTR_ERR(task);
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

	mutex_lock(&t->lock);
	task = t->task;
	mutex_unlock(&t->lock);

	if (!task) {
		pr_info("cp-lunatik: thread has already stopped\n");
		return 0;
	}
	return kthread_stop(task);
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
MODULE_DESCRIPTION("corpus: lunatik PR 820, a returning body stopped without a reference (bad)");

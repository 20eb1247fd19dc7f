// SPDX-License-Identifier: GPL-2.0
/*
 * Fixture for kthread_lost_wakeup.cocci: stop loops that sleep with no
 * kthread_should_stop() test between setting the task state and
 * schedule(). Every line marked "expect:" must be reported, and nothing
 * else.
 */
#include <linux/kthread.h>
#include <linux/list.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/wait.h>

struct demo_queue {
	spinlock_t lock;
	struct list_head items;
	struct task_struct *task;
	wait_queue_head_t wq;
};

void demo_process(struct demo_queue *q);

/* The classic: test, work, then sleep without testing again. */
static int demo_uninterruptible_thread(void *arg)
{
	struct demo_queue *q = arg;

	while (!kthread_should_stop()) {
		demo_process(q);
		set_current_state(TASK_UNINTERRUPTIBLE); /* expect: kthread_lost_wakeup */
		schedule();
	}
	return 0;
}

/* TASK_IDLE: the same hang, without the load average. */
static int demo_idle_thread(void *arg)
{
	struct demo_queue *q = arg;

	for (;;) {
		if (kthread_should_stop())
			break;
		__set_current_state(TASK_IDLE); /* expect: kthread_lost_wakeup */
		if (list_empty(&q->items))
			schedule();
		__set_current_state(TASK_RUNNING);
		demo_process(q);
	}
	return 0;
}

/* Interruptible: a hang before 6.1 only, still a lost wake-up. */
static int demo_interruptible_thread(void *arg)
{
	struct demo_queue *q = arg;

	while (!kthread_should_stop()) {
		set_current_state(TASK_INTERRUPTIBLE); /* expect: kthread_lost_wakeup */
		spin_lock(&q->lock);
		if (!list_empty(&q->items)) {
			spin_unlock(&q->lock);
			__set_current_state(TASK_RUNNING);
			demo_process(q);
			continue;
		}
		spin_unlock(&q->lock);
		schedule();
	}
	return 0;
}

/* prepare_to_wait() sets the state too (NVSL/linux-nova#156's shape). */
static int demo_prepare_thread(void *arg)
{
	struct demo_queue *q = arg;
	DEFINE_WAIT(wait);

	while (!kthread_should_stop()) {
		demo_process(q);
		prepare_to_wait(&q->wq, &wait, TASK_UNINTERRUPTIBLE); /* expect: kthread_lost_wakeup */
		schedule();
		finish_wait(&q->wq, &wait);
	}
	return 0;
}

/* A sleep helper: the caller tested the stop, the helper sleeps. */
static void demo_sleep(void)
{
	set_current_state(TASK_IDLE); /* expect: kthread_lost_wakeup */
	schedule();
}

static int demo_helper_thread(void *arg)
{
	struct demo_queue *q = arg;

	while (!kthread_should_stop()) {
		demo_process(q);
		demo_sleep();
	}
	return 0;
}

/* The stop each sleep above can miss. */
void demo_queue_stop(struct demo_queue *q)
{
	kthread_stop(q->task);
}

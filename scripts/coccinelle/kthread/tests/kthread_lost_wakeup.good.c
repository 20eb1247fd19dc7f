// SPDX-License-Identifier: GPL-2.0
/*
 * Fixture for kthread_lost_wakeup.cocci: kthread_lost_wakeup.bad.c fixed,
 * and correct sleeps of other shapes. Nothing here may be reported.
 */
#include <linux/kthread.h>
#include <linux/list.h>
#include <linux/sched.h>
#include <linux/spinlock.h>

struct demo_queue {
	spinlock_t lock;
	struct list_head items;
	struct task_struct *task;
};

void demo_process(struct demo_queue *q);

/* The test comes after the state is set: a kthread_stop() is seen. */
static int demo_uninterruptible_thread(void *arg)
{
	struct demo_queue *q = arg;

	while (!kthread_should_stop()) {
		demo_process(q);
		set_current_state(TASK_UNINTERRUPTIBLE);
		if (!kthread_should_stop())
			schedule();
		__set_current_state(TASK_RUNNING);
	}
	return 0;
}

static bool demo_has_work(struct demo_queue *q)
{
	return !list_empty(&q->items) || kthread_should_stop();
}

/* A helper of the file does the test. */
static int demo_idle_thread(void *arg)
{
	struct demo_queue *q = arg;

	for (;;) {
		if (kthread_should_stop())
			break;
		__set_current_state(TASK_IDLE);
		if (!demo_has_work(q))
			schedule();
		__set_current_state(TASK_RUNNING);
		demo_process(q);
	}
	return 0;
}

/* Set the state at the top, test, sleep: preemptirq_delay_test's loop. */
static int demo_interruptible_thread(void *arg)
{
	struct demo_queue *q = arg;

	for (;;) {
		set_current_state(TASK_INTERRUPTIBLE);
		if (kthread_should_stop())
			break;
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
	__set_current_state(TASK_RUNNING);
	return 0;
}

static int demo_park_thread(void *arg)
{
	set_current_state(TASK_INTERRUPTIBLE);
	while (!kthread_should_stop()) {
		schedule();
		set_current_state(TASK_INTERRUPTIBLE);
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

/* A bounded sleep is late, not lost: not this rule's business. */
static int demo_poll_thread(void *arg)
{
	struct demo_queue *q = arg;

	while (!kthread_should_stop()) {
		demo_process(q);
		set_current_state(TASK_UNINTERRUPTIBLE);
		schedule_timeout(HZ / 10);
	}
	return 0;
}

/* Not a stop loop: a plain wait for a condition someone else sets. */
void demo_wait_empty(struct demo_queue *q)
{
	for (;;) {
		set_current_state(TASK_UNINTERRUPTIBLE);
		if (list_empty(&q->items))
			break;
		schedule();
	}
	__set_current_state(TASK_RUNNING);
}

struct demo_test {
	bool go;
	struct timer_list timer;
};

/*
 * Before any stop test, a wait for the test's own flag, re-tested after
 * the state is set; then a correct wait for the stop (trace_selftest's
 * wake-up test thread).
 */
static int demo_wakeup_test_thread(void *data)
{
	struct demo_test *x = data;

	set_current_state(TASK_INTERRUPTIBLE);
	while (!READ_ONCE(x->go)) {
		schedule();
		set_current_state(TASK_INTERRUPTIBLE);
	}
	while (!kthread_should_stop()) {
		schedule();
		set_current_state(TASK_INTERRUPTIBLE);
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

/* A timer ends the sleep: the stop is late, not lost (intel_ips). */
static int demo_sample_thread(void *data)
{
	struct demo_test *x = data;

	while (!kthread_should_stop()) {
		__set_current_state(TASK_INTERRUPTIBLE);
		mod_timer(&x->timer, jiffies + HZ);
		schedule();
	}
	return 0;
}

/* Not a sleep: giving the CPU away while runnable. */
static int demo_yield_thread(void *data)
{
	while (!kthread_should_stop()) {
		__set_current_state(TASK_RUNNING);
		schedule();
	}
	return 0;
}

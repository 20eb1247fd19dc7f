// SPDX-License-Identifier: GPL-2.0
/*
 * Deliberate bugs, so that a leak detector can be shown to fire.
 *
 * A checker that has never failed proves nothing: ktleak's own tests use
 * these two to see it catch what it claims to catch. Both are reachable
 * only through bugs/ in debugfs, which exists only when the module is
 * loaded with bugs=1, root only, and neither can crash anything:
 *   - an unreaped thread: it exits on its own, but the task reference taken
 *     for it is never put, so its task_struct is never freed;
 *   - forgotten allocations: kmalloc() and hide the pointers from
 *     kmemleak, until the test that watched kmemleak report them hands
 *     them back.
 *   - a data race: two threads increment one counter with plain
 *     accesses, no lock, no marking; KCSAN must report it (the data-race
 *     kernel of "make check"; elsewhere it is harmless noise).
 * The leaky writer is a writer and lives in writer.c, the leaky reload in
 * compactor.c.
 */
#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/kmemleak.h>
#include <linux/kthread.h>
#include <linux/mutex.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "ktlife.h"
#include "mutant.h"

/**
 * unreaped_thread() - body of "ktlife/unreaped": return at once.
 * @data: the creator's completion.
 *
 * Completes and exits in one step, so no module code runs after the
 * creator may have moved on (and the module may be gone). Stopped by:
 * itself.
 *
 * Context: process context.
 * Return: never.
 */
static int unreaped_thread(void *data)
{
	kthread_complete_and_exit(data, 0);
}

/**
 * ktlife_bug_unreaped() - start a thread and leak the reference taken on it.
 *
 * The thread exits at once; the task reference taken on it is never put,
 * so its task_struct stays allocated until reboot: what a thread that
 * returns on its own leaks when its stopper takes a reference and never
 * calls kthread_stop_put(). Charged as one leak against max_leaky, like a
 * leaky writer: this load of the module leaks at most max_leaky on purpose.
 *
 * Context: process context, may sleep.
 * Return: 0, -ENOSPC (max_leaky leaked already) or kthread_create()'s error.
 */
int ktlife_bug_unreaped(void)
{
	DECLARE_COMPLETION_ONSTACK(done);
	struct task_struct *task;
	int ret;

	ret = ktlife_bug_leak_charge();
	if (ret)
		return ret;
	task = kthread_create(unreaped_thread, &done, "ktlife/unreaped");
	if (IS_ERR(task)) {
		ktlife_bug_leak_uncharge();
		return PTR_ERR(task);
	}
	get_task_struct(task);
	/*
	 * The leak is meant to be seen in the task_struct count, where it
	 * shows at once. kmemleak would report it only at some later scan:
	 * pointers into a dead task linger (in a CPU's last-FPU-owner slot,
	 * for one) for as long as nothing else runs there, so no test could
	 * tell when to look. Keep it out of kmemleak's reports; a forgotten
	 * allocation (ktlife_bug_leak()) is kmemleak's own test case.
	 */
	kmemleak_not_leak(task);
	wake_up_process(task);
	wait_for_completion(&done);
	/* The bug: no kthread_stop_put(task), no put_task_struct(task). */
	return 0;
}

/*
 * How many allocations one "bugs/leak" forgets. kmemleak treats any word
 * that looks like a pointer as a reference, and stale copies of the
 * pointers linger where kmemleak looks: in the writer's kernel stack, and
 * since 7.x in the per-CPU arrays of free objects that the slab allocator
 * hands them out of (its "sheaves"), whose slots keep an object's address
 * after it was taken. On 7.3 that hid all four from the first three scans
 * (4096-byte objects: 0 reported, then 2 as other allocations reused the
 * slots). So the writer then cycles a batch of objects of the same size
 * through the allocator, on the same CPU, which overwrites those slots
 * (churn_cache()), and of the four at least some are reported at once.
 */
#define KTLIFE_LEAK_OBJECTS 4
/* Objects churn_cache() cycles: more than a sheaf of any kmalloc cache. */
#define KTLIFE_LEAK_CHURN 64
/* At most this many forgotten at a time: 16 writes of "bugs/leak". */
#define KTLIFE_LEAK_MAX 64

/*
 * The forgotten allocations, kept where no kmemleak scan sees them: each
 * pointer is stored bitwise inverted, which points nowhere. A test that has
 * seen kmemleak report them hands them back ("bugs/leak" with 0), and
 * unload frees what is left, so that a deliberate leak can never turn up
 * in a later scan, one that was looking for somebody else's.
 * leak_lock guards both.
 */
static DEFINE_MUTEX(leak_lock);
static unsigned long hidden[KTLIFE_LEAK_MAX];
static unsigned int nr_hidden;

static void leak_free_all(void)
{
	lockdep_assert_held(&leak_lock);
	while (nr_hidden)
		kfree((void *)~hidden[--nr_hidden]);
}

/*
 * Allocate and free KTLIFE_LEAK_CHURN objects of @size: the free pushes
 * their addresses into the slots that held the forgotten ones.
 */
static void churn_cache(unsigned int size)
{
	void *q[KTLIFE_LEAK_CHURN];
	int i;

	for (i = 0; i < KTLIFE_LEAK_CHURN; i++)
		q[i] = kmalloc(size, GFP_KERNEL);
	for (i = 0; i < KTLIFE_LEAK_CHURN; i++)
		kfree(q[i]);
}

/**
 * ktlife_bug_leak() - allocate @size bytes several times and forget them.
 * @size: 1..65536; 0 frees everything forgotten so far.
 *
 * Forgets KTLIFE_LEAK_OBJECTS allocations of @size bytes each, which
 * kmemleak's next scans report (see above). If an allocation fails, those
 * made before it stay forgotten.
 *
 * Context: process context, may sleep; takes leak_lock.
 * Return: 0, -EINVAL, -ENOSPC (KTLIFE_LEAK_MAX forgotten already) or
 * -ENOMEM.
 */
int ktlife_bug_leak(unsigned int size)
{
	int i, ret = 0;
	void *p;

	if (size > 65536)
		return -EINVAL;
	mutex_lock(&leak_lock);
	if (!size) {
		leak_free_all();
		goto out_unlock;
	}
	if (nr_hidden > KTLIFE_LEAK_MAX - KTLIFE_LEAK_OBJECTS) {
		ret = -ENOSPC;
		goto out_unlock;
	}
	/* The churn on the CPU the objects came from (the sheaves are per CPU). */
	migrate_disable();
	for (i = 0; i < KTLIFE_LEAK_OBJECTS; i++) {
		p = kmalloc(size, GFP_KERNEL);
		if (!p) {
			ret = -ENOMEM;
			break;
		}
		/* Filled, so the leak report shows recognisable bytes. */
		memset(p, 0x6b, size);
		hidden[nr_hidden++] = ~(unsigned long)p;
	}
	churn_cache(size);
	migrate_enable();
out_unlock:
	mutex_unlock(&leak_lock);
	return ret;
}

/* Raced on purpose by deliberate_race_thread(): plain, unlocked, unmarked. */
static unsigned long race_counter;

/**
 * deliberate_race_thread() - body of "ktlife/race": race on race_counter.
 * @data: the jiffies at which to stop racing.
 *
 * Two of these run at once, each incrementing race_counter with a plain
 * read-modify-write until the time is up; then each waits to be stopped.
 * Stopped by ktlife_bug_race(), with kthread_stop(); neither returns on
 * its own before that.
 *
 * Context: process context.
 * Return: 0.
 */
static int deliberate_race_thread(void *data)
{
	unsigned long end = *(unsigned long *)data;

	while (time_before(jiffies, end) && !kthread_should_stop()) {
		race_counter++;
		cond_resched();
	}
	while (!kthread_should_stop())
		schedule_timeout_idle(HZ / 10);
	return 0;
}

/**
 * ktlife_bug_race() - race two threads on a plain counter for @ms.
 * @ms: 1..10000.
 *
 * The caller waits out @ms killably; the threads are stopped either way.
 *
 * Context: process context, may sleep.
 * Return: 0, -EINVAL, or kthread_create()'s error.
 */
int ktlife_bug_race(unsigned int ms)
{
	unsigned long left = msecs_to_jiffies(ms), end = jiffies + left;
	struct task_struct *t[2];
	int i, ret = 0;

	if (ms < 1 || ms > 10000)
		return -EINVAL;
	for (i = 0; i < 2; i++) {
		t[i] = kthread_create(deliberate_race_thread, &end,
				      "ktlife/race%d", i);
		if (IS_ERR(t[i])) {
			ret = PTR_ERR(t[i]);
			break;
		}
		/*
		 * Both on one CPU, so that the race shows whatever the host does
		 * with the vCPUs: KCSAN sees accesses that overlap in time, and
		 * on a preemptible kernel a tick that lands while one thread
		 * holds a watchpoint lets the other touch the counter inside it.
		 */
		kthread_bind(t[i], cpumask_first(cpu_online_mask));
		wake_up_process(t[i]);
	}
	/* Killable: the writer of "bugs/race" may give up waiting. */
	while (left && !fatal_signal_pending(current))
		left = schedule_timeout_killable(left);
	/* Neither returns on its own: a plain kthread_stop() is safe. */
	while (i--)
		kthread_stop(t[i]);
	return ret;
}

/*
 * Threads leaked on purpose, leaky writers and leaky reloads alike: at
 * most max_leaky in all, until reboot.
 */
static atomic_t nr_leaks = ATOMIC_INIT(0);

/**
 * ktlife_bug_leak_charge() - count one more thread leaked on purpose.
 *
 * Context: any, atomic included.
 * Return: 0, or -ENOSPC if max_leaky are leaked already.
 */
int ktlife_bug_leak_charge(void)
{
	/* make MUTANT=leak_unbounded: no max_leaky */
	if (KTLIFE_MUTANT(LEAK_UNBOUNDED))
		return 0;
	return atomic_add_unless(&nr_leaks, 1, ktlife_max_leaky) ? 0 : -ENOSPC;
}

/**
 * ktlife_bug_leak_uncharge() - undo a charge whose leak did not happen.
 *
 * Context: any.
 */
void ktlife_bug_leak_uncharge(void)
{
	atomic_dec(&nr_leaks);
}

/**
 * ktlife_bugs_exit() - free what "bugs/leak" forgot, at unload.
 *
 * Context: module exit.
 */
void ktlife_bugs_exit(void)
{
	mutex_lock(&leak_lock);
	leak_free_all();
	mutex_unlock(&leak_lock);
}

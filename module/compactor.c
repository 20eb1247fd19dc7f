// SPDX-License-Identifier: GPL-2.0
/*
 * The compaction kthread, "ktlife/compact".
 *
 * The kernel twin of the seed's Storage.compact(): every period_ms it trims
 * each writer's retained log to its newest "retain" records. It has the
 * shape of kcompactd in mm/compaction.c: a loop on kthread_should_stop()
 * around a timed wait whose condition also checks kthread_should_stop(), so
 * kthread_stop() never waits out a period. That is the seed's select on
 * time.After and the stop channel.
 *
 * Trimming frees no memory: each log is a ring of slots allocated when its
 * writer is created, with a hard cap of its own (log.c), so memory stays
 * bounded whatever the compactor does; the compactor only keeps each log
 * down to what "retain" promises. "reclaimed" counts the payload bytes
 * trimmed.
 *
 * The module parameter compactor=sleep selects the naive twin, the seed's
 * time.Sleep loop: sleep a whole period, then look at the stop flag. It is
 * kept only to show the stop latency it causes, and it refuses periods
 * above KTLIFE_SLEEP_PERIOD_MAX_MS, which would make that latency exceed
 * the kernel's own timeouts.
 *
 * The compactor is freezable, like kcompactd: it rewrites memory on its own
 * schedule, which has no business running while the system suspends or
 * takes a hibernation image. Its wait is a freezable sleep, so the freezer
 * freezes it where it sleeps, at once. The naive twin's sleep is not
 * freezable: it can only freeze at its try_to_freeze() once a period is
 * over, the same bug as its stop latency; a period longer than the
 * freezer's 20 s timeout would make suspend fail ("Freezing of tasks
 * failed"), hence its cap. Writers are not freezable; see writer.c.
 */
#include <linux/freezer.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/spinlock.h>
#include <linux/wait.h>

#include "ktlife.h"
#include "trace.h"

/* Reasons to wake the compactor before its period is up (poke bits). */
#define POKE_KICK 0 /* run now */
#define POKE_PERIOD 1 /* period_ms changed: re-arm from the last run */

/*
 * compactor_task is written only by ktlife_compactor_start() and
 * ktlife_compactor_stop(), which module init and exit serialise; the
 * status readers run while it is stable (debugfs files exist only between
 * the two).
 */
static struct task_struct *compactor_task;
static bool compactor_sleep_mode;
static DECLARE_WAIT_QUEUE_HEAD(compactor_wq);
static unsigned long compactor_poke;

/* compactor_stats_lock guards the run statistics below it. */
static DEFINE_SPINLOCK(compactor_stats_lock);
static u64 compactor_runs;
static u64 compactor_reclaimed;
static u64 compactor_last_run_ms;
static u64 compactor_last_duration_us;

static bool compactor_wake_early(void)
{
	return kthread_should_stop() || READ_ONCE(compactor_poke);
}

/*
 * The naive twin: msleep() in spirit, but in TASK_IDLE like the correct
 * wait, so that a long period trips neither the hung-task detector nor the
 * load average. Like msleep(), it goes back to sleep when woken early, so
 * kthread_stop() has to wait for the whole period: the seed's bug.
 */
static void compactor_sleep(unsigned long timeout)
{
	while (timeout)
		timeout = schedule_timeout_idle(timeout);
}

/* The select on time.After(timeout) and the stop channel. */
static void compactor_wait(unsigned long timeout)
{
	wait_event_freezable_timeout(compactor_wq, compactor_wake_early(),
				     timeout);
}

static void compactor_run(void)
{
	u64 start = ktime_get_ns();
	u64 reclaimed = ktlife_writers_compact(READ_ONCE(ktlife_retain));
	u64 end = ktime_get_ns();
	u64 duration_us = div_u64(end - start, NSEC_PER_USEC);
	u64 run;

	spin_lock(&compactor_stats_lock);
	run = ++compactor_runs;
	compactor_reclaimed += reclaimed;
	compactor_last_run_ms = div_u64(end, NSEC_PER_MSEC);
	compactor_last_duration_us = duration_us;
	spin_unlock(&compactor_stats_lock);

	trace_ktlife_compact(run, reclaimed, duration_us);
	pr_debug("compactor: run %llu reclaimed %llu bytes in %llu us\n", run,
		 reclaimed, duration_us);
}

/**
 * compactor_thread() - body of "ktlife/compact".
 * @data: unused.
 *
 * Runs once per period, or at once if kicked; repeats until kthread_stop().
 * Stopped by ktlife_compactor_stop() at module unload.
 *
 * The period counts from the start of the last run, so a new period_ms
 * re-arms the wait from there: a shorter one that is already over runs at
 * once, and rewriting period_ms, however often, never postpones a run.
 *
 * The wait is wait_event_freezable_timeout(), the freezable flavour of
 * wait_event_timeout(): the same stop-aware timed wait, in an
 * interruptible sleep (a kthread takes no signal) that the freezer can
 * freeze in place. Like TASK_IDLE, it neither counts in the load average
 * nor looks like a hung task when period_ms exceeds the hung-task timeout.
 *
 * Context: process context, may sleep.
 * Return: 0.
 */
static int compactor_thread(void *data)
{
	unsigned long last_run = jiffies;

	set_freezable();
	while (!kthread_should_stop()) {
		unsigned long due, now;

		/* Cleared before the period is read: a later change wakes us. */
		clear_bit(POKE_PERIOD, &compactor_poke);
		due = last_run + msecs_to_jiffies(READ_ONCE(ktlife_period_ms));
		/* One reading: a tick between two would make due - now wrap. */
		now = jiffies;
		if (!test_bit(POKE_KICK, &compactor_poke) &&
		    time_before(now, due)) {
			if (compactor_sleep_mode) {
				compactor_sleep(due - now);
				try_to_freeze();
			} else {
				compactor_wait(due - now);
			}
			continue;
		}
		clear_bit(POKE_KICK, &compactor_poke);
		last_run = jiffies;
		compactor_run();
	}
	return 0;
}

/**
 * ktlife_compactor_start() - start "ktlife/compact" (kcompactd_run()'s shape).
 * @sleep_mode: use the naive sleep loop instead of the stop-aware wait.
 *
 * Context: module init.
 * Return: 0 or the error of kthread_run().
 */
int ktlife_compactor_start(bool sleep_mode)
{
	struct task_struct *task;

	if (compactor_task)
		return 0;
	compactor_sleep_mode = sleep_mode;
	task = kthread_run(compactor_thread, NULL, "ktlife/compact");
	if (IS_ERR(task))
		return PTR_ERR(task);
	compactor_task = task;
	return 0;
}

/**
 * ktlife_compactor_stop() - stop "ktlife/compact" (kcompactd_stop()'s shape).
 *
 * In wait mode this returns as soon as the thread sees the stop; in sleep
 * mode only after the current period ran out.
 *
 * Context: module exit, after every writer was stopped.
 */
void ktlife_compactor_stop(void)
{
	u64 start = ktime_get_ns();

	if (!compactor_task)
		return;
	kthread_stop(compactor_task);
	compactor_task = NULL;
	pr_info("compactor stopped in %llu us (%s mode)\n",
		div_u64(ktime_get_ns() - start, NSEC_PER_USEC),
		compactor_sleep_mode ? "sleep" : "wait");
}

/**
 * ktlife_compactor_period_ok() - may the compactor run with this period?
 * @ms: the period.
 * @sleep_mode: for the naive sleep loop.
 *
 * The sleep loop cannot be woken early, so rmmod and a suspend wait for up
 * to one period: it takes at most KTLIFE_SLEEP_PERIOD_MAX_MS.
 *
 * Context: any.
 * Return: true if @ms is allowed.
 */
bool ktlife_compactor_period_ok(unsigned int ms, bool sleep_mode)
{
	return ms >= KTLIFE_PERIOD_MIN_MS &&
	       ms <= (sleep_mode ? KTLIFE_SLEEP_PERIOD_MAX_MS :
				   KTLIFE_PERIOD_MAX_MS);
}

/**
 * ktlife_compactor_set_period() - change period_ms and wake the compactor.
 * @ms: new period, within ktlife_compactor_period_ok().
 *
 * The compactor re-arms its wait from its last run with the new period.
 *
 * Context: any process context. Also used by the period_ms module
 * parameter, before the thread exists (main.c checks the mode then).
 * Return: 0 or -EINVAL.
 */
int ktlife_compactor_set_period(unsigned int ms)
{
	if (!ktlife_compactor_period_ok(ms, compactor_sleep_mode))
		return -EINVAL;
	WRITE_ONCE(ktlife_period_ms, ms);
	set_bit(POKE_PERIOD, &compactor_poke);
	wake_up(&compactor_wq);
	return 0;
}

/**
 * ktlife_compactor_kick() - make the compactor run now.
 *
 * Context: any process context.
 */
void ktlife_compactor_kick(void)
{
	set_bit(POKE_KICK, &compactor_poke);
	wake_up(&compactor_wq);
}

static const char *compactor_mode(void)
{
	return compactor_sleep_mode ? "sleep" : "wait";
}

/**
 * ktlife_compactor_status() - print the compactor's line of "status".
 * @m: where to print.
 *
 * Context: process context, while the compactor runs.
 */
void ktlife_compactor_status(struct seq_file *m)
{
	struct task_struct *task = compactor_task;
	u64 runs;

	spin_lock(&compactor_stats_lock);
	runs = compactor_runs;
	spin_unlock(&compactor_stats_lock);

	/* clang-format off */
	seq_printf(m, "compactor pid=%d comm=%s task=%c mode=%s period_ms=%u runs=%llu\n",
		   task ? task_pid_nr(task) : 0, task ? task->comm : "-",
		   task ? task_state_to_char(task) : '-', compactor_mode(),
		   READ_ONCE(ktlife_period_ms), runs);
	/* clang-format on */
}

/**
 * ktlife_compactor_stats() - print compactor/stats, "key: value" lines.
 * @m: where to print.
 *
 * Context: process context.
 */
void ktlife_compactor_stats(struct seq_file *m)
{
	u64 runs, reclaimed, last_run_ms, last_duration_us;

	spin_lock(&compactor_stats_lock);
	runs = compactor_runs;
	reclaimed = compactor_reclaimed;
	last_run_ms = compactor_last_run_ms;
	last_duration_us = compactor_last_duration_us;
	spin_unlock(&compactor_stats_lock);

	seq_printf(m, "runs: %llu\n", runs);
	seq_printf(m, "reclaimed_bytes: %llu\n", reclaimed);
	seq_printf(m, "last_run_ms: %llu\n", last_run_ms);
	seq_printf(m, "last_duration_us: %llu\n", last_duration_us);
	seq_printf(m, "mode: %s\n", compactor_mode());
	seq_printf(m, "period_ms: %u\n", READ_ONCE(ktlife_period_ms));
}

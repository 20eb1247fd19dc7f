// SPDX-License-Identifier: GPL-2.0
/*
 * The compaction kthread, "ktlife/compact", and its configuration.
 *
 * The kernel twin of the seed's Storage.compact(): every period_ms it trims
 * each writer's retained log to its newest "retain" records. It has the
 * shape of kcompactd in mm/compaction.c: a loop on kthread_should_stop()
 * around a timed wait whose condition also checks kthread_should_stop(), so
 * kthread_stop() never waits out a period. That is the seed's select on
 * time.After and the stop channel.
 *
 * The configuration (mode, period_ms, retain) is an object that owns its
 * thread, published through RCU: the twin of the value the seed's author
 * hot-reloaded through atomic.Value, and of the goroutine he leaked by
 * swapping it out. The compactor, not a writer, is the one to own it: it
 * is one shared service whose settings are a configuration, as in the
 * post, while a writer already has a stop protocol of its own. A reload
 * (ktlife_compactor_reload()) builds a new object and its thread, publishes
 * it, waits a grace period for the readers of the old one, stops the old
 * thread, hands over what it still owed (a pending kick, the time of its
 * last run), and only then lets the new thread run: one thread compacts at
 * a time, no run is lost, none done twice. The leaky reload, the seed's
 * bug on purpose, forgets the old thread instead.
 *
 * Trimming frees no memory: each log is a ring of slots allocated when its
 * writer is created, with a hard cap of its own (log.c), so memory stays
 * bounded whatever the compactor does; the compactor only keeps each log
 * down to what "retain" promises. "reclaimed" counts the payload bytes
 * trimmed.
 *
 * mode=sleep selects the naive twin, the seed's time.Sleep loop: sleep a
 * whole period, then look at the stop flag. It is kept only to show the
 * stop latency it causes, and it refuses periods above
 * KTLIFE_SLEEP_PERIOD_MAX_MS, which would make that latency exceed the
 * kernel's own timeouts.
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
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/wait.h>

#include "compat.h"
#include "ktlife.h"
#include "mutant.h"
#include "trace.h"

/* Reasons to wake the compactor before its period is up (poke bits). */
#define POKE_KICK 0 /* run now */
#define POKE_PERIOD 1 /* period_ms changed: re-arm from the last run */

/**
 * struct ktlife_compactor - one configuration of the compactor and the
 *	thread that runs it.
 * @cfg: the settings. @cfg.sleep_mode never changes; @cfg.period_ms and
 *	@cfg.retain are written under compactor_lock with
 *	WRITE_ONCE() and read with READ_ONCE().
 * @task: its thread, "ktlife/compact"; a task reference is held from its
 *	creation until the object is freed, so readers under rcu_read_lock()
 *	may look at it whatever state it is in.
 * @wq: the thread waits here (compactor_wait()).
 * @poke: POKE_* bits: why to wake before the period is up.
 * @last_run: jiffies at the start of the last run; the thread's own, read
 *	by its reloader once the thread is gone.
 * @generation: how many reloads came before this object.
 * @leaked_node: on compactor_leaked once a leaky reload orphaned it.
 */
struct ktlife_compactor {
	struct ktlife_compactor_cfg cfg;
	struct task_struct *task;
	wait_queue_head_t wq;
	unsigned long poke;
	unsigned long last_run;
	u64 generation;
	struct list_head leaked_node;
};

/*
 * The current configuration, the kernel's atomic.Value: readers (status,
 * stats, kick) use rcu_read_lock() and rcu_dereference() and never block;
 * module init publishes the first one before the debugfs files exist;
 * after that it is replaced under compactor_lock, only by a reload or
 * module exit, which hold compactor_reload_lock too (a holder of either
 * sees it stay), and an object is freed only after a grace period.
 */
static struct ktlife_compactor __rcu *compactor;

/*
 * compactor_lock (spinlock) serialises every update of the current
 * configuration: publishing a new object, and the in-place changes of
 * period_ms and retain, which therefore land on the object that is current
 * when they are made; a reload copies the settings it does not change
 * under the same lock, so no such change is lost. It guards
 * compactor_leaked too. Held for a few stores, never across a wait.
 */
static DEFINE_SPINLOCK(compactor_lock);
static LIST_HEAD(compactor_leaked);

/*
 * compactor_reload_lock (mutex) serialises reloads, and module exit's stop,
 * from start to end: one new thread at a time. Reloads take it killably:
 * one may wait for another's grace period and thread stop.
 */
static DEFINE_MUTEX(compactor_reload_lock);
/* Reloads done; written under compactor_reload_lock. */
static u64 compactor_reloads;

/* compactor_stats_lock guards the run statistics below it, all generations. */
static DEFINE_SPINLOCK(compactor_stats_lock);
static u64 compactor_runs;
static u64 compactor_reclaimed;
static u64 compactor_last_run_ms;
static u64 compactor_last_duration_us;

static const char *mode_name(bool sleep_mode)
{
	return sleep_mode ? "sleep" : "wait";
}

static bool compactor_wake_early(struct ktlife_compactor *c)
{
	return kthread_should_stop() || READ_ONCE(c->poke);
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
static void compactor_wait(struct ktlife_compactor *c, unsigned long timeout)
{
	wait_event_freezable_timeout(c->wq, compactor_wake_early(c), timeout);
}

static void compactor_run(struct ktlife_compactor *c)
{
	u64 start = ktime_get_ns();
	u64 reclaimed = ktlife_writers_compact(READ_ONCE(c->cfg.retain));
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
 * @data: the struct ktlife_compactor it runs.
 *
 * Runs once per period, or at once if kicked; repeats until kthread_stop().
 * Stopped by whoever replaces its object: a reload, or module exit
 * (compactor_retire()); after a leaky reload, by nobody.
 *
 * The period counts from the start of the last run, so a new period_ms
 * re-arms the wait from there: a shorter one that is already over runs at
 * once, and rewriting period_ms, however often, never postpones a run. A
 * reload hands @last_run over to the next thread, for the same reason.
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
	struct ktlife_compactor *c = data;

	set_freezable();
	while (!kthread_should_stop()) {
		unsigned long due, now;

		/* make MUTANT=period_restarts: a change re-arms from now */
		if (KTLIFE_MUTANT(PERIOD_RESTARTS) &&
		    test_bit(POKE_PERIOD, &c->poke))
			c->last_run = jiffies;
		/* Cleared before the period is read, and ordered before it. */
		clear_bit(POKE_PERIOD, &c->poke);
		/*
		 * clear_bit() returns nothing, so it is unordered on its own
		 * (atomic_bitops.txt). Pairs with smp_mb__before_atomic() in
		 * compactor_update(): if the clear_bit() took away the bit a
		 * change set, the READ_ONCE() below sees that change's
		 * period; if the bit is set after the clear_bit(), the wait's
		 * condition sees it and the thread comes round again
		 * (module/litmus/compactor-period-poke.litmus).
		 */
		smp_mb__after_atomic();
		due = c->last_run +
		      msecs_to_jiffies(READ_ONCE(c->cfg.period_ms));
		/* One reading: a tick between two would make due - now wrap. */
		now = jiffies;
		if (!test_bit(POKE_KICK, &c->poke) && time_before(now, due)) {
			/* make MUTANT=msleep_in_wait: sleep like msleep() */
			if (c->cfg.sleep_mode ||
			    KTLIFE_MUTANT(MSLEEP_IN_WAIT)) {
				compactor_sleep(due - now);
				try_to_freeze();
			} else {
				compactor_wait(c, due - now);
			}
			continue;
		}
		clear_bit(POKE_KICK, &c->poke);
		/*
		 * The run after the clear, as the period's read above: pairs
		 * with smp_mb__before_atomic() in ktlife_compactor_kick(), so
		 * that a run which took a kick away sees what came before it
		 * (module/litmus/compactor-kick.litmus).
		 */
		smp_mb__after_atomic();
		c->last_run = jiffies;
		compactor_run(c);
	}
	return 0;
}

/**
 * ktlife_compactor_cfg_ok() - is this a configuration the compactor takes?
 * @cfg: the settings, every one of them set.
 *
 * The sleep loop cannot be woken early, so rmmod and a suspend wait for up
 * to one period: it takes at most KTLIFE_SLEEP_PERIOD_MAX_MS.
 *
 * Context: any.
 * Return: 0, or -ERANGE.
 */
int ktlife_compactor_cfg_ok(const struct ktlife_compactor_cfg *cfg)
{
	unsigned int max = cfg->sleep_mode ? KTLIFE_SLEEP_PERIOD_MAX_MS :
					     KTLIFE_PERIOD_MAX_MS;

	if (cfg->period_ms < KTLIFE_PERIOD_MIN_MS || cfg->period_ms > max ||
	    cfg->retain > KTLIFE_RETAIN_MAX)
		return -ERANGE;
	return 0;
}

/*
 * A new object with its thread, created but not woken: nobody can reach it
 * yet, and its thread must not compact while the old one may. Its settings
 * are filled in when it is published.
 */
static struct ktlife_compactor *compactor_new(void)
{
	struct ktlife_compactor *c;
	struct task_struct *task;

	c = kzalloc_obj(*c, GFP_KERNEL);
	if (!c)
		return ERR_PTR(-ENOMEM);
	init_waitqueue_head(&c->wq);
	INIT_LIST_HEAD(&c->leaked_node);
	c->last_run = jiffies;
	task = kthread_create(compactor_thread, c, "ktlife/compact");
	if (IS_ERR(task)) {
		kfree(c);
		return ERR_CAST(task);
	}
	/* Its reference: readers look at the task until the object is freed. */
	c->task = get_task_struct(task);
	return c;
}

/*
 * The second half of replacing @old, once nobody can reach it: wait out its
 * readers, stop its thread, and hand what it still owed to @new (if any),
 * which the caller then wakes. Returns how long the stop itself took, in
 * us; the grace period before it (in *@grace_us, if not NULL) waits for
 * readers, not for the thread, and is not counted in it.
 */
static u64 compactor_retire(struct ktlife_compactor *old,
			    struct ktlife_compactor *new, u64 *grace_us)
{
	pid_t pid = task_pid_nr(old->task);
	u64 start = ktime_get_ns(), stop_us;

	/* Readers of @old (status, stats, kick) are done after this. */
	synchronize_rcu();
	if (grace_us)
		*grace_us = div_u64(ktime_get_ns() - start, NSEC_PER_USEC);
	start = ktime_get_ns();
	/* Ends a run in progress first: no run is cut short or done twice. */
	kthread_stop_put(old->task);
	stop_us = div_u64(ktime_get_ns() - start, NSEC_PER_USEC);
	if (new) {
		/*
		 * A kick that reached @old too late for it is @new's now
		 * (module/litmus/compactor-rcu-kick-handover.litmus).
		 */
		if (test_bit(POKE_KICK, &old->poke))
			set_bit(POKE_KICK, &new->poke);
		/* The period goes on from the last run, as in a period change. */
		new->last_run = old->last_run;
	}
	trace_ktlife_compactor_retire(old->generation, pid, stop_us);
	kfree(old);
	return stop_us;
}

/**
 * ktlife_compactor_start() - start the first "ktlife/compact".
 * @cfg: its settings, checked by ktlife_compactor_cfg_ok().
 *
 * kcompactd_run()'s shape: nothing to do if it runs already.
 *
 * Context: module init.
 * Return: 0, -ENOMEM or the error of kthread_create().
 */
int ktlife_compactor_start(const struct ktlife_compactor_cfg *cfg)
{
	struct ktlife_compactor *c;

	if (rcu_access_pointer(compactor))
		return 0;
	c = compactor_new();
	if (IS_ERR(c))
		return PTR_ERR(c);
	c->cfg = *cfg;
	spin_lock(&compactor_lock);
	rcu_assign_pointer(compactor, c);
	spin_unlock(&compactor_lock);
	wake_up_process(c->task);
	return 0;
}

/**
 * ktlife_compactor_stop() - stop "ktlife/compact" (kcompactd_stop()'s shape).
 *
 * In wait mode this returns as soon as the thread sees the stop; in sleep
 * mode only after the current period ran out. Threads orphaned by a leaky
 * reload are not stopped: they pinned the module, so unload cannot begin
 * while one lives.
 *
 * Context: module exit, after every writer was stopped; debugfs is gone.
 */
void ktlife_compactor_stop(void)
{
	struct ktlife_compactor *c;
	u64 stop_us, grace_us;
	bool sleep_mode;

	/* Not killable: rmmod may be killed, the thread must stop anyway. */
	mutex_lock(&compactor_reload_lock);
	spin_lock(&compactor_lock);
	c = rcu_replace_pointer(compactor, NULL,
				lockdep_is_held(&compactor_lock));
	spin_unlock(&compactor_lock);
	if (c) {
		sleep_mode = c->cfg.sleep_mode;
		stop_us = compactor_retire(c, NULL, &grace_us);
		/* clang-format off */
		pr_info("compactor stopped in %llu us (%s mode), after a grace period of %llu us for its readers\n",
			stop_us, mode_name(sleep_mode), grace_us);
		/* clang-format on */
	}
	mutex_unlock(&compactor_reload_lock);
}

/*
 * The settings @want leaves @cur, the current configuration, with, in
 * *@cfg: what the line leaves out is what is current now. Under
 * compactor_lock, which the period_ms and retain writes to @cur->cfg take.
 * Returns 0, -ERANGE if they are out of range, or -ENODEV if there is no
 * current one (module exiting).
 */
static int compactor_want_cfg(const struct ktlife_compactor *cur,
			      const struct ktlife_compactor_want *want,
			      struct ktlife_compactor_cfg *cfg)
{
	lockdep_assert_held(&compactor_lock);
	if (!cur)
		return -ENODEV;
	*cfg = cur->cfg;
	if (want->period_ms >= 0)
		cfg->period_ms = want->period_ms;
	if (want->retain >= 0)
		cfg->retain = want->retain;
	if (want->mode)
		cfg->sleep_mode = want->mode == KTLIFE_MODE_SLEEP;
	return ktlife_compactor_cfg_ok(cfg);
}

/**
 * ktlife_compactor_reload() - replace the configuration, and its thread.
 * @want: the settings to change: a negative @want->period_ms or
 *	@want->retain, or @want->mode, keeps the current one.
 * @leaky: the seed's bug, on purpose: publish the new configuration and
 *	forget the old one, thread and all, instead of stopping it. Only
 *	with bugs=1 (the caller checks), at most max_leaky leaks in all; it
 *	pins the module, so the orphan's code is never unloaded under it.
 *
 * Checks the settings (and charges a leak), builds the new object and its
 * thread, checks the settings again (a period_ms write may have landed
 * meanwhile: it takes no reload lock), publishes it in place of the old
 * one, then (unless @leaky) waits a grace period, stops the old thread and
 * frees the old object; the new thread runs once the old one is gone. A
 * line refused by the first check, or a leak over budget, builds no
 * thread at all. Readers never wait for any of it. Waits for nothing
 * userspace can prolong: the lock of another reload (killably),
 * kthread_create() (killable), a grace period, and the old thread's
 * current run (or, in sleep mode, the rest of its period, at most
 * KTLIFE_SLEEP_PERIOD_MAX_MS).
 *
 * Context: process context, may sleep; takes compactor_reload_lock, then
 * compactor_lock.
 * Return: 0; -ERANGE if the resulting settings are out of range (a
 * sleep-mode period above 10 s, say), and nothing changes; -ENOSPC (the
 * leak budget is spent), -EINTR (killed), -ENOMEM, -ENODEV (module
 * exiting), or kthread_create()'s error.
 */
int ktlife_compactor_reload(const struct ktlife_compactor_want *want,
			    bool leaky)
{
	struct ktlife_compactor *old, *new;
	struct ktlife_compactor_cfg cfg;
	int ret;

	if (mutex_lock_killable(&compactor_reload_lock))
		return -EINTR;
	spin_lock(&compactor_lock);
	/* Current until this reload publishes: we hold the reload mutex. */
	old = rcu_dereference_protected(compactor,
					lockdep_is_held(&compactor_lock));
	ret = compactor_want_cfg(old, want, &cfg);
	spin_unlock(&compactor_lock);
	/* Charged before the thread is built: over budget, none is. */
	if (!ret && leaky)
		ret = ktlife_bug_leak_charge();
	if (ret)
		goto out_unlock;
	new = compactor_new();
	if (IS_ERR(new)) {
		ret = PTR_ERR(new);
		goto out_uncharge;
	}

	spin_lock(&compactor_lock);
	ret = compactor_want_cfg(old, want, &cfg);
	if (!ret) {
		new->cfg = cfg;
		new->generation = compactor_reloads + 1;
		rcu_assign_pointer(compactor, new);
		if (leaky)
			list_add_tail(&old->leaked_node, &compactor_leaked);
	}
	spin_unlock(&compactor_lock);
	if (ret) {
		/* Never woken: kthread_stop() returns -EINTR at once. */
		kthread_stop_put(new->task);
		kfree(new);
		goto out_uncharge;
	}

	compactor_reloads++;
	if (leaky) {
		/*
		 * The seed's bug: swap the value and forget the old one. Its
		 * thread goes on compacting, at its own period, with nobody
		 * to stop it. Pin the module, or rmmod would free the code
		 * it runs.
		 */
		__module_get(THIS_MODULE);
		/* clang-format off */
		pr_warn("compactor: leaky reload: thread %d of generation %llu orphaned, module pinned until reboot\n",
			task_pid_nr(old->task), old->generation);
		/* clang-format on */
	} else if (!KTLIFE_MUTANT(RELOAD_NO_STOP)) {
		/* make MUTANT=reload_no_stop: publish, and stop nothing */
		compactor_retire(old, new, NULL);
	}
	trace_ktlife_compactor_reload(new->generation, task_pid_nr(new->task),
				      leaky);
	wake_up_process(new->task);
	mutex_unlock(&compactor_reload_lock);
	return 0;

out_uncharge:
	if (leaky)
		ktlife_bug_leak_uncharge();
out_unlock:
	mutex_unlock(&compactor_reload_lock);
	return ret;
}

/*
 * Change a setting of the current configuration in place: period_ms or
 * retain, under compactor_lock so that a reload publishing at the
 * same time either copies the change or takes it after.
 */
static int compactor_update(unsigned int period_ms, int retain)
{
	struct ktlife_compactor *c;
	struct ktlife_compactor_cfg cfg;
	int ret;

	spin_lock(&compactor_lock);
	c = rcu_dereference_protected(compactor,
				      lockdep_is_held(&compactor_lock));
	ret = c ? 0 : -ENODEV;
	if (!ret) {
		cfg = c->cfg;
		if (period_ms)
			cfg.period_ms = period_ms;
		if (retain >= 0)
			cfg.retain = retain;
		ret = ktlife_compactor_cfg_ok(&cfg);
	}
	if (!ret) {
		WRITE_ONCE(c->cfg.period_ms, cfg.period_ms);
		WRITE_ONCE(c->cfg.retain, cfg.retain);
		/*
		 * The new period before the bit that announces it: pairs
		 * with smp_mb__after_atomic() in compactor_thread()
		 * (module/litmus/compactor-period-poke.litmus).
		 */
		smp_mb__before_atomic();
		set_bit(POKE_PERIOD, &c->poke);
		wake_up(&c->wq);
	}
	spin_unlock(&compactor_lock);
	return ret;
}

/**
 * ktlife_compactor_set_period() - change period_ms and wake the compactor.
 * @ms: new period, 1..3600000 (at most 10000 in sleep mode).
 *
 * The compactor re-arms its wait from its last run with the new period (in
 * sleep mode, once its current sleep is over).
 *
 * Context: process context; takes compactor_lock.
 * Return: 0, -EINVAL (out of range) or -ENODEV (module exiting).
 */
int ktlife_compactor_set_period(unsigned int ms)
{
	int ret = ms ? compactor_update(ms, -1) : -ERANGE;

	return ret == -ERANGE ? -EINVAL : ret;
}

/**
 * ktlife_compactor_kick() - make the compactor run now.
 *
 * In sleep mode, once its current sleep is over: the naive loop cannot be
 * woken early.
 *
 * Context: any process context; a reader, under rcu_read_lock().
 */
void ktlife_compactor_kick(void)
{
	struct ktlife_compactor *c;

	rcu_read_lock();
	c = rcu_dereference(compactor);
	if (c) {
		/*
		 * Pairs with smp_mb__after_atomic() in compactor_thread()
		 * (module/litmus/compactor-kick.litmus).
		 */
		smp_mb__before_atomic();
		set_bit(POKE_KICK, &c->poke);
		wake_up(&c->wq);
	}
	rcu_read_unlock();
}

/**
 * ktlife_compactor_status() - print the compactor's lines of "status".
 * @m: where to print: the current configuration's thread, then one
 *	"leaked compactor" line for each thread a leaky reload orphaned.
 *
 * Context: process context; a reader, under rcu_read_lock(), and takes
 * compactor_lock for the leaked list.
 */
void ktlife_compactor_status(struct seq_file *m)
{
	struct ktlife_compactor *c;
	u64 runs;

	spin_lock(&compactor_stats_lock);
	runs = compactor_runs;
	spin_unlock(&compactor_stats_lock);

	rcu_read_lock();
	c = rcu_dereference(compactor);
	if (c) {
		/* clang-format off */
		seq_printf(m, "compactor pid=%d comm=%s task=%c mode=%s period_ms=%u retain=%u runs=%llu generation=%llu\n",
			   task_pid_nr(c->task), c->task->comm,
			   task_state_to_char(c->task),
			   mode_name(c->cfg.sleep_mode),
			   READ_ONCE(c->cfg.period_ms),
			   READ_ONCE(c->cfg.retain), runs, c->generation);
		/* clang-format on */
	}
	rcu_read_unlock();

	spin_lock(&compactor_lock);
	list_for_each_entry(c, &compactor_leaked, leaked_node)
		seq_printf(m,
			   "leaked compactor pid=%d comm=%s generation=%llu\n",
			   task_pid_nr(c->task), c->task->comm, c->generation);
	spin_unlock(&compactor_lock);
}

/**
 * ktlife_compactor_stats() - print compactor/stats, "key: value" lines.
 * @m: where to print.
 *
 * Context: process context; a reader, under rcu_read_lock().
 */
void ktlife_compactor_stats(struct seq_file *m)
{
	u64 runs, reclaimed, last_run_ms, last_duration_us;
	struct ktlife_compactor_cfg cfg = {};
	struct ktlife_compactor *c;
	u64 generation = 0;
	pid_t pid = 0;

	spin_lock(&compactor_stats_lock);
	runs = compactor_runs;
	reclaimed = compactor_reclaimed;
	last_run_ms = compactor_last_run_ms;
	last_duration_us = compactor_last_duration_us;
	spin_unlock(&compactor_stats_lock);

	rcu_read_lock();
	c = rcu_dereference(compactor);
	if (c) {
		cfg.sleep_mode = c->cfg.sleep_mode;
		cfg.period_ms = READ_ONCE(c->cfg.period_ms);
		cfg.retain = READ_ONCE(c->cfg.retain);
		generation = c->generation;
		pid = task_pid_nr(c->task);
	}
	rcu_read_unlock();

	seq_printf(m, "runs: %llu\n", runs);
	seq_printf(m, "reclaimed_bytes: %llu\n", reclaimed);
	seq_printf(m, "last_run_ms: %llu\n", last_run_ms);
	seq_printf(m, "last_duration_us: %llu\n", last_duration_us);
	seq_printf(m, "mode: %s\n", mode_name(cfg.sleep_mode));
	seq_printf(m, "period_ms: %u\n", cfg.period_ms);
	seq_printf(m, "retain: %u\n", cfg.retain);
	seq_printf(m, "generation: %llu\n", generation);
	seq_printf(m, "pid: %d\n", pid);
}

/**
 * ktlife_compactor_period() - the current period_ms.
 *
 * Context: any; a reader, under rcu_read_lock().
 * Return: the period, or 0 if no compactor runs.
 */
unsigned int ktlife_compactor_period(void)
{
	struct ktlife_compactor *c;
	unsigned int ms = 0;

	rcu_read_lock();
	c = rcu_dereference(compactor);
	if (c)
		ms = READ_ONCE(c->cfg.period_ms);
	rcu_read_unlock();
	return ms;
}

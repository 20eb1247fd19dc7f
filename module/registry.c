// SPDX-License-Identifier: GPL-2.0
/*
 * The registry: which writers exist, by id, and in which state.
 *
 * Creating and stopping a writer each go in steps, so that the registry
 * lock is only ever held for list work (the way WireGuard removes a peer:
 * under the device lock, unlink it and mark it dead; after, outside it,
 * wait for its users and free it). Create: reserve the id (STARTING),
 * create the thread outside the lock, let the caller make the writer
 * reachable, then mark it LIVE and wake the thread. Stop: mark it DYING
 * under the lock; then, outside it, close its input, the caller removes
 * its directory, and ktlife_writer_reap() stops the thread, records the
 * final counts and frees the id.
 *
 * The caller that owns the interface (debugfs.c) drives those steps: this
 * file never calls back up into it.
 */
#include <linux/debugfs.h>
#include <linux/ktime.h>
#include <linux/kthread.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <linux/xarray.h>

#include "ktlife.h"
#include "mutant.h"
#include "trace.h"

/*
 * ktlife_writers_lock guards the registry: the changes of ktlife_writers,
 * the counts, the reaped history and each writer's state. It is held for list
 * work only, never across user memory access or a wait. A path a user
 * starts takes it killably where it begins; the steps that finish what was
 * begun (start, abort, reap) cannot give up and take it plainly, which is
 * safe because nobody holds it for long.
 */
static DEFINE_MUTEX(ktlife_writers_lock);
/*
 * The writers by id: the kernel's id-to-object map, so that finding one is
 * O(1) however many there are (max_writers may be 10,000). Stored and
 * erased under ktlife_writers_lock (the XArray's own spinlock is taken
 * inside); walked under it too, in id order.
 */
static DEFINE_XARRAY(ktlife_writers);
/*
 * Writers registered: starting, live and dying (status's "writers"). The
 * max_writers bound is on the memory held, in ktlife_writer_alloc().
 */
static unsigned int nr_writers;
static unsigned int nr_leaked;
static unsigned int nr_dying;
static u64 nr_stopped[KTLIFE_STOP_MODES];

/*
 * The last REAPED_MAX writers reaped since load, with their final counts:
 * what a test reads to check a stop lost, dropped or reordered nothing,
 * and what "make bench" reads for the stop time of each writer of a
 * "stop all" of 256 (14 KiB, fixed).
 */
#define REAPED_MAX 256
static struct reaped_writer {
	unsigned int id;
	enum ktlife_stop_mode mode;
	int ret;
	/* How long the stop took: kthread_stop() to the final counts. */
	u32 stop_us;
	struct ktlife_writer_stats st;
} reaped[REAPED_MAX];
static u64 nr_reaped;
/* Sums over every writer reaped since load: nothing may vanish. */
static struct ktlife_writer_stats reaped_sum;

static struct ktlife_writer *writer_find(unsigned int id)
{
	lockdep_assert_held(&ktlife_writers_lock);
	return xa_load(&ktlife_writers, id);
}

/* Reserve @w's id in @state, within the limits. */
static int writer_register(struct ktlife_writer *w,
			   enum ktlife_writer_state state)
{
	struct ktlife_writer *old;
	int ret = 0;

	if (mutex_lock_killable(&ktlife_writers_lock))
		return -EINTR;
	old = writer_find(w->id);
	if (old)
		ret = old->state == KTLIFE_WRITER_DYING ? -EBUSY : -EEXIST;
	else if (state == KTLIFE_WRITER_LEAKED)
		ret = ktlife_bug_leak_charge();
	if (!ret) {
		w->state = state;
		/* The slot for @id is free: only an allocation can fail. */
		ret = xa_err(xa_store(&ktlife_writers, w->id, w, GFP_KERNEL));
		if (ret && state == KTLIFE_WRITER_LEAKED)
			ktlife_bug_leak_uncharge();
	}
	if (!ret) {
		if (state == KTLIFE_WRITER_LEAKED)
			nr_leaked++;
		else
			nr_writers++;
	}
	mutex_unlock(&ktlife_writers_lock);
	return ret;
}

/* Free @w's id. */
static void writer_unregister(struct ktlife_writer *w)
{
	lockdep_assert_held(&ktlife_writers_lock);
	if (w->state == KTLIFE_WRITER_DYING)
		nr_dying--;
	if (w->state == KTLIFE_WRITER_LEAKED) {
		/* Only a leaky writer whose thread could not be created. */
		nr_leaked--;
		ktlife_bug_leak_uncharge();
	} else {
		nr_writers--;
	}
	xa_erase(&ktlife_writers, w->id);
}

/*
 * Allocate writer @id, reserve its id in @state (STARTING, or LEAKED for
 * the leaky writer) and create its thread, outside the registry lock:
 * kthread_create() waits for kthreadd.
 */
static struct ktlife_writer *writer_new(unsigned int id,
					enum ktlife_writer_state state)
{
	struct ktlife_writer *w;
	int ret;

	if (id > KTLIFE_MAX_ID)
		return ERR_PTR(-EINVAL);
	w = ktlife_writer_alloc(id, state == KTLIFE_WRITER_LEAKED);
	if (IS_ERR(w))
		return w;
	ret = writer_register(w, state);
	if (ret)
		goto err_put_writer;
	ret = ktlife_writer_create_thread(w);
	if (ret)
		goto err_unregister;
	return w;

err_unregister:
	mutex_lock(&ktlife_writers_lock);
	writer_unregister(w);
	mutex_unlock(&ktlife_writers_lock);
err_put_writer:
	ktlife_writer_put(w);
	return ERR_PTR(ret);
}

/**
 * ktlife_writer_create() - reserve writer @id and create its thread.
 * @id: writer id, 0..KTLIFE_MAX_ID.
 *
 * The writer is STARTING: its id is taken, its thread exists but has not
 * run, and nobody can reach it yet. The caller makes it reachable, then
 * calls ktlife_writer_run(); or, if that fails, ktlife_writer_abort().
 *
 * Context: process context, may sleep; takes ktlife_writers_lock.
 * Return: the writer (the registry holds its reference), or ERR_PTR() of
 * -EINVAL (bad id), -EEXIST (id taken), -EBUSY (id still dying), -ENOSPC
 * (max_writers held, see ktlife_writer_alloc()), -ENOMEM, -EINTR
 * (killed), or kthread_create()'s error.
 */
struct ktlife_writer *ktlife_writer_create(unsigned int id)
{
	return writer_new(id, KTLIFE_WRITER_STARTING);
}

/**
 * ktlife_writer_run() - let a STARTING writer's thread run; make it LIVE.
 * @w: from ktlife_writer_create(), now reachable by feeders.
 *
 * The second half of what kthread_run() does in one go: ktlife_writer_create()
 * created the thread, this wakes it, once the writer's files exist.
 * The thread is woken first, while nobody can stop the writer: once it is
 * LIVE, a stop may reap and free it at any moment, so @w is not touched
 * after the unlock.
 *
 * Context: process context; takes ktlife_writers_lock.
 */
void ktlife_writer_run(struct ktlife_writer *w)
{
	wake_up_process(w->task);
	mutex_lock(&ktlife_writers_lock);
	w->state = KTLIFE_WRITER_LIVE;
	mutex_unlock(&ktlife_writers_lock);
}

/**
 * ktlife_writer_abort() - undo ktlife_writer_create(): reap the unrun thread.
 * @w: a STARTING writer that never became reachable.
 *
 * Context: process context, may sleep; takes @w->ctl_lock and
 * ktlife_writers_lock.
 */
void ktlife_writer_abort(struct ktlife_writer *w)
{
	/* Never woken: kthread_stop() returns -EINTR, threadfn never runs. */
	mutex_lock(&w->ctl_lock);
	ktlife_writer_stop_thread(w, KTLIFE_STOP_NOW);
	mutex_unlock(&w->ctl_lock);

	mutex_lock(&ktlife_writers_lock);
	writer_unregister(w);
	mutex_unlock(&ktlife_writers_lock);
	ktlife_writer_put(w);
}

/**
 * ktlife_writer_create_leaky() - start the seed's leaky writer as @id.
 * @id: writer id, 0..KTLIFE_MAX_ID.
 *
 * A writer with no stop path and no queue file: it runs at once, pins the
 * module, and keeps its id until reboot; the registry's reference on it is
 * never dropped (its thread uses it). At most max_leaky exist.
 *
 * Context: process context, may sleep; takes ktlife_writers_lock.
 * Return: 0, or -EINVAL, -EEXIST, -EBUSY, -ENOSPC (max_leaky reached),
 * -ENOMEM, -EINTR, or kthread_create()'s error.
 */
int ktlife_writer_create_leaky(unsigned int id)
{
	return PTR_ERR_OR_ZERO(writer_new(id, KTLIFE_WRITER_LEAKED));
}

/* Live writer @id, or NULL; ktlife_writers_lock held. */
static struct ktlife_writer *writer_find_live(unsigned int id)
{
	struct ktlife_writer *w = writer_find(id);

	return w && w->state == KTLIFE_WRITER_LIVE ? w : NULL;
}

/* LIVE -> DYING; the caller then closes its input. */
static void writer_make_dying(struct ktlife_writer *w)
{
	lockdep_assert_held(&ktlife_writers_lock);
	w->state = KTLIFE_WRITER_DYING;
	nr_dying++;
}

/**
 * ktlife_writer_begin_stop() - begin the stop of writer @id.
 * @id: writer id.
 *
 * The first half of a stop: marks the writer DYING (its id stays taken, it
 * can no longer be stopped, and a park or unpark that has not found it yet
 * no longer will) and closes its queue: feeders waiting for room leave
 * with -EPIPE, later ones get -EPIPE at once. It stays in the registry:
 * the caller then removes its directory and calls ktlife_writer_reap(),
 * which stops the thread and takes it out.
 *
 * Context: process context, may sleep; takes ktlife_writers_lock.
 * Return: the writer, or ERR_PTR(-ENOENT) if no writer @id is live (leaky
 * writers cannot be stopped), or ERR_PTR(-EINTR) if killed.
 */
struct ktlife_writer *ktlife_writer_begin_stop(unsigned int id)
{
	struct ktlife_writer *w;

	if (mutex_lock_killable(&ktlife_writers_lock))
		return ERR_PTR(-EINTR);
	w = writer_find_live(id);
	if (w)
		writer_make_dying(w);
	/* make MUTANT=lock_across_remove: its files removed under the lock */
	if (w && KTLIFE_MUTANT(LOCK_ACROSS_REMOVE)) {
		debugfs_remove(w->dir);
		w->dir = NULL;
	}
	mutex_unlock(&ktlife_writers_lock);
	if (!w)
		return ERR_PTR(-ENOENT);
	ktlife_queue_close(&w->q);
	return w;
}

/* ktlife_writer_begin_stop() for every live writer; ktlife_writers_lock held. */
static int writers_begin_stop_all(struct list_head *dying)
{
	struct ktlife_writer *w;
	unsigned long id;
	int n = 0;

	lockdep_assert_held(&ktlife_writers_lock);
	xa_for_each(&ktlife_writers, id, w) {
		if (w->state != KTLIFE_WRITER_LIVE)
			continue;
		writer_make_dying(w);
		list_add_tail(&w->dying_node, dying);
		n++;
	}
	return n;
}

/**
 * ktlife_writers_begin_stop_all() - begin the stop of every live writer.
 * @dying: list to put them on (through their @dying_node).
 * @killable: false at module exit: rmmod may be killed, the writers must
 *	stop anyway.
 *
 * The same as ktlife_writer_begin_stop() for each: all of them are marked
 * DYING and their queues closed before any is reaped, so that their
 * threads drain in parallel. Leaky writers are not live; starting and
 * dying ones belong to the create or stop in progress.
 *
 * Context: process context, may sleep; takes ktlife_writers_lock
 * (killably if @killable).
 * Return: the number of writers put on @dying, or -EINTR if killed.
 */
int ktlife_writers_begin_stop_all(struct list_head *dying, bool killable)
{
	struct ktlife_writer *w;
	int n;

	if (!killable)
		mutex_lock(&ktlife_writers_lock);
	else if (mutex_lock_killable(&ktlife_writers_lock))
		return -EINTR;
	n = writers_begin_stop_all(dying);
	mutex_unlock(&ktlife_writers_lock);

	list_for_each_entry(w, dying, dying_node)
		ktlife_queue_close(&w->q);
	return n;
}

/**
 * ktlife_writer_reap() - finish the stop of a DYING writer.
 * @w: from ktlife_writer_begin_stop() or ktlife_writers_begin_stop_all(); its
 *	directory is gone.
 * @mode: how; see enum ktlife_stop_mode.
 *
 * Stops and reaps the thread, records the final counts in the reaped
 * history, frees the id and drops the registry's reference (open files of
 * the writer may still hold theirs).
 *
 * Context: process context, may sleep; takes @w->ctl_lock, then
 * ktlife_writers_lock. Waits only for the thread to drain its fifo.
 */
void ktlife_writer_reap(struct ktlife_writer *w, enum ktlife_stop_mode mode)
{
	struct ktlife_writer_stats st;
	struct reaped_writer *r;
	u64 start = ktime_get_ns();
	int ret;

	trace_ktlife_writer_stop(w->id, mode);
	/* Not killable: once begun, a stop must finish, and it is bounded. */
	mutex_lock(&w->ctl_lock);
	ret = ktlife_writer_stop_thread(w, mode);
	mutex_unlock(&w->ctl_lock);
	ktlife_writer_stats(w, &st);

	mutex_lock(&ktlife_writers_lock);
	r = &reaped[nr_reaped++ % REAPED_MAX];
	r->id = w->id;
	r->mode = mode;
	r->ret = ret;
	r->stop_us = min_t(u64, div_u64(ktime_get_ns() - start, NSEC_PER_USEC),
			   U32_MAX);
	r->st = st;
	reaped_sum.enqueued += st.enqueued;
	reaped_sum.processed += st.processed;
	reaped_sum.discarded += st.discarded;
	nr_stopped[mode]++;
	writer_unregister(w);
	mutex_unlock(&ktlife_writers_lock);

	trace_ktlife_writer_exit(w->id, ret, st.enqueued, st.processed,
				 st.discarded);
	/* clang-format off */
	pr_debug("w%u: stopped (%s), thread returned %d, %llu enqueued, %llu processed, %llu discarded\n",
		 w->id, ktlife_stop_mode_name(mode), ret, st.enqueued,
		 st.processed, st.discarded);
	/* clang-format on */
	ktlife_writer_put(w);
}

/**
 * ktlife_writer_park() - park or unpark writer @id.
 * @id: writer id.
 * @park: true to park (kthread_park()), false to unpark.
 *
 * Context: process context, may sleep; takes ktlife_writers_lock, then
 * @w->ctl_lock, killably.
 * Return: 0, -ENOENT if no writer @id is live, -EALREADY if it already is
 * in that state, -EINTR if killed, or kthread_park()'s error.
 */
int ktlife_writer_park(unsigned int id, bool park)
{
	struct ktlife_writer *w;
	int ret;

	if (mutex_lock_killable(&ktlife_writers_lock))
		return -EINTR;
	w = writer_find_live(id);
	if (w)
		ktlife_writer_get(w);
	mutex_unlock(&ktlife_writers_lock);
	if (!w)
		return -ENOENT;
	if (mutex_lock_killable(&w->ctl_lock)) {
		ret = -EINTR;
		goto out_put;
	}
	/*
	 * A stop may have begun meanwhile; its reap waits for this lock, so
	 * the thread is still there either way.
	 */
	ret = ktlife_writer_park_thread(w, park);
	mutex_unlock(&w->ctl_lock);
out_put:
	ktlife_writer_put(w);
	return ret;
}

/**
 * ktlife_writers_compact() - trim every writer's log to its newest records.
 * @retain: how many records to keep per writer.
 *
 * Context: process context, may sleep; takes ktlife_writers_lock, then
 * each writer's lock in turn.
 * Return: payload bytes trimmed.
 */
u64 ktlife_writers_compact(unsigned int retain)
{
	struct ktlife_writer *w;
	unsigned long id;
	u64 trimmed = 0;

	mutex_lock(&ktlife_writers_lock);
	xa_for_each(&ktlife_writers, id, w) {
		trimmed += ktlife_writer_compact(w, retain);
		/* Up to 10,000 writers: let others run between two. */
		cond_resched();
	}
	mutex_unlock(&ktlife_writers_lock);
	return trimmed;
}

static const char *writer_state(struct ktlife_writer *w)
{
	switch (w->state) {
	case KTLIFE_WRITER_STARTING:
		return "starting";
	case KTLIFE_WRITER_DYING:
		return "dying";
	default:
		return READ_ONCE(w->parked) ? "parked" : "running";
	}
}

static void writer_status(struct seq_file *m, struct ktlife_writer *w,
			  struct ktlife_writer_stats *st)
{
	/*
	 * Only a live writer's task is sure to be there: a starting one may
	 * have none yet, a dying one may be reaped under us.
	 */
	bool alive = w->state == KTLIFE_WRITER_LIVE;

	/* clang-format off */
	seq_printf(m, "writer id=%u pid=%d comm=%s state=%s task=%c queued=%llu enqueued=%llu processed=%llu discarded=%llu bytes=%llu crc32=%08x\n",
		   w->id, READ_ONCE(w->pid), alive ? w->task->comm : "-", writer_state(w),
		   alive ? task_state_to_char(w->task) : '-', st->queued,
		   st->enqueued, st->processed, st->discarded, st->bytes,
		   st->crc);
	/* clang-format on */
}

/**
 * ktlife_writers_status() - print one line per writer and a total.
 * @m: where to print: "writer" lines for every writer that has a stop
 *	path, "leaked" lines for the others, then the "total" line.
 *
 * Never waits for a feeder: feeders hold no lock while they copy.
 *
 * Context: process context, may sleep; takes ktlife_writers_lock (killably)
 * and each writer's two spinlocks in turn.
 * Return: 0, or -EINTR if killed.
 */
int ktlife_writers_status(struct seq_file *m)
{
	struct ktlife_writer_stats st, sum = {};
	struct ktlife_writer *w;
	unsigned long id;

	if (mutex_lock_killable(&ktlife_writers_lock))
		return -EINTR;
	xa_for_each(&ktlife_writers, id, w) {
		if (w->state == KTLIFE_WRITER_LEAKED) {
			/* Its pid is set once its thread exists. */
			seq_printf(m, "leaked id=%u pid=%d comm=ktlife/w%u\n",
				   w->id, READ_ONCE(w->pid), w->id);
			sum.mem += ktlife_writer_mem(w);
			continue;
		}
		ktlife_writer_stats(w, &st);
		writer_status(m, w, &st);
		sum.enqueued += st.enqueued;
		sum.processed += st.processed;
		sum.discarded += st.discarded;
		sum.queued += st.queued;
		sum.mem += st.mem;
		cond_resched();
	}
	/* clang-format off */
	seq_printf(m, "total writers=%u leaked=%u dying=%u queued=%llu enqueued=%llu processed=%llu discarded=%llu mem_bytes=%llu stopped_graceful=%llu stopped_now=%llu stopped_close=%llu reaped_enqueued=%llu reaped_processed=%llu reaped_discarded=%llu\n",
		   nr_writers, nr_leaked, nr_dying, sum.queued, sum.enqueued,
		   sum.processed, sum.discarded, sum.mem,
		   nr_stopped[KTLIFE_STOP_GRACEFUL],
		   nr_stopped[KTLIFE_STOP_NOW],
		   nr_stopped[KTLIFE_STOP_CLOSE], reaped_sum.enqueued,
		   reaped_sum.processed, reaped_sum.discarded);
	/* clang-format on */
	mutex_unlock(&ktlife_writers_lock);
	return 0;
}

/*
 * How the thread ended: it returned on its own (close), it left when
 * kthread_stop() asked, or kthread_stop() came before it ever ran and its
 * function never did (-EINTR; the reaper drained the queue itself).
 */
static const char *reaped_exit(const struct reaped_writer *r)
{
	if (r->ret == -EINTR)
		return "unrun";
	return r->mode == KTLIFE_STOP_CLOSE ? "returned" : "stopped";
}

/**
 * ktlife_writers_reaped_show() - print the last writers reaped, oldest first.
 * @m: where to print: one "reaped" line each, with the stop mode, the
 *	thread's return value, the final counters and how long the stop
 *	took.
 *
 * Context: process context, may sleep; takes ktlife_writers_lock killably.
 * Return: 0, or -EINTR if killed.
 */
int ktlife_writers_reaped_show(struct seq_file *m)
{
	u64 i;

	if (mutex_lock_killable(&ktlife_writers_lock))
		return -EINTR;
	i = nr_reaped > REAPED_MAX ? nr_reaped - REAPED_MAX : 0;
	for (; i < nr_reaped; i++) {
		struct reaped_writer *r = &reaped[i % REAPED_MAX];

		/* clang-format off */
		seq_printf(m, "reaped id=%u mode=%s ret=%d exit=%s enqueued=%llu processed=%llu discarded=%llu bytes=%llu crc32=%08x stop_us=%u\n",
			   r->id, ktlife_stop_mode_name(r->mode), r->ret,
			   reaped_exit(r),
			   r->st.enqueued, r->st.processed, r->st.discarded,
			   r->st.bytes, r->st.crc, r->stop_us);
		/* clang-format on */
	}
	mutex_unlock(&ktlife_writers_lock);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * One writer: a kthread fed by its own queue, keeping a capped log.
 *
 * This is the kernel twin of the seed's Writer: a thread that takes
 * messages off a queue. Feeders put one message per write() into the queue
 * (queue.c) and wake the thread only when it sleeps; the thread drains the
 * queue in batches, one round of its lock per batch, adding each message
 * to its log and its counters, then sleeps on a wait queue (TASK_IDLE: an
 * idle writer costs no CPU and adds nothing to the load average). Every
 * writer also has a stop path, which is the point of it all; the leaky
 * writer, which has none, is here to show what that costs.
 *
 * Writers run as SCHED_BATCH: the same fair share of the CPU as any task,
 * but a wake-up does not preempt the task that woke it. A feeder that wakes
 * its writer on the same CPU then goes on writing until it blocks or its
 * time slice ends, and the writer drains many messages per switch instead
 * of one: a background consumer should not preempt its producer for every
 * message. When a CPU is free, the writer runs there at once.
 *
 * Writers are not freezable (no set_freezable()), which is the kernel's
 * default for kthreads and right here: their only input comes from
 * userspace, which the freezer stops first, and they touch no device, so a
 * suspend finds them idle anyway. Making them freezable would also break
 * suspend outright while one is parked: TASK_PARKED is not a freezable
 * sleep and the freezer cannot wake it, so freezing would time out.
 *
 * Which writers exist, and their ids, is registry.c's business; this file
 * knows nothing of the registry or of debugfs.
 */
#include <linux/delay.h>
#include <linux/freezer.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <uapi/linux/sched/types.h>

#include "compat.h"
#include "ktlife.h"
#include "mutant.h"
#include "trace.h"

/* A batch also ends after this many payload bytes: a bound on @lock's hold. */
#define BATCH_BYTES 16384

static const char *const stop_mode_names[KTLIFE_STOP_MODES] = {
	[KTLIFE_STOP_GRACEFUL] = "graceful",
	[KTLIFE_STOP_NOW] = "now",
	[KTLIFE_STOP_CLOSE] = "close",
};

/**
 * ktlife_stop_mode_name() - name of a stop mode, as written to "stop".
 * @mode: the mode.
 *
 * Context: any.
 * Return: a static string.
 */
const char *ktlife_stop_mode_name(enum ktlife_stop_mode mode)
{
	return mode < KTLIFE_STOP_MODES ? stop_mode_names[mode] : "?";
}

/*
 * Take one batch off the queue: up to KTLIFE_BATCH_MSGS messages or
 * BATCH_BYTES, in one round of @w->lock and of the queue's lock. Only the
 * queue's one consumer may call this: the thread, or the reaper once the
 * thread is gone. Returns the number of messages taken, 0 when the queue
 * was empty.
 */
static unsigned int writer_drain(struct ktlife_writer *w)
{
	unsigned int n = 0, len, bytes = 0;
	unsigned int max = min(KTLIFE_BATCH_MSGS, w->log.nr_slots);
	bool roomy;

	spin_lock(&w->lock);
	/* Inside the queue's lock only the copies: feeders spin on it. */
	ktlife_queue_begin_out(&w->q);
	while (n < max && bytes < BATCH_BYTES &&
	       (len = ktlife_log_take(&w->log, &w->q))) {
		trace_ktlife_msg_process(w->id, w->log.processed, len);
		bytes += len;
		n++;
	}
	roomy = ktlife_queue_end_out(&w->q);
	/* Not more than nr_slots taken: each is still in its slot. */
	ktlife_log_sum(&w->log, n);
	spin_unlock(&w->lock);

	if (n && roomy)
		ktlife_queue_wake_feeders(&w->q);
	return n;
}

static bool writer_has_work(struct ktlife_writer *w)
{
	/* make MUTANT=no_should_stop: a condition blind to kthread_stop() */
	if (KTLIFE_MUTANT(NO_SHOULD_STOP))
		return !ktlife_queue_is_empty(&w->q) || kthread_should_park() ||
		       READ_ONCE(w->closed) || READ_ONCE(w->drop);
	return !ktlife_queue_is_empty(&w->q) || kthread_should_stop() ||
	       kthread_should_park() || READ_ONCE(w->closed) ||
	       READ_ONCE(w->drop);
}

/* See the top of this file. */
static void writer_sched_batch(void)
{
	struct sched_attr attr = {
		.size = sizeof(attr),
		.sched_policy = SCHED_BATCH,
	};

	/* Cannot fail at nice 0; if it did, SCHED_NORMAL only costs speed. */
	if (sched_setattr_nocheck(current, &attr))
		pr_debug("%s: stays SCHED_NORMAL\n", current->comm);
}

/**
 * writer_thread() - body of a writer kthread, "ktlife/w<id>".
 * @data: the struct ktlife_writer it serves.
 *
 * The twin of the seed's fixed process(): the select on queue and stop is
 * one wait whose condition covers the queue, kthread_should_stop(), a park
 * request and a close. Stopped by its reaper, ktlife_writer_stop_thread():
 * with kthread_stop() it drains the queue unless told to drop it; after a
 * close it drains the queue and returns on its own.
 *
 * Context: process context, may sleep.
 * Return: 0, however it ends: kthread_create_on_node() asks for 0 or a
 * negative errno, which kthread_stop() hands to the reaper. How the thread
 * ended, the reaper knows from the stop mode it chose.
 */
static int writer_thread(void *data)
{
	struct ktlife_writer *w = data;

	writer_sched_batch();
	/* make MUTANT=freezable_writer: one the freezer cannot freeze */
	if (KTLIFE_MUTANT(FREEZABLE_WRITER))
		set_freezable();
	trace_ktlife_writer_start(w->id);
	for (;;) {
		wait_event_idle(w->data_wq, writer_has_work(w));

		if (kthread_should_park()) {
			kthread_parkme();
			continue;
		}
		/*
		 * Not "should_stop && drop": nothing orders the two stores for
		 * another CPU (module/litmus/writer-drop-stop.litmus). drop
		 * alone suffices: the reaper holds a task reference, so
		 * returning before kthread_stop() is safe.
		 */
		if (READ_ONCE(w->drop))
			return 0;
		/* make MUTANT=stop_drops: leave on a stop, drained or not */
		if (KTLIFE_MUTANT(STOP_DROPS) && kthread_should_stop())
			return 0;
		if (writer_drain(w)) {
			/* A kernel without full preemption needs the hint. */
			cond_resched();
			continue;
		}
		/* The queue is empty. */
		if (kthread_should_stop())
			return 0;
		if (READ_ONCE(w->closed)) {
			/*
			 * After this the reaper may call kthread_stop() at any
			 * time, even after this task has fully exited: that is
			 * what its task reference is for.
			 */
			trace_ktlife_writer_return(w->id);
			complete(&w->returned);
			return 0;
		}
	}
}

/**
 * leaky_writer_thread() - the seed's bug, on purpose: a writer with no stop
 * path, "ktlife/w<id>" like the others.
 * @data: the struct ktlife_writer it serves.
 *
 * It never checks kthread_should_stop() and its creator kept no reference
 * to it, so nothing can stop it: it sleeps forever. Its creator pinned the
 * module, so this code stays loaded while it lives.
 * Stopped by: nobody; only a reboot ends it.
 *
 * Context: process context, may sleep.
 * Return: never.
 */
static int leaky_writer_thread(void *data)
{
	struct ktlife_writer *w = data;

	trace_ktlife_leaky_start(w->id);
	for (;;) {
		wait_event_idle(w->data_wq, !ktlife_queue_is_empty(&w->q));
		writer_drain(w);
	}
	return 0;
}

/*
 * Writers whose memory is held, from ktlife_writer_alloc() to the last
 * reference: at most max_writers. A stopped writer is out of the registry
 * but an open file of it still holds its queue and log, so it keeps its
 * slot until that file is closed; otherwise a loop of create, open, stop
 * would grow memory without bound. Leaky writers are bounded by max_leaky
 * in the registry instead: they are never released.
 */
static atomic_t nr_held = ATOMIC_INIT(0);

static void writer_release(struct kref *ref)
{
	struct ktlife_writer *w = container_of(ref, struct ktlife_writer, ref);

	ktlife_log_free(&w->log);
	ktlife_queue_free(&w->q);
	if (!w->leaky)
		atomic_dec(&nr_held);
	kfree(w);
}

/**
 * ktlife_writer_alloc() - allocate writer @id, with no thread yet.
 * @id: writer id.
 * @leaky: the seed's leaky writer (see ktlife_writer_create_thread()).
 *
 * Allocates everything a writer will ever use: its queue and its log (the
 * log_records cap, at once). Nothing is allocated per message after this,
 * but for a message longer than the on-stack bounce buffer (queue.c).
 *
 * Context: process context, may sleep.
 * Return: the writer, holding one reference, or ERR_PTR(-ENOSPC) (the
 * memory of max_writers writers is held already) or ERR_PTR(-ENOMEM).
 */
struct ktlife_writer *ktlife_writer_alloc(unsigned int id, bool leaky)
{
	struct ktlife_writer *w;
	int ret;

	if (!leaky && !atomic_add_unless(&nr_held, 1, ktlife_max_writers))
		return ERR_PTR(-ENOSPC);
	w = kzalloc_obj(*w, GFP_KERNEL);
	if (!w) {
		ret = -ENOMEM;
		goto err_unhold;
	}
	w->leaky = leaky;
	ret = ktlife_queue_init(&w->q, ktlife_fifo_size);
	if (ret)
		goto err_free_writer;
	ret = ktlife_log_init(&w->log, ktlife_log_records, ktlife_max_msg);
	if (ret)
		goto err_free_queue;

	w->id = id;
	kref_init(&w->ref);
	INIT_LIST_HEAD(&w->dying_node);
	mutex_init(&w->ctl_lock);
	spin_lock_init(&w->lock);
	init_waitqueue_head(&w->data_wq);
	init_completion(&w->returned);
	return w;

err_free_queue:
	ktlife_queue_free(&w->q);
err_free_writer:
	kfree(w);
err_unhold:
	if (!leaky)
		atomic_dec(&nr_held);
	return ERR_PTR(ret);
}

/**
 * ktlife_writer_get() - take a reference on a writer.
 * @w: the writer; the caller already holds a reference or a lock that
 *	keeps it alive (ktlife_writers_lock while it is registered).
 *
 * Context: any.
 * Return: @w.
 */
struct ktlife_writer *ktlife_writer_get(struct ktlife_writer *w)
{
	kref_get(&w->ref);
	return w;
}

/**
 * ktlife_writer_put() - drop a reference; the last one frees the writer.
 * @w: the writer.
 *
 * Context: process context.
 */
void ktlife_writer_put(struct ktlife_writer *w)
{
	kref_put(&w->ref, writer_release);
}

/**
 * ktlife_writer_create_thread() - create the writer's kthread.
 * @w: the writer. A leaky one (@w->leaky) gets the seed's leaky thread:
 *	no stop path, no reference kept, module pinned until reboot, running
 *	at once.
 *
 * A normal writer's thread is created but not woken: the caller wakes it
 * with wake_up_process(@w->task) once the writer is reachable, or reaps it
 * unrun with ktlife_writer_stop_thread().
 *
 * Context: process context, may sleep; kthread_create() is killable.
 * Return: 0, or kthread_create()'s error.
 */
int ktlife_writer_create_thread(struct ktlife_writer *w)
{
	bool leaky = w->leaky;
	struct task_struct *task;

	task = kthread_create(leaky ? leaky_writer_thread : writer_thread, w,
			      "ktlife/w%u", w->id);
	if (IS_ERR(task))
		return PTR_ERR(task);
	WRITE_ONCE(w->pid, task_pid_nr(task));
	trace_ktlife_writer_create(w->id, w->pid, leaky);
	pr_debug("w%u: created, pid %d%s\n", w->id, w->pid,
		 leaky ? ", leaky" : "");

	if (leaky) {
		/*
		 * Like the seed's test(): start it and forget it. Pin the
		 * module first, or rmmod would free the code it runs.
		 */
		/* make MUTANT=leaky_unpinned: no pin */
		if (!KTLIFE_MUTANT(LEAKY_UNPINNED))
			__module_get(THIS_MODULE);
		wake_up_process(task);
		pr_warn("w%u: leaky writer started: no stop path, module pinned until reboot\n",
			w->id);
		return 0;
	}
	/*
	 * Hold a reference from before the thread can run, so that reaping
	 * it is safe however it ends, even if it returns on its own.
	 */
	w->task = get_task_struct(task);
	/* make MUTANT=no_get, close_no_ref: as if it were never taken */
	if (KTLIFE_MUTANT(NO_GET) || KTLIFE_MUTANT(CLOSE_NO_REF))
		put_task_struct(task);
	return 0;
}

/**
 * ktlife_writer_stop_thread() - end the writer's thread as @mode says, reap it.
 * @w: the writer; its queue is closed already.
 * @mode: how; see enum ktlife_stop_mode.
 *
 * Afterwards the thread is gone, its task reference dropped, and every
 * message that was queued is accounted for: processed (graceful, close; by
 * the reaper itself if the thread never ran) or discarded (now). The waits
 * here are bounded by draining one fifo; nothing in userspace can prolong
 * them.
 *
 * Context: process context, may sleep; @w->ctl_lock held.
 * Return: the thread's return value, or -EINTR if it never ran.
 */
int ktlife_writer_stop_thread(struct ktlife_writer *w,
			      enum ktlife_stop_mode mode)
{
	u64 discarded = 0;
	int ret;

	lockdep_assert_held(&w->ctl_lock);
	switch (mode) {
	case KTLIFE_STOP_NOW:
		WRITE_ONCE(w->drop, true);
		break;
	case KTLIFE_STOP_CLOSE:
		/* A parked thread cannot notice the close: let it run. */
		if (w->parked)
			kthread_unpark(w->task);
		/* Before the wake-up: module/litmus/writer-close-wake.litmus. */
		WRITE_ONCE(w->closed, true);
		wake_up(&w->data_wq);
		/*
		 * Wait for it to return on its own before kthread_stop_put():
		 * the stop must find the thread gone, or it would make it
		 * leave through its kthread_should_stop() test instead, and
		 * this would be a graceful stop under another name. Bounded:
		 * the thread only drains its queue, and feeders are gone.
		 */
		wait_for_completion(&w->returned);
		/*
		 * make MUTANT=close_no_ref: let the exited task be freed (its
		 * exit, then the RCU callback that puts it), so that the
		 * use-after-free below happens every time, not now and then.
		 */
		if (KTLIFE_MUTANT(CLOSE_NO_REF)) {
			msleep(100);
			rcu_barrier();
		}
		break;
	default:
		break;
	}

	/*
	 * Graceful and now: ask the thread to stop and wait for it (a parked
	 * thread is unparked by kthread_stop()). Close: the thread has
	 * returned on its own; this only reaps it, returning its value.
	 * Either way the task reference is dropped here.
	 */
	/* make MUTANT=no_put, close_no_ref: a bare kthread_stop() */
	if (KTLIFE_MUTANT(NO_PUT) || KTLIFE_MUTANT(CLOSE_NO_REF))
		ret = kthread_stop(w->task);
	else
		ret = kthread_stop_put(w->task);
	w->task = NULL;
	WRITE_ONCE(w->parked, false);

	/*
	 * The thread is gone: this is the queue's only consumer now. A
	 * graceful stop loses nothing, even when kthread_stop() came before
	 * the thread first ran (-EINTR, the thread function never called).
	 */
	if (mode == KTLIFE_STOP_NOW)
		discarded = ktlife_queue_discard(&w->q);
	/* make MUTANT=no_reaper_drain (stop_drops too): trust the thread */
	else if (!KTLIFE_MUTANT(NO_REAPER_DRAIN) && !KTLIFE_MUTANT(STOP_DROPS))
		while (writer_drain(w))
			;
	spin_lock(&w->lock);
	w->discarded += discarded;
	spin_unlock(&w->lock);
	return ret;
}

/**
 * ktlife_writer_park_thread() - park or unpark the writer's thread.
 * @w: the writer, not being reaped.
 * @park: true to kthread_park(), false to kthread_unpark().
 *
 * A parked writer consumes nothing, so its fifo fills up and feeders block.
 * Parking waits for the thread to finish its current batch.
 *
 * Context: process context, may sleep; @w->ctl_lock held.
 * Return: 0, -ENOENT if it was reaped meanwhile, -EALREADY if it already
 * is in that state, or kthread_park()'s error.
 */
int ktlife_writer_park_thread(struct ktlife_writer *w, bool park)
{
	int ret = 0;

	lockdep_assert_held(&w->ctl_lock);
	/* Reaped while the caller waited for the lock. */
	if (!w->task)
		return -ENOENT;
	if (w->parked == park)
		return -EALREADY;
	if (park)
		ret = kthread_park(w->task);
	else
		kthread_unpark(w->task);
	if (ret)
		return ret;
	WRITE_ONCE(w->parked, park);
	pr_debug("w%u: %s\n", w->id, park ? "parked" : "unparked");
	return 0;
}

/**
 * ktlife_writer_feed() - queue one message from userspace.
 * @w: the writer.
 * @buf: the message, in userspace.
 * @len: its length, 1..max_msg.
 * @nonblock: fail with -EAGAIN rather than wait for room.
 *
 * The message goes into the queue whole or not at all (ktlife_queue_feed()
 * copies it in before taking any lock). The thread is woken only if it
 * sleeps, and it sleeps only on an empty queue: so exactly when the queue
 * turns non-empty, and a busy writer costs its feeders no wake-up at all.
 *
 * Context: process context, may sleep.
 * Return: @len; -EMSGSIZE for a bad length; -EPIPE once the writer is
 * being stopped; -EAGAIN; -EINTR or -ERESTARTSYS on a signal; -EFAULT;
 * -ENOMEM.
 */
ssize_t ktlife_writer_feed(struct ktlife_writer *w, const char __user *buf,
			   size_t len, bool nonblock)
{
	ssize_t ret;
	u64 seq;

	if (len == 0 || len > ktlife_max_msg)
		return -EMSGSIZE;
	ret = ktlife_queue_feed(&w->q, buf, len, nonblock, &seq);
	if (ret < 0)
		return ret;
	trace_ktlife_msg_enqueue(w->id, seq, len);
	/*
	 * Its barrier pairs with the one in the thread's wait
	 * (module/litmus/wq-has-sleeper.litmus; the queue's lock orders it
	 * too: module/litmus/writer-feed-wake.litmus).
	 */
	if (wq_has_sleeper(&w->data_wq))
		wake_up(&w->data_wq);
	return ret;
}

/*
 * The pitfall of MUTANT=lock_inversion: the two spinlocks taken in the
 * order opposite to writer_drain()'s. Nothing deadlocks in a test; lockdep
 * reports the cycle the first time it sees both orders.
 */
static void mutant_lock_inversion(struct ktlife_writer *w)
{
	spin_lock(&w->q.lock);
	spin_lock(&w->lock);
	spin_unlock(&w->lock);
	spin_unlock(&w->q.lock);
}

/**
 * ktlife_writer_stats() - take a snapshot of @w's counters.
 * @w: the writer.
 * @st: where to put it.
 *
 * The thread's counters are read first, then the queue's: a message is
 * processed only after it was enqueued, so @st->queued is never negative.
 *
 * Context: any; takes @w->lock, then the queue's lock.
 */
void ktlife_writer_stats(struct ktlife_writer *w,
			 struct ktlife_writer_stats *st)
{
	/* make MUTANT=lock_inversion: the queue's lock, then the writer's */
	if (KTLIFE_MUTANT(LOCK_INVERSION))
		mutant_lock_inversion(w);
	spin_lock(&w->lock);
	st->processed = w->log.processed;
	st->discarded = w->discarded;
	st->bytes = w->log.bytes_processed;
	st->crc = w->log.crc;
	st->log_count = w->log.count;
	st->log_bytes = w->log.bytes;
	st->log_evicted = w->log.evicted;
	st->mem = ktlife_writer_mem(w);
	spin_unlock(&w->lock);
	st->enqueued = ktlife_queue_enqueued(&w->q);
	st->queued = st->enqueued - st->processed - st->discarded;
}

/**
 * ktlife_writer_mem() - bytes of memory the writer holds.
 * @w: the writer.
 *
 * What ktlife itself accounts for, rather than the kernel's slab totals,
 * which move with everything else the kernel does: the writer, its queue
 * and its log, all allocated by ktlife_writer_alloc(). Processing a message
 * allocates nothing, so this does not change between creation and release
 * (a test checks that it does not, over 50,000 messages).
 *
 * Context: any.
 * Return: the bytes.
 */
size_t ktlife_writer_mem(struct ktlife_writer *w)
{
	return sizeof(*w) + ktlife_queue_mem(&w->q) + ktlife_log_mem(&w->log);
}

/**
 * ktlife_writer_log_span() - the numbers of @w's retained records.
 * @w: the writer.
 * @first: set to the oldest one's.
 * @end: set to one past the newest one's.
 *
 * Context: any; takes @w->lock.
 */
void ktlife_writer_log_span(struct ktlife_writer *w, u64 *first, u64 *end)
{
	spin_lock(&w->lock);
	*first = w->log.first;
	*end = w->log.first + w->log.count;
	spin_unlock(&w->lock);
}

/**
 * ktlife_writer_log_copy() - copy one of @w's retained records.
 * @w: the writer.
 * @nr: the record's number, from ktlife_writer_log_span().
 * @buf: where to copy its payload, max_msg bytes.
 *
 * One record per round of @w->lock: a reader of a long log never holds it
 * long, and records overwritten meanwhile are simply gone.
 *
 * Context: any; takes @w->lock.
 * Return: the payload's length, or 0 if the record is gone.
 */
unsigned int ktlife_writer_log_copy(struct ktlife_writer *w, u64 nr, u8 *buf)
{
	unsigned int len;

	spin_lock(&w->lock);
	len = ktlife_log_copy(&w->log, nr, buf, ktlife_max_msg);
	spin_unlock(&w->lock);
	return len;
}

/**
 * ktlife_writer_compact() - trim @w's log to its newest @retain records.
 * @w: the writer.
 * @retain: records to keep.
 *
 * Context: any; takes @w->lock.
 * Return: payload bytes trimmed.
 */
u64 ktlife_writer_compact(struct ktlife_writer *w, unsigned int retain)
{
	u64 trimmed;

	spin_lock(&w->lock);
	trimmed = ktlife_log_trim(&w->log, retain);
	spin_unlock(&w->lock);
	return trimmed;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Writer kthreads, each fed by its own record kfifo.
 *
 * This is the kernel twin of the seed's Writer: a thread that takes messages
 * off a queue. Feeders put one message per write() into the kfifo and wake
 * the thread only when it sleeps; the thread drains everything queued, adds
 * each message to its retained log and its counters, then sleeps on a wait
 * queue (TASK_IDLE: an idle writer costs no CPU and adds nothing to the load
 * average). Every writer also has a stop path, which is the point of it all;
 * the leaky writer, which has none, is here to show what that costs.
 *
 * Writers are not freezable (no set_freezable()), which is the kernel's
 * default for kthreads and right here: their only input comes from
 * userspace, which the freezer stops first, and they touch no device, so a
 * suspend finds them idle anyway. Making them freezable would also break
 * suspend outright while one is parked: TASK_PARKED is not a freezable
 * sleep and the freezer cannot wake it, so freezing would time out.
 *
 * This file also owns the registry of live writers and the lock guarding it.
 */
#include <linux/crc32.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/overflow.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "compat.h"
#include "ktlife.h"
#include "trace.h"

/**
 * struct ktlife_record - one processed message kept in a writer's log.
 * @node: entry in ktlife_writer.log, guarded by ktlife_writer.lock.
 * @len: payload length.
 * @data: payload.
 */
struct ktlife_record {
	struct list_head node;
	u16 len;
	u8 data[];
};

/*
 * ktlife_writers_lock guards the registry: ktlife_writers, nr_writers,
 * nr_leaked, nr_stopped[], reaped[], nr_reaped, reaped_sum, and each
 * writer's node, dir and parked fields.
 */
static DEFINE_MUTEX(ktlife_writers_lock);
static LIST_HEAD(ktlife_writers);
static unsigned int nr_writers;
static unsigned int nr_leaked;
static u64 nr_stopped[KTLIFE_STOP_MODES];

/*
 * The last REAPED_MAX writers reaped since load, with their final counts:
 * what a test reads to check a stop lost, dropped or reordered nothing.
 * Guarded by ktlife_writers_lock.
 */
#define REAPED_MAX 64
static struct reaped_writer {
	unsigned int id;
	enum ktlife_stop_mode mode;
	int ret;
	struct ktlife_writer_stats st;
} reaped[REAPED_MAX];
static u64 nr_reaped;
/* Sums over every writer reaped since load: nothing may vanish. */
static struct ktlife_writer_stats reaped_sum;

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

static struct ktlife_writer *writer_find(unsigned int id)
{
	struct ktlife_writer *w;

	lockdep_assert_held(&ktlife_writers_lock);
	list_for_each_entry(w, &ktlife_writers, node)
		if (w->id == id)
			return w;
	return NULL;
}

/*
 * Take one message off the fifo and account for it. Only the fifo's one
 * consumer may call this: the thread, or the reaper once the thread is gone.
 * Returns false when the fifo was empty.
 */
static bool writer_process_one(struct ktlife_writer *w)
{
	struct ktlife_record *rec;
	unsigned int len;
	u8 *buf;

	if (kfifo_is_empty(&w->fifo))
		return false;

	len = kfifo_peek_len(&w->fifo);
	/* Up to 64 KiB, and there is a fallback: no allocation warning. */
	rec = kmalloc(struct_size(rec, data, len), GFP_KERNEL | __GFP_NOWARN);
	buf = rec ? rec->data : w->scratch;
	len = kfifo_out(&w->fifo, buf, len);

	/* Room was made: wake a feeder, but only if one sleeps. */
	if (wq_has_sleeper(&w->space_wq))
		wake_up(&w->space_wq);

	mutex_lock(&w->lock);
	w->crc = ~crc32_le(~w->crc, buf, len);
	w->processed++;
	w->bytes += len;
	trace_ktlife_msg_process(w->id, w->processed, len);
	if (rec) {
		rec->len = len;
		list_add_tail(&rec->node, &w->log);
		w->log_count++;
		w->log_bytes += len;
	} else {
		w->unretained++;
	}
	mutex_unlock(&w->lock);
	return true;
}

static bool writer_has_work(struct ktlife_writer *w)
{
	return !kfifo_is_empty(&w->fifo) || kthread_should_stop() ||
	       kthread_should_park() || READ_ONCE(w->closed) ||
	       READ_ONCE(w->drop);
}

/* Return values of writer_thread(), handed back by kthread_stop(). */
#define WRITER_STOPPED 0 /* left because kthread_stop() asked */
#define WRITER_RETURNED 1 /* returned on its own after a close */

/**
 * writer_thread() - body of a writer kthread, "ktlife/w<id>".
 * @data: the struct ktlife_writer it serves.
 *
 * The twin of the seed's fixed process(): the select on queue and stop is
 * one wait whose condition covers the fifo, kthread_should_stop(), a park
 * request and a close. Stopped by its reaper (see ktlife.h): with
 * kthread_stop() it drains the queue unless told to drop it; after a close
 * it drains the queue and returns on its own.
 *
 * Context: process context, may sleep.
 * Return: WRITER_STOPPED or WRITER_RETURNED.
 */
static int writer_thread(void *data)
{
	struct ktlife_writer *w = data;

	trace_ktlife_writer_start(w->id);
	for (;;) {
		wait_event_idle(w->data_wq, writer_has_work(w));

		if (kthread_should_park()) {
			kthread_parkme();
			continue;
		}
		/*
		 * Not "should_stop && drop": nothing orders the two stores for
		 * another CPU. drop alone suffices: the reaper holds a task
		 * reference, so returning before kthread_stop() is safe.
		 */
		if (READ_ONCE(w->drop))
			return WRITER_STOPPED;
		if (writer_process_one(w))
			continue;
		/* The queue is empty. */
		if (kthread_should_stop())
			return WRITER_STOPPED;
		if (READ_ONCE(w->closed)) {
			/*
			 * After this the reaper may call kthread_stop() at any
			 * time, even after this task has fully exited: that is
			 * what its task reference is for.
			 */
			complete(&w->returned);
			return WRITER_RETURNED;
		}
	}
}

/**
 * leaky_writer_thread() - the seed's bug, on purpose: a writer with no stop
 * path, "ktlife/w<id>" like the others.
 * @data: the struct ktlife_writer it serves.
 *
 * It never checks kthread_should_stop() and its creator dropped every
 * reference to it, so nothing can feed it or stop it: it sleeps forever.
 * Its creator pinned the module, so this code stays loaded while it lives.
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
		wait_event_idle(w->data_wq, !kfifo_is_empty(&w->fifo));
		writer_process_one(w);
	}
	return 0;
}

static void writer_free(struct ktlife_writer *w)
{
	struct ktlife_record *rec, *tmp;

	list_for_each_entry_safe(rec, tmp, &w->log, node)
		kfree(rec);
	kfree(w->scratch);
	kfifo_free(&w->fifo);
	kfree(w);
}

static struct ktlife_writer *writer_alloc(unsigned int id)
{
	struct ktlife_writer *w;

	w = kzalloc(sizeof(*w), GFP_KERNEL);
	if (!w)
		return NULL;
	if (kfifo_alloc(&w->fifo, ktlife_fifo_size, GFP_KERNEL))
		goto err_free_writer;
	w->scratch = kmalloc(ktlife_max_msg, GFP_KERNEL);
	if (!w->scratch)
		goto err_free_fifo;

	w->id = id;
	w->open = true;
	mutex_init(&w->in_lock);
	mutex_init(&w->lock);
	init_waitqueue_head(&w->data_wq);
	init_waitqueue_head(&w->space_wq);
	init_completion(&w->returned);
	INIT_LIST_HEAD(&w->log);
	return w;

err_free_fifo:
	kfifo_free(&w->fifo);
err_free_writer:
	kfree(w);
	return NULL;
}

/**
 * ktlife_writer_create() - start writer @id.
 * @id: writer id, 0..KTLIFE_MAX_ID.
 * @leaky: start the seed's leaky writer instead: no stop path, no reference
 *	kept, module pinned until reboot.
 *
 * Context: process context, may sleep; takes ktlife_writers_lock.
 * Return: 0, -EINVAL for a bad id, -EEXIST if @id is live, -ENOSPC when
 * max_writers are live, -ENOMEM, or kthread_create()'s error.
 */
int ktlife_writer_create(unsigned int id, bool leaky)
{
	struct task_struct *task;
	struct ktlife_writer *w;
	int ret;

	if (id > KTLIFE_MAX_ID)
		return -EINVAL;

	mutex_lock(&ktlife_writers_lock);
	if (writer_find(id)) {
		ret = -EEXIST;
		goto out_unlock;
	}
	if (!leaky && nr_writers >= READ_ONCE(ktlife_max_writers)) {
		ret = -ENOSPC;
		goto out_unlock;
	}
	w = writer_alloc(id);
	if (!w) {
		ret = -ENOMEM;
		goto out_unlock;
	}
	task = kthread_create(leaky ? leaky_writer_thread : writer_thread, w,
			      "ktlife/w%u", id);
	if (IS_ERR(task)) {
		ret = PTR_ERR(task);
		goto err_free_writer;
	}
	trace_ktlife_writer_create(id, task_pid_nr(task), leaky);
	pr_debug("w%u: created, pid %d%s\n", id, task_pid_nr(task),
		 leaky ? ", leaky" : "");

	if (leaky) {
		/*
		 * Like the seed's test(): start it and forget it. Pin the
		 * module first, or rmmod would free the code it runs.
		 */
		__module_get(THIS_MODULE);
		nr_leaked++;
		wake_up_process(task);
		pr_warn("w%u: leaky writer started: no stop path, module pinned until reboot\n",
			id);
		ret = 0;
		goto out_unlock;
	}

	/*
	 * Hold a reference from before the thread can run, so that reaping
	 * it is safe however it ends, even if it returns on its own.
	 */
	get_task_struct(task);
	w->task = task;
	ret = ktlife_debugfs_add_writer(w);
	if (ret)
		goto err_stop_thread;
	list_add_tail(&w->node, &ktlife_writers);
	nr_writers++;
	wake_up_process(task);
	mutex_unlock(&ktlife_writers_lock);
	return 0;

err_stop_thread:
	/* It never ran: kthread_stop() returns -EINTR, writer_thread() never runs. */
	kthread_stop_put(task);
err_free_writer:
	writer_free(w);
out_unlock:
	mutex_unlock(&ktlife_writers_lock);
	return ret;
}

/*
 * First half of every stop: take @w out of the registry and out of reach
 * (no new message, no feeder left inside its files), so that the slow part,
 * reaping the thread, can run without ktlife_writers_lock.
 */
static void writer_detach(struct ktlife_writer *w, bool remove_dir)
{
	lockdep_assert_held(&ktlife_writers_lock);

	list_del(&w->node);

	mutex_lock(&w->in_lock);
	WRITE_ONCE(w->open, false);
	mutex_unlock(&w->in_lock);
	/* Feeders blocked on a full fifo leave with -EPIPE. */
	wake_up_all(&w->space_wq);

	/* Waits for whoever is still inside this writer's files. */
	if (remove_dir)
		ktlife_debugfs_remove_writer(w);
	w->dir = NULL;
}

/*
 * Second half of every stop: end the thread as @mode says, reap it, account
 * for what was left in the fifo, free the writer. @w is no longer reachable
 * by anyone else, so no lock is needed for its registry fields.
 */
static void writer_reap(struct ktlife_writer *w, enum ktlife_stop_mode mode)
{
	struct ktlife_writer_stats st;
	struct reaped_writer *r;
	u64 discarded = 0;
	int ret;

	trace_ktlife_writer_stop(w->id, mode);
	switch (mode) {
	case KTLIFE_STOP_NOW:
		WRITE_ONCE(w->drop, true);
		break;
	case KTLIFE_STOP_CLOSE:
		/* A parked thread cannot notice the close: let it run. */
		if (w->parked)
			kthread_unpark(w->task);
		WRITE_ONCE(w->closed, true);
		wake_up(&w->data_wq);
		wait_for_completion(&w->returned);
		break;
	default:
		break;
	}

	/*
	 * Graceful and now: ask the thread to stop and wait for it. Close:
	 * the thread has returned on its own; this only reaps it, returning
	 * its value. Either way the task reference is dropped here.
	 */
	ret = kthread_stop_put(w->task);
	w->task = NULL;

	/*
	 * The thread is gone: this is the fifo's only consumer now. A
	 * graceful stop loses nothing, even when kthread_stop() came before
	 * the thread first ran (-EINTR, the thread function never called).
	 */
	if (mode == KTLIFE_STOP_NOW) {
		while (!kfifo_is_empty(&w->fifo)) {
			kfifo_skip(&w->fifo);
			discarded++;
		}
	} else {
		while (writer_process_one(w))
			;
	}
	mutex_lock(&w->lock);
	w->discarded += discarded;
	mutex_unlock(&w->lock);

	mutex_lock(&ktlife_writers_lock);
	r = &reaped[nr_reaped++ % REAPED_MAX];
	r->id = w->id;
	r->mode = mode;
	r->ret = ret;
	ktlife_writer_stats(w, &r->st);
	reaped_sum.enqueued += r->st.enqueued;
	reaped_sum.processed += r->st.processed;
	reaped_sum.discarded += r->st.discarded;
	nr_stopped[mode]++;
	/* Counted against max_writers until now: its memory was still here. */
	nr_writers--;
	st = r->st;
	mutex_unlock(&ktlife_writers_lock);

	trace_ktlife_writer_exit(w->id, ret, st.enqueued, st.processed,
				 st.discarded);
	/* clang-format off */
	pr_debug("w%u: stopped (%s), thread returned %d, %llu enqueued, %llu processed, %llu discarded\n",
		 w->id, ktlife_stop_mode_name(mode), ret, st.enqueued,
		 st.processed, st.discarded);
	/* clang-format on */

	writer_free(w);
}

/**
 * ktlife_writer_stop() - stop writer @id and free it.
 * @id: writer id.
 * @mode: how; see enum ktlife_stop_mode.
 *
 * Context: process context, may sleep; takes ktlife_writers_lock. Must not
 * be called from a file inside writers/<id>/.
 * Return: 0, or -ENOENT if no writer @id is live.
 */
int ktlife_writer_stop(unsigned int id, enum ktlife_stop_mode mode)
{
	struct ktlife_writer *w;

	mutex_lock(&ktlife_writers_lock);
	w = writer_find(id);
	if (!w) {
		mutex_unlock(&ktlife_writers_lock);
		return -ENOENT;
	}
	writer_detach(w, true);
	mutex_unlock(&ktlife_writers_lock);

	writer_reap(w, mode);
	return 0;
}

static int writers_detach_all(struct list_head *out, bool remove_dirs)
{
	struct ktlife_writer *w, *tmp;
	int n = 0;

	mutex_lock(&ktlife_writers_lock);
	list_for_each_entry_safe(w, tmp, &ktlife_writers, node) {
		writer_detach(w, remove_dirs);
		list_add_tail(&w->node, out);
		n++;
	}
	mutex_unlock(&ktlife_writers_lock);
	return n;
}

static void writers_reap_all(struct list_head *list, enum ktlife_stop_mode mode)
{
	struct ktlife_writer *w, *tmp;

	list_for_each_entry_safe(w, tmp, list, node) {
		list_del(&w->node);
		writer_reap(w, mode);
	}
}

/**
 * ktlife_writers_stop_all() - stop every live writer.
 * @mode: how; see enum ktlife_stop_mode.
 *
 * Context: process context, may sleep; takes ktlife_writers_lock.
 * Return: the number of writers stopped.
 */
int ktlife_writers_stop_all(enum ktlife_stop_mode mode)
{
	LIST_HEAD(list);
	int n;

	n = writers_detach_all(&list, true);
	writers_reap_all(&list, mode);
	return n;
}

/**
 * ktlife_writers_exit() - stop every writer at module unload.
 *
 * Stops each writer gracefully with kthread_stop(). Leaky writers are not
 * here: they pin the module, so unload cannot start while one lives.
 *
 * Context: module exit, after ktlife_debugfs_exit() removed every file.
 */
void ktlife_writers_exit(void)
{
	LIST_HEAD(list);

	/* Their directories went with the debugfs root. */
	writers_detach_all(&list, false);
	writers_reap_all(&list, KTLIFE_STOP_GRACEFUL);
}

/**
 * ktlife_writer_park() - park writer @id with kthread_park().
 * @id: writer id.
 *
 * A parked writer consumes nothing, so its fifo fills up and feeders block.
 *
 * Context: process context, may sleep; takes ktlife_writers_lock.
 * Return: 0, -ENOENT if no writer @id is live, -EALREADY if it is parked,
 * or kthread_park()'s error.
 */
int ktlife_writer_park(unsigned int id)
{
	struct ktlife_writer *w;
	int ret;

	mutex_lock(&ktlife_writers_lock);
	w = writer_find(id);
	if (!w)
		ret = -ENOENT;
	else if (w->parked)
		ret = -EALREADY;
	else
		ret = kthread_park(w->task);
	if (!ret) {
		w->parked = true;
		pr_debug("w%u: parked\n", id);
	}
	mutex_unlock(&ktlife_writers_lock);
	return ret;
}

/**
 * ktlife_writer_unpark() - let a parked writer run again.
 * @id: writer id.
 *
 * Context: process context, may sleep; takes ktlife_writers_lock.
 * Return: 0, -ENOENT if no writer @id is live, -EALREADY if it is not
 * parked.
 */
int ktlife_writer_unpark(unsigned int id)
{
	struct ktlife_writer *w;
	int ret = 0;

	mutex_lock(&ktlife_writers_lock);
	w = writer_find(id);
	if (!w) {
		ret = -ENOENT;
	} else if (!w->parked) {
		ret = -EALREADY;
	} else {
		kthread_unpark(w->task);
		w->parked = false;
		pr_debug("w%u: unparked\n", id);
	}
	mutex_unlock(&ktlife_writers_lock);
	return ret;
}

static bool writer_can_take(struct ktlife_writer *w, size_t len)
{
	return !READ_ONCE(w->open) || kfifo_avail(&w->fifo) >= len;
}

/**
 * ktlife_writer_feed() - queue one message from userspace.
 * @w: the writer.
 * @buf: the message, in userspace.
 * @len: its length, 1..max_msg.
 * @nonblock: fail with -EAGAIN rather than wait for room.
 *
 * The message goes into the fifo whole or not at all. A full fifo makes the
 * caller wait, interruptibly, for the thread to make room.
 *
 * Context: process context, may sleep; takes @w->in_lock.
 * Return: @len; -EMSGSIZE for a bad length; -EPIPE once the writer is
 * being stopped; -EAGAIN; -EINTR or -ERESTARTSYS on a signal; -EFAULT.
 */
ssize_t ktlife_writer_feed(struct ktlife_writer *w, const char __user *buf,
			   size_t len, bool nonblock)
{
	unsigned int copied;
	int ret;

	if (len == 0 || len > READ_ONCE(ktlife_max_msg))
		return -EMSGSIZE;

	for (;;) {
		/* -ERESTARTSYS, not its -EINTR: SA_RESTART must work. */
		if (mutex_lock_interruptible(&w->in_lock))
			return -ERESTARTSYS;
		if (!w->open) {
			ret = -EPIPE;
			goto out_unlock;
		}
		if (kfifo_avail(&w->fifo) >= len)
			break;
		mutex_unlock(&w->in_lock);

		if (nonblock)
			return -EAGAIN;
		ret = wait_event_interruptible(w->space_wq,
					       writer_can_take(w, len));
		if (ret)
			return ret;
	}

	ret = kfifo_from_user(&w->fifo, buf, len, &copied);
	if (!ret && copied != len)
		ret = -EFAULT;
	if (!ret) {
		w->enqueued++;
		trace_ktlife_msg_enqueue(w->id, w->enqueued, len);
	}
	mutex_unlock(&w->in_lock);
	if (ret)
		return ret;

	/*
	 * Wake the thread only if it sleeps: it drains all it finds before
	 * sleeping again, so a busy writer costs feeders no wake-up at all.
	 * wq_has_sleeper() has the barrier that pairs with the one in the
	 * thread's wait.
	 */
	if (wq_has_sleeper(&w->data_wq))
		wake_up(&w->data_wq);
	return len;

out_unlock:
	mutex_unlock(&w->in_lock);
	return ret;
}

/**
 * ktlife_writer_stats() - take a consistent snapshot of @w's counters.
 * @w: the writer.
 * @st: where to put it.
 *
 * Context: process context, may sleep; takes @w->in_lock and @w->lock.
 */
void ktlife_writer_stats(struct ktlife_writer *w,
			 struct ktlife_writer_stats *st)
{
	/* in_lock holds feeders off, so enqueued cannot move under us. */
	mutex_lock(&w->in_lock);
	mutex_lock(&w->lock);
	st->enqueued = w->enqueued;
	st->processed = w->processed;
	st->discarded = w->discarded;
	st->bytes = w->bytes;
	st->unretained = w->unretained;
	st->log_count = w->log_count;
	st->log_bytes = w->log_bytes;
	st->crc = w->crc;
	mutex_unlock(&w->lock);
	mutex_unlock(&w->in_lock);
	st->queued = st->enqueued - st->processed - st->discarded;
}

/**
 * ktlife_writer_log_show() - print @w's retained records, oldest first.
 * @w: the writer.
 * @m: where to print: one line per record, bytes outside printable ASCII
 *	and the backslash written as a \ooo octal escape.
 *
 * Context: process context, may sleep; takes @w->lock.
 */
void ktlife_writer_log_show(struct ktlife_writer *w, struct seq_file *m)
{
	struct ktlife_record *rec;
	unsigned int i;

	mutex_lock(&w->lock);
	list_for_each_entry(rec, &w->log, node) {
		for (i = 0; i < rec->len; i++) {
			u8 c = rec->data[i];

			if (c >= 0x20 && c < 0x7f && c != '\\')
				seq_putc(m, c);
			else
				seq_printf(m, "\\%03o", c);
		}
		seq_putc(m, '\n');
	}
	mutex_unlock(&w->lock);
}

/**
 * ktlife_writers_compact() - trim every writer's log to its newest records.
 * @retain: how many records to keep per writer.
 *
 * Context: process context, may sleep; takes ktlife_writers_lock.
 * Return: payload bytes freed.
 */
u64 ktlife_writers_compact(unsigned int retain)
{
	struct ktlife_record *rec, *tmp;
	struct ktlife_writer *w;
	u64 reclaimed = 0;
	LIST_HEAD(trash);

	mutex_lock(&ktlife_writers_lock);
	list_for_each_entry(w, &ktlife_writers, node) {
		mutex_lock(&w->lock);
		while (w->log_count > retain) {
			rec = list_first_entry(&w->log, struct ktlife_record,
					       node);
			list_move_tail(&rec->node, &trash);
			w->log_count--;
			w->log_bytes -= rec->len;
			reclaimed += rec->len;
		}
		mutex_unlock(&w->lock);
	}
	mutex_unlock(&ktlife_writers_lock);

	/* Free outside the locks: writers append while we free. */
	list_for_each_entry_safe(rec, tmp, &trash, node)
		kfree(rec);
	return reclaimed;
}

static const char *writer_state(struct ktlife_writer *w)
{
	return w->parked ? "parked" : "running";
}

/**
 * ktlife_writers_status() - print one line per live writer and a total.
 * @m: where to print.
 *
 * Context: process context, may sleep; takes ktlife_writers_lock.
 */
void ktlife_writers_status(struct seq_file *m)
{
	struct ktlife_writer_stats st, sum = {};
	struct ktlife_writer *w;

	mutex_lock(&ktlife_writers_lock);
	list_for_each_entry(w, &ktlife_writers, node) {
		ktlife_writer_stats(w, &st);
		/* clang-format off */
		seq_printf(m, "writer id=%u pid=%d comm=%s state=%s task=%c queued=%llu enqueued=%llu processed=%llu discarded=%llu bytes=%llu crc32=%08x\n",
			   w->id, task_pid_nr(w->task), w->task->comm,
			   writer_state(w), task_state_to_char(w->task),
			   st.queued, st.enqueued, st.processed, st.discarded,
			   st.bytes, st.crc);
		/* clang-format on */
		sum.enqueued += st.enqueued;
		sum.processed += st.processed;
		sum.discarded += st.discarded;
		sum.queued += st.queued;
	}
	/* clang-format off */
	seq_printf(m, "total writers=%u leaked=%u queued=%llu enqueued=%llu processed=%llu discarded=%llu stopped_graceful=%llu stopped_now=%llu stopped_close=%llu reaped_enqueued=%llu reaped_processed=%llu reaped_discarded=%llu\n",
		   nr_writers, nr_leaked, sum.queued, sum.enqueued,
		   sum.processed, sum.discarded,
		   nr_stopped[KTLIFE_STOP_GRACEFUL],
		   nr_stopped[KTLIFE_STOP_NOW],
		   nr_stopped[KTLIFE_STOP_CLOSE], reaped_sum.enqueued,
		   reaped_sum.processed, reaped_sum.discarded);
	/* clang-format on */
	mutex_unlock(&ktlife_writers_lock);
}

/**
 * ktlife_writers_reaped_show() - print the last writers reaped, oldest first.
 * @m: where to print: one "reaped" line each, with the stop mode, the
 *	thread's return value and the final counters.
 *
 * Context: process context, may sleep; takes ktlife_writers_lock.
 */
void ktlife_writers_reaped_show(struct seq_file *m)
{
	u64 i;

	mutex_lock(&ktlife_writers_lock);
	i = nr_reaped > REAPED_MAX ? nr_reaped - REAPED_MAX : 0;
	for (; i < nr_reaped; i++) {
		struct reaped_writer *r = &reaped[i % REAPED_MAX];

		/* clang-format off */
		seq_printf(m, "reaped id=%u mode=%s ret=%d enqueued=%llu processed=%llu discarded=%llu bytes=%llu crc32=%08x\n",
			   r->id, ktlife_stop_mode_name(r->mode), r->ret,
			   r->st.enqueued, r->st.processed, r->st.discarded,
			   r->st.bytes, r->st.crc);
		/* clang-format on */
	}
	mutex_unlock(&ktlife_writers_lock);
}

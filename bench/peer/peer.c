// SPDX-License-Identifier: GPL-2.0
/*
 * ktpeer: the peers and the floors that "make bench" measures ktlife against.
 * Bench only; not part of ktlife and never loaded by its tests.
 *
 * Peers run ktlife's writer job on another execution context, with
 * ktlife's own queue and log (module/queue.c and module/log.c, built into
 * this module): take a batch of messages off the queue, count them, CRC-32
 * them, keep them in the capped log; wake feeders as ktlife does.
 *   kworker  one kthread_worker per writer; a feeder queues a kthread_work
 *   kworkerb the same, its worker's task SCHED_BATCH like ktlife's writer:
 *            the peer of the same scheduling policy, so that ktlife vs
 *            kworkerb is the mechanism alone, and ktlife vs kworker the
 *            mechanism and the policy together
 *   wq       a work_struct per writer on one module-wide workqueue (its
 *            workers are the kernel's shared kworkers: a workqueue's attrs
 *            set their nice value and CPUs, not their policy, and changing
 *            a shared worker's policy from a work item would change it for
 *            every other user of that pool: it stays SCHED_NORMAL)
 * The floors: a bare kthread that does nothing but wait_event_idle() until
 * kthread_stop() (creating and stopping it is the least a writer can
 * cost), and two variants that say where the compactor's stop spends more
 * than that floor: "bare_start 1 timed", the compactor's own wait
 * (freezable, with a timeout, never due here), and "bare_stop gp", the
 * floor stopped just after a grace period, as module exit stops the
 * compactor after its readers' grace period; "null", a debugfs write()
 * that copies the message in and drops it (the least a message can cost
 * through this interface); and "sink",
 * ktlife's queue drained the way ktlife's writer drains it (a SCHED_BATCH
 * kthread, woken only when it sleeps) by a thread that discards each
 * message untouched: the least a message can cost through ktlife's queue
 * and its hand-over, whatever the writer does with it.
 *
 * Every file a message goes through ("null", writers/<id>/queue) is made
 * the way ktlife makes its queue file (debugfs_create_file_unsafe(), a
 * writer reference per open file), so that the debugfs cost per write() is
 * the same for everyone measured.
 *
 * /sys/kernel/debug/ktpeer/:
 *   ctl                  "create kworker|kworkerb|wq|sink <id>", "stop <id>",
 *                        "bare_start <n> [timed]",
 *                        "bare_stop seq|batch|gp"
 *   null                 write() copies the message in and drops it
 *   stats                "key: value": bare_n, bare_create_ns,
 *                        bare_stop_ns, stop_ns (the last "stop <id>")
 *   writers/<id>/queue   one write() is one message, as in ktlife
 *   writers/<id>/stats   enqueued, processed, bytes, crc32
 *
 * Locking: ktpeer_lock guards the writers' xarray, the bare threads and the
 * stats; each writer's queue has its own lock (queue.h), its lock guards
 * its log and counters. The queue's output side has one user: the work
 * item, which neither kind of worker runs twice at once.
 */
#include <linux/debugfs.h>
#include <linux/freezer.h>
#include <linux/fs.h>
#include <linux/kref.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/wait.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <uapi/linux/sched/types.h>

#include "log.h"
#include "queue.h"

/* ktlife's defaults: fifo_size, max_msg, log_records, and its batch. */
#define KTPEER_FIFO_SIZE	65536
#define KTPEER_MAX_MSG		256
#define KTPEER_LOG_RECORDS	128
#define KTPEER_BATCH		64
#define KTPEER_MAX_BARE		1024
#define KTPEER_MAX_ID		9999
#define KTPEER_CMD_MAX		32

/**
 * struct ktpeer_writer - ktlife's writer job on a kthread_worker or a
 * workqueue.
 * @id: writer id.
 * @ref: the list's reference and one per open file.
 * @dir: debugfs directory writers/<id>.
 * @kw: its kthread_worker (kworker kind), or NULL.
 * @sink: its discarding kthread (sink kind), or NULL.
 * @data_wq: the sink sleeps here.
 * @kwork: the job on @kw.
 * @work: the job on ktpeer_wq.
 * @q: the queue, ktlife's.
 * @lock: guards @log.
 * @log: counts, CRC-32 and capped log of what was processed, ktlife's.
 */
struct ktpeer_writer {
	unsigned int id;
	struct kref ref;
	struct dentry *dir;
	struct kthread_worker *kw;
	struct task_struct *sink;
	wait_queue_head_t data_wq;
	struct kthread_work kwork;
	struct work_struct work;

	struct ktlife_queue q;

	spinlock_t lock;	/* log */
	struct ktlife_log log;
};

static DEFINE_MUTEX(ktpeer_lock);
/* The writers by id; changed under ktpeer_lock. */
static DEFINE_XARRAY(ktpeer_writers);
static struct workqueue_struct *ktpeer_wq;
static struct dentry *ktpeer_root;
static struct dentry *ktpeer_writers_dir;

/* Bare threads (the floor), guarded by ktpeer_lock. */
static struct task_struct *bare_tasks[KTPEER_MAX_BARE];
static unsigned int bare_n;
static bool bare_quit;
static DECLARE_WAIT_QUEUE_HEAD(bare_wq);
static atomic_t bare_started = ATOMIC_INIT(0);
static DECLARE_WAIT_QUEUE_HEAD(bare_started_wq);

/* Timings, guarded by ktpeer_lock. */
static u64 stat_bare_create_ns;
static u64 stat_bare_stop_ns;
static unsigned int stat_bare_n;
static u64 stat_stop_ns;

/* Drain @w's queue in batches, as ktlife's writer does: the writer job. */
static void writer_drain(struct ktpeer_writer *w)
{
	/*
	 * At most the log's slots per batch, as ktlife's writer: more would
	 * overwrite records before ktlife_log_sum() has summed them.
	 */
	unsigned int max = min(KTPEER_BATCH, w->log.nr_slots);
	unsigned int n;
	bool roomy;

	do {
		spin_lock(&w->lock);
		ktlife_queue_begin_out(&w->q);
		for (n = 0; n < max && ktlife_log_take(&w->log, &w->q); n++)
			;
		roomy = ktlife_queue_end_out(&w->q);
		/* The CRC-32 after the queue's lock, as ktlife's writer. */
		ktlife_log_sum(&w->log, n);
		spin_unlock(&w->lock);
		if (n && roomy)
			ktlife_queue_wake_feeders(&w->q);
		cond_resched();
	} while (n);
}

/*
 * The sink kind's thread: ktlife's writer loop with nothing to do per
 * message. SCHED_BATCH and woken only when it sleeps, as ktlife's writer.
 */
static int sink_thread(void *data)
{
	struct sched_attr attr = {
		.size = sizeof(attr),
		.sched_policy = SCHED_BATCH,
	};
	struct ktpeer_writer *w = data;
	u64 n;

	sched_setattr_nocheck(current, &attr);
	for (;;) {
		wait_event_idle(w->data_wq, !ktlife_queue_is_empty(&w->q) ||
					    kthread_should_stop());
		n = ktlife_queue_discard(&w->q);
		if (n) {
			spin_lock(&w->lock);
			w->log.processed += n;
			spin_unlock(&w->lock);
			ktlife_queue_wake_feeders(&w->q);
			cond_resched();
		} else if (kthread_should_stop()) {
			return 0;
		}
	}
}

static void writer_kwork_fn(struct kthread_work *kwork)
{
	writer_drain(container_of(kwork, struct ktpeer_writer, kwork));
}

static void writer_work_fn(struct work_struct *work)
{
	writer_drain(container_of(work, struct ktpeer_writer, work));
}

static void writer_release(struct kref *ref)
{
	struct ktpeer_writer *w = container_of(ref, struct ktpeer_writer, ref);

	ktlife_log_free(&w->log);
	ktlife_queue_free(&w->q);
	kfree(w);
}

/* Open files of writers/<id>/ hold a reference, as in ktlife. */
static int writer_file_open(struct inode *inode, struct file *file)
{
	struct dentry *dentry = file->f_path.dentry;
	struct ktpeer_writer *w = inode->i_private;
	int ret;

	ret = debugfs_file_get(dentry);
	if (ret)
		return ret;
	kref_get(&w->ref);
	debugfs_file_put(dentry);
	file->private_data = w;
	return 0;
}

static int writer_file_release(struct inode *inode, struct file *file)
{
	struct ktpeer_writer *w = file->private_data;

	kref_put(&w->ref, writer_release);
	return 0;
}

static ssize_t queue_write(struct file *file, const char __user *ubuf,
			   size_t len, loff_t *ppos)
{
	struct ktpeer_writer *w = file->private_data;
	ssize_t ret;
	u64 seq;

	if (len == 0 || len > KTPEER_MAX_MSG)
		return -EMSGSIZE;
	ret = ktlife_queue_feed(&w->q, ubuf, len, file->f_flags & O_NONBLOCK,
				&seq);
	if (ret < 0)
		return ret;
	/* A no-op while the job is pending: it drains all it finds. */
	if (w->kw)
		kthread_queue_work(w->kw, &w->kwork);
	else if (!w->sink)
		queue_work(ktpeer_wq, &w->work);
	else if (wq_has_sleeper(&w->data_wq))
		wake_up(&w->data_wq);
	return ret;
}

static const struct file_operations queue_fops = {
	.owner = THIS_MODULE,
	.open = writer_file_open,
	.write = queue_write,
	.release = writer_file_release,
};

/* "null": a debugfs write() that copies the message in and drops it. */
static ssize_t null_write(struct file *file, const char __user *ubuf,
			  size_t len, loff_t *ppos)
{
	u8 buf[KTPEER_MAX_MSG];

	if (len == 0 || len > KTPEER_MAX_MSG)
		return -EMSGSIZE;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	return len;
}

static const struct file_operations null_fops = {
	.owner = THIS_MODULE,
	.open = nonseekable_open,
	.write = null_write,
};

static ssize_t writer_stats_read(struct file *file, char __user *ubuf,
				 size_t len, loff_t *ppos)
{
	struct ktpeer_writer *w = file->private_data;
	u64 enqueued, processed, bytes;
	char buf[160];
	u32 crc;
	int n;

	spin_lock(&w->lock);
	processed = w->log.processed;
	bytes = w->log.bytes_processed;
	crc = w->log.crc;
	spin_unlock(&w->lock);
	enqueued = ktlife_queue_enqueued(&w->q);
	n = scnprintf(buf, sizeof(buf),
		      "enqueued: %llu\nprocessed: %llu\nbytes: %llu\ncrc32: %08x\n",
		      enqueued, processed, bytes, crc);
	return simple_read_from_buffer(ubuf, len, ppos, buf, n);
}

static const struct file_operations writer_stats_fops = {
	.owner = THIS_MODULE,
	.open = writer_file_open,
	.read = writer_stats_read,
	.release = writer_file_release,
	.llseek = default_llseek,
};

enum peer_kind { PEER_KWORKER, PEER_KWORKER_BATCH, PEER_WQ, PEER_SINK };

static int writer_create(enum peer_kind kind, unsigned int id)
{
	struct ktpeer_writer *w;
	char name[16];
	int ret;

	if (id > KTPEER_MAX_ID)
		return -EINVAL;
	lockdep_assert_held(&ktpeer_lock);
	w = kzalloc(sizeof(*w), GFP_KERNEL);
	if (!w)
		return -ENOMEM;
	/* The id, reserved; found only under ktpeer_lock, held until done. */
	ret = xa_insert(&ktpeer_writers, id, w, GFP_KERNEL);
	if (ret) {
		kfree(w);
		return ret == -EBUSY ? -EEXIST : ret;
	}
	ret = ktlife_queue_init(&w->q, KTPEER_FIFO_SIZE);
	if (ret)
		goto err_erase_id;
	ret = ktlife_log_init(&w->log, KTPEER_LOG_RECORDS, KTPEER_MAX_MSG);
	if (ret)
		goto err_free_queue;
	w->id = id;
	kref_init(&w->ref);
	spin_lock_init(&w->lock);
	init_waitqueue_head(&w->data_wq);
	kthread_init_work(&w->kwork, writer_kwork_fn);
	INIT_WORK(&w->work, writer_work_fn);
	if (kind == PEER_KWORKER || kind == PEER_KWORKER_BATCH) {
		/*
		 * Since 6.14 kthread_create_worker() leaves its thread
		 * unstarted (kthread_run_worker() starts it): the first
		 * message would pay for the start. Kbuild probes for it.
		 */
#ifdef KTPEER_HAVE_KTHREAD_RUN_WORKER
		w->kw = kthread_run_worker(0, kind == PEER_KWORKER ?
					   "ktpeer/k%u" : "ktpeer/b%u", id);
#else
		w->kw = kthread_create_worker(0, kind == PEER_KWORKER ?
					      "ktpeer/k%u" : "ktpeer/b%u", id);
#endif
		if (IS_ERR(w->kw)) {
			ret = PTR_ERR(w->kw);
			goto err_free_log;
		}
		if (kind == PEER_KWORKER_BATCH) {
			struct sched_attr attr = {
				.size = sizeof(attr),
				.sched_policy = SCHED_BATCH,
			};

			/* As ktlife's writer_sched_batch(), on the worker. */
			sched_setattr_nocheck(w->kw->task, &attr);
		}
	} else if (kind == PEER_SINK) {
		w->sink = kthread_run(sink_thread, w, "ktpeer/s%u", id);
		if (IS_ERR(w->sink)) {
			ret = PTR_ERR(w->sink);
			goto err_free_log;
		}
	}
	snprintf(name, sizeof(name), "%u", id);
	w->dir = debugfs_create_dir(name, ktpeer_writers_dir);
	debugfs_create_file_unsafe("queue", 0200, w->dir, w, &queue_fops);
	debugfs_create_file_unsafe("stats", 0400, w->dir, w,
				   &writer_stats_fops);
	return 0;

err_free_log:
	ktlife_log_free(&w->log);
err_free_queue:
	ktlife_queue_free(&w->q);
err_erase_id:
	xa_erase(&ktpeer_writers, id);
	kfree(w);
	return ret;
}

/* Graceful: close the queue, let the job drain it, end the worker. */
static void writer_stop(struct ktpeer_writer *w)
{
	lockdep_assert_held(&ktpeer_lock);
	xa_erase(&ktpeer_writers, w->id);
	ktlife_queue_close(&w->q);
	debugfs_remove(w->dir);
	if (w->kw) {
		/* Flushes what is queued, then kthread_stop()s the worker. */
		kthread_destroy_worker(w->kw);
	} else if (w->sink) {
		kthread_stop(w->sink);
	} else {
		flush_work(&w->work);
	}
	kref_put(&w->ref, writer_release);
}

static int bare_thread(void *data)
{
	atomic_inc(&bare_started);
	wake_up(&bare_started_wq);
	wait_event_idle(bare_wq, kthread_should_stop() || READ_ONCE(bare_quit));
	return 0;
}

static bool bare_should_stop(void)
{
	return kthread_should_stop() || READ_ONCE(bare_quit);
}

/*
 * The compactor's wait, and nothing of the compactor: freezable, timed
 * (an hour: never due in a bench), stop-aware. Its stop costs what a stop
 * of that wait costs (TASK_INTERRUPTIBLE, a timer to delete on the way
 * out); what the compactor's stop costs beyond it is ktlife's own.
 */
static int bare_timed_thread(void *data)
{
	set_freezable();
	atomic_inc(&bare_started);
	wake_up(&bare_started_wq);
	while (!bare_should_stop())
		wait_event_freezable_timeout(bare_wq, bare_should_stop(),
					     3600 * HZ);
	return 0;
}

static void bare_stop_all(bool batch)
{
	unsigned int i;

	lockdep_assert_held(&ktpeer_lock);
	if (batch) {
		/* Ask them all first, so they exit in parallel; then reap. */
		WRITE_ONCE(bare_quit, true);
		wake_up_all(&bare_wq);
	}
	for (i = 0; i < bare_n; i++) {
		kthread_stop(bare_tasks[i]);
		put_task_struct(bare_tasks[i]);
	}
	bare_n = 0;
	WRITE_ONCE(bare_quit, false);
}

static int bare_start(unsigned int n, bool timed)
{
	struct task_struct *t;
	u64 start;

	lockdep_assert_held(&ktpeer_lock);
	if (n == 0 || n > KTPEER_MAX_BARE)
		return -EINVAL;
	if (bare_n)
		return -EBUSY;
	atomic_set(&bare_started, 0);
	start = ktime_get_ns();
	for (bare_n = 0; bare_n < n; bare_n++) {
		t = kthread_create(timed ? bare_timed_thread : bare_thread,
				   NULL, "ktpeer/b%u", bare_n);
		if (IS_ERR(t)) {
			bare_stop_all(false);
			return PTR_ERR(t);
		}
		/* The same task reference ktlife holds for each writer. */
		get_task_struct(t);
		wake_up_process(t);
		bare_tasks[bare_n] = t;
	}
	stat_bare_create_ns = ktime_get_ns() - start;
	stat_bare_n = n;
	/* Not timed: wait until each has reached its wait. */
	wait_event(bare_started_wq, atomic_read(&bare_started) == n);
	return 0;
}

static int ctl_cmd(char *cmd)
{
	char *verb, *arg1, *arg2;
	struct ktpeer_writer *w;
	unsigned int n;
	u64 start;

	verb = strsep(&cmd, " ");
	arg1 = strsep(&cmd, " ");
	arg2 = strsep(&cmd, " ");
	if (!verb || cmd)
		return -EINVAL;
	if (!strcmp(verb, "create") && arg1 && arg2 && !kstrtouint(arg2, 10, &n)) {
		if (!strcmp(arg1, "kworker"))
			return writer_create(PEER_KWORKER, n);
		if (!strcmp(arg1, "kworkerb"))
			return writer_create(PEER_KWORKER_BATCH, n);
		if (!strcmp(arg1, "wq"))
			return writer_create(PEER_WQ, n);
		if (!strcmp(arg1, "sink"))
			return writer_create(PEER_SINK, n);
		return -EINVAL;
	}
	if (!strcmp(verb, "stop") && arg1 && !arg2 && !kstrtouint(arg1, 10, &n)) {
		w = xa_load(&ktpeer_writers, n);
		if (!w)
			return -ENOENT;
		start = ktime_get_ns();
		writer_stop(w);
		stat_stop_ns = ktime_get_ns() - start;
		return 0;
	}
	if (!strcmp(verb, "bare_start") && arg1 && !kstrtouint(arg1, 10, &n)) {
		if (arg2 && strcmp(arg2, "timed"))
			return -EINVAL;
		return bare_start(n, !!arg2);
	}
	if (!strcmp(verb, "bare_stop") && arg1 && !arg2) {
		if (strcmp(arg1, "seq") && strcmp(arg1, "batch") &&
		    strcmp(arg1, "gp"))
			return -EINVAL;
		if (!bare_n)
			return -ENOENT;
		/* Not timed: as module exit waits before the compactor's stop. */
		if (!strcmp(arg1, "gp"))
			synchronize_rcu();
		start = ktime_get_ns();
		bare_stop_all(!strcmp(arg1, "batch"));
		stat_bare_stop_ns = ktime_get_ns() - start;
		return 0;
	}
	return -EINVAL;
}

static ssize_t ctl_write(struct file *file, const char __user *ubuf,
			 size_t len, loff_t *ppos)
{
	char *buf;
	int ret;

	/* Bench only, and root only: a short command, as a string. */
	if (len == 0 || len >= KTPEER_CMD_MAX)
		return -EINVAL;
	buf = memdup_user_nul(ubuf, len);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	mutex_lock(&ktpeer_lock);
	ret = ctl_cmd(strim(buf));
	mutex_unlock(&ktpeer_lock);
	kfree(buf);
	return ret ? ret : len;
}

static const struct file_operations ctl_fops = {
	.owner = THIS_MODULE,
	.open = nonseekable_open,
	.write = ctl_write,
};

static int stats_show(struct seq_file *m, void *unused)
{
	mutex_lock(&ktpeer_lock);
	seq_printf(m, "bare_n: %u\n", stat_bare_n);
	seq_printf(m, "bare_create_ns: %llu\n", stat_bare_create_ns);
	seq_printf(m, "bare_stop_ns: %llu\n", stat_bare_stop_ns);
	seq_printf(m, "stop_ns: %llu\n", stat_stop_ns);
	mutex_unlock(&ktpeer_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(stats);

static int __init ktpeer_init(void)
{
	ktpeer_wq = alloc_workqueue("ktpeer", 0, 0);
	if (!ktpeer_wq)
		return -ENOMEM;
	ktpeer_root = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("ctl", 0200, ktpeer_root, NULL, &ctl_fops);
	debugfs_create_file("stats", 0400, ktpeer_root, NULL, &stats_fops);
	/* As ktlife's queue file is made: no debugfs proxy per write(). */
	debugfs_create_file_unsafe("null", 0200, ktpeer_root, NULL, &null_fops);
	ktpeer_writers_dir = debugfs_create_dir("writers", ktpeer_root);
	return 0;
}

static void __exit ktpeer_exit(void)
{
	struct ktpeer_writer *w;
	unsigned long id;

	/* Takes the writers' directories with it. */
	debugfs_remove(ktpeer_root);
	mutex_lock(&ktpeer_lock);
	xa_for_each(&ktpeer_writers, id, w) {
		w->dir = NULL;
		writer_stop(w);
	}
	if (bare_n)
		bare_stop_all(true);
	mutex_unlock(&ktpeer_lock);
	destroy_workqueue(ktpeer_wq);
}

module_init(ktpeer_init);
module_exit(ktpeer_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ktlife bench peers: the writer job on a kthread_worker and a workqueue, and its floors");
MODULE_AUTHOR("The ktlife developers");

// SPDX-License-Identifier: GPL-2.0
/*
 * ktpeer: the peers and the floor that "make bench" measures ktlife against.
 * Bench only; not part of ktlife and never loaded by its tests.
 *
 * Peers run ktlife's writer job (take a message off a record kfifo, keep it
 * in a log trimmed to the newest KTPEER_RETAIN records, count it, CRC-32 it)
 * on another execution context:
 *   kworker  one kthread_worker per writer; a feeder queues a kthread_work
 *   wq       a work_struct per writer on one module-wide workqueue
 * The floor is a bare kthread that does nothing but wait_event_idle() until
 * kthread_stop(): creating and stopping it is the least a writer can cost.
 *
 * /sys/kernel/debug/ktpeer/:
 *   ctl                  "create kworker|wq <id>", "stop <id>",
 *                        "bare_start <n>", "bare_stop seq|batch"
 *   null                 write() copies the message in and drops it: the
 *                        cost of a debugfs write() without any queue
 *   stats                "key: value": bare_n, bare_create_ns,
 *                        bare_stop_ns, stop_ns (the last "stop <id>")
 *   writers/<id>/queue   one write() is one message, as in ktlife
 *   writers/<id>/stats   enqueued, processed, bytes, crc32
 *
 * Locking: ktpeer_lock guards the writer list, the bare threads and the
 * stats; each writer's in_lock serialises its feeders, its lock guards its
 * log and counters. The fifo's output side has one user: the work item,
 * which neither kind of worker runs twice at once.
 */
#include <linux/crc32.h>
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kfifo.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/overflow.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#define KTPEER_FIFO_SIZE	4096
#define KTPEER_MAX_MSG		256
#define KTPEER_RETAIN		64
#define KTPEER_MAX_BARE		1024
#define KTPEER_MAX_ID		9999
#define KTPEER_CMD_MAX		32

/**
 * struct ktpeer_record - one processed message kept in a writer's log.
 * @node: entry in ktpeer_writer.log.
 * @len: payload length.
 * @data: payload.
 */
struct ktpeer_record {
	struct list_head node;
	u16 len;
	u8 data[];
};

/**
 * struct ktpeer_writer - ktlife's writer job on a kthread_worker or a
 * workqueue.
 * @id: writer id.
 * @node: entry in ktpeer_writers, guarded by ktpeer_lock.
 * @dir: debugfs directory writers/<id>.
 * @kw: its kthread_worker (kworker kind), or NULL (wq kind).
 * @kwork: the job on @kw.
 * @work: the job on ktpeer_wq.
 * @fifo: record kfifo of messages.
 * @in_lock: serialises feeders; guards @open, @enqueued and fifo input.
 * @open: the queue takes messages.
 * @enqueued: messages accepted.
 * @space_wq: feeders wait here for room.
 * @lock: guards the log and the counters below it.
 * @log: retained records, oldest first.
 * @log_count: records in @log.
 * @processed: messages taken off @fifo.
 * @bytes: their payload bytes.
 * @crc: zlib-compatible CRC-32 of the processed payloads.
 */
struct ktpeer_writer {
	unsigned int id;
	struct list_head node;
	struct dentry *dir;
	struct kthread_worker *kw;
	struct kthread_work kwork;
	struct work_struct work;

	struct kfifo_rec_ptr_2 fifo;
	struct mutex in_lock;	/* feeders: fifo input, open, enqueued */
	bool open;
	u64 enqueued;
	wait_queue_head_t space_wq;

	struct mutex lock;	/* log and counters below */
	struct list_head log;
	unsigned int log_count;
	u64 processed;
	u64 bytes;
	u32 crc;
};

static DEFINE_MUTEX(ktpeer_lock);
static LIST_HEAD(ktpeer_writers);
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

/* Take every queued message off @w's fifo: the writer job. */
static void writer_drain(struct ktpeer_writer *w)
{
	struct ktpeer_record *rec, *old = NULL;
	unsigned int len;
	u8 *buf;
	u8 scratch[KTPEER_MAX_MSG];

	while (!kfifo_is_empty(&w->fifo)) {
		len = kfifo_peek_len(&w->fifo);
		rec = kmalloc(struct_size(rec, data, len), GFP_KERNEL);
		buf = rec ? rec->data : scratch;
		len = kfifo_out(&w->fifo, buf, len);
		if (wq_has_sleeper(&w->space_wq))
			wake_up(&w->space_wq);

		mutex_lock(&w->lock);
		w->crc = ~crc32_le(~w->crc, buf, len);
		w->processed++;
		w->bytes += len;
		if (rec) {
			rec->len = len;
			list_add_tail(&rec->node, &w->log);
			w->log_count++;
		}
		/* ktlife's compactor trims in batches; here, one at a time. */
		if (w->log_count > KTPEER_RETAIN) {
			old = list_first_entry(&w->log, struct ktpeer_record,
					       node);
			list_del(&old->node);
			w->log_count--;
		}
		mutex_unlock(&w->lock);
		kfree(old);
		old = NULL;
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

static bool writer_can_take(struct ktpeer_writer *w, size_t len)
{
	return !READ_ONCE(w->open) || kfifo_avail(&w->fifo) >= len;
}

static ssize_t queue_write(struct file *file, const char __user *ubuf,
			   size_t len, loff_t *ppos)
{
	struct ktpeer_writer *w = file_inode(file)->i_private;
	unsigned int copied;
	int ret;

	if (len == 0 || len > KTPEER_MAX_MSG)
		return -EMSGSIZE;
	for (;;) {
		ret = mutex_lock_interruptible(&w->in_lock);
		if (ret)
			return ret;
		if (!w->open) {
			mutex_unlock(&w->in_lock);
			return -EPIPE;
		}
		if (kfifo_avail(&w->fifo) >= len)
			break;
		mutex_unlock(&w->in_lock);
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		ret = wait_event_interruptible(w->space_wq,
					       writer_can_take(w, len));
		if (ret)
			return ret;
	}
	ret = kfifo_from_user(&w->fifo, ubuf, len, &copied);
	if (!ret && copied != len)
		ret = -EFAULT;
	if (!ret)
		w->enqueued++;
	mutex_unlock(&w->in_lock);
	if (ret)
		return ret;

	/* A no-op while the job is pending: it drains all it finds. */
	if (w->kw)
		kthread_queue_work(w->kw, &w->kwork);
	else
		queue_work(ktpeer_wq, &w->work);
	return len;
}

static const struct file_operations queue_fops = {
	.owner = THIS_MODULE,
	.open = nonseekable_open,
	.write = queue_write,
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

static int writer_stats_show(struct seq_file *m, void *unused)
{
	struct ktpeer_writer *w = m->private;
	u64 enqueued;

	mutex_lock(&w->in_lock);
	enqueued = w->enqueued;
	mutex_unlock(&w->in_lock);
	mutex_lock(&w->lock);
	seq_printf(m, "enqueued: %llu\n", enqueued);
	seq_printf(m, "processed: %llu\n", w->processed);
	seq_printf(m, "bytes: %llu\n", w->bytes);
	seq_printf(m, "crc32: %08x\n", w->crc);
	mutex_unlock(&w->lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(writer_stats);

static struct ktpeer_writer *writer_find(unsigned int id)
{
	struct ktpeer_writer *w;

	lockdep_assert_held(&ktpeer_lock);
	list_for_each_entry(w, &ktpeer_writers, node)
		if (w->id == id)
			return w;
	return NULL;
}

static void writer_free(struct ktpeer_writer *w)
{
	struct ktpeer_record *rec, *tmp;

	list_for_each_entry_safe(rec, tmp, &w->log, node)
		kfree(rec);
	kfifo_free(&w->fifo);
	kfree(w);
}

static int writer_create(bool kworker, unsigned int id)
{
	struct ktpeer_writer *w;
	char name[16];
	int ret;

	if (id > KTPEER_MAX_ID)
		return -EINVAL;
	lockdep_assert_held(&ktpeer_lock);
	if (writer_find(id))
		return -EEXIST;
	w = kzalloc(sizeof(*w), GFP_KERNEL);
	if (!w)
		return -ENOMEM;
	ret = kfifo_alloc(&w->fifo, KTPEER_FIFO_SIZE, GFP_KERNEL);
	if (ret)
		goto err_free;
	w->id = id;
	w->open = true;
	mutex_init(&w->in_lock);
	mutex_init(&w->lock);
	init_waitqueue_head(&w->space_wq);
	INIT_LIST_HEAD(&w->log);
	kthread_init_work(&w->kwork, writer_kwork_fn);
	INIT_WORK(&w->work, writer_work_fn);
	if (kworker) {
		w->kw = kthread_create_worker(0, "ktpeer/k%u", id);
		if (IS_ERR(w->kw)) {
			ret = PTR_ERR(w->kw);
			goto err_free_fifo;
		}
	}
	snprintf(name, sizeof(name), "%u", id);
	w->dir = debugfs_create_dir(name, ktpeer_writers_dir);
	debugfs_create_file("queue", 0200, w->dir, w, &queue_fops);
	debugfs_create_file("stats", 0400, w->dir, w, &writer_stats_fops);
	list_add_tail(&w->node, &ktpeer_writers);
	return 0;

err_free_fifo:
	kfifo_free(&w->fifo);
err_free:
	kfree(w);
	return ret;
}

/* Graceful: close the queue, let the job drain it, end the worker. */
static void writer_stop(struct ktpeer_writer *w)
{
	lockdep_assert_held(&ktpeer_lock);
	list_del(&w->node);
	mutex_lock(&w->in_lock);
	w->open = false;
	mutex_unlock(&w->in_lock);
	wake_up_all(&w->space_wq);
	debugfs_remove(w->dir);
	if (w->kw) {
		/* Flushes what is queued, then kthread_stop()s the worker. */
		kthread_destroy_worker(w->kw);
	} else {
		flush_work(&w->work);
	}
	writer_free(w);
}

static int bare_thread(void *data)
{
	atomic_inc(&bare_started);
	wake_up(&bare_started_wq);
	wait_event_idle(bare_wq, kthread_should_stop() || READ_ONCE(bare_quit));
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

static int bare_start(unsigned int n)
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
		t = kthread_create(bare_thread, NULL, "ktpeer/b%u", bare_n);
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
			return writer_create(true, n);
		if (!strcmp(arg1, "wq"))
			return writer_create(false, n);
		return -EINVAL;
	}
	if (!strcmp(verb, "stop") && arg1 && !arg2 && !kstrtouint(arg1, 10, &n)) {
		w = writer_find(n);
		if (!w)
			return -ENOENT;
		start = ktime_get_ns();
		writer_stop(w);
		stat_stop_ns = ktime_get_ns() - start;
		return 0;
	}
	if (!strcmp(verb, "bare_start") && arg1 && !arg2 &&
	    !kstrtouint(arg1, 10, &n))
		return bare_start(n);
	if (!strcmp(verb, "bare_stop") && arg1 && !arg2) {
		if (strcmp(arg1, "seq") && strcmp(arg1, "batch"))
			return -EINVAL;
		if (!bare_n)
			return -ENOENT;
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
	char buf[KTPEER_CMD_MAX];
	int ret;

	if (len == 0 || len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	if (strlen(buf) != len)
		return -EINVAL;
	mutex_lock(&ktpeer_lock);
	ret = ctl_cmd(strim(buf));
	mutex_unlock(&ktpeer_lock);
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
	debugfs_create_file("null", 0200, ktpeer_root, NULL, &null_fops);
	ktpeer_writers_dir = debugfs_create_dir("writers", ktpeer_root);
	return 0;
}

static void __exit ktpeer_exit(void)
{
	struct ktpeer_writer *w, *tmp;

	/* Takes the writers' directories with it. */
	debugfs_remove(ktpeer_root);
	mutex_lock(&ktpeer_lock);
	list_for_each_entry_safe(w, tmp, &ktpeer_writers, node) {
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
MODULE_DESCRIPTION("ktlife bench peers: the writer job on a kthread_worker and a workqueue, and a bare kthread floor");
MODULE_AUTHOR("The ktlife developers");

// SPDX-License-Identifier: GPL-2.0
/*
 * The user interface of ktlife, under /sys/kernel/debug/ktlife.
 *
 * This file parses what userspace writes and prints what it reads; all
 * thread logic lives in writer.c and compactor.c. Every file has
 * .owner = THIS_MODULE, so an open file pins the module: rmmod is refused
 * until it is closed, and no file operation can run while the module goes
 * away. Files inside writers/<id>/ reach their writer through i_private;
 * debugfs_remove() of that directory waits for their callers to leave, and
 * the writer is freed only after that.
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "ktlife.h"

/* Written by ktlife_debugfs_init() and ktlife_debugfs_exit() only. */
static struct dentry *ktlife_root;
static struct dentry *ktlife_writers_dir;

/* The longest command is "9999 graceful\n"; leave room for a bit more. */
#define CMD_MAX 32

/*
 * Copy a command from userspace and split it into at most two words.
 * A trailing newline is fine; an empty command, an embedded NUL, a third
 * word or anything longer than CMD_MAX is -EINVAL.
 */
static int read_cmd(const char __user *ubuf, size_t len, char *buf,
		    char **word1, char **word2)
{
	char *p;

	if (len == 0 || len >= CMD_MAX)
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	if (strlen(buf) != len)
		return -EINVAL;

	p = strim(buf);
	*word1 = strsep(&p, " \t");
	*word2 = p ? skip_spaces(p) : NULL;
	if (!**word1 || (*word2 && (!**word2 || strpbrk(*word2, " \t"))))
		return -EINVAL;
	return 0;
}

static int parse_id(const char *s, unsigned int *id)
{
	if (kstrtouint(s, 10, id) || *id > KTLIFE_MAX_ID)
		return -EINVAL;
	return 0;
}

static int parse_stop_mode(const char *s, enum ktlife_stop_mode *mode)
{
	int i;

	if (!s) {
		*mode = KTLIFE_STOP_GRACEFUL;
		return 0;
	}
	for (i = 0; i < KTLIFE_STOP_MODES; i++) {
		if (!strcmp(s, ktlife_stop_mode_name(i))) {
			*mode = i;
			return 0;
		}
	}
	return -EINVAL;
}

/* "create": "<id>" or "<id> leaky". */
static ssize_t create_write(struct file *file, const char __user *ubuf,
			    size_t len, loff_t *ppos)
{
	char buf[CMD_MAX], *word1, *word2;
	unsigned int id;
	bool leaky = false;
	int ret;

	ret = read_cmd(ubuf, len, buf, &word1, &word2);
	if (ret)
		return ret;
	ret = parse_id(word1, &id);
	if (ret)
		return ret;
	if (word2) {
		if (strcmp(word2, "leaky"))
			return -EINVAL;
		leaky = true;
	}
	ret = ktlife_writer_create(id, leaky);
	return ret ? ret : len;
}

/* "stop": "<id> [graceful|now|close]" or "all [graceful|now|close]". */
static ssize_t stop_write(struct file *file, const char __user *ubuf,
			  size_t len, loff_t *ppos)
{
	char buf[CMD_MAX], *word1, *word2;
	enum ktlife_stop_mode mode;
	unsigned int id;
	int ret;

	ret = read_cmd(ubuf, len, buf, &word1, &word2);
	if (ret)
		return ret;
	ret = parse_stop_mode(word2, &mode);
	if (ret)
		return ret;
	if (!strcmp(word1, "all")) {
		ktlife_writers_stop_all(mode);
		return len;
	}
	ret = parse_id(word1, &id);
	if (ret)
		return ret;
	ret = ktlife_writer_stop(id, mode);
	return ret ? ret : len;
}

/* "park" and "unpark": "<id>". */
static ssize_t park_common(const char __user *ubuf, size_t len,
			   int (*op)(unsigned int id))
{
	char buf[CMD_MAX], *word1, *word2;
	unsigned int id;
	int ret;

	ret = read_cmd(ubuf, len, buf, &word1, &word2);
	if (ret)
		return ret;
	if (word2)
		return -EINVAL;
	ret = parse_id(word1, &id);
	if (ret)
		return ret;
	ret = op(id);
	return ret ? ret : len;
}

static ssize_t park_write(struct file *file, const char __user *ubuf,
			  size_t len, loff_t *ppos)
{
	return park_common(ubuf, len, ktlife_writer_park);
}

static ssize_t unpark_write(struct file *file, const char __user *ubuf,
			    size_t len, loff_t *ppos)
{
	return park_common(ubuf, len, ktlife_writer_unpark);
}

static int status_show(struct seq_file *m, void *unused)
{
	ktlife_compactor_status(m);
	ktlife_writers_status(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(status);

static int reaped_show(struct seq_file *m, void *unused)
{
	ktlife_writers_reaped_show(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(reaped);

static ssize_t period_read(struct file *file, char __user *ubuf, size_t len,
			   loff_t *ppos)
{
	char buf[16];
	int n = scnprintf(buf, sizeof(buf), "%u\n",
			  READ_ONCE(ktlife_period_ms));

	return simple_read_from_buffer(ubuf, len, ppos, buf, n);
}

static ssize_t period_write(struct file *file, const char __user *ubuf,
			    size_t len, loff_t *ppos)
{
	unsigned int ms;
	int ret;

	ret = kstrtouint_from_user(ubuf, len, 10, &ms);
	if (ret)
		return -EINVAL;
	ret = ktlife_compactor_set_period(ms);
	return ret ? ret : len;
}

/* "kick": any write, whatever it holds, runs the compactor now. */
static ssize_t kick_write(struct file *file, const char __user *ubuf,
			  size_t len, loff_t *ppos)
{
	ktlife_compactor_kick();
	return len;
}

static int compactor_stats_show(struct seq_file *m, void *unused)
{
	ktlife_compactor_stats(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(compactor_stats);

/* "writers/<id>/queue": one write() is one message. */
static ssize_t queue_write(struct file *file, const char __user *ubuf,
			   size_t len, loff_t *ppos)
{
	struct ktlife_writer *w = file_inode(file)->i_private;

	return ktlife_writer_feed(w, ubuf, len, file->f_flags & O_NONBLOCK);
}

static int log_show(struct seq_file *m, void *unused)
{
	ktlife_writer_log_show(m->private, m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(log);

static int writer_stats_show(struct seq_file *m, void *unused)
{
	struct ktlife_writer_stats st;

	ktlife_writer_stats(m->private, &st);
	seq_printf(m, "enqueued: %llu\n", st.enqueued);
	seq_printf(m, "processed: %llu\n", st.processed);
	seq_printf(m, "discarded: %llu\n", st.discarded);
	seq_printf(m, "queued: %llu\n", st.queued);
	seq_printf(m, "bytes: %llu\n", st.bytes);
	seq_printf(m, "crc32: %08x\n", st.crc);
	seq_printf(m, "log_records: %llu\n", st.log_count);
	seq_printf(m, "log_bytes: %llu\n", st.log_bytes);
	seq_printf(m, "unretained: %llu\n", st.unretained);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(writer_stats);

#define WRITE_ONLY_FOPS(name)                               \
	static const struct file_operations name##_fops = { \
		.owner = THIS_MODULE,                       \
		.open = nonseekable_open,                   \
		.write = name##_write,                      \
	}

WRITE_ONLY_FOPS(create);
WRITE_ONLY_FOPS(stop);
WRITE_ONLY_FOPS(park);
WRITE_ONLY_FOPS(unpark);
WRITE_ONLY_FOPS(kick);
WRITE_ONLY_FOPS(queue);

/* "bugs/unreaped": "<n>", 1..64 threads never reaped. */
static ssize_t unreaped_write(struct file *file, const char __user *ubuf,
			      size_t len, loff_t *ppos)
{
	unsigned int n, i;
	int ret;

	if (kstrtouint_from_user(ubuf, len, 10, &n) || n < 1 || n > 64)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		ret = ktlife_bug_unreaped();
		if (ret)
			return ret;
	}
	return len;
}

/* "bugs/leak": "<bytes>", four allocations of that size forgotten. */
static ssize_t leak_write(struct file *file, const char __user *ubuf,
			  size_t len, loff_t *ppos)
{
	unsigned int size;
	int ret;

	if (kstrtouint_from_user(ubuf, len, 10, &size))
		return -EINVAL;
	ret = ktlife_bug_leak(size);
	return ret ? ret : len;
}

WRITE_ONLY_FOPS(unreaped);
WRITE_ONLY_FOPS(leak);

static const struct file_operations period_fops = {
	.owner = THIS_MODULE,
	.open = nonseekable_open,
	.read = period_read,
	.write = period_write,
};

/**
 * ktlife_debugfs_add_writer() - create writers/<id>/{queue,log,stats}.
 * @w: the new writer.
 *
 * Unlike the rest of the files, these must all exist: debugfs is the only
 * way to feed a writer or to see it, and a writer nobody can feed is a
 * leak of its own. So a failure here fails the creation of the writer.
 *
 * Context: process context; ktlife_writers_lock held.
 * Return: 0, or -ENOMEM with nothing left behind.
 */
int ktlife_debugfs_add_writer(struct ktlife_writer *w)
{
	char name[16];

	snprintf(name, sizeof(name), "%u", w->id);
	w->dir = debugfs_create_dir(name, ktlife_writers_dir);
	/*
	 * "queue" last: once a feeder can reach the writer, nothing may fail
	 * any more, or messages already accepted would be freed unprocessed.
	 */
	if (IS_ERR(w->dir) ||
	    IS_ERR(debugfs_create_file("log", 0400, w->dir, w, &log_fops)) ||
	    IS_ERR(debugfs_create_file("stats", 0400, w->dir, w,
				       &writer_stats_fops)) ||
	    IS_ERR(debugfs_create_file("queue", 0200, w->dir, w,
				       &queue_fops))) {
		debugfs_remove(w->dir);
		w->dir = NULL;
		return -ENOMEM;
	}
	return 0;
}

/**
 * ktlife_debugfs_remove_writer() - remove writers/<id>.
 * @w: the writer, already unreachable for new feeders.
 *
 * Waits until nobody is inside one of its files any more.
 *
 * Context: process context, may sleep; ktlife_writers_lock held.
 */
void ktlife_debugfs_remove_writer(struct ktlife_writer *w)
{
	debugfs_remove(w->dir);
	w->dir = NULL;
}

/**
 * ktlife_debugfs_init() - create /sys/kernel/debug/ktlife.
 *
 * Failures are ignored, as debugfs asks.
 *
 * Context: module init.
 */
void ktlife_debugfs_init(void)
{
	struct dentry *compactor, *bugs;

	ktlife_root = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("create", 0200, ktlife_root, NULL, &create_fops);
	debugfs_create_file("stop", 0200, ktlife_root, NULL, &stop_fops);
	debugfs_create_file("park", 0200, ktlife_root, NULL, &park_fops);
	debugfs_create_file("unpark", 0200, ktlife_root, NULL, &unpark_fops);
	debugfs_create_file("status", 0400, ktlife_root, NULL, &status_fops);
	debugfs_create_file("reaped", 0400, ktlife_root, NULL, &reaped_fops);

	compactor = debugfs_create_dir("compactor", ktlife_root);
	debugfs_create_file("period_ms", 0600, compactor, NULL, &period_fops);
	debugfs_create_file("kick", 0200, compactor, NULL, &kick_fops);
	debugfs_create_file("stats", 0400, compactor, NULL,
			    &compactor_stats_fops);

	ktlife_writers_dir = debugfs_create_dir("writers", ktlife_root);

	bugs = debugfs_create_dir("bugs", ktlife_root);
	debugfs_create_file("unreaped", 0200, bugs, NULL, &unreaped_fops);
	debugfs_create_file("leak", 0200, bugs, NULL, &leak_fops);
}

/**
 * ktlife_debugfs_exit() - remove /sys/kernel/debug/ktlife and all below it.
 *
 * First step of unload: afterwards no request can reach ktlife.
 *
 * Context: module exit.
 */
void ktlife_debugfs_exit(void)
{
	debugfs_remove(ktlife_root);
	ktlife_root = NULL;
	ktlife_writers_dir = NULL;
}

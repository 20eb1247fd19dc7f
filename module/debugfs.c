// SPDX-License-Identifier: GPL-2.0
/*
 * The user interface of ktlife, under /sys/kernel/debug/ktlife.
 *
 * This file parses what userspace writes and prints what it reads; thread
 * logic lives in writer.c and compactor.c. It also drives the creation and
 * the stop of writers (registry.c does each step), because it owns what
 * makes a writer reachable: its directory writers/<id>.
 *
 * Every file has .owner = THIS_MODULE, so an open file pins the module:
 * rmmod is refused until it is closed, and no file operation can run while
 * the module goes away.
 *
 * The files inside writers/<id>/ are made with debugfs_create_file_unsafe()
 * and hold a reference on their writer from open() to release(), instead
 * of letting debugfs make the directory's removal wait for every read() and
 * write() in progress: such a call may sit in a page fault for as long as
 * userspace likes (userfaultfd, FUSE), and the stopper would wait with it.
 * debugfs runs our open() under debugfs_file_get() (its open proxy, which
 * it puts in front of every file), so the writer cannot be freed during
 * open(), and removal waits only for open() calls in progress.
 */
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "ktlife.h"
#include "mutant.h"

/*
 * Written by ktlife_debugfs_init() before the first file exists, and by
 * ktlife_debugfs_exit() when no file operation can run any more: every
 * reader runs in between (a file's handler), ordered after the write by
 * the creation of its file, so plain accesses do not race.
 */
static struct dentry *ktlife_root;
static struct dentry *ktlife_writers_dir;

/* The longest command is "9999 graceful\n"; leave room for a bit more. */
#define CMD_MAX 32
/* "period_ms=3600000 retain=65536 mode=sleep leaky\n" is 48 bytes. */
#define RELOAD_MAX 64

/* "all" in place of an id, for the commands that take it. */
#define ALL_WRITERS UINT_MAX

/*
 * Copy a command from userspace into buf (size bytes) and trim it: the
 * command, or ERR_PTR(-EINVAL) for an empty one, one with a NUL in it or
 * one of size bytes or more, ERR_PTR(-EFAULT) for a bad pointer. Leading
 * and trailing white space (a newline, say) is fine.
 */
static char *copy_cmd(const char __user *ubuf, size_t len, char *buf,
		      size_t size)
{
	if (len == 0 || len >= size)
		return ERR_PTR(-EINVAL);
	if (copy_from_user(buf, ubuf, len))
		return ERR_PTR(-EFAULT);
	buf[len] = '\0';
	if (strlen(buf) != len)
		return ERR_PTR(-EINVAL);
	return strim(buf);
}

/*
 * A command of a writer id (or "all", as ALL_WRITERS, if @all_ok), then
 * at most one more word, in *@word2 (NULL if none): 0, -EINVAL for a bad
 * id or a third word, or copy_cmd()'s error.
 */
static int read_cmd(const char __user *ubuf, size_t len, char *buf, bool all_ok,
		    unsigned int *id, char **word2)
{
	char *p, *word1;

	p = copy_cmd(ubuf, len, buf, CMD_MAX);
	if (IS_ERR(p))
		return PTR_ERR(p);
	word1 = strsep(&p, " \t");
	*word2 = p ? skip_spaces(p) : NULL;
	if (*word2 && (!**word2 || strpbrk(*word2, " \t")))
		return -EINVAL;
	if (all_ok && !strcmp(word1, "all")) {
		*id = ALL_WRITERS;
		return 0;
	}
	if (kstrtouint(word1, 10, id) || *id > KTLIFE_MAX_ID)
		return -EINVAL;
	return 0;
}

/*
 * A command of one decimal number, as strict as read_cmd(): 0, -EINVAL for
 * anything else, or copy_cmd()'s error.
 */
static int read_uint(const char __user *ubuf, size_t len, unsigned int *val)
{
	char buf[CMD_MAX], *p;

	p = copy_cmd(ubuf, len, buf, CMD_MAX);
	if (IS_ERR(p))
		return PTR_ERR(p);
	return kstrtouint(p, 10, val) ? -EINVAL : 0;
}

/* A reload's number: 0, -EINVAL if it is not one, -ERANGE if too big. */
static int reload_number(const char *val, int *out)
{
	unsigned int v;
	int ret;

	ret = kstrtouint(val, 10, &v);
	if (ret)
		return ret == -ERANGE ? ret : -EINVAL;
	if (v > INT_MAX)
		return -ERANGE;
	*out = v;
	return 0;
}

/*
 * A reload line: "[period_ms=<ms>] [retain=<n>] [mode=wait|sleep] [leaky]",
 * in any order, each at most once; what it leaves out stays as it is. 0,
 * -EINVAL for an unknown or repeated key, a word that is not key=value, a
 * value that is not a decimal number (or wait or sleep); -ERANGE for a
 * number too big for an int (ktlife_compactor_reload() checks the ranges).
 */
static int parse_reload(char *p, struct ktlife_compactor_want *want,
			bool *leaky)
{
	char *key, *val;
	int ret;

	*want = (struct ktlife_compactor_want){ -1, -1, KTLIFE_MODE_KEEP };
	*leaky = false;
	while ((key = strsep(&p, " \t"))) {
		if (!*key)
			continue;
		if (!strcmp(key, "leaky") && !*leaky) {
			*leaky = true;
			continue;
		}
		val = strchr(key, '=');
		if (!val)
			return -EINVAL;
		*val++ = '\0';
		if (!strcmp(key, "mode") && want->mode == KTLIFE_MODE_KEEP) {
			if (!strcmp(val, "wait"))
				want->mode = KTLIFE_MODE_WAIT;
			else if (!strcmp(val, "sleep"))
				want->mode = KTLIFE_MODE_SLEEP;
			else
				return -EINVAL;
			ret = 0;
		} else if (!strcmp(key, "period_ms") && want->period_ms < 0) {
			ret = reload_number(val, &want->period_ms);
		} else if (!strcmp(key, "retain") && want->retain < 0) {
			ret = reload_number(val, &want->retain);
		} else {
			ret = -EINVAL;
		}
		if (ret)
			return ret;
	}
	return 0;
}

/* "compactor/reload": a new configuration, and a new thread with it. */
static ssize_t reload_write(struct file *file, const char __user *ubuf,
			    size_t len, loff_t *ppos)
{
	struct ktlife_compactor_want want;
	char buf[RELOAD_MAX], *p;
	bool leaky;
	int ret;

	/* A blank line is fine: a reload that changes nothing. */
	p = copy_cmd(ubuf, len, buf, sizeof(buf));
	if (IS_ERR(p))
		return PTR_ERR(p);
	ret = parse_reload(p, &want, &leaky);
	if (!ret && leaky && !ktlife_bugs)
		ret = -EPERM;
	if (!ret)
		ret = ktlife_compactor_reload(&want, leaky);
	return ret ? ret : len;
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

/*
 * Files of writers/<id>/: the reference described at the top of this
 * file, taken in open(), during which debugfs keeps the file alive.
 */
static struct ktlife_writer *writer_file_get(struct inode *inode)
{
	return ktlife_writer_get(inode->i_private);
}

/* "writers/<id>/queue": one write() is one message. */
static int queue_open(struct inode *inode, struct file *file)
{
	file->private_data = writer_file_get(inode);
	/* A stream: one write() is one message, there is no position. */
	return stream_open(inode, file);
}

static ssize_t queue_write(struct file *file, const char __user *ubuf,
			   size_t len, loff_t *ppos)
{
	return ktlife_writer_feed(file->private_data, ubuf, len,
				  file->f_flags & O_NONBLOCK);
}

static int queue_release(struct inode *inode, struct file *file)
{
	ktlife_writer_put(file->private_data);
	return 0;
}

static const struct file_operations queue_fops = {
	/* make MUTANT=no_owner: an open queue file does not pin the module */
	.owner = KTLIFE_MUTANT(NO_OWNER) ? NULL : THIS_MODULE,
	.open = queue_open,
	.write = queue_write,
	.release = queue_release,
};

/*
 * "stats": seq_file prints into its buffer under the writer's lock, and
 * copies to userspace after it is dropped.
 */
static int writer_seq_open(struct inode *inode, struct file *file,
			   int (*show)(struct seq_file *m, void *unused))
{
	struct ktlife_writer *w = writer_file_get(inode);
	int ret;

	ret = single_open(file, show, w);
	if (ret)
		ktlife_writer_put(w);
	return ret;
}

static int writer_seq_release(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;
	struct ktlife_writer *w = m->private;

	single_release(inode, file);
	ktlife_writer_put(w);
	return 0;
}

/*
 * "log": the retained records, oldest first, one per line: bytes outside
 * printable ASCII and the backslash as \ooo octal escapes. A seq_file
 * iterator whose position is a record's number (see struct ktlife_log's
 * @first), one record per step, each copied out under the writer's lock
 * (ktlife_writer_log_copy()) and printed outside it: an open file holds
 * one page of seq_file buffer, whatever the log's size, and a record
 * overwritten before the reader got to it is skipped.
 */
struct log_iter {
	struct ktlife_writer *w;
	u64 nr;
	u8 buf[]; /* one payload, max_msg bytes */
};

/* The iterator at record *pos, moved up to the oldest one still held. */
static void *log_at(struct log_iter *it, loff_t *pos)
{
	u64 first, end;

	ktlife_writer_log_span(it->w, &first, &end);
	if (*pos < first)
		*pos = first;
	it->nr = *pos;
	return it->nr < end ? it : NULL;
}

static void *log_start(struct seq_file *m, loff_t *pos)
{
	return log_at(m->private, pos);
}

static void *log_next(struct seq_file *m, void *v, loff_t *pos)
{
	++*pos;
	return log_at(v, pos);
}

static void log_stop(struct seq_file *m, void *v)
{
}

static int log_show(struct seq_file *m, void *v)
{
	struct log_iter *it = v;
	unsigned int len, i;

	len = ktlife_writer_log_copy(it->w, it->nr, it->buf);
	if (!len)
		return SEQ_SKIP;
	for (i = 0; i < len; i++) {
		if (it->buf[i] >= 0x20 && it->buf[i] < 0x7f &&
		    it->buf[i] != '\\')
			seq_putc(m, it->buf[i]);
		else
			seq_printf(m, "\\%03o", it->buf[i]);
	}
	seq_putc(m, '\n');
	return 0;
}

static const struct seq_operations log_seq_ops = {
	.start = log_start,
	.next = log_next,
	.stop = log_stop,
	.show = log_show,
};

static int log_open(struct inode *inode, struct file *file)
{
	struct log_iter *it;

	it = __seq_open_private(file, &log_seq_ops,
				sizeof(*it) + ktlife_max_msg);
	if (!it)
		return -ENOMEM;
	it->w = writer_file_get(inode);
	return 0;
}

static int log_release(struct inode *inode, struct file *file)
{
	struct log_iter *it = ((struct seq_file *)file->private_data)->private;

	ktlife_writer_put(it->w);
	return seq_release_private(inode, file);
}

static const struct file_operations log_fops = {
	.owner = THIS_MODULE,
	.open = log_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = log_release,
};

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
	seq_printf(m, "log_evicted: %llu\n", st.log_evicted);
	seq_printf(m, "mem_bytes: %llu\n", st.mem);
	return 0;
}

static int writer_stats_open(struct inode *inode, struct file *file)
{
	return writer_seq_open(inode, file, writer_stats_show);
}

#define WRITER_SEQ_FOPS(name)                               \
	static const struct file_operations name##_fops = { \
		.owner = THIS_MODULE,                       \
		.open = name##_open,                        \
		.read = seq_read,                           \
		.llseek = seq_lseek,                        \
		.release = writer_seq_release,              \
	}

WRITER_SEQ_FOPS(writer_stats);

/* debugfs_create_*() return an ERR_PTR(), never NULL. */
static int dentry_err(struct dentry *d)
{
	return IS_ERR(d) ? PTR_ERR(d) : 0;
}

/* One file of writers/<id>/, made the way the top of this file says. */
static int writer_file(struct ktlife_writer *w, const char *name, umode_t mode,
		       const struct file_operations *fops)
{
	struct dentry *d;

	/* make MUTANT=lock_across_remove: removal waits for every read */
	if (KTLIFE_MUTANT(LOCK_ACROSS_REMOVE))
		d = debugfs_create_file(name, mode, w->dir, w, fops);
	else
		d = debugfs_create_file_unsafe(name, mode, w->dir, w, fops);
	return dentry_err(d);
}

/*
 * Create writers/<id>/{log,stats,queue}. Unlike the rest of the files,
 * these must all exist: debugfs is the only way to feed a writer or to see
 * it, and a writer nobody can feed is a leak of its own. So a failure here
 * fails the creation of the writer, with debugfs's own error.
 */
static int writer_dir_create(struct ktlife_writer *w)
{
	char name[16];
	int ret;

	snprintf(name, sizeof(name), "%u", w->id);
	w->dir = debugfs_create_dir(name, ktlife_writers_dir);
	ret = dentry_err(w->dir);
	if (ret) {
		w->dir = NULL;
		return ret;
	}
	/*
	 * "queue" last: once a feeder can reach the writer, nothing may fail
	 * any more, or messages already accepted would be freed unprocessed.
	 */
	ret = writer_file(w, "log", 0400, &log_fops);
	if (!ret)
		ret = writer_file(w, "stats", 0400, &writer_stats_fops);
	if (!ret)
		ret = writer_file(w, "queue", 0200, &queue_fops);
	/* make MUTANT=create_unwind_leak: an unwind that forgets one step */
	if (ret && !KTLIFE_MUTANT(CREATE_UNWIND_LEAK)) {
		debugfs_remove(w->dir);
		w->dir = NULL;
	}
	return ret;
}

/* "create": "<id>" or "<id> leaky". */
static ssize_t create_write(struct file *file, const char __user *ubuf,
			    size_t len, loff_t *ppos)
{
	char buf[CMD_MAX], *word2;
	struct ktlife_writer *w;
	unsigned int id;
	int ret;

	ret = read_cmd(ubuf, len, buf, false, &id, &word2);
	if (ret)
		return ret;
	if (word2) {
		if (strcmp(word2, "leaky"))
			return -EINVAL;
		if (!ktlife_bugs)
			return -EPERM;
		ret = ktlife_writer_create_leaky(id);
		return ret ? ret : len;
	}

	w = ktlife_writer_create(id);
	if (IS_ERR(w))
		return PTR_ERR(w);
	ret = writer_dir_create(w);
	if (ret) {
		ktlife_writer_abort(w);
		return ret;
	}
	ktlife_writer_run(w);
	return len;
}

/*
 * The second half of a stop, after ktlife_writer_begin_stop(): remove the
 * directory (waiting only for open() calls in progress), then reap.
 */
static void writer_remove(struct ktlife_writer *w, enum ktlife_stop_mode mode)
{
	debugfs_remove(w->dir);
	w->dir = NULL;
	ktlife_writer_reap(w, mode);
}

/*
 * Stop the writers on @dying (from ktlife_writers_begin_stop_all()): every
 * one of them was marked DYING and had its queue closed before the first
 * is reaped, so that their threads drain in parallel.
 */
static void writers_remove(struct list_head *dying, enum ktlife_stop_mode mode)
{
	struct ktlife_writer *w, *tmp;

	list_for_each_entry_safe(w, tmp, dying, dying_node) {
		list_del_init(&w->dying_node);
		writer_remove(w, mode);
	}
}

/* "stop": "<id> [graceful|now|close]" or "all [graceful|now|close]". */
static ssize_t stop_write(struct file *file, const char __user *ubuf,
			  size_t len, loff_t *ppos)
{
	char buf[CMD_MAX], *word2;
	enum ktlife_stop_mode mode;
	struct ktlife_writer *w;
	LIST_HEAD(dying);
	unsigned int id;
	int ret;

	ret = read_cmd(ubuf, len, buf, true, &id, &word2);
	if (!ret)
		ret = parse_stop_mode(word2, &mode);
	if (ret)
		return ret;
	if (id == ALL_WRITERS) {
		ret = ktlife_writers_begin_stop_all(&dying, true);
		if (ret < 0)
			return ret;
		writers_remove(&dying, mode);
		return len;
	}
	w = ktlife_writer_begin_stop(id);
	if (IS_ERR(w))
		return PTR_ERR(w);
	writer_remove(w, mode);
	return len;
}

/* "park" and "unpark": "<id>". */
static ssize_t park_common(const char __user *ubuf, size_t len, bool park)
{
	char buf[CMD_MAX], *word2;
	unsigned int id;
	int ret;

	ret = read_cmd(ubuf, len, buf, false, &id, &word2);
	if (!ret && word2)
		ret = -EINVAL;
	if (!ret)
		ret = ktlife_writer_park(id, park);
	return ret ? ret : len;
}

static ssize_t park_write(struct file *file, const char __user *ubuf,
			  size_t len, loff_t *ppos)
{
	return park_common(ubuf, len, true);
}

static ssize_t unpark_write(struct file *file, const char __user *ubuf,
			    size_t len, loff_t *ppos)
{
	return park_common(ubuf, len, false);
}

static int status_show(struct seq_file *m, void *unused)
{
	ktlife_compactor_status(m);
	return ktlife_writers_status(m);
}
DEFINE_SHOW_ATTRIBUTE(status);

static int reaped_show(struct seq_file *m, void *unused)
{
	return ktlife_writers_reaped_show(m);
}
DEFINE_SHOW_ATTRIBUTE(reaped);

static ssize_t period_read(struct file *file, char __user *ubuf, size_t len,
			   loff_t *ppos)
{
	char buf[16];
	int n = scnprintf(buf, sizeof(buf), "%u\n", ktlife_compactor_period());

	return simple_read_from_buffer(ubuf, len, ppos, buf, n);
}

/*
 * Files whose write() is one decimal number (period_ms, kick, the bugs):
 * one write() for all of them, and each file's data is its handler.
 */
struct uint_cmd {
	int (*op)(unsigned int val);
};

/* The write's length, read_uint()'s error, or op's. */
static ssize_t uint_write(struct file *file, const char __user *ubuf,
			  size_t len, loff_t *ppos)
{
	const struct uint_cmd *cmd = file_inode(file)->i_private;
	unsigned int val;
	int ret;

	ret = read_uint(ubuf, len, &val);
	if (!ret)
		ret = cmd->op(val);
	return ret ? ret : len;
}

static struct uint_cmd period_cmd = { .op = ktlife_compactor_set_period };

/* "kick": "1" runs the compactor now. */
static int kick(unsigned int one)
{
	if (one != 1)
		return -EINVAL;
	ktlife_compactor_kick();
	return 0;
}

static struct uint_cmd kick_cmd = { .op = kick };

/*
 * "bugs/unreaped": "<n>", 1..16 threads whose task reference is leaked,
 * each charged against max_leaky (-ENOSPC past it).
 */
static int unreaped(unsigned int n)
{
	unsigned int i;
	int ret;

	if (n < 1 || n > 16)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		ret = ktlife_bug_unreaped();
		if (ret)
			return ret;
	}
	return 0;
}

static struct uint_cmd unreaped_cmd = { .op = unreaped };

/* "bugs/leak": "<bytes>", four allocations of that size forgotten; 0 frees them. */
static int leak(unsigned int size)
{
	return ktlife_bug_leak(size);
}

static struct uint_cmd leak_cmd = { .op = leak };

/* "bugs/race": "<ms>", two threads racing on a plain counter that long. */
static struct uint_cmd race_cmd = { .op = ktlife_bug_race };

static const struct file_operations uint_fops = {
	.owner = THIS_MODULE,
	.open = nonseekable_open,
	.write = uint_write,
};

static int compactor_stats_show(struct seq_file *m, void *unused)
{
	ktlife_compactor_stats(m);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(compactor_stats);

#define WRITE_ONLY_FOPS(name)                               \
	static const struct file_operations name##_fops = { \
		.owner = THIS_MODULE,                       \
		.open = nonseekable_open,                   \
		.write = name##_write,                      \
	}

WRITE_ONLY_FOPS(create);
WRITE_ONLY_FOPS(reload);
WRITE_ONLY_FOPS(stop);
WRITE_ONLY_FOPS(park);
WRITE_ONLY_FOPS(unpark);

static const struct file_operations period_fops = {
	.owner = THIS_MODULE,
	.open = nonseekable_open,
	.read = period_read,
	.write = uint_write,
};

/*
 * One file of ktlife_debugfs_init(), live as soon as it exists. With
 * init_delay_ms (bugs=1 only), init then sleeps, as if preempted there:
 * how a test gives its racing writes time to land between two files.
 */
static void init_file(const char *name, umode_t mode, struct dentry *parent,
		      void *data, const struct file_operations *fops)
{
	debugfs_create_file(name, mode, parent, data, fops);
	if (ktlife_init_delay_ms)
		msleep(ktlife_init_delay_ms);
}

/**
 * ktlife_debugfs_init() - create /sys/kernel/debug/ktlife.
 *
 * A file is live the moment it exists: module init has not returned yet,
 * but open() already works (only a GOING module refuses it), so a file's
 * handler may run before the rest of init. Hence the order: every
 * directory before any file, so that ktlife_writers_dir is set before
 * "create" can put a writer in it; the files that only read, then those
 * that change settings, then the commands that create and stop writers.
 * Nothing a file's handler reaches is made after that file.
 *
 * Failures are ignored, as debugfs asks.
 *
 * Context: module init, after the compactor started.
 */
void ktlife_debugfs_init(void)
{
	struct dentry *compactor, *bugs = NULL;

	ktlife_root = debugfs_create_dir(KBUILD_MODNAME, NULL);
	/*
	 * make MUTANT=create_before_dirs: the old order, "create" first and
	 * writers/ after every file: a create in between puts its writer in
	 * the debugfs root, which unload does not remove.
	 */
	if (KTLIFE_MUTANT(CREATE_BEFORE_DIRS))
		init_file("create", 0200, ktlife_root, NULL, &create_fops);
	compactor = debugfs_create_dir("compactor", ktlife_root);
	if (!KTLIFE_MUTANT(CREATE_BEFORE_DIRS))
		ktlife_writers_dir = debugfs_create_dir("writers", ktlife_root);
	/* The deliberate bugs only for those who asked for them. */
	if (ktlife_bugs)
		bugs = debugfs_create_dir("bugs", ktlife_root);

	init_file("status", 0400, ktlife_root, NULL, &status_fops);
	init_file("reaped", 0400, ktlife_root, NULL, &reaped_fops);
	init_file("stats", 0400, compactor, NULL, &compactor_stats_fops);

	init_file("period_ms", 0600, compactor, &period_cmd, &period_fops);
	init_file("kick", 0200, compactor, &kick_cmd, &uint_fops);
	init_file("reload", 0200, compactor, NULL, &reload_fops);
	if (bugs) {
		init_file("unreaped", 0200, bugs, &unreaped_cmd, &uint_fops);
		init_file("leak", 0200, bugs, &leak_cmd, &uint_fops);
		init_file("race", 0200, bugs, &race_cmd, &uint_fops);
	}

	init_file("stop", 0200, ktlife_root, NULL, &stop_fops);
	init_file("park", 0200, ktlife_root, NULL, &park_fops);
	init_file("unpark", 0200, ktlife_root, NULL, &unpark_fops);
	if (!KTLIFE_MUTANT(CREATE_BEFORE_DIRS))
		init_file("create", 0200, ktlife_root, NULL, &create_fops);
	else
		ktlife_writers_dir = debugfs_create_dir("writers", ktlife_root);
}

/**
 * ktlife_debugfs_exit() - stop every writer, then remove the debugfs files.
 *
 * First step of unload. No file is open (an open file pins the module) and
 * none can be opened any more (the module is GOING), so no request is in
 * flight and none can come. Each writer is stopped the way "stop all"
 * stops it: its directory removed, then its thread reaped (gracefully).
 * Then the rest of ktlife/. Leaky writers are not among them: they pin the
 * module, so unload cannot begin while one lives.
 *
 * Context: module exit.
 */
void ktlife_debugfs_exit(void)
{
	LIST_HEAD(dying);

	ktlife_writers_begin_stop_all(&dying, false);
	writers_remove(&dying, KTLIFE_STOP_GRACEFUL);
	debugfs_remove(ktlife_root);
	ktlife_root = NULL;
	ktlife_writers_dir = NULL;
}

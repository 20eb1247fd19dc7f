// SPDX-License-Identifier: GPL-2.0
/*
 * ktleak: goleak for kernel threads (see ktleak.h for the library).
 *
 * What a snapshot holds, and why each counts:
 *   - every task (each thread of every process, kernel threads included)
 *     by tid and comm: a kernel thread (PF_KTHREAD) that was not there
 *     before and is still there after is the leak goleak looks for (only
 *     those that match --prefix are reported); every new task, kernel or
 *     user, holds a task_struct of its own, which the count below allows;
 *   - the module's presence and refcount: a leaked thread running module
 *     code pins it; a module left loaded is a leak of its own;
 *   - task_struct slab objects, once the count has settled: a thread that
 *     exited while somebody still holds a task reference on it (a
 *     get_task_struct() never put) keeps its task_struct; the new tasks
 *     still alive explain as many new objects, and the tasks gone since
 *     the snapshot (a kworker that exited, say) as many fewer: only the
 *     rest is reported.
 *     One leaked reference is one object: the default slack is 0, and
 *     the check retries until the count settles (tasks that just exited
 *     are freed after an RCU grace period);
 *   - MemAvailable: reported, never judged (it moves with everything else);
 *   - kmemleak (debug kernels): cleared at the snapshot; at the check, one
 *     wait past its minimum object age (5 s), as many scans as a leak
 *     needs to be reported (kmemleak_scans()), then its report.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ktleak.h"

#define KMEMLEAK	"/sys/kernel/debug/kmemleak"
#define PF_KTHREAD	0x00200000
#define MAX_TASKS	8192

struct task_id {
	int pid;	/* the task's own id (a thread's tid) */
	char comm[32];
	bool kthread;
	bool watched;	/* a kernel thread that matches the prefix */
};

struct ktleak_snap {
	int nr_tasks;
	struct task_id tasks[MAX_TASKS];
	int module_loaded;
	long module_refcnt;
	long task_structs;
	long mem_available_kb;
	bool kmemleak;
};

static FILE *out(const struct ktleak_opts *o)
{
	return o->out ? o->out : stderr;
}

/* The whole file (proc files come a page at a time), NUL-terminated. */
static int read_file(const char *path, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n = 0;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while (len + 1 < size) {
		n = read(fd, buf + len, size - 1 - len);
		if (n <= 0)
			break;
		len += n;
	}
	close(fd);
	buf[len] = '\0';
	return n < 0 ? -1 : (int)len;
}

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	int ret;

	if (fd < 0)
		return -1;
	ret = write(fd, text, strlen(text)) < 0 ? -1 : 0;
	close(fd);
	return ret;
}

static bool watched(const struct ktleak_opts *o, const char *comm)
{
	if (o->prefix)
		return !strncmp(comm, o->prefix, strlen(o->prefix));
	return strncmp(comm, "kworker/", 8) != 0;
}

/* One task's /proc/PID/task/TID/stat: comm in parentheses, flags field 9. */
static void snap_task(const struct ktleak_opts *o, struct ktleak_snap *s,
		      const char *pid, const char *tid)
{
	char path[96], buf[1024], *open_paren, *close_paren, *p;
	unsigned long flags;
	struct task_id *t;
	int i;

	snprintf(path, sizeof(path), "/proc/%.16s/task/%.16s/stat", pid, tid);
	if (read_file(path, buf, sizeof(buf)) < 0)
		return;
	open_paren = strchr(buf, '(');
	close_paren = strrchr(buf, ')');
	if (!open_paren || !close_paren)
		return;
	/* After ") ": state ppid pgrp session tty tpgid flags */
	p = close_paren + 2;
	for (i = 0; i < 6 && p; i++)
		p = strchr(p + 1, ' ');
	if (!p)
		return;
	flags = strtoul(p + 1, NULL, 10);
	*close_paren = '\0';
	t = &s->tasks[s->nr_tasks++];
	t->pid = atoi(tid);
	t->kthread = flags & PF_KTHREAD;
	t->watched = t->kthread && watched(o, open_paren + 1);
	snprintf(t->comm, sizeof(t->comm), "%s", open_paren + 1);
}

/* Every task: each thread of each process, kernel threads included. */
static void snap_tasks(const struct ktleak_opts *o, struct ktleak_snap *s)
{
	struct dirent *de, *te;
	char path[64];
	DIR *dir, *tdir;

	s->nr_tasks = 0;
	dir = opendir("/proc");
	if (!dir)
		return;
	while ((de = readdir(dir)) && s->nr_tasks < MAX_TASKS) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%.16s/task", de->d_name);
		tdir = opendir(path);
		if (!tdir)
			continue;
		while ((te = readdir(tdir)) && s->nr_tasks < MAX_TASKS)
			if (te->d_name[0] >= '1' && te->d_name[0] <= '9')
				snap_task(o, s, de->d_name, te->d_name);
		closedir(tdir);
	}
	closedir(dir);
}

/*
 * Live task_structs. SLUB's count includes objects sitting free in per-CPU
 * slabs, and KASAN holds freed objects in quarantine: shrinking the cache
 * first flushes both, so the count means what it says.
 */
static long task_structs(void)
{
	char *buf = malloc(1 << 20), *line;
	long n = -1;

	if (!buf)
		return -1;
	write_file("/sys/kernel/slab/task_struct/shrink", "1");
	if (read_file("/proc/slabinfo", buf, 1 << 20) > 0) {
		line = strstr(buf, "\ntask_struct ");
		if (line)
			n = strtol(line + strlen("\ntask_struct "), NULL, 10);
	}
	free(buf);
	return n;
}

static long meminfo_kb(const char *key)
{
	char buf[8192], *p;

	if (read_file("/proc/meminfo", buf, sizeof(buf)) < 0)
		return -1;
	p = strstr(buf, key);
	return p ? strtol(p + strlen(key) + 1, NULL, 10) : -1;
}

static void snap_module(const struct ktleak_opts *o, struct ktleak_snap *s)
{
	char path[256], buf[32];

	s->module_loaded = 0;
	s->module_refcnt = 0;
	if (!o->module)
		return;
	snprintf(path, sizeof(path), "/sys/module/%s/refcnt", o->module);
	if (read_file(path, buf, sizeof(buf)) > 0) {
		s->module_loaded = 1;
		s->module_refcnt = strtol(buf, NULL, 10);
	}
}

static void take(const struct ktleak_opts *o, struct ktleak_snap *s)
{
	snap_tasks(o, s);
	snap_module(o, s);
	s->task_structs = task_structs();
	s->mem_available_kb = meminfo_kb("MemAvailable:");
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/*
 * The baseline, once the task_struct count has stopped moving: tasks that
 * exited just before (the shell that started us, say) are freed after an
 * RCU grace period, and a baseline taken before that would make the check
 * after it look better than it is. Three equal readings 50 ms apart, or
 * the last of 40.
 */
static void take_settled(const struct ktleak_opts *o, struct ktleak_snap *s)
{
	long last = -2;
	int same = 0, i;

	for (i = 0; i < 40 && same < 2; i++) {
		if (i)
			sleep_ms(50);
		s->task_structs = task_structs();
		same = s->task_structs == last ? same + 1 : 0;
		last = s->task_structs;
	}
	snap_tasks(o, s);
	snap_module(o, s);
	s->mem_available_kb = meminfo_kb("MemAvailable:");
}

struct ktleak_snap *ktleak_snapshot(const struct ktleak_opts *o)
{
	struct ktleak_snap *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->kmemleak = !o->no_kmemleak && access(KMEMLEAK, W_OK) == 0;
	if (s->kmemleak)
		write_file(KMEMLEAK, "clear");
	take_settled(o, s);
	return s;
}

static bool was_there(const struct ktleak_snap *before,
		      const struct task_id *t)
{
	int i;

	for (i = 0; i < before->nr_tasks; i++)
		if (before->tasks[i].pid == t->pid &&
		    !strcmp(before->tasks[i].comm, t->comm))
			return true;
	return false;
}

/* Leaks in after compared with before: a count, reported if report. */
static int compare(const struct ktleak_opts *o,
		   const struct ktleak_snap *before,
		   const struct ktleak_snap *after, bool report)
{
	char path[64], buf[4096];
	int i, leaks = 0, alive = 0, gone = 0;
	long held;

	/* Each task gone since the snapshot freed its task_struct. */
	for (i = 0; i < before->nr_tasks; i++)
		gone += !was_there(after, &before->tasks[i]);

	for (i = 0; i < after->nr_tasks; i++) {
		const struct task_id *t = &after->tasks[i];

		if (was_there(before, t))
			continue;
		/* Each new live task holds one task_struct of its own. */
		alive++;
		if (!t->watched)
			continue;
		leaks++;
		if (!report)
			continue;
		fprintf(out(o), "ktleak: leaked kernel thread pid %d comm %s\n",
			t->pid, t->comm);
		snprintf(path, sizeof(path), "/proc/%d/status", t->pid);
		if (read_file(path, buf, sizeof(buf)) > 0) {
			char *state = strstr(buf, "State:");

			if (state)
				fprintf(out(o), "ktleak:   %.*s\n",
					(int)strcspn(state, "\n"), state);
		}
		snprintf(path, sizeof(path), "/proc/%d/wchan", t->pid);
		if (read_file(path, buf, sizeof(buf)) > 0)
			fprintf(out(o), "ktleak:   wchan: %s\n", buf);
		snprintf(path, sizeof(path), "/proc/%d/stack", t->pid);
		if (read_file(path, buf, sizeof(buf)) > 0)
			fprintf(out(o), "ktleak:   stack:\n%s", buf);
	}
	if (after->module_loaded != before->module_loaded ||
	    after->module_refcnt != before->module_refcnt) {
		leaks++;
		if (report)
			fprintf(out(o), "ktleak: module %s: %s, refcnt %ld (before: %s, refcnt %ld)\n",
				o->module,
				after->module_loaded ? "loaded" : "absent",
				after->module_refcnt,
				before->module_loaded ? "loaded" : "absent",
				before->module_refcnt);
	}
	if (before->task_structs < 0 || after->task_structs < 0)
		return leaks;
	held = after->task_structs - before->task_structs - alive + gone;
	if (held > o->slack) {
		leaks++;
		if (report)
			fprintf(out(o), "ktleak: task_struct objects: %ld, %ld before; %ld more than the %d new tasks still alive hold, %d tasks gone since counted out (slack %d): task references never put? (a get_task_struct() on a thread that has exited)\n",
				after->task_structs, before->task_structs,
				held, alive, gone, o->slack);
	} else if (report && (alive || gone)) {
		fprintf(out(o), "ktleak: task_struct objects: %ld, %ld before: the %d new tasks still alive hold the difference, %d tasks gone since counted out\n",
			after->task_structs, before->task_structs, alive,
			gone);
	}
	return leaks;
}

static int watched_count(const struct ktleak_snap *s)
{
	int i, n = 0;

	for (i = 0; i < s->nr_tasks; i++)
		n += s->tasks[i].watched;
	return n;
}

/*
 * The scans a leak needs before kmemleak reports it: one that records the
 * object's checksum (one changed since the last scan is held back), then
 * min_unref_scans in which it stays unreferenced (a parameter 7.x added:
 * 2 with CONFIG_DEBUG_KMEMLEAK_VERBOSE; kernels without it report at the
 * first).
 */
static int kmemleak_scans(void)
{
	char buf[16];

	if (read_file("/sys/module/kmemleak/parameters/min_unref_scans", buf,
		      sizeof(buf)) > 0 && atoi(buf) > 0)
		return 1 + atoi(buf);
	return 2;
}

/* kmemleak's report past the minimum object age, after enough scans. */
static int kmemleak_leaks(const struct ktleak_opts *o)
{
	char *buf = malloc(1 << 20);
	int n, i;

	if (!buf)
		return 0;
	sleep_ms(5500);
	for (i = kmemleak_scans(); i > 0; i--)
		write_file(KMEMLEAK, "scan");
	n = read_file(KMEMLEAK, buf, 1 << 20);
	if (n > 0)
		fprintf(out(o), "ktleak: kmemleak reports:\n%s", buf);
	free(buf);
	return n > 0;
}

int ktleak_check(const struct ktleak_opts *o, struct ktleak_snap *before)
{
	struct ktleak_snap *after = calloc(1, sizeof(*after));
	long waited = 0, step = 20;
	int leaks;

	if (!after) {
		free(before);
		return 1;
	}
	for (;;) {
		take(o, after);
		leaks = compare(o, before, after, false);
		if (!leaks || waited >= o->timeout_ms)
			break;
		sleep_ms(step);
		waited += step;
		step = step * 2 > 1000 ? 1000 : step * 2;
	}
	if (leaks)
		compare(o, before, after, true);
	if (before->kmemleak && !o->no_kmemleak)
		leaks += kmemleak_leaks(o);

	if (leaks)
		fprintf(out(o), "ktleak: LEAK: %d finding(s)\n", leaks);
	else
		fprintf(out(o), "ktleak: ok: no kernel thread%s%s left behind (%d watched, task_struct %ld -> %ld, MemAvailable %ld -> %ld kB%s)\n",
			o->module ? ", no module reference" : "",
			before->kmemleak && !o->no_kmemleak ?
				", no kmemleak report" : "",
			watched_count(after), before->task_structs,
			after->task_structs, before->mem_available_kb,
			after->mem_available_kb,
			before->kmemleak ? "" : "; no kmemleak here");
	free(before);
	free(after);
	return leaks ? 1 : 0;
}

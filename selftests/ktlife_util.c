// SPDX-License-Identifier: GPL-2.0
/*
 * Helpers shared by the ktlife selftests (see ktlife_util.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ktleak.h"
#include "ktlife_util.h"

#define KMEMLEAK "/sys/kernel/debug/kmemleak"

int kt_module_fd_of(const char *name)
{
	char path[PATH_MAX + 64], exe[PATH_MAX];
	const char *env = getenv(strcmp(name, "ktlife") ? "KTLIFE_FIRST_KO" :
							"KTLIFE_KO");
	ssize_t n;
	int fd;

	if (env)
		return open(env, O_RDONLY | O_CLOEXEC);
	/* Installed tests find the module beside them, or one level up. */
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n < 0)
		return -1;
	exe[n] = '\0';
	snprintf(path, sizeof(path), "%s/%s.ko", dirname(exe), name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0)
		return fd;
	snprintf(path, sizeof(path), "%s/../%s.ko", exe, name);
	return open(path, O_RDONLY | O_CLOEXEC);
}

int kt_module_fd(void)
{
	return kt_module_fd_of("ktlife");
}

static void mount_debugfs(void)
{
	struct stat st;

	if (stat("/sys/kernel/debug/ktlife", &st) == 0 ||
	    stat("/sys/kernel/debug/kmemleak", &st) == 0 ||
	    stat("/sys/kernel/debug/ktlife_first", &st) == 0)
		return;
	mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
}

int kt_load_module(const char *name, const char *params)
{
	int fd = kt_module_fd_of(name);
	int ret;

	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, params ? params : "", 0);
	ret = ret ? -errno : 0;
	close(fd);
	if (!ret)
		mount_debugfs();
	return ret;
}

int kt_unload_module(const char *name)
{
	return syscall(SYS_delete_module, name, O_NONBLOCK) ? -errno : 0;
}

bool kt_module_loaded(const char *name)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "/sys/module/%s", name);
	return access(path, F_OK) == 0;
}

int kt_load(const char *params)
{
	return kt_load_module("ktlife", params);
}

int kt_unload(void)
{
	return kt_unload_module("ktlife");
}

int kt_unload_timed(double *ms)
{
	double start = kt_now_ms();
	int ret = kt_unload();

	*ms = kt_now_ms() - start;
	return ret;
}

bool kt_loaded(void)
{
	return kt_module_loaded("ktlife");
}

int kt_open(const char *file, int flags)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s",
		 file[0] == '/' ? "" : KT_DEBUGFS, file);
	return open(path, flags | O_CLOEXEC);
}

int kt_write(const char *file, const char *text)
{
	ssize_t n;
	int fd, ret = 0;

	fd = kt_open(file, O_WRONLY);
	if (fd < 0)
		return -errno;
	n = write(fd, text, strlen(text));
	if (n < 0)
		ret = -errno;
	else if ((size_t)n != strlen(text))
		ret = -EIO;
	close(fd);
	return ret;
}

int kt_write_n(const char *file, const void *buf, size_t len)
{
	ssize_t n;
	int fd, ret = 0;

	fd = kt_open(file, O_WRONLY);
	if (fd < 0)
		return -errno;
	n = write(fd, buf, len);
	if (n < 0)
		ret = -errno;
	else if ((size_t)n != len)
		ret = -EIO;
	close(fd);
	return ret;
}

int kt_writef(const char *file, const char *fmt, ...)
{
	char text[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	return kt_write(file, text);
}

ssize_t kt_read(const char *file, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;
	int fd;

	fd = kt_open(file, O_RDONLY);
	if (fd < 0)
		return -errno;
	while (len + 1 < size) {
		n = read(fd, buf + len, size - 1 - len);
		if (n < 0) {
			n = -errno;
			close(fd);
			return n;
		}
		if (n == 0)
			break;
		len += n;
	}
	buf[len] = '\0';
	close(fd);
	return len;
}

long long kt_stat(const char *file, const char *key)
{
	char buf[8192], *line, *save;
	size_t klen = strlen(key);

	if (kt_read(file, buf, sizeof(buf)) < 0)
		return -1;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (!strncmp(line, key, klen) && line[klen] == ':')
			return strtoll(line + klen + 1, NULL,
				       strcmp(key, "crc32") ? 10 : 16);
	}
	return -1;
}

long long kt_field(const char *file, const char *kind, const char *match,
		   const char *key)
{
	static char buf[1 << 20];

	if (kt_read(file, buf, sizeof(buf)) < 0)
		return -1;
	return kt_field_in(buf, kind, match, key);
}

long long kt_field_in(const char *text, const char *kind, const char *match,
		      const char *key)
{
	char needle[64], *buf, *line, *save, *p;
	long long val = -1;

	buf = strdup(text);
	if (!buf)
		return -1;
	snprintf(needle, sizeof(needle), " %s=", key);
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, kind, strlen(kind)) ||
		    (match && !strstr(line, match)))
			continue;
		p = strstr(line, needle);
		if (p)
			val = strtoll(p + strlen(needle), NULL,
				      strcmp(key, "crc32") ? 10 : 16);
	}
	free(buf);
	return val;
}

int kt_feed(unsigned int id, const void *msg, size_t len, bool nonblock)
{
	char path[64];
	ssize_t n;
	int fd, ret = 0;

	snprintf(path, sizeof(path), "writers/%u/queue", id);
	fd = kt_open(path, O_WRONLY | (nonblock ? O_NONBLOCK : 0));
	if (fd < 0)
		return -errno;
	n = write(fd, msg, len);
	if (n < 0)
		ret = -errno;
	else if ((size_t)n != len)
		ret = -EIO;
	close(fd);
	return ret;
}

int kt_wait_processed(unsigned int id, long long n, int timeout_ms)
{
	char file[64];
	double end = kt_now_ms() + timeout_ms;

	snprintf(file, sizeof(file), "writers/%u/stats", id);
	while (kt_stat(file, "processed") < n) {
		if (kt_now_ms() > end)
			return -ETIMEDOUT;
		kt_sleep_ms(10);
	}
	return 0;
}

int kt_each_thread(const char *comm, bool exact, int (*fn)(pid_t, void *),
		   void *arg)
{
	char path[300], name[64];
	struct dirent *de;
	int count = 0;
	DIR *dir;
	FILE *f;

	dir = opendir("/proc");
	if (!dir)
		return -errno;
	while ((de = readdir(dir))) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", de->d_name);
		f = fopen(path, "re");
		if (!f)
			continue;
		if (fgets(name, sizeof(name), f)) {
			name[strcspn(name, "\n")] = '\0';
			if ((exact ? !strcmp(name, comm) :
				     !strncmp(name, comm, strlen(comm))) &&
			    !fn(atoi(de->d_name), arg))
				count++;
		}
		fclose(f);
	}
	closedir(dir);
	return count;
}

static int count_one(pid_t pid, void *arg)
{
	return 0;
}

static int remember(pid_t pid, void *arg)
{
	*(pid_t *)arg = pid;
	return 0;
}

int kt_count_threads(const char *prefix)
{
	return kt_each_thread(prefix, false, count_one, NULL);
}

int kt_count_threads_settled(const char *prefix, int most, int ms)
{
	double end = kt_now_ms() + ms;
	int n;

	while ((n = kt_count_threads(prefix)) > most && kt_now_ms() < end)
		kt_sleep_ms(10);
	return n;
}

int kt_count_threads_after_stop(const char *prefix)
{
	return kt_count_threads_settled(prefix, 0, 2000);
}

pid_t kt_find_thread(const char *comm)
{
	pid_t pid = 0;

	kt_each_thread(comm, true, remember, &pid);
	return pid;
}

uint32_t kt_crc32(uint32_t crc, const void *buf, size_t len)
{
	const unsigned char *p = buf;
	int k;

	crc = ~crc;
	while (len--) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & -(crc & 1));
	}
	return ~crc;
}

size_t kt_message(unsigned int i, char *buf, size_t max)
{
	/* Lengths cycle through 1..max so every size class is exercised. */
	size_t len = 1 + (i * 37u) % max;
	size_t n = (size_t)snprintf(buf, max + 1, "msg-%u-", i);
	size_t j;

	for (j = n; j < len; j++)
		buf[j] = 'a' + (i + j) % 26;
	return len;
}

/*
 * Feed kt_message()s to writer id through one open queue file, at most n
 * (n < 0: until full, for a non-blocking file) and none longer than max
 * (after a full fifo refuses one, 1: the smallest, before calling it
 * full), adding each to s. 0 or -errno.
 */
static int feed_messages(unsigned int id, struct kt_sent *s, long long n,
			 bool nonblock)
{
	char msg[KT_MAX_MSG + 1], path[64];
	size_t max = KT_MAX_MSG, len;
	int fd, ret = 0;
	ssize_t w;

	snprintf(path, sizeof(path), "writers/%u/queue", id);
	fd = kt_open(path, O_WRONLY | (nonblock ? O_NONBLOCK : 0));
	if (fd < 0)
		return -errno;
	while (n < 0 || n-- > 0) {
		len = kt_message(s->n, msg, max);
		w = write(fd, msg, len);
		if (w < 0 && errno == EAGAIN && max > 1) {
			max = 1;
			continue;
		}
		if (w < 0) {
			ret = errno == EAGAIN ? 0 : -errno;
			break;
		}
		if ((size_t)w != len) {
			ret = -EIO;
			break;
		}
		s->crc = kt_crc32(s->crc, msg, len);
		s->bytes += len;
		s->n++;
	}
	close(fd);
	return ret;
}

int kt_fill(unsigned int id, struct kt_sent *s)
{
	return feed_messages(id, s, -1, true);
}

int kt_feed_n(unsigned int id, struct kt_sent *s, long long n)
{
	return feed_messages(id, s, n, false);
}

static void on_signal(int sig)
{
}

pid_t kt_park_fill_block(unsigned int id, struct kt_sent *s)
{
	pid_t pid;

	if (kt_writef("park", "%u", id) || kt_fill(id, s) || s->n <= 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		/* A handler without SA_RESTART, so a signal ends write(). */
		struct sigaction sa = { .sa_handler = on_signal };

		sigaction(SIGUSR1, &sa, NULL);
		_exit(-kt_feed(id, "blocked", 7, false));
	}
	if (pid < 0 || kt_wait_child(pid, 300) != -1)
		return -1;
	return pid;
}

void kt_crc_feeder(unsigned int id, double deadline, const int *stop,
		   int out)
{
	unsigned long long sent[2] = { 0, 0 };
	char msg[KT_MAX_MSG + 1];
	size_t len;

	while (kt_now_ms() < deadline &&
	       !(stop && __atomic_load_n(stop, __ATOMIC_RELAXED))) {
		len = kt_message(sent[0], msg, KT_MAX_MSG);
		if (kt_feed(id, msg, len, false))
			_exit(1);
		sent[1] = kt_crc32(sent[1], msg, len);
		sent[0]++;
	}
	_exit(write(out, sent, sizeof(sent)) == sizeof(sent) ? 0 : 1);
}

long kt_env_long(const char *name, long def)
{
	const char *v = getenv(name);

	return v ? strtol(v, NULL, 0) : def;
}

int kt_wait_child(pid_t pid, int ms)
{
	double end = kt_now_ms() + ms;
	int status;

	while (kt_now_ms() < end) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
		kt_sleep_ms(10);
	}
	return -1;
}

double kt_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

void kt_sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

bool kt_kmemleak_available(void)
{
	mount_debugfs();
	return access(KMEMLEAK, W_OK) == 0;
}

static struct ktleak_opts leak_opts(bool kmemleak)
{
	struct ktleak_opts o = {
		.module = "ktlife",
		.prefix = KT_THREAD_PREFIX,
		.slack = 0,
		.timeout_ms = 5000,
		.no_kmemleak = !kmemleak,
		.out = stdout,
	};

	return o;
}

struct ktleak_snap *kt_leak_begin(void)
{
	struct ktleak_opts o = leak_opts(true);

	mount_debugfs();
	return ktleak_snapshot(&o);
}

int kt_leak_end(struct ktleak_snap *before, bool kmemleak)
{
	struct ktleak_opts o = leak_opts(kmemleak);

	if (!before)
		return -1;
	return ktleak_check(&o, before);
}

/* When the running test's kt_start() began: kt_finish() prints its time. */
static double kt_t0;

int kt_start(struct ktleak_snap **leak, const char *params)
{
	int ret;

	kt_t0 = kt_now_ms();
	*leak = NULL;
	if (kt_loaded()) {
		ret = kt_unload();
		if (ret)
			return ret;
	}
	*leak = kt_leak_begin();
	if (!*leak)
		return -ENOMEM;
	return params ? kt_load(params) : 0;
}

int kt_finish(struct ktleak_snap *leak, bool kmemleak)
{
	int i, ret = 0;

	for (i = 0; i < 100 && kt_loaded(); i++) {
		kt_write("stop", "all now");
		ret = kt_unload();
		if (!ret)
			break;
		kt_sleep_ms(50);
	}
	if (kt_loaded())
		return ret ? ret : -EBUSY;
	ret = kt_leak_end(leak, kmemleak) ? -1 : 0;
	/* make check puts it on the case's TAP line. */
	printf("# kt: %.0f ms\n", kt_now_ms() - kt_t0);
	fflush(stdout);
	return ret;
}

/* tracefs: where init mounts it, else under debugfs; NULL if neither. */
const char *kt_tracefs(void)
{
	static const char * const dirs[] = {
		"/sys/kernel/tracing", "/sys/kernel/debug/tracing", NULL,
	};
	char path[PATH_MAX];
	int i;

	for (i = 0; dirs[i]; i++) {
		snprintf(path, sizeof(path), "%s/events/ktlife", dirs[i]);
		if (!access(path, F_OK))
			return dirs[i];
	}
	return NULL;
}

static int trace_write(const char *file, const char *text)
{
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", kt_tracefs(), file);
	return kt_write(path, text);
}

int kt_trace_begin(void)
{
	char path[PATH_MAX];
	int fd, ret;

	if (!kt_tracefs())
		return -ENOENT;
	/* One clock for every CPU: the events are compared across CPUs. */
	ret = trace_write("trace_clock", "global");
	/*
	 * No comm recording: with it, enabling (and disabling) an event also
	 * hooks sched_switch and sched_wakeup, and patching those hot call
	 * sites while the other vCPU runs them hung a TCG guest in
	 * text_poke_bp() for 45 s once (the other vCPU never answered the
	 * IPI). The tests read the events' own fields, never the comm.
	 */
	if (!ret)
		ret = trace_write("options/record-cmd", "0");
	if (!ret)
		ret = trace_write("events/ktlife/enable", "1");
	if (!ret)
		ret = trace_write("tracing_on", "1");
	if (ret)
		return ret;
	/* Opening "trace" for writing with O_TRUNC empties the buffer. */
	snprintf(path, sizeof(path), "%s/trace", kt_tracefs());
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

ssize_t kt_trace_end(char *buf, size_t size)
{
	char path[PATH_MAX];
	int ret;

	if (!kt_tracefs())
		return -ENOENT;
	ret = trace_write("events/ktlife/enable", "0");
	if (ret)
		return ret;
	snprintf(path, sizeof(path), "%s/trace", kt_tracefs());
	return kt_read(path, buf, size);
}

int kt_kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	/* Only what comes after this point. */
	if (lseek(fd, 0, SEEK_END) < 0) {
		close(fd);
		return -errno;
	}
	return fd;
}

size_t kt_kmsg_read(int fd, char *buf, size_t size)
{
	size_t len = 0;
	ssize_t n;

	while (len + 1 < size) {
		n = read(fd, buf + len, size - 1 - len);
		if (n < 0 && errno == EPIPE)	/* overwritten: go on */
			continue;
		if (n <= 0)
			break;
		len += n;
	}
	buf[len] = '\0';
	return len;
}

int kt_stall_init(struct kt_stall *s)
{
	struct uffdio_api api = { .api = UFFD_API };
	struct uffdio_register reg = { .mode = UFFDIO_REGISTER_MODE_MISSING };
	int ret;

	s->size = sysconf(_SC_PAGESIZE);
	s->page = MAP_FAILED;
	/* Not UFFD_USER_MODE_ONLY: kernel-mode faults must stall too. */
	s->uffd = syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	if (s->uffd < 0)
		return -errno;
	if (ioctl(s->uffd, UFFDIO_API, &api))
		goto err;
	s->page = mmap(NULL, s->size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (s->page == MAP_FAILED)
		goto err;
	reg.range.start = (unsigned long)s->page;
	reg.range.len = s->size;
	if (ioctl(s->uffd, UFFDIO_REGISTER, &reg))
		goto err;
	return 0;
err:
	ret = -errno;
	kt_stall_fini(s);
	return ret;
}

int kt_stall_wait(struct kt_stall *s, int timeout_ms)
{
	struct pollfd p = { .fd = s->uffd, .events = POLLIN };
	struct uffd_msg msg;

	if (poll(&p, 1, timeout_ms) != 1)
		return -ETIMEDOUT;
	if (read(s->uffd, &msg, sizeof(msg)) != sizeof(msg))
		return -errno;
	return msg.event == UFFD_EVENT_PAGEFAULT ? 0 : -EIO;
}

int kt_stall_release(struct kt_stall *s, const void *content)
{
	struct uffdio_copy copy = {
		.dst = (unsigned long)s->page,
		.src = (unsigned long)content,
		.len = s->size,
	};

	return ioctl(s->uffd, UFFDIO_COPY, &copy) ? -errno : 0;
}

void kt_stall_fini(struct kt_stall *s)
{
	if (s->page != MAP_FAILED)
		munmap(s->page, s->size);
	s->page = MAP_FAILED;
	if (s->uffd >= 0)
		close(s->uffd);
	s->uffd = -1;
}

const void *kt_bad_pointer(void)
{
	static void *page;

	if (!page)
		page = mmap(NULL, sysconf(_SC_PAGESIZE), PROT_NONE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return page;
}

#define CGROUP_ROOT "/sys/fs/cgroup"

/* The cgroup this process was moved to by kt_cgroup_enter(), or "". */
static char kt_cgroup[PATH_MAX];

int kt_cgroup_enter(const char *name)
{
	char path[PATH_MAX + 32], pid[32];
	int ret;

	if (access(CGROUP_ROOT "/cgroup.controllers", F_OK) &&
	    mount("cgroup2", CGROUP_ROOT, "cgroup2", 0, NULL))
		return -errno;
	/* The root's children get the memory controller (if it has one). */
	if (kt_write(CGROUP_ROOT "/cgroup.subtree_control", "+memory"))
		return -EOPNOTSUPP;
	snprintf(kt_cgroup, sizeof(kt_cgroup), CGROUP_ROOT "/%s", name);
	if (mkdir(kt_cgroup, 0755) && errno != EEXIST) {
		ret = -errno;
		kt_cgroup[0] = '\0';
		return ret;
	}
	snprintf(path, sizeof(path), "%s/cgroup.procs", kt_cgroup);
	snprintf(pid, sizeof(pid), "%d", getpid());
	ret = kt_write(path, pid);
	if (ret) {
		rmdir(kt_cgroup);
		kt_cgroup[0] = '\0';
	}
	return ret;
}

long long kt_cgroup_mem(void)
{
	char path[PATH_MAX + 32], buf[64];

	snprintf(path, sizeof(path), "%s/memory.current", kt_cgroup);
	if (!kt_cgroup[0] || kt_read(path, buf, sizeof(buf)) < 0)
		return -1;
	return strtoll(buf, NULL, 10);
}

void kt_cgroup_leave(void)
{
	char pid[32];

	if (!kt_cgroup[0])
		return;
	snprintf(pid, sizeof(pid), "%d", getpid());
	kt_write(CGROUP_ROOT "/cgroup.procs", pid);
	rmdir(kt_cgroup);
	kt_cgroup[0] = '\0';
}

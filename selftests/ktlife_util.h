/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What every ktlife selftest needs: load and unload the
 * module, talk to its debugfs files, count its threads, compute the CRC the
 * module computes, read kmemleak. One copy here, not one per test.
 */
#ifndef KTLIFE_UTIL_H
#define KTLIFE_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define KT_DEBUGFS	"/sys/kernel/debug/ktlife"
#define KT_THREAD_PREFIX "ktlife/"

/*
 * <name>.ko: $KTLIFE_KO (ktlife) or $KTLIFE_FIRST_KO (ktlife_first), else
 * beside the test binary, else one level up.
 */
int kt_module_fd_of(const char *name);
int kt_module_fd(void);
/* Any module by name: 0 or -errno; unloads use O_NONBLOCK, as rmmod does. */
int kt_load_module(const char *name, const char *params);
int kt_unload_module(const char *name);
bool kt_module_loaded(const char *name);
/* ktlife itself. */
int kt_load(const char *params);
int kt_unload(void);
bool kt_loaded(void);
/* Unload, timing it; returns 0 or -errno, stores the time in *ms. */
int kt_unload_timed(double *ms);

/* Files under KT_DEBUGFS, or anywhere by absolute path: 0 or -errno. */
int kt_open(const char *file, int flags);
int kt_write(const char *file, const char *text);
int kt_writef(const char *file, const char *fmt, ...);
/* len bytes of buf, NULs and all, in one write(): 0 or -errno. */
int kt_write_n(const char *file, const void *buf, size_t len);
/* Reads the whole file into buf (NUL-terminated); bytes or -errno. */
ssize_t kt_read(const char *file, char *buf, size_t size);
/* "key: value" files (stats, /proc/meminfo): the value, or -1 if absent. */
long long kt_stat(const char *file, const char *key);
/*
 * "kind key=value ..." files (status, reaped): the value of key on the
 * last line that starts with "kind" and contains match (NULL: any line).
 * -1 if absent. A crc32 value is read as hex.
 */
long long kt_field(const char *file, const char *kind, const char *match,
		   const char *key);
/* The same in text already read: fields of one reading agree. */
long long kt_field_in(const char *text, const char *kind, const char *match,
		      const char *key);

/* One message to writers/<id>/queue; 0 or -errno. */
int kt_feed(unsigned int id, const void *msg, size_t len, bool nonblock);
/* Wait until writer id has processed n messages; 0 or -ETIMEDOUT. */
int kt_wait_processed(unsigned int id, long long n, int timeout_ms);

/* Threads whose comm starts with prefix. */
int kt_count_threads(const char *prefix);
/*
 * The same, once it is 0 or after 2 s: what to check after a stop or an
 * unload. kthread_stop() returns when the thread has passed
 * exit_mm_release(); its task stays in /proc, comm and all, until
 * exit_notify() a moment later. A leaked thread stays for good.
 */
int kt_count_threads_after_stop(const char *prefix);
/* The same, once it is at most @most or after @ms ms. */
int kt_count_threads_settled(const char *prefix, int most, int ms);
pid_t kt_find_thread(const char *comm);
/*
 * Calls fn(pid, arg) for each task whose comm starts with comm (equals it,
 * if exact); returns how many calls returned 0, or -errno.
 */
int kt_each_thread(const char *comm, bool exact, int (*fn)(pid_t, void *),
		   void *arg);

/* zlib-compatible running CRC-32: start with 0. */
uint32_t kt_crc32(uint32_t crc, const void *buf, size_t len);
/* Deterministic message i of a test: "msg-<i>-" padded to its length. */
size_t kt_message(unsigned int i, char *buf, size_t max);

/*
 * What a test sent to one writer: kt_fill() and kt_feed_n() add to it, so
 * that it can be compared with the writer's stats (counts and CRC-32).
 * Messages are kt_message() of up to KT_MAX_MSG bytes (max_msg's default).
 */
#define KT_MAX_MSG 256
struct kt_sent {
	long long n;
	long long bytes;
	uint32_t crc;
};
/* Feed until the fifo is full (not even 1 byte fits); 0 or -errno. */
int kt_fill(unsigned int id, struct kt_sent *s);
/* Feed n messages, blocking while the fifo is full; 0 or -errno. */
int kt_feed_n(unsigned int id, struct kt_sent *s, long long n);

/*
 * Park writer id and fill its fifo (s counts what went in), then start a
 * child that does one blocking feed of "blocked" (7 bytes) to it and exits
 * with its -errno; SIGUSR1 interrupts it (no SA_RESTART). The child's pid
 * once it has stayed blocked for 300 ms, or -1.
 */
pid_t kt_park_fill_block(unsigned int id, struct kt_sent *s);
/*
 * The body of a feeder child: kt_message()s of up to KT_MAX_MSG bytes to
 * writer id until deadline (kt_now_ms()) or until *stop (in memory shared
 * with the parent; NULL: none) is set, then the count and CRC-32 of what
 * it sent, two unsigned long longs, written to fd out; exits 0, or 1 if a
 * feed failed.
 */
void kt_crc_feeder(unsigned int id, double deadline, const int *stop,
		   int out);
/* An environment variable as a number, or def. */
long kt_env_long(const char *name, long def);

/* Exit code of child pid, or -1 if it did not exit within ms. */
int kt_wait_child(pid_t pid, int ms);

double kt_now_ms(void);
void kt_sleep_ms(int ms);

/* kmemleak: does this kernel have it (debugfs mounted if it was not). */
bool kt_kmemleak_available(void);

/*
 * Every test runs between these two: a ktleak snapshot before the module is
 * loaded, and after its unload a check that no "ktlife/" thread, module
 * reference or task_struct is left (and no kmemleak report, if asked and
 * the kernel has kmemleak: that costs a 5 s wait). 0 when clean.
 */
struct ktleak_snap;
struct ktleak_snap *kt_leak_begin(void);
int kt_leak_end(struct ktleak_snap *before, bool kmemleak);

/*
 * The start and end of every test. kt_start(): unload a leftover ktlife,
 * take the ktleak snapshot, load with params (NULL: leave it unloaded);
 * 0 or -errno. kt_finish(): stop every writer and unload (retrying while a
 * child still holds a file open), then ktleak's check; 0 when clean. It
 * also prints "# kt: N ms", the test's time, which make check reports.
 */
int kt_start(struct ktleak_snap **leak, const char *params);
int kt_finish(struct ktleak_snap *leak, bool kmemleak);

/*
 * The fixture of the ktlife tests (kselftest_harness.h), in two parts.
 * KT_SETUP(): skip unless root, then kt_start(). KT_FIXTURE(name, params,
 * kmemleak): a whole fixture whose setup is KT_SETUP(&self->leak, params)
 * and whose teardown is kt_finish(self->leak, kmemleak). A fixture that
 * needs more state declares its own, with the same two calls.
 */
#define KT_SETUP(leak, params)                                 \
	do {                                                   \
		if (getuid())                                  \
			SKIP(return, "needs root");            \
		ASSERT_EQ(0, kt_start(leak, params));          \
	} while (0)

#define KT_FIXTURE(name, params, kmemleak)                     \
	FIXTURE(name) {                                        \
		struct ktleak_snap *leak;                      \
	};                                                     \
	FIXTURE_SETUP(name)                                    \
	{                                                      \
		KT_SETUP(&self->leak, params);                 \
	}                                                      \
	FIXTURE_TEARDOWN(name)                                 \
	{                                                      \
		EXPECT_EQ(0, kt_finish(self->leak, kmemleak)); \
	}

/*
 * ktlife's trace events. kt_tracefs(): the tracefs directory that has them,
 * or NULL. kt_trace_begin(): global clock, no comm recording
 * (options/record-cmd 0), events/ktlife enabled, buffer emptied; 0 or
 * -errno. kt_trace_end(): events disabled, the "trace" file read into buf
 * (NUL-terminated); bytes or -errno.
 */
const char *kt_tracefs(void);
int kt_trace_begin(void);
ssize_t kt_trace_end(char *buf, size_t size);

/*
 * A page that stalls whoever touches it first, userspace or the kernel in
 * copy_from_user()/copy_to_user(), until the test lets it go: userfaultfd
 * in MISSING mode, the standard way to hold a kernel path inside a user
 * memory access for as long as a test likes. Only threads of the process
 * that set it up stall (a forked child gets a plain page).
 * kt_stall_init(): 0, or -errno (-ENOSYS: no userfaultfd in this kernel).
 * kt_stall_wait(): 0 once a task is stalled on the page, -ETIMEDOUT.
 * kt_stall_release(): fill the page with content (kt_stall.size bytes) and
 * let the stalled task go on; 0 or -errno.
 */
struct kt_stall {
	int uffd;
	char *page;
	size_t size;
};
int kt_stall_init(struct kt_stall *s);
int kt_stall_wait(struct kt_stall *s, int timeout_ms);
int kt_stall_release(struct kt_stall *s, const void *content);
void kt_stall_fini(struct kt_stall *s);

/* A user pointer no copy_from_user() can read: an unreadable page. */
const void *kt_bad_pointer(void);

/*
 * The kernel log from now on: kt_kmsg_open() gives a /dev/kmsg fd placed
 * at its end (or -errno); kt_kmsg_read() reads every record written since
 * into buf, NUL-terminated, and returns the length.
 */
int kt_kmsg_open(void);
size_t kt_kmsg_read(int fd, char *buf, size_t size);

/*
 * Memory that the kernel charges to this process, the module's allocations
 * for it included where they are accounted (seq_file buffers, open files):
 * a memory cgroup of its own, not a system-wide counter. kt_cgroup_enter()
 * moves the calling process into a new child of the cgroup2 root (mounted
 * if it is not): 0, -EOPNOTSUPP (no memory controller) or -errno.
 * kt_cgroup_mem(): its memory.current in bytes, or -1. memcg charges in
 * batches of up to 64 pages per CPU, so a difference is exact to about
 * that. kt_cgroup_leave(): back to the root, the cgroup removed.
 */
int kt_cgroup_enter(const char *name);
long long kt_cgroup_mem(void);
void kt_cgroup_leave(void);

#endif /* KTLIFE_UTIL_H */

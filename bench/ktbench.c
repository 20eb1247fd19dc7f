// SPDX-License-Identifier: GPL-2.0
/*
 * ktbench: the in-VM driver of "make bench". Measures ktlife beside its
 * floor (a bare kthread, write() to /dev/null) and its peers (the same
 * writer job on a kthread_worker and on a workqueue, in bench/peer's
 * ktpeer.ko), and prints one line per figure:
 *
 *   KTB <metric> <unit> <n> <median> <min> <max> <v1,v2,...>
 *
 * scripts/bench.sh collects these lines from the console log and turns
 * them into the table, bench/results.json and the plots. Lines starting
 * with "#" are progress.
 *
 * Environment: KTLIFE_KO, KTPEER_KO (the modules), KTBENCH_REPS (default
 * 5), KTBENCH_FAMILIES (default "123456": which families to run),
 * KTBENCH_TPUT_MS (default 400: how long producers write per run).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ktlife_util.h"

#define MAXREP		64
/* Family 1's wait mode runs this many times the repetitions. */
#define WAIT_REPS	6
#define PEER		"/sys/kernel/debug/ktpeer"
#define STOP_DELAY_MS	20

static int reps = 5;
static int tput_ms = 400;
static int failures;

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* One figure: its repetitions, sorted, as median, min and max. */
static void result(const char *metric, const char *unit, const double *v,
		   int n)
{
	double s[MAXREP * 8];
	double med;
	int i;

	if (n <= 0)
		return;
	memcpy(s, v, n * sizeof(*v));
	qsort(s, n, sizeof(*s), cmp_double);
	med = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
	printf("KTB %s %s %d %.6g %.6g %.6g ", metric, unit, n, med, s[0],
	       s[n - 1]);
	for (i = 0; i < n; i++)
		printf("%s%.6g", i ? "," : "", v[i]);
	printf("\n");
	fflush(stdout);
}

static void fail(const char *what, int err)
{
	printf("# FAIL: %s: %s\n", what, strerror(err < 0 ? -err : err));
	fflush(stdout);
	failures++;
}

/*
 * Placement. Under QEMU/TCG a wake-up that crosses vCPUs costs up to a
 * scheduler tick (measured: a producer woken for room by a writer on the
 * other vCPU moves 2-4 k msg/s, on the same vCPU 100 k+), which would
 * measure TCG, not the code. So every pair that hands work over (producer
 * and writer, stopper and stopped) shares a vCPU: the driver runs on CPU 0,
 * producer i and its consumer thread on CPU i % 2, and kthreadd on CPU 0 so
 * that kthread_create() does not cross either.
 */
#define ANY_CPU (-1)

/* Pin pid to cpu, or let it run on every CPU (ANY_CPU). */
static int pin(pid_t pid, int cpu)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	cpu_set_t set;

	CPU_ZERO(&set);
	if (cpu == ANY_CPU)
		while (n-- > 0)
			CPU_SET(n, &set);
	else
		CPU_SET(cpu, &set);
	return sched_setaffinity(pid, sizeof(set), &set) ? -errno : 0;
}

static int pin_one(pid_t pid, void *cpu)
{
	return pin(pid, *(int *)cpu);
}

/* Pin every task whose comm starts with prefix (or equals it, exact). */
static int pin_threads(const char *prefix, bool exact, int cpu)
{
	return kt_each_thread(prefix, exact, pin_one, &cpu);
}

static void pin_or_fail(const char *prefix, bool exact, int cpu, int want)
{
	int n = pin_threads(prefix, exact, cpu);

	if (n != want) {
		printf("# FAIL: pinned %d of %d %s threads\n", n, want, prefix);
		failures++;
	}
}

static void progress(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
static void progress(const char *fmt, ...)
{
	va_list ap;

	printf("# [%7.1f s] ", kt_now_ms() / 1000);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

/* The write alone is timed, not the open and close. */
static int write_path_timed(const char *path, const char *text, double *ms)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	double t0;
	int ret = 0;

	if (fd < 0)
		return -errno;
	t0 = kt_now_ms();
	if (write(fd, text, strlen(text)) < 0)
		ret = -errno;
	*ms = kt_now_ms() - t0;
	close(fd);
	return ret;
}

/* printf() into a buffer of the driver's, valid until the next call. */
static const char *fmt(const char *format, ...)
	__attribute__((format(printf, 1, 2)));
static const char *fmt(const char *format, ...)
{
	static char buf[256];
	va_list ap;

	va_start(ap, format);
	vsnprintf(buf, sizeof(buf), format, ap);
	va_end(ap);
	return buf;
}

/* A command to ktpeer's ctl file; a failure is counted. */
static int peer_ctl(const char *cmd)
{
	int ret = kt_write(PEER "/ctl", cmd);

	if (ret)
		fail(cmd, ret);
	return ret;
}

static long long peer_stat(const char *key)
{
	return kt_stat(PEER "/stats", key);
}

static int peer_load(void)
{
	const char *ko = getenv("KTPEER_KO");
	int fd, ret;

	fd = open(ko ? ko : "/payload/ktpeer.ko", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = syscall(SYS_finit_module, fd, "", 0) ? -errno : 0;
	close(fd);
	return ret;
}

static int peer_unload(void)
{
	return syscall(SYS_delete_module, "ktpeer", O_NONBLOCK) ? -errno : 0;
}

/* Load ktlife with params; a failure is counted. */
static int kt_load_or_fail(const char *params)
{
	int ret = kt_load(params);

	if (ret)
		fail(params, ret);
	return ret;
}

static void kt_unload_or_fail(void)
{
	int ret = kt_unload();

	if (ret)
		fail("rmmod ktlife", ret);
}

/* /dev/kmsg, positioned at its end: what the kernel says from now on. */
static int kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0)
		lseek(fd, 0, SEEK_END);
	return fd;
}

/*
 * The number after the last needle the kernel printed since kmsg_open(),
 * and in *val2 the number after needle2 in that same record (-1 if none).
 */
static double kmsg_number(int fd, const char *needle, const char *needle2,
			  double *val2)
{
	char rec[8192], *p;
	double val = -1;
	ssize_t n;

	*val2 = -1;

	for (;;) {
		n = read(fd, rec, sizeof(rec) - 1);
		if (n < 0 && errno == EPIPE)
			continue;
		if (n <= 0)
			break;
		rec[n] = '\0';
		p = strstr(rec, needle);
		if (!p)
			continue;
		val = strtod(p + strlen(needle), NULL);
		p = strstr(p, needle2);
		*val2 = p ? strtod(p + strlen(needle2), NULL) : -1;
	}
	close(fd);
	return val;
}

/*
 * Load ktlife with the compactor in mode, with period_ms period, and
 * unload it STOP_DELAY_MS later: the compactor's kthread_stop() time in ms,
 * as the module itself times it; rmmod's time in *rm, and in *grace the
 * grace period module exit waited before that stop (the thread sleeps on
 * meanwhile: a sleep-mode stop is shorter by as much).
 */
static double compactor_stop_ms(const char *mode, unsigned int period,
				double *rm, double *grace)
{
	double stop_us, grace_us;
	int fd;

	*rm = 0;
	if (kt_load_or_fail(fmt("compactor=%s period_ms=%u", mode, period)))
		return -1;
	pin_or_fail("ktlife/compact", true, 0, 1);
	kt_sleep_ms(STOP_DELAY_MS);
	fd = kmsg_open();
	if (kt_unload_timed(rm))
		fail("rmmod", errno);
	stop_us = kmsg_number(fd, "compactor stopped in ", "grace period of ",
			      &grace_us);
	*grace = grace_us / 1000;
	return stop_us / 1000;
}

/*
 * kthread_stop() of one bare ktpeer thread, started as start_cmd says,
 * stopped as stop_cmd says, STOP_DELAY_MS after it reached its wait: the
 * stop's time in ms, as ktpeer times it, or -1.
 */
static double bare_stop_ms(const char *start_cmd, const char *stop_cmd)
{
	if (peer_ctl(start_cmd))
		return -1;
	pin_or_fail("ktpeer/b0", true, 0, 1);
	kt_sleep_ms(STOP_DELAY_MS);
	if (peer_ctl(stop_cmd))
		return -1;
	return peer_stat("bare_stop_ns") / 1e6;
}

/*
 * Family 1: kthread_stop() of the compactor, as the module itself times it
 * ("compactor stopped in N us": kthread_stop_put() alone, not the readers'
 * grace period before it, which rmmod's time shows), at three periods in
 * both modes; the floor is kthread_stop() of a bare kthread blocked in
 * wait_event_idle(). Beside each floor, the two things the compactor's
 * stop has and the floor has not, each alone: the compactor's wait
 * (freezable, timed), and a grace period just before the stop.
 */
static void bench_stop_latency(void)
{
	static const unsigned int periods[] = { 100, 1000, 10000 };
	double v[MAXREP * WAIT_REPS], rm[MAXREP * WAIT_REPS];
	double fl[MAXREP * WAIT_REPS], gr[MAXREP * WAIT_REPS];
	double ft[MAXREP * WAIT_REPS], fg[MAXREP * WAIT_REPS];
	char name[64];
	unsigned int p;
	int r, n;

	for (p = 0; p < 3; p++) {
		/*
		 * wait mode is cheap to measure: WAIT_REPS times the
		 * repetitions (a sub-millisecond time under TCG scatters
		 * by 2x: the medians need the samples), each beside one of
		 * each floor, so that all see the same conditions.
		 */
		progress("stop latency: wait mode and floors, period %u ms",
			 periods[p]);
		n = WAIT_REPS * reps;
		for (r = 0; r < n; r++) {
			v[r] = compactor_stop_ms("wait", periods[p], &rm[r],
						 &gr[r]);
			fl[r] = bare_stop_ms("bare_start 1", "bare_stop seq");
			if (fl[r] < 0)
				return;
			ft[r] = bare_stop_ms("bare_start 1 timed",
					     "bare_stop seq");
			if (ft[r] < 0)
				return;
			fg[r] = bare_stop_ms("bare_start 1", "bare_stop gp");
			if (fg[r] < 0)
				return;
		}
		snprintf(name, sizeof(name), "stop.wait.%u", periods[p]);
		result(name, "ms", v, n);
		snprintf(name, sizeof(name), "stop_rmmod.wait.%u", periods[p]);
		result(name, "ms", rm, n);
		snprintf(name, sizeof(name), "stop.floor.%u", periods[p]);
		result(name, "ms", fl, n);
		snprintf(name, sizeof(name), "stop.floor_timed.%u", periods[p]);
		result(name, "ms", ft, n);
		snprintf(name, sizeof(name), "stop.floor_gp.%u", periods[p]);
		result(name, "ms", fg, n);
		snprintf(name, sizeof(name), "stop_grace.wait.%u", periods[p]);
		result(name, "ms", gr, n);

		progress("stop latency: sleep mode, period %u ms", periods[p]);
		for (r = 0; r < reps; r++)
			v[r] = compactor_stop_ms("sleep", periods[p], &rm[r],
						 &gr[r]);
		snprintf(name, sizeof(name), "stop.sleep.%u", periods[p]);
		result(name, "ms", v, reps);
		snprintf(name, sizeof(name), "stop_rmmod.sleep.%u", periods[p]);
		result(name, "ms", rm, reps);
		snprintf(name, sizeof(name), "stop_grace.sleep.%u", periods[p]);
		result(name, "ms", gr, reps);
	}
}

/* Park writer id and fill its fifo with 64-byte messages until EAGAIN. */
static int park_and_fill(unsigned int id)
{
	char path[128], msg[64];
	int fd, n = 0;

	if (kt_writef("park", "%u", id))
		return -1;
	snprintf(path, sizeof(path), KT_DEBUGFS "/writers/%u/queue", id);
	fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -1;
	memset(msg, 'u', sizeof(msg));
	while (write(fd, msg, sizeof(msg)) == sizeof(msg))
		n++;
	close(fd);
	return n;
}

/*
 * The per-writer cost of one "stop all": the median of the stop_us that
 * the "reaped" file gives for each of its N writers (it keeps 256).
 * A median over the writers of one stop does not move when the emulator
 * stalls the guest for a few ms, which a total over N writers does
 * (measured: 256 graceful stops took 30 ms in one rep and 58 ms in the
 * next), so the linearity verdict compares these medians, not totals.
 * (Tracing each writer's exit would do too, but enabling a module's
 * trace event patches kernel text with IPIs to every vCPU, and one such
 * IPI, under TCG, once went unanswered for 45 s.)
 */
static double stop_us_median(unsigned int n)
{
	static char buf[256 * 256];
	static double us[256];
	unsigned int found = 0;
	char *line, *p, *f;

	if (kt_read(KT_DEBUGFS "/reaped", buf, sizeof(buf)) < 0)
		return -1;
	for (line = strtok_r(buf, "\n", &p); line;
	     line = strtok_r(NULL, "\n", &p)) {
		f = strstr(line, " stop_us=");
		if (f && found < 256)
			us[found++] = strtod(f + 9, NULL);
	}
	if (found != n)
		return -1;
	qsort(us, found, sizeof(*us), cmp_double);
	return found % 2 ? us[found / 2] :
		(us[found / 2 - 1] + us[found / 2]) / 2;
}

/*
 * One create and stop of a writer, with n - 1 others alive: the median
 * over 21 of them, in us. The registry finds a writer by id (an XArray),
 * so this must not grow with n; 4,096 writers with a 64-byte fifo (so
 * messages of at most 62 bytes, max_msg's bound) and a one-record log take
 * about 120 MB, mostly their threads' stacks.
 */
static double create_stop_us(unsigned int n)
{
	enum { CYCLES = 21 };
	double us[CYCLES], t;
	unsigned int i;

	if (kt_load_or_fail("max_writers=4200 fifo_size=64 max_msg=62 log_records=1"))
		return -1;
	for (i = 1; i < n; i++)
		if (kt_writef("create", "%u", 1000 + i)) {
			fail("create", errno);
			return -1;
		}
	for (i = 0; i < CYCLES; i++) {
		t = kt_now_ms();
		if (kt_write("create", "1") || kt_write("stop", "1")) {
			fail("create and stop one writer", errno);
			return -1;
		}
		us[i] = (kt_now_ms() - t) * 1000;
	}
	if (kt_write("stop", "all now"))
		fail("stop all", errno);
	kt_unload_or_fail();
	qsort(us, CYCLES, sizeof(*us), cmp_double);
	return us[CYCLES / 2];
}

/*
 * Family 2: rmmod with N writers, each parked with a full fifo of 4 KiB (so
 * that every stop has the same, small work to do: drain or discard 62
 * messages; fifo_size is 4096 here, not its 64 KiB default, because this
 * family measures the cost of a lifecycle, not of draining: family 3 does).
 * graceful: rmmod alone (its exit stops every writer gracefully); now:
 * "all now" to stop, then rmmod, timed together. The floor: create and
 * stop N bare kthreads, one by one; and the same stopped the "ask all,
 * then reap" way.
 */
static void bench_unload(void)
{
	static const unsigned int ns[] = { 1, 16, 64, 256 };
	static const char *const modes[] = { "graceful", "now", "rmmod" };
	double v[MAXREP], part[MAXREP], pw[MAXREP], cr[MAXREP], st[MAXREP];
	unsigned int i, k, mode;
	int r, filled = 0, ret;
	char name[64];

	for (k = 0; k < 4; k++) {
		for (mode = 0; mode < 3; mode++) {
			progress("unload: %u writers, %s", ns[k], modes[mode]);
			for (r = 0; r < reps; r++) {
				if (kt_load_or_fail("max_writers=256 fifo_size=4096"))
					return;
				for (i = 0; i < ns[k]; i++) {
					ret = kt_writef("create", "%u", i);
					if (ret) {
						fail("create", ret);
						return;
					}
					filled = park_and_fill(i);
				}
				pin_or_fail("ktlife/w", false, 0, ns[k]);
				part[r] = 0;
				pw[r] = -1;
				if (mode < 2 &&
				    write_path_timed(KT_DEBUGFS "/stop",
						     mode ? "all now" : "all",
						     &part[r]))
					fail("stop all", errno);
				if (mode < 2) {
					pw[r] = stop_us_median(ns[k]);
					if (pw[r] < 0)
						fail("read stop_us in reaped", EIO);
				}
				if (kt_unload_timed(&v[r]))
					fail("rmmod", errno);
				v[r] += part[r];
			}
			snprintf(name, sizeof(name), "unload.%s.%u",
				 modes[mode], ns[k]);
			result(name, "ms", v, reps);
			if (mode < 2) {
				snprintf(name, sizeof(name),
					 "unload.%s_stop_part.%u",
					 modes[mode], ns[k]);
				result(name, "ms", part, reps);
			}
			if (mode < 2) {
				snprintf(name, sizeof(name),
					 "unload.%s_per_writer.%u", modes[mode],
					 ns[k]);
				result(name, "us", pw, reps);
			}
		}
		printf("# a full fifo holds %d messages of 64 bytes\n", filled);

		progress("unload floor: %u bare kthreads", ns[k]);
		for (mode = 0; mode < 2; mode++) {
			for (r = 0; r < reps; r++) {
				if (peer_ctl(fmt("bare_start %u", ns[k])))
					return;
				pin_or_fail("ktpeer/b", false, 0, ns[k]);
				if (peer_ctl(fmt("bare_stop %s",
					     mode ? "batch" : "seq")))
					return;
				cr[r] = peer_stat("bare_create_ns") / 1e6;
				st[r] = peer_stat("bare_stop_ns") / 1e6;
				v[r] = cr[r] + st[r];
			}
			if (!mode) {
				snprintf(name, sizeof(name),
					 "floor.create_stop.%u", ns[k]);
				result(name, "ms", v, reps);
				snprintf(name, sizeof(name), "floor.create.%u",
					 ns[k]);
				result(name, "ms", cr, reps);
			}
			snprintf(name, sizeof(name), "floor.stop_%s.%u",
				 mode ? "batch" : "seq", ns[k]);
			result(name, "ms", st, reps);
		}
	}

	for (k = 0; k < 2; k++) {
		unsigned int n = k ? 4096 : 1;

		progress("create and stop one writer, %u alive", n);
		for (r = 0; r < reps; r++)
			v[r] = create_stop_us(n);
		snprintf(name, sizeof(name), "create_stop.%u", n);
		result(name, "us", v, reps);
	}
}

/*
 * P producer processes, one per queue, each writing size-byte messages
 * for tput_ms; then wait until the consumers processed everything (when
 * stats paths are given). Pinned, producer i runs on CPU i % 2 (with its
 * consumer); else wherever the scheduler puts it. Returns messages per
 * second; *count gets the number of messages.
 */
static double run_producers(char *const queues[], char *const stats[],
			    int np, size_t size, bool pinned, long long *count)
{
	long long base[8], sent = 0, c;
	int go[2], res[2], i, fd;
	double t0, t1;
	pid_t pid;
	char buf[65536];

	if (pipe(go) || pipe(res))
		return -1;
	for (i = 0; i < np; i++)
		base[i] = stats ? kt_stat(stats[i], "processed") : 0;
	for (i = 0; i < np; i++) {
		pid = fork();
		if (pid < 0)
			return -1;
		if (pid == 0) {
			double end;
			int k;

			close(go[1]);
			close(res[0]);
			if (pin(0, pinned ? i % 2 : ANY_CPU))
				_exit(1);
			fd = open(queues[i], O_WRONLY | O_CLOEXEC);
			if (fd < 0)
				_exit(1);
			memset(buf, 'p', size);
			c = 0;
			if (read(go[0], buf + size, 1) < 0)
				_exit(1);
			end = kt_now_ms() + tput_ms;
			do {
				for (k = 0; k < 64; k++)
					if (write(fd, buf, size) != (ssize_t)size)
						_exit(1);
				c += 64;
			} while (kt_now_ms() < end);
			if (write(res[1], &c, sizeof(c)) != sizeof(c))
				_exit(1);
			_exit(0);
		}
	}
	close(go[0]);
	close(res[1]);
	kt_sleep_ms(50);
	t0 = kt_now_ms();
	close(go[1]);
	for (i = 0; i < np; i++) {
		int status;

		if (wait(&status) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status)) {
			fail("producer", EIO);
			close(res[0]);
			return -1;
		}
	}
	for (i = 0; i < np; i++) {
		if (read(res[0], &c, sizeof(c)) != sizeof(c)) {
			fail("producer count", EIO);
			close(res[0]);
			return -1;
		}
		sent += c;
	}
	close(res[0]);
	/* Count the per-queue totals again from the consumers' side. */
	if (stats) {
		long long want = sent, got;

		for (;;) {
			got = 0;
			for (i = 0; i < np; i++)
				got += kt_stat(stats[i], "processed") - base[i];
			if (got >= want)
				break;
			if (kt_now_ms() - t0 > 60000) {
				fail("consumers did not catch up", ETIMEDOUT);
				return -1;
			}
			usleep(500);
		}
	}
	t1 = kt_now_ms();
	*count = sent;
	return sent / ((t1 - t0) / 1000);
}

static int ctxt_switches(pid_t pid, long long *vol, long long *nonvol)
{
	char path[64], buf[4096], *p;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	if (kt_read(path, buf, sizeof(buf)) < 0)
		return -1;
	p = strstr(buf, "\nvoluntary_ctxt_switches:");
	*vol = p ? strtoll(p + 25, NULL, 10) : -1;
	p = strstr(buf, "nonvoluntary_ctxt_switches:");
	*nonvol = p ? strtoll(p + 27, NULL, 10) : -1;
	return 0;
}

/*
 * The consumer thread of queue i: ktlife's writer (m 0), the kworker
 * peer's (1) or the same-policy kworker peer's (2, ids from 30).
 */
static pid_t consumer_pid(unsigned int m, unsigned int i)
{
	static const char *const fmts[] = { "ktlife/w%u", "ktpeer/k%u",
					    "ktpeer/b%u" };
	char comm[32];

	snprintf(comm, sizeof(comm), fmts[m], m == 2 ? 30 + i : i);
	return kt_find_thread(comm);
}

/*
 * Family 3 (and the throughput of family 6): 64-byte and max_msg
 * messages from 1, 2, 4 producers to as many writers: ktlife, the
 * kthread_worker peer (SCHED_NORMAL, and SCHED_BATCH as ktlife's writer:
 * the same policy), the workqueue peer, the sink (ktlife's queue and
 * hand-over, nothing done per message), write() to /dev/null and the
 * debugfs write() that drops the message. Twice: pinned (producer i and
 * consumer i on CPU i % 2: the CPU cost of a message, every hand-over on
 * one vCPU) and unpinned (the scheduler places everyone: throughput with
 * parallelism, as a user runs it).
 */
static void bench_throughput(void)
{
	static const char *const impls[] = { "ktlife", "kworker", "kworkerb",
					     "wq", "sink", "devnull",
					     "dbgnull" };
	/* The first 5 have a consumer; the first 3 a thread of their own. */
	enum { NIMPL = 7, NQUEUED = 5, NTHREAD = 3 };
	static const char *const modes[] = { "pinned", "unpinned" };
	static const size_t sizes[] = { 64, 256 };
	static const int nps[] = { 1, 2, 4 };
	double v[NIMPL][MAXREP], cnt[NIMPL][MAXREP], csw[NTHREAD][MAXREP];
	char *queues[NIMPL][4], *stats[NIMPL][4];
	unsigned int mode, s, p, m, i;
	long long count = 0;
	char name[64];
	int r;

	if (kt_load_or_fail("max_msg=256"))
		return;
	for (i = 0; i < 4; i++) {
		if (kt_writef("create", "%u", i) ||
		    peer_ctl(fmt("create kworker %u", i)) ||
		    peer_ctl(fmt("create kworkerb %u", 30 + i)) ||
		    peer_ctl(fmt("create wq %u", 10 + i)) ||
		    peer_ctl(fmt("create sink %u", 20 + i)))
			return;
		asprintf(&queues[0][i], KT_DEBUGFS "/writers/%u/queue", i);
		asprintf(&stats[0][i], KT_DEBUGFS "/writers/%u/stats", i);
		asprintf(&queues[1][i], PEER "/writers/%u/queue", i);
		asprintf(&stats[1][i], PEER "/writers/%u/stats", i);
		asprintf(&queues[2][i], PEER "/writers/%u/queue", 30 + i);
		asprintf(&stats[2][i], PEER "/writers/%u/stats", 30 + i);
		asprintf(&queues[3][i], PEER "/writers/%u/queue", 10 + i);
		asprintf(&stats[3][i], PEER "/writers/%u/stats", 10 + i);
		asprintf(&queues[4][i], PEER "/writers/%u/queue", 20 + i);
		asprintf(&stats[4][i], PEER "/writers/%u/stats", 20 + i);
		queues[5][i] = "/dev/null";
		queues[6][i] = PEER "/null";
	}
	for (mode = 0; mode < 2; mode++) {
		bool pinned = mode == 0;

		for (i = 0; i < 4; i++) {
			snprintf(name, sizeof(name), "ktlife/w%u", i);
			pin_or_fail(name, true, pinned ? (int)i % 2 : ANY_CPU, 1);
			snprintf(name, sizeof(name), "ktpeer/k%u", i);
			pin_or_fail(name, true, pinned ? (int)i % 2 : ANY_CPU, 1);
			snprintf(name, sizeof(name), "ktpeer/b%u", 30 + i);
			pin_or_fail(name, true, pinned ? (int)i % 2 : ANY_CPU, 1);
			snprintf(name, sizeof(name), "ktpeer/s%u", 20 + i);
			pin_or_fail(name, true, pinned ? (int)i % 2 : ANY_CPU, 1);
		}
		for (s = 0; s < 2; s++) {
			for (p = 0; p < 3; p++) {
				progress("throughput, %s: %zu-byte messages, %d producers",
					 modes[mode], sizes[s], nps[p]);
				for (r = 0; r < reps; r++) {
					for (m = 0; m < NIMPL; m++) {
						long long cs0 = 0, cs1 = 0, a, b;
						pid_t tid;

						for (i = 0; m < NTHREAD && i < (unsigned int)nps[p]; i++) {
							tid = consumer_pid(m, i);
							if (tid && !ctxt_switches(tid, &a, &b))
								cs0 += a + b;
						}
						v[m][r] = run_producers(queues[m],
							m >= NQUEUED ? NULL : stats[m],
							nps[p], sizes[s], pinned, &count);
						cnt[m][r] = count;
						for (i = 0; m < NTHREAD && i < (unsigned int)nps[p]; i++) {
							tid = consumer_pid(m, i);
							if (tid && !ctxt_switches(tid, &a, &b))
								cs1 += a + b;
						}
						if (m < NTHREAD)
							csw[m][r] = count ? (double)(cs1 - cs0) / count : 0;
					}
				}
				for (m = 0; m < NTHREAD; m++) {
					snprintf(name, sizeof(name), "tput_cs.%s.%s.%zu.%d",
						 modes[mode], impls[m], sizes[s], nps[p]);
					result(name, "switches/msg", csw[m], reps);
				}
				for (m = 0; m < NIMPL; m++) {
					snprintf(name, sizeof(name), "tput.%s.%s.%zu.%d",
						 modes[mode], impls[m], sizes[s], nps[p]);
					result(name, "msg/s", v[m], reps);
					snprintf(name, sizeof(name), "tput_count.%s.%s.%zu.%d",
						 modes[mode], impls[m], sizes[s], nps[p]);
					result(name, "msgs", cnt[m], reps);
				}
			}
		}
	}
	for (i = 0; i < 4; i++) {
		peer_ctl(fmt("stop %u", i));
		peer_ctl(fmt("stop %u", 10 + i));
		peer_ctl(fmt("stop %u", 20 + i));
		peer_ctl(fmt("stop %u", 30 + i));
	}
	if (kt_write("stop", "all"))
		fail("stop all", EIO);
	kt_unload_or_fail();
}

/* A write() of a feeder, in a thread, so that it can stall in our page. */
struct stalled_feed {
	int fd;
	const void *buf;
};

static void *stalled_feed_fn(void *arg)
{
	struct stalled_feed *f = arg;

	if (write(f->fd, f->buf, 64) != 64)
		fail("the stalled feeder's write()", errno);
	return NULL;
}

/* The time of each of n reads of "status", in ms, into ms[]. */
static void time_status(double ms[], int n)
{
	static char buf[65536];
	double t0;
	int i;

	for (i = 0; i < n; i++) {
		t0 = kt_now_ms();
		if (kt_read("status", buf, sizeof(buf)) < 0)
			fail("read status", errno);
		ms[i] = kt_now_ms() - t0;
	}
}

/*
 * Family 3, control path: how long a read of "status" takes with 4 busy
 * writers, alone and while a feeder of writer 0 sits in a page fault in
 * its copy_from_user() (userfaultfd). A lock held across that copy would
 * make the second figure as long as the stall.
 */
static void bench_status_latency(void)
{
	enum { N = 4 * MAXREP };
	double idle[N], stalled[N];
	struct stalled_feed f;
	struct kt_stall st;
	pthread_t thread;
	char page[65536];
	unsigned int i;
	int n = 4 * reps;

	progress("status latency, alone and with a feeder stalled in a page fault");
	if (kt_stall_init(&st)) {
		fail("userfaultfd", errno);
		return;
	}
	if (kt_load_or_fail(""))
		return;
	for (i = 0; i < 4; i++) {
		struct kt_sent sent = {};

		if (kt_writef("create", "%u", i) || kt_feed_n(i, &sent, 50))
			fail("create and feed", EIO);
	}
	time_status(idle, n);
	f.fd = open(KT_DEBUGFS "/writers/0/queue", O_WRONLY | O_CLOEXEC);
	f.buf = st.page;
	if (f.fd < 0 || pthread_create(&thread, NULL, stalled_feed_fn, &f)) {
		fail("stalled feeder", errno);
		return;
	}
	if (kt_stall_wait(&st, 5000))
		fail("the feeder did not stall", ETIMEDOUT);
	time_status(stalled, n);
	memset(page, 's', sizeof(page));
	if (kt_stall_release(&st, page))
		fail("release the stall", errno);
	pthread_join(thread, NULL);
	close(f.fd);
	kt_stall_fini(&st);
	result("status.idle", "ms", idle, n);
	result("status.stalled", "ms", stalled, n);
	if (kt_write("stop", "all"))
		fail("stop all", EIO);
	kt_unload_or_fail();
}

/*
 * Bytes of live slab objects (active_objs x objsize over every cache): unlike
 * the page-level Slab of /proc/meminfo, it sees objects that reuse free
 * slots of partial slabs left by earlier frees. *pages gets the bytes of
 * the caches' own pages: meminfo's Slab less that is what kmalloc() took
 * straight from the page allocator (above 8 KiB), which no cache shows.
 */
static long long slab_objects(long long *pages)
{
	static char buf[1 << 20];
	long long total = 0, active, objsize, num, perslab, pps, slabs;
	char *line, *save, name[64];

	*pages = 0;
	if (kt_read("/proc/slabinfo", buf, sizeof(buf)) < 0)
		return -1;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (sscanf(line,
			   "%63s %lld %lld %lld %lld %lld : tunables %*d %*d %*d : slabdata %*d %lld",
			   name, &active, &num, &objsize, &perslab, &pps,
			   &slabs) == 7) {
			total += active * objsize;
			*pages += slabs * pps * sysconf(_SC_PAGESIZE);
		}
	}
	return total;
}

static int meminfo(long long kb[4])
{
	static const char *const keys[] = { "Slab:", "VmallocUsed:",
					    "KernelStack:", "Percpu:" };
	char buf[8192], *p;
	int i;

	if (kt_read("/proc/meminfo", buf, sizeof(buf)) < 0)
		return -1;
	for (i = 0; i < 4; i++) {
		p = strstr(buf, keys[i]);
		kb[i] = p ? strtoll(p + strlen(keys[i]), NULL, 10) : 0;
	}
	return 0;
}

static void settle(void)
{
	sync();
	kt_write("/proc/sys/vm/drop_caches", "3");
	kt_sleep_ms(300);
}

/*
 * Family 5 (and the memory of family 6): /proc/meminfo deltas per live
 * writer with 64 writers: ktlife, kthread_worker peer, workqueue peer.
 */
static void bench_memory(void)
{
	static const char *const impls[] = { "ktlife", "kworker", "wq" };
	static const char *const keys[] = { "slab", "vmalloc", "stack",
					    "percpu", "slabobj", "large" };
	double v[6][MAXREP];
	long long a[4], b[4], oa, ob, pa, pb;
	unsigned int m, i, k;
	char name[64];
	int r;

	for (m = 0; m < 3; m++) {
		progress("memory: 64 writers, %s", impls[m]);
		for (r = 0; r < reps; r++) {
			if (kt_load_or_fail("max_writers=64"))
				return;
			settle();
			meminfo(a);
			oa = slab_objects(&pa);
			for (i = 0; i < 64; i++) {
				if (m == 0 ? kt_writef("create", "%u", i) :
				    peer_ctl(fmt("create %s %u", impls[m], 100 + i)))
					return;
			}
			settle();
			meminfo(b);
			ob = slab_objects(&pb);
			for (k = 0; k < 4; k++)
				v[k][r] = (b[k] - a[k]) * 1024.0 / 64;
			v[4][r] = (ob - oa) / 64.0;
			v[5][r] = ((b[0] - a[0]) * 1024.0 - (pb - pa)) / 64;
			for (i = 0; m && i < 64; i++)
				peer_ctl(fmt("stop %u", 100 + i));
			kt_unload_or_fail();
		}
		for (k = 0; k < 6; k++) {
			snprintf(name, sizeof(name), "mem.%s.%s", impls[m],
				 keys[k]);
			result(name, "B/writer", v[k], reps);
		}
	}
}

/*
 * Family 6, stop latency: stopping one idle writer, timed around the
 * write() that asks for it: ktlife's "stop <id>", the peers' "stop <id>"
 * (kthread_destroy_worker(); flush_work()).
 */
static void bench_peer_stop(void)
{
	double v[3][MAXREP];
	char name[64];
	int r;

	progress("stop one idle writer: ktlife, kworker, wq");
	if (kt_load_or_fail(""))
		return;
	for (r = 0; r < reps; r++) {
		if (kt_write("create", "5") || peer_ctl("create kworker 5") ||
		    peer_ctl("create wq 6"))
			return;
		pin_or_fail("ktlife/w5", true, 0, 1);
		pin_or_fail("ktpeer/k5", true, 0, 1);
		kt_sleep_ms(STOP_DELAY_MS);
		if (write_path_timed(KT_DEBUGFS "/stop", "5", &v[0][r]) ||
		    write_path_timed(PEER "/ctl", "stop 5", &v[1][r]) ||
		    write_path_timed(PEER "/ctl", "stop 6", &v[2][r]))
			fail("stop", errno);
	}
	kt_unload_or_fail();
	snprintf(name, sizeof(name), "pstop.ktlife");
	result(name, "ms", v[0], reps);
	snprintf(name, sizeof(name), "pstop.kworker");
	result(name, "ms", v[1], reps);
	snprintf(name, sizeof(name), "pstop.wq");
	result(name, "ms", v[2], reps);
}

/*
 * Family 4: context switches of every ktlife thread (and of 4 idle
 * kthread_worker peers) over 10 idle seconds, in 5 windows of 2 s.
 */
static void bench_idle(void)
{
	enum { NW = 4, WIN = 5, WIN_MS = 2000, PERIOD = 1000 };
	pid_t pids[2 * NW + 1];
	long long v0[2 * NW + 1], n0[2 * NW + 1], v1, n1;
	double comp[WIN], compn[WIN], wv[NW], wn[NW], kv[NW], kn[NW];
	char comm[32];
	int i, w;

	progress("idle: %d windows of %d ms", WIN, WIN_MS);
	if (kt_load_or_fail(fmt("period_ms=%d", PERIOD)))
		return;
	for (i = 0; i < NW; i++) {
		if (kt_writef("create", "%d", i) ||
		    peer_ctl(fmt("create kworker %d", 20 + i)))
			return;
	}
	kt_sleep_ms(1500);
	pids[0] = kt_find_thread("ktlife/compact");
	for (i = 0; i < NW; i++) {
		snprintf(comm, sizeof(comm), "ktlife/w%d", i);
		pids[1 + i] = kt_find_thread(comm);
		snprintf(comm, sizeof(comm), "ktpeer/k%d", 20 + i);
		pids[1 + NW + i] = kt_find_thread(comm);
	}
	for (i = 0; i < 2 * NW + 1; i++) {
		if (!pids[i] || ctxt_switches(pids[i], &v0[i], &n0[i])) {
			fail("idle: thread not found", ENOENT);
			return;
		}
	}
	memset(wv, 0, sizeof(wv));
	memset(wn, 0, sizeof(wn));
	memset(kv, 0, sizeof(kv));
	memset(kn, 0, sizeof(kn));
	for (w = 0; w < WIN; w++) {
		kt_sleep_ms(WIN_MS);
		for (i = 0; i < 2 * NW + 1; i++) {
			ctxt_switches(pids[i], &v1, &n1);
			if (i == 0) {
				comp[w] = (v1 - v0[i]) * (double)PERIOD / WIN_MS;
				compn[w] = (n1 - n0[i]) * (double)PERIOD / WIN_MS;
			} else if (i <= NW) {
				wv[i - 1] += v1 - v0[i];
				wn[i - 1] += n1 - n0[i];
			} else {
				kv[i - 1 - NW] += v1 - v0[i];
				kn[i - 1 - NW] += n1 - n0[i];
			}
			v0[i] = v1;
			n0[i] = n1;
		}
	}
	result("idle.compactor.vol_per_period", "switches", comp, WIN);
	result("idle.compactor.nonvol_per_period", "switches", compn, WIN);
	result("idle.writer.vol_10s", "switches", wv, NW);
	result("idle.writer.nonvol_10s", "switches", wn, NW);
	result("idle.kworker.vol_10s", "switches", kv, NW);
	result("idle.kworker.nonvol_10s", "switches", kn, NW);
	for (i = 0; i < NW; i++)
		peer_ctl(fmt("stop %d", 20 + i));
	kt_write("stop", "all");
	kt_unload_or_fail();
}

int main(void)
{
	const char *fam = getenv("KTBENCH_FAMILIES");
	double t0 = kt_now_ms();
	int ret;

	if (getenv("KTBENCH_REPS"))
		reps = atoi(getenv("KTBENCH_REPS"));
	if (reps < 1 || reps > MAXREP)
		reps = 5;
	if (getenv("KTBENCH_TPUT_MS"))
		tput_ms = atoi(getenv("KTBENCH_TPUT_MS"));
	if (!fam)
		fam = "123456";
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);

	if (pin(0, 0) || pin(2, 0))
		fail("pin the driver and kthreadd to CPU 0", errno);
	if (kt_loaded())
		kt_unload();
	ret = peer_load();
	if (ret) {
		fail("insmod ktpeer", ret);
		return 1;
	}
	printf("KTBINFO reps=%d tput_ms=%d stop_delay_ms=%d\n", reps, tput_ms,
	       STOP_DELAY_MS);
	/* Memory first: later churn leaves free objects in partial slabs. */
	if (strchr(fam, '5'))
		bench_memory();
	if (strchr(fam, '3')) {
		bench_throughput();
		bench_status_latency();
	}
	if (strchr(fam, '2'))
		bench_unload();
	if (strchr(fam, '6'))
		bench_peer_stop();
	if (strchr(fam, '4'))
		bench_idle();
	if (strchr(fam, '1'))
		bench_stop_latency();
	if (kt_loaded())
		kt_unload();
	ret = peer_unload();
	if (ret)
		fail("rmmod ktpeer", ret);
	progress("done in %.1f s, %d failures", (kt_now_ms() - t0) / 1000,
		 failures);
	printf("KTBDONE failures=%d\n", failures);
	return failures ? 1 : 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The seed's own story: hot-reloading a configuration that owns a thread.
 * compactor/reload replaces the compactor's configuration object, and the
 * thread it owns: the new thread takes over, the old one is stopped after
 * a grace period, nothing it owed is lost or done twice, and readers never
 * see a freed object, under a thousand reloads with feeders, readers and
 * kicks around, and against rmmod. Bad lines change nothing. The leaky
 * reload, the seed's bug, is in ktlife_leaky_test (it pins the module).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ktlife_util.h"

#define COMPACT "ktlife/compact"

static char buf_status[65536];

/* A long period: the tests say when the compactor runs. */
KT_FIXTURE(rl, "period_ms=60000 retain=4", false)

static long long compactor_field(const char *key)
{
	return kt_field("status", "compactor", NULL, key);
}

/*
 * The compaction threads, once every stopped one has left /proc: a
 * reload that replaces a thread stops one (so does a reload refused after
 * building its new one, when a period_ms write raced it), and
 * kthread_stop() returns before that task's exit is complete. A thread
 * that stays is still counted.
 */
static int compact_threads(void)
{
	return kt_count_threads_settled(COMPACT, 1, 2000);
}

static bool gone(pid_t pid, int ms)
{
	double end = kt_now_ms() + ms;

	/* A stopped thread stays in /proc until its exit_notify(). */
	while (kill(pid, 0) == 0 && kt_now_ms() < end)
		kt_sleep_ms(10);
	return kill(pid, 0) && errno == ESRCH;
}

static int wait_runs(long long n, int ms)
{
	double end = kt_now_ms() + ms;

	while (kt_stat("compactor/stats", "runs") < n) {
		if (kt_now_ms() > end)
			return -ETIMEDOUT;
		kt_sleep_ms(10);
	}
	return 0;
}

/* A reload replaces the configuration and its thread: status and stats
 * show the new settings, the old thread is gone, exactly one runs, at the
 * new period; what a line leaves out stays as it was.
 */
TEST_F(rl, reload_replaces_the_thread)
{
	pid_t old = compactor_field("pid"), now;
	long long runs;

	ASSERT_LT(0, old);
	EXPECT_EQ(0, compactor_field("generation"));
	ASSERT_EQ(0, kt_write("compactor/reload",
			      "period_ms=300 retain=32 mode=wait\n"));
	now = compactor_field("pid");
	EXPECT_NE(old, now);
	EXPECT_EQ(300, compactor_field("period_ms"));
	EXPECT_EQ(32, compactor_field("retain"));
	EXPECT_EQ(1, compactor_field("generation"));
	EXPECT_EQ(300, kt_stat("compactor/stats", "period_ms"));
	EXPECT_EQ(32, kt_stat("compactor/stats", "retain"));
	EXPECT_EQ(1, kt_stat("compactor/stats", "generation"));
	EXPECT_EQ(now, kt_stat("compactor/stats", "pid"));
	/* The old thread was stopped before the write returned. */
	EXPECT_TRUE(gone(old, 2000));
	EXPECT_EQ(now, kt_find_thread(COMPACT));
	EXPECT_EQ(1, compact_threads());

	/* At the new period: about five runs in 1.5 s, not one a minute. */
	runs = kt_stat("compactor/stats", "runs");
	kt_sleep_ms(1500);
	runs = kt_stat("compactor/stats", "runs") - runs;
	TH_LOG("period 300 ms after the reload: %lld runs in 1.5 s", runs);
	EXPECT_LE(2, runs);
	EXPECT_GE(8, runs);

	/* What a line leaves out is kept; a blank line reloads as it is. */
	ASSERT_EQ(0, kt_write("compactor/reload", "retain=8"));
	EXPECT_EQ(300, compactor_field("period_ms"));
	EXPECT_EQ(8, compactor_field("retain"));
	ASSERT_EQ(0, kt_write("compactor/reload", "\n"));
	EXPECT_EQ(300, compactor_field("period_ms"));
	EXPECT_EQ(8, compactor_field("retain"));
	EXPECT_EQ(3, compactor_field("generation"));
	/* The mode too, and the period a sleep-mode compactor may have. */
	ASSERT_EQ(0, kt_write("compactor/reload", "mode=sleep period_ms=200"));
	EXPECT_EQ(200, compactor_field("period_ms"));
	ASSERT_LT(0, kt_read("status", buf_status, sizeof(buf_status)));
	EXPECT_NE(NULL, strstr(buf_status, " mode=sleep "));
	ASSERT_EQ(0, kt_write("compactor/reload", "mode=wait"));
	ASSERT_LT(0, kt_read("status", buf_status, sizeof(buf_status)));
	EXPECT_NE(NULL, strstr(buf_status, " mode=wait "));
	EXPECT_EQ(1, compact_threads());
}

/* Nothing the old thread owed is lost or done twice: a kick that reached
 * it just before a reload runs exactly once, in one thread or the other.
 */
TEST_F(rl, reload_keeps_a_pending_kick)
{
	long long runs = kt_stat("compactor/stats", "runs");
	int i;

	for (i = 0; i < 20; i++) {
		ASSERT_EQ(0, kt_write("compactor/kick", "1"));
		ASSERT_EQ(0, kt_write("compactor/reload", "\n"));
		ASSERT_EQ(0, wait_runs(runs + i + 1, 2000));
	}
	kt_sleep_ms(300);
	/* Twenty kicks, twenty runs (the period is a minute). */
	EXPECT_EQ(runs + 20, kt_stat("compactor/stats", "runs"));
	EXPECT_EQ(20, compactor_field("generation"));
}

/* Reloads faster than the period never postpone a run: the new thread
 * goes on from the old one's last run, as a period change does.
 */
TEST_F(rl, reloads_do_not_starve_compaction)
{
	long long runs;
	double end;

	ASSERT_EQ(0, kt_write("compactor/reload", "period_ms=300"));
	runs = kt_stat("compactor/stats", "runs");
	end = kt_now_ms() + 3000;
	while (kt_now_ms() < end) {
		ASSERT_EQ(0, kt_write("compactor/reload", "\n"));
		kt_sleep_ms(100);
	}
	runs = kt_stat("compactor/stats", "runs") - runs;
	TH_LOG("period 300 ms, a reload every 100 ms for 3 s: %lld runs",
	       runs);
	EXPECT_LE(5, runs);
}

/* The reader and kicker of reload_loop_with_feeders, until *stop. */
static void reader(const int *stop)
{
	static char buf[65536];

	while (!__atomic_load_n(stop, __ATOMIC_RELAXED)) {
		if (kt_read("status", buf, sizeof(buf)) < 0 ||
		    kt_read("compactor/stats", buf, sizeof(buf)) < 0 ||
		    kt_write("compactor/kick", "1"))
			_exit(1);
	}
	_exit(0);
}

/* A thousand reloads while two feeders write and another process reads
 * status and stats and kicks: at the end one compaction thread, the
 * generation counted every reload, every message processed in order
 * (count and CRC-32), and the fixture's ktleak check finds no thread and
 * no task_struct left over.
 */
TEST_F_TIMEOUT(rl, reload_loop_with_feeders, 240)
{
	long reloads = kt_env_long("KTLIFE_RELOADS", 1000), i;
	pid_t pids[3], before = compactor_field("pid");
	unsigned long long sent[2];
	int pipes[2][2], status, j;
	char match[16];
	double start;
	int *stop;

	stop = mmap(NULL, sizeof(*stop), PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, stop);
	*stop = 0;
	ASSERT_EQ(1, compact_threads());
	for (j = 0; j < 2; j++) {
		ASSERT_EQ(0, kt_writef("create", "%d", 1 + j));
		ASSERT_EQ(0, pipe(pipes[j]));
		pids[j] = fork();
		ASSERT_LE(0, pids[j]);
		if (pids[j] == 0)
			kt_crc_feeder(1 + j, 1e300, stop, pipes[j][1]);
		close(pipes[j][1]);
	}
	pids[2] = fork();
	ASSERT_LE(0, pids[2]);
	if (pids[2] == 0)
		reader(stop);

	start = kt_now_ms();
	for (i = 0; i < reloads; i++)
		ASSERT_EQ(0, kt_writef("compactor/reload",
				       "period_ms=%ld retain=%ld", 1 + i % 50,
				       i % 16));
	TH_LOG("%ld reloads in %.0f ms, %.2f ms each", reloads,
	       kt_now_ms() - start, (kt_now_ms() - start) / reloads);
	__atomic_store_n(stop, 1, __ATOMIC_RELAXED);
	for (j = 0; j < 3; j++) {
		ASSERT_EQ(pids[j], waitpid(pids[j], &status, 0));
		EXPECT_EQ(0, WEXITSTATUS(status));
	}
	EXPECT_EQ(reloads, compactor_field("generation"));
	EXPECT_TRUE(gone(before, 2000));
	EXPECT_EQ(1, compact_threads());

	for (j = 0; j < 2; j++) {
		ASSERT_EQ(sizeof(sent), read(pipes[j][0], sent, sizeof(sent)));
		close(pipes[j][0]);
		ASSERT_EQ(0, kt_writef("stop", "%d", 1 + j));
		snprintf(match, sizeof(match), " id=%d ", 1 + j);
		EXPECT_EQ(sent[0], kt_field("reaped", "reaped", match,
					    "processed"));
		EXPECT_EQ(sent[1], kt_field("reaped", "reaped", match, "crc32"));
		TH_LOG("writer %d: %llu messages, CRC-32 %08llx, as fed", 1 + j,
		       sent[0], sent[1]);
	}
	munmap(stop, sizeof(*stop));
}

/* A reload racing rmmod: either wins, cleanly. A child reloads without
 * pause while rmmod is retried every 20 ms; once the module is gone the
 * child's next open fails, and the fixture's ktleak check finds nothing.
 * The errors teardown may give: ENOENT (the file is gone), ENXIO (an open
 * once rmmod has begun: debugfs's proxy cannot take the module), EIO (a
 * write to a file debugfs is removing), ENODEV (the compactor is gone).
 * Any other is the child's exit status.
 */
TEST_F_TIMEOUT(rl, reload_races_rmmod, 60)
{
	int status, tries = 0;
	double start;
	pid_t child;

	child = fork();
	ASSERT_LE(0, child);
	if (child == 0) {
		long n = 0;

		for (;;) {
			int ret = kt_write("compactor/reload", "period_ms=20");

			if (ret == -ENOENT)
				_exit(n ? 0 : 1);
			if (ret && ret != -ENODEV && ret != -EIO && ret != -ENXIO)
				_exit(-ret);
			n++;
		}
	}
	kt_sleep_ms(200);
	start = kt_now_ms();
	while (kt_unload() && kt_now_ms() - start < 20000) {
		tries++;
		kt_sleep_ms(20);
	}
	ASSERT_EQ(child, waitpid(child, &status, 0));
	TH_LOG("rmmod won after %d refusals (%.0f ms)", tries,
	       kt_now_ms() - start);
	EXPECT_FALSE(kt_loaded());
	EXPECT_EQ(0, WEXITSTATUS(status))
		TH_LOG("the child's reload: %s", WEXITSTATUS(status) == 1 ?
		       "none succeeded" : strerror(WEXITSTATUS(status)));
	EXPECT_EQ(0, kt_count_threads_after_stop(COMPACT));
}

/* Bad reload lines: each gets its documented errno, and nothing changes. */
TEST_F(rl, bad_reload_lines_change_nothing)
{
	static const struct {
		const char *line;
		int err;
	} bad[] = {
		{ "period_ms", EINVAL },		/* no value */
		{ "period_ms=", EINVAL },
		{ "period_ms=abc", EINVAL },
		{ "period_ms=-1", EINVAL },
		{ "period_ms=1=2", EINVAL },
		{ "period_ms=0x10", EINVAL },
		{ "speed=10", EINVAL },			/* unknown key */
		{ "mode=fast", EINVAL },
		{ "period_ms=100 period_ms=200", EINVAL },	/* twice */
		{ "mode=wait mode=wait", EINVAL },
		{ "leaky leaky", EINVAL },
		{ "period_ms=0", ERANGE },
		{ "period_ms=3600001", ERANGE },
		{ "period_ms=4294967296", ERANGE },
		{ "retain=65537", ERANGE },
		/* A sleep-mode compactor may not keep today's 60 s period. */
		{ "mode=sleep", ERANGE },
		{ "mode=sleep period_ms=10001", ERANGE },
		/* The seed's bug needs bugs=1. */
		{ "leaky", EPERM },
		{ "", EINVAL },				/* empty write */
		{ "retain=8 this-line-is-longer-than-sixty-four-bytes-in-all-x",
		  EINVAL },
	};
	pid_t pid = compactor_field("pid");
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-bad[i].err, kt_write("compactor/reload",
						bad[i].line)) {
			TH_LOG("\"%s\"", bad[i].line);
		}
	}
	EXPECT_EQ(-EINVAL, kt_write_n("compactor/reload", "retain=1\0", 9));
	EXPECT_EQ(pid, compactor_field("pid"));
	EXPECT_EQ(0, compactor_field("generation"));
	EXPECT_EQ(60000, compactor_field("period_ms"));
	EXPECT_EQ(4, compactor_field("retain"));
	EXPECT_EQ(1, compact_threads());
}

/*
 * The reload line's oracle for the fuzzer below: what the parser must say
 * of a line, given the current settings (which a success changes).
 */
struct settings {
	long period_ms, retain;
	bool sleep;
};

static int expect_reload(const char *line, struct settings *cur)
{
	struct settings next = *cur;
	bool seen_p = false, seen_r = false, seen_m = false;
	char buf[128], *save, *tok, *val, *end;
	unsigned long long v;

	if (!*line || strlen(line) >= 64)
		return -EINVAL;
	snprintf(buf, sizeof(buf), "%s", line);
	for (tok = strtok_r(buf, " ", &save); tok;
	     tok = strtok_r(NULL, " ", &save)) {
		val = strchr(tok, '=');
		if (!val)
			return -EINVAL;	/* "leaky" is never generated */
		*val++ = '\0';
		/* The key first, then its value, as parse_reload() does. */
		if (!strcmp(tok, "mode") && !seen_m) {
			if (strcmp(val, "wait") && strcmp(val, "sleep"))
				return -EINVAL;
			seen_m = true;
			next.sleep = !strcmp(val, "sleep");
			continue;
		}
		if (!strcmp(tok, "period_ms") && !seen_p)
			seen_p = true;
		else if (!strcmp(tok, "retain") && !seen_r)
			seen_r = true;
		else
			return -EINVAL;
		/* kstrtouint(): an optional '+', then decimal digits only. */
		if (*val == '+')
			val++;
		if (!*val || strspn(val, "0123456789") != strlen(val))
			return -EINVAL;
		errno = 0;
		v = strtoull(val, &end, 10);
		/* Beyond a u32 for kstrtouint(), beyond an int for ktlife. */
		if (errno || v > 0x7fffffffULL)
			return -ERANGE;
		if (!strcmp(tok, "period_ms"))
			next.period_ms = v;
		else
			next.retain = v;
	}
	if (next.period_ms < 1 ||
	    next.period_ms > (next.sleep ? 10000 : 3600000) ||
	    next.retain > 65536)
		return -ERANGE;
	*cur = next;
	return 0;
}

/* A thousand random reload lines: each gets exactly the oracle's answer,
 * and status then shows exactly the oracle's settings.
 */
TEST_F_TIMEOUT(rl, fuzz_reload_lines, 180)
{
	static const char * const words[] = {
		"period_ms=", "retain=", "mode=", "speed=", "period_ms",
		"mode=wait", "mode=sleep", "mode=fast",
	};
	/*
	 * No period between 200 ms and 10 s: in sleep mode a reload waits out
	 * the old thread's sleep, the very latency that mode is there to show.
	 */
	static const char * const values[] = {
		"0", "1", "50", "200", "10001", "60000", "3600000", "3600001",
		"65536", "65537", "4294967296", "abc", "", "+7", "007",
	};
	struct settings cur = { 60000, 4, false };
	long cases = kt_env_long("KTLIFE_FUZZ_CASES", 10000) / 10, c;
	unsigned long long rng = 42;
	long wrong = 0, ok = 0;
	char line[256];
	int want, got, n, k;
	size_t len;

	for (c = 0; c < cases; c++) {
		line[0] = '\0';
		len = 0;
		n = 1 + (rng = rng * 6364136223846793005ULL + 1) % 3;
		for (k = 0; k < n; k++) {
			const char *w = words[(rng >> 20) % ARRAY_SIZE(words)];

			rng = rng * 6364136223846793005ULL + 1;
			len += snprintf(line + len, sizeof(line) - len, "%s%s%s",
					k ? " " : "", w, w[strlen(w) - 1] == '=' ?
					values[(rng >> 24) % ARRAY_SIZE(values)] :
					"");
			rng = rng * 6364136223846793005ULL + 1;
		}
		want = expect_reload(line, &cur);
		got = kt_write("compactor/reload", line);
		ok += !got;
		if (got != want && ++wrong <= 10)
			TH_LOG("\"%s\": %d, the oracle says %d", line, got, want);
	}
	TH_LOG("%ld reload lines, %ld accepted, %ld against the oracle", cases,
	       ok, wrong);
	EXPECT_EQ(0, wrong);
	EXPECT_EQ(cur.period_ms, compactor_field("period_ms"));
	EXPECT_EQ(cur.retain, compactor_field("retain"));
	EXPECT_EQ(ok, compactor_field("generation"));
	EXPECT_EQ(1, compact_threads());
}

TEST_HARNESS_MAIN

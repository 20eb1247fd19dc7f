// SPDX-License-Identifier: GPL-2.0
/*
 * The lifecycle of ktlife's kthreads, one behaviour a test.
 *
 * Each test loads the module, does one thing, checks the module's own
 * counters against what the test itself wrote (counts and CRC-32), and
 * unloads it; the teardown fails the test if any "ktlife/" thread is left.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ktlife_util.h"

static char match_buf[32];

static const char *id_match(unsigned int id)
{
	snprintf(match_buf, sizeof(match_buf), " id=%u ", id);
	return match_buf;
}

/*
 * Writer id, parked with a full fifo (s counts what went in), and a child
 * blocked writing one more message to it.
 */
static pid_t full_writer_blocked_feeder(struct __test_metadata *_metadata,
					unsigned int id, struct kt_sent *s)
{
	pid_t child;

	ASSERT_EQ(0, kt_writef("create", "%u", id));
	child = kt_park_fill_block(id, s);
	ASSERT_LT(0, child) {
		TH_LOG("the feeder did not block");
	}
	return child;
}

/*
 * Every test ends with ktleak's check: nothing of ktlife may be left. A
 * long period: tests kick the compactor when they want it. 4 KiB fifos,
 * not the 64 KiB default: a full fifo in a few dozen writes. The bugs/
 * files too, for the tests that check every file.
 */
KT_FIXTURE(ktlife, "period_ms=60000 retain=4 fifo_size=4096 bugs=1", false)

/* Tests that load the module themselves, with their own parameters. */
KT_FIXTURE(own, NULL, false)

/* The same, and kmemleak must find nothing either (5 s more). */
KT_FIXTURE(own_kmemleak, NULL, true)

/* Load and unload 20 times: every load starts a compactor, every unload
 * leaves no thread behind.
 */
TEST_F_TIMEOUT(own, load_unload_cycles, 60)
{
	int i;

	for (i = 0; i < 20; i++) {
		ASSERT_EQ(0, kt_load(NULL));
		ASSERT_NE(0, kt_find_thread("ktlife/compact"));
		ASSERT_EQ(0, kt_writef("create", "%d", i));
		ASSERT_EQ(0, kt_unload());
		ASSERT_FALSE(kt_loaded());
		ASSERT_EQ(0, kt_count_threads_after_stop(KT_THREAD_PREFIX));
	}
}

/* Bad module parameters fail the load with EINVAL and start nothing. */
TEST_F(own, bad_params_rejected)
{
	static const char * const bad[] = {
		"fifo_size=1000", "fifo_size=32", "max_msg=0",
		"max_msg=4095 fifo_size=4096", "max_msg=65536",
		"max_writers=0", "max_writers=10001", "compactor=bogus",
		"period_ms=0", "period_ms=3600001", "max_leaky=17",
		"log_records=0", "log_records=65537",
		"log_records=65536 fifo_size=8192 max_msg=4096",
		"compactor=sleep period_ms=10001", "retain=65537",
		/* 65,030 slots of 255 + 2 rounded up to 258 bytes: over 16 MiB. */
		"log_records=65030 max_msg=255",
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-EINVAL, kt_load(bad[i])) {
			TH_LOG("%s", bad[i]);
		}
		ASSERT_FALSE(kt_loaded());
		ASSERT_EQ(0, kt_count_threads_after_stop(KT_THREAD_PREFIX));
	}
}

/* Every command error has its errno and changes nothing. */
TEST_F(ktlife, command_errors)
{
	ASSERT_EQ(0, kt_write("create", "1\n"));
	EXPECT_EQ(-EEXIST, kt_write("create", "1"));
	EXPECT_EQ(-EINVAL, kt_write("create", "10000"));
	EXPECT_EQ(-EINVAL, kt_write("create", "-1"));
	EXPECT_EQ(-EINVAL, kt_write("create", "abc"));
	EXPECT_EQ(-EINVAL, kt_write("create", "2 bogus"));
	EXPECT_EQ(-EINVAL, kt_write("create", "2 leaky extra"));
	EXPECT_EQ(-EINVAL, kt_write("create", "\n"));
	EXPECT_EQ(-ENOENT, kt_write("stop", "2"));
	EXPECT_EQ(-EINVAL, kt_write("stop", "1 later"));
	EXPECT_EQ(-EINVAL, kt_write("stop", "x"));
	EXPECT_EQ(-ENOENT, kt_write("park", "2"));
	EXPECT_EQ(-EALREADY, kt_write("unpark", "1"));
	EXPECT_EQ(-EINVAL, kt_write("compactor/period_ms", "0"));
	EXPECT_EQ(-EINVAL, kt_write("compactor/period_ms", "12x"));
	EXPECT_EQ(-EINVAL, kt_write("compactor/kick", "0"));
	EXPECT_EQ(-EINVAL, kt_write("compactor/kick", "now"));
	/* Numbers are parsed as strictly as ids: no NUL, no junk, < 32 bytes. */
	EXPECT_EQ(-EINVAL, kt_write_n("compactor/kick", "1\0junk", 6));
	EXPECT_EQ(-EINVAL, kt_write_n("create", "2\0", 2));
	EXPECT_EQ(-EINVAL, kt_write("compactor/period_ms",
				    "0000000000000000000000000000000001000"));
	EXPECT_EQ(-EINVAL, kt_write("compactor/period_ms", "1000 2000"));
	EXPECT_EQ(-EINVAL, kt_write("compactor/period_ms", "0x10"));
	EXPECT_EQ(-EINVAL, kt_write("compactor/period_ms", "4294967296"));
	EXPECT_EQ(-EINVAL, kt_write("bugs/leak", "1k"));
	EXPECT_EQ(-EINVAL, kt_write("bugs/unreaped", "1\n2"));
	EXPECT_EQ(0, kt_stat("compactor/stats", "runs"));
	EXPECT_EQ(1, kt_field("status", "total", NULL, "writers"));
	EXPECT_EQ(60000, kt_stat("compactor/stats", "period_ms"));
}

/* The deliberate bugs are there only with bugs=1: no bugs/ files, and a
 * leaky writer is EPERM, without it.
 */
TEST_F(own, bugs_only_with_bugs_param)
{
	ASSERT_EQ(0, kt_load(NULL));
	EXPECT_EQ(-ENOENT, kt_write("bugs/leak", "64"));
	EXPECT_EQ(-ENOENT, kt_write("bugs/unreaped", "1"));
	EXPECT_EQ(-EPERM, kt_write("create", "7 leaky"));
	EXPECT_EQ(0, kt_find_thread("ktlife/w7"));
	EXPECT_EQ(0, kt_field("status", "total", NULL, "leaked"));
	ASSERT_EQ(0, kt_unload());
	ASSERT_EQ(0, kt_load("bugs=1"));
	EXPECT_EQ(0, access(KT_DEBUGFS "/bugs/leak", W_OK));
	EXPECT_EQ(0, access(KT_DEBUGFS "/bugs/unreaped", W_OK));
}

/* max_writers live writers at most: the next create is ENOSPC. */
TEST_F(own, writer_limit)
{
	int i, fd;

	ASSERT_EQ(0, kt_load("max_writers=3"));
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, kt_writef("create", "%d", i));
	EXPECT_EQ(-ENOSPC, kt_write("create", "3"));
	ASSERT_EQ(0, kt_write("stop", "0"));
	EXPECT_EQ(0, kt_write("create", "3"));
	EXPECT_EQ(3, kt_field("status", "total", NULL, "writers"));
	/* A stopped writer's open file holds its memory, and its slot. */
	fd = kt_open("writers/3/log", O_RDONLY);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, kt_write("stop", "3"));
	EXPECT_EQ(-ENOSPC, kt_write("create", "4"));
	close(fd);
	EXPECT_EQ(0, kt_write("create", "4"));
	EXPECT_EQ(3, kt_field("status", "total", NULL, "writers"));
	EXPECT_EQ(0, kt_unload());
	EXPECT_EQ(0, kt_count_threads_after_stop(KT_THREAD_PREFIX));
}

/* Messages of every length are processed in order: counts, bytes and the
 * CRC-32 the module computed equal what this test wrote.
 */
TEST_F(ktlife, feed_counts_and_crc)
{
	struct kt_sent s[2] = {};
	unsigned int id;

	for (id = 0; id < 2; id++)
		ASSERT_EQ(0, kt_writef("create", "%u", id));
	for (id = 0; id < 2; id++)
		ASSERT_EQ(0, kt_feed_n(id, &s[id], 500));
	for (id = 0; id < 2; id++) {
		char file[64];

		snprintf(file, sizeof(file), "writers/%u/stats", id);
		ASSERT_EQ(0, kt_wait_processed(id, s[id].n, 10000));
		EXPECT_EQ(s[id].n, kt_stat(file, "enqueued"));
		EXPECT_EQ(s[id].n, kt_stat(file, "processed"));
		EXPECT_EQ(0, kt_stat(file, "discarded"));
		EXPECT_EQ(s[id].bytes, kt_stat(file, "bytes"));
		EXPECT_EQ(s[id].crc, kt_stat(file, "crc32"));
		EXPECT_EQ(s[id].crc, kt_field("status", "writer",
					      id_match(id), "crc32"));
	}
}

/*
 * Writer id, parked with a full fifo (s counts what went in, on top of
 * what it had), then stopped as cmd says: its thread must be gone.
 */
static void stop_full_writer(struct __test_metadata *_metadata,
			     unsigned int id, const char *cmd,
			     struct kt_sent *s)
{
	char comm[16];

	ASSERT_EQ(0, kt_writef("park", "%u", id));
	ASSERT_EQ(0, kt_fill(id, s));
	ASSERT_LT(10, s->n);
	EXPECT_EQ(s->n, kt_field("status", "writer", id_match(id), "enqueued"));
	ASSERT_EQ(0, kt_writef("stop", "%u%s", id, cmd));
	snprintf(comm, sizeof(comm), "ktlife/w%u", id);
	EXPECT_EQ(0, kt_find_thread(comm));
}

/* The last "reaped" line of writer id, or "". */
static const char *reaped_line(unsigned int id)
{
	static char buf[1 << 16], line[512];
	char *p, *end;

	line[0] = '\0';
	if (kt_read("reaped", buf, sizeof(buf)) < 0)
		return line;
	for (p = buf; (p = strstr(p, id_match(id))); p++) {
		while (p > buf && p[-1] != '\n')
			p--;
		end = strchrnul(p, '\n');
		snprintf(line, sizeof(line), "%.*s", (int)(end - p), p);
		p = end;
	}
	return line;
}

/*
 * Writer id was reaped with thread return value ret, having processed
 * exactly what s says was sent (counts, bytes, CRC-32) and discarded
 * nothing.
 */
static void expect_drained(struct __test_metadata *_metadata,
			   unsigned int id, int ret, const struct kt_sent *s)
{
	EXPECT_EQ(ret, kt_field("reaped", "reaped", id_match(id), "ret"));
	EXPECT_EQ(s->n,
		  kt_field("reaped", "reaped", id_match(id), "processed"));
	EXPECT_EQ(0, kt_field("reaped", "reaped", id_match(id), "discarded"));
	EXPECT_EQ(s->bytes,
		  kt_field("reaped", "reaped", id_match(id), "bytes"));
	EXPECT_EQ(s->crc, kt_field("reaped", "reaped", id_match(id), "crc32"));
}


/* Stop "now" drops what is queued and counts it:
 * enqueued == processed + discarded.
 */
TEST_F(ktlife, stop_now_discards)
{
	struct kt_sent s = {};

	ASSERT_EQ(0, kt_write("create", "2"));
	ASSERT_EQ(0, kt_feed_n(2, &s, 5));
	ASSERT_EQ(0, kt_wait_processed(2, 5, 5000));
	stop_full_writer(_metadata, 2, " now", &s);
	EXPECT_EQ(s.n, kt_field("reaped", "reaped", id_match(2), "enqueued"));
	/* Parked until the stop: only the first five were processed. */
	EXPECT_EQ(5, kt_field("reaped", "reaped", id_match(2), "processed"));
	EXPECT_EQ(s.n - 5,
		  kt_field("reaped", "reaped", id_match(2), "discarded"));
	EXPECT_EQ(1, kt_field("status", "total", NULL, "stopped_now"));
}

/*
 * The two stops that lose nothing, on a writer parked with a full queue:
 * graceful (kthread_stop(): the thread drains, then returns 0) and close
 * (the writer drains and returns on its own, and is reaped through the
 * task reference held since creation: exit=returned; both return 0, as
 * kthread_create_on_node() asks). Everything processed, CRC-32
 * exact, thread gone.
 */
KT_FIXTURE(drain, "period_ms=60000 retain=4 fifo_size=4096", false)

FIXTURE_VARIANT(drain) {
	const char *how;	/* after "stop <id>" */
	const char *exit;	/* how the thread ended, in "reaped" */
	const char *counter;	/* in status's total line */
};

FIXTURE_VARIANT_ADD(drain, graceful) {
	.how = "", .exit = " exit=stopped ", .counter = "stopped_graceful",
};

FIXTURE_VARIANT_ADD(drain, close) {
	.how = " close", .exit = " exit=returned ", .counter = "stopped_close",
};

TEST_F(drain, stop_processes_everything)
{
	struct kt_sent s = {};

	ASSERT_EQ(0, kt_write("create", "1"));
	stop_full_writer(_metadata, 1, variant->how, &s);
	expect_drained(_metadata, 1, 0, &s);
	EXPECT_NE(NULL, strstr(reaped_line(1), variant->exit)) {
		TH_LOG("%s", reaped_line(1));
	}
	EXPECT_EQ(1, kt_field("status", "total", NULL, variant->counter));
}

/* A full fifo: EAGAIN with O_NONBLOCK; a blocking feeder waits, and is
 * woken by progress once the writer runs again.
 */
TEST_F(ktlife, full_fifo_blocks_until_progress)
{
	struct kt_sent s = {};
	pid_t child;

	child = full_writer_blocked_feeder(_metadata, 4, &s);
	EXPECT_EQ(-EAGAIN, kt_feed(4, "x", 1, true));
	ASSERT_EQ(0, kt_write("unpark", "4"));
	EXPECT_EQ(0, kt_wait_child(child, 5000));
	ASSERT_EQ(0, kt_wait_processed(4, s.n + 1, 5000));
}

/* A signal ends a blocked write with EINTR and enqueues nothing. */
TEST_F(ktlife, blocked_feeder_interrupted_by_signal)
{
	struct kt_sent s = {};
	pid_t child;

	child = full_writer_blocked_feeder(_metadata, 5, &s);
	kill(child, SIGUSR1);
	EXPECT_EQ(EINTR, kt_wait_child(child, 5000));
	EXPECT_EQ(s.n, kt_stat("writers/5/stats", "enqueued"));
}

/* Stopping a writer wakes its blocked feeder with EPIPE. */
TEST_F(ktlife, stop_wakes_blocked_feeder)
{
	struct kt_sent s = {};
	pid_t child;

	child = full_writer_blocked_feeder(_metadata, 6, &s);
	ASSERT_EQ(0, kt_write("stop", "6 now"));
	EXPECT_EQ(EPIPE, kt_wait_child(child, 5000));
	EXPECT_EQ(s.n, kt_field("reaped", "reaped", id_match(6), "enqueued"));
}

/* One write is one message of 1..max_msg bytes; anything else is
 * EMSGSIZE and enqueues nothing.
 */
TEST_F(ktlife, message_size_limits)
{
	char big[KT_MAX_MSG + 1];

	memset(big, 'b', sizeof(big));
	ASSERT_EQ(0, kt_write("create", "7"));
	EXPECT_EQ(-EMSGSIZE, kt_feed(7, big, KT_MAX_MSG + 1, false));
	EXPECT_EQ(-EMSGSIZE, kt_feed(7, big, 0, false));
	EXPECT_EQ(0, kt_feed(7, big, KT_MAX_MSG, false));
	ASSERT_EQ(0, kt_wait_processed(7, 1, 5000));
	EXPECT_EQ(1, kt_stat("writers/7/stats", "enqueued"));
	EXPECT_EQ(KT_MAX_MSG, kt_stat("writers/7/stats", "bytes"));
}

/* A kick makes the compactor trim each log to its newest "retain" (4)
 * records and count the bytes it freed.
 */
TEST_F(ktlife, compactor_trims_log)
{
	char log[8192], msg[KT_MAX_MSG + 1], want[8192] = "";
	long long reclaimed = 0;
	struct kt_sent s = {};
	unsigned int i;
	size_t len;

	ASSERT_EQ(0, kt_write("create", "8"));
	ASSERT_EQ(0, kt_feed_n(8, &s, 20));
	ASSERT_EQ(0, kt_wait_processed(8, 20, 5000));
	EXPECT_EQ(20, kt_stat("writers/8/stats", "log_records"));
	for (i = 0; i < 20; i++) {
		len = kt_message(i, msg, KT_MAX_MSG);
		if (i < 16) {
			reclaimed += len;
		} else {
			strncat(want, msg, len);
			strcat(want, "\n");
		}
	}
	ASSERT_EQ(0, kt_write("compactor/kick", "1"));
	for (i = 0; i < 500 && kt_stat("compactor/stats", "runs") < 1; i++)
		kt_sleep_ms(10);
	EXPECT_EQ(1, kt_stat("compactor/stats", "runs"));
	EXPECT_EQ(reclaimed, kt_stat("compactor/stats", "reclaimed_bytes"));
	EXPECT_EQ(4, kt_stat("writers/8/stats", "log_records"));
	ASSERT_LT(0, kt_read("writers/8/log", log, sizeof(log)));
	EXPECT_STREQ(want, log);
}

/* A new period_ms wakes the compactor at once: it runs on the new period
 * instead of sleeping out the old 60 s one.
 */
TEST_F(ktlife, period_change_wakes_compactor)
{
	int i;

	EXPECT_EQ(0, kt_stat("compactor/stats", "runs"));
	ASSERT_EQ(0, kt_write("compactor/period_ms", "50"));
	for (i = 0; i < 300 && kt_stat("compactor/stats", "runs") < 2; i++)
		kt_sleep_ms(10);
	EXPECT_LE(2, kt_stat("compactor/stats", "runs"));
}

/* Rewriting period_ms faster than the period never postpones a run: the
 * wait re-arms from the last run, it does not restart.
 */
TEST_F(ktlife, period_rewrites_do_not_starve_compaction)
{
	double end;
	long long runs;

	ASSERT_EQ(0, kt_write("compactor/period_ms", "300"));
	end = kt_now_ms() + 3000;
	while (kt_now_ms() < end) {
		kt_sleep_ms(100);
		ASSERT_EQ(0, kt_write("compactor/period_ms", "300"));
	}
	runs = kt_stat("compactor/stats", "runs");
	TH_LOG("%lld runs in 3 s of a 300 ms period rewritten every 100 ms",
	       runs);
	EXPECT_LE(5, runs);
}

/* The retained log is capped by log_records whatever the compactor does:
 * with the longest period it never runs, and 50,000 messages of 200 B
 * (10 MB) into one writer grow kernel memory by less than the cap. The
 * oldest records are overwritten and counted (log_evicted).
 */
TEST_F_TIMEOUT(own, log_capped_without_compactor, 60)
{
	const long long cap = 256, n = 50000, len = 200;
	/* The fifo, the log's slots, and the struct with its locks. */
	const long long bound = 65536 + cap * (KT_MAX_MSG + 2) + 8192;
	long long mem0, mem1, evicted;
	char msg[200];
	long long i;
	int fd;

	ASSERT_EQ(0, kt_load("period_ms=3600000 log_records=256"));
	ASSERT_EQ(0, kt_write("create", "1"));
	fd = open(KT_DEBUGFS "/writers/1/queue", O_WRONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	memset(msg, 'c', sizeof(msg));
	/* What ktlife holds, as it accounts for it; not the kernel's slab. */
	mem0 = kt_stat("writers/1/stats", "mem_bytes");
	for (i = 0; i < n; i++)
		ASSERT_EQ(len, write(fd, msg, len));
	close(fd);
	ASSERT_EQ(0, kt_wait_processed(1, n, 60000));
	mem1 = kt_stat("writers/1/stats", "mem_bytes");

	evicted = kt_stat("writers/1/stats", "log_evicted");
	TH_LOG("%lld messages of %lld B: the writer holds %lld B before, %lld B after (bound %lld B: fifo, log slots, struct), log %lld records, %lld evicted",
	       n, len, mem0, mem1, bound,
	       kt_stat("writers/1/stats", "log_records"), evicted);
	EXPECT_LT(0, mem0);
	EXPECT_EQ(mem0, mem1);
	EXPECT_GE(bound, mem1);
	EXPECT_EQ(mem1, kt_field("status", "total", NULL, "mem_bytes"));
	EXPECT_EQ(0, kt_stat("compactor/stats", "runs"));
	EXPECT_EQ(cap, kt_stat("writers/1/stats", "log_records"));
	EXPECT_EQ(cap * len, kt_stat("writers/1/stats", "log_bytes"));
	EXPECT_EQ(n - cap, evicted);
}

/* 100 open "log" files that have each read one byte hold about a page of
 * seq_file buffer each, not the log's whole text (256 KiB each here, 25 MiB
 * in all, when "log" was one show() of every record): measured as the
 * memory charged to this test's own memory cgroup.
 */
TEST_F_TIMEOUT(own, log_readers_hold_a_page_each, 90)
{
	const int nfd = 100, records = 1024;
	long long mem0, mem1, page = sysconf(_SC_PAGESIZE);
	int fds[100], i, ret;
	char msg[KT_MAX_MSG], c;

	ASSERT_EQ(0, kt_load("period_ms=3600000 log_records=1024"));
	ASSERT_EQ(0, kt_write("create", "1"));
	memset(msg, 'l', sizeof(msg));
	for (i = 0; i < records; i++)
		ASSERT_EQ(0, kt_feed(1, msg, sizeof(msg), false));
	ASSERT_EQ(0, kt_wait_processed(1, records, 30000));
	ASSERT_EQ(records, kt_stat("writers/1/stats", "log_records"));

	ret = kt_cgroup_enter("ktlife-log-readers");
	if (ret == -EOPNOTSUPP)
		SKIP(return, "no memory controller in this kernel");
	ASSERT_EQ(0, ret);
	mem0 = kt_cgroup_mem();
	for (i = 0; i < nfd; i++) {
		fds[i] = kt_open("writers/1/log", O_RDONLY);
		ASSERT_LE(0, fds[i]);
		ASSERT_EQ(1, read(fds[i], &c, 1));
		ASSERT_EQ('l', c);
	}
	mem1 = kt_cgroup_mem();
	for (i = 0; i < nfd; i++)
		close(fds[i]);
	kt_cgroup_leave();
	TH_LOG("%d open log files, one byte read from each: %+lld kB charged (%.1f pages per file; memcg charges in batches of up to 64 pages per CPU)",
	       nfd, (mem1 - mem0) / 1024, (double)(mem1 - mem0) / page / nfd);
	ASSERT_LE(0, mem0);
	/* A page each, their struct file and seq_file, and memcg's batches. */
	EXPECT_GT((nfd * 3 + 128) * page, mem1 - mem0);
}

/* A bad user pointer is EFAULT on every writable file, and changes
 * nothing: no writer, message, period, compactor run or leak.
 */
TEST_F(ktlife, bad_pointer_is_efault_everywhere)
{
	static const char *const files[] = {
		"create", "stop", "park", "unpark", "compactor/period_ms",
		"compactor/kick", "writers/1/queue", "bugs/unreaped",
		"bugs/leak",
	};
	const void *bad = kt_bad_pointer();
	unsigned int i;
	ssize_t n;
	int fd;

	ASSERT_EQ(0, kt_write("create", "1"));
	for (i = 0; i < ARRAY_SIZE(files); i++) {
		char path[128];

		snprintf(path, sizeof(path), "%s/%s", KT_DEBUGFS, files[i]);
		fd = open(path, O_WRONLY | O_CLOEXEC);
		ASSERT_LE(0, fd);
		n = write(fd, bad, 2);
		EXPECT_EQ(-1, n) TH_LOG("%s", files[i]);
		EXPECT_EQ(EFAULT, errno) TH_LOG("%s", files[i]);
		close(fd);
	}
	EXPECT_EQ(1, kt_field("status", "total", NULL, "writers"));
	EXPECT_EQ(0, kt_stat("writers/1/stats", "enqueued"));
	EXPECT_EQ(60000, kt_stat("compactor/stats", "period_ms"));
	EXPECT_EQ(0, kt_stat("compactor/stats", "runs"));
	EXPECT_EQ(0, kt_count_threads("ktlife/unreaped"));
}

/* "status" shows every thread: its pid, its comm, its state. Idle writers
 * sleep in TASK_IDLE ("I"), not in a poll loop.
 */
TEST_F(ktlife, status_shows_every_thread)
{
	char buf[4096];
	unsigned int id;

	for (id = 10; id < 13; id++)
		ASSERT_EQ(0, kt_writef("create", "%u", id));
	kt_sleep_ms(200);
	for (id = 10; id < 13; id++) {
		char comm[16];
		long long pid;

		snprintf(comm, sizeof(comm), "ktlife/w%u", id);
		pid = kt_field("status", "writer", id_match(id), "pid");
		EXPECT_EQ(kt_find_thread(comm), pid);
	}
	EXPECT_EQ(3, kt_field("status", "total", NULL, "writers"));
	EXPECT_EQ(kt_find_thread("ktlife/compact"),
		  kt_field("status", "compactor", NULL, "pid"));
	EXPECT_EQ(3, kt_count_threads("ktlife/w"));
	ASSERT_LT(0, kt_read("status", buf, sizeof(buf)));
	EXPECT_EQ(NULL, strstr(buf, "task=R")) TH_LOG("%s", buf);
	EXPECT_NE(NULL, strstr(buf, "task=I")) TH_LOG("%s", buf);
}

/* Compactor stop latency: with a 60 s period, the stop-aware wait stops
 * in well under a second; the naive sleep loop waits its period out. The
 * sleep period is 5 s, not 60: rmmod waits in kthread_stop() in D state,
 * and the debug kernel's 30 s hung-task detector would rightly report it.
 */
TEST_F(own, compactor_stop_wait_vs_sleep)
{
	double wait_ms, sleep_ms;

	ASSERT_EQ(0, kt_load("compactor=wait period_ms=60000"));
	kt_sleep_ms(300);
	ASSERT_EQ(0, kt_unload_timed(&wait_ms));

	ASSERT_EQ(0, kt_load("compactor=sleep period_ms=5000"));
	/* Its period is capped: rmmod and suspend wait it out. */
	EXPECT_EQ(-EINVAL, kt_write("compactor/period_ms", "10001"));
	EXPECT_EQ(5000, kt_stat("compactor/stats", "period_ms"));
	kt_sleep_ms(300);
	ASSERT_EQ(0, kt_unload_timed(&sleep_ms));

	TH_LOG("stop latency: wait mode %.0f ms (period 60 s), sleep mode %.0f ms (period 5 s)",
	       wait_ms, sleep_ms);
	EXPECT_GT(1000, wait_ms);
	EXPECT_LT(3000, sleep_ms);
	EXPECT_EQ(0, kt_count_threads_after_stop(KT_THREAD_PREFIX));
}

/* Unload with busy writers (full fifos, some parked, some draining) stops
 * every thread and leaks nothing kmemleak can see (on the debug kernel).
 */
/* kmemleak's check waits out its 5 s minimum object age, then scans twice. */
TEST_F_TIMEOUT(own_kmemleak, unload_busy_writers_leaves_nothing, 60)
{
	struct kt_sent s = {};
	unsigned int id;

	ASSERT_EQ(0, kt_load("period_ms=10 fifo_size=4096"));
	for (id = 0; id < 16; id++) {
		ASSERT_EQ(0, kt_writef("create", "%u", id));
		ASSERT_EQ(0, kt_writef("park", "%u", id));
		ASSERT_EQ(0, kt_fill(id, &s));
	}
	/* Half of them drain during the unload, half are still parked. */
	for (id = 0; id < 16; id += 2)
		ASSERT_EQ(0, kt_writef("unpark", "%u", id));
	EXPECT_EQ(16, kt_count_threads("ktlife/w"));
	ASSERT_EQ(0, kt_unload());
	EXPECT_FALSE(kt_loaded());
	/* The teardown: threads, module, task_structs, and kmemleak. */
}

TEST_HARNESS_MAIN

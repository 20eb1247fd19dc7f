// SPDX-License-Identifier: GPL-2.0
/*
 * The level-0 lesson, module/first/ktlife_first.c, kept honest: load it,
 * feed its worker, stop both threads by unloading, and find nothing left
 * (ktleak: no thread, no module reference, no task_struct; kmemleak on the
 * debug kernel). Its ticker that returns on its own is reaped safely
 * through the reference init took, and a stop never waits out a period.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ktleak.h"
#include "ktlife_util.h"

#define FIRST "ktlife_first"
#define FIRST_DIR "/sys/kernel/debug/ktlife_first"

FIXTURE(first) {
	struct ktleak_snap *leak;
};

FIXTURE_SETUP(first)
{
	struct ktleak_opts o = {
		.module = FIRST, .prefix = FIRST "/", .slack = 0,
		.timeout_ms = 5000, .out = stdout,
	};

	if (getuid())
		SKIP(return, "needs root");
	if (kt_module_loaded(FIRST))
		ASSERT_EQ(0, kt_unload_module(FIRST));
	self->leak = ktleak_snapshot(&o);
	ASSERT_NE(NULL, self->leak);
}

FIXTURE_TEARDOWN(first)
{
	struct ktleak_opts o = {
		.module = FIRST, .prefix = FIRST "/", .slack = 0,
		.timeout_ms = 5000, .out = stdout,
	};

	if (kt_module_loaded(FIRST))
		EXPECT_EQ(0, kt_unload_module(FIRST));
	/* Threads, the module's refcount, task_structs, kmemleak. */
	EXPECT_EQ(0, ktleak_check(&o, self->leak));
}

static long long first_stat(const char *key)
{
	return kt_stat(FIRST_DIR "/stats", key);
}

/* Load, feed, unload: every message processed, both threads gone. */
TEST_F_TIMEOUT(first, feed_then_unload, 60)
{
	long long bytes = 0;
	char msg[64];
	double end;
	int i, n;

	ASSERT_EQ(0, kt_load_module(FIRST, NULL));
	EXPECT_NE(0, kt_find_thread(FIRST "/w"));
	EXPECT_NE(0, kt_find_thread(FIRST "/t"));
	for (i = 0; i < 200; i++) {
		n = snprintf(msg, sizeof(msg), "message %d", i);
		/* The fifo may be full for a moment: this sample never blocks. */
		while (kt_write_n(FIRST_DIR "/feed", msg, n) == -EAGAIN)
			kt_sleep_ms(1);
		bytes += n;
	}
	EXPECT_EQ(-EMSGSIZE, kt_write_n(FIRST_DIR "/feed", msg, 0));
	memset(msg, 'x', sizeof(msg));
	EXPECT_EQ(-EMSGSIZE, kt_write_n(FIRST_DIR "/feed", msg, 65));
	end = kt_now_ms() + 5000;
	while (first_stat("processed") < 200 && kt_now_ms() < end)
		kt_sleep_ms(10);
	EXPECT_EQ(200, first_stat("processed"));
	EXPECT_EQ(bytes, first_stat("bytes"));
	ASSERT_EQ(0, kt_unload_module(FIRST));
	EXPECT_EQ(0, kt_count_threads_after_stop(FIRST "/"));
}

/* Feed right up to the unload: the stop may come while the worker is
 * between two drains, with messages queued since the last one; it must
 * still process every message fed before the stop. The totals are those
 * the module prints at unload, after both threads returned.
 */
TEST_F_TIMEOUT(first, everything_fed_before_unload_is_processed, 60)
{
	char msg[64], log[8192], *p;
	long long fed = 0, done = -1;
	int i, n, kmsg;

	kmsg = kt_kmsg_open();
	ASSERT_LE(0, kmsg);
	ASSERT_EQ(0, kt_load_module(FIRST, NULL));
	for (i = 0; i < 100; i++) {
		n = snprintf(msg, sizeof(msg), "message %d", i);
		while (kt_write_n(FIRST_DIR "/feed", msg, n) == -EAGAIN)
			kt_sleep_ms(1);
		fed++;
	}
	ASSERT_EQ(0, kt_unload_module(FIRST));
	kt_kmsg_read(kmsg, log, sizeof(log));
	close(kmsg);
	p = strstr(log, FIRST ": processed ");
	ASSERT_NE(NULL, p) {
		TH_LOG("no totals at unload in: %s", log);
	}
	done = atoll(p + strlen(FIRST ": processed "));
	TH_LOG("fed %lld messages up to the unload, %lld processed", fed,
	       done);
	EXPECT_EQ(fed, done);
}

/* ticks=3: the ticker returns on its own, and is gone well before the
 * unload; kthread_stop() then reaps a task that exited long ago, safe only
 * through the reference init took (KASAN would see the use-after-free).
 */
TEST_F_TIMEOUT(first, ticker_returns_on_its_own, 60)
{
	pid_t ticker;

	/*
	 * 3 s of ticks: long enough to find the ticker before it returns,
	 * even on the slowest guest (arm64 + KASAN under TCG: insmod takes
	 * half a second there, the /proc scan as much again).
	 */
	ASSERT_EQ(0, kt_load_module(FIRST, "ticks=3 period_ms=1000"));
	ticker = kt_find_thread(FIRST "/t");
	ASSERT_NE(0, ticker);
	ASSERT_EQ(0, kt_count_threads_settled(FIRST "/t", 0, 10000));
	EXPECT_EQ(3, first_stat("ticks"));
	/* Past a grace period: without the reference, the task is freed. */
	kt_sleep_ms(500);
	ASSERT_EQ(0, kt_unload_module(FIRST));
	EXPECT_EQ(0, kt_count_threads_after_stop(FIRST "/"));
}

/* A one-minute period, and unload takes well under a second: the stop is
 * in the timed wait's condition.
 */
TEST_F_TIMEOUT(first, stop_does_not_wait_out_a_period, 120)
{
	double ms;

	ASSERT_EQ(0, kt_load_module(FIRST, "period_ms=60000"));
	kt_sleep_ms(200);
	ms = kt_now_ms();
	ASSERT_EQ(0, kt_unload_module(FIRST));
	ms = kt_now_ms() - ms;
	TH_LOG("unload with a 60 s period: %.0f ms", ms);
	EXPECT_GT(1000, ms);
}

TEST_HARNESS_MAIN

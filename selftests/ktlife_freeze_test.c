// SPDX-License-Identifier: GPL-2.0
/*
 * Suspend readiness: ktlife's threads let the freezer do its job.
 *
 * The compactor is freezable (kcompactd's choice) and must freeze where it
 * sleeps; writers are not freezable and must not get in the way, not even
 * a parked one; a feeder blocked in write() is frozen like any user task
 * and its write() must restart after the thaw, not fail or half-happen.
 * With /sys/power/pm_test = "freezer" a suspend stops right after freezing
 * every task and thaws them again: no device, firmware or wake-up source is
 * involved, so this runs in any VM whose kernel has CONFIG_PM_DEBUG.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ktlife_util.h"

#define PM_TEST		"/sys/power/pm_test"
#define PM_STATE	"/sys/power/state"
#define PM_TEST_DELAY	"/sys/module/suspend/parameters/pm_test_delay"

FIXTURE(freeze) {
	struct ktleak_snap *leak;
	char delay[16];
};

FIXTURE_SETUP(freeze)
{
	char buf[256];

	if (access(PM_TEST, W_OK) || kt_read(PM_STATE, buf, sizeof(buf)) <= 0 ||
	    !strstr(buf, "freeze"))
		SKIP(return, "no pm_test or no suspend-to-idle in this kernel");
	/* The compactor often awake: it must freeze even so. */
	KT_SETUP(&self->leak, "period_ms=50 fifo_size=4096");
	/* No need to sit 5 s in the frozen state (pm_test's default). */
	self->delay[0] = '\0';
	if (kt_read(PM_TEST_DELAY, self->delay, sizeof(self->delay)) > 0)
		ASSERT_EQ(0, kt_write(PM_TEST_DELAY, "0"));
}

FIXTURE_TEARDOWN(freeze)
{
	kt_write(PM_TEST, "none");
	if (self->delay[0])
		kt_write(PM_TEST_DELAY, self->delay);
	EXPECT_EQ(0, kt_finish(self->leak, false));
}

/* 60 s: a freezer that gives up does so after its own 20 s. */
TEST_F_TIMEOUT(freeze, writers_and_feeders_survive_a_freeze_cycle, 60)
{
	struct kt_sent s1 = {}, s2 = {};
	long long runs;
	char log[65536];
	double t;
	pid_t child;
	int fd, ret, i;

	/* Writer 1 busy; writer 2 parked, full, with a feeder blocked. */
	ASSERT_EQ(0, kt_write("create", "1"));
	ASSERT_EQ(0, kt_write("create", "2"));
	ASSERT_EQ(0, kt_feed_n(1, &s1, 50));
	ASSERT_EQ(0, kt_feed_n(2, &s2, 1));
	ASSERT_EQ(0, kt_wait_processed(2, 1, 10000));
	child = kt_park_fill_block(2, &s2);
	ASSERT_LT(0, child) {
		TH_LOG("the feeder did not block");
	}

	fd = kt_kmsg_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, kt_write(PM_TEST, "freezer"));
	t = kt_now_ms();
	ret = kt_write(PM_STATE, "freeze");
	t = kt_now_ms() - t;
	ASSERT_EQ(0, kt_write(PM_TEST, "none"));
	kt_kmsg_read(fd, log, sizeof(log));
	close(fd);
	TH_LOG("freeze cycle (pm_test=freezer): %s in %.0f ms",
	       ret ? strerror(-ret) : "ok", t);
	EXPECT_EQ(0, ret);
	/* Both freezer phases ran: user space, then freezable kthreads. */
	EXPECT_NE(NULL, strstr(log, "Freezing user space processes"));
	EXPECT_NE(NULL, strstr(log, "Freezing remaining freezable tasks"));
	/* 6.1: "Freezing of tasks failed after", 6.12: "Freezing %s failed after" */
	EXPECT_EQ(NULL, strstr(log, " failed after "));
	EXPECT_EQ(NULL, strstr(log, "refusing to freeze"));

	/* The feeder's write() restarts after the thaw and completes. */
	EXPECT_EQ(-1, kt_wait_child(child, 200)) {
		TH_LOG("the feeder left write() while writer 2 was parked");
	}
	ASSERT_EQ(0, kt_write("unpark", "2"));
	EXPECT_EQ(0, kt_wait_child(child, 10000));
	s2.crc = kt_crc32(s2.crc, "blocked", 7);
	s2.bytes += 7;
	s2.n++;

	/* Everything is processed, in order, nothing lost or doubled. */
	ASSERT_EQ(0, kt_feed_n(1, &s1, 50));
	ASSERT_EQ(0, kt_wait_processed(1, s1.n, 20000));
	ASSERT_EQ(0, kt_wait_processed(2, s2.n, 20000));
	EXPECT_EQ(s1.n, kt_stat("writers/1/stats", "processed"));
	EXPECT_EQ(s1.crc, kt_stat("writers/1/stats", "crc32"));
	EXPECT_EQ(s2.n, kt_stat("writers/2/stats", "enqueued"));
	EXPECT_EQ(s2.n, kt_stat("writers/2/stats", "processed"));
	EXPECT_EQ(s2.bytes, kt_stat("writers/2/stats", "bytes"));
	EXPECT_EQ(s2.crc, kt_stat("writers/2/stats", "crc32"));

	/* The compactor was thawed too: it runs again. */
	runs = kt_stat("compactor/stats", "runs");
	for (i = 0; i < 500 && kt_stat("compactor/stats", "runs") == runs; i++)
		kt_sleep_ms(10);
	EXPECT_LT(runs, kt_stat("compactor/stats", "runs"));
}

TEST_HARNESS_MAIN

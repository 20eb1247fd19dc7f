// SPDX-License-Identifier: GPL-2.0
/*
 * Observability: ktlife's trace events and its dynamic-debug messages.
 *
 * A test records one lifecycle with the events under events/ktlife/ and
 * checks that every step was traced, once, with the right values, in an
 * order that causality dictates (the global trace clock makes events of
 * different CPUs comparable). Another drives Debian's trace-cmd, if the VM
 * has it, and the last switches on ktlife's pr_debug() sites.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ktlife_util.h"

#define MAX_EVENTS 256
#define TRACE_BUF (1 << 20)

/* One "name: args" event line, args with a space at each end. */
struct event {
	char name[32];
	char args[192];
};

static struct event events[MAX_EVENTS];
static int nr_events;

/* Keep the ktlife_* lines of a "trace" file, in their order. */
static void parse_trace(const char *buf)
{
	const char *line, *ev, *colon, *end;

	nr_events = 0;
	for (line = buf; *line && nr_events < MAX_EVENTS; line = end) {
		end = strchrnul(line, '\n');
		if (*end)
			end++;
		ev = strstr(line, ": ktlife_");
		if (!ev || ev > end)
			continue;
		ev += 2;
		colon = strchr(ev, ':');
		if (!colon || colon > end)
			continue;
		snprintf(events[nr_events].name, sizeof(events[0].name),
			 "%.*s", (int)(colon - ev), ev);
		snprintf(events[nr_events].args, sizeof(events[0].args),
			 "%.*s ", (int)(strcspn(colon + 1, "\n")), colon + 1);
		nr_events++;
	}
}

/* Index of the first event at or after from named name with match in its
 * arguments (" id=3 " and the like), or -1.
 */
static int find(int from, const char *name, const char *match)
{
	int i;

	for (i = from < 0 ? 0 : from; i < nr_events; i++)
		if (!strcmp(events[i].name, name) &&
		    strstr(events[i].args, match))
			return i;
	return -1;
}

/* How many events carry match in their arguments. */
static int count(const char *match)
{
	int i, n = 0;

	for (i = 0; i < nr_events; i++)
		n += !!strstr(events[i].args, match);
	return n;
}

static int record_end(void)
{
	char *buf = malloc(TRACE_BUF);
	ssize_t n;

	if (!buf)
		return -ENOMEM;
	n = kt_trace_end(buf, TRACE_BUF);
	if (n >= 0)
		parse_trace(buf);
	free(buf);
	return n < 0 ? (int)n : 0;
}

static int feed_text(unsigned int id, const char *text, bool nonblock)
{
	return kt_feed(id, text, strlen(text), nonblock);
}

FIXTURE(trace) {
	struct ktleak_snap *leak;
};

FIXTURE_SETUP(trace)
{
	/* retain=1: a kicked compactor reclaims a known number of bytes. */
	KT_SETUP(&self->leak, "period_ms=60000 retain=1");
	if (!kt_tracefs())
		SKIP(return, "no tracefs with events/ktlife in this kernel");
}

FIXTURE_TEARDOWN(trace)
{
	EXPECT_EQ(0, kt_finish(self->leak, false));
}

/*
 * create, start, three messages in and out, a compactor run, a graceful
 * stop and the exit: each traced once, with its values, in causal order.
 */
TEST_F(trace, lifecycle_events_in_order)
{
	static const char * const msgs[] = { "alpha", "beta", "gamma" };
	long long runs, reclaimed, pid;
	int create, start, stop, exit_ev, compact, enq[3], proc[3], k;
	char match[96];

	ASSERT_EQ(0, kt_trace_begin());
	ASSERT_EQ(0, kt_write("create", "3"));
	for (k = 0; k < 3; k++)
		ASSERT_EQ(0, feed_text(3, msgs[k], false));
	ASSERT_EQ(0, kt_wait_processed(3, 3, 10000));
	pid = kt_field("status", "writer", " id=3 ", "pid");
	ASSERT_LT(0, pid);

	/* retain=1: the run frees the two oldest records, "alpha" + "beta". */
	runs = kt_stat("compactor/stats", "runs");
	reclaimed = kt_stat("compactor/stats", "reclaimed_bytes");
	ASSERT_EQ(0, kt_write("compactor/kick", "1"));
	for (k = 0; k < 500 && kt_stat("compactor/stats", "runs") == runs; k++)
		kt_sleep_ms(10);
	ASSERT_EQ(runs + 1, kt_stat("compactor/stats", "runs"));
	ASSERT_EQ(reclaimed + 9, kt_stat("compactor/stats", "reclaimed_bytes"));

	ASSERT_EQ(0, kt_write("stop", "3"));
	ASSERT_EQ(0, record_end());

	snprintf(match, sizeof(match), " id=3 pid=%lld leaky=0 ", pid);
	create = find(0, "ktlife_writer_create", match);
	start = find(0, "ktlife_writer_start", " id=3 ");
	stop = find(0, "ktlife_writer_stop", " id=3 mode=graceful ");
	exit_ev = find(0, "ktlife_writer_exit",
		       " id=3 ret=0 enqueued=3 processed=3 discarded=0 ");
	snprintf(match, sizeof(match), " run=%lld reclaimed=9 ", runs + 1);
	compact = find(0, "ktlife_compact", match);
	for (k = 0; k < 3; k++) {
		snprintf(match, sizeof(match), " id=3 seq=%d len=%zu ", k + 1,
			 strlen(msgs[k]));
		enq[k] = find(0, "ktlife_msg_enqueue", match);
		proc[k] = find(0, "ktlife_msg_process", match);
		TH_LOG("message %d: enqueue event %d, process event %d", k + 1,
		       enq[k], proc[k]);
	}
	TH_LOG("events: create %d start %d compact %d stop %d exit %d of %d",
	       create, start, compact, stop, exit_ev, nr_events);

	ASSERT_LE(0, create);
	EXPECT_LT(create, start);
	for (k = 0; k < 3; k++) {
		/* Fed after the create; taken by the thread after its start,
		 * one by one in order, all before the stop was asked for.
		 */
		EXPECT_LT(create, enq[k]);
		EXPECT_LT(start, proc[k]);
		if (k) {
			EXPECT_LT(enq[k - 1], enq[k]);
			EXPECT_LT(proc[k - 1], proc[k]);
		}
		EXPECT_LT(proc[k], stop);
	}
	EXPECT_LT(proc[2], compact);
	EXPECT_LT(compact, stop);
	EXPECT_LT(stop, exit_ev);
	/* Each step once: 1 create + 1 start + 3 in + 3 out + stop + exit. */
	EXPECT_EQ(10, count(" id=3 "));
}

/*
 * The stop and exit events tell the modes apart: "now" on a parked writer
 * discards what waits; after "close" the thread returns on its own: its
 * own ktlife_writer_return comes before the reaper's exit (ret 0).
 */
TEST_F(trace, stop_modes_in_exit_events)
{
	ASSERT_EQ(0, kt_trace_begin());
	ASSERT_EQ(0, kt_write("create", "4"));
	/* Let it run once first, so that it parks inside writer_thread(). */
	ASSERT_EQ(0, feed_text(4, "first", false));
	ASSERT_EQ(0, kt_wait_processed(4, 1, 10000));
	ASSERT_EQ(0, kt_write("park", "4"));
	ASSERT_EQ(0, feed_text(4, "lost-1", true));
	ASSERT_EQ(0, feed_text(4, "lost-2", true));
	ASSERT_EQ(0, kt_write("stop", "4 now"));

	ASSERT_EQ(0, kt_write("create", "5"));
	ASSERT_EQ(0, feed_text(5, "kept", false));
	ASSERT_EQ(0, kt_write("stop", "5 close"));
	ASSERT_EQ(0, record_end());

	EXPECT_LT(find(0, "ktlife_writer_stop", " id=4 mode=now "),
		  find(0, "ktlife_writer_exit",
		       " id=4 ret=0 enqueued=3 processed=1 discarded=2 "));
	EXPECT_LE(0, find(0, "ktlife_writer_stop", " id=4 mode=now "));
	EXPECT_LT(find(0, "ktlife_writer_stop", " id=5 mode=close "),
		  find(0, "ktlife_writer_return", " id=5"));
	EXPECT_LT(find(0, "ktlife_writer_return", " id=5"),
		  find(0, "ktlife_writer_exit",
		       " id=5 ret=0 enqueued=1 processed=1 discarded=0 "));
	EXPECT_LE(0, find(0, "ktlife_writer_return", " id=5"));
	EXPECT_LE(0, find(0, "ktlife_writer_stop", " id=5 mode=close "));
	/* Nothing processed on 4 after the park: seq 2 and 3 never came. */
	EXPECT_EQ(-1, find(0, "ktlife_msg_process", " id=4 seq=2 "));
}

/* Run a shell command; its exit status, or -1. */
static int sh(const char *cmd)
{
	int status = system(cmd);

	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Debian's trace-cmd records the same lifecycle (the VM stages it). */
TEST_F(trace, trace_cmd_records_lifecycle)
{
	/* One lifecycle of writer 6, as the command trace-cmd runs. */
	static const char lifecycle[] =
		"echo 6 > create && printf hello > writers/6/queue && echo 6 > stop";
	char buf[8192], cmd[512];
	const char *exit_event;

	if (sh("command -v trace-cmd >/dev/null 2>&1"))
		SKIP(return, "no trace-cmd in PATH");
	snprintf(cmd, sizeof(cmd),
		 "trace-cmd record -q -O norecord-cmd -e ktlife -o /tmp/ktlife.dat sh -c 'cd %s && %s' >/dev/null 2>&1",
		 KT_DEBUGFS, lifecycle);
	ASSERT_EQ(0, sh(cmd));
	ASSERT_EQ(0, sh("trace-cmd report -i /tmp/ktlife.dat > /tmp/ktlife.txt 2>/dev/null"));
	ASSERT_LT(0, kt_read("/tmp/ktlife.txt", buf, sizeof(buf)));
	unlink("/tmp/ktlife.dat");
	unlink("/tmp/ktlife.txt");
	parse_trace(buf);
	TH_LOG("trace-cmd report: %d ktlife events", nr_events);
	EXPECT_LE(0, find(0, "ktlife_writer_create", " id=6 "));
	EXPECT_LT(find(0, "ktlife_writer_create", " id=6 "),
		  find(0, "ktlife_msg_enqueue", " id=6 seq=1 len=5 "));
	EXPECT_LT(find(0, "ktlife_msg_enqueue", " id=6 seq=1 len=5 "),
		  find(0, "ktlife_writer_stop", " id=6 mode=graceful "));
	/*
	 * The stop may come before the thread ever ran (about one run in
	 * three here): then there is no start event, kthread_stop() returns
	 * -EINTR, and the reaper processed the message itself. Either way
	 * nothing is lost.
	 */
	if (find(0, "ktlife_writer_start", " id=6 ") >= 0)
		exit_event = " id=6 ret=0 enqueued=1 processed=1 discarded=0 ";
	else
		exit_event = " id=6 ret=-4 enqueued=1 processed=1 discarded=0 ";
	EXPECT_LT(find(0, "ktlife_writer_stop", " id=6 mode=graceful "),
		  find(0, "ktlife_writer_exit", exit_event)) {
		TH_LOG("no exit event \"%s\" after the stop", exit_event);
	}
}

#define DYNDBG "/sys/kernel/debug/dynamic_debug/control"

/*
 * "module ktlife +p" turns on the pr_debug() sites: creation, park and
 * unpark, each stop with its counts, each compactor run. Off again, they
 * print nothing.
 */
TEST_F(trace, dyndbg_enables_pr_debug)
{
	char buf[16384];
	int fd;

	if (access(DYNDBG, W_OK))
		SKIP(return, "no dynamic debug in this kernel");
	fd = kt_kmsg_open();
	ASSERT_LE(0, fd);

	ASSERT_EQ(0, kt_write(DYNDBG, "module ktlife +p"));
	ASSERT_EQ(0, kt_write("create", "8"));
	ASSERT_EQ(0, kt_write("park", "8"));
	ASSERT_EQ(0, kt_write("unpark", "8"));
	ASSERT_EQ(0, feed_text(8, "x", false));
	ASSERT_EQ(0, kt_write("stop", "8"));
	ASSERT_EQ(0, kt_write(DYNDBG, "module ktlife -p"));
	/* Off: this one must not print. */
	ASSERT_EQ(0, kt_write("create", "9"));
	ASSERT_EQ(0, kt_write("stop", "9"));

	kt_kmsg_read(fd, buf, sizeof(buf));
	close(fd);
	EXPECT_NE(NULL, strstr(buf, "ktlife: w8: created, pid "));
	EXPECT_NE(NULL, strstr(buf, "ktlife: w8: parked"));
	EXPECT_NE(NULL, strstr(buf, "ktlife: w8: unparked"));
	EXPECT_NE(NULL, strstr(buf, "ktlife: w8: stopped (graceful), thread returned 0, 1 enqueued, 1 processed, 0 discarded"));
	EXPECT_EQ(NULL, strstr(buf, "ktlife: w9:"));
}

TEST_HARNESS_MAIN

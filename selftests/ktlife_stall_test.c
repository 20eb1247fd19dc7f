// SPDX-License-Identifier: GPL-2.0
/*
 * Userspace that stalls the kernel inside a user memory access must stall
 * nobody but itself. A userfaultfd page holds a feeder inside the
 * copy_from_user() of its write(), or a reader inside the copy_to_user()
 * of its read(), for as long as the test likes; meanwhile every other
 * operation, the stop of the stalled reader's own writer included, must
 * complete within LIMIT_MS. Then the page arrives and the stalled call
 * completes with exactly what it should. And kill -9 ends a caller stuck
 * in any of ktlife's waits.
 *
 * Each timed operation runs in a child process, so that a test of a
 * module that does block (one that holds a lock across the copy) fails
 * after LIMIT_MS instead of hanging: the stall is released either way.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ktlife_util.h"

#define LIMIT_MS 2000

/* One operation: write text to file, or read file if text is NULL. */
struct op {
	const char *file;
	const char *text;
};

struct op_result {
	double ms;
	int ret;
};

/*
 * Runs ops one after the other in a child; collects each result as it
 * comes, giving each LIMIT_MS. Returns how many completed in time.
 */
static int run_ops(const struct op *ops, int n, struct op_result *res,
		   pid_t *child)
{
	struct pollfd p = { .events = POLLIN };
	int fds[2], i;

	if (pipe(fds))
		return -1;
	*child = fork();
	if (*child == 0) {
		static char buf[65536];

		close(fds[0]);
		for (i = 0; i < n; i++) {
			struct op_result r;
			double t0 = kt_now_ms();
			ssize_t got = 0;

			if (ops[i].text)
				r.ret = kt_write(ops[i].file, ops[i].text);
			else
				got = kt_read(ops[i].file, buf, sizeof(buf));
			if (!ops[i].text)
				r.ret = got < 0 ? got : 0;
			r.ms = kt_now_ms() - t0;
			if (write(fds[1], &r, sizeof(r)) != sizeof(r))
				_exit(1);
		}
		_exit(0);
	}
	close(fds[1]);
	p.fd = fds[0];
	for (i = 0; i < n; i++) {
		if (poll(&p, 1, LIMIT_MS) != 1 ||
		    read(fds[0], &res[i], sizeof(res[i])) != sizeof(res[i]))
			break;
	}
	close(fds[0]);
	return i;
}

static void check_ops(struct __test_metadata *_metadata, const struct op *ops,
		      int n, const struct op_result *res, int done)
{
	int i;

	for (i = 0; i < n; i++) {
		const char *what = ops[i].text ? ops[i].text : "(read)";

		if (i >= done) {
			TH_LOG("%s %s: still blocked after %d ms", ops[i].file,
			       what, LIMIT_MS);
			EXPECT_LT(i, done);
			return;
		}
		TH_LOG("%s %s: %.1f ms, %s", ops[i].file, what, res[i].ms,
		       res[i].ret ? strerror(-res[i].ret) : "ok");
		EXPECT_EQ(0, res[i].ret);
		EXPECT_GT(LIMIT_MS, res[i].ms);
	}
}

/*
 * A read(), write() or getdents64() done by a thread, so that it can stall
 * on our page.
 */
struct stalled_io {
	pthread_t thread;
	int fd;
	bool write;
	bool dents;
	void *buf;
	size_t len;
	ssize_t ret;
	bool done;
};

static void *stalled_io_fn(void *arg)
{
	struct stalled_io *io = arg;
	ssize_t n;

	if (io->dents)
		n = syscall(SYS_getdents64, io->fd, io->buf, io->len);
	else if (io->write)
		n = write(io->fd, io->buf, io->len);
	else
		n = read(io->fd, io->buf, io->len);
	io->ret = n < 0 ? -errno : n;
	__atomic_store_n(&io->done, true, __ATOMIC_RELEASE);
	return NULL;
}

static bool io_done(struct stalled_io *io)
{
	return __atomic_load_n(&io->done, __ATOMIC_ACQUIRE);
}

FIXTURE(stall) {
	struct ktleak_snap *leak;
	struct kt_stall stall;
};

FIXTURE_SETUP(stall)
{
	self->leak = NULL;
	self->stall.uffd = -1;
	self->stall.page = MAP_FAILED;
	/* The sysctl exists exactly when the kernel has userfaultfd. */
	if (access("/proc/sys/vm/unprivileged_userfaultfd", F_OK))
		SKIP(return, "no userfaultfd in this kernel (CONFIG_USERFAULTFD)");
	/* A long period: the kick below is the only compactor run. */
	KT_SETUP(&self->leak, "period_ms=3600000 fifo_size=4096");
	ASSERT_EQ(0, kt_stall_init(&self->stall));
}

FIXTURE_TEARDOWN(stall)
{
	kt_stall_fini(&self->stall);
	if (self->leak)
		EXPECT_EQ(0, kt_finish(self->leak, false));
}

/* A feeder sits in copy_from_user(): everything else goes on, and the
 * stalled message is processed, CRC-32 included, once its page arrives.
 */
TEST_F(stall, feeder_stalled_in_page_fault)
{
	static const struct op ops[] = {
		{ "status", NULL },
		{ "writers/2/stats", NULL },
		{ "create", "3" },
		{ "stop", "2" },
		{ "compactor/kick", "1" },
		{ "park", "3" },
		{ "unpark", "3" },
		{ "reaped", NULL },
	};
	const int n = ARRAY_SIZE(ops);
	struct stalled_io io = { .write = true, .len = 100 };
	struct op_result res[ARRAY_SIZE(ops)];
	struct kt_sent sent = {};
	char content[65536];
	bool was_stalled;
	int done;
	pid_t child;

	ASSERT_EQ(0, kt_write("create", "1"));
	ASSERT_EQ(0, kt_write("create", "2"));
	ASSERT_EQ(0, kt_feed_n(2, &sent, 3));
	io.fd = open(KT_DEBUGFS "/writers/1/queue", O_WRONLY | O_CLOEXEC);
	ASSERT_LE(0, io.fd);
	io.buf = self->stall.page;
	ASSERT_EQ(0, pthread_create(&io.thread, NULL, stalled_io_fn, &io));
	ASSERT_EQ(0, kt_stall_wait(&self->stall, 5000));

	done = run_ops(ops, n, res, &child);
	was_stalled = !io_done(&io);
	memset(content, 's', self->stall.size);
	ASSERT_EQ(0, kt_stall_release(&self->stall, content));
	pthread_join(io.thread, NULL);
	waitpid(child, NULL, 0);
	close(io.fd);

	check_ops(_metadata, ops, n, res, done);
	EXPECT_TRUE(was_stalled);
	EXPECT_EQ(100, io.ret);
	ASSERT_EQ(0, kt_wait_processed(1, 1, 5000));
	EXPECT_EQ(1, kt_stat("writers/1/stats", "enqueued"));
	EXPECT_EQ(kt_crc32(0, content, 100),
		  kt_stat("writers/1/stats", "crc32"));
	EXPECT_EQ(1, kt_stat("compactor/stats", "runs"));
	EXPECT_EQ(sent.crc, kt_field("reaped", "reaped", " id=2 ", "crc32"));
	EXPECT_EQ(2, kt_field("status", "total", NULL, "writers"));
}

/* A reader of writers/1/log sits in copy_to_user() while writer 1 is
 * stopped: the stop does not wait for it, nor does anything else; the
 * read then returns the whole log.
 */
TEST_F(stall, log_reader_stalled_while_stopped)
{
	static const struct op ops[] = {
		{ "stop", "1" },
		{ "status", NULL },
		{ "create", "2" },
		{ "stop", "2" },
		{ "compactor/kick", "1" },
		{ "create", "1" },
	};
	const int n = ARRAY_SIZE(ops);
	static const char zeros[65536];
	struct stalled_io io = { .write = false };
	struct op_result res[ARRAY_SIZE(ops)];
	char want[8192] = "", msg[KT_MAX_MSG + 1];
	struct kt_sent sent = {};
	bool was_stalled;
	unsigned int i;
	int done;
	pid_t child;

	ASSERT_EQ(0, kt_write("create", "1"));
	ASSERT_EQ(0, kt_feed_n(1, &sent, 5));
	ASSERT_EQ(0, kt_wait_processed(1, 5, 5000));
	for (i = 0; i < 5; i++) {
		strncat(want, msg, kt_message(i, msg, KT_MAX_MSG));
		strcat(want, "\n");
	}
	ASSERT_GT(self->stall.size, strlen(want));
	io.fd = open(KT_DEBUGFS "/writers/1/log", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, io.fd);
	io.buf = self->stall.page;
	io.len = self->stall.size;
	ASSERT_EQ(0, pthread_create(&io.thread, NULL, stalled_io_fn, &io));
	ASSERT_EQ(0, kt_stall_wait(&self->stall, 5000));

	done = run_ops(ops, n, res, &child);
	was_stalled = !io_done(&io);
	/* Any content: the read's copy_to_user() overwrites it. */
	ASSERT_EQ(0, kt_stall_release(&self->stall, zeros));
	pthread_join(io.thread, NULL);
	waitpid(child, NULL, 0);

	check_ops(_metadata, ops, n, res, done);
	EXPECT_TRUE(was_stalled);
	EXPECT_EQ((ssize_t)strlen(want), io.ret);
	EXPECT_EQ(0, memcmp(self->stall.page, want, strlen(want)));
	/* The stopped writer's final log is still what the reader sees. */
	EXPECT_EQ(0, close(io.fd));
	EXPECT_EQ(5, kt_field("reaped", "reaped", " id=1 ", "processed"));
	EXPECT_EQ(sent.crc, kt_field("reaped", "reaped", " id=1 ", "crc32"));
	/* And id 1 was free again at once: "create 1" above succeeded. */
	EXPECT_EQ(1, kt_field("status", "total", NULL, "writers"));
}

/* The one stall that does delay a stop, because it is the VFS's: a
 * getdents64() of the writer's directory, stalled in the copy of its
 * entries to userspace, holds the directory's inode lock, which removing
 * the directory needs (docs/design.md). The stop waits, in D state, while
 * status and the other writers go on; once the listing goes on, the stop
 * completes at once. If this ever stops holding (a kernel that copies
 * entries out without the lock), the limit the docs describe is gone.
 */
TEST_F(stall, directory_listing_stall_delays_stop)
{
	static const char zeros[65536];
	struct stalled_io io = { .dents = true };
	pid_t child;
	double t;
	int status;

	ASSERT_EQ(0, kt_write("create", "1"));
	ASSERT_EQ(0, kt_write("create", "2"));
	io.fd = open(KT_DEBUGFS "/writers/1", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_LE(0, io.fd);
	io.buf = self->stall.page;
	io.len = self->stall.size;
	ASSERT_EQ(0, pthread_create(&io.thread, NULL, stalled_io_fn, &io));
	ASSERT_EQ(0, kt_stall_wait(&self->stall, 5000));

	child = fork();
	ASSERT_LE(0, child);
	if (child == 0)
		_exit(-kt_write("stop", "1"));
	/* The stop waits for the listing ... */
	EXPECT_EQ(-1, kt_wait_child(child, 1000));
	/* ... and nobody else does. */
	t = kt_now_ms();
	EXPECT_LT(0, kt_field("status", "total", NULL, "writers"));
	EXPECT_EQ(0, kt_feed(2, "other", 5, false));
	EXPECT_GT(LIMIT_MS, kt_now_ms() - t);

	ASSERT_EQ(0, kt_stall_release(&self->stall, zeros));
	t = kt_now_ms();
	pthread_join(io.thread, NULL);
	EXPECT_LT(0, io.ret);
	close(io.fd);
	EXPECT_EQ(0, kt_wait_child(child, LIMIT_MS));
	TH_LOG("stop waited while the listing was stalled, then took %.0f ms",
	       kt_now_ms() - t);
	if (waitpid(child, &status, WNOHANG) == 0) {
		kill(child, SIGKILL);
		waitpid(child, &status, 0);
	}
	EXPECT_EQ(-1, kt_field("reaped", "reaped", " id=2 ", "processed"));
	EXPECT_EQ(0, kt_field("reaped", "reaped", " id=1 ", "processed"));
}

/*
 * A child stuck in one of ktlife's paths, forever unless killed: "feed"
 * writes from a page its own userfaultfd never fills; "read" reads the log
 * into one; "full" feeds a parked writer's full fifo. It writes a byte to
 * ready just before its call.
 */
static pid_t stuck_child(const char *how, int ready)
{
	pid_t pid = fork();
	struct kt_stall s;
	char path[128];
	int fd;

	if (pid)
		return pid;
	if (strcmp(how, "full") && kt_stall_init(&s))
		_exit(2);
	snprintf(path, sizeof(path), "%s/writers/1/%s", KT_DEBUGFS,
		 strcmp(how, "read") ? "queue" : "log");
	fd = open(path, strcmp(how, "read") ? O_WRONLY : O_RDONLY);
	if (fd < 0 || write(ready, "r", 1) != 1)
		_exit(3);
	if (!strcmp(how, "feed"))
		_exit(write(fd, s.page, 10) < 0 ? errno : 0);
	if (!strcmp(how, "read"))
		_exit(read(fd, s.page, s.size) < 0 ? errno : 0);
	_exit(write(fd, "full", 4) < 0 ? errno : 0);
}

/* kill -9 ends a feeder stalled in its page fault, a reader stalled in
 * its page fault and a feeder blocked on a full fifo, each at once;
 * nothing they were sending is enqueued.
 */
TEST_F(stall, sigkill_ends_stuck_callers)
{
	static const char *const hows[] = { "feed", "read", "full" };
	struct kt_sent sent = {};
	pid_t pids[3];
	int ready[2], i, status;
	double t0;
	char c;

	ASSERT_EQ(0, kt_write("create", "1"));
	/* Something in the log, or reading it would touch no user memory. */
	ASSERT_EQ(0, kt_feed_n(1, &sent, 3));
	ASSERT_EQ(0, kt_wait_processed(1, 3, 5000));
	ASSERT_EQ(0, kt_write("park", "1"));
	ASSERT_EQ(0, kt_fill(1, &sent));
	ASSERT_EQ(0, pipe(ready));
	for (i = 0; i < 3; i++) {
		pids[i] = stuck_child(hows[i], ready[1]);
		ASSERT_LT(0, pids[i]);
		ASSERT_EQ(1, read(ready[0], &c, 1));
	}
	kt_sleep_ms(300);
	for (i = 0; i < 3; i++) {
		EXPECT_EQ(-1, kt_wait_child(pids[i], 10)) {
			TH_LOG("%s: did not block", hows[i]);
		}
	}
	EXPECT_EQ(sent.n - 3, kt_field("status", "writer", " id=1 ", "queued"));

	for (i = 0; i < 3; i++) {
		t0 = kt_now_ms();
		kill(pids[i], SIGKILL);
		ASSERT_EQ(pids[i], waitpid(pids[i], &status, 0));
		TH_LOG("%s: killed in %.1f ms", hows[i], kt_now_ms() - t0);
		EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
		EXPECT_GT(LIMIT_MS, kt_now_ms() - t0);
	}
	EXPECT_EQ(sent.n, kt_stat("writers/1/stats", "enqueued"));
	ASSERT_EQ(0, kt_write("stop", "1"));
	EXPECT_EQ(sent.n, kt_field("reaped", "reaped", " id=1 ", "processed"));
	EXPECT_EQ(sent.crc, kt_field("reaped", "reaped", " id=1 ", "crc32"));
}

TEST_HARNESS_MAIN

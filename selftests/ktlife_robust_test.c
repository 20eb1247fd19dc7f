// SPDX-License-Identifier: GPL-2.0
/*
 * What load, bad input, privilege and races must not break: held files
 * across stop and rmmod, non-root callers, a seeded fuzzer over every
 * writable file, 1,000 create/feed/stop cycles, concurrent processes with
 * rmmod racing them, and 100 load/unload cycles with live writers. Every
 * test ends with ktleak's check.
 *
 * KTLIFE_FUZZ_SEED, KTLIFE_FUZZ_CASES and KTLIFE_STRESS_SECONDS change the
 * defaults (seed 1, 3000 cases, 8 s).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <dirent.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "ktlife_util.h"

/* Its teardown also waits for children that still hold files open. */
KT_FIXTURE(kt, "period_ms=50 retain=8 fifo_size=4096 bugs=1", false)

/* Files held open across their writer's stop: they keep the stopped
 * writer alive, not the stop waiting. Writes fail with EPIPE, the log
 * and stats read the final state, nothing crashes (KASAN), and rmmod
 * works once they are closed.
 */
TEST_F(kt, held_files_across_stop)
{
	char buf[256];
	int fd, log, stats;

	ASSERT_EQ(0, kt_write("create", "1"));
	fd = kt_open("writers/1/queue", O_WRONLY);
	ASSERT_LE(0, fd);
	log = kt_open("writers/1/log", O_RDONLY);
	ASSERT_LE(0, log);
	stats = kt_open("writers/1/stats", O_RDONLY);
	ASSERT_LE(0, stats);
	ASSERT_EQ(3, write(fd, "one", 3));
	ASSERT_EQ(0, kt_write("stop", "1"));
	EXPECT_NE(0, access(KT_DEBUGFS "/writers/1", F_OK));
	EXPECT_EQ(-1, write(fd, "two", 3));
	EXPECT_EQ(EPIPE, errno);
	EXPECT_EQ(4, read(log, buf, sizeof(buf)));
	EXPECT_EQ(0, strncmp(buf, "one\n", 4));
	ASSERT_LT(0, read(stats, buf, sizeof(buf) - 1));
	EXPECT_EQ(0, strncmp(buf, "enqueued: 1\nprocessed: 1\n", 25));
	/* Still pinned by the open files, stopped writer or not. */
	EXPECT_EQ(-EAGAIN, kt_unload());
	close(fd);
	close(log);
	close(stats);
	EXPECT_EQ(1, kt_field("reaped", "reaped", " id=1 ", "processed"));
}

/* Any open ktlife file pins the module: rmmod is refused at once, never
 * hangs, and works after the close.
 */
TEST_F(kt, open_file_pins_module)
{
	double ms;
	int fd;

	fd = kt_open("status", O_RDONLY);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EAGAIN, kt_unload_timed(&ms));
	EXPECT_GT(1000, ms);
	EXPECT_TRUE(kt_loaded());
	close(fd);
	EXPECT_EQ(0, kt_unload());
}

/* The classic debugfs-removal deadlock: a feeder blocked inside write() on
 * a parked writer's full fifo when rmmod comes. rmmod is refused at once;
 * stopping the writer wakes the feeder (EPIPE); then rmmod works.
 */
TEST_F(kt, rmmod_with_feeder_blocked_in_write)
{
	struct kt_sent s = {};
	int status;
	double ms;
	pid_t pid;

	ASSERT_EQ(0, kt_write("create", "2"));
	pid = kt_park_fill_block(2, &s);
	ASSERT_LT(0, pid);

	EXPECT_EQ(-EAGAIN, kt_unload_timed(&ms));
	TH_LOG("rmmod with a feeder blocked in write(): refused in %.0f ms", ms);
	EXPECT_GT(1000, ms);

	ASSERT_EQ(0, kt_write("stop", "2"));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(EPIPE, WEXITSTATUS(status));
	EXPECT_EQ(s.n, kt_field("reaped", "reaped", " id=2 ", "processed"));
	EXPECT_EQ(0, kt_unload());
}

/* A process without root is refused on every file. */
TEST_F(kt, nonroot_refused_everywhere)
{
	static const char * const files[] = {
		"create", "stop", "park", "unpark", "status", "reaped",
		"compactor/period_ms", "compactor/kick", "compactor/stats",
		"writers/3/queue", "writers/3/log", "writers/3/stats",
		"bugs/unreaped", "bugs/leak",
	};
	char path[PATH_MAX];
	struct stat root, st;
	unsigned int i;
	int status;
	pid_t pid;

	ASSERT_EQ(0, kt_write("create", "3"));
	/* No file grants anything to group or others... */
	for (i = 0; i < ARRAY_SIZE(files); i++) {
		snprintf(path, sizeof(path), KT_DEBUGFS "/%s", files[i]);
		ASSERT_EQ(0, stat(path, &st));
		EXPECT_EQ(0, st.st_mode & 077) {
			TH_LOG("%s is mode %o", files[i], st.st_mode & 07777);
		}
	}
	/*
	 * ... and the files themselves refuse: debugfs is mounted 0700, so
	 * open it to others for the child, or its mount point alone would
	 * refuse it.
	 */
	ASSERT_EQ(0, stat("/sys/kernel/debug", &root));
	ASSERT_EQ(0, chmod("/sys/kernel/debug", 0711));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		unsigned int allowed = 0;

		if (setgid(65534) || setuid(65534))
			_exit(255);
		for (i = 0; i < ARRAY_SIZE(files); i++) {
			int r = kt_open(files[i], O_RDONLY);
			int er = errno;
			int w = kt_open(files[i], O_WRONLY);
			int ew = errno;

			if (r >= 0 || w >= 0 ||
			    (er != EACCES && er != EPERM) ||
			    (ew != EACCES && ew != EPERM)) {
				fprintf(stderr, "non-root opened %s\n", files[i]);
				allowed++;
			}
		}
		_exit(allowed);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, chmod("/sys/kernel/debug", root.st_mode & 07777));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ(1, kt_field("status", "total", NULL, "writers"));
}

/* xorshift64*: the fuzzer's seeded PRNG, the same sequence everywhere. */
static unsigned long long rng;

static unsigned int rnd(unsigned int n)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (unsigned int)((rng * 2685821657736338717ULL) >> 33) % n;
}

static const char * const words[] = {
	"0", "1", "7", "15", "9999", "10000", "-1", "+3", "4294967296",
	"99999999999999999999", "0x10", "010", "graceful", "now", "close",
	"all", "   ", "\t", "1e3", "3600000", "3600001", "65536",
};

/* One fuzz input into buf: returns its length (0..size). */
static size_t fuzz_input(char *buf, size_t size)
{
	size_t len = 0, n;
	unsigned int i, parts;

	switch (rnd(6)) {
	case 0:		/* random bytes, NULs included */
		len = rnd(64);
		for (i = 0; i < len; i++)
			buf[i] = rnd(256);
		return len;
	case 1:		/* a very long line */
		len = 1 + rnd(size - 1);
		memset(buf, '1' + rnd(9), len);
		return len;
	case 2:		/* nothing at all */
		return 0;
	default:	/* words, with trailing garbage or NULs */
		parts = 1 + rnd(3);
		for (i = 0; i < parts && len < size - 32; i++) {
			n = snprintf(buf + len, size - len, "%s%s",
				     i ? " " : "", words[rnd(ARRAY_SIZE(words))]);
			len += n;
		}
		if (rnd(4) == 0)
			buf[len++] = rnd(2) ? '\n' : '\0';
		if (rnd(8) == 0)
			buf[len++] = 'x';
		return len;
	}
}

/*
 * The fuzzer's oracle: what the module's parsers (debugfs.c) must make of
 * an input, modelled here independently. A malformed input must be
 * EINVAL (EMSGSIZE for a message), never a success; a well-formed one may
 * succeed or meet a documented state error (EEXIST, ENOENT, ...).
 */
#define CMD_MAX 32

/* The kernel's isspace() (lib/ctype.c), which strim() uses: 0xa0 too. */
static bool k_isspace(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || c == 0xa0;
}

/* copy_cmd(): the trimmed command in out, or NULL where it is EINVAL. */
static char *model_cmd(const char *in, size_t len, char *out)
{
	char *p, *end;

	if (len == 0 || len >= CMD_MAX || memchr(in, '\0', len))
		return NULL;
	memcpy(out, in, len);
	out[len] = '\0';
	end = out + len;
	while (end > out && k_isspace(end[-1]))
		*--end = '\0';
	for (p = out; k_isspace(*p); p++)
		;
	return p;
}

/* kstrtouint(s, 10): an optional '+', decimal digits, no more. */
static bool model_uint(const char *s, unsigned int *val)
{
	unsigned long long v = 0;

	if (*s == '+')
		s++;
	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		v = v * 10 + (*s - '0');
		if (v > 0xffffffffULL)
			return false;
	}
	*val = v;
	return true;
}

/* read_cmd(): the id (or "all") and the second word, if well formed. */
static bool model_id_cmd(char *p, bool all_ok, const char **word2)
{
	char *sep = strpbrk(p, " \t");
	unsigned int id;

	*word2 = NULL;
	if (sep) {
		*sep = '\0';
		for (sep++; k_isspace(*sep); sep++)
			;
		if (!*sep || strpbrk(sep, " \t"))
			return false;
		*word2 = sep;
	}
	if (all_ok && !strcmp(p, "all"))
		return true;
	return model_uint(p, &id) && id <= 9999;
}

/*
 * parse_reload(): key=value words, each key at most once: period_ms and
 * retain take a number (which may be out of range: ERANGE, still well
 * formed), mode takes wait or sleep.
 */
static bool model_reload(char *p)
{
	static const char * const keys[] = { "period_ms", "retain", "mode" };
	bool seen[3] = { false, false, false };
	char *key, *val;
	int k;

	while ((key = strsep(&p, " \t"))) {
		if (!*key)
			continue;
		val = strchr(key, '=');
		if (!val)
			return false;
		*val++ = '\0';
		for (k = 0; k < 3 && strcmp(key, keys[k]); k++)
			;
		if (k == 3 || seen[k])
			return false;
		seen[k] = true;
		if (k == 2) {
			if (strcmp(val, "wait") && strcmp(val, "sleep"))
				return false;
			continue;
		}
		if (*val == '+')
			val++;
		if (!*val || strspn(val, "0123456789") != strlen(val))
			return false;
	}
	return true;
}

/* Is this input well formed for this file? */
static bool well_formed(const char *target, const char *in, size_t len)
{
	const char *word2;
	char buf[CMD_MAX], rbuf[64], *p;
	unsigned int v;

	if (!strncmp(target, "writers/", 8))
		return len >= 1 && len <= KT_MAX_MSG;
	if (!strcmp(target, "compactor/reload")) {
		p = len < sizeof(rbuf) ? model_cmd(in, len, rbuf) : NULL;
		return p && model_reload(p);
	}
	p = model_cmd(in, len, buf);
	if (!p)
		return false;
	if (!strcmp(target, "compactor/period_ms"))
		return model_uint(p, &v) && v >= 1 && v <= 3600000;
	if (!strcmp(target, "compactor/kick"))
		return model_uint(p, &v) && v == 1;
	if (!strcmp(target, "create"))
		return model_id_cmd(p, false, &word2) &&
		       (!word2 || !strcmp(word2, "leaky"));
	if (!strcmp(target, "stop"))
		return model_id_cmd(p, true, &word2) &&
		       (!word2 || !strcmp(word2, "graceful") ||
			!strcmp(word2, "now") || !strcmp(word2, "close"));
	/* park, unpark */
	return model_id_cmd(p, false, &word2) && !word2;
}

/* The errnos of a well-formed input: what the state may answer. */
static bool state_errno(int err)
{
	switch (err) {
	case EEXIST: case ENOSPC: case ENOENT: case EALREADY: case EAGAIN:
	case EPIPE: case EBUSY:
		return true;
	}
	return false;
}

/* Status must agree with itself: writer lines, directories, counters. */
static int check_consistent(struct __test_metadata *_metadata)
{
	static char st[1 << 16];
	long long writers, enq, proc, disc, queued;
	struct dirent *de;
	int dirs = 0, threads;
	double end;
	DIR *d;

	/* One reading: writers still draining move counts between fields. */
	if (kt_read("status", st, sizeof(st)) < 0)
		return -1;
	writers = kt_field_in(st, "total", NULL, "writers");
	enq = kt_field_in(st, "total", NULL, "enqueued");
	proc = kt_field_in(st, "total", NULL, "processed");
	disc = kt_field_in(st, "total", NULL, "discarded");
	queued = kt_field_in(st, "total", NULL, "queued");
	d = opendir(KT_DEBUGFS "/writers");
	if (!d)
		return -1;
	while ((de = readdir(d)))
		dirs += de->d_name[0] != '.';
	closedir(d);
	EXPECT_EQ(writers, dirs);
	/* A thread just stopped stays in /proc until its exit_notify(). */
	end = kt_now_ms() + 2000;
	while ((threads = kt_count_threads("ktlife/w")) > writers &&
	       kt_now_ms() < end)
		kt_sleep_ms(10);
	EXPECT_EQ(writers, threads);
	EXPECT_EQ(enq, proc + disc + queued);
	EXPECT_EQ(kt_field_in(st, "total", NULL, "reaped_enqueued"),
		  kt_field_in(st, "total", NULL, "reaped_processed") +
		  kt_field_in(st, "total", NULL, "reaped_discarded"));
	return 0;
}

/* Ten thousand seeded random inputs into every writable file: each gets
 * exactly what the oracle above says (EINVAL or EMSGSIZE when malformed,
 * success or a documented state error when well formed; ESPIPE for a
 * pwrite()), state stays consistent, no splat (the harness checks the
 * console).
 */
TEST_F_TIMEOUT(kt, fuzz_every_writable_file, 180)
{
	static const char * const targets[] = {
		"create", "stop", "park", "unpark", "compactor/period_ms",
		"compactor/kick", "compactor/reload", "writers/%u/queue",
	};
	unsigned long long seed = kt_env_long("KTLIFE_FUZZ_SEED", 1);
	long cases = kt_env_long("KTLIFE_FUZZ_CASES", 10000), c;
	long ok = 0, malformed = 0, errors[256] = { 0 }, wrong = 0;
	char buf[4096], file[64];
	const char *target;
	bool pw, good, bad;
	size_t len;
	ssize_t n;
	int fd;

	rng = seed * 0x9e3779b97f4a7c15ULL + 1;
	for (c = 0; c < cases; c++) {
		target = targets[rnd(ARRAY_SIZE(targets))];
		snprintf(file, sizeof(file), target, rnd(16));
		len = fuzz_input(buf, sizeof(buf));
		/* The one input with no way back: never leak a thread. */
		if (memmem(buf, len, "leaky", 5))
			continue;
		fd = kt_open(file, O_WRONLY | O_NONBLOCK);
		if (fd < 0) {
			/* writers/<id> of a writer that does not exist */
			ASSERT_EQ(ENOENT, errno);
			continue;
		}
		pw = rnd(10) == 0;
		if (pw)
			n = pwrite(fd, buf, len, rnd(100));
		else
			n = write(fd, buf, len);
		close(fd);
		good = well_formed(target, buf, len);
		malformed += !good;
		if (n >= 0) {
			ok++;
			/* Every file is a stream: no pwrite() at all. */
			bad = pw || !good || n != (ssize_t)len;
		} else {
			errors[errno & 255]++;
			if (pw)
				bad = errno != ESPIPE;
			else if (good && !strcmp(target, "compactor/reload"))
				bad = errno != ERANGE;
			else if (good)
				bad = !state_errno(errno);
			else
				bad = errno != (target[0] == 'w' ? EMSGSIZE :
								   EINVAL);
		}
		if (bad && ++wrong <= 10)
			TH_LOG("case %ld: %s%s: %zu bytes, %s: %s", c,
			       pw ? "pwrite of " : "", file, len,
			       good ? "well formed" : "malformed",
			       n < 0 ? strerror(errno) : "success");
		if (c % 250 == 0)
			ASSERT_EQ(0, check_consistent(_metadata));
	}
	ASSERT_EQ(0, check_consistent(_metadata));
	TH_LOG("fuzz: seed %llu, %ld cases, %ld malformed, %ld accepted, EINVAL %ld, ENOENT %ld, EEXIST %ld, EMSGSIZE %ld, ESPIPE %ld; %ld against the oracle",
	       seed, cases, malformed, ok, errors[EINVAL], errors[ENOENT],
	       errors[EEXIST], errors[EMSGSIZE], errors[ESPIPE], wrong);
	EXPECT_EQ(0, wrong);
	EXPECT_EQ(0, kt_write("stop", "all"));
}

/* 1,000 create/feed/stop cycles, every stop mode in turn: every message
 * accounted for, then unload leaves nothing.
 */
TEST_F_TIMEOUT(kt, churn_1000_cycles, 90)
{
	static const char * const modes[] = { "", " now", " close" };
	long long sent = 0, discarded = 0, d;
	int i, j;

	for (i = 0; i < 1000; i++) {
		ASSERT_EQ(0, kt_writef("create", "%d", i % 8));
		for (j = 0; j < 3; j++) {
			ASSERT_EQ(0, kt_feed(i % 8, "churn", 5, false));
			sent++;
		}
		ASSERT_EQ(0, kt_writef("stop", "%d%s", i % 8, modes[i % 3]));
		/* Only "now" may discard: graceful and close drain. */
		d = kt_field("status", "total", NULL, "reaped_discarded");
		if (i % 3 != 1)
			EXPECT_EQ(discarded, d);
		discarded = d;
	}
	EXPECT_EQ(sent, kt_field("status", "total", NULL, "reaped_enqueued"));
	EXPECT_EQ(sent, kt_field("status", "total", NULL, "reaped_processed") +
			kt_field("status", "total", NULL, "reaped_discarded"));
	EXPECT_EQ(1000, kt_field("status", "total", NULL, "stopped_graceful") +
			kt_field("status", "total", NULL, "stopped_now") +
			kt_field("status", "total", NULL, "stopped_close"));
	EXPECT_EQ(0, kt_count_threads_after_stop("ktlife/w"));
}

/*
 * A protected feeder: writes message after message to writer id, which no
 * other worker touches, until deadline; reports its count and CRC-32.
 */
/* One stress worker: does what role says, at random, until deadline. */
static void stress_worker(int role, double deadline, unsigned int seed)
{
	static const char * const modes[] = { "", " now", " close" };
	char buf[64];
	int fd;

	rng = seed;
	while (kt_now_ms() < deadline) {
		unsigned int id = rnd(12);

		switch (role) {
		case 0:
			kt_writef("create", "%u", id);
			break;
		case 1:
			kt_writef("stop", "%u%s", id, modes[rnd(3)]);
			break;
		case 2:
		case 3:
			kt_feed(id, "stress", 1 + rnd(6), true);
			break;
		case 4:
			kt_read("status", buf, sizeof(buf));
			snprintf(buf, sizeof(buf), "writers/%u/log", id);
			fd = kt_open(buf, O_RDONLY);
			if (fd >= 0) {
				while (read(fd, buf, sizeof(buf)) > 0)
					;
				close(fd);
			}
			break;
		case 5:
			kt_writef("compactor/period_ms", "%u", 1 + rnd(100));
			kt_write("compactor/kick", "1");
			break;
		case 6:
			kt_writef(rnd(2) ? "park" : "unpark", "%u", id);
			break;
		}
	}
	_exit(0);
}

/* Seven processes create, stop, feed, read, retune, kick, park and unpark
 * at once, while two more feed writers 20 and 21 that nobody else touches;
 * the totals must still add up, and those two writers' CRCs must equal
 * their feeders'. Then the same with rmmod racing the workers: it succeeds
 * as soon as no file is open, and nothing is left.
 */
/* 8 s of stress, then rmmod racing for up to 20 s. */
TEST_F_TIMEOUT(kt, concurrent_stress_then_rmmod_race, 60)
{
	long seconds = kt_env_long("KTLIFE_STRESS_SECONDS", 8);
	unsigned long long sent[2];
	pid_t pids[7], crc_pids[2];
	double deadline, start;
	int i, status, tries = 0, pipes[2][2];
	char match[16];

	deadline = kt_now_ms() + seconds * 1000;
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, kt_writef("create", "%d", 20 + i));
		ASSERT_EQ(0, pipe(pipes[i]));
		crc_pids[i] = fork();
		ASSERT_LE(0, crc_pids[i]);
		if (crc_pids[i] == 0)
			kt_crc_feeder(20 + i, deadline, NULL, pipes[i][1]);
		close(pipes[i][1]);
	}
	for (i = 0; i < 7; i++) {
		pids[i] = fork();
		ASSERT_LE(0, pids[i]);
		if (pids[i] == 0)
			stress_worker(i, deadline, 1000 + i);
	}
	for (i = 0; i < 7; i++)
		ASSERT_EQ(pids[i], waitpid(pids[i], &status, 0));
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(crc_pids[i], waitpid(crc_pids[i], &status, 0));
		ASSERT_EQ(0, WEXITSTATUS(status));
		ASSERT_EQ(sizeof(sent), read(pipes[i][0], sent, sizeof(sent)));
		close(pipes[i][0]);
		ASSERT_EQ(0, kt_writef("stop", "%d", 20 + i));
		snprintf(match, sizeof(match), " id=%d ", 20 + i);
		EXPECT_EQ(sent[0], kt_field("reaped", "reaped", match,
					    "processed"));
		EXPECT_EQ(sent[1], kt_field("reaped", "reaped", match, "crc32"));
		TH_LOG("writer %d: %llu messages, CRC-32 %08llx, as fed", 20 + i,
		       sent[0], sent[1]);
	}
	ASSERT_EQ(0, check_consistent(_metadata));
	TH_LOG("stress: %lld messages, %lld writers stopped",
	       kt_field("status", "total", NULL, "enqueued") +
	       kt_field("status", "total", NULL, "reaped_enqueued"),
	       kt_field("status", "total", NULL, "stopped_graceful") +
	       kt_field("status", "total", NULL, "stopped_now") +
	       kt_field("status", "total", NULL, "stopped_close"));

	/* Again, with rmmod racing the workers until it wins. */
	deadline = kt_now_ms() + 2000;
	for (i = 0; i < 7; i++) {
		pids[i] = fork();
		ASSERT_LE(0, pids[i]);
		if (pids[i] == 0)
			stress_worker(i, deadline, 2000 + i);
	}
	start = kt_now_ms();
	while (kt_unload() && kt_now_ms() - start < 20000) {
		tries++;
		kt_sleep_ms(20);
	}
	for (i = 0; i < 7; i++)
		ASSERT_EQ(pids[i], waitpid(pids[i], &status, 0));
	if (kt_loaded())
		ASSERT_EQ(0, kt_unload());
	TH_LOG("rmmod won after %d refusals (%.0f ms)", tries,
	       kt_now_ms() - start);
	EXPECT_FALSE(kt_loaded());
}

/* 100 load/unload cycles with live, fed writers: kthreads and task_struct
 * objects back to the baseline (ktleak, in the teardown).
 */
/* Long by nature: 100 module loads and unloads. */
TEST_F_TIMEOUT(kt, load_unload_100_cycles_with_writers, 120)
{
	int i, id;

	for (i = 0; i < 100; i++) {
		if (!kt_loaded())
			ASSERT_EQ(0, kt_load("period_ms=5"));
		for (id = 0; id < 4; id++) {
			ASSERT_EQ(0, kt_writef("create", "%d", id));
			ASSERT_EQ(0, kt_feed(id, "cycle", 5, false));
		}
		ASSERT_EQ(0, kt_unload());
		ASSERT_EQ(0, kt_count_threads_after_stop(KT_THREAD_PREFIX));
	}
}

/* Tests that load the module themselves. */
KT_FIXTURE(unloaded, NULL, false)

/* The names in the debugfs root, each followed by a space, in readdir order. */
static int debugfs_root_names(char *buf, size_t size)
{
	struct dirent *de;
	size_t len = 0;
	DIR *dir;

	dir = opendir("/sys/kernel/debug");
	if (!dir)
		return -errno;
	buf[0] = '\0';
	while ((de = readdir(dir))) {
		if (de->d_name[0] == '.')
			continue;
		len += snprintf(buf + len, len < size ? size - len : 0, "%s ",
				de->d_name);
	}
	closedir(dir);
	return len < size ? 0 : -ENOSPC;
}

/* Words in s, each followed by a space. */
static int count_words(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == ' ';
	return n;
}

/* What one round's "create" child saw, in memory shared with the test. */
struct create_race {
	int stop;
	int err;	/* 0: the write created writer 7; else its errno */
	double done_ms;	/* when write() returned */
};

/* The child: open() + write("7") of create, from before insmod until it
 * works (or the test says stop), as fast as it can.
 */
static void create_spinner(struct create_race *r)
{
	int fd;

	while (!__atomic_load_n(&r->stop, __ATOMIC_RELAXED)) {
		fd = open(KT_DEBUGFS "/create", O_WRONLY);
		if (fd < 0)
			continue;
		r->err = write(fd, "7", 1) == 1 ? 0 : errno;
		r->done_ms = kt_now_ms();
		close(fd);
		_exit(0);
	}
	_exit(1);
}

/* A write to "create" racing insmod (the insmod race, issue H1): a file is
 * live as soon as it exists, before init has returned (only a GOING module
 * refuses an open). Whatever create reaches must exist by then: the new
 * writer's directory goes under ktlife/writers/ and nowhere else, and
 * rmmod leaves the debugfs root as it found it. A round counts as a race won during init
 * when the child's write() returned before finit_module() did. Every
 * other round init_delay_ms holds init for 5 ms after each file, as a
 * preemption there would: a create then lands between any two files. On a
 * kernel with kmemleak (the debug kernel, KASAN too) anything stray is
 * also opened and read: its code and data were freed with the module.
 */
TEST_F_TIMEOUT(unloaded, create_races_insmod, 120)
{
	long rounds = kt_env_long("KTLIFE_INSMOD_ROUNDS", 20);
	char before[4096], after[4096], path[512], buf[256];
	struct create_race *r;
	int i, won = 0, status;
	double loaded;
	pid_t pid;

	ASSERT_EQ(0, debugfs_root_names(before, sizeof(before)));
	r = mmap(NULL, sizeof(*r), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, r);
	for (i = 0; i < rounds; i++) {
		memset(r, 0, sizeof(*r));
		pid = fork();
		ASSERT_LE(0, pid);
		if (pid == 0)
			create_spinner(r);
		/* Every other round, init sleeps 5 ms after each file. */
		ASSERT_EQ(0, kt_load(i % 2 ? "bugs=1 init_delay_ms=5" :
					     "bugs=1"));
		loaded = kt_now_ms();
		status = kt_wait_child(pid, 5000);
		if (status) {
			__atomic_store_n(&r->stop, 1, __ATOMIC_RELAXED);
			waitpid(pid, NULL, 0);
		}
		ASSERT_EQ(0, status) {
			TH_LOG("round %d: create never opened", i);
		}
		ASSERT_EQ(0, r->err) {
			TH_LOG("round %d: create failed: %s", i,
			       strerror(r->err));
		}
		won += r->done_ms < loaded;
		/* Writer 7 is ktlife's, under writers/, and nothing else new. */
		ASSERT_EQ(0, debugfs_root_names(after, sizeof(after)));
		EXPECT_EQ(0, access(KT_DEBUGFS "/writers/7", F_OK));
		EXPECT_EQ(count_words(before) + 1, count_words(after)) {
			TH_LOG("round %d: stray in the debugfs root while loaded: before \"%s\", now \"%s\"",
			       i, before, after);
			break;
		}
		ASSERT_EQ(0, kt_unload());
		ASSERT_EQ(0, debugfs_root_names(after, sizeof(after)));
		if (!strcmp(before, after))
			continue;
		TH_LOG("round %d: stray in the debugfs root after rmmod: before \"%s\", after \"%s\"",
		       i, before, after);
		/* The debug kernel: KASAN sees what reading it touches. */
		snprintf(path, sizeof(path), "/sys/kernel/debug/7/stats");
		if (kt_kmemleak_available())
			TH_LOG("reading %s: %zd", path,
			       kt_read(path, buf, sizeof(buf)));
		break;
	}
	munmap(r, sizeof(*r));
	TH_LOG("create won its race with insmod in %d of %d rounds", won, i);
	EXPECT_STREQ(before, after);
	/* A run where create never came before init's end tested nothing. */
	EXPECT_LT(0, won);
}

TEST_HARNESS_MAIN

// SPDX-License-Identifier: GPL-2.0
/*
 * PID 1 of ktlife's test VM, built with "gcc -static -Os" by
 * qemu/run.sh and placed at /init in the initramfs.
 *
 * It mounts what tests and busybox expect, turns tracing's comm recording
 * off (see setup()), then, depending on
 * "ktlife.mode=" on the kernel command line:
 *
 *   batch (default)  runs "/bin/sh /payload/run" in /payload, its output on
 *                    the console; on a kmemleak kernel asks for a last leak
 *                    scan; hands "ktlife-verdict: <status>" to the host.
 *   shell            runs /payload/run if there is one, then a login shell
 *                    on ttyS0, and gives its exit status as the verdict.
 *
 * The verdict goes to ttyS1, a serial port of its own that no kernel
 * message can garble, and the whole kernel log goes to ttyS2: the host
 * scans it for splats that a "loglevel=" kept off the console. Then init
 * reboots, which with QEMU's -no-reboot ends the VM, also on kernels that
 * have no ACPI to power off with.
 *
 * "ktlife.ttys=CONSOLE,VERDICT,KMSG" on the command line names other
 * ports, for a machine without three 8250s: the arm64 VM has one PL011
 * and two virtio consoles ("ktlife.ttys=ttyAMA0,hvc0,hvc1", qemu/run.sh).
 *
 * busybox's applet links are made when run.sh builds the initramfs, so
 * that boots do not pay for "busybox --install". PID 1 must never exit
 * (the kernel would panic), so every failure here is reported and lived
 * with, and every orphan is reaped.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define PAYLOAD		"/payload"
#define PAYLOAD_RUN	PAYLOAD "/run"
#define KMEMLEAK	"/sys/kernel/debug/kmemleak"
#define TRACE_RECORD_CMD	"/sys/kernel/tracing/options/record-cmd"
#define TTY_PARAM	"ktlife.ttys="

/* The three ports, /dev/ttyS0-2 unless ktlife.ttys= says otherwise. */
static char console_tty[64] = "/dev/ttyS0";
static char verdict_tty[64] = "/dev/ttyS1";
static char kmsg_tty[64] = "/dev/ttyS2";

/* syslog(2) actions, which glibc's <sys/klog.h> does not name. */
#define SYSLOG_ACTION_READ_ALL		3
#define SYSLOG_ACTION_SIZE_BUFFER	10

/* kmemleak does not report objects younger than 5 s. */
#define KMEMLEAK_MIN_AGE_S	6

/*
 * A message of init's own on the console. A macro, so that the compiler
 * checks the format; stdout is line-buffered (see main()), so each line
 * is out before anything that could crash the VM.
 */
#define say(fmt, ...) printf("ktlife-init: " fmt "\n", ##__VA_ARGS__)

static double uptime(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * The kernel gives init the console as fds 0-2 if the initramfs has
 * /dev/console (the kernel's built-in one does). Should it not, the
 * console is opened here, once devtmpfs is mounted.
 */
static void ensure_console(void)
{
	int fd;

	if (fcntl(STDOUT_FILENO, F_GETFD) >= 0)
		return;
	fd = open("/dev/console", O_RDWR | O_NOCTTY);
	if (fd < 0)
		return;
	dup2(fd, STDIN_FILENO);
	dup2(fd, STDOUT_FILENO);
	dup2(fd, STDERR_FILENO);
	if (fd > STDERR_FILENO)
		close(fd);
}

static int write_str(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, s, strlen(s));
	close(fd);
	return n < 0 ? -1 : 0;
}

static void mount_fs(const char *type, const char *dir, bool optional)
{
	mkdir(dir, 0755);
	if (!mount(type, dir, type, 0, NULL) || errno == EBUSY)
		return;
	/* ENODEV: not in this kernel; ENOENT: no mount point in sysfs. */
	if (optional && (errno == ENODEV || errno == ENOENT))
		return;
	say("cannot mount %s on %s: %s", type, dir, strerror(errno));
}

static void setup(void)
{
	mount_fs("proc", "/proc", false);
	mount_fs("sysfs", "/sys", false);
	mount_fs("devtmpfs", "/dev", false);
	ensure_console();
	mount_fs("tmpfs", "/tmp", false);
	mount_fs("tmpfs", "/dev/shm", true);
	mount_fs("debugfs", "/sys/kernel/debug", true);
	mount_fs("tracefs", "/sys/kernel/tracing", true);
	/*
	 * Comm recording off for every tracer in the VM, not only for the
	 * tests (kt_trace_begin() and trace-cmd turn it off too): with it on,
	 * enabling any event also hooks sched_switch and the wakeups, and
	 * under TCG patching those hot call sites once hung a loaded guest
	 * (docs/harness.md, "Tracing under TCG"). No tracefs, nothing to do.
	 */
	if (write_str(TRACE_RECORD_CMD, "0") && errno != ENOENT)
		say("cannot write 0 to %s: %s", TRACE_RECORD_CMD,
		    strerror(errno));

	/* What udev would add: scripts such as kselftest's runner.sh use them. */
	symlink("/proc/self/fd", "/dev/fd");
	symlink("/proc/self/fd/0", "/dev/stdin");
	symlink("/proc/self/fd/1", "/dev/stdout");
	symlink("/proc/self/fd/2", "/dev/stderr");

	sethostname("ktlife", strlen("ktlife"));
	setenv("PATH", "/bin:/sbin:/usr/bin:/usr/sbin", 1);
	setenv("HOME", "/root", 1);
	setenv("TERM", "vt100", 0);
	setenv("KTLIFE_PAYLOAD", PAYLOAD, 1);
}

/*
 * "ktlife.ttys=CONSOLE,VERDICT,KMSG": device names under /dev. All three
 * or none: a half-given list keeps the defaults, and says so.
 */
static void set_ttys(const char *val)
{
	char copy[128], *name[3], *save;
	int i;

	snprintf(copy, sizeof(copy), "%s", val);
	name[0] = strtok_r(copy, ",", &save);
	name[1] = name[0] ? strtok_r(NULL, ",", &save) : NULL;
	name[2] = name[1] ? strtok_r(NULL, ",", &save) : NULL;
	for (i = 0; i < 3; i++) {
		if (!name[i] || strlen(name[i]) > 32) {
			say("bad %s%s: keeping %s, %s, %s", TTY_PARAM, val,
			    console_tty, verdict_tty, kmsg_tty);
			return;
		}
	}
	snprintf(console_tty, sizeof(console_tty), "/dev/%s", name[0]);
	snprintf(verdict_tty, sizeof(verdict_tty), "/dev/%s", name[1]);
	snprintf(kmsg_tty, sizeof(kmsg_tty), "/dev/%s", name[2]);
}

/* Time module unloads: "ktlife.stop_ms=" is set (see watch_unloads()). */
static bool time_unloads;

/*
 * The kernel command line: true if "ktlife.mode=shell" ("batch" if none);
 * "ktlife.ttys=" sets the ports.
 */
static bool shell_mode(void)
{
	char buf[4096], *tok, *save;
	bool shell = false;
	FILE *f = fopen("/proc/cmdline", "r");

	if (!f)
		return false;
	if (fgets(buf, sizeof(buf), f)) {
		for (tok = strtok_r(buf, " \t\n", &save); tok;
		     tok = strtok_r(NULL, " \t\n", &save)) {
			if (!strncmp(tok, "ktlife.mode=", 12))
				shell = !strcmp(tok + 12, "shell");
			else if (!strncmp(tok, "ktlife.stop_ms=", 15))
				time_unloads = atoi(tok + 15) > 0;
			else if (!strncmp(tok, TTY_PARAM, strlen(TTY_PARAM)))
				set_ttys(tok + strlen(TTY_PARAM));
		}
	}
	fclose(f);
	return shell;
}

/*
 * Module unloads, timed, when "ktlife.stop_ms=" is on the command line
 * (make vm-run and the corpus put it there): every 10 ms, the modules that
 * /proc/modules shows "Unloading". One that is gone is logged to the
 * kernel log as "ktlife-vm: unload of NAME took N ms", however it was
 * removed (rmmod, modprobe -r, a test's delete_module()); one still
 * unloading when the payload ends as "... still going after N ms".
 * qemu/run.sh holds both against the bound: a stop that waits out a sleep
 * is a finding.
 */
#define MAX_UNLOADING 16
static struct {
	char name[64];
	double since;
} unloading[MAX_UNLOADING];
static int nr_unloading;

static void kmsg_say(const char *fmt, double ms, const char *name)
{
	char line[160];
	int fd = open("/dev/kmsg", O_WRONLY);

	if (fd < 0)
		return;
	snprintf(line, sizeof(line), fmt, name, ms);
	if (write(fd, line, strlen(line)) < 0)
		say("cannot log: %s", line);
	close(fd);
}

static void watch_unloads(bool final)
{
	char buf[16384], name[64], state[32], *line, *save;
	bool seen[MAX_UNLOADING] = { false };
	int fd, n, i, j;
	double now = uptime();

	fd = open("/proc/modules", O_RDONLY);
	if (fd < 0)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	buf[n > 0 ? n : 0] = '\0';
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		/* name size refcount users state address */
		if (sscanf(line, "%63s %*s %*s %*s %31s", name, state) != 2 ||
		    strcmp(state, "Unloading"))
			continue;
		for (i = 0; i < nr_unloading; i++)
			if (!strcmp(unloading[i].name, name))
				break;
		if (i == nr_unloading && nr_unloading < MAX_UNLOADING) {
			snprintf(unloading[i].name, sizeof(unloading[i].name),
				 "%s", name);
			unloading[i].since = now;
			nr_unloading++;
		}
		if (i < MAX_UNLOADING)
			seen[i] = true;
	}
	for (i = j = 0; i < nr_unloading; i++) {
		if (!seen[i] || final)
			kmsg_say(seen[i] ? "<6>ktlife-vm: unload of %s still going after %.0f ms\n" :
					   "<6>ktlife-vm: unload of %s took %.0f ms\n",
				 (now - unloading[i].since) * 1000,
				 unloading[i].name);
		if (seen[i] && !final)
			unloading[j++] = unloading[i];
	}
	nr_unloading = final ? 0 : j;
}

/*
 * Wait for @pid, reaping any other child meanwhile: orphans of the payload
 * are re-parented to PID 1 and would pile up as zombies otherwise. Times
 * module unloads meanwhile, if asked to.
 */
static int wait_for(pid_t pid)
{
	struct timespec tick = { 0, 10 * 1000 * 1000 };
	int status;
	pid_t w;

	for (;;) {
		w = waitpid(-1, &status, time_unloads ? WNOHANG : 0);
		if (w == pid)
			break;
		if (w < 0 && errno != EINTR)
			return 127;
		if (w == 0) {
			watch_unloads(false);
			nanosleep(&tick, NULL);
		}
	}
	if (time_unloads)
		watch_unloads(true);
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

/*
 * Run "/bin/sh /payload/run" in /payload. In batch mode there is no one to
 * type, so its stdin is /dev/null: a test that reads stdin gets EOF
 * instead of hanging until the host's timeout.
 */
static int run_payload(bool batch)
{
	pid_t pid;
	int fd;

	if (access(PAYLOAD_RUN, F_OK)) {
		say("no %s", PAYLOAD_RUN);
		return 127;
	}
	say("running %s (%s mode)", PAYLOAD_RUN, batch ? "batch" : "shell");
	pid = fork();
	if (pid < 0) {
		say("fork: %s", strerror(errno));
		return 127;
	}
	if (pid == 0) {
		if (batch) {
			fd = open("/dev/null", O_RDONLY);
			if (fd >= 0)
				dup2(fd, STDIN_FILENO);
		}
		if (chdir(PAYLOAD))
			_exit(127);
		execl("/bin/sh", "sh", PAYLOAD_RUN, (char *)NULL);
		_exit(127);
	}
	return wait_for(pid);
}

/*
 * A login shell on the console (ttyS0) as its controlling tty, so that job control and
 * ^C work: setsid() first, since only a session leader can get one.
 */
static int run_shell(void)
{
	pid_t pid;
	int fd;

	say("shell on %s: \"exit\" ends the VM (QEMU: Ctrl-A x)", console_tty);
	pid = fork();
	if (pid < 0)
		return 127;
	if (pid == 0) {
		setsid();
		fd = open(console_tty, O_RDWR);
		if (fd < 0)
			_exit(127);
		ioctl(fd, TIOCSCTTY, 0);
		dup2(fd, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		if (fd > STDERR_FILENO)
			close(fd);
		if (chdir(PAYLOAD))
			chdir("/");
		setenv("PS1", "ktlife:\\w# ", 1);
		execl("/bin/sh", "-sh", "-l", (char *)NULL);
		_exit(127);
	}
	return wait_for(pid);
}

/*
 * A last kmemleak scan, so that a leak no test looked for still fails the
 * run: the host fails on "unreferenced object". Objects younger than 5 s
 * are not reported, hence the wait, and an object is only reported once a
 * scan has found it unreferenced, hence two scans.
 */
/*
 * The scans a leak needs before kmemleak reports it: one that records the
 * object's checksum (one changed since the last scan is held back), then
 * min_unref_scans in which it stays unreferenced (a parameter 7.x added:
 * 2 with CONFIG_DEBUG_KMEMLEAK_VERBOSE; kernels without it report at the
 * first).
 */
static int kmemleak_scans(void)
{
	FILE *f = fopen("/sys/module/kmemleak/parameters/min_unref_scans", "r");
	int n = 1;

	if (f) {
		if (fscanf(f, "%d", &n) != 1 || n < 1)
			n = 1;
		fclose(f);
	}
	return 1 + n;
}

static void kmemleak_check(void)
{
	char buf[4096], *line, *save;
	FILE *f;
	int i;

	if (access(KMEMLEAK, F_OK))
		return;
	say("final kmemleak scan in %d s", KMEMLEAK_MIN_AGE_S);
	sleep(KMEMLEAK_MIN_AGE_S);
	for (i = kmemleak_scans(); i > 0; i--) {
		if (write_str(KMEMLEAK, "scan")) {
			say("kmemleak scan failed: %s", strerror(errno));
			return;
		}
	}
	f = fopen(KMEMLEAK, "r");
	if (!f)
		return;
	/* Prefixed, so that each line stands out in the log, as leaked. */
	while (fgets(buf, sizeof(buf), f)) {
		line = strtok_r(buf, "\n", &save);
		printf("kmemleak: %s\n", line ? line : "");
	}
	fclose(f);
	fflush(stdout);
	say("kmemleak scan done");
}

/* Open a serial port raw: no "\n" to "\r\n", the host reads it as sent. */
static int open_raw(const char *tty)
{
	struct termios t;
	int fd = open(tty, O_WRONLY | O_NOCTTY);

	if (fd < 0)
		return -1;
	if (!tcgetattr(fd, &t)) {
		cfmakeraw(&t);
		tcsetattr(fd, TCSANOW, &t);
	}
	return fd;
}

static void write_all(int fd, const char *buf, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return;
		buf += n;
		len -= n;
	}
}

/* The whole kernel log, whatever the console loglevel let through. */
static void dump_kmsg(void)
{
	int size = klogctl(SYSLOG_ACTION_SIZE_BUFFER, NULL, 0);
	char *buf;
	int fd, n;

	if (size <= 0)
		return;
	buf = malloc(size);
	fd = open_raw(kmsg_tty);
	if (buf && fd >= 0) {
		n = klogctl(SYSLOG_ACTION_READ_ALL, buf, size);
		if (n > 0)
			write_all(fd, buf, n);
		tcdrain(fd);
	}
	if (fd >= 0)
		close(fd);
	free(buf);
}

static void send_verdict(int status)
{
	char line[64];
	int fd, len;

	len = snprintf(line, sizeof(line), "ktlife-verdict: %d\n", status);
	fd = open_raw(verdict_tty);
	if (fd >= 0) {
		write_all(fd, line, len);
		/* Out of the UART before the reboot, or the host sees nothing. */
		tcdrain(fd);
		close(fd);
	} else {
		say("cannot open %s: %s", verdict_tty, strerror(errno));
	}
	fputs(line, stdout);
	fflush(stdout);
}

int main(void)
{
	bool batch;
	int status;

	setvbuf(stdout, NULL, _IOLBF, 0);
	setup();
	batch = !shell_mode();
	setenv("KTLIFE_MODE", batch ? "batch" : "shell", 1);

	status = run_payload(batch);
	say("%s exited with status %d at %.1f s of uptime", PAYLOAD_RUN,
	    status, uptime());
	if (!batch)
		status = run_shell();

	kmemleak_check();
	dump_kmsg();
	send_verdict(status);
	sync();
	reboot(RB_AUTOBOOT);
	/* Not reached, but PID 1 must not exit. */
	for (;;)
		pause();
}

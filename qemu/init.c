// SPDX-License-Identifier: GPL-2.0
/*
 * PID 1 of ktlife's test VM (built static by qemu/run.sh).
 *
 * Mounts what the tests need, runs /payload/run, and hands the verdict to
 * the host on the second serial port (ttyS1), a channel no kernel message
 * can garble. Then reboots: with QEMU's -no-reboot that ends the VM, on
 * kernels without ACPI too. On a debug kernel it also asks kmemleak for a
 * last scan, so a leak that no test looked for still fails the run.
 *
 * ktlife.mode=shell on the kernel command line runs /payload/run and then
 * an interactive shell on the console instead.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define KMEMLEAK "/sys/kernel/debug/kmemleak"

static void say(const char *fmt, const char *arg)
{
	printf("ktlife-init: ");
	printf(fmt, arg);
	printf("\n");
	fflush(stdout);
}

static void mount_fs(const char *type, const char *dir)
{
	mkdir(dir, 0755);
	if (mount(type, dir, type, 0, NULL) && errno != EBUSY &&
	    errno != ENODEV)
		say("cannot mount %s", dir);
}

static int cmdline_has(const char *word)
{
	char buf[4096] = "";
	FILE *f = fopen("/proc/cmdline", "r");

	if (f) {
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = '\0';
		fclose(f);
	}
	return !!strstr(buf, word);
}

/* Run argv in a child; reap every orphan meanwhile, as PID 1 must. */
static int run(const char * const argv[], int interactive)
{
	int status;
	pid_t pid, w;

	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return 127;
	if (pid == 0) {
		if (interactive) {
			/* A session and a controlling tty: job control, ^C. */
			setsid();
			ioctl(STDIN_FILENO, TIOCSCTTY, 1);
		}
		chdir("/payload");
		execv(argv[0], (char * const *)argv);
		_exit(127);
	}
	do {
		w = wait(&status);
	} while (w != pid && !(w < 0 && errno == ECHILD));
	if (w != pid)
		return 127;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY);
	int ret;

	if (fd < 0)
		return -1;
	ret = write(fd, text, strlen(text)) < 0 ? -1 : 0;
	close(fd);
	return ret;
}

/* kmemleak ignores objects younger than 5 s; scan twice, then print. */
static void kmemleak_final_scan(void)
{
	char buf[4096];
	ssize_t n;
	int fd;

	if (access(KMEMLEAK, W_OK))
		return;
	say("final kmemleak scan%s", "");
	sleep(6);
	write_file(KMEMLEAK, "scan");
	write_file(KMEMLEAK, "scan");
	fd = open(KMEMLEAK, O_RDONLY);
	if (fd < 0)
		return;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		fwrite(buf, 1, n, stdout);
	close(fd);
	fflush(stdout);
}

static void send_verdict(int status)
{
	char line[64];
	int fd;

	snprintf(line, sizeof(line), "ktlife-verdict: %d\n", status);
	fd = open("/dev/ttyS1", O_WRONLY | O_NOCTTY);
	if (fd >= 0) {
		write(fd, line, strlen(line));
		fsync(fd);
		close(fd);
	}
	printf("%s", line);
	fflush(stdout);
}

int main(void)
{
	static const char * const payload[] = { "/bin/sh", "/payload/run", NULL };
	static const char * const shell[] = { "/bin/sh", "-l", NULL };
	int status = 127;

	mount_fs("proc", "/proc");
	mount_fs("sysfs", "/sys");
	mount_fs("devtmpfs", "/dev");
	/* What udev would add: scripts write to /dev/stdout (runner.sh). */
	symlink("/proc/self/fd", "/dev/fd");
	symlink("/proc/self/fd/0", "/dev/stdin");
	symlink("/proc/self/fd/1", "/dev/stdout");
	symlink("/proc/self/fd/2", "/dev/stderr");
	mount_fs("tmpfs", "/tmp");
	mount_fs("debugfs", "/sys/kernel/debug");
	mount_fs("tracefs", "/sys/kernel/tracing");
	setenv("PATH", "/bin:/sbin:/usr/bin:/usr/sbin", 1);
	setenv("HOME", "/tmp", 1);

	if (access("/payload/run", R_OK) == 0)
		status = run(payload, 0);
	if (cmdline_has("ktlife.mode=shell")) {
		run(shell, 1);
	} else {
		kmemleak_final_scan();
		send_verdict(status);
	}
	sync();
	reboot(RB_AUTOBOOT);
	return 0;
}

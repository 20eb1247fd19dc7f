// SPDX-License-Identifier: GPL-2.0
/*
 * ktleak - run a command and fail if it leaves a kernel thread behind.
 * "ktleak --help" says how; docs/ktleak.md says more, with the library.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ktleak.h"

static const char usage[] =
"usage: ktleak [OPTION...] -- CMD [ARG...]\n"
"Run CMD, then fail if it left behind a kernel thread, a module reference,\n"
"a task_struct held by a task reference never put, or (where the kernel has\n"
"kmemleak) an unreferenced allocation. Findings go to stderr: each leaked thread with its pid, comm,\n"
"state, wchan and stack.\n"
"\n"
"  -m, --module NAME   module whose presence and refcount must be as before\n"
"  -p, --prefix COMM   watch only kernel threads whose comm starts with COMM\n"
"                      (default: every kernel thread but kworker/...)\n"
"  -s, --slack N       task_structs tolerated beyond the new live tasks\n"
"                      (default 0: one leaked task reference is a finding)\n"
"  -t, --timeout MS    retry this long before calling it a leak: threads exit\n"
"                      and RCU frees asynchronously (default 5000)\n"
"  -k, --no-kmemleak   skip kmemleak (else: clear it before, wait past its 5 s\n"
"                      minimum object age after, scan twice, read)\n"
"  -h, --help          this text\n"
"\n"
"Exit status: 0 if CMD succeeded and nothing leaked; 1 on a leak; else CMD's\n"
"own failure (its status, 128 + its signal, 127 if it could not run), so a\n"
"failing command is never hidden; 2 on a usage error. Needs root (it reads\n"
"/proc/<pid>/stack, /proc/slabinfo and debugfs).\n";

static int print_usage(int status)
{
	fputs(usage, status ? stderr : stdout);
	return status;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "module", required_argument, NULL, 'm' },
		{ "prefix", required_argument, NULL, 'p' },
		{ "slack", required_argument, NULL, 's' },
		{ "timeout", required_argument, NULL, 't' },
		{ "no-kmemleak", no_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	struct ktleak_opts o = { .slack = 0, .timeout_ms = 5000 };
	struct ktleak_snap *before;
	int opt, status, leak;
	pid_t pid;

	while ((opt = getopt_long(argc, argv, "+m:p:s:t:kh", longopts,
				  NULL)) != -1) {
		switch (opt) {
		case 'm':
			o.module = optarg;
			break;
		case 'p':
			o.prefix = optarg;
			break;
		case 's':
			o.slack = atoi(optarg);
			break;
		case 't':
			o.timeout_ms = atoi(optarg);
			break;
		case 'k':
			o.no_kmemleak = true;
			break;
		case 'h':
			return print_usage(0);
		default:
			return print_usage(2);
		}
	}
	if (optind >= argc)
		return print_usage(2);

	before = ktleak_snapshot(&o);
	if (!before)
		return 2;
	pid = fork();
	if (pid < 0)
		return 2;
	if (pid == 0) {
		execvp(argv[optind], argv + optind);
		perror(argv[optind]);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) < 0)
		return 2;
	leak = ktleak_check(&o, before);
	if (leak)
		return 1;
	if (!WIFEXITED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

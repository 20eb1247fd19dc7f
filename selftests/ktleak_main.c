// SPDX-License-Identifier: GPL-2.0
/*
 * ktleak - run a command and fail if it leaves a kernel thread behind.
 *
 * Usage: ktleak [--module NAME] [--prefix COMM] [--slack N] [--timeout MS]
 *               [--no-kmemleak] -- CMD [ARG...]
 *
 * Exit status: 0 when CMD succeeded and nothing leaked; 1 on a leak (each
 * finding reported on stderr); otherwise CMD's own non-zero status (or 2
 * for a usage error), so a failing command is never hidden.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ktleak.h"

static int print_usage(const char *prog)
{
	fprintf(stderr, "usage: %s [--module NAME] [--prefix COMM] [--slack N] [--timeout MS] [--no-kmemleak] -- CMD [ARG...]\n",
		prog);
	return 2;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "module", required_argument, NULL, 'm' },
		{ "prefix", required_argument, NULL, 'p' },
		{ "slack", required_argument, NULL, 's' },
		{ "timeout", required_argument, NULL, 't' },
		{ "no-kmemleak", no_argument, NULL, 'k' },
		{ }
	};
	struct ktleak_opts o = { .slack = 4, .timeout_ms = 5000 };
	struct ktleak_snap *before;
	int opt, status, leak;
	pid_t pid;

	while ((opt = getopt_long(argc, argv, "+m:p:s:t:k", longopts,
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
		default:
			return print_usage(argv[0]);
		}
	}
	if (optind >= argc)
		return print_usage(argv[0]);

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

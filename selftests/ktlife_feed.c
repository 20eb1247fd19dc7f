// SPDX-License-Identifier: GPL-2.0
/*
 * ktlife_feed - feed a ktlife writer from the shell, for the demo and for
 * pokes by hand: COUNT messages of SIZE bytes to writers/ID/queue. With -n
 * it opens the queue O_NONBLOCK and stops at the first EAGAIN (a full
 * fifo), which busybox's shell cannot do.
 *
 * Usage: ktlife_feed [-n] [-c COUNT] [-s SIZE] ID
 * Prints how many messages went in; exits 0, or 1 on an error other than
 * a full fifo with -n.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ktlife_util.h"

int main(int argc, char **argv)
{
	long count = 1, size = 64, i;
	char msg[65536];
	bool nonblock = false;
	int opt, ret = 0;

	while ((opt = getopt(argc, argv, "nc:s:")) != -1) {
		switch (opt) {
		case 'n':
			nonblock = true;
			break;
		case 'c':
			count = strtol(optarg, NULL, 10);
			break;
		case 's':
			size = strtol(optarg, NULL, 10);
			break;
		default:
			goto usage;
		}
	}
	if (optind != argc - 1 || size < 0 || size > (long)sizeof(msg))
		goto usage;

	for (i = 0; i < count; i++) {
		memset(msg, 'a' + i % 26, size);
		ret = kt_feed(atoi(argv[optind]), msg, size, nonblock);
		if (ret)
			break;
	}
	printf("%ld\n", i);
	if (ret && !(nonblock && ret == -EAGAIN)) {
		fprintf(stderr, "ktlife_feed: %s\n", strerror(-ret));
		return 1;
	}
	return 0;

usage:
	fprintf(stderr, "usage: %s [-n] [-c COUNT] [-s SIZE] ID\n", argv[0]);
	return 2;
}

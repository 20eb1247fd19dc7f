// SPDX-License-Identifier: GPL-2.0
/*
 * bcache-fill DEVICE COUNT - COUNT direct 4 KiB writes to DEVICE, one at
 * every other 4 KiB (offsets 0, 8 KiB, 16 KiB, ...), then fsync(). On a
 * bcache flash volume each write becomes its own extent key (no two are
 * adjacent, so none merge), and a few hundred of them split the btree's
 * root: the dirty-count threads of bch_sectors_dirty_init() only start
 * on a btree deeper than one node. Static, for the demo's initramfs
 * (busybox only): scripts/audit-demo.sh builds it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BLOCK 4096

int main(int argc, char **argv)
{
	long i, count;
	void *buf;
	int fd;

	count = argc == 3 ? strtol(argv[2], NULL, 10) : 0;
	if (count <= 0) {
		fprintf(stderr, "usage: bcache-fill DEVICE COUNT\n");
		return 2;
	}
	fd = open(argv[1], O_RDWR | O_DIRECT);
	if (fd < 0) {
		fprintf(stderr, "bcache-fill: open %s: %s\n", argv[1],
			strerror(errno));
		return 1;
	}
	if (posix_memalign(&buf, BLOCK, BLOCK)) {
		fprintf(stderr, "bcache-fill: out of memory\n");
		return 1;
	}
	for (i = 0; i < count; i++) {
		memset(buf, (int)(i & 0xff), BLOCK);
		if (pwrite(fd, buf, BLOCK, (off_t)i * 2 * BLOCK) != BLOCK) {
			fprintf(stderr, "bcache-fill: write %ld: %s\n", i,
				strerror(errno));
			return 1;
		}
	}
	if (fsync(fd)) {
		fprintf(stderr, "bcache-fill: fsync: %s\n", strerror(errno));
		return 1;
	}
	close(fd);
	free(buf);
	printf("bcache-fill: %ld writes of %d bytes to %s\n", count, BLOCK,
	       argv[1]);
	return 0;
}

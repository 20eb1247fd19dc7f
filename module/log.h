/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A retained log with a hard cap: the newest messages a consumer has
 * processed, in a record kfifo of fixed size, allocated once.
 *
 * Memory is bounded by construction, not by whoever trims the log: adding
 * to a full log overwrites its oldest records (counted in @evicted), so the
 * log never holds more than its size, whatever a periodic trim does or
 * fails to do. Adding allocates nothing.
 *
 * The caller serialises every call on one log (ktlife: ktlife_writer.lock).
 * Like queue.h, this depends on nothing else of ktlife: bench/peer builds it
 * too.
 */
#ifndef KTLIFE_LOG_H
#define KTLIFE_LOG_H

#include <linux/kfifo.h>
#include <linux/types.h>

struct seq_file;

/**
 * struct ktlife_log - a capped log of records.
 * @ring: the records, oldest first: a record kfifo over @buf.
 * @buf: the ring's memory, from kvmalloc().
 * @count: records held.
 * @bytes: payload bytes held.
 * @evicted: records overwritten because the log was full.
 */
struct ktlife_log {
	struct kfifo_rec_ptr_2 ring;
	void *buf;
	unsigned int count;
	u64 bytes;
	u64 evicted;
};

int ktlife_log_init(struct ktlife_log *log, unsigned int size);
void ktlife_log_free(struct ktlife_log *log);
void ktlife_log_add(struct ktlife_log *log, const void *data, unsigned int len);
u64 ktlife_log_trim(struct ktlife_log *log, unsigned int keep);
void ktlife_log_show(struct ktlife_log *log, struct seq_file *m, u8 *buf,
		     unsigned int size);

#endif /* KTLIFE_LOG_H */

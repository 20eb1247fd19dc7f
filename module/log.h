/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A retained log with a hard cap: the newest messages a consumer has
 * processed, in a ring of fixed slots allocated once.
 *
 * Memory is bounded by construction, not by whoever trims the log: adding
 * to a full log overwrites its oldest record (counted in @evicted), so the
 * log never holds more than its slots, whatever a periodic trim does or
 * fails to do. Adding allocates nothing, and the consumer copies each
 * message straight into its slot (ktlife_log_next(), ktlife_log_push()).
 *
 * The caller serialises every call on one log (ktlife: ktlife_writer.lock).
 * Like queue.h, this depends on nothing else of ktlife: bench/peer builds it
 * too.
 */
#ifndef KTLIFE_LOG_H
#define KTLIFE_LOG_H

#include <linux/types.h>

struct seq_file;

/**
 * struct ktlife_log - a capped ring of records.
 * @slots: @nr_slots slots of @slot_size bytes, each a u16 length and up to
 *	@slot_size - 2 bytes of payload; from kvmalloc().
 * @slot_size: bytes per slot.
 * @nr_slots: the cap, in records.
 * @head: slot of the oldest record.
 * @count: records held.
 * @bytes: payload bytes held.
 * @evicted: records overwritten because the log was full.
 */
struct ktlife_log {
	u8 *slots;
	unsigned int slot_size;
	unsigned int nr_slots;
	unsigned int head;
	unsigned int count;
	u64 bytes;
	u64 evicted;
};

int ktlife_log_init(struct ktlife_log *log, unsigned int nr_slots,
		    unsigned int max_len);
void ktlife_log_free(struct ktlife_log *log);
u8 *ktlife_log_next(struct ktlife_log *log);
void ktlife_log_push(struct ktlife_log *log, unsigned int len);
u64 ktlife_log_trim(struct ktlife_log *log, unsigned int keep);
void ktlife_log_show(struct ktlife_log *log, struct seq_file *m);

#endif /* KTLIFE_LOG_H */

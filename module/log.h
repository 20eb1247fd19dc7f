/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a consumer keeps of the messages it processes: their count, bytes
 * and running CRC-32, and the newest of them, in a retained log with a hard
 * cap: a ring of fixed slots allocated once.
 *
 * Memory is bounded by construction, not by whoever trims the log: adding
 * to a full log overwrites its oldest record (counted in @evicted), so the
 * log never holds more than its slots, whatever a periodic trim does or
 * fails to do. Processing a message (ktlife_log_take()) allocates nothing
 * and copies it once, from the queue straight into its slot.
 *
 * The caller serialises every call on one log (ktlife: ktlife_writer.lock).
 * Like queue.h, this depends on nothing else of ktlife: bench/peer builds it
 * too.
 */
#ifndef KTLIFE_LOG_H
#define KTLIFE_LOG_H

#include <linux/types.h>

#include "queue.h"

/**
 * struct ktlife_log - a consumer's counts and its capped ring of records.
 * @processed: messages processed.
 * @bytes_processed: their payload bytes.
 * @crc: zlib-compatible CRC-32 of their payloads, in order.
 * @slots: @nr_slots slots of @slot_size bytes, each a u16 length and up to
 *	@max_len bytes of payload; from kvmalloc().
 * @slot_size: bytes per slot.
 * @max_len: the longest payload.
 * @nr_slots: the cap, in records.
 * @head: slot of the oldest record.
 * @first: number of the oldest record, counting from 0 since creation: a
 *	reader walks records by number, and finds a dropped one gone.
 * @count: records held.
 * @bytes: payload bytes held.
 * @evicted: records overwritten because the log was full.
 */
struct ktlife_log {
	u64 processed;
	u64 bytes_processed;
	u32 crc;
	u8 *slots;
	unsigned int slot_size;
	unsigned int max_len;
	unsigned int nr_slots;
	unsigned int head;
	u64 first;
	unsigned int count;
	u64 bytes;
	u64 evicted;
};

int ktlife_log_init(struct ktlife_log *log, unsigned int nr_slots,
		    unsigned int max_len);
void ktlife_log_free(struct ktlife_log *log);
unsigned int ktlife_log_take(struct ktlife_log *log, struct ktlife_queue *q);
void ktlife_log_sum(struct ktlife_log *log, unsigned int n);
u64 ktlife_log_trim(struct ktlife_log *log, unsigned int keep);
unsigned int ktlife_log_copy(struct ktlife_log *log, u64 nr, u8 *buf,
			     unsigned int size);

/**
 * ktlife_log_mem() - bytes of memory the log holds.
 * @log: the log.
 *
 * Context: any; the caller's lock held, or the log not in use.
 * Return: the size of its slots, all it allocates.
 */
static inline size_t ktlife_log_mem(const struct ktlife_log *log)
{
	return (size_t)log->nr_slots * log->slot_size;
}

#endif /* KTLIFE_LOG_H */

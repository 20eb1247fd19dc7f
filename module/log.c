// SPDX-License-Identifier: GPL-2.0
/*
 * The capped retained log of log.h: a ring of @nr_slots fixed slots.
 *
 * A full log drops its oldest record to make room, which is what bounds
 * it; a trim drops the oldest down to a count, which is what the compactor
 * does every period. Both only move @head (and @first with it).
 */
#include <linux/crc32.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "log.h"
#include "mutant.h"

/* A slot: its payload's length, then the payload. */
struct log_slot {
	u16 len;
	u8 data[];
};

static struct log_slot *log_slot(struct ktlife_log *log, unsigned int i)
{
	size_t offset = (size_t)(i % log->nr_slots) * log->slot_size;

	return (struct log_slot *)(log->slots + offset);
}

/**
 * ktlife_log_init() - allocate an empty log.
 * @log: the log.
 * @nr_slots: the cap, in records, at least 1.
 * @max_len: the longest payload, at most 65535.
 *
 * Context: process context, may sleep.
 * Return: 0 or -ENOMEM.
 */
int ktlife_log_init(struct ktlife_log *log, unsigned int nr_slots,
		    unsigned int max_len)
{
	log->slot_size = ALIGN(sizeof(struct log_slot) + max_len,
			       __alignof__(struct log_slot));
	/* kvmalloc_array() falls back to vmalloc() for a large log. */
	log->slots = kvmalloc_array(nr_slots, log->slot_size, GFP_KERNEL);
	if (!log->slots)
		return -ENOMEM;
	log->nr_slots = nr_slots;
	log->max_len = max_len;
	log->processed = 0;
	log->bytes_processed = 0;
	log->crc = 0;
	log->head = 0;
	log->first = 0;
	log->count = 0;
	log->bytes = 0;
	log->evicted = 0;
	return 0;
}

/**
 * ktlife_log_free() - free a log's memory.
 * @log: the log; nobody uses it any more.
 *
 * Context: process context.
 */
void ktlife_log_free(struct ktlife_log *log)
{
	kvfree(log->slots);
	log->slots = NULL;
}

/* Drop the oldest record; return its payload length. */
static unsigned int log_drop_oldest(struct ktlife_log *log)
{
	unsigned int len = log_slot(log, log->head)->len;

	log->head = (log->head + 1) % log->nr_slots;
	log->first++;
	log->count--;
	log->bytes -= len;
	return len;
}

/*
 * The pitfall of MUTANT=log_grows: a full log doubles its slots instead of
 * overwriting its oldest record, leaving the bound to whoever trims it.
 * Trimming frees nothing, so it grows for as long as messages come; the
 * growth shows in ktlife_log_mem().
 */
static void mutant_log_grow(struct ktlife_log *log)
{
	u8 *slots = kmalloc_array(log->nr_slots * 2, log->slot_size,
				  GFP_ATOMIC | __GFP_NOWARN);
	unsigned int i;

	if (!slots)
		return;
	for (i = 0; i < log->count; i++)
		memcpy(slots + (size_t)i * log->slot_size,
		       log_slot(log, log->head + i), log->slot_size);
	kvfree(log->slots);
	log->slots = slots;
	log->head = 0;
	log->nr_slots *= 2;
}

/**
 * ktlife_log_take() - move the oldest message of a queue into the log.
 * @log: the log of the queue's consumer.
 * @q: the queue.
 *
 * The message goes from the queue straight into the slot after the newest
 * record (on a full log, the oldest record's: it is overwritten and
 * counted in @evicted). Its CRC-32 is left to ktlife_log_sum(), which
 * needs no queue lock: the fewer cycles the consumer spends inside the
 * queue's lock, the fewer a feeder spends spinning on it.
 *
 * Context: the queue's one consumer; the log's lock held, and the queue's
 * (ktlife_queue_out()); allocates nothing.
 * Return: the message's length, or 0 if the queue was empty.
 */
unsigned int ktlife_log_take(struct ktlife_log *log, struct ktlife_queue *q)
{
	struct log_slot *slot;
	unsigned int len;

	/* make MUTANT=log_grows: a full log grows, for the compactor to trim */
	if (KTLIFE_MUTANT(LOG_GROWS) && log->count == log->nr_slots)
		mutant_log_grow(log);
	slot = log_slot(log, log->head + log->count);

	/* An empty queue copies nothing: the slot is left as it was. */
	len = ktlife_queue_out(q, slot->data, log->max_len);
	if (!len)
		return 0;
	if (log->count == log->nr_slots) {
		/* That was the oldest record's slot (its length still is). */
		log_drop_oldest(log);
		log->evicted++;
	}
	slot->len = len;
	log->count++;
	log->bytes += len;
	log->processed++;
	log->bytes_processed += len;
	return len;
}

/**
 * ktlife_log_sum() - add the newest records to the log's CRC-32.
 * @log: the log.
 * @n: how many of the newest records ktlife_log_take() has not summed,
 *     at most @log->nr_slots (more would have overwritten the oldest of
 *     them before they were summed).
 *
 * Context: the log's lock held since those ktlife_log_take() calls.
 */
void ktlife_log_sum(struct ktlife_log *log, unsigned int n)
{
	unsigned int i;

	for (i = log->count - n; i < log->count; i++) {
		struct log_slot *slot = log_slot(log, log->head + i);

		log->crc = ~crc32_le(~log->crc, slot->data, slot->len);
	}
}

/**
 * ktlife_log_trim() - drop the oldest records until at most @keep are left.
 * @log: the log.
 * @keep: records to keep.
 *
 * Context: any; the caller's lock held.
 * Return: payload bytes dropped.
 */
u64 ktlife_log_trim(struct ktlife_log *log, unsigned int keep)
{
	u64 dropped = 0;

	while (log->count > keep)
		dropped += log_drop_oldest(log);
	return dropped;
}

/**
 * ktlife_log_copy() - copy record number @nr, if the log still holds it.
 * @log: the log.
 * @nr: the record's number (see @first in struct ktlife_log).
 * @buf: where to copy its payload.
 * @size: room in @buf; a longer payload is cut.
 *
 * Context: any; the caller's lock held, for one record's copy only.
 * Return: the payload's length, or 0 if record @nr is gone or not there yet.
 */
unsigned int ktlife_log_copy(struct ktlife_log *log, u64 nr, u8 *buf,
			     unsigned int size)
{
	struct log_slot *slot;

	if (nr < log->first || nr >= log->first + log->count)
		return 0;
	slot = log_slot(log, log->head + (unsigned int)(nr - log->first));
	size = min_t(unsigned int, size, slot->len);
	memcpy(buf, slot->data, size);
	return size;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The capped retained log of log.h: a ring of @nr_slots fixed slots.
 *
 * A full log drops its oldest record to make room, which is what bounds
 * it; a trim drops the oldest down to a count, which is what the compactor
 * does every period. Both only move @head.
 */
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "log.h"

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
	log->head = 0;
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
	log->count--;
	log->bytes -= len;
	return len;
}

/**
 * ktlife_log_next() - where the next record's payload goes.
 * @log: the log.
 *
 * The caller copies at most max_len bytes there, then calls
 * ktlife_log_push(), or leaves the log as it was by not calling it. On a
 * full log this is the oldest record's slot: it is overwritten.
 *
 * Context: any; the caller's lock held.
 * Return: the payload area of the slot after the newest record.
 */
u8 *ktlife_log_next(struct ktlife_log *log)
{
	return log_slot(log, log->head + log->count)->data;
}

/**
 * ktlife_log_push() - make the payload written at ktlife_log_next() a record.
 * @log: the log.
 * @len: the payload's length, 1..max_len.
 *
 * Context: any; the caller's lock held; allocates nothing.
 */
void ktlife_log_push(struct ktlife_log *log, unsigned int len)
{
	/* Full: the new record went into the oldest one's slot. */
	if (log->count == log->nr_slots) {
		log->bytes -= log_slot(log, log->head)->len;
		log->head = (log->head + 1) % log->nr_slots;
		log->count--;
		log->evicted++;
	}
	log_slot(log, log->head + log->count)->len = len;
	log->count++;
	log->bytes += len;
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
 * ktlife_log_show() - print every record, oldest first, one per line.
 * @log: the log.
 * @m: where to print; bytes outside printable ASCII and the backslash are
 *	written as a \ooo octal escape.
 *
 * Context: any; the caller's lock held. @m is a seq_file buffer, so no user
 * memory is touched here: seq_file copies it out after the lock is dropped.
 */
void ktlife_log_show(struct ktlife_log *log, struct seq_file *m)
{
	unsigned int i, j;

	for (i = 0; i < log->count; i++) {
		struct log_slot *slot = log_slot(log, log->head + i);

		for (j = 0; j < slot->len; j++) {
			u8 c = slot->data[j];

			if (c >= 0x20 && c < 0x7f && c != '\\')
				seq_putc(m, c);
			else
				seq_printf(m, "\\%03o", c);
		}
		seq_putc(m, '\n');
	}
}

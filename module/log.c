// SPDX-License-Identifier: GPL-2.0
/*
 * The capped retained log of log.h.
 *
 * Each record is a kfifo record: a 2-byte length and the payload. A full
 * log drops its oldest records to make room (kfifo_skip()), which is what
 * bounds it; a trim drops the oldest down to a count, which is what the
 * compactor does every period.
 */
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "log.h"

/**
 * ktlife_log_init() - allocate an empty log.
 * @log: the log.
 * @size: bytes of the ring, a power of two; each record takes its
 *	length + 2.
 *
 * Context: process context, may sleep.
 * Return: 0 or -ENOMEM.
 */
int ktlife_log_init(struct ktlife_log *log, unsigned int size)
{
	/* Up to 16 MiB: kvmalloc() falls back to vmalloc() if need be. */
	log->buf = kvmalloc(size, GFP_KERNEL);
	if (!log->buf)
		return -ENOMEM;
	if (kfifo_init(&log->ring, log->buf, size)) {
		kvfree(log->buf);
		log->buf = NULL;
		return -EINVAL;
	}
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
	kvfree(log->buf);
	log->buf = NULL;
}

/* Drop the oldest record; return its payload length. */
static unsigned int log_drop_oldest(struct ktlife_log *log)
{
	unsigned int len = kfifo_peek_len(&log->ring);

	kfifo_skip(&log->ring);
	log->count--;
	log->bytes -= len;
	return len;
}

/**
 * ktlife_log_add() - append a record, overwriting the oldest if full.
 * @log: the log.
 * @data: the payload.
 * @len: its length; at most the ring's size - 2 (ktlife's parameters
 *	check that), or the record is dropped whole and counted in @evicted.
 *
 * Context: any; the caller's lock held; allocates nothing.
 */
void ktlife_log_add(struct ktlife_log *log, const void *data, unsigned int len)
{
	if (len + 2 > kfifo_size(&log->ring)) {
		log->evicted++;
		return;
	}
	while (kfifo_avail(&log->ring) < len) {
		log_drop_oldest(log);
		log->evicted++;
	}
	kfifo_in(&log->ring, data, len);
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
 * @buf: a buffer for one record.
 * @size: its size, at least the longest record.
 *
 * Context: any; the caller's lock held. @m is a seq_file buffer, so no user
 * memory is touched here: seq_file copies it out after the lock is dropped.
 */
void ktlife_log_show(struct ktlife_log *log, struct seq_file *m, u8 *buf,
		     unsigned int size)
{
	/*
	 * A kfifo is two indices over a buffer. A copy of the struct is a
	 * second reader: it walks every record, and consuming through it
	 * leaves the log itself untouched.
	 */
	struct kfifo_rec_ptr_2 walk = log->ring;
	unsigned int len, i;

	while ((len = kfifo_out(&walk, buf, size))) {
		for (i = 0; i < len; i++) {
			if (buf[i] >= 0x20 && buf[i] < 0x7f && buf[i] != '\\')
				seq_putc(m, buf[i]);
			else
				seq_printf(m, "\\%03o", buf[i]);
		}
		seq_putc(m, '\n');
	}
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A bounded message queue between any number of feeders in write() and one
 * consumer thread: a record kfifo, whole messages only.
 *
 * Two rules make it safe against userspace and cheap per message:
 *   - A message is copied in from userspace before any lock is taken (a
 *     bounce buffer, as memdup_user() does), so a feeder whose buffer sits
 *     in a page fault that userspace controls (userfaultfd, a stalled FUSE
 *     server) holds nothing that anybody else waits for.
 *   - The consumer takes messages out in batches and wakes sleeping
 *     feeders only once half of the fifo is free or it is empty (it is
 *     about to sleep), not once per message. Waking the consumer is the
 *     caller's business: it knows how its consumer sleeps.
 *
 * No dependency on the rest of ktlife: the bench's peers (bench/peer)
 * build this very file, so that ktlife and its peers share one queue.
 */
#ifndef KTLIFE_QUEUE_H
#define KTLIFE_QUEUE_H

#include <linux/kfifo.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>

/*
 * Messages up to this size are bounced through the feeder's stack; larger
 * ones through one allocation each (vmemdup_user()), held by the feeder
 * while it waits for room: as much as a blocked pipe write() holds.
 */
#define KTLIFE_QUEUE_STACK_MSG 256

/**
 * struct ktlife_queue - a bounded queue of messages.
 * @fifo: record kfifo of messages. Its input side is guarded by @in_lock;
 *	its output side has one user at a time and needs no lock.
 * @in_lock: serialises feeders; guards @open, @enqueued and fifo input.
 *	Never held across user memory access or a sleep.
 * @open: the queue takes messages. Cleared once, by ktlife_queue_close().
 * @enqueued: messages accepted.
 * @space_wq: feeders sleep here until the fifo has room or is closed.
 */
struct ktlife_queue {
	struct kfifo_rec_ptr_2 fifo;
	spinlock_t in_lock; /* feeders: fifo input, open, enqueued */
	bool open;
	u64 enqueued;
	wait_queue_head_t space_wq;
};

int ktlife_queue_init(struct ktlife_queue *q, unsigned int size);
void ktlife_queue_free(struct ktlife_queue *q);
ssize_t ktlife_queue_feed(struct ktlife_queue *q, const char __user *ubuf,
			  size_t len, bool nonblock, u64 *seq);
void ktlife_queue_close(struct ktlife_queue *q);
u64 ktlife_queue_enqueued(struct ktlife_queue *q);

/* The consumer's side: one caller at a time. */
unsigned int ktlife_queue_out(struct ktlife_queue *q, void *buf,
			      unsigned int size);
u64 ktlife_queue_discard(struct ktlife_queue *q);
void ktlife_queue_room_made(struct ktlife_queue *q);

/**
 * ktlife_queue_is_empty() - is nothing queued?
 * @q: the queue.
 *
 * Context: any; lockless, exact for the consumer, a hint for anyone else.
 * Return: true if the fifo holds no message.
 */
static inline bool ktlife_queue_is_empty(struct ktlife_queue *q)
{
	return kfifo_is_empty(&q->fifo);
}

#endif /* KTLIFE_QUEUE_H */

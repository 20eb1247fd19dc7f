/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Types shared by the parts of ktlife, and the rules that keep
 * its threads from leaking.
 *
 * Who owns what:
 *   main.c       module parameters, ktlife_init() and ktlife_exit().
 *   writer.c     writer kthreads, their kfifos and retained logs; the
 *                registry of live writers and its lock.
 *   compactor.c  the one compaction kthread.
 *   debugfs.c    the debugfs files: parse input, call the two above.
 *   bugs.c       deliberate bugs that a leak detector must catch.
 *
 * Thread lifetimes (who stops whom):
 *   - A writer is created by a write to "create" and holds a task reference
 *     from creation on. It ends in exactly one way: ktlife_writer_stop(),
 *     ktlife_writers_stop_all() or ktlife_writers_exit() unlink it, close its
 *     input and reap it with kthread_stop_put(). That is true even in "close"
 *     mode, where the thread returns on its own first: the reference keeps
 *     the task_struct valid until the reaper gets there.
 *   - A leaky writer (the seed's bug, on purpose) has no stop path at all.
 *     Its reference is dropped at once and it pins the module, so the code
 *     it runs can never be unloaded under it. Only a reboot ends it.
 *   - The compactor is started by ktlife_init() and stopped by ktlife_exit(),
 *     after every writer, with kthread_stop().
 *
 * Lock order: ktlife_writers_lock -> writer->in_lock -> writer->lock.
 * Files inside writers/<id>/ never take ktlife_writers_lock: removing a
 * writer's directory happens under it and waits for those files' readers
 * and writers to leave.
 */
#ifndef KTLIFE_H
#define KTLIFE_H

#include <linux/completion.h>
#include <linux/kfifo.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/wait.h>

struct dentry;
struct seq_file;
struct task_struct;

/* Writer ids are 0..KTLIFE_MAX_ID: "ktlife/w9999" fits in TASK_COMM_LEN. */
#define KTLIFE_MAX_ID 9999
/* Records carry a 2-byte length, so one message is at most 65535 bytes. */
#define KTLIFE_MSG_LIMIT 65535
#define KTLIFE_PERIOD_MIN_MS 1
#define KTLIFE_PERIOD_MAX_MS 3600000

/* Module parameters, defined and validated in main.c. */
extern unsigned int ktlife_max_writers;
extern unsigned int ktlife_fifo_size;
extern unsigned int ktlife_max_msg;
extern unsigned int ktlife_retain;
extern unsigned int ktlife_period_ms;

/**
 * enum ktlife_stop_mode - how a writer is stopped.
 * @KTLIFE_STOP_GRACEFUL: kthread_stop(); the thread drains its queue first.
 * @KTLIFE_STOP_NOW: kthread_stop(); what is still queued is discarded.
 * @KTLIFE_STOP_CLOSE: close the queue; the thread drains it and returns on
 *	its own; then it is reaped through the task reference held since
 *	creation.
 * @KTLIFE_STOP_MODES: number of modes.
 */
enum ktlife_stop_mode {
	KTLIFE_STOP_GRACEFUL,
	KTLIFE_STOP_NOW,
	KTLIFE_STOP_CLOSE,
	KTLIFE_STOP_MODES,
};

/**
 * struct ktlife_writer - one writer kthread and the queue that feeds it.
 * @id: writer id, 0..KTLIFE_MAX_ID; also the thread name "ktlife/w<id>".
 * @task: the thread; a reference is held from creation until reaped.
 * @node: entry in the registry. Guarded by ktlife_writers_lock.
 * @dir: debugfs directory writers/<id>. Guarded by ktlife_writers_lock.
 * @parked: parked with kthread_park(). Guarded by ktlife_writers_lock.
 * @fifo: record kfifo of messages. Its input side is guarded by @in_lock;
 *	its output side has one user at a time and needs no lock: the thread
 *	while it lives, the reaper after kthread_stop() returned.
 * @in_lock: serialises feeders; guards @open, @enqueued and fifo input.
 * @open: the queue takes messages. Cleared once when a stop begins.
 * @enqueued: messages accepted into @fifo.
 * @data_wq: the thread sleeps here until there is work, a stop, a park
 *	request or a close.
 * @space_wq: feeders sleep here until the fifo has room or is closed.
 * @drop: "now" mode: the thread must exit without draining. Set before
 *	kthread_stop(), read by the thread with READ_ONCE().
 * @closed: "close" mode: the thread must return on its own once empty.
 * @returned: completed by the thread as its last act in "close" mode.
 * @lock: guards @log, @log_count, @log_bytes and the counters below it.
 * @log: retained records (struct ktlife_record), oldest first.
 * @log_count: records in @log.
 * @log_bytes: payload bytes in @log.
 * @processed: messages taken off @fifo by the thread (or by the reaper of
 *	a graceful stop, when the thread never got to run).
 * @bytes: payload bytes of the processed messages.
 * @discarded: messages still queued when a "now" stop reaped the thread.
 * @unretained: processed messages not kept in @log (allocation failed).
 * @crc: zlib-compatible CRC-32 of the processed payloads, in order.
 * @scratch: thread-only buffer of ktlife_max_msg bytes that takes a message
 *	whose log record could not be allocated, so it is still processed.
 */
struct ktlife_writer {
	unsigned int id;
	struct task_struct *task;
	struct list_head node;
	struct dentry *dir;
	bool parked;

	struct kfifo_rec_ptr_2 fifo;
	struct mutex in_lock; /* feeders: fifo input, open, enqueued */
	bool open;
	u64 enqueued;
	wait_queue_head_t data_wq;
	wait_queue_head_t space_wq;

	bool drop;
	bool closed;
	struct completion returned;

	struct mutex lock; /* log and counters below */
	struct list_head log;
	unsigned int log_count;
	u64 log_bytes;
	u64 processed;
	u64 bytes;
	u64 discarded;
	u64 unretained;
	u32 crc;
	u8 *scratch;
};

/**
 * struct ktlife_writer_stats - a consistent snapshot of a writer's counters.
 * @enqueued: see struct ktlife_writer.
 * @processed: see struct ktlife_writer.
 * @discarded: see struct ktlife_writer.
 * @queued: @enqueued - @processed - @discarded: messages in the fifo.
 * @bytes: see struct ktlife_writer.
 * @unretained: see struct ktlife_writer.
 * @log_count: see struct ktlife_writer.
 * @log_bytes: see struct ktlife_writer.
 * @crc: see struct ktlife_writer.
 */
struct ktlife_writer_stats {
	u64 enqueued;
	u64 processed;
	u64 discarded;
	u64 queued;
	u64 bytes;
	u64 unretained;
	u64 log_count;
	u64 log_bytes;
	u32 crc;
};

/* writer.c */
int ktlife_writer_create(unsigned int id, bool leaky);
int ktlife_writer_stop(unsigned int id, enum ktlife_stop_mode mode);
int ktlife_writers_stop_all(enum ktlife_stop_mode mode);
int ktlife_writer_park(unsigned int id);
int ktlife_writer_unpark(unsigned int id);
ssize_t ktlife_writer_feed(struct ktlife_writer *w, const char __user *buf,
			   size_t len, bool nonblock);
void ktlife_writer_stats(struct ktlife_writer *w,
			 struct ktlife_writer_stats *st);
void ktlife_writer_log_show(struct ktlife_writer *w, struct seq_file *m);
u64 ktlife_writers_compact(unsigned int retain);
void ktlife_writers_status(struct seq_file *m);
void ktlife_writers_reaped_show(struct seq_file *m);
void ktlife_writers_exit(void);
const char *ktlife_stop_mode_name(enum ktlife_stop_mode mode);

/* compactor.c */
int ktlife_compactor_start(bool sleep_mode);
void ktlife_compactor_stop(void);
int ktlife_compactor_set_period(unsigned int ms);
void ktlife_compactor_kick(void);
void ktlife_compactor_status(struct seq_file *m);
void ktlife_compactor_stats(struct seq_file *m);

/* bugs.c */
int ktlife_bug_unreaped(void);
int ktlife_bug_leak(size_t size);

/* debugfs.c */
void ktlife_debugfs_init(void);
void ktlife_debugfs_exit(void);
int ktlife_debugfs_add_writer(struct ktlife_writer *w);
void ktlife_debugfs_remove_writer(struct ktlife_writer *w);

#endif /* KTLIFE_H */

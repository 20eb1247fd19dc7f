/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Types shared by the parts of ktlife, and the rules that keep its threads
 * from leaking and its users from blocking each other.
 *
 * Who owns what:
 *   main.c       module parameters, ktlife_init() and ktlife_exit().
 *   debugfs.c    the debugfs files: parses input, prints output, and drives
 *                create and stop, owning each writer's directory.
 *   registry.c   which writers exist and in which state: ids, limits, the
 *                registry lock, status and the reaped history.
 *   writer.c     one writer: its kthread, its queue and log, its stop modes.
 *   queue.c      the bounded message queue between feeders and a writer.
 *   log.c        the capped retained log.
 *   compactor.c  the one compaction kthread.
 *   bugs.c       deliberate bugs that a leak detector must catch.
 */
#ifndef KTLIFE_H
#define KTLIFE_H

#include <linux/completion.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>

#include "log.h"
#include "queue.h"

struct dentry;
struct seq_file;
struct task_struct;

/**
 * DOC: lifetimes and locks
 *
 * Threads, and who stops them:
 *
 * - A writer's kthread is created by a write to "create", holds a task
 *   reference from creation on, and ends in exactly one way: a stop
 *   (ktlife_writer_begin_stop() or ktlife_writers_begin_stop_all(), then
 *   ktlife_writer_reap()) ends it as the stop mode says and reaps it with
 *   kthread_stop_put(). That is true even in "close" mode, where the thread
 *   returns on its own first: the reference keeps its task_struct valid
 *   until the reaper gets there.
 * - A leaky writer (the seed's bug, on purpose) has no stop path at all. No
 *   reference is kept and it pins the module, so the code it runs can never
 *   be unloaded under it; its id stays taken. Only a reboot ends it. At most
 *   max_leaky of them exist.
 * - The compactor's thread belongs to its configuration object, published
 *   through RCU: ktlife_init() starts the first; a reload builds the next
 *   with its thread, publishes it, waits a grace period and stops the old
 *   thread with kthread_stop_put() before the new one runs; ktlife_exit()
 *   stops the last, after every writer. A leaky reload (the seed's own
 *   bug, on purpose) orphans the old thread: it pins the module, counts
 *   against max_leaky, and only a reboot ends it.
 *
 * A writer's states (registry.c): STARTING (id reserved, thread created,
 * not reachable yet) -> LIVE (its directory exists, feeders reach it) ->
 * DYING (a stop has begun: input closed, directory going, id still taken)
 * -> gone; or LEAKED, for ever. create of a DYING id is -EBUSY: the old
 * writer's directory and thread name are not gone yet.
 *
 * Memory: struct ktlife_writer is reference counted. The registry holds one
 * reference from create until the writer is reaped; each open file of
 * writers/<id>/ holds one until it is closed. So removing a writer's
 * directory waits for nobody but open() calls in progress: a reader stalled
 * in copy_to_user() or a feeder stalled in copy_from_user() keeps the
 * memory alive, not the stopper waiting. That memory still counts against
 * max_writers until the last reference goes, so no loop of create, open
 * and stop can grow it.
 *
 * Locks, outermost first; none is ever held across user memory access or a
 * wait that userspace can prolong:
 *
 * - ktlife_writer.ctl_lock (mutex): serialises park, unpark and the reap of
 *   one writer, so that kthread_park() never meets a reaped task. Held
 *   across kthread_park() and the reap, waits bounded by one batch or by
 *   draining the fifo.
 * - ktlife_writers_lock (registry.c, mutex): the registry (an XArray of
 *   the writers by id), each writer's @state, the counts and the reaped
 *   history. Held only for registry work and printing into a seq_file
 *   buffer.
 * - ktlife_writer.lock (spinlock): one writer's log and counters, for one
 *   batch of at most KTLIFE_BATCH_MSGS messages, or one record's copy.
 * - ktlife_queue.lock (spinlock): one writer's kfifo, both sides: a
 *   feeder's kfifo_in() of a message that was copied in before, or one
 *   batch of the consumer's kfifo_out()s, inside ktlife_writer.lock
 *   (queue.h says why the consumer takes it at all).
 *
 * The compactor's own (compactor.c): compactor_reload_lock (mutex), one
 * reload at a time, taken before compactor_lock (spinlock), which
 * serialises every update of the published configuration and nests no
 * other lock; a compaction run takes ktlife_writers_lock, then each
 * writer's lock, and holds neither of the compactor's.
 *
 * Files inside writers/<id>/ take no registry lock; "status" takes it and
 * the writers' two spinlocks, one writer at a time, never waiting for a
 * feeder.
 */

/* Writer ids are 0..KTLIFE_MAX_ID: "ktlife/w9999" fits in TASK_COMM_LEN. */
#define KTLIFE_MAX_ID 9999
/* Records carry a 2-byte length, so one message is at most 65535 bytes. */
#define KTLIFE_MSG_LIMIT 65535
#define KTLIFE_PERIOD_MIN_MS 1
#define KTLIFE_PERIOD_MAX_MS 3600000
/*
 * The naive sleep compactor cannot be woken early: rmmod waits in
 * kthread_stop() and a suspend waits at the freezer for up to a whole
 * period. 10 s stays within half of the freezer's 20 s timeout and a third
 * of the shortest hung-task timeout we test with (30 s).
 */
#define KTLIFE_SLEEP_PERIOD_MAX_MS 10000
/* The compactor's retain: at most the largest log_records. */
#define KTLIFE_RETAIN_MAX 65536
/* One batch of the writer's drain: one round of its lock. */
#define KTLIFE_BATCH_MSGS 64
/*
 * The most memory one writer's log may take: log_records slots of
 * KTLIFE_LOG_SLOT(max_msg) bytes (log.c: a 2-byte length and the payload,
 * rounded up to the length's alignment).
 */
#define KTLIFE_LOG_MAX_BYTES (16 << 20)
#define KTLIFE_LOG_SLOT(max_msg) ALIGN((max_msg) + 2, 2)

/* Module parameters, defined and validated in main.c. */
extern bool ktlife_bugs;
extern unsigned int ktlife_init_delay_ms;
extern unsigned int ktlife_max_writers;
extern unsigned int ktlife_max_leaky;
extern unsigned int ktlife_fifo_size;
extern unsigned int ktlife_max_msg;
extern unsigned int ktlife_log_records;

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
 * enum ktlife_writer_state - where a writer is in its life; see the DOC above.
 * @KTLIFE_WRITER_STARTING: id reserved, thread created, not reachable yet.
 * @KTLIFE_WRITER_LIVE: fed through its queue file; can be stopped.
 * @KTLIFE_WRITER_DYING: a stop has begun; the id is still taken.
 * @KTLIFE_WRITER_LEAKED: the leaky writer: never stopped, id taken for good.
 */
enum ktlife_writer_state {
	KTLIFE_WRITER_STARTING,
	KTLIFE_WRITER_LIVE,
	KTLIFE_WRITER_DYING,
	KTLIFE_WRITER_LEAKED,
};

/**
 * struct ktlife_writer - one writer kthread and the queue that feeds it.
 * @id: writer id, 0..KTLIFE_MAX_ID; also the thread name "ktlife/w<id>".
 * @leaky: the seed's leaky writer: no stop path, never released.
 * @ref: references: the registry's, and one per open file of the writer.
 * @task: the thread; a reference is held from creation until reaped (none
 *	for a leaky writer). Read by others only while @state is STARTING or
 *	LIVE, under ktlife_writers_lock: the reap comes after DYING.
 * @pid: the thread's pid, kept for status.
 * @state: see enum ktlife_writer_state. Guarded by ktlife_writers_lock.
 * @dying_node: entry in a stopper's list of writers to reap.
 * @dir: debugfs directory writers/<id>; written by debugfs.c only.
 * @ctl_lock: serialises park, unpark and the reap; guards @parked.
 * @parked: parked with kthread_park().
 * @q: the queue feeders fill (queue.h has its own lock).
 * @data_wq: the thread sleeps here until there is work, a stop, a park
 *	request or a close.
 * @drop: "now" mode: the thread must exit without draining. Set before
 *	kthread_stop(), read by the thread with READ_ONCE().
 * @closed: "close" mode: the thread must return on its own once empty.
 * @returned: completed by the thread as its last act in "close" mode.
 * @lock: guards @log and @discarded; held for one batch.
 * @log: the messages processed (by the thread, or by the reaper of a
 *	graceful stop when the thread never got to run): their count, bytes,
 *	CRC-32, and the newest of them, capped at log_records records.
 * @discarded: messages still queued when a "now" stop reaped the thread.
 */
struct ktlife_writer {
	unsigned int id;
	bool leaky;
	struct kref ref;
	struct task_struct *task;
	pid_t pid;

	enum ktlife_writer_state state;
	struct list_head dying_node;
	struct dentry *dir;

	struct mutex ctl_lock; /* park, unpark, reap; parked */
	bool parked;

	struct ktlife_queue q;
	wait_queue_head_t data_wq;
	bool drop;
	bool closed;
	struct completion returned;

	spinlock_t lock; /* log, discarded */
	struct ktlife_log log;
	u64 discarded;
};

/**
 * struct ktlife_writer_stats - a snapshot of a writer's counters.
 * @enqueued: messages accepted by its queue.
 * @processed: messages processed.
 * @discarded: see struct ktlife_writer.
 * @queued: @enqueued - @processed - @discarded: messages in the fifo.
 * @bytes: payload bytes processed.
 * @log_count: records in the log.
 * @log_bytes: payload bytes in the log.
 * @log_evicted: records overwritten because the log was full.
 * @crc: zlib-compatible CRC-32 of the processed payloads, in order.
 * @mem: bytes of memory the writer holds (ktlife_writer_mem()).
 */
struct ktlife_writer_stats {
	u64 enqueued;
	u64 processed;
	u64 discarded;
	u64 queued;
	u64 bytes;
	u64 log_count;
	u64 log_bytes;
	u64 log_evicted;
	u32 crc;
	u64 mem;
};

/* writer.c: one writer */
struct ktlife_writer *ktlife_writer_alloc(unsigned int id, bool leaky);
struct ktlife_writer *ktlife_writer_get(struct ktlife_writer *w);
void ktlife_writer_put(struct ktlife_writer *w);
int ktlife_writer_create_thread(struct ktlife_writer *w);
int ktlife_writer_stop_thread(struct ktlife_writer *w,
			      enum ktlife_stop_mode mode);
int ktlife_writer_park_thread(struct ktlife_writer *w, bool park);
ssize_t ktlife_writer_feed(struct ktlife_writer *w, const char __user *buf,
			   size_t len, bool nonblock);
void ktlife_writer_stats(struct ktlife_writer *w,
			 struct ktlife_writer_stats *st);
size_t ktlife_writer_mem(struct ktlife_writer *w);
void ktlife_writer_log_span(struct ktlife_writer *w, u64 *first, u64 *end);
unsigned int ktlife_writer_log_copy(struct ktlife_writer *w, u64 nr, u8 *buf);
u64 ktlife_writer_compact(struct ktlife_writer *w, unsigned int retain);
const char *ktlife_stop_mode_name(enum ktlife_stop_mode mode);

/* registry.c: every writer, by id */
struct ktlife_writer *ktlife_writer_create(unsigned int id);
void ktlife_writer_run(struct ktlife_writer *w);
void ktlife_writer_abort(struct ktlife_writer *w);
int ktlife_writer_create_leaky(unsigned int id);
struct ktlife_writer *ktlife_writer_begin_stop(unsigned int id);
int ktlife_writers_begin_stop_all(struct list_head *dying, bool killable);
void ktlife_writer_reap(struct ktlife_writer *w, enum ktlife_stop_mode mode);
int ktlife_writer_park(unsigned int id, bool park);
u64 ktlife_writers_compact(unsigned int retain);
int ktlife_writers_status(struct seq_file *m);
int ktlife_writers_reaped_show(struct seq_file *m);

/**
 * struct ktlife_compactor_cfg - the compactor's settings.
 * @sleep_mode: the naive sleep loop instead of the stop-aware wait.
 * @period_ms: period, KTLIFE_PERIOD_MIN_MS..KTLIFE_PERIOD_MAX_MS (at most
 *	KTLIFE_SLEEP_PERIOD_MAX_MS in sleep mode).
 * @retain: records the compactor keeps in each log, 0..KTLIFE_RETAIN_MAX.
 */
struct ktlife_compactor_cfg {
	bool sleep_mode;
	unsigned int period_ms;
	unsigned int retain;
};

/**
 * enum ktlife_compactor_mode - the mode a reload asks for.
 * @KTLIFE_MODE_KEEP: the current one.
 * @KTLIFE_MODE_WAIT: the stop-aware timed wait.
 * @KTLIFE_MODE_SLEEP: the naive sleep loop.
 */
enum ktlife_compactor_mode {
	KTLIFE_MODE_KEEP,
	KTLIFE_MODE_WAIT,
	KTLIFE_MODE_SLEEP,
};

/**
 * struct ktlife_compactor_want - what a reload changes.
 * @period_ms: the new period, or -1 to keep the current one.
 * @retain: the new retain, or -1 to keep the current one.
 * @mode: the new mode, or KTLIFE_MODE_KEEP.
 */
struct ktlife_compactor_want {
	int period_ms;
	int retain;
	enum ktlife_compactor_mode mode;
};

/* compactor.c: the compactor's configuration, and the thread it owns */
int ktlife_compactor_cfg_ok(const struct ktlife_compactor_cfg *cfg);
int ktlife_compactor_start(const struct ktlife_compactor_cfg *cfg);
void ktlife_compactor_stop(void);
int ktlife_compactor_reload(const struct ktlife_compactor_want *want,
			    bool leaky);
int ktlife_compactor_set_period(unsigned int ms);
unsigned int ktlife_compactor_period(void);
void ktlife_compactor_kick(void);
void ktlife_compactor_status(struct seq_file *m);
void ktlife_compactor_stats(struct seq_file *m);

/* bugs.c */
int ktlife_bug_unreaped(void);
int ktlife_bug_leak(unsigned int size);
int ktlife_bug_race(unsigned int ms);
int ktlife_bug_leak_charge(void);
void ktlife_bug_leak_uncharge(void);
void ktlife_bugs_exit(void);

/* debugfs.c */
void ktlife_debugfs_init(void);
void ktlife_debugfs_exit(void);

#endif /* KTLIFE_H */

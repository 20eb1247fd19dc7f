/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktleak: goleak for kernel threads. Take a snapshot, run something, check
 * that it left no kernel thread, no module reference, no task_struct and
 * (where the kernel has kmemleak) no unreferenced allocation behind.
 *
 * Used as a command (ktleak [--module NAME] [--prefix COMM] -- CMD...) or
 * linked into a test:
 *
 *	struct ktleak_opts o = { .module = "ktlife", .prefix = "ktlife/" };
 *	struct ktleak_snap *before = ktleak_snapshot(&o);
 *	... load, use, unload ...
 *	ASSERT_EQ(0, ktleak_check(&o, before));
 */
#ifndef KTLEAK_H
#define KTLEAK_H

#include <stdbool.h>
#include <stdio.h>

/**
 * struct ktleak_opts - what to watch.
 * @module: module whose presence and refcount must be back to their
 *	snapshot values (NULL: none).
 * @prefix: only kernel threads whose comm starts with it count (NULL: all
 *	but the kernel's own short-lived workers, "kworker/...").
 * @slack: task_struct objects the check tolerates beyond those of the new
 *	tasks still alive (0: one leaked task reference is a finding).
 * @timeout_ms: how long to retry, with backoff, before calling it a leak
 *	(threads exit and RCU frees task_structs asynchronously).
 * @no_kmemleak: skip kmemleak even where the kernel has it.
 * @out: where to report (NULL: stderr).
 */
struct ktleak_opts {
	const char *module;
	const char *prefix;
	int slack;
	int timeout_ms;
	bool no_kmemleak;
	FILE *out;
};

struct ktleak_snap;

/* Snapshot now; clears kmemleak's list. NULL on allocation failure. */
struct ktleak_snap *ktleak_snapshot(const struct ktleak_opts *o);
/*
 * Compare with before, retrying until clean or timeout_ms. Reports every
 * leak found and returns 1, or prints one summary line and returns 0.
 * Frees before.
 */
int ktleak_check(const struct ktleak_opts *o, struct ktleak_snap *before);

#endif /* KTLEAK_H */

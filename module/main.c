// SPDX-License-Identifier: GPL-2.0
/*
 * Module parameters, ktlife_init() and ktlife_exit().
 *
 * ktlife is the kernel twin of a Go post on leaking goroutines: writer
 * kthreads fed by kfifos, one compaction kthread, and the stop protocols
 * that let the module unload with nothing left behind. Init starts the
 * compactor and then opens the debugfs interface; exit undoes it in reverse:
 * the debugfs interface first, with every writer it created (each one's
 * directory, then its thread), then the compactor.
 */
#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/security.h>
#include <linux/string.h>

#include "ktlife.h"

unsigned int ktlife_max_writers = 64;
module_param_named(max_writers, ktlife_max_writers, uint, 0444);
MODULE_PARM_DESC(max_writers, "most writers held (1..10000, default 64)");

/* clang-format off */
bool ktlife_bugs;
module_param_named(bugs, ktlife_bugs, bool, 0444);
MODULE_PARM_DESC(bugs, "expose the deliberate bugs (bugs/, \"create <id> leaky\") that leak detectors are tested on (default 0: absent, EPERM)");

unsigned int ktlife_init_delay_ms;
module_param_named(init_delay_ms, ktlife_init_delay_ms, uint, 0444);
MODULE_PARM_DESC(init_delay_ms, "with bugs=1: sleep this long after each debugfs file that init creates, so that a test can race init (0..100, default 0)");

unsigned int ktlife_max_leaky = 1;
module_param_named(max_leaky, ktlife_max_leaky, uint, 0444);
MODULE_PARM_DESC(max_leaky, "most threads leaked on purpose (leaky writers, leaky reloads, bugs/unreaped), which live until reboot (0..16, default 1)");

unsigned int ktlife_fifo_size = 65536;
module_param_named(fifo_size, ktlife_fifo_size, uint, 0444);
MODULE_PARM_DESC(fifo_size, "bytes of each writer's kfifo, a power of two (64..1048576, default 65536, a pipe's capacity)");

unsigned int ktlife_max_msg = 256;
module_param_named(max_msg, ktlife_max_msg, uint, 0444);
MODULE_PARM_DESC(max_msg, "largest message in bytes (1..65535 and at most fifo_size - 2, default 256)");

unsigned int ktlife_log_records = 128;
module_param_named(log_records, ktlife_log_records, uint, 0444);
MODULE_PARM_DESC(log_records, "records each writer's log holds at most, its hard cap: the oldest is overwritten (1..65536, log_records slots of max_msg + 2 bytes, rounded up to even, at most 16 MiB; default 128)");

/*
 * The compactor's first configuration. Read at load only: at run time the
 * compactor is configured through debugfs (compactor/period_ms, and
 * compactor/reload, which replaces the configuration and its thread), so
 * these never change once the module runs.
 */
static unsigned int retain = 64;
module_param(retain, uint, 0444);
MODULE_PARM_DESC(retain, "records the compactor keeps in each writer's log (0..65536, default 64)");

static unsigned int period_ms = 1000;
module_param(period_ms, uint, 0444);
MODULE_PARM_DESC(period_ms, "compaction period in ms (1..3600000, at most 10000 with compactor=sleep; default 1000)");

static char *compactor = "wait";
module_param(compactor, charp, 0444);
MODULE_PARM_DESC(compactor, "\"wait\": stop-aware timed wait (default); \"sleep\": the naive sleep loop");
/* clang-format on */

static int __init check_params(struct ktlife_compactor_cfg *cfg)
{
	if (ktlife_max_writers < 1 || ktlife_max_writers > KTLIFE_MAX_ID + 1) {
		pr_err("max_writers=%u: must be 1..%u\n", ktlife_max_writers,
		       KTLIFE_MAX_ID + 1);
		return -EINVAL;
	}
	if (ktlife_init_delay_ms > 100 ||
	    (ktlife_init_delay_ms && !ktlife_bugs)) {
		pr_err("init_delay_ms=%u: must be 0..100, and 0 without bugs=1\n",
		       ktlife_init_delay_ms);
		return -EINVAL;
	}
	if (ktlife_max_leaky > 16) {
		pr_err("max_leaky=%u: must be 0..16\n", ktlife_max_leaky);
		return -EINVAL;
	}
	if (ktlife_fifo_size < 64 || ktlife_fifo_size > 1048576 ||
	    !is_power_of_2(ktlife_fifo_size)) {
		pr_err("fifo_size=%u: must be a power of two, 64..1048576\n",
		       ktlife_fifo_size);
		return -EINVAL;
	}
	/* A record needs its 2-byte length beside the payload. */
	if (ktlife_max_msg < 1 || ktlife_max_msg > KTLIFE_MSG_LIMIT ||
	    ktlife_max_msg > ktlife_fifo_size - 2) {
		pr_err("max_msg=%u: must be 1..%u and at most fifo_size - 2\n",
		       ktlife_max_msg, KTLIFE_MSG_LIMIT);
		return -EINVAL;
	}
	if (ktlife_log_records < 1 || ktlife_log_records > 65536 ||
	    (u64)ktlife_log_records * KTLIFE_LOG_SLOT(ktlife_max_msg) >
		    KTLIFE_LOG_MAX_BYTES) {
		pr_err("log_records=%u: must be 1..65536, and log_records slots of %u bytes at most %u bytes\n",
		       ktlife_log_records, KTLIFE_LOG_SLOT(ktlife_max_msg),
		       KTLIFE_LOG_MAX_BYTES);
		return -EINVAL;
	}
	if (!strcmp(compactor, "wait")) {
		cfg->sleep_mode = false;
	} else if (!strcmp(compactor, "sleep")) {
		cfg->sleep_mode = true;
	} else {
		pr_err("compactor=%s: must be wait or sleep\n", compactor);
		return -EINVAL;
	}
	cfg->period_ms = period_ms;
	cfg->retain = retain;
	if (ktlife_compactor_cfg_ok(cfg)) {
		pr_err("period_ms=%u retain=%u: must be 1..%u and 0..%u with compactor=%s\n",
		       period_ms, retain,
		       cfg->sleep_mode ? KTLIFE_SLEEP_PERIOD_MAX_MS :
					 KTLIFE_PERIOD_MAX_MS,
		       KTLIFE_RETAIN_MAX, compactor);
		return -EINVAL;
	}
	return 0;
}

static int __init ktlife_init(void)
{
	struct ktlife_compactor_cfg cfg;
	int ret;

	ret = check_params(&cfg);
	if (ret)
		return ret;
	ret = ktlife_compactor_start(&cfg);
	if (ret)
		return ret;
	ktlife_debugfs_init();
	/*
	 * Under kernel lockdown (Secure Boot on most distributions) debugfs
	 * refuses to open any writable file: the control files are dead.
	 */
	if (security_locked_down(LOCKDOWN_DEBUGFS))
		pr_warn("kernel lockdown: every write to /sys/kernel/debug/%s fails with EPERM, so create, stop and feed cannot be used on this machine; use ktlife in its VM (make vm)\n",
			KBUILD_MODNAME);
	return 0;
}

static void __exit ktlife_exit(void)
{
	ktlife_debugfs_exit();
	ktlife_compactor_stop();
	ktlife_bugs_exit();
}

module_init(ktlife_init);
module_exit(ktlife_exit);

MODULE_LICENSE("GPL");
MODULE_VERSION("0.1");
/* clang-format off */
MODULE_DESCRIPTION("kthread lifecycles: writers fed by kfifos, a compactor, and how to stop them without leaks");
/* clang-format on */
MODULE_AUTHOR("The ktlife developers");

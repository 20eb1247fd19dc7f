// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: a task reference taken after the thread may have run. Shape:
 * envctrl's kenvctrld(), which returns -ENODEV at once on a machine with
 * no CPU temperature monitor, started with kthread_run(); init goes on
 * with its own work (the debugfs files, the fans driven to full speed and
 * given time to spin up) and only then takes get_task_struct() on the
 * task, in a field of the device's struct, for the kthread_stop() +
 * put_task_struct() in module exit.
 *
 * The bug: kthread_run() has woken the thread; it finds no monitor and
 * returns within microseconds, and its task_struct is freed a grace
 * period later, during init's 100 ms of spin-up: the late
 * get_task_struct(), and exit's kthread_stop() and put_task_struct(),
 * touch freed memory (KASAN on the debug kernel). The reference only
 * protects the stop if it is taken before the thread can run.
 */
#include <linux/bitops.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/sched/task.h>
#include <linux/slab.h>

#define ENV_POLL_MS		50
#define ENV_SPINUP_MS		100
#define ENV_NR_CPUS		4
#define ENV_FAN_FULL		0x3f

enum env_mon { ENV_CPUTEMP_MON, ENV_FANSTAT_MON, ENV_VOLTAGE_MON };

struct env_dev {
	struct task_struct *task;
	struct dentry *dir;
	u32 *cpu_temps;
	struct debugfs_u32_array temps;
	u8 fan_speed;
	/* The I2C children the firmware describes: no CPU temperature one. */
	unsigned long monitors;
};

static struct env_dev *env;

static bool env_has_monitor(struct env_dev *ed, enum env_mon mon)
{
	return test_bit(mon, &ed->monitors);
}

static void env_read_cpu_temps(struct env_dev *ed)
{
	int cpu;

	for (cpu = 0; cpu < ENV_NR_CPUS; cpu++)
		ed->cpu_temps[cpu] = 45;
}

static int kenvctrld(void *arg)
{
	struct env_dev *ed = arg;

	if (!env_has_monitor(ed, ENV_CPUTEMP_MON)) {
		pr_err("cp-lateref: unable to monitor CPU temp, exiting\n");
		return -ENODEV;
	}
	while (!kthread_should_stop()) {
		msleep_interruptible(ENV_POLL_MS);
		env_read_cpu_temps(ed);
	}
	return 0;
}

static int __init env_init(void)
{
	int err;

	env = kzalloc(sizeof(*env), GFP_KERNEL);
	if (!env)
		return -ENOMEM;
	env->monitors = BIT(ENV_FANSTAT_MON) | BIT(ENV_VOLTAGE_MON);
	env->cpu_temps = kcalloc(ENV_NR_CPUS, sizeof(*env->cpu_temps),
				 GFP_KERNEL);
	if (!env->cpu_temps) {
		err = -ENOMEM;
		goto err_free;
	}

	env->task = kthread_run(kenvctrld, env, "cp-lr-envctrld");
	if (IS_ERR(env->task)) {
		err = PTR_ERR(env->task);
		goto err_free_temps;
	}

	env->dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_u8("fan_speed", 0444, env->dir, &env->fan_speed);
	env->temps.array = env->cpu_temps;
	env->temps.n_elements = ENV_NR_CPUS;
	debugfs_create_u32_array("cpu_temps", 0444, env->dir, &env->temps);
	/* Fans to full speed, and give them time to spin up. */
	env->fan_speed = ENV_FAN_FULL;
	msleep(ENV_SPINUP_MS);

	/* Hold the thread for the kthread_stop() at exit. */
	get_task_struct(env->task);
	return 0;

err_free_temps:
	kfree(env->cpu_temps);
err_free:
	kfree(env);
	return err;
}

static void __exit env_exit(void)
{
	kthread_stop(env->task);
	put_task_struct(env->task);
	debugfs_remove_recursive(env->dir);
	kfree(env->cpu_temps);
	kfree(env);
}

module_init(env_init);
module_exit(env_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("corpus: an environment monitor referenced only after kthread_run() (bad)");

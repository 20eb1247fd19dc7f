// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: the fixed twin of real_ina2xx_bad.c, with the fix that
 * docs/audit-upstream.md proposes for the ina2xx regression of
 * 2c4ce5041cd5, in this module's own code: the buffer enable creates the
 * capture thread with kthread_create(), takes a reference on its task
 * before waking it, and the buffer disable drops it after kthread_stop()
 * (kthread_stop_put() from 6.7 on). The capture thread still returns on
 * the I2C error; its task_struct now outlives it.
 */
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/sched/task.h>

#define INA_SAMPLING_US		10000
#define INA_FAILING_READ	3

struct ina_chip {
	struct task_struct *task;
	unsigned int nr_reads;
	unsigned long nr_samples;
	u16 samples[4];
};

static struct ina_chip chip;

/* The simulated I2C bus: the device stops answering at its third read. */
static int ina_i2c_read(struct ina_chip *c, u16 *val)
{
	if (++c->nr_reads >= INA_FAILING_READ)
		return -EREMOTEIO;
	*val = c->nr_reads;
	return 0;
}

/* 1 when a conversion is ready, 0 when not yet, or a bus error. */
static int ina_conversion_ready(struct ina_chip *c)
{
	u16 status;
	int ret;

	ret = ina_i2c_read(c, &status);
	if (ret < 0)
		return ret;
	return status & 1;
}

static int ina_work_buffer(struct ina_chip *c)
{
	int ret;

	ret = ina_i2c_read(c, &c->samples[c->nr_samples % 4]);
	if (ret < 0)
		return ret;
	c->nr_samples++;
	return 0;
}

static int ina_capture_thread(void *data)
{
	struct ina_chip *c = data;
	int ret;

	do {
		for (;;) {
			ret = ina_conversion_ready(c);
			if (ret < 0)
				return ret;
			if (ret)
				break;
		}

		ret = ina_work_buffer(c);
		if (ret < 0)
			return ret;

		usleep_range(INA_SAMPLING_US, INA_SAMPLING_US * 3 / 2);
	} while (!kthread_should_stop());

	return 0;
}

static int ina_buffer_enable(struct ina_chip *c)
{
	struct task_struct *task;

	task = kthread_create(ina_capture_thread, c, "cp-ina2xx");
	if (IS_ERR(task))
		return PTR_ERR(task);
	/* An I2C error ends the thread: keep its task for the disable. */
	get_task_struct(task);
	c->task = task;
	wake_up_process(task);
	return 0;
}

static void ina_buffer_disable(struct ina_chip *c)
{
	if (c->task) {
		kthread_stop(c->task);
		put_task_struct(c->task);
		c->task = NULL;
	}
}

static int __init ina_init(void)
{
	return ina_buffer_enable(&chip);
}

static void __exit ina_exit(void)
{
	ina_buffer_disable(&chip);
}

module_init(ina_init);
module_exit(ina_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("corpus: ina2xx, a capture thread ended by an I2C error, stopped through its reference (good)");

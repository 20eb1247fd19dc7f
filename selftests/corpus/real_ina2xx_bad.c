// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus, a real incident: drivers/iio/adc/ina2xx-adc.c, a regression of
 * upstream commit 2c4ce5041cd5 ("iio: adc: ina2xx: Avoid double reference
 * counting from get_task_struct/put_task_struct()", v5.16), still in 6.12.
 * The capture thread returns as soon as an I2C read fails, of the
 * conversion-ready flag or of the samples; disabling the IIO buffer (from
 * sysfs, or when the device goes away) then calls kthread_stop() on its
 * freed task. Before 2c4ce5041cd5 the driver took a task reference after
 * kthread_create() and dropped it after kthread_stop(); that commit took
 * the reference for a redundant one and removed both, and 4bdc3e967dc6
 * then started the thread with kthread_run(). Found by kthread-lint
 * (docs/audit.md, docs/audit-upstream.md); the fix restores the
 * reference.
 *
 * This module: a simulated INA2xx whose third I2C read fails with
 * -EREMOTEIO (about 10 ms after insmod). The buffer is enabled in module
 * init: kthread_run(), the task in the chip's struct; the capture thread
 * polls the conversion-ready flag, reads the samples, sleeps one 10 ms
 * sampling period, in a do-while loop on kthread_should_stop(), and
 * returns the read's error. Module exit disables the buffer:
 * kthread_stop() on the task freed 0.5 s before (KASAN on the debug
 * kernel).
 */
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/module.h>

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

	task = kthread_run(ina_capture_thread, c, "cp-ina2xx");
	if (IS_ERR(task))
		return PTR_ERR(task);
	c->task = task;
	return 0;
}

static void ina_buffer_disable(struct ina_chip *c)
{
	if (c->task) {
		kthread_stop(c->task);
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
MODULE_DESCRIPTION("corpus: ina2xx, a capture thread ended by an I2C error, stopped (bad)");

// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: a thread that may return on its own, stopped with a bare
 * kthread_stop() in another file of the module. Shape: ina2xx-adc's
 * capture thread since 2c4ce5041cd5 dropped its task reference
 * (ina2xx_capture_thread()): a do { } while (!kthread_should_stop())
 * loop that returns the error of a failed I2C read from its body, and
 * sleeps the sampling period with schedule_timeout_interruptible();
 * kthread_run() on a local when the buffer is enabled (here), stored in a
 * field of the chip's struct, the stop in the buffer's disable function
 * in stop.c, called from module exit.
 *
 * The bug: the third conversion read fails (an I2C error), about 100 ms
 * after load; the capture thread returns the error, and its task_struct
 * is freed a grace period later; adc_buffer_disable()'s kthread_stop()
 * touches freed memory (KASAN on the debug kernel). Nothing holds a
 * reference.
 */
#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/slab.h>

#include "capture.h"

#define ADC_PERIOD_MS	50

static struct adc_chip *adc;

/* Read a conversion over I2C: the third read fails. */
static int adc_read_sample(struct adc_chip *chip, u16 *val)
{
	if (++chip->nr_reads == 3)
		return -EREMOTEIO;
	*val = 0x1234;
	return 0;
}

static int adc_capture_thread(void *data)
{
	struct adc_chip *chip = data;
	u16 val;
	int ret;

	do {
		ret = adc_read_sample(chip, &val);
		if (ret < 0)
			return ret;
		chip->samples[chip->head++ % ADC_NR_SAMPLES] = val;

		schedule_timeout_interruptible(msecs_to_jiffies(chip->period_ms));
	} while (!kthread_should_stop());

	return 0;
}

int adc_buffer_enable(struct adc_chip *chip)
{
	struct task_struct *task;

	task = kthread_run(adc_capture_thread, chip, "cp-nr-adccap");
	if (IS_ERR(task))
		return PTR_ERR(task);

	chip->task = task;
	return 0;
}

static int __init adc_init(void)
{
	int ret;

	adc = kzalloc(sizeof(*adc), GFP_KERNEL);
	if (!adc)
		return -ENOMEM;
	adc->period_ms = ADC_PERIOD_MS;
	ret = adc_buffer_enable(adc);
	if (ret)
		kfree(adc);
	return ret;
}

static void __exit adc_exit(void)
{
	adc_buffer_disable(adc);
	kfree(adc);
}

module_init(adc_init);
module_exit(adc_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("corpus: a capture thread that returns on an error, stopped without a reference in another file (bad)");

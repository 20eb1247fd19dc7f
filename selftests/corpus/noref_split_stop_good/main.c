// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: the fixed twin of noref_split_stop_bad/, as ina2xx-adc was
 * before 2c4ce5041cd5: adc_buffer_enable() creates the capture thread
 * with kthread_create() and takes a reference before wake_up_process()
 * lets it run; stop.c's adc_buffer_disable() drops it after the stop
 * (kthread_stop() + put_task_struct(), which is kthread_stop_put() from
 * 6.7 on). When the capture thread returns on the failed read, its
 * task_struct stays until the stop has collected the result.
 */
#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
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

	task = kthread_create(adc_capture_thread, chip, "cp-nr-adccap");
	if (IS_ERR(task))
		return PTR_ERR(task);

	get_task_struct(task);
	wake_up_process(task);
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
MODULE_DESCRIPTION("corpus: a capture thread that returns on an error, stopped through its reference in another file (good)");

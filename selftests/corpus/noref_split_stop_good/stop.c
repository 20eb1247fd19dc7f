// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: noref_split_stop_good's second file: the buffer's disable,
 * which stops the capture thread that main.c started and drops the
 * reference main.c took before waking it.
 */
#include <linux/kthread.h>
#include <linux/sched/task.h>

#include "capture.h"

void adc_buffer_disable(struct adc_chip *chip)
{
	if (chip->task) {
		kthread_stop(chip->task);
		put_task_struct(chip->task);
		chip->task = NULL;
	}
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: noref_split_stop_bad's second file: the buffer's disable, which
 * stops the capture thread that main.c started. kthread_stop() on a task
 * nobody holds a reference to, which may have returned long ago (see
 * main.c).
 */
#include <linux/kthread.h>

#include "capture.h"

void adc_buffer_disable(struct adc_chip *chip)
{
	if (chip->task) {
		kthread_stop(chip->task);
		chip->task = NULL;
	}
}

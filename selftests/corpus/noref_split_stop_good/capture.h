/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Corpus: noref_split_stop_good's chip and buffer operations, shared by
 * main.c (the capture thread, the buffer's enable) and stop.c (its
 * disable).
 */
#ifndef CP_NOREF_SPLIT_CAPTURE_H
#define CP_NOREF_SPLIT_CAPTURE_H

#include <linux/types.h>

#define ADC_NR_SAMPLES	16

struct task_struct;

struct adc_chip {
	struct task_struct *task;
	unsigned int period_ms;
	unsigned int nr_reads;
	unsigned int head;
	u16 samples[ADC_NR_SAMPLES];
};

int adc_buffer_enable(struct adc_chip *chip);
void adc_buffer_disable(struct adc_chip *chip);

#endif

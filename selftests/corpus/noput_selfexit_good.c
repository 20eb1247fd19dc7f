// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: the fixed twin of noput_selfexit_bad.c. Exit drops init's
 * reference once kthread_stop() has collected the calibration's result
 * (kthread_stop() + put_task_struct(), which is kthread_stop_put() from
 * 6.7 on): the returned thread's task_struct is freed then.
 */
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/sched/task.h>
#include <linux/slab.h>

#define CAL_STEPS	3
#define CAL_STEP_MS	50

struct cal_dev {
	struct task_struct *cal_task;
	unsigned int step;
	s32 offset[CAL_STEPS];
};

static struct cal_dev *cal;

static int cal_thread(void *data)
{
	struct cal_dev *cd = data;

	for (cd->step = 0; cd->step < CAL_STEPS; cd->step++) {
		if (kthread_should_stop())
			return -EINTR;
		cd->offset[cd->step] = 16 - cd->step;
		msleep_interruptible(CAL_STEP_MS);
	}
	return 0;
}

static int __init cal_init(void)
{
	int err;

	cal = kzalloc(sizeof(*cal), GFP_KERNEL);
	if (!cal)
		return -ENOMEM;
	cal->cal_task = kthread_create(cal_thread, cal, "cp-np-calib");
	if (IS_ERR(cal->cal_task)) {
		err = PTR_ERR(cal->cal_task);
		kfree(cal);
		return err;
	}
	get_task_struct(cal->cal_task);
	wake_up_process(cal->cal_task);
	return 0;
}

static void __exit cal_exit(void)
{
	int ret;

	ret = kthread_stop(cal->cal_task);
	put_task_struct(cal->cal_task);
	if (ret)
		pr_warn("cp-noput: calibration did not complete (%d)\n", ret);
	kfree(cal);
}

module_init(cal_init);
module_exit(cal_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("corpus: a one-shot calibration thread whose task reference is put after the stop (good)");

// SPDX-License-Identifier: GPL-2.0
/*
 * Corpus: the fixed twin of lateref_wake_then_get_bad.c. The reference is
 * taken between kthread_create() and wake_up_process(), before the
 * loader can run: when it finds the firmware current and returns at once,
 * its task_struct stays until exit's kthread_stop() has collected the
 * result and put_task_struct() drops it (kthread_stop_put() from 6.7 on).
 */
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/sched/task.h>
#include <linux/slab.h>

#define FW_VERSION	0x0203
#define FW_SIZE		(64 * 1024)
#define FW_CHUNK	1024
#define PHY_CTRL_RESET	0x8000
#define PHY_RESET_MS	20
#define PHY_SETTLE_MS	80

struct nic_dev {
	struct task_struct *fw_loader;
	struct dentry *dir;
	u16 fw_running;		/* the version the device runs */
	u16 fw_version;		/* the version the driver carries */
	u32 fw_written;
	u32 phy_ctrl;
};

static struct nic_dev *nic;

/* Write the image chunk by chunk: seconds on real hardware. */
static int fw_upload(struct nic_dev *nd)
{
	for (nd->fw_written = 0; nd->fw_written < FW_SIZE;
	     nd->fw_written += FW_CHUNK) {
		if (kthread_should_stop())
			return -EINTR;
		usleep_range(1000, 2000);
	}
	nd->fw_running = nd->fw_version;
	return 0;
}

static int fw_loader_thread(void *data)
{
	struct nic_dev *nd = data;

	if (nd->fw_running == nd->fw_version)
		return 0;
	return fw_upload(nd);
}

static int __init nic_init(void)
{
	struct task_struct *t;

	nic = kzalloc(sizeof(*nic), GFP_KERNEL);
	if (!nic)
		return -ENOMEM;
	nic->fw_running = FW_VERSION;
	nic->fw_version = FW_VERSION;

	t = kthread_create(fw_loader_thread, nic, "cp-lr-fwload");
	if (IS_ERR(t)) {
		kfree(nic);
		return PTR_ERR(t);
	}
	/* An upload takes seconds: hold the loader for exit's kthread_stop(). */
	get_task_struct(t);
	nic->fw_loader = t;
	wake_up_process(t);

	/* The upload goes on in the background: reset the PHY meanwhile. */
	nic->phy_ctrl = PHY_CTRL_RESET;
	msleep(PHY_RESET_MS);
	nic->phy_ctrl = 0;
	msleep(PHY_SETTLE_MS);
	nic->dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_x16("fw_version", 0444, nic->dir, &nic->fw_running);
	return 0;
}

static void __exit nic_exit(void)
{
	int ret;

	ret = kthread_stop(nic->fw_loader);
	put_task_struct(nic->fw_loader);
	if (ret)
		pr_warn("cp-lateref: firmware upload failed (%d)\n", ret);
	debugfs_remove_recursive(nic->dir);
	kfree(nic);
}

module_init(nic_init);
module_exit(nic_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("corpus: a one-shot firmware loader referenced before its wake-up (good)");

// SPDX-License-Identifier: GPL-2.0-only
/*
 * debugfs: /sys/kernel/debug/vascend/davinciN/, for people and tests.
 *
 *   queues          the admin queue and every IO queue: driver indexes,
 *                   doorbells as the device latched them, seqs, errors
 *   contexts        open /dev/davinciN files: pid, streams, context id
 *   recovery        state, recoveries, last cause, fatal status bits
 *   fault_inject    write a fault (aicore-hang, dma-error, ecc, fw-crash,
 *                   none, or its VASCEND_FAULT_* number) to arm it in the
 *                   card (VASCEND_REG_FAULT_INJECT); read: the armed one
 *   force_recovery  write anything: recover the card now (cause "user")
 *                   and return once it is done
 *
 * Other subsystems may add files under vdev->debugfs.
 */

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/pid.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <uapi/vascend_hw.h>

#include "vascend_debugfs.h"
#include "vascend_drv.h"
#include "vascend_hw.h"
#include "vascend_reset.h"
#include "vascend_stream.h"
#include "vascend_vm.h"

static struct dentry *vascend_debugfs_root;

static const char * const vascend_fault_names[] = {
	[VASCEND_FAULT_NONE] = "none",
	[VASCEND_FAULT_AICORE_HANG] = "aicore-hang",
	[VASCEND_FAULT_DMA_ERROR] = "dma-error",
	[VASCEND_FAULT_ECC] = "ecc",
	[VASCEND_FAULT_FW_CRASH] = "fw-crash",
};

static int vascend_debugfs_queues_show(struct seq_file *m, void *unused)
{
	struct vascend_device *vdev = m->private;
	struct vascend_admin *aq = &vdev->admin;
	unsigned long flags;
	u32 sq_tail, cq_head, tags, db_sq = 0, db_cq = 0;
	u16 phase;
	bool ready;

	down_read(&vdev->unplug_lock);
	if (vdev->unplugged) {
		up_read(&vdev->unplug_lock);
		return -ENODEV;
	}
	spin_lock_irqsave(&aq->lock, flags);
	sq_tail = aq->sq_tail;
	cq_head = aq->cq_head;
	phase = aq->phase;
	tags = hweight_long(aq->tags);
	ready = aq->hw_ready;
	spin_unlock_irqrestore(&aq->lock, flags);
	if (ready) {
		db_sq = vascend_rd32(vdev, VASCEND_DOORBELL(0) + VASCEND_DB_SQ_TAIL);
		db_cq = vascend_rd32(vdev, VASCEND_DOORBELL(0) + VASCEND_DB_CQ_HEAD);
	}
	seq_printf(m, "admin: depth %u sq_tail %u db_sq_tail %u cq_head %u db_cq_head %u phase %u in_flight %u %s\n",
		   aq->depth, sq_tail, db_sq, cq_head, db_cq, phase, tags,
		   ready ? "ready" : "down");
	vascend_streams_debugfs_show(vdev, m);
	up_read(&vdev->unplug_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vascend_debugfs_queues);

static int vascend_debugfs_contexts_show(struct seq_file *m, void *unused)
{
	struct vascend_device *vdev = m->private;
	struct vascend_streams *streams = &vdev->streams;
	struct vascend_file *vfile;
	struct vascend_vm *vm;

	seq_puts(m, "pid streams ctx\n");
	/*
	 * Not under the file's lock (STREAM_CREATE takes list_lock inside
	 * it): a listed file's vm is set once and dropped only after the file
	 * leaves the list, and the stream count is a snapshot.
	 */
	mutex_lock(&streams->list_lock);
	list_for_each_entry(vfile, &streams->files, node) {
		vm = READ_ONCE(vfile->vm);
		if (vm)
			seq_printf(m, "%d %u %u\n", pid_nr(vfile->tgid),
				   READ_ONCE(vfile->nr_streams), vascend_vm_ctx_id(vm));
		else
			seq_printf(m, "%d %u -\n", pid_nr(vfile->tgid),
				   READ_ONCE(vfile->nr_streams));
	}
	mutex_unlock(&streams->list_lock);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vascend_debugfs_contexts);

static int vascend_debugfs_recovery_show(struct seq_file *m, void *unused)
{
	static const char * const states[] = {
		[VASCEND_CARD_OK] = "ok",
		[VASCEND_CARD_RESETTING] = "resetting",
		[VASCEND_CARD_DEAD] = "dead",
	};
	struct vascend_device *vdev = m->private;
	u32 state, fatal, count, cause;

	vascend_reset_get_health(vdev, &state, &fatal, &count, &cause);
	seq_printf(m, "state %s\nreset_count %u\nlast_cause %s\nfatal_status 0x%x\n",
		   states[state], count, vascend_rsm_cause_name(cause), fatal);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(vascend_debugfs_recovery);

static ssize_t vascend_debugfs_fault_read(struct file *file, char __user *ubuf,
					  size_t len, loff_t *ppos)
{
	struct vascend_device *vdev = file->private_data;
	char buf[32];
	u32 fault;
	int n;

	down_read(&vdev->unplug_lock);
	if (vdev->unplugged) {
		up_read(&vdev->unplug_lock);
		return -ENODEV;
	}
	fault = vascend_rd32(vdev, VASCEND_REG_FAULT_INJECT);
	up_read(&vdev->unplug_lock);

	if (fault < ARRAY_SIZE(vascend_fault_names))
		n = scnprintf(buf, sizeof(buf), "%s\n", vascend_fault_names[fault]);
	else
		n = scnprintf(buf, sizeof(buf), "%u\n", fault);
	return simple_read_from_buffer(ubuf, len, ppos, buf, n);
}

static ssize_t vascend_debugfs_fault_write(struct file *file,
					   const char __user *ubuf,
					   size_t len, loff_t *ppos)
{
	struct vascend_device *vdev = file->private_data;
	char buf[32];
	int fault;
	u32 num;

	if (len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	strim(buf);

	fault = match_string(vascend_fault_names,
			     ARRAY_SIZE(vascend_fault_names), buf);
	if (fault < 0) {
		if (kstrtou32(buf, 0, &num) ||
		    num >= ARRAY_SIZE(vascend_fault_names))
			return -EINVAL;
		fault = num;
	}
	if (!(vdev->caps & VASCEND_HW_CAP_FAULT_INJECT))
		return -EOPNOTSUPP;

	down_read(&vdev->unplug_lock);
	if (vdev->unplugged) {
		up_read(&vdev->unplug_lock);
		return -ENODEV;
	}
	dev_warn(vascend_to_dev(vdev), "debugfs: arming fault %s\n",
		 vascend_fault_names[fault]);
	vascend_wr32(vdev, VASCEND_REG_FAULT_INJECT, fault);
	up_read(&vdev->unplug_lock);
	return len;
}

static const struct file_operations vascend_debugfs_fault_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = vascend_debugfs_fault_read,
	.write = vascend_debugfs_fault_write,
	.llseek = default_llseek,
};

static ssize_t vascend_debugfs_recover_write(struct file *file,
					     const char __user *ubuf,
					     size_t len, loff_t *ppos)
{
	struct vascend_device *vdev = file->private_data;
	int ret;

	ret = vascend_reset_now(vdev, VASCEND_RESET_CAUSE_USER);
	return ret ? ret : len;
}

static const struct file_operations vascend_debugfs_recover_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = vascend_debugfs_recover_write,
	.llseek = default_llseek,
};

/**
 * vascend_debugfs_module_init() - /sys/kernel/debug/vascend
 */
void vascend_debugfs_module_init(void)
{
	vascend_debugfs_root = debugfs_create_dir(KBUILD_MODNAME, NULL);
}

/**
 * vascend_debugfs_module_fini() - remove it, cards' directories included
 */
void vascend_debugfs_module_fini(void)
{
	debugfs_remove_recursive(vascend_debugfs_root);
}

/**
 * vascend_debugfs_init() - the card's directory and files
 * @vdev: the card, ready for work
 *
 * debugfs failures are not errors: the files are for debugging only.
 */
void vascend_debugfs_init(struct vascend_device *vdev)
{
	struct dentry *dir;

	dir = debugfs_create_dir(dev_name(&vdev->dev), vascend_debugfs_root);
	vdev->debugfs = dir;
	debugfs_create_file("queues", 0444, dir, vdev,
			    &vascend_debugfs_queues_fops);
	debugfs_create_file("contexts", 0444, dir, vdev,
			    &vascend_debugfs_contexts_fops);
	debugfs_create_file("recovery", 0444, dir, vdev,
			    &vascend_debugfs_recovery_fops);
	debugfs_create_file("fault_inject", 0600, dir, vdev,
			    &vascend_debugfs_fault_fops);
	debugfs_create_file("force_recovery", 0200, dir, vdev,
			    &vascend_debugfs_recover_fops);
}

/**
 * vascend_debugfs_fini() - remove the card's directory
 * @vdev: the card
 *
 * Waits for file operations in progress (debugfs_remove() does).
 */
void vascend_debugfs_fini(struct vascend_device *vdev)
{
	debugfs_remove_recursive(vdev->debugfs);
	vdev->debugfs = NULL;
}

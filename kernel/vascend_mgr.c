// SPDX-License-Identifier: GPL-2.0-only
/*
 * /dev/davinci_manager (include/uapi/vascend_manager.h): which cards exist,
 * their health, telemetry and per-process use, and a forced recovery. One
 * misc device for every card; each ioctl names its card by dev_id. Reading
 * needs no privilege (the node is 0666); MGR_RESET needs CAP_SYS_ADMIN.
 */

#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <uapi/vascend_manager.h>
#include <uapi/vascend_queue_hw.h>

#include "vascend_admin.h"
#include "vascend_drv.h"
#include "vascend_hw.h"
#include "vascend_mgr.h"
#include "vascend_reset.h"
#include "vascend_stream.h"
#include "vascend_vm.h"

static_assert(sizeof(struct vascend_mgr_cards) == 280);
static_assert(sizeof(struct vascend_mgr_health) == 40);
static_assert(sizeof(struct vascend_mgr_telemetry) == 72);
static_assert(sizeof(struct vascend_mgr_proc_entry) == 24);
static_assert(sizeof(struct vascend_mgr_procs) == 32);
static_assert(sizeof(struct vascend_mgr_reset) == 24);
static_assert(VASCEND_MAX_CARDS == VASCEND_MAX_DEVICES);

/* Most processes MGR_PROCS reports in one call. */
#define VASCEND_MGR_PROCS_MAX		4096

#define vascend_mgr_dbg(fmt, ...) \
	pr_debug_ratelimited("davinci_manager: " fmt, ##__VA_ARGS__)

/*
 * The card @dev_id with unplug_lock held for read and not unplugged, or an
 * error pointer (-ENODEV). Release with vascend_mgr_card_put().
 */
static struct vascend_device *vascend_mgr_card_get(u32 dev_id)
{
	struct vascend_device *vdev = vascend_card_get(dev_id);

	if (!vdev) {
		vascend_mgr_dbg("no card %u\n", dev_id);
		return ERR_PTR(-ENODEV);
	}
	down_read(&vdev->unplug_lock);
	if (vdev->unplugged) {
		up_read(&vdev->unplug_lock);
		vascend_card_put(vdev);
		return ERR_PTR(-ENODEV);
	}
	return vdev;
}

static void vascend_mgr_card_put(struct vascend_device *vdev)
{
	up_read(&vdev->unplug_lock);
	vascend_card_put(vdev);
}

static int vascend_mgr_cards(void __user *uarg)
{
	struct vascend_mgr_cards *args;
	int ret = 0;

	args = kzalloc(sizeof(*args), GFP_KERNEL);
	if (!args)
		return -ENOMEM;
	args->count = vascend_card_ids(args->ids);
	if (copy_to_user(uarg, args, sizeof(*args)))
		ret = -EFAULT;
	kfree(args);
	return ret;
}

static int vascend_mgr_health(void __user *uarg)
{
	struct vascend_mgr_health args;
	struct vascend_device *vdev;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	if (memchr_inv(args.reserved, 0, sizeof(args.reserved))) {
		vascend_mgr_dbg("HEALTH: reserved fields not zero\n");
		return -EINVAL;
	}
	vdev = vascend_mgr_card_get(args.dev_id);
	if (IS_ERR(vdev))
		return PTR_ERR(vdev);

	vascend_reset_get_health(vdev, &args.state, &args.fatal_status,
				 &args.reset_count, &args.last_reset_cause);
	args.fw_status = vascend_rd32(vdev, VASCEND_REG_FW_STATUS);
	vascend_mgr_card_put(vdev);

	if (copy_to_user(uarg, &args, sizeof(args)))
		return -EFAULT;
	return 0;
}

static int vascend_mgr_telemetry(void __user *uarg)
{
	struct vascend_mgr_telemetry args;
	struct vascend_telemetry tele;
	struct vascend_device *vdev;
	u32 dev_id;
	int ret;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	if (args.pad || memchr_inv(args.reserved, 0, sizeof(args.reserved))) {
		vascend_mgr_dbg("TELEMETRY: pad or reserved fields not zero\n");
		return -EINVAL;
	}
	dev_id = args.dev_id;
	vdev = vascend_mgr_card_get(dev_id);
	if (IS_ERR(vdev))
		return PTR_ERR(vdev);

	ret = vascend_admin_query(vdev, VASCEND_ADMIN_TELEMETRY, &tele,
				  sizeof(tele));
	if (ret >= 0) {
		memset(&args, 0, sizeof(args));
		args.dev_id = dev_id;
		args.utilization = tele.utilization;
		args.temperature_mc = tele.temperature_mc;
		args.power_mw = tele.power_mw;
		args.aicore_count = vdev->aicore_count;
		args.hbm_total = vdev->hbm_size;
		args.hbm_used = vascend_hbm_used(vdev);
		args.aicore_busy_ns = tele.aicore_busy_ns;
		args.tasks_completed = tele.tasks_completed;
		ret = 0;
	}
	vascend_mgr_card_put(vdev);
	if (ret)
		return ret;

	if (copy_to_user(uarg, &args, sizeof(args)))
		return -EFAULT;
	return 0;
}

static int vascend_mgr_procs(void __user *uarg)
{
	struct vascend_mgr_procs __user *uprocs = uarg;
	struct vascend_mgr_proc_entry *entries = NULL;
	struct vascend_mgr_procs args;
	struct vascend_device *vdev;
	u32 room, count = 0;
	int ret;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	if (memchr_inv(args.reserved, 0, sizeof(args.reserved))) {
		vascend_mgr_dbg("PROCS: reserved fields not zero\n");
		return -EINVAL;
	}
	room = min_t(u32, args.count, VASCEND_MGR_PROCS_MAX);
	if (room) {
		entries = kvcalloc(room, sizeof(*entries), GFP_KERNEL);
		if (!entries)
			return -ENOMEM;
	}

	vdev = vascend_mgr_card_get(args.dev_id);
	if (IS_ERR(vdev)) {
		ret = PTR_ERR(vdev);
		goto out_free;
	}
	ret = vascend_mem_proc_usage(vdev, entries, room, &count);
	if (!ret)
		vascend_streams_count_procs(vdev, entries, min(room, count));
	vascend_mgr_card_put(vdev);
	if (ret)
		goto out_free;

	if (copy_to_user(u64_to_user_ptr(args.entries), entries,
			 (size_t)min(room, count) * sizeof(*entries)) ||
	    put_user(count, &uprocs->count))
		ret = -EFAULT;

out_free:
	kvfree(entries);
	return ret;
}

static int vascend_mgr_reset(void __user *uarg)
{
	struct vascend_mgr_reset args;
	struct vascend_device *vdev;
	int ret;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	if (args.flags || memchr_inv(args.reserved, 0, sizeof(args.reserved))) {
		vascend_mgr_dbg("RESET: flags 0x%x or reserved fields not zero\n",
				args.flags);
		return -EINVAL;
	}
	/* Not under unplug_lock: the recovery takes it itself. */
	vdev = vascend_card_get(args.dev_id);
	if (!vdev)
		return -ENODEV;
	ret = vascend_reset_now(vdev, VASCEND_RESET_CAUSE_USER);
	vascend_card_put(vdev);
	/* Interrupted: restarting asks again, joining the recovery under way. */
	return ret;
}

static long vascend_mgr_ioctl(struct file *file, unsigned int cmd,
			      unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case VASCEND_IOCTL_MGR_CARDS:
		return vascend_mgr_cards(uarg);
	case VASCEND_IOCTL_MGR_HEALTH:
		return vascend_mgr_health(uarg);
	case VASCEND_IOCTL_MGR_TELEMETRY:
		return vascend_mgr_telemetry(uarg);
	case VASCEND_IOCTL_MGR_PROCS:
		return vascend_mgr_procs(uarg);
	case VASCEND_IOCTL_MGR_RESET:
		return vascend_mgr_reset(uarg);
	default:
		vascend_mgr_dbg("unknown ioctl 0x%08x\n", cmd);
		return -ENOTTY;
	}
}

static const struct file_operations vascend_mgr_fops = {
	.owner = THIS_MODULE,
	.open = nonseekable_open,
	.unlocked_ioctl = vascend_mgr_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

static struct miscdevice vascend_mgr_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = VASCEND_MANAGER_DEV_NAME,
	.fops = &vascend_mgr_fops,
	.mode = 0666,
};

/**
 * vascend_mgr_init() - register /dev/davinci_manager (module load)
 *
 * Return: 0, or a negative errno.
 */
int vascend_mgr_init(void)
{
	return misc_register(&vascend_mgr_misc);
}

/**
 * vascend_mgr_fini() - unregister it (module unload)
 */
void vascend_mgr_fini(void)
{
	misc_deregister(&vascend_mgr_misc);
}

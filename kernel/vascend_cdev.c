// SPDX-License-Identifier: GPL-2.0-only
/*
 * /dev/davinciN, one per card, N the card index. Every ioctl copies its
 * argument in, checks every field (flags and reserved fields must be zero),
 * acts, and copies the result out. A bad argument gets an errno and a
 * rate-limited debug line; the device is never touched on its behalf.
 *
 * An open file keeps its struct vascend_device alive (the cdev holds the
 * class device, whose release frees it), but not the hardware: remove()
 * takes unplug_lock for write, which waits for running file operations,
 * and later ones see @unplugged and fail with ENODEV.
 */

#include <linux/cdev.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/kdev_t.h>
#include <linux/kernel.h>
#include <linux/overflow.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <uapi/vascend_davinci.h>

#include "vascend_cdev.h"
#include "vascend_dma.h"
#include "vascend_drv.h"

/*
 * The uapi structs must look the same to 32- and 64-bit callers (i386
 * aligns __u64 to 4 bytes): no implicit padding anywhere.
 */
static_assert(sizeof(struct vascend_device_info) == 112);
static_assert(offsetof(struct vascend_device_info, reserved) == 80);
static_assert(sizeof(struct vascend_dma_xfer) == 48);
static_assert(offsetof(struct vascend_dma_xfer, reserved) == 32);

/* First of VASCEND_MAX_DEVICES char device numbers, one per card. */
static dev_t vascend_devt;

/*
 * A static class: class_create() changed its signature in 6.4, while
 * class_register() takes this on every kernel the driver builds for.
 */
static struct class vascend_class = {
	.name = "vascend",
};

static int vascend_ioctl_get_info(struct vascend_device *vdev,
				  void __user *uarg)
{
	struct vascend_device_info info;

	/* Zero everything, padding and reserved fields included. */
	memset(&info, 0, sizeof(info));
	info.uapi_version = VASCEND_UAPI_VERSION(VASCEND_UAPI_VERSION_MAJOR,
						 VASCEND_UAPI_VERSION_MINOR);
	info.dev_id = vdev->index;
	info.aicore_count = vdev->aicore_count;
	info.fw_version = vdev->fw_version;
	info.hbm_size = vdev->hbm_size;
	if (vdev->caps & VASCEND_HW_CAP_DMA)
		info.caps |= VASCEND_CAP_DMA_XFER;
	info.pci_domain = pci_domain_nr(vdev->pdev->bus);
	info.pci_bus = vdev->pdev->bus->number;
	info.pci_devfn = vdev->pdev->devfn;
	info.pci_vendor = vdev->pdev->vendor;
	info.pci_device = vdev->pdev->device;
	strscpy(info.soc_name, vdev->soc_name, sizeof(info.soc_name));

	if (copy_to_user(uarg, &info, sizeof(info))) {
		dev_dbg_ratelimited(vascend_to_dev(vdev),
				    "GET_INFO: cannot write the result to user memory\n");
		return -EFAULT;
	}
	return 0;
}

static int vascend_ioctl_dma_xfer(struct vascend_device *vdev,
				  void __user *uarg)
{
	struct device *dev = vascend_to_dev(vdev);
	struct vascend_dma_xfer args;
	void __user *uptr;
	u64 end;

	if (copy_from_user(&args, uarg, sizeof(args))) {
		dev_dbg_ratelimited(dev, "DMA_XFER: cannot read the argument from user memory\n");
		return -EFAULT;
	}

	if (args.flags || memchr_inv(args.reserved, 0, sizeof(args.reserved))) {
		dev_dbg_ratelimited(dev, "DMA_XFER: flags 0x%x or reserved fields not zero\n",
				    args.flags);
		return -EINVAL;
	}
	if (args.direction != VASCEND_DMA_TO_DEVICE &&
	    args.direction != VASCEND_DMA_FROM_DEVICE) {
		dev_dbg_ratelimited(dev, "DMA_XFER: unknown direction %u\n",
				    args.direction);
		return -EINVAL;
	}
	if (!args.size) {
		dev_dbg_ratelimited(dev, "DMA_XFER: size 0\n");
		return -EINVAL;
	}
	if (check_add_overflow(args.dev_addr, args.size, &end) ||
	    end > vdev->hbm_size) {
		dev_dbg_ratelimited(dev, "DMA_XFER: HBM range 0x%llx+0x%llx outside the %llu-byte HBM\n",
				    args.dev_addr, args.size, vdev->hbm_size);
		return -EINVAL;
	}

	uptr = u64_to_user_ptr(args.user_addr);
	if (!access_ok(uptr, args.size)) {
		dev_dbg_ratelimited(dev, "DMA_XFER: user range 0x%llx+0x%llx not accessible\n",
				    args.user_addr, args.size);
		return -EFAULT;
	}

	return vascend_dma_xfer(vdev, uptr, args.dev_addr, args.size,
				args.direction == VASCEND_DMA_TO_DEVICE);
}

static long vascend_cdev_ioctl(struct file *file, unsigned int cmd,
			       unsigned long arg)
{
	struct vascend_device *vdev = file->private_data;
	void __user *uarg = (void __user *)arg;
	long ret;

	down_read(&vdev->unplug_lock);
	if (vdev->unplugged) {
		ret = -ENODEV;
		goto out_unlock;
	}

	switch (cmd) {
	case VASCEND_IOCTL_GET_INFO:
		ret = vascend_ioctl_get_info(vdev, uarg);
		break;
	case VASCEND_IOCTL_DMA_XFER:
		ret = vascend_ioctl_dma_xfer(vdev, uarg);
		break;
	default:
		dev_dbg_ratelimited(vascend_to_dev(vdev),
				    "unknown ioctl 0x%08x\n", cmd);
		ret = -ENOTTY;
		break;
	}

out_unlock:
	up_read(&vdev->unplug_lock);
	return ret;
}

static int vascend_cdev_open(struct inode *inode, struct file *file)
{
	struct vascend_device *vdev = container_of(inode->i_cdev,
						   struct vascend_device, cdev);
	int ret = 0;

	down_read(&vdev->unplug_lock);
	if (vdev->unplugged)
		ret = -ENODEV;
	up_read(&vdev->unplug_lock);
	if (ret)
		return ret;

	file->private_data = vdev;
	return nonseekable_open(inode, file);
}

static int vascend_cdev_release(struct inode *inode, struct file *file)
{
	/* Nothing is owned by a file yet; the cdev drops the device. */
	return 0;
}

static const struct file_operations vascend_cdev_fops = {
	.owner = THIS_MODULE,
	.open = vascend_cdev_open,
	.release = vascend_cdev_release,
	.unlocked_ioctl = vascend_cdev_ioctl,
	/* Every ioctl struct has the same layout for 32-bit callers. */
	.compat_ioctl = compat_ptr_ioctl,
};

/**
 * vascend_cdev_device_init() - prepare the class device of a new card
 * @vdev: the card, @vdev->index set
 * @release: frees @vdev once the last reference to @vdev->dev is gone
 *
 * From here on @vdev is freed by put_device(&vdev->dev), even when this
 * fails.
 *
 * Return: 0, or -ENOMEM.
 */
int vascend_cdev_device_init(struct vascend_device *vdev,
			     void (*release)(struct device *dev))
{
	device_initialize(&vdev->dev);
	vdev->dev.class = &vascend_class;
	vdev->dev.parent = &vdev->pdev->dev;
	vdev->dev.devt = MKDEV(MAJOR(vascend_devt), vdev->index);
	vdev->dev.release = release;
	return dev_set_name(&vdev->dev, VASCEND_DAVINCI_DEV_FMT, vdev->index);
}

/**
 * vascend_cdev_add() - create /dev/davinciN
 * @vdev: the card, ready for file operations
 *
 * Return: 0, or a negative errno (logged).
 */
int vascend_cdev_add(struct vascend_device *vdev)
{
	int ret;

	cdev_init(&vdev->cdev, &vascend_cdev_fops);
	vdev->cdev.owner = THIS_MODULE;
	ret = cdev_device_add(&vdev->cdev, &vdev->dev);
	if (ret)
		dev_err(vascend_to_dev(vdev), "cannot create /dev/%s: %pe\n",
			dev_name(&vdev->dev), ERR_PTR(ret));
	return ret;
}

/**
 * vascend_cdev_del() - remove /dev/davinciN and detach open files
 * @vdev: the card
 *
 * Returns once no file operation is using the hardware; files still open
 * get ENODEV from then on.
 */
void vascend_cdev_del(struct vascend_device *vdev)
{
	cdev_device_del(&vdev->cdev, &vdev->dev);

	down_write(&vdev->unplug_lock);
	vdev->unplugged = true;
	up_write(&vdev->unplug_lock);
}

/**
 * vascend_cdev_init() - module-wide setup: char device numbers and class
 *
 * Return: 0, or a negative errno.
 */
int vascend_cdev_init(void)
{
	int ret;

	ret = alloc_chrdev_region(&vascend_devt, 0, VASCEND_MAX_DEVICES,
				  "davinci");
	if (ret)
		return ret;

	ret = class_register(&vascend_class);
	if (ret)
		goto err_unregister_region;
	return 0;

err_unregister_region:
	unregister_chrdev_region(vascend_devt, VASCEND_MAX_DEVICES);
	return ret;
}

/**
 * vascend_cdev_fini() - undo vascend_cdev_init()
 */
void vascend_cdev_fini(void)
{
	class_unregister(&vascend_class);
	unregister_chrdev_region(vascend_devt, VASCEND_MAX_DEVICES);
}

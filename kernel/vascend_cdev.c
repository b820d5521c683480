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
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <uapi/vascend_davinci.h>

#include "vascend_admin.h"
#include "vascend_cdev.h"
#include "vascend_dma.h"
#include "vascend_drv.h"
#include "vascend_stream.h"
#include "vascend_task_check.h"
#include "vascend_uring.h"

/*
 * The uapi structs must look the same to 32- and 64-bit callers (i386
 * aligns __u64 to 4 bytes): no implicit padding anywhere.
 */
static_assert(sizeof(struct vascend_device_info) == 112);
static_assert(offsetof(struct vascend_device_info, reserved) == 80);
static_assert(sizeof(struct vascend_dma_xfer) == 48);
static_assert(offsetof(struct vascend_dma_xfer, reserved) == 32);
static_assert(sizeof(struct vascend_stream_create) == 32);
static_assert(sizeof(struct vascend_stream_ref) == 24);
static_assert(sizeof(struct vascend_task) == 64);
static_assert(sizeof(struct vascend_submit) == 48);
static_assert(sizeof(struct vascend_wait) == 80);
static_assert(sizeof(struct vascend_stream_eventfd) == 24);
static_assert(sizeof(struct vascend_op_table) == 32);
static_assert(sizeof(struct vascend_op_entry) == 32);

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
	info.caps = READ_ONCE(vdev->uapi_caps);
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

/*
 * The admin query buffer is one page: the driver can hand out that many op
 * entries (the device allows up to 1024).
 */
#define VASCEND_OP_TABLE_MAX	(PAGE_SIZE / sizeof(struct vascend_op_entry))

static int vascend_ioctl_get_op_table(struct vascend_device *vdev,
				      void __user *uarg)
{
	struct device *dev = vascend_to_dev(vdev);
	struct vascend_op_entry *table;
	struct vascend_op_table args;
	u32 total, n;
	int ret;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	if (args.pad || memchr_inv(args.reserved, 0, sizeof(args.reserved))) {
		dev_dbg_ratelimited(dev, "GET_OP_TABLE: pad or reserved fields not zero\n");
		return -EINVAL;
	}
	if (args.count && !args.entries) {
		dev_dbg_ratelimited(dev, "GET_OP_TABLE: room for %u entries at address 0\n",
				    args.count);
		return -EINVAL;
	}

	table = kzalloc(PAGE_SIZE, GFP_KERNEL);
	if (!table)
		return -ENOMEM;
	ret = vascend_admin_query(vdev, VASCEND_ADMIN_GET_OP_TABLE, table,
				  PAGE_SIZE);
	if (ret < 0)
		goto out_free;
	total = ret / sizeof(struct vascend_op_entry);
	if (total > VASCEND_OP_TABLE_MAX && args.count > VASCEND_OP_TABLE_MAX) {
		dev_dbg_ratelimited(dev, "GET_OP_TABLE: %u ops, more than the %lu the driver returns\n",
				    total, VASCEND_OP_TABLE_MAX);
		ret = -EOVERFLOW;
		goto out_free;
	}
	n = min(args.count, total);
	if (n && copy_to_user(u64_to_user_ptr(args.entries), table,
			      n * sizeof(*table))) {
		ret = -EFAULT;
		goto out_free;
	}
	args.count = total;
	ret = copy_to_user(uarg, &args, sizeof(args)) ? -EFAULT : 0;

out_free:
	kfree(table);
	return ret;
}

/* One debug line per refused argument, naming the rule. */
#define vascend_arg_dbg(vdev, ioctl, err) \
	dev_dbg_ratelimited(vascend_to_dev(vdev), "%s: %s\n", ioctl, \
			    vascend_check_err_name(err))

static struct vascend_check_limits vascend_cdev_limits(struct vascend_device *vdev)
{
	return (struct vascend_check_limits){
		.aicore_count = vdev->aicore_count,
		.max_depth = vdev->max_queue_depth,
	};
}

static int vascend_ioctl_stream_create(struct vascend_file *vfile,
				       void __user *uarg)
{
	struct vascend_device *vdev = vfile->vdev;
	struct vascend_check_limits lim = vascend_cdev_limits(vdev);
	struct vascend_stream_create args;
	u32 id;
	int ret;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	ret = vascend_check_stream_create(&args, &lim);
	if (ret) {
		vascend_arg_dbg(vdev, "STREAM_CREATE", ret);
		return -EINVAL;
	}

	ret = vascend_stream_create(vfile, args.depth, &id);
	if (ret)
		return ret;

	args.stream_id = id;
	if (copy_to_user(uarg, &args, sizeof(args))) {
		/* The caller cannot learn the id: do not leave the stream behind. */
		vascend_stream_destroy(vfile, id);
		return -EFAULT;
	}
	return 0;
}

/* Copy in and check a stream_ref; the stream it names, with a reference. */
static struct vascend_stream *
vascend_ioctl_stream_ref(struct vascend_file *vfile, void __user *uarg,
			 const char *name, u32 *id)
{
	struct vascend_stream_ref args;
	struct vascend_stream *stream;
	int ret;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return ERR_PTR(-EFAULT);
	ret = vascend_check_stream_ref(&args);
	if (ret) {
		vascend_arg_dbg(vfile->vdev, name, ret);
		return ERR_PTR(-EINVAL);
	}
	*id = args.stream_id;
	stream = vascend_stream_get(vfile, args.stream_id);
	if (!stream) {
		dev_dbg_ratelimited(vascend_to_dev(vfile->vdev),
				    "%s: no stream %u\n", name, args.stream_id);
		return ERR_PTR(-EINVAL);
	}
	return stream;
}

static int vascend_ioctl_stream_destroy(struct vascend_file *vfile,
					void __user *uarg)
{
	struct vascend_stream *stream;
	u32 id;

	stream = vascend_ioctl_stream_ref(vfile, uarg, "STREAM_DESTROY", &id);
	if (IS_ERR(stream))
		return PTR_ERR(stream);
	vascend_stream_put(stream);
	return vascend_stream_destroy(vfile, id);
}

static int vascend_ioctl_stream_reset(struct vascend_file *vfile,
				      void __user *uarg)
{
	struct vascend_stream *stream;
	u32 id;
	int ret;

	stream = vascend_ioctl_stream_ref(vfile, uarg, "STREAM_RESET", &id);
	if (IS_ERR(stream))
		return PTR_ERR(stream);
	ret = vascend_stream_reset(stream);
	vascend_stream_put(stream);
	return ret;
}

static int vascend_ioctl_submit(struct vascend_file *vfile, void __user *uarg)
{
	struct vascend_device *vdev = vfile->vdev;
	struct vascend_check_limits lim = vascend_cdev_limits(vdev);
	struct vascend_submit __user *usub = uarg;
	struct vascend_stream *stream;
	struct vascend_submit args;
	struct vascend_task *tasks;
	bool nonblock;
	u64 seq = 0;
	u32 i;
	int ret;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	ret = vascend_check_submit(&args);
	if (ret) {
		vascend_arg_dbg(vdev, "SUBMIT", ret);
		return -EINVAL;
	}

	stream = vascend_stream_get(vfile, args.stream_id);
	if (!stream) {
		dev_dbg_ratelimited(vascend_to_dev(vdev), "SUBMIT: no stream %u\n",
				    args.stream_id);
		return -EINVAL;
	}
	nonblock = args.flags & VASCEND_SUBMIT_F_NONBLOCK;
	if (nonblock && args.count >= stream->depth) {
		dev_dbg_ratelimited(vascend_to_dev(vdev),
				    "SUBMIT: NONBLOCK batch of %u never fits a ring of %u\n",
				    args.count, stream->depth);
		ret = -EINVAL;
		goto out_put;
	}

	tasks = memdup_array_user(u64_to_user_ptr(args.tasks), args.count,
				  sizeof(*tasks));
	if (IS_ERR(tasks)) {
		ret = PTR_ERR(tasks);
		goto out_put;
	}
	for (i = 0; i < args.count; i++) {
		ret = vascend_check_task(&tasks[i], &lim);
		if (ret) {
			dev_dbg_ratelimited(vascend_to_dev(vdev),
					    "SUBMIT: task %u (type %u): %s\n", i,
					    tasks[i].type,
					    vascend_check_err_name(ret));
			ret = -EINVAL;
			goto out_free;
		}
	}

	ret = vascend_stream_submit(stream, tasks, args.count, nonblock, &seq);
	if (!ret && put_user(seq, &usub->seq))
		ret = -EFAULT;

out_free:
	kfree(tasks);
out_put:
	vascend_stream_put(stream);
	return ret;
}

static int vascend_ioctl_wait(struct vascend_file *vfile, void __user *uarg)
{
	struct vascend_stream *stream;
	struct vascend_wait args;
	int ret;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	ret = vascend_check_wait(&args);
	if (ret) {
		vascend_arg_dbg(vfile->vdev, "WAIT", ret);
		return -EINVAL;
	}
	stream = vascend_stream_get(vfile, args.stream_id);
	if (!stream) {
		dev_dbg_ratelimited(vascend_to_dev(vfile->vdev),
				    "WAIT: no stream %u\n", args.stream_id);
		return -EINVAL;
	}

	ret = vascend_stream_wait(stream, &args);
	vascend_stream_put(stream);
	if ((!ret || ret == -ETIMEDOUT) && copy_to_user(uarg, &args, sizeof(args)))
		return -EFAULT;
	return ret;
}

static int vascend_ioctl_stream_eventfd(struct vascend_file *vfile,
					void __user *uarg)
{
	struct vascend_stream_eventfd args;
	struct vascend_stream *stream;
	int ret;

	if (copy_from_user(&args, uarg, sizeof(args)))
		return -EFAULT;
	ret = vascend_check_eventfd(&args);
	if (ret) {
		vascend_arg_dbg(vfile->vdev, "STREAM_EVENTFD", ret);
		return -EINVAL;
	}
	stream = vascend_stream_get(vfile, args.stream_id);
	if (!stream) {
		dev_dbg_ratelimited(vascend_to_dev(vfile->vdev),
				    "STREAM_EVENTFD: no stream %u\n",
				    args.stream_id);
		return -EINVAL;
	}
	ret = vascend_stream_set_eventfd(stream, args.fd);
	vascend_stream_put(stream);
	return ret;
}

/* Stream control: streams belong to the process that opened the file. */
static long vascend_cdev_ioctl_ctl(struct vascend_file *vfile,
				   unsigned int cmd, void __user *uarg)
{
	if (!vascend_file_is_owner(vfile)) {
		dev_dbg_ratelimited(vascend_to_dev(vfile->vdev),
				    "stream ioctl from a process that did not open the file\n");
		return -EBADF;
	}
	switch (cmd) {
	case VASCEND_IOCTL_STREAM_CREATE:
		return vascend_ioctl_stream_create(vfile, uarg);
	case VASCEND_IOCTL_STREAM_DESTROY:
		return vascend_ioctl_stream_destroy(vfile, uarg);
	case VASCEND_IOCTL_STREAM_RESET:
		return vascend_ioctl_stream_reset(vfile, uarg);
	default:
		return vascend_ioctl_stream_eventfd(vfile, uarg);
	}
}

/*
 * WAIT and SUBMIT may sleep for as long as userspace asks: they run
 * without unplug_lock and rely on the stream's state, which remove() sets
 * to GONE (waking them) before the hardware goes.
 */
static long vascend_cdev_ioctl_stream(struct vascend_file *vfile,
				      unsigned int cmd, void __user *uarg)
{
	switch (cmd) {
	case VASCEND_IOCTL_SUBMIT:
		return vascend_ioctl_submit(vfile, uarg);
	case VASCEND_IOCTL_WAIT:
		return vascend_ioctl_wait(vfile, uarg);
	default:
		return -ENOTTY;
	}
}

static long vascend_cdev_ioctl(struct file *file, unsigned int cmd,
			       unsigned long arg)
{
	struct vascend_file *vfile = file->private_data;
	struct vascend_device *vdev = vfile->vdev;
	void __user *uarg = (void __user *)arg;
	long ret;

	if (cmd == VASCEND_IOCTL_SUBMIT || cmd == VASCEND_IOCTL_WAIT) {
		if (READ_ONCE(vdev->unplugged))
			return -ENODEV;
		if (!vascend_file_is_owner(vfile))
			return -EBADF;
		return vascend_cdev_ioctl_stream(vfile, cmd, uarg);
	}

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
	case VASCEND_IOCTL_GET_OP_TABLE:
		ret = vascend_ioctl_get_op_table(vdev, uarg);
		break;
	case VASCEND_IOCTL_STREAM_CREATE:
	case VASCEND_IOCTL_STREAM_DESTROY:
	case VASCEND_IOCTL_STREAM_RESET:
	case VASCEND_IOCTL_STREAM_EVENTFD:
		ret = vascend_cdev_ioctl_ctl(vfile, cmd, uarg);
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
	struct vascend_file *vfile;
	int ret = 0;

	down_read(&vdev->unplug_lock);
	if (vdev->unplugged) {
		ret = -ENODEV;
		goto out_unlock;
	}
	vfile = vascend_file_open(vdev);
	if (IS_ERR(vfile)) {
		ret = PTR_ERR(vfile);
		goto out_unlock;
	}
	file->private_data = vfile;
	ret = nonseekable_open(inode, file);
	if (ret) {
		vascend_file_close(vfile);
		file->private_data = NULL;
	}

out_unlock:
	up_read(&vdev->unplug_lock);
	return ret;
}

/* The last reference: destroy the file's streams; the cdev drops the card. */
static int vascend_cdev_release(struct inode *inode, struct file *file)
{
	struct vascend_file *vfile = file->private_data;

	vascend_file_close(vfile);
	return 0;
}

static __poll_t vascend_cdev_poll(struct file *file,
				  struct poll_table_struct *wait)
{
	return vascend_file_poll(file->private_data, file, wait);
}

static const struct file_operations vascend_cdev_fops = {
	.owner = THIS_MODULE,
	.open = vascend_cdev_open,
	.release = vascend_cdev_release,
	.unlocked_ioctl = vascend_cdev_ioctl,
	/* Every ioctl struct has the same layout for 32-bit callers. */
	.compat_ioctl = compat_ptr_ioctl,
	.poll = vascend_cdev_poll,
	.uring_cmd = vascend_uring_cmd,
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

	if (vdev->caps & VASCEND_HW_CAP_DMA)
		vdev->uapi_caps |= VASCEND_CAP_DMA_XFER;
	vdev->uapi_caps |= VASCEND_CAP_OP_TABLE;

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

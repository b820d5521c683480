// SPDX-License-Identifier: GPL-2.0-only
/*
 * sysfs: /sys/class/vascend/davinciN/, one value per file.
 *
 *   aicore_count      AI Cores
 *   hbm_total         HBM bytes
 *   hbm_used          HBM bytes allocated through /dev/devmm_svm
 *   fw_version        running firmware, major.minor.patch
 *   utilization       AI Core utilisation over the last second, per mille
 *                     (admin TELEMETRY)
 *   reset_count       recoveries since the driver bound the card
 *   last_reset_cause  none, hang, dma, ecc, fw-crash or user
 *   state             ok, resetting or dead
 *
 * The attribute group is attached before the class device is added, so
 * the files appear with /dev/davinciN and go with it.
 */

#include <linux/device.h>
#include <linux/kernel.h>
#include <linux/sysfs.h>

#include <uapi/vascend_fw.h>
#include <uapi/vascend_queue_hw.h>

#include "vascend_admin.h"
#include "vascend_drv.h"
#include "vascend_reset.h"
#include "vascend_sysfs.h"
#include "vascend_vm.h"

static struct vascend_device *to_vascend(struct device *dev)
{
	return container_of(dev, struct vascend_device, dev);
}

static ssize_t aicore_count_show(struct device *dev,
				 struct device_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", to_vascend(dev)->aicore_count);
}
static DEVICE_ATTR_RO(aicore_count);

static ssize_t hbm_total_show(struct device *dev, struct device_attribute *attr,
			      char *buf)
{
	return sysfs_emit(buf, "%llu\n", to_vascend(dev)->hbm_size);
}
static DEVICE_ATTR_RO(hbm_total);

static ssize_t hbm_used_show(struct device *dev, struct device_attribute *attr,
			     char *buf)
{
	struct vascend_device *vdev = to_vascend(dev);
	ssize_t ret = -ENODEV;

	down_read(&vdev->unplug_lock);
	if (!vdev->unplugged)
		ret = sysfs_emit(buf, "%llu\n", vascend_hbm_used(vdev));
	up_read(&vdev->unplug_lock);
	return ret;
}
static DEVICE_ATTR_RO(hbm_used);

static ssize_t fw_version_show(struct device *dev,
			       struct device_attribute *attr, char *buf)
{
	u32 v = READ_ONCE(to_vascend(dev)->fw_version);

	return sysfs_emit(buf, "%u.%u.%u\n", VASCEND_FW_VERSION_MAJOR(v),
			  VASCEND_FW_VERSION_MINOR(v),
			  VASCEND_FW_VERSION_PATCH(v));
}
static DEVICE_ATTR_RO(fw_version);

static ssize_t utilization_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	struct vascend_device *vdev = to_vascend(dev);
	struct vascend_telemetry tele;
	int ret = -ENODEV;

	down_read(&vdev->unplug_lock);
	if (!vdev->unplugged)
		ret = vascend_admin_query(vdev, VASCEND_ADMIN_TELEMETRY, &tele,
					  sizeof(tele));
	up_read(&vdev->unplug_lock);
	if (ret < 0)
		return ret;
	return sysfs_emit(buf, "%u\n", tele.utilization);
}
static DEVICE_ATTR_RO(utilization);

static ssize_t reset_count_show(struct device *dev,
				struct device_attribute *attr, char *buf)
{
	u32 state, count;

	vascend_reset_get_health(to_vascend(dev), &state, NULL, &count, NULL);
	return sysfs_emit(buf, "%u\n", count);
}
static DEVICE_ATTR_RO(reset_count);

static ssize_t last_reset_cause_show(struct device *dev,
				     struct device_attribute *attr, char *buf)
{
	u32 state, cause;

	vascend_reset_get_health(to_vascend(dev), &state, NULL, NULL, &cause);
	return sysfs_emit(buf, "%s\n", vascend_rsm_cause_name(cause));
}
static DEVICE_ATTR_RO(last_reset_cause);

static ssize_t state_show(struct device *dev, struct device_attribute *attr,
			  char *buf)
{
	static const char * const names[] = {
		[VASCEND_CARD_OK] = "ok",
		[VASCEND_CARD_RESETTING] = "resetting",
		[VASCEND_CARD_DEAD] = "dead",
	};
	u32 state;

	vascend_reset_get_health(to_vascend(dev), &state, NULL, NULL, NULL);
	return sysfs_emit(buf, "%s\n", names[state]);
}
static DEVICE_ATTR_RO(state);

static struct attribute *vascend_attrs[] = {
	&dev_attr_aicore_count.attr,
	&dev_attr_hbm_total.attr,
	&dev_attr_hbm_used.attr,
	&dev_attr_fw_version.attr,
	&dev_attr_utilization.attr,
	&dev_attr_reset_count.attr,
	&dev_attr_last_reset_cause.attr,
	&dev_attr_state.attr,
	NULL
};
ATTRIBUTE_GROUPS(vascend);

/**
 * vascend_sysfs_init() - attach the attributes to the class device
 * @vdev: the card, its class device not yet added
 */
void vascend_sysfs_init(struct vascend_device *vdev)
{
	vdev->dev.groups = vascend_groups;
}

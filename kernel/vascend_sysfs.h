/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sysfs attributes of /sys/class/vascend/davinciN.
 */

#ifndef __VASCEND_SYSFS_H__
#define __VASCEND_SYSFS_H__

struct vascend_device;

void vascend_sysfs_init(struct vascend_device *vdev);

#endif /* __VASCEND_SYSFS_H__ */

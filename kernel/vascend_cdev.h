/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * /dev/davinciN: the per-card character device and its ioctls.
 */

#ifndef __VASCEND_CDEV_H__
#define __VASCEND_CDEV_H__

#include <linux/types.h>

struct device;
struct vascend_device;

int vascend_cdev_init(void);
void vascend_cdev_fini(void);
int vascend_cdev_device_init(struct vascend_device *vdev,
			     void (*release)(struct device *dev));
int vascend_cdev_add(struct vascend_device *vdev);
void vascend_cdev_del(struct vascend_device *vdev);

#endif /* __VASCEND_CDEV_H__ */

/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * debugfs: /sys/kernel/debug/vascend/davinciN/.
 */

#ifndef __VASCEND_DEBUGFS_H__
#define __VASCEND_DEBUGFS_H__

struct vascend_device;

void vascend_debugfs_module_init(void);
void vascend_debugfs_module_fini(void);
void vascend_debugfs_init(struct vascend_device *vdev);
void vascend_debugfs_fini(struct vascend_device *vdev);

#endif /* __VASCEND_DEBUGFS_H__ */

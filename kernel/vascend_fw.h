/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Firmware: load the image and run the device's boot handshake.
 */

#ifndef __VASCEND_FW_H__
#define __VASCEND_FW_H__

struct vascend_device;

int vascend_fw_boot(struct vascend_device *vdev);
void vascend_fw_boot_irq(struct vascend_device *vdev);

#endif /* __VASCEND_FW_H__ */

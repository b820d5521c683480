/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * MSI-X: one vector per interrupt source (VASCEND_MSIX_VEC_*).
 */

#ifndef __VASCEND_IRQ_H__
#define __VASCEND_IRQ_H__

struct vascend_device;

int vascend_irq_init(struct vascend_device *vdev);
void vascend_irq_fini(struct vascend_device *vdev);

#endif /* __VASCEND_IRQ_H__ */

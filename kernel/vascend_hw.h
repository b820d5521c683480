/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Register access and the device-level operations: identification and
 * reset. The register map itself is include/uapi/vascend_hw.h.
 */

#ifndef __VASCEND_HW_H__
#define __VASCEND_HW_H__

#include <linux/io.h>
#include <linux/types.h>

#include <uapi/vascend_hw.h>

#include "vascend_drv.h"

static inline u32 vascend_rd32(struct vascend_device *vdev, u32 reg)
{
	return readl(vdev->regs + reg);
}

static inline void vascend_wr32(struct vascend_device *vdev, u32 reg, u32 val)
{
	writel(val, vdev->regs + reg);
}

/* A _LO/_HI register pair. The halves are not read atomically. */
static inline u64 vascend_rd64(struct vascend_device *vdev, u32 reg_lo,
			       u32 reg_hi)
{
	u64 lo = vascend_rd32(vdev, reg_lo);

	return lo | ((u64)vascend_rd32(vdev, reg_hi) << 32);
}

/* The contract wants _LO written first, _HI second. */
static inline void vascend_wr64(struct vascend_device *vdev, u32 reg_lo,
				u32 reg_hi, u64 val)
{
	vascend_wr32(vdev, reg_lo, lower_32_bits(val));
	vascend_wr32(vdev, reg_hi, upper_32_bits(val));
}

int vascend_hw_init(struct vascend_device *vdev);
int vascend_hw_reset(struct vascend_device *vdev);

#endif /* __VASCEND_HW_H__ */

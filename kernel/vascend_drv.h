/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * vascend: driver for the virtual Ascend NPU. The per-card state and what
 * the other files of the module share.
 */

#ifndef __VASCEND_DRV_H__
#define __VASCEND_DRV_H__

#include <linux/cdev.h>
#include <linux/completion.h>
#include <linux/device.h>
#include <linux/pci.h>
#include <linux/rwsem.h>
#include <linux/types.h>

#include <uapi/vascend_hw.h>

#include "vascend_admin.h"
#include "vascend_dma.h"
#include "vascend_irq.h"
#include "vascend_reset.h"
#include "vascend_stream.h"

struct vascend_mem;

/* Cards per system: the minors of /dev/davinciN, N < VASCEND_MAX_DEVICES. */
#define VASCEND_MAX_DEVICES	64

/**
 * struct vascend_device - one card
 * @pdev: the PCI function
 * @regs: BAR0, the register page (VASCEND_REG_*)
 * @index: card index, the N of /dev/davinciN; from vascend_ida
 * @dev: the class device behind /dev/davinciN; its release frees this
 *	struct, so an open file keeps it alive after remove()
 * @cdev: the character device; holds @dev while a file is open
 * @hw_version: VASCEND_REG_VERSION, VASCEND_HW_VERSION() encoding
 * @caps: VASCEND_REG_CAPS_*, VASCEND_HW_CAP_* bits
 * @aicore_count: AI Cores on the card
 * @msix_count: MSI-X vectors the device implements
 * @hbm_size: device memory in bytes (BAR2 holds it)
 * @soc_name: VASCEND_REG_SOC_NAME, NUL-terminated, printable ASCII
 * @fw_version: running firmware, VASCEND_FW_VERSION() encoding
 * @fw_boot_done: completed by the admin interrupt when the device has
 *	finished a firmware boot request, successfully or not
 * @max_queues: VASCEND_REG_MAX_QUEUES, admin queue included
 * @max_queue_depth: VASCEND_REG_MAX_QUEUE_DEPTH
 * @uapi_caps: VASCEND_CAP_* bits GET_INFO reports; each subsystem sets its
 *	own at init (vascend_cdev.c: DMA_XFER, STREAMS, URING_CMD)
 * @irq: MSI-X vectors (vascend_irq.c)
 * @dma: DMA channel 0 (vascend_dma.c)
 * @admin: the admin queue (vascend_admin.c)
 * @reset: recovery (vascend_reset.c)
 * @streams: the IO queues of every open file (vascend_stream.c)
 * @mem: HBM, contexts and address spaces (vascend_vm.c); NULL outside
 *	vascend_mem_init() .. vascend_mem_fini()
 * @debugfs: this card's debugfs directory, or an error pointer
 * @unplug_lock: protects @unplugged; held for read across every file
 *	operation that touches the hardware, for write by remove()
 * @unplugged: remove() has started; file operations fail with ENODEV
 *
 * Identification fields are read once at probe and constant afterwards.
 */
struct vascend_device {
	struct pci_dev *pdev;
	void __iomem *regs;
	u32 index;
	struct device dev;
	struct cdev cdev;

	u32 hw_version;
	u64 caps;
	u32 aicore_count;
	u32 msix_count;
	u64 hbm_size;
	char soc_name[VASCEND_SOC_NAME_LEN + 1];

	u32 fw_version;
	struct completion fw_boot_done;

	u32 max_queues;
	u32 max_queue_depth;
	u64 uapi_caps;

	struct vascend_irq irq;
	struct vascend_dma dma;
	struct vascend_admin admin;
	struct vascend_reset reset;
	struct vascend_streams streams;
	struct vascend_mem *mem;
	struct dentry *debugfs;

	struct rw_semaphore unplug_lock; /* Protects unplugged */
	bool unplugged;
};

struct vascend_device *vascend_card_get(u32 index);
void vascend_card_put(struct vascend_device *vdev);
u32 vascend_card_ids(u32 *ids);

/* The PCI function's struct device: the one every message is logged on. */
static inline struct device *vascend_to_dev(struct vascend_device *vdev)
{
	return &vdev->pdev->dev;
}

#endif /* __VASCEND_DRV_H__ */

/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * DMA channel 0: copies between user memory and HBM through a bounce buffer.
 */

#ifndef __VASCEND_DMA_H__
#define __VASCEND_DMA_H__

#include <linux/completion.h>
#include <linux/compiler_types.h>
#include <linux/mutex.h>
#include <linux/types.h>

struct vascend_device;

/**
 * struct vascend_dma - DMA channel 0 of one card
 * @lock: serialises the channel: its registers, @buf, @seq and @dead
 * @done: completed by the DMA interrupt when a command has finished
 * @buf: bounce buffer the device reads from and writes to
 * @buf_addr: bus address of @buf
 * @buf_size: bytes at @buf, the largest piece one command moves
 * @seq: VASCEND_REG_DMA_SEQ after the last command that finished
 * @dead: a command timed out or finished inconsistently: the channel
 *	refuses work until a recovery has reset the card (@buf is not reused
 *	meanwhile, since the device may still write it)
 */
struct vascend_dma {
	struct mutex lock; /* Serialises the channel: registers, buf, seq, dead */
	struct completion done;
	void *buf;
	dma_addr_t buf_addr;
	size_t buf_size;
	u32 seq;
	bool dead;
};

int vascend_dma_init(struct vascend_device *vdev);
void vascend_dma_fini(struct vascend_device *vdev);
void vascend_dma_irq(struct vascend_device *vdev);
void vascend_dma_revive_locked(struct vascend_device *vdev);
int vascend_dma_xfer(struct vascend_device *vdev, void __user *uptr,
		     u64 dev_addr, u64 size, bool to_device);

#endif /* __VASCEND_DMA_H__ */

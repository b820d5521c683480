// SPDX-License-Identifier: GPL-2.0-only
/*
 * DMA channel 0. User memory is copied through one coherent bounce buffer
 * per card, a piece at a time: the device copies between the buffer and HBM
 * and raises VASCEND_MSIX_VEC_DMA when a command has finished.
 *
 * The buffer is reused for the next piece only once the device has said the
 * previous command finished (status and sequence number agree). When it
 * does not say so in time, the channel is marked dead and the card is
 * recovered (cause DMA): the buffer is not touched again until that
 * recovery's reset has found the device's DMA idle, which revives the
 * channel. At remove a dead channel's buffer is freed only if the device
 * reports its DMA idle.
 */

#include <linux/dma-mapping.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/minmax.h>
#include <linux/sched/signal.h>
#include <linux/sizes.h>
#include <linux/uaccess.h>

#include "vascend_dma.h"
#include "vascend_drv.h"
#include "vascend_hw.h"
#include "vascend_reset.h"

/* Large enough to amortise the interrupt, small enough to allocate. */
#define VASCEND_DMA_BOUNCE_SIZE		SZ_1M
/* One bounce buffer's worth; the device is quick even under TCG. */
#define VASCEND_DMA_TIMEOUT_MS		5000

static_assert(VASCEND_DMA_BOUNCE_SIZE <= VASCEND_DMA_MAX_LEN);

static const char *vascend_dma_status_name(u32 status)
{
	switch (status) {
	case VASCEND_DMA_STATUS_IDLE:
		return "IDLE";
	case VASCEND_DMA_STATUS_BUSY:
		return "BUSY";
	case VASCEND_DMA_STATUS_DONE:
		return "DONE";
	case VASCEND_DMA_STATUS_ERR_NOT_BOOTED:
		return "ERR_NOT_BOOTED";
	case VASCEND_DMA_STATUS_ERR_RANGE:
		return "ERR_RANGE";
	case VASCEND_DMA_STATUS_ERR_LEN:
		return "ERR_LEN";
	case VASCEND_DMA_STATUS_ERR_HOST:
		return "ERR_HOST";
	case VASCEND_DMA_STATUS_ERR_CTRL:
		return "ERR_CTRL";
	default:
		return "unknown status";
	}
}

/**
 * vascend_dma_irq() - the DMA interrupt reported a finished command
 * @vdev: the card
 *
 * Called in interrupt context.
 */
void vascend_dma_irq(struct vascend_device *vdev)
{
	complete(&vdev->dma.done);
}

/*
 * The device can no longer be trusted with the bounce buffer: refuse all
 * work until a recovery has reset the card. The caller logs why.
 */
static void vascend_dma_kill_locked(struct vascend_device *vdev)
{
	lockdep_assert_held(&vdev->dma.lock);

	vdev->dma.dead = true;
	vascend_reset_schedule(vdev, VASCEND_RESET_CAUSE_DMA);
}

/**
 * vascend_dma_revive_locked() - the card was reset and its DMA is idle
 * @vdev: the card
 *
 * Called by the recovery, channel held: the buffer is safe again and the
 * device counts commands from zero.
 */
void vascend_dma_revive_locked(struct vascend_device *vdev)
{
	lockdep_assert_held(&vdev->dma.lock);

	vdev->dma.seq = vascend_rd32(vdev, VASCEND_REG_DMA_SEQ);
	vdev->dma.dead = false;
}

/* Run one command between the bounce buffer and HBM and wait for it. */
static int vascend_dma_run_locked(struct vascend_device *vdev, u64 dev_addr,
				  u32 len, bool to_device)
{
	struct vascend_dma *dma = &vdev->dma;
	struct device *dev = vascend_to_dev(vdev);
	u32 ctrl = VASCEND_DMA_CTRL_START;
	u32 status, seq, want_seq;
	unsigned long left;

	lockdep_assert_held(&dma->lock);

	if (!to_device)
		ctrl |= VASCEND_DMA_CTRL_DIR_D2H;
	want_seq = dma->seq + 1;

	/* A stale cause bit must not pass for this command's interrupt. */
	vascend_wr32(vdev, VASCEND_REG_IRQ_STATUS, VASCEND_IRQ_DMA_DONE);
	reinit_completion(&dma->done);

	vascend_wr64(vdev, VASCEND_REG_DMA_HOST_LO, VASCEND_REG_DMA_HOST_HI,
		     dma->buf_addr);
	vascend_wr64(vdev, VASCEND_REG_DMA_DEV_LO, VASCEND_REG_DMA_DEV_HI,
		     dev_addr);
	vascend_wr32(vdev, VASCEND_REG_DMA_LEN, len);
	/*
	 * writel() orders the CPU's writes to the bounce buffer before this
	 * write, after which the device may read it.
	 */
	vascend_wr32(vdev, VASCEND_REG_DMA_CTRL, ctrl);

	left = wait_for_completion_timeout(&dma->done,
					   msecs_to_jiffies(VASCEND_DMA_TIMEOUT_MS));
	/*
	 * readl() orders the CPU's later reads of the bounce buffer after the
	 * status read that says the device has written it.
	 */
	status = vascend_rd32(vdev, VASCEND_REG_DMA_STATUS);
	seq = vascend_rd32(vdev, VASCEND_REG_DMA_SEQ);

	if (!left) {
		vascend_dma_kill_locked(vdev);
		dev_err(dev, "DMA of %u bytes %s HBM 0x%llx timed out after %u ms (status %s 0x%02x, seq %u, expected %u): channel stopped, recovering the card\n",
			len, to_device ? "to" : "from", dev_addr,
			VASCEND_DMA_TIMEOUT_MS, vascend_dma_status_name(status),
			status, seq, want_seq);
		return -ETIMEDOUT;
	}

	if (seq != want_seq || (status != VASCEND_DMA_STATUS_DONE &&
				!VASCEND_DMA_STATUS_IS_ERROR(status))) {
		vascend_dma_kill_locked(vdev);
		dev_err(dev, "DMA completion inconsistent (status %s 0x%02x, seq %u, expected %u): channel stopped, recovering the card\n",
			vascend_dma_status_name(status), status, seq, want_seq);
		return -EIO;
	}
	dma->seq = seq;

	if (VASCEND_DMA_STATUS_IS_ERROR(status)) {
		dev_err_ratelimited(dev, "DMA of %u bytes %s HBM 0x%llx failed: %s (0x%02x)\n",
				    len, to_device ? "to" : "from", dev_addr,
				    vascend_dma_status_name(status), status);
		return -EIO;
	}
	return 0;
}

/**
 * vascend_dma_xfer() - copy between user memory and HBM
 * @vdev: the card
 * @uptr: user buffer of @size bytes
 * @dev_addr: byte offset into HBM; the caller checked that @dev_addr +
 *	@size lies within HBM
 * @size: bytes to copy, at least 1
 * @to_device: true for user memory to HBM, false for HBM to user memory
 *
 * Moves the data in pieces of the bounce buffer's size, one command each,
 * with the channel held throughout. On failure some pieces may have been
 * copied already.
 *
 * Return: 0, -EFAULT (bad user memory), -EIO (the device reported an
 * error), -ETIMEDOUT (no completion; the channel is stopped until the
 * recovery this started), -ENODEV (the channel is stopped),
 * -ERESTARTSYS (a signal came while waiting for the channel: nothing was
 * copied yet, so the call restarts after a handler with SA_RESTART),
 * -EINTR (a fatal signal between pieces: some may have been copied).
 */
int vascend_dma_xfer(struct vascend_device *vdev, void __user *uptr,
		     u64 dev_addr, u64 size, bool to_device)
{
	struct vascend_dma *dma = &vdev->dma;
	u64 done = 0;
	size_t chunk;
	int ret;

	if (mutex_lock_interruptible(&dma->lock))
		return -ERESTARTSYS;

	if (dma->dead) {
		dev_dbg_ratelimited(vascend_to_dev(vdev),
				    "DMA_XFER: channel stopped until the card is recovered\n");
		ret = -ENODEV;
		goto out_unlock;
	}

	while (done < size) {
		chunk = min_t(u64, size - done, dma->buf_size);

		if (to_device && copy_from_user(dma->buf, uptr + done, chunk)) {
			dev_dbg_ratelimited(vascend_to_dev(vdev),
					    "DMA_XFER: user memory at offset %llu not readable\n",
					    done);
			ret = -EFAULT;
			goto out_unlock;
		}

		ret = vascend_dma_run_locked(vdev, dev_addr + done, chunk,
					     to_device);
		if (ret)
			goto out_unlock;

		if (!to_device && copy_to_user(uptr + done, dma->buf, chunk)) {
			dev_dbg_ratelimited(vascend_to_dev(vdev),
					    "DMA_XFER: user memory at offset %llu not writable\n",
					    done);
			ret = -EFAULT;
			goto out_unlock;
		}

		done += chunk;
		/* A long copy must not outlive a process that was killed. */
		if (done < size && fatal_signal_pending(current)) {
			ret = -EINTR;
			goto out_unlock;
		}
	}
	ret = 0;

out_unlock:
	mutex_unlock(&dma->lock);
	return ret;
}

/**
 * vascend_dma_init() - set up DMA channel 0
 * @vdev: the card, reset; called before the DMA interrupt is installed
 *
 * Return: 0, or -ENOMEM (the allocator has logged it).
 */
int vascend_dma_init(struct vascend_device *vdev)
{
	struct vascend_dma *dma = &vdev->dma;

	mutex_init(&dma->lock);
	init_completion(&dma->done);

	dma->buf_size = VASCEND_DMA_BOUNCE_SIZE;
	dma->buf = dma_alloc_coherent(vascend_to_dev(vdev), dma->buf_size,
				      &dma->buf_addr, GFP_KERNEL);
	if (!dma->buf) {
		mutex_destroy(&dma->lock);
		return -ENOMEM;
	}

	/* Counts commands since the last reset; probe just reset the device. */
	dma->seq = vascend_rd32(vdev, VASCEND_REG_DMA_SEQ);
	dma->dead = false;
	return 0;
}

/**
 * vascend_dma_fini() - tear down DMA channel 0
 * @vdev: the card, reset, its interrupts freed, no ioctl running
 *
 * Frees the bounce buffer unless a dead channel's device still reports its
 * DMA busy: then the buffer is leaked, since the device may still write it.
 */
void vascend_dma_fini(struct vascend_device *vdev)
{
	struct vascend_dma *dma = &vdev->dma;

	if (dma->dead &&
	    (vascend_rd32(vdev, VASCEND_REG_STATUS) & VASCEND_STATUS_DMA_BUSY)) {
		dev_warn(vascend_to_dev(vdev),
			 "DMA still busy after reset: leaking the %zu KiB bounce buffer\n",
			 dma->buf_size / SZ_1K);
	} else {
		dma_free_coherent(vascend_to_dev(vdev), dma->buf_size,
				  dma->buf, dma->buf_addr);
	}
	dma->buf = NULL;
	mutex_destroy(&dma->lock);
}

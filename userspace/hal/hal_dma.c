// SPDX-License-Identifier: MIT
/*
 * Copies between host memory and a card's HBM (VASCEND_IOCTL_DMA_XFER).
 */
#include <inttypes.h>
#include <string.h>

#include "vascend_davinci.h"

#include "hal_error.h"
#include "hal_internal.h"

_Static_assert(HAL_VASCEND_DMA_TO_DEVICE == VASCEND_DMA_TO_DEVICE, "DMA directions differ");
_Static_assert(HAL_VASCEND_DMA_FROM_DEVICE == VASCEND_DMA_FROM_DEVICE, "DMA directions differ");

static const char *dir_name(halVascendDmaDir dir)
{
	return dir == HAL_VASCEND_DMA_TO_DEVICE ? "to device" : "from device";
}

DLLEXPORT drvError_t halVascendDmaXfer(uint32_t devId, void *hostAddr, uint64_t devAddr,
				       uint64_t size, halVascendDmaDir dir)
{
	struct vascend_dma_xfer x;
	struct hal_dev_ref dev;
	drvError_t ret;
	uint64_t hbm;
	int err;

	if (!hostAddr || !size)
		return hal_fail(DRV_ERROR_INVALID_VALUE, 0,
				"halVascendDmaXfer: host address %p, size %" PRIu64, hostAddr, size);
	if (dir != HAL_VASCEND_DMA_TO_DEVICE && dir != HAL_VASCEND_DMA_FROM_DEVICE)
		return hal_fail(DRV_ERROR_INVALID_VALUE, 0, "halVascendDmaXfer: direction %d",
				(int)dir);

	ret = hal_dev_get(devId, &dev);
	if (ret)
		return ret;
	hbm = dev.info->hbmSize;
	if (!(dev.info->caps & HAL_VASCEND_CAP_DMA_XFER)) {
		ret = hal_fail(DRV_ERROR_NOT_SUPPORT, 0, "%s: driver does not offer DMA transfers",
			       dev.path);
		goto put;
	}
	/* the driver checks this too; checking here names the culprit */
	if (devAddr > hbm || size > hbm - devAddr) {
		ret = hal_fail(DRV_ERROR_INVALID_VALUE, 0,
			       "%s: DMA of %" PRIu64 " bytes at HBM offset 0x%" PRIx64
			       " goes past the end of HBM (%" PRIu64 " bytes)",
			       dev.path, size, devAddr, hbm);
		goto put;
	}

	memset(&x, 0, sizeof(x));
	x.user_addr = (uint64_t)(uintptr_t)hostAddr;
	x.dev_addr = devAddr;
	x.size = size;
	x.direction = (uint32_t)dir;
	err = hal_ioctl(dev.os, dev.fd, VASCEND_IOCTL_DMA_XFER, &x);
	if (err)
		ret = hal_fail(hal_errno_to_drv(-err), -err,
			       "%s: VASCEND_IOCTL_DMA_XFER %s, %" PRIu64
			       " bytes at HBM offset 0x%" PRIx64,
			       dev.path, dir_name(dir), size, devAddr);
put:
	hal_dev_put(&dev);
	return ret;
}

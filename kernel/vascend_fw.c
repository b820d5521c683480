// SPDX-License-Identifier: GPL-2.0-only
/*
 * Firmware load and boot. The image is validated here (vascend_fw_image.c)
 * and again by the device; the device only runs what it has accepted and
 * refuses all work until then.
 */

#include <linux/completion.h>
#include <linux/dma-mapping.h>
#include <linux/firmware.h>
#include <linux/jiffies.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/string.h>

#include <uapi/vascend_fw.h>

#include "vascend_drv.h"
#include "vascend_fw.h"
#include "vascend_fw_image.h"
#include "vascend_hw.h"

/* The device reads and checks at most 16 MiB; TCG makes it slow, not that slow. */
#define VASCEND_FW_BOOT_TIMEOUT_MS	5000

static char *vascend_fw_name = VASCEND_FW_NAME;
module_param_named(fw_name, vascend_fw_name, charp, 0444);
MODULE_PARM_DESC(fw_name,
		 "firmware image, relative to /lib/firmware (default " VASCEND_FW_NAME ")");

static bool vascend_fw_check = true;
module_param_named(fw_check, vascend_fw_check, bool, 0444);
MODULE_PARM_DESC(fw_check,
		 "validate the firmware image before the device sees it (default Y); N is a test hook that hands the image over unchecked so the device's own refusal can be tested");

MODULE_FIRMWARE(VASCEND_FW_NAME);

static const char *vascend_fw_status_name(u32 status)
{
	switch (status) {
	case VASCEND_FW_STATUS_OFF:
		return "OFF";
	case VASCEND_FW_STATUS_BOOTING:
		return "BOOTING";
	case VASCEND_FW_STATUS_RUNNING:
		return "RUNNING";
	case VASCEND_FW_STATUS_CRASHED:
		return "CRASHED";
	case VASCEND_FW_STATUS_ERR_MAGIC:
		return "ERR_MAGIC";
	case VASCEND_FW_STATUS_ERR_FORMAT:
		return "ERR_FORMAT";
	case VASCEND_FW_STATUS_ERR_SIZE:
		return "ERR_SIZE";
	case VASCEND_FW_STATUS_ERR_CHECKSUM:
		return "ERR_CHECKSUM";
	case VASCEND_FW_STATUS_ERR_SECTION:
		return "ERR_SECTION";
	case VASCEND_FW_STATUS_ERR_DMA:
		return "ERR_DMA";
	case VASCEND_FW_STATUS_ERR_RESERVED:
		return "ERR_RESERVED";
	case VASCEND_FW_STATUS_ERR_VERSION:
		return "ERR_VERSION";
	case VASCEND_FW_STATUS_ERR_MISMATCH:
		return "ERR_MISMATCH";
	default:
		return "unknown status";
	}
}

/**
 * vascend_fw_boot_irq() - the admin interrupt reported a finished boot
 * @vdev: the card
 *
 * Called in interrupt context.
 */
void vascend_fw_boot_irq(struct vascend_device *vdev)
{
	complete(&vdev->fw_boot_done);
}

/*
 * Hand the image at @addr to the device and wait for its verdict. The
 * device reads the image by DMA; on failure the caller resets it before
 * the image's memory is freed.
 */
static int vascend_fw_handshake(struct vascend_device *vdev, dma_addr_t addr,
				u32 size)
{
	struct device *dev = vascend_to_dev(vdev);
	unsigned long left;
	u32 status;

	/* A stale cause bit must not pass for this boot's interrupt. */
	vascend_wr32(vdev, VASCEND_REG_IRQ_STATUS, VASCEND_IRQ_FW_BOOT);
	reinit_completion(&vdev->fw_boot_done);

	vascend_wr64(vdev, VASCEND_REG_FW_ADDR_LO, VASCEND_REG_FW_ADDR_HI, addr);
	vascend_wr32(vdev, VASCEND_REG_FW_SIZE, size);
	/*
	 * writel() orders the image copy into coherent memory before this
	 * write, after which the device may fetch it.
	 */
	vascend_wr32(vdev, VASCEND_REG_FW_CTRL, VASCEND_FW_CTRL_BOOT);

	left = wait_for_completion_timeout(&vdev->fw_boot_done,
					   msecs_to_jiffies(VASCEND_FW_BOOT_TIMEOUT_MS));
	status = vascend_rd32(vdev, VASCEND_REG_FW_STATUS);
	if (!left) {
		dev_err(dev, "firmware %s: boot timed out after %u ms (FW_STATUS %s 0x%02x)\n",
			vascend_fw_name, VASCEND_FW_BOOT_TIMEOUT_MS,
			vascend_fw_status_name(status), status);
		return -ETIMEDOUT;
	}
	if (VASCEND_FW_STATUS_IS_ERROR(status)) {
		dev_err(dev, "device refused firmware %s: %s (0x%02x)\n",
			vascend_fw_name, vascend_fw_status_name(status), status);
		return -EIO;
	}
	if (status != VASCEND_FW_STATUS_RUNNING) {
		dev_err(dev, "firmware %s: boot interrupt, but FW_STATUS is %s (0x%02x)\n",
			vascend_fw_name, vascend_fw_status_name(status), status);
		return -EIO;
	}

	vdev->fw_version = vascend_rd32(vdev, VASCEND_REG_FW_VERSION);
	return 0;
}

/* One log line for a bad image, from the code that knows why. */
static int vascend_fw_validate(struct vascend_device *vdev,
			       const struct firmware *fw,
			       struct vascend_fw_image_info *info)
{
	struct device *dev = vascend_to_dev(vdev);
	char reason[VASCEND_FW_REASON_LEN];

	if (!vascend_fw_check) {
		/* Even unchecked, the buffer must be one the device could read. */
		if (!fw->size || fw->size > VASCEND_FW_MAX_SIZE) {
			dev_err(dev, "firmware %s rejected: file is %zu bytes, not 1..%u (fw_check=0 checks only this)\n",
				vascend_fw_name, fw->size, VASCEND_FW_MAX_SIZE);
			return -EINVAL;
		}
		dev_warn(dev, "firmware %s: not validated (fw_check=0 test hook), the device alone decides\n",
			 vascend_fw_name);
		return 0;
	}

	if (vascend_fw_image_check(fw->data, fw->size, info, reason,
				   sizeof(reason))) {
		dev_err(dev, "firmware %s rejected: %s\n", vascend_fw_name,
			reason);
		return -EINVAL;
	}
	dev_dbg(dev, "firmware %s: version %u.%u.%u, %u sections, build: %s\n",
		vascend_fw_name, VASCEND_FW_VERSION_MAJOR(info->fw_version),
		VASCEND_FW_VERSION_MINOR(info->fw_version),
		VASCEND_FW_VERSION_PATCH(info->fw_version),
		info->section_count, info->build_info);
	return 0;
}

/**
 * vascend_fw_boot() - load the firmware and boot the device with it
 * @vdev: the card, reset, MSI-X handlers installed, bus mastering on
 *
 * Loads the image named by the fw_name parameter, validates it (unless
 * fw_check=0), copies it into coherent DMA memory and runs the boot
 * handshake of include/uapi/vascend_hw.h. Every failure is logged once.
 * On failure the device is reset and left with no firmware.
 *
 * Return: 0 with the firmware running and @vdev->fw_version set, or a
 * negative errno: -ENOENT and friends (no file), -EINVAL (rejected by the
 * driver), -EIO (refused by the device), -ETIMEDOUT, -ENOMEM.
 */
int vascend_fw_boot(struct vascend_device *vdev)
{
	struct device *dev = vascend_to_dev(vdev);
	struct vascend_fw_image_info info = {};
	const struct firmware *fw;
	dma_addr_t addr;
	size_t size;
	void *buf;
	int ret;

	/* _nowarn: the line below is the only one a missing file produces. */
	ret = firmware_request_nowarn(&fw, vascend_fw_name, dev);
	if (ret) {
		dev_err(dev, "firmware %s not loaded: %pe\n", vascend_fw_name,
			ERR_PTR(ret));
		return ret;
	}

	ret = vascend_fw_validate(vdev, fw, &info);
	if (ret)
		goto out_release_fw;

	size = fw->size;
	buf = dma_alloc_coherent(dev, size, &addr, GFP_KERNEL);
	if (!buf) {
		dev_err(dev, "firmware %s: cannot allocate %zu bytes of DMA memory\n",
			vascend_fw_name, size);
		ret = -ENOMEM;
		goto out_release_fw;
	}
	memcpy(buf, fw->data, size);

	ret = vascend_fw_handshake(vdev, addr, size);
	if (!ret && vascend_fw_check && vdev->fw_version != info.fw_version)
		dev_warn(dev, "firmware %s: device runs version 0x%06x, the image says 0x%06x\n",
			 vascend_fw_name, vdev->fw_version, info.fw_version);

	/*
	 * A running device has read and checked the image and is done with
	 * it. After a failure it may still be reading: stop it first, and
	 * rather leak the buffer than free it under a device that did not.
	 */
	if (ret && vascend_hw_reset(vdev)) {
		dev_warn(dev, "firmware %s: leaking its %zu-byte DMA buffer\n",
			 vascend_fw_name, size);
		goto out_release_fw;
	}
	dma_free_coherent(dev, size, buf, addr);

out_release_fw:
	release_firmware(fw);
	return ret;
}

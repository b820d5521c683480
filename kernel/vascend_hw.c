// SPDX-License-Identifier: GPL-2.0-only
/*
 * Device-level operations: prove the function is a vascend card that speaks
 * our contract, read what it reports about itself, and reset it.
 */

#include <linux/bits.h>
#include <linux/ctype.h>
#include <linux/iopoll.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "vascend_drv.h"
#include "vascend_hw.h"

/* Capabilities this driver cannot work without. */
#define VASCEND_HW_CAPS_REQUIRED \
	(VASCEND_HW_CAP_DMA | VASCEND_HW_CAP_MSIX | VASCEND_HW_CAP_FW_BOOT | \
	 VASCEND_HW_CAP_QUEUES | VASCEND_HW_CAP_MMU)

/* Alternating bit patterns: every data line of the register seen at 0 and 1. */
#define VASCEND_HW_SCRATCH_PATTERN_A	0xa5a5a5a5
#define VASCEND_HW_SCRATCH_PATTERN_B	0x5a5a5a5a

/* How long a reset may take to stop the firmware and a running DMA. */
#define VASCEND_HW_RESET_POLL_US	1000
#define VASCEND_HW_RESET_TIMEOUT_US	(1000 * 1000)

static bool vascend_hw_is_quiet(struct vascend_device *vdev)
{
	u32 status = vascend_rd32(vdev, VASCEND_REG_STATUS);

	if (status & (VASCEND_STATUS_FW_RUNNING | VASCEND_STATUS_DMA_BUSY))
		return false;
	return vascend_rd32(vdev, VASCEND_REG_FW_STATUS) == VASCEND_FW_STATUS_OFF;
}

/**
 * vascend_hw_reset() - return the device to its power-on state
 * @vdev: the card
 *
 * Stops the firmware and DMA and clears the interrupt causes. The device
 * lets a DMA in flight finish first, so this waits until it reports itself
 * idle; only then may memory the device could write be freed or reused.
 *
 * Return: 0 once the device is idle, -ETIMEDOUT (logged) if it did not get
 * there; the caller must then assume the device may still access memory.
 */
int vascend_hw_reset(struct vascend_device *vdev)
{
	bool quiet;
	int ret;

	vascend_wr32(vdev, VASCEND_REG_RESET, VASCEND_RESET_MAGIC);
	ret = read_poll_timeout(vascend_hw_is_quiet, quiet, quiet,
				VASCEND_HW_RESET_POLL_US,
				VASCEND_HW_RESET_TIMEOUT_US, false, vdev);
	if (ret) {
		dev_err(vascend_to_dev(vdev),
			"device still busy %u ms after reset (STATUS 0x%08x, FW_STATUS 0x%02x)\n",
			VASCEND_HW_RESET_TIMEOUT_US / 1000,
			vascend_rd32(vdev, VASCEND_REG_STATUS),
			vascend_rd32(vdev, VASCEND_REG_FW_STATUS));
		return ret;
	}
	return 0;
}

static int vascend_hw_identify(struct vascend_device *vdev)
{
	struct device *dev = vascend_to_dev(vdev);
	resource_size_t hbm_bar_len;
	u32 magic, major, minor;
	u64 missing;

	magic = vascend_rd32(vdev, VASCEND_REG_MAGIC);
	if (magic != VASCEND_HW_MAGIC) {
		dev_err(dev, "not a vascend device: magic 0x%08x (expected 0x%08x)\n",
			magic, VASCEND_HW_MAGIC);
		return -ENODEV;
	}

	/* Minor versions only add to the contract; a new major breaks it. */
	vdev->hw_version = vascend_rd32(vdev, VASCEND_REG_VERSION);
	major = vdev->hw_version >> 16;
	minor = vdev->hw_version & 0xffff;
	if (major != VASCEND_HW_VERSION_MAJOR) {
		dev_err(dev, "device speaks contract %u.%u, driver speaks %u.%u\n",
			major, minor, VASCEND_HW_VERSION_MAJOR,
			VASCEND_HW_VERSION_MINOR);
		return -ENODEV;
	}

	vdev->caps = vascend_rd64(vdev, VASCEND_REG_CAPS_LO,
				  VASCEND_REG_CAPS_HI);
	missing = VASCEND_HW_CAPS_REQUIRED & ~vdev->caps;
	if (missing) {
		dev_err(dev, "device lacks required capabilities 0x%llx (has 0x%llx)\n",
			missing, vdev->caps);
		return -ENODEV;
	}

	vdev->aicore_count = vascend_rd32(vdev, VASCEND_REG_AICORE_COUNT);
	if (!vdev->aicore_count) {
		dev_err(dev, "device reports no AI Cores\n");
		return -ENODEV;
	}

	vdev->msix_count = vascend_rd32(vdev, VASCEND_REG_MSIX_COUNT);
	if (vdev->msix_count < VASCEND_MSIX_MIN_VECTORS) {
		dev_err(dev, "device has %u MSI-X vectors, the driver needs %u\n",
			vdev->msix_count, VASCEND_MSIX_MIN_VECTORS);
		return -ENODEV;
	}

	vdev->max_queues = min_t(u32, vascend_rd32(vdev, VASCEND_REG_MAX_QUEUES),
				 VASCEND_MAX_QUEUES);
	vdev->max_queue_depth = vascend_rd32(vdev, VASCEND_REG_MAX_QUEUE_DEPTH);
	if (vdev->max_queues < 2 || vdev->max_queue_depth < 2) {
		dev_err(dev, "device offers %u queues of depth %u: no IO queue fits\n",
			vdev->max_queues, vdev->max_queue_depth);
		return -ENODEV;
	}

	vdev->hbm_size = vascend_rd64(vdev, VASCEND_REG_HBM_SIZE_LO,
				      VASCEND_REG_HBM_SIZE_HI);
	hbm_bar_len = pci_resource_len(vdev->pdev, VASCEND_BAR_HBM);
	if (!vdev->hbm_size || vdev->hbm_size > hbm_bar_len) {
		dev_err(dev, "HBM size %llu bytes does not fit BAR%u (%llu bytes)\n",
			vdev->hbm_size, VASCEND_BAR_HBM, (u64)hbm_bar_len);
		return -ENODEV;
	}

	return 0;
}

static int vascend_hw_scratch_test(struct vascend_device *vdev)
{
	static const u32 patterns[] = {
		VASCEND_HW_SCRATCH_PATTERN_A,
		VASCEND_HW_SCRATCH_PATTERN_B,
	};
	unsigned int i;
	u32 val;

	for (i = 0; i < ARRAY_SIZE(patterns); i++) {
		vascend_wr32(vdev, VASCEND_REG_SCRATCH, patterns[i]);
		val = vascend_rd32(vdev, VASCEND_REG_SCRATCH);
		if (val != patterns[i]) {
			dev_err(vascend_to_dev(vdev),
				"scratch register test failed: wrote 0x%08x, read 0x%08x\n",
				patterns[i], val);
			return -EIO;
		}
	}
	vascend_wr32(vdev, VASCEND_REG_SCRATCH, 0);
	return 0;
}

/* SOC_NAME: ASCII in register byte order, NUL padded, not always terminated. */
static void vascend_hw_read_soc_name(struct vascend_device *vdev)
{
	char *name = vdev->soc_name;
	unsigned int i;
	__le32 word;

	for (i = 0; i < VASCEND_SOC_NAME_LEN; i += sizeof(word)) {
		word = cpu_to_le32(vascend_rd32(vdev, VASCEND_REG_SOC_NAME + i));
		memcpy(name + i, &word, sizeof(word));
	}
	name[VASCEND_SOC_NAME_LEN] = '\0';

	/* The string reaches logs and user space: keep it printable. */
	for (i = 0; name[i]; i++) {
		if (!isprint(name[i]))
			name[i] = '?';
	}
	if (!name[0])
		strscpy(name, "unknown", sizeof(vdev->soc_name));
}

/**
 * vascend_hw_init() - identify the device and bring it to a known state
 * @vdev: the card, BAR0 mapped, bus mastering still off
 *
 * Checks the magic, the contract's major version, the required capabilities
 * and the reported sizes, resets the device (a previous driver may have left
 * it running) and proves BAR0 decodes with the scratch register. Each
 * failure is logged once, here.
 *
 * Return: 0, or -ENODEV / -EIO / -ETIMEDOUT.
 */
int vascend_hw_init(struct vascend_device *vdev)
{
	int ret;

	ret = vascend_hw_identify(vdev);
	if (ret)
		return ret;

	ret = vascend_hw_reset(vdev);
	if (ret)
		return ret;

	ret = vascend_hw_scratch_test(vdev);
	if (ret)
		return ret;

	vascend_hw_read_soc_name(vdev);
	return 0;
}

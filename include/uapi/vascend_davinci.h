/* SPDX-License-Identifier: (GPL-2.0-only WITH Linux-syscall-note) OR MIT */
/*
 * vascend user <-> kernel contract for /dev/davinciN, one node per card.
 *
 * Rules every ioctl here follows: fixed-width fields, explicit padding,
 * flags and reserved fields that must be zero (the driver rejects anything
 * else with EINVAL), and VASCEND_IOCTL_GET_INFO's uapi_version to tell what
 * the running driver speaks. See docs/uapi.md.
 */
#ifndef _UAPI_VASCEND_DAVINCI_H
#define _UAPI_VASCEND_DAVINCI_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define VASCEND_UAPI_VERSION_MAJOR	1
#define VASCEND_UAPI_VERSION_MINOR	0
#define VASCEND_UAPI_VERSION(major, minor) (((major) << 16) | (minor))

/* Device node name format: "/dev/davinci%u". */
#define VASCEND_DAVINCI_DEV_FMT		"davinci%u"

/* Capability bits reported in struct vascend_device_info.caps. */
#define VASCEND_CAP_DMA_XFER		(1ULL << 0)	/* VASCEND_IOCTL_DMA_XFER */

#define VASCEND_SOC_NAME_MAX		32

/**
 * struct vascend_device_info - what VASCEND_IOCTL_GET_INFO returns
 * @uapi_version: VASCEND_UAPI_VERSION() the driver implements
 * @dev_id: N of /dev/davinciN
 * @aicore_count: AI Cores on the card
 * @fw_version: running firmware, VASCEND_FW_VERSION() encoding
 * @hbm_size: device memory in bytes
 * @caps: VASCEND_CAP_* bits
 * @pci_domain: PCI domain of the card
 * @pci_vendor: PCI vendor ID
 * @pci_device: PCI device ID
 * @pci_bus: PCI bus number
 * @pci_devfn: PCI device and function (PCI_DEVFN encoding)
 * @pad: zero
 * @soc_name: SoC name, NUL-terminated
 * @reserved: zero
 */
struct vascend_device_info {
	__u32 uapi_version;
	__u32 dev_id;
	__u32 aicore_count;
	__u32 fw_version;
	__u64 hbm_size;
	__u64 caps;
	__u32 pci_domain;
	__u16 pci_vendor;
	__u16 pci_device;
	__u8 pci_bus;
	__u8 pci_devfn;
	__u8 pad[6];
	char soc_name[VASCEND_SOC_NAME_MAX];
	__u64 reserved[4];
};

/* Directions for struct vascend_dma_xfer. */
#define VASCEND_DMA_TO_DEVICE		1	/* user memory -> HBM */
#define VASCEND_DMA_FROM_DEVICE		2	/* HBM -> user memory */

/**
 * struct vascend_dma_xfer - copy between user memory and device memory
 * @user_addr: buffer in the caller's address space
 * @dev_addr: byte offset into the card's HBM
 * @size: bytes to copy, at least 1; @dev_addr + @size must fit in HBM
 * @direction: VASCEND_DMA_TO_DEVICE or VASCEND_DMA_FROM_DEVICE
 * @flags: none defined; must be zero
 * @reserved: must be zero
 *
 * The driver moves the data with the card's DMA engine, in pieces when it is
 * large, and returns when the last piece's completion interrupt arrived.
 * Errors: EINVAL (bad field), EFAULT (bad @user_addr), EIO (the device
 * reported a DMA error), ETIMEDOUT (no completion), ENODEV (card gone).
 */
struct vascend_dma_xfer {
	__u64 user_addr;
	__u64 dev_addr;
	__u64 size;
	__u32 direction;
	__u32 flags;
	__u64 reserved[2];
};

#define VASCEND_IOCTL_MAGIC		0xd5

#define VASCEND_IOCTL_GET_INFO \
	_IOR(VASCEND_IOCTL_MAGIC, 0x00, struct vascend_device_info)
#define VASCEND_IOCTL_DMA_XFER \
	_IOW(VASCEND_IOCTL_MAGIC, 0x01, struct vascend_dma_xfer)

#endif /* _UAPI_VASCEND_DAVINCI_H */

/* SPDX-License-Identifier: (GPL-2.0-only WITH Linux-syscall-note) OR MIT */
/*
 * vascend driver <-> device contract: what the ascend-npu PCIe function looks
 * like to its driver. The QEMU device model implements it, the kernel driver
 * programs it; nothing else about the device is visible to the guest.
 *
 * All registers are 32 bits wide, little-endian, and must be accessed with
 * naturally aligned 32-bit reads and writes. 64-bit values are split into
 * _LO/_HI pairs; write _LO first, _HI second. Reserved register space reads as
 * zero and ignores writes. See docs/device.md for the prose version.
 */
#ifndef _UAPI_VASCEND_HW_H
#define _UAPI_VASCEND_HW_H

#include <linux/types.h>

/* PCI identity. 0xd5a0 is not used by any real Huawei part. */
#define VASCEND_PCI_VENDOR_ID		0x19e5
#define VASCEND_PCI_DEVICE_ID		0xd5a0
#define VASCEND_PCI_REVISION		0x01
/* Class 0x12 (processing accelerator), subclass 0x00. */
#define VASCEND_PCI_CLASS		0x1200

/* Version of this contract, reported by VASCEND_REG_VERSION. */
#define VASCEND_HW_VERSION_MAJOR	1
#define VASCEND_HW_VERSION_MINOR	0
#define VASCEND_HW_VERSION(major, minor) (((major) << 16) | (minor))

/* Magic read from VASCEND_REG_MAGIC: "ASCN" in memory order. */
#define VASCEND_HW_MAGIC		0x4e435341

/*
 * BARs. BAR0 holds the registers (page 0; later pages are reserved for
 * per-queue doorbells, one 4 KiB page each). BAR2 is the device memory (HBM),
 * 64-bit and prefetchable, its size a power of two. BAR4 holds the MSI-X
 * table and PBA, kept out of BAR0 so register pages can be mapped alone.
 */
#define VASCEND_BAR_REGS		0
#define VASCEND_BAR_HBM			2
#define VASCEND_BAR_MSIX		4
#define VASCEND_REGS_BAR_SIZE		0x10000

/* MSI-X vectors and what raises them. */
#define VASCEND_MSIX_VEC_ADMIN		0	/* firmware boot finished */
#define VASCEND_MSIX_VEC_DMA		1	/* DMA channel 0 finished */
#define VASCEND_MSIX_MIN_VECTORS	2

/* ---- Identification (read-only) ---- */
#define VASCEND_REG_MAGIC		0x000	/* VASCEND_HW_MAGIC */
#define VASCEND_REG_VERSION		0x004	/* VASCEND_HW_VERSION() */
#define VASCEND_REG_CAPS_LO		0x008	/* VASCEND_HW_CAP_* bits 31:0 */
#define VASCEND_REG_CAPS_HI		0x00c	/* VASCEND_HW_CAP_* bits 63:32 */
#define VASCEND_REG_AICORE_COUNT	0x010	/* number of AI Cores */
#define VASCEND_REG_MSIX_COUNT		0x014	/* MSI-X vectors implemented */
#define VASCEND_REG_HBM_SIZE_LO		0x018	/* device memory (BAR2) bytes */
#define VASCEND_REG_HBM_SIZE_HI		0x01c

/* Capability bits. */
#define VASCEND_HW_CAP_DMA		(1ULL << 0)	/* DMA channel 0 */
#define VASCEND_HW_CAP_MSIX		(1ULL << 1)
#define VASCEND_HW_CAP_FW_BOOT		(1ULL << 2)	/* firmware boot block */

/* ---- Control and status ---- */
/* Read/write, no side effect: lets the driver prove BAR0 decodes. */
#define VASCEND_REG_SCRATCH		0x020
/* Read-only VASCEND_STATUS_* bits. */
#define VASCEND_REG_STATUS		0x024
#define VASCEND_STATUS_FW_RUNNING	(1U << 0)
#define VASCEND_STATUS_DMA_BUSY		(1U << 1)
/*
 * Interrupt causes, set when the matching MSI-X message is sent; write 1 to
 * clear. Lets a driver poll or diagnose a lost interrupt.
 */
#define VASCEND_REG_IRQ_STATUS		0x028
#define VASCEND_IRQ_FW_BOOT		(1U << 0)
#define VASCEND_IRQ_DMA_DONE		(1U << 1)
/*
 * Write VASCEND_RESET_MAGIC to return the device to its power-on state:
 * firmware stopped, DMA idle, scratch and IRQ status cleared. Other values
 * are ignored. A DMA in flight finishes before the reset takes effect.
 */
#define VASCEND_REG_RESET		0x02c
#define VASCEND_RESET_MAGIC		0x52534554	/* "TESR" */

/* ---- Firmware boot block ---- */
/*
 * The driver places the whole image (struct vascend_fw_header and what
 * follows, see vascend_fw.h) in DMA-able memory, writes its bus address and
 * size, then writes VASCEND_FW_CTRL_BOOT. The device reads the image by DMA,
 * validates it and reports the result in VASCEND_REG_FW_STATUS, raising
 * VASCEND_MSIX_VEC_ADMIN. Until the status is VASCEND_FW_STATUS_RUNNING the
 * device does nothing but identify: DMA commands fail with
 * VASCEND_DMA_STATUS_ERR_NOT_BOOTED. A boot request while booting or running
 * is ignored (reset first).
 */
#define VASCEND_REG_FW_ADDR_LO		0x100
#define VASCEND_REG_FW_ADDR_HI		0x104
#define VASCEND_REG_FW_SIZE		0x108
#define VASCEND_REG_FW_CTRL		0x10c	/* write-only */
#define VASCEND_FW_CTRL_BOOT		(1U << 0)
#define VASCEND_REG_FW_STATUS		0x110	/* VASCEND_FW_STATUS_* */
#define VASCEND_REG_FW_VERSION		0x114	/* running image's fw_version, else 0 */

#define VASCEND_FW_STATUS_OFF		0x00	/* no image booted (power-on) */
#define VASCEND_FW_STATUS_BOOTING	0x01
#define VASCEND_FW_STATUS_RUNNING	0x02
/* Refusals: the image was not run. Bit 7 set on every error. */
#define VASCEND_FW_STATUS_ERR_MAGIC	0x81	/* header magic wrong */
#define VASCEND_FW_STATUS_ERR_FORMAT	0x82	/* format version or header size unknown */
#define VASCEND_FW_STATUS_ERR_SIZE	0x83	/* sizes disagree or exceed limits */
#define VASCEND_FW_STATUS_ERR_CHECKSUM	0x84	/* CRC-32 mismatch */
#define VASCEND_FW_STATUS_ERR_SECTION	0x85	/* malformed or unknown section */
#define VASCEND_FW_STATUS_ERR_DMA	0x86	/* image not readable by DMA */
#define VASCEND_FW_STATUS_ERR_RESERVED	0x87	/* reserved or flags field not zero */
#define VASCEND_FW_STATUS_IS_ERROR(s)	(((s) & 0x80) != 0)

/* ---- SoC name: 32 bytes of ASCII, NUL padded (read-only) ---- */
#define VASCEND_REG_SOC_NAME		0x200
#define VASCEND_SOC_NAME_LEN		32

/* ---- DMA channel 0: one copy between host memory and HBM ---- */
/*
 * Program the addresses and length, then write VASCEND_REG_DMA_CTRL with
 * VASCEND_DMA_CTRL_START and a direction. The device copies in the background
 * and, when done (or refused), sets VASCEND_REG_DMA_STATUS, increments
 * VASCEND_REG_DMA_SEQ and raises VASCEND_MSIX_VEC_DMA. A START while a
 * command runs is ignored; the running command is not disturbed.
 */
#define VASCEND_REG_DMA_HOST_LO		0x300	/* host (bus) address */
#define VASCEND_REG_DMA_HOST_HI		0x304
#define VASCEND_REG_DMA_DEV_LO		0x308	/* byte offset into HBM */
#define VASCEND_REG_DMA_DEV_HI		0x30c
#define VASCEND_REG_DMA_LEN		0x310	/* bytes, 1..VASCEND_DMA_MAX_LEN */
#define VASCEND_REG_DMA_CTRL		0x314	/* write-only */
#define VASCEND_REG_DMA_STATUS		0x318	/* VASCEND_DMA_STATUS_* */
#define VASCEND_REG_DMA_SEQ		0x31c	/* commands finished since reset */

#define VASCEND_DMA_CTRL_START		(1U << 0)
#define VASCEND_DMA_CTRL_DIR_D2H	(1U << 1)	/* clear: host to HBM */
#define VASCEND_DMA_CTRL_VALID_MASK	(VASCEND_DMA_CTRL_START | VASCEND_DMA_CTRL_DIR_D2H)

#define VASCEND_DMA_MAX_LEN		(16U << 20)

#define VASCEND_DMA_STATUS_IDLE		0x00	/* nothing run since reset */
#define VASCEND_DMA_STATUS_BUSY		0x01
#define VASCEND_DMA_STATUS_DONE		0x02
#define VASCEND_DMA_STATUS_ERR_NOT_BOOTED 0x81	/* firmware not running */
#define VASCEND_DMA_STATUS_ERR_RANGE	0x82	/* HBM range outside device memory */
#define VASCEND_DMA_STATUS_ERR_LEN	0x83	/* length 0 or above VASCEND_DMA_MAX_LEN */
#define VASCEND_DMA_STATUS_ERR_HOST	0x84	/* host memory access failed */
#define VASCEND_DMA_STATUS_ERR_CTRL	0x85	/* reserved CTRL bits set */
#define VASCEND_DMA_STATUS_IS_ERROR(s)	(((s) & 0x80) != 0)

#endif /* _UAPI_VASCEND_HW_H */

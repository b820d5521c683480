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
#define VASCEND_HW_VERSION_MINOR	1
#define VASCEND_HW_VERSION(major, minor) (((major) << 16) | (minor))

/* Magic read from VASCEND_REG_MAGIC: "ASCN" in memory order. */
#define VASCEND_HW_MAGIC		0x4e435341

/*
 * BARs. BAR0 holds the registers (page 0) and, from VASCEND_DOORBELL_BASE,
 * one 4 KiB doorbell page per queue (so one queue's doorbell can be mapped
 * into one process) and one for HDC. BAR2 is the device memory (HBM), 64-bit
 * and prefetchable, its size a power of two. BAR4 holds the MSI-X table and
 * PBA, kept out of BAR0 so register pages can be mapped alone.
 */
#define VASCEND_BAR_REGS		0
#define VASCEND_BAR_HBM			2
#define VASCEND_BAR_MSIX		4
#define VASCEND_REGS_BAR_SIZE		0x80000

/*
 * MSI-X vectors. Vector 0 belongs to the admin queue, firmware boot and
 * fatal errors; vector 1 to DMA channel 0. IO queues and HDC name their own
 * vector when created (any vector below VASCEND_REG_MSIX_COUNT; queues may
 * share one).
 */
#define VASCEND_MSIX_VEC_ADMIN		0	/* admin CQ, firmware boot, fatal */
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
#define VASCEND_HW_CAP_QUEUES		(1ULL << 3)	/* admin + IO queues (vascend_queue_hw.h) */
#define VASCEND_HW_CAP_MMU		(1ULL << 4)	/* per-context page tables (vascend_mmu_hw.h) */
#define VASCEND_HW_CAP_HDC		(1ULL << 5)	/* HDC transport (vascend_hdc_hw.h) */
#define VASCEND_HW_CAP_FAULT_INJECT	(1ULL << 6)	/* VASCEND_REG_FAULT_INJECT */
#define VASCEND_HW_CAP_FLR		(1ULL << 7)	/* PCIe function-level reset */

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
#define VASCEND_IRQ_FATAL		(1U << 2)	/* VASCEND_REG_FATAL_STATUS changed */
#define VASCEND_IRQ_ADMIN_CQ		(1U << 3)	/* admin completion posted */
/*
 * Write VASCEND_RESET_MAGIC to return the device to its power-on state:
 * firmware stopped, admin queue disabled, IO queues, contexts and HDC
 * forgotten, tasks in flight aborted (no CQE), DMA idle, fatal status,
 * scratch and IRQ status cleared. Other values are ignored. A data transfer
 * in flight finishes before the reset takes effect. A PCIe function-level
 * reset does the same.
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
/* The firmware stopped (injected crash): queues are dead until RESET. */
#define VASCEND_FW_STATUS_CRASHED	0x03
/* Refusals: the image was not run. Bit 7 set on every error. */
#define VASCEND_FW_STATUS_ERR_MAGIC	0x81	/* header magic wrong */
#define VASCEND_FW_STATUS_ERR_FORMAT	0x82	/* format version or header size unknown */
#define VASCEND_FW_STATUS_ERR_SIZE	0x83	/* sizes disagree or exceed limits */
#define VASCEND_FW_STATUS_ERR_CHECKSUM	0x84	/* CRC-32 mismatch */
#define VASCEND_FW_STATUS_ERR_SECTION	0x85	/* malformed or unknown section */
#define VASCEND_FW_STATUS_ERR_DMA	0x86	/* image not readable by DMA */
#define VASCEND_FW_STATUS_ERR_RESERVED	0x87	/* reserved or flags field not zero */
#define VASCEND_FW_STATUS_ERR_VERSION	0x88	/* firmware major version not supported */
#define VASCEND_FW_STATUS_ERR_MISMATCH	0x89	/* names an op or service the device lacks */
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

/* ---- Limits and clock (read-only) ---- */
#define VASCEND_REG_MAX_QUEUES		0x040	/* queue pairs, admin (qid 0) included */
#define VASCEND_REG_MAX_QUEUE_DEPTH	0x044	/* entries per ring, at most */
#define VASCEND_REG_MAX_CONTEXTS	0x048	/* context ids are 1..MAX_CONTEXTS-1 */
#define VASCEND_REG_DOORBELL_BASE	0x04c	/* VASCEND_DOORBELL_BASE */
/*
 * Device clock: nanoseconds since the device was reset, the time base of
 * every CQE and event timestamp. Reading _LO latches _HI, so read _LO first.
 */
#define VASCEND_REG_CLOCK_LO		0x050
#define VASCEND_REG_CLOCK_HI		0x054

/*
 * ---- Admin queue (queue 0) ----
 * NVMe style: program both ring bases and the depth, then set
 * VASCEND_AQ_CTRL_ENABLE and wait for VASCEND_AQ_STATUS_READY. The rings hold
 * struct vascend_sqe / struct vascend_cqe (vascend_queue_hw.h) at bus
 * addresses, 4 KiB aligned. Clearing ENABLE stops every queue (admin and IO)
 * and forgets every context, as VASCEND_ADMIN_DEVICE_RESET does. The admin
 * queue works before the firmware runs, but only IDENTIFY and FW_STATUS do
 * anything then; everything else completes with
 * VASCEND_CQE_STATUS_NOT_BOOTED.
 */
#define VASCEND_REG_AQ_SQ_BASE_LO	0x080
#define VASCEND_REG_AQ_SQ_BASE_HI	0x084
#define VASCEND_REG_AQ_CQ_BASE_LO	0x088
#define VASCEND_REG_AQ_CQ_BASE_HI	0x08c
#define VASCEND_REG_AQ_DEPTH		0x090	/* 2..MAX_QUEUE_DEPTH, a power of two */
#define VASCEND_REG_AQ_CTRL		0x094
#define VASCEND_AQ_CTRL_ENABLE		(1U << 0)
#define VASCEND_REG_AQ_STATUS		0x098
#define VASCEND_AQ_STATUS_READY		(1U << 0)
#define VASCEND_AQ_STATUS_ERROR		(1U << 1)	/* bad base/depth: not enabled */

/*
 * ---- Fatal errors ----
 * Set by the device when it can no longer run work: every task in flight
 * completes with an error CQE, every IO queue stops, VASCEND_IRQ_FATAL is
 * set and vector 0 fires. Write 1 to clear a bit; the queues stay stopped
 * until VASCEND_ADMIN_DEVICE_RESET (ECC) or VASCEND_REG_RESET and a new
 * firmware boot (firmware crash).
 */
#define VASCEND_REG_FATAL_STATUS	0x0a0
#define VASCEND_FATAL_ECC		(1U << 0)	/* uncorrectable HBM error */
#define VASCEND_FATAL_FW_CRASH		(1U << 1)	/* firmware stopped */
#define VASCEND_REG_ECC_ADDR_LO		0x0a4	/* HBM offset of the ECC error */
#define VASCEND_REG_ECC_ADDR_HI		0x0a8

/*
 * ---- Fault injection (debug; VASCEND_HW_CAP_FAULT_INJECT) ----
 * Write a VASCEND_FAULT_* code to arm one fault; reads return the armed
 * fault, or VASCEND_FAULT_NONE once it fired. The same faults can be armed
 * from the host with `qom-set <card> inject-fault <name>`.
 */
#define VASCEND_REG_FAULT_INJECT	0x0b0
#define VASCEND_FAULT_NONE		0
/* The next kernel launch never completes (until a reset aborts it). */
#define VASCEND_FAULT_AICORE_HANG	1
/* The next memcpy/memset task fails with VASCEND_CQE_STATUS_DMA_ERROR. */
#define VASCEND_FAULT_DMA_ERROR		2
/* An uncorrectable HBM error now: VASCEND_FATAL_ECC. */
#define VASCEND_FAULT_ECC		3
/* The firmware crashes now: VASCEND_FATAL_FW_CRASH, FW_STATUS CRASHED. */
#define VASCEND_FAULT_FW_CRASH		4

/*
 * ---- Doorbells ----
 * Queue q's page is at VASCEND_DOORBELL_BASE + q * VASCEND_DOORBELL_STRIDE.
 * Writing SQ_TAIL hands the device every SQE up to (not including) that
 * index; writing CQ_HEAD returns CQ slots up to that index. A write of an
 * unchanged SQ_TAIL is a kick: a queue parked in EVENT_WAIT looks again.
 * Out-of-range values are ignored and logged; reads return the last value
 * written.
 */
#define VASCEND_DOORBELL_BASE		0x10000
#define VASCEND_DOORBELL_STRIDE		0x1000
#define VASCEND_DB_SQ_TAIL		0x0
#define VASCEND_DB_CQ_HEAD		0x4
#define VASCEND_DOORBELL(qid) \
	(VASCEND_DOORBELL_BASE + (qid) * VASCEND_DOORBELL_STRIDE)
#define VASCEND_MAX_QUEUES		64
/* HDC's page follows the queues' (vascend_hdc_hw.h). */
#define VASCEND_DOORBELL_HDC		VASCEND_DOORBELL(VASCEND_MAX_QUEUES)

#endif /* _UAPI_VASCEND_HW_H */

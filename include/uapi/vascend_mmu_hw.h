/* SPDX-License-Identifier: (GPL-2.0-only WITH Linux-syscall-note) OR MIT */
/*
 * vascend driver <-> device contract: the device MMU.
 *
 * Every address an IO task names (memcpy/memset ends, event and notify
 * slots, op descriptors and the tensors they point to) is a device virtual
 * address (VA) of the queue's context, translated through that context's
 * page table. The table lives in guest memory at bus addresses; the driver
 * writes it, then tells the device with VASCEND_ADMIN_TLB_INVALIDATE (the
 * device caches translations and may use stale ones until then).
 *
 * Format: 48-bit VAs, four levels of 512 64-bit entries per 4 KiB table,
 * as x86-64 long mode: level 3 (top, pt_root) indexes VA bits 47:39, level 2
 * bits 38:30, level 1 bits 29:21, level 0 bits 20:12. A level-1 entry with
 * VASCEND_PTE_LARGE maps a 2 MiB page; a level-0 entry maps a 4 KiB page.
 * VAs above 2^48 - 1 always fault.
 *
 * A leaf maps either guest memory (bus address) or device memory (byte
 * offset into HBM, VASCEND_PTE_HBM). A table entry (not a leaf) always
 * points to the next table in guest memory and must not set LARGE (except at
 * level 1), WRITE is only meaningful in leaves, HBM never in table entries.
 *
 * Failures produce VASCEND_CQE_STATUS_MMU_FAULT with the VA in cqe.result
 * and access, reason and level in cqe.info (vascend_queue_hw.h); the queue
 * stops.
 */
#ifndef _UAPI_VASCEND_MMU_HW_H
#define _UAPI_VASCEND_MMU_HW_H

#include <linux/types.h>

#define VASCEND_VA_BITS			48
#define VASCEND_PT_LEVELS		4
#define VASCEND_PT_ENTRIES		512
#define VASCEND_PAGE_SHIFT		12
#define VASCEND_LARGE_PAGE_SHIFT	21
#define VASCEND_PAGE_SIZE		(1ULL << VASCEND_PAGE_SHIFT)
#define VASCEND_LARGE_PAGE_SIZE		(1ULL << VASCEND_LARGE_PAGE_SHIFT)

/* Index of @va in a table of @level (3 = top). */
#define VASCEND_PT_INDEX(va, level) \
	(((va) >> (VASCEND_PAGE_SHIFT + 9 * (level))) & (VASCEND_PT_ENTRIES - 1))

/* Page table entry bits. */
#define VASCEND_PTE_VALID		(1ULL << 0)
#define VASCEND_PTE_WRITE		(1ULL << 1)	/* leaf: writes allowed */
#define VASCEND_PTE_LARGE		(1ULL << 2)	/* level 1 leaf: 2 MiB page */
#define VASCEND_PTE_HBM			(1ULL << 3)	/* leaf: address is an HBM offset */
#define VASCEND_PTE_ADDR_MASK		0x000ffffffffff000ULL	/* bits 51:12 */
/* Bits that must be zero; set, they fault with VASCEND_MMU_FAULT_BAD_PTE. */
#define VASCEND_PTE_RSVD_MASK		(~(VASCEND_PTE_ADDR_MASK | 0xfULL))

/* VASCEND_FAULT_REASON(cqe.info) */
#define VASCEND_MMU_FAULT_NOT_PRESENT	1	/* an entry on the walk is not VALID */
#define VASCEND_MMU_FAULT_READ_ONLY	2	/* write through a leaf without WRITE */
#define VASCEND_MMU_FAULT_BAD_PTE	3	/* reserved bits, LARGE/HBM misplaced, misaligned */
#define VASCEND_MMU_FAULT_ADDR_RANGE	4	/* VA >= 2^48 or HBM offset past the end */
#define VASCEND_MMU_FAULT_TABLE_DMA	5	/* a table could not be read from guest memory */
#define VASCEND_MMU_FAULT_TARGET_DMA	6	/* the mapped guest memory is not RAM */

#endif /* _UAPI_VASCEND_MMU_HW_H */

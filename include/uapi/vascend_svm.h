/* SPDX-License-Identifier: (GPL-2.0-only WITH Linux-syscall-note) OR MIT */
/*
 * vascend user <-> kernel contract for /dev/devmm_svm: device memory and
 * shared virtual addressing.
 *
 * One device address space per process and card (shared with the process's
 * /dev/davinciN files, see vascend_davinci.h). A pointer means the same
 * thing to the process and to the card:
 *  - device memory (HBM) is handed out at virtual addresses inside the
 *    process's SVM window: a range of the process's address space the
 *    driver reserves when the process mmap()s /dev/devmm_svm (once per
 *    process; the host cannot touch it: access raises SIGBUS);
 *  - host memory the process registers is pinned and mapped into the card
 *    at its own host address; unmapping it on the host (munmap, free of a
 *    large block, exit) revokes the card's mapping first, so the card never
 *    touches memory the process gave back.
 * Nothing of one process is visible to another: addresses are looked up in
 * the caller's own address space only (another process's address is
 * EINVAL, like any address the caller does not own).
 *
 * All ioctls use the same magic as vascend_davinci.h, numbers 0x40..0x5f.
 */
#ifndef _UAPI_VASCEND_SVM_H
#define _UAPI_VASCEND_SVM_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define VASCEND_SVM_DEV_NAME		"devmm_svm"

/* The SVM window: mmap() length limits; a multiple of 2 MiB. */
#define VASCEND_SVM_WINDOW_MIN		(2ULL << 20)
#define VASCEND_SVM_WINDOW_MAX		(1ULL << 40)

/* struct vascend_svm_alloc.flags: page size policy (aclrtMemMallocPolicy). */
#define VASCEND_SVM_HUGE_FIRST		0	/* 2 MiB pages, 4 KiB if none free */
#define VASCEND_SVM_HUGE_ONLY		1	/* 2 MiB pages or ENOMEM */
#define VASCEND_SVM_NORMAL_ONLY		2	/* 4 KiB pages */
#define VASCEND_SVM_POLICY_MASK		0x3

/**
 * struct vascend_svm_alloc - VASCEND_IOCTL_SVM_ALLOC: device memory
 * @dev_id: card (N of /dev/davinciN)
 * @flags: one VASCEND_SVM_* policy, nothing else
 * @size: bytes, at least 1; rounded up to the page size chosen
 * @va: out: where it lives in the caller's SVM window
 * @free: out (also on ENOMEM): bytes of HBM free on the card
 * @largest: out (also on ENOMEM): largest free contiguous block
 * @reserved: zero
 *
 * Errors: EINVAL, ENODEV, ENXIO (no SVM window: mmap /dev/devmm_svm first),
 * ENOMEM (not enough HBM or window: @free and @largest say how much is
 * left), EIO (the card refused the mapping).
 */
struct vascend_svm_alloc {
	__u32 dev_id;
	__u32 flags;
	__u64 size;
	__u64 va;
	__u64 free;
	__u64 largest;
	__u64 reserved[2];
};

/* struct vascend_svm_register.flags */
#define VASCEND_SVM_REG_READONLY	(1U << 0)	/* the card may only read it */

/**
 * struct vascend_svm_range - names memory: SVM_FREE, SVM_REGISTER,
 *	SVM_UNREGISTER
 * @dev_id: card
 * @flags: SVM_REGISTER: VASCEND_SVM_REG_*; others: zero
 * @addr: FREE: the va SVM_ALLOC returned; REGISTER/UNREGISTER: host
 *	address, 4 KiB aligned
 * @size: REGISTER: bytes, a multiple of 4 KiB; others: zero
 * @reserved: zero
 *
 * REGISTER pins the pages (they count against RLIMIT_MEMLOCK unless the
 * caller has CAP_IPC_LOCK) and maps them for the card at @addr; a range
 * overlapping one already registered is EEXIST. UNREGISTER and FREE take the
 * start address exactly as registered/returned (EINVAL otherwise); FREE of
 * memory a task still uses is allowed, the task may then fault.
 */
struct vascend_svm_range {
	__u32 dev_id;
	__u32 flags;
	__u64 addr;
	__u64 size;
	__u64 reserved[2];
};

/**
 * struct vascend_svm_query - VASCEND_IOCTL_SVM_QUERY
 * @dev_id: card
 * @pad: zero
 * @total: out: HBM bytes on the card
 * @free: out: HBM bytes free
 * @largest: out: largest free contiguous block
 * @proc_hbm: out: HBM bytes the caller holds on this card
 * @proc_pinned: out: host bytes the caller has registered for this card
 * @window_base: out: the caller's SVM window (0 if none)
 * @window_size: out
 * @reserved: zero
 */
struct vascend_svm_query {
	__u32 dev_id;
	__u32 pad;
	__u64 total;
	__u64 free;
	__u64 largest;
	__u64 proc_hbm;
	__u64 proc_pinned;
	__u64 window_base;
	__u64 window_size;
	__u64 reserved[2];
};

#define VASCEND_IOCTL_SVM_ALLOC \
	_IOWR(0xd5, 0x40, struct vascend_svm_alloc)
#define VASCEND_IOCTL_SVM_FREE \
	_IOW(0xd5, 0x41, struct vascend_svm_range)
#define VASCEND_IOCTL_SVM_REGISTER \
	_IOW(0xd5, 0x42, struct vascend_svm_range)
#define VASCEND_IOCTL_SVM_UNREGISTER \
	_IOW(0xd5, 0x43, struct vascend_svm_range)
#define VASCEND_IOCTL_SVM_QUERY \
	_IOWR(0xd5, 0x44, struct vascend_svm_query)

#endif /* _UAPI_VASCEND_SVM_H */

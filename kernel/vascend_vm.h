/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A process's device address space on one card (struct vascend_vm), and the
 * card's memory state behind it (struct vascend_mem): HBM allocator,
 * context ids, the address spaces that exist on the card.
 *
 * Model (vascend_davinci.h, vascend_svm.h): one address space per process
 * (mm) and card, shared by every file the process opens on that card
 * (/dev/davinciN and /dev/devmm_svm). It is a device context: a page table
 * (vascend_pt.c) the card walks for every address a task of the process
 * names, and a context id from admin CREATE_CONTEXT. It exists while the
 * process holds it: a reference per vascend_vm_get() (the /dev/davinciN
 * side), the /dev/devmm_svm files and the SVM window mapping. When the last
 * goes, its device memory is freed, its registered host memory unpinned and
 * the context deleted (DELETE_CONTEXT), so drop every queue of the context
 * before the last vascend_vm_put().
 */

#ifndef __VASCEND_VM_H__
#define __VASCEND_VM_H__

#include <linux/types.h>

struct vascend_device;
struct vascend_mgr_proc_entry;
struct vascend_vm;

/**
 * vascend_vm_get() - the calling process's address space on @vdev
 * @vdev: the card
 *
 * Looked up by current->mm; created on first use (page-table root and admin
 * CREATE_CONTEXT). Sleeps. Every successful call needs a vascend_vm_put().
 *
 * Return: the address space, or ERR_PTR(-ENODEV) (card gone or resetting
 * for good), ERR_PTR(-ENOSPC) (no free context id on the card),
 * ERR_PTR(-ENOMEM), ERR_PTR(-EIO) (the card refused the context),
 * ERR_PTR(-EINVAL) (no mm: a kernel thread).
 */
struct vascend_vm *vascend_vm_get(struct vascend_device *vdev);

/**
 * vascend_vm_put() - drop a reference from vascend_vm_get()
 * @vm: the address space; NULL is allowed
 *
 * The last reference of the process (see the file comment) frees its
 * memory and deletes the context. Sleeps.
 */
void vascend_vm_put(struct vascend_vm *vm);

/**
 * vascend_vm_ctx_id() - the device context id of @vm
 * @vm: the address space
 *
 * Return: 1..max_contexts-1; constant for the life of @vm, across card
 * resets (the context is recreated with the same id and page table).
 */
u32 vascend_vm_ctx_id(const struct vascend_vm *vm);

/**
 * vascend_mem_proc_usage() - per-process memory use of @vdev (MGR_PROCS)
 * @vdev: the card
 * @out: room for @room entries; pid (in the caller's pid namespace),
 *	hbm_bytes and pinned_bytes filled, streams left 0
 * @room: entries at @out
 * @count: out: processes with an address space on @vdev (may exceed @room:
 *	only @room entries are filled)
 *
 * Return: 0.
 */
int vascend_mem_proc_usage(struct vascend_device *vdev,
			   struct vascend_mgr_proc_entry *out, u32 room,
			   u32 *count);

/**
 * vascend_hbm_used() - HBM bytes allocated on @vdev, all processes
 * @vdev: the card
 *
 * Return: bytes (0 once the card's memory is torn down).
 */
u64 vascend_hbm_used(struct vascend_device *vdev);

/**
 * vascend_mem_init() - set up @vdev's memory side (probe)
 * @vdev: the card, BAR0 mapped, admin queue and reset machinery ready
 *
 * Maps BAR2 (HBM), creates the HBM allocator and the context-id space,
 * registers the reset client that recreates contexts after a card reset,
 * and makes the card reachable by dev_id from /dev/devmm_svm.
 *
 * Return: 0, or a negative errno (logged).
 */
int vascend_mem_init(struct vascend_device *vdev);

/**
 * vascend_mem_fini() - tear @vdev's memory side down (remove)
 * @vdev: the card; its DMA stopped (device reset) before this is called
 *
 * Every address space of the card loses its memory (page tables freed,
 * host memory unmapped and unpinned, HBM forgotten); its later calls fail
 * with ENODEV. Processes keep their objects until they drop them.
 */
void vascend_mem_fini(struct vascend_device *vdev);

#endif /* __VASCEND_VM_H__ */

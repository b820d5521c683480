/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The memory side's own objects, shared by vascend_vm.c (cards, processes,
 * address spaces, device memory), vascend_pin.c (registered host memory)
 * and vascend_svm.c (/dev/devmm_svm). Other files use vascend_vm.h.
 *
 * Objects and what holds them:
 *
 *   struct vascend_mem   one per card; held by the card (probe..remove) and
 *                        by every address space on it
 *   struct vascend_proc  one per process (mm); held by its /dev/devmm_svm
 *                        files, its SVM window mapping and each
 *                        vascend_vm_get(); the last put tears down its
 *                        address spaces
 *   struct vascend_vm    one per process and card, owned by the proc
 *   struct vascend_dmem  device memory: an HBM block at a VA of the window
 *   struct vascend_hreg  registered host memory: pinned pages at their
 *                        own VA, watched by an mmu_interval_notifier
 *
 * Lock order (outer first):
 *
 *   vascend_procs_lock > proc->lock > vm->lock > vm->pt_lock > mem->lock
 *
 * mmap_lock is outside all of them: nothing here takes it (pinning, user
 * copies, notifier insertion and RLIMIT_MEMLOCK accounting happen with none
 * of these held), while the SVM window's close and the MMU notifier run
 * under it. vm->pt_lock is what the notifier takes: nothing that may enter
 * reclaim (and so the notifier) is ever done under it. No lock is held
 * across vascend_admin_exec() that a recovery's restore() would need,
 * except in restore() itself (mem->lock).
 */

#ifndef __VASCEND_MEM_H__
#define __VASCEND_MEM_H__

#include <linux/hashtable.h>
#include <linux/idr.h>
#include <linux/interval_tree.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mmu_notifier.h>
#include <linux/mutex.h>
#include <linux/scatterlist.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include "vascend_hbm.h"
#include "vascend_pt.h"
#include "vascend_reset.h"
#include "vascend_va.h"

struct device;
struct mm_struct;
struct pid;
struct vascend_device;
struct vascend_mem;

/* Context ids 1..VASCEND_MEM_MAX_CONTEXTS-1 (the device's limit, IDENTIFY). */
#define VASCEND_MEM_MAX_CONTEXTS	256

/**
 * struct vascend_parked - a resource the card may still reach
 * @node: in vascend_mem.parked
 * @release: give it back; called once the card can no longer reach it
 *	(after its next reset, or at remove), from a worker
 *
 * When a TLB invalidation or a DELETE_CONTEXT fails, the card may keep
 * using what it maps, so the memory is parked rather than freed.
 */
struct vascend_parked {
	struct list_head node;
	void (*release)(struct vascend_mem *mem, struct vascend_parked *p);
};

/**
 * struct vascend_mem - one card's memory side
 * @ref: held by the card until vascend_mem_fini() and by each vm
 * @vdev: the card (its memory, and its PCI function's, kept until @ref
 *	drops)
 * @index: the card's dev_id
 * @dma_dev: the PCI function, for DMA mappings and messages
 * @hbm_map: BAR2 mapped write-combined, to scrub HBM before reuse
 * @hbm: the HBM allocator
 * @ctx_ida: context ids
 * @lock: protects @vms, @parked, @dead and each vm's @ctx_on_card
 * @vms: struct vascend_vm of this card, live ones
 * @parked: struct vascend_parked waiting for the card's next reset
 * @dead: vascend_mem_fini() ran: the card is gone
 * @reset_client: recreates the contexts after a card reset
 * @release_work: releases parked resources after a reset
 * @to_release: parked resources the card can no longer reach (under @lock)
 */
struct vascend_mem {
	struct kref ref;
	struct vascend_device *vdev;
	u32 index;
	struct device *dma_dev;
	void __iomem *hbm_map;
	struct vascend_hbm hbm;
	struct ida ctx_ida;

	struct mutex lock; /* Protects vms, parked, to_release, dead, vm->ctx_on_card */
	struct list_head vms;
	struct list_head parked;
	struct list_head to_release;
	bool dead;

	struct vascend_reset_client reset_client;
	struct work_struct release_work;
};

/**
 * struct vascend_proc - one process's memory state, all cards
 * @ref: see the file comment
 * @hnode: in vascend_procs, keyed by @mm
 * @mm: the process's address space (mmgrab()ed: the struct, not the
 *	mappings)
 * @tgid: the process, for MGR_PROCS
 * @lock: protects @vms and @window
 * @vms: its address spaces, one per card used
 * @window: the SVM window and the device memory in it (size 0: none)
 */
struct vascend_proc {
	struct kref ref;
	struct hlist_node hnode;
	struct mm_struct *mm;
	struct pid *tgid;

	struct mutex lock; /* Protects vms, window */
	struct list_head vms;
	struct vascend_va window;
};

/**
 * struct vascend_vm - one process's address space on one card
 * @ref: held by its proc, and by vascend_mem_fini() while it works on it
 * @proc: the owner; NULL once the owner let go
 * @mem: the card (a reference)
 * @proc_node: in @proc->vms
 * @mem_node: in @mem->vms while the card may have the context
 * @ctx_id: device context id
 * @ctx_on_card: the card has the context (under @mem->lock)
 * @lock: protects @pt's structure (tables added or freed; @pt_lock too),
 *	@dmems, @hregs, @hbm_bytes, @pinned_bytes and @dead
 * @pt_lock: protects @pt's entries, @revoked and each hreg's @mapped; taken
 *	by the MMU notifier, so never held across an allocation that may
 *	reclaim
 * @pt: the page table
 * @dmems: struct vascend_dmem mapped here
 * @hregs: struct vascend_hreg by host address range
 * @revoked: hregs the MMU notifier unmapped, for @reap_work
 * @reap_work: releases revoked hregs
 * @hbm_bytes: device memory held
 * @pinned_bytes: host memory registered
 * @dead: the card is gone: nothing is mapped any more, @pt is freed
 * @park: the card may still walk @pt (DELETE_CONTEXT failed): kept, with
 *	a reference, until its next reset
 */
struct vascend_vm {
	struct kref ref;
	struct vascend_proc *proc;
	struct vascend_mem *mem;
	struct list_head proc_node;
	struct list_head mem_node;
	u32 ctx_id;
	bool ctx_on_card;

	struct mutex lock; /* Protects pt structure, dmems, hregs, counters, dead */
	struct mutex pt_lock; /* Protects pt entries, revoked, hreg mapped */
	struct vascend_pt pt;
	struct list_head dmems;
	struct rb_root_cached hregs;
	struct list_head revoked;
	struct work_struct reap_work;
	u64 hbm_bytes;
	u64 pinned_bytes;
	bool dead;
	struct vascend_parked park;
};

/**
 * struct vascend_dmem - device memory in the SVM window
 * @vm: the address space it is mapped in
 * @node: in @vm->dmems
 * @va: where, in the window
 * @blk: the HBM block
 * @has_blk: @blk is allocated (false once the card is gone)
 * @park: freed, but the card may still reach it (with @tables)
 * @tables: page tables its unmap left empty, when parked
 */
struct vascend_dmem {
	struct vascend_vm *vm;
	struct list_head node;
	u64 va;
	struct vascend_hbm_block blk;
	bool has_blk;
	struct vascend_parked park;
	struct list_head tables;
};

/**
 * struct vascend_pinset - pinned host pages and their DMA mapping
 * @park: to wait for a card reset (vascend_parked)
 * @tables: page tables an unmap of them left empty, when parked
 * @pages: @npages pinned pages
 * @npages: pages
 * @writable: pinned for writing: dirtied when released
 * @mm: charged for them (RLIMIT_MEMLOCK); mmgrab()ed
 * @sgt: their DMA mapping, when @dma_dev is set
 * @dma_dev: the device they are mapped for, or NULL
 * @work: releases them where mmap_lock may be taken
 */
struct vascend_pinset {
	struct vascend_parked park;
	struct list_head tables;
	struct page **pages;
	unsigned long npages;
	bool writable;
	struct mm_struct *mm;
	struct sg_table sgt;
	struct device *dma_dev;
	struct work_struct work;
};

/**
 * struct vascend_hreg - registered host memory
 * @it: [addr, addr + size - 1] in @vm->hregs
 * @mni: watches the range in the process's mm
 * @vm: the address space it is mapped in
 * @revoked_node: in @vm->revoked
 * @pins: the pages; NULL once they are given back or parked (under
 *	@vm->pt_lock)
 * @readonly: the card may only read
 * @mapped: the card maps it (under @vm->pt_lock)
 * @detached: out of @vm->hregs, owned by whoever took it out (under
 *	@vm->pt_lock): the notifier no longer queues it for reaping
 */
struct vascend_hreg {
	struct interval_tree_node it;
	struct mmu_interval_notifier mni;
	struct vascend_vm *vm;
	struct list_head revoked_node;
	struct vascend_pinset *pins;
	bool readonly;
	bool mapped;
	bool detached;
};

extern struct workqueue_struct *vascend_mem_wq;

/* vascend_vm.c */
struct vascend_mem *vascend_mem_enter(u32 dev_id);
void vascend_mem_leave(struct vascend_mem *mem);
void vascend_mem_put(struct vascend_mem *mem);
void vascend_mem_park(struct vascend_mem *mem, struct vascend_parked *p);

struct vascend_proc *vascend_proc_get(struct mm_struct *mm);
void vascend_proc_put(struct vascend_proc *proc);
struct vascend_vm *vascend_proc_vm(struct vascend_proc *proc,
				   struct vascend_mem *mem, bool create);

int vascend_vm_map(struct vascend_vm *vm, u64 va, u64 addr, u64 size,
		   unsigned int flags, unsigned int page_shift);
int vascend_vm_flush(struct vascend_vm *vm, u64 va, u64 size);
int vascend_vm_unmap(struct vascend_vm *vm, u64 va, u64 size,
		     struct list_head *unlinked);
void vascend_mem_free_tables(struct vascend_mem *mem, struct list_head *tables);

int vascend_dmem_alloc(struct vascend_proc *proc, struct vascend_vm *vm,
		       u64 size, u32 policy, u64 *va);
int vascend_dmem_free(struct vascend_proc *proc, u32 dev_id, u64 va);
int vascend_window_open(struct vascend_proc *proc, u64 base, u64 size);
void vascend_window_close(struct vascend_proc *proc, u64 base, u64 size);

/* vascend_pin.c */
int vascend_hreg_register(struct vascend_vm *vm, u64 addr, u64 size,
			  bool readonly);
int vascend_hreg_unregister(struct vascend_vm *vm, u64 addr);
void vascend_hreg_reap_work(struct work_struct *work);
void vascend_hreg_detach_all(struct vascend_vm *vm, struct list_head *list);
void vascend_hreg_free_detached(struct vascend_vm *vm, struct list_head *list,
				bool card_safe);
void vascend_hreg_card_gone(struct vascend_vm *vm);
void vascend_pinset_release(struct vascend_pinset *ps, bool sync);

#endif /* __VASCEND_MEM_H__ */

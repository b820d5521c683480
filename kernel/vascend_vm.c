// SPDX-License-Identifier: GPL-2.0-only
/*
 * Device address spaces: one per process and card (struct vascend_vm), the
 * process object that owns them (struct vascend_proc, one per mm), and the
 * card's memory state (struct vascend_mem): HBM, context ids, restore after
 * a card reset. Objects, references and lock order: vascend_mem.h.
 *
 * An address space is a device context: created on first use with admin
 * CREATE_CONTEXT on a fresh page-table root, deleted with DELETE_CONTEXT
 * when its process lets go of it. The tables live in guest memory, so a
 * card reset leaves them intact and restore() recreates every context with
 * the same id and root.
 *
 * Taking a mapping away is: clear the entries, invalidate the card's TLB for
 * the range (VASCEND_ADMIN_TLB_INVALIDATE completes only once the tasks that
 * may use the old translations are done), and only then free or reuse what
 * was mapped. When the invalidation fails the card may still reach the
 * memory: it is parked (struct vascend_parked) until the card's next reset
 * or its removal, and never handed to anyone else before.
 */

#include <linux/dma-mapping.h>
#include <linux/err.h>
#include <linux/hashtable.h>
#include <linux/io.h>
#include <linux/lockdep.h>
#include <linux/pci.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sizes.h>
#include <linux/slab.h>

#include <uapi/vascend_davinci.h>
#include <uapi/vascend_hw.h>
#include <uapi/vascend_manager.h>
#include <uapi/vascend_queue_hw.h>

#include "vascend_admin.h"
#include "vascend_drv.h"
#include "vascend_mem.h"
#include "vascend_reset.h"
#include "vascend_vm.h"

/* Deferred releases: pinned pages, parked resources. Module lifetime. */
struct workqueue_struct *vascend_mem_wq;

/* Every struct vascend_proc, by mm. */
static DEFINE_MUTEX(vascend_procs_lock); /* Protects vascend_procs */
static DEFINE_HASHTABLE(vascend_procs, 6);

/* ---- page-table pages: coherent DMA memory of the card ---- */

static int vm_pt_page_alloc(void *priv, struct vascend_pt_page *page)
{
	struct vascend_mem *mem = priv;
	dma_addr_t bus;

	page->cpu = dma_alloc_coherent(mem->dma_dev, VASCEND_PAGE_SIZE, &bus,
				       GFP_KERNEL);
	if (!page->cpu)
		return -ENOMEM;
	page->bus = bus;
	return 0;
}

static void vm_pt_page_free(void *priv, struct vascend_pt_page *page)
{
	struct vascend_mem *mem = priv;

	dma_free_coherent(mem->dma_dev, VASCEND_PAGE_SIZE, page->cpu, page->bus);
}

static const struct vascend_pt_alloc_ops vm_pt_ops = {
	.alloc = vm_pt_page_alloc,
	.free = vm_pt_page_free,
};

/**
 * vascend_mem_free_tables() - free tables an unmap unlinked
 * @mem: the card of the vm they came from (which may be gone)
 * @tables: emptied
 */
void vascend_mem_free_tables(struct vascend_mem *mem, struct list_head *tables)
{
	struct vascend_pt pt = { .ops = &vm_pt_ops, .priv = mem };

	vascend_pt_free_tables(&pt, tables);
}

/* ---- the card: lookup, parking ---- */

static void mem_release(struct kref *ref)
{
	struct vascend_mem *mem = container_of(ref, struct vascend_mem, ref);

	mutex_destroy(&mem->lock);
	pci_dev_put(mem->vdev->pdev);
	put_device(&mem->vdev->dev);
	kfree(mem);
}

/**
 * vascend_mem_put() - drop a reference to a card's memory side
 * @mem: the card
 */
void vascend_mem_put(struct vascend_mem *mem)
{
	kref_put(&mem->ref, mem_release);
}

/**
 * vascend_mem_enter() - the card /dev/devmm_svm calls @dev_id, held
 * @dev_id: N of /dev/davinciN
 *
 * Holds the card and its unplug_lock for read (remove() waits for the
 * operation) until vascend_mem_leave().
 *
 * Return: the card's memory side, or ERR_PTR(-ENODEV) when no such card is
 * bound or it is being removed (nothing held then).
 */
struct vascend_mem *vascend_mem_enter(u32 dev_id)
{
	struct vascend_device *vdev;

	vdev = vascend_card_get(dev_id);
	if (!vdev)
		return ERR_PTR(-ENODEV);
	down_read(&vdev->unplug_lock);
	if (vdev->unplugged || !vdev->mem) {
		up_read(&vdev->unplug_lock);
		vascend_card_put(vdev);
		return ERR_PTR(-ENODEV);
	}
	return vdev->mem;
}

/**
 * vascend_mem_leave() - end what vascend_mem_enter() started
 * @mem: the card
 */
void vascend_mem_leave(struct vascend_mem *mem)
{
	struct vascend_device *vdev = mem->vdev;

	up_read(&vdev->unplug_lock);
	vascend_card_put(vdev);
}

/**
 * vascend_mem_park() - keep a resource until the card cannot reach it
 * @mem: the card
 * @p: the resource; released after the card's next reset or its removal
 *
 * Called with the owning vm's lock or pt_lock held, so vascend_mem_fini()
 * (which takes both before it marks the vm dead) sees everything parked.
 */
void vascend_mem_park(struct vascend_mem *mem, struct vascend_parked *p)
{
	mutex_lock(&mem->lock);
	list_add_tail(&p->node, &mem->parked);
	mutex_unlock(&mem->lock);
	dev_warn_ratelimited(mem->dma_dev,
			     "memory the card may still reach is kept until its next reset\n");
}

static void mem_release_list(struct vascend_mem *mem, struct list_head *list)
{
	struct vascend_parked *p, *tmp;

	list_for_each_entry_safe(p, tmp, list, node) {
		list_del(&p->node);
		p->release(mem, p);
	}
}

static void mem_release_work(struct work_struct *work)
{
	struct vascend_mem *mem = container_of(work, struct vascend_mem,
					       release_work);
	LIST_HEAD(list);

	mutex_lock(&mem->lock);
	list_splice_init(&mem->to_release, &list);
	mutex_unlock(&mem->lock);
	mem_release_list(mem, &list);
	vascend_mem_put(mem);
}

/* ---- contexts ---- */

static int vm_ctx_cmd(struct vascend_vm *vm, u8 opcode, u16 *status)
{
	struct vascend_sqe sqe = { .opcode = opcode };
	struct vascend_cqe cqe = { };
	int ret;

	sqe.u.context.ctx_id = vm->ctx_id;
	if (opcode == VASCEND_ADMIN_CREATE_CONTEXT)
		sqe.u.context.pt_root = vascend_pt_root_bus(&vm->pt);
	ret = vascend_admin_exec(vm->mem->vdev, &sqe, &cqe,
				 VASCEND_ADMIN_TIMEOUT_MS);
	*status = cqe.status;
	return ret;
}

static int vm_ctx_create(struct vascend_vm *vm)
{
	struct vascend_mem *mem = vm->mem;
	u16 status;
	int ret;

	ret = vm_ctx_cmd(vm, VASCEND_ADMIN_CREATE_CONTEXT, &status);
	if (ret == -EIO)
		dev_err_ratelimited(mem->dma_dev, "CREATE_CONTEXT %u refused: %s (0x%02x)\n",
				    vm->ctx_id, vascend_cqe_status_name(status),
				    status);
	else if (ret)
		dev_err_ratelimited(mem->dma_dev, "CREATE_CONTEXT %u failed: %pe\n",
				    vm->ctx_id, ERR_PTR(ret));
	return ret;
}

/*
 * 0 when the card no longer has the context (deleted now, or it had none),
 * else the card may still walk the tables.
 */
static int vm_ctx_delete(struct vascend_vm *vm)
{
	u16 status;
	int ret;

	ret = vm_ctx_cmd(vm, VASCEND_ADMIN_DELETE_CONTEXT, &status);
	if (ret == -EIO && status == VASCEND_CQE_STATUS_INVALID_ID)
		return 0;
	if (ret)
		dev_err_ratelimited(vm->mem->dma_dev, "DELETE_CONTEXT %u failed: %pe (status %s)\n",
				    vm->ctx_id, ERR_PTR(ret),
				    vascend_cqe_status_name(status));
	return ret;
}

/**
 * vascend_vm_flush() - invalidate the card's TLB for a range of @vm
 * @vm: the address space, vm->lock or vm->pt_lock held
 * @va: start
 * @size: bytes, not 0
 *
 * Return: 0 when the card can no longer use old translations of the range
 * (also when it has no such context, or the card is gone), else a negative
 * errno: the card may still reach what was mapped there.
 */
int vascend_vm_flush(struct vascend_vm *vm, u64 va, u64 size)
{
	struct vascend_sqe sqe = { .opcode = VASCEND_ADMIN_TLB_INVALIDATE };
	struct vascend_cqe cqe = { };
	int ret;

	if (vm->dead)
		return 0;
	sqe.u.tlb.ctx_id = vm->ctx_id;
	sqe.u.tlb.va = va;
	sqe.u.tlb.size = size;
	ret = vascend_admin_exec(vm->mem->vdev, &sqe, &cqe,
				 VASCEND_ADMIN_TIMEOUT_MS);
	/* No such context: a failed restore; nothing is cached for it. */
	if (ret == -EIO && cqe.status == VASCEND_CQE_STATUS_INVALID_ID)
		return 0;
	if (ret)
		dev_err_ratelimited(vm->mem->dma_dev,
				    "TLB_INVALIDATE of context %u [0x%llx, +0x%llx) failed: %pe (status %s)\n",
				    vm->ctx_id, va, size, ERR_PTR(ret),
				    vascend_cqe_status_name(cqe.status));
	return ret;
}

/* ---- address spaces ---- */

static void vm_release(struct kref *ref)
{
	struct vascend_vm *vm = container_of(ref, struct vascend_vm, ref);

	/* vm_destroy() or vm_card_gone() freed the tables. */
	WARN_ON(vm->pt.root);
	mutex_destroy(&vm->pt_lock);
	mutex_destroy(&vm->lock);
	vascend_mem_put(vm->mem);
	kfree(vm);
}

static void vm_put_ref(struct vascend_vm *vm)
{
	kref_put(&vm->ref, vm_release);
}

static struct vascend_vm *vm_create(struct vascend_proc *proc,
				    struct vascend_mem *mem)
{
	struct vascend_vm *vm;
	int ret;

	vm = kzalloc(sizeof(*vm), GFP_KERNEL);
	if (!vm)
		return ERR_PTR(-ENOMEM);
	kref_init(&vm->ref);
	kref_get(&mem->ref);
	vm->mem = mem;
	vm->proc = proc;
	INIT_LIST_HEAD(&vm->proc_node);
	INIT_LIST_HEAD(&vm->mem_node);
	mutex_init(&vm->lock);
	mutex_init(&vm->pt_lock);
	INIT_LIST_HEAD(&vm->dmems);
	vm->hregs = RB_ROOT_CACHED;
	INIT_LIST_HEAD(&vm->revoked);
	INIT_WORK(&vm->reap_work, vascend_hreg_reap_work);

	ret = vascend_pt_init(&vm->pt, &vm_pt_ops, mem);
	if (ret)
		goto err_put;

	ret = ida_alloc_range(&mem->ctx_ida, 1, VASCEND_MEM_MAX_CONTEXTS - 1,
			      GFP_KERNEL);
	if (ret < 0)
		goto err_pt_fini;
	vm->ctx_id = ret;

	/*
	 * On the card's list before CREATE_CONTEXT: a reset from here on
	 * makes restore() create it, whichever way our own command ends.
	 */
	mutex_lock(&mem->lock);
	if (mem->dead) {
		mutex_unlock(&mem->lock);
		ret = -ENODEV;
		goto err_ida_free;
	}
	list_add_tail(&vm->mem_node, &mem->vms);
	mutex_unlock(&mem->lock);

	ret = vm_ctx_create(vm);

	mutex_lock(&mem->lock);
	if (!ret)
		vm->ctx_on_card = true;
	else if (vm->ctx_on_card)	/* a restore() in between made it */
		ret = 0;
	else
		list_del_init(&vm->mem_node);
	mutex_unlock(&mem->lock);
	if (ret) {
		/* No queue ever used it: the card walks nothing of it. */
		if (ret != -ENODEV && ret != -ENOMEM)
			ret = -EIO;
		goto err_ida_free;
	}
	return vm;

err_ida_free:
	ida_free(&mem->ctx_ida, vm->ctx_id);
err_pt_fini:
	vascend_pt_fini(&vm->pt);
err_put:
	vm_put_ref(vm);
	return ERR_PTR(ret);
}

/* A vm whose DELETE_CONTEXT failed, after the card's next reset. */
static void vm_zombie_release(struct vascend_mem *mem, struct vascend_parked *p)
{
	struct vascend_vm *vm = container_of(p, struct vascend_vm, park);

	vascend_pt_fini(&vm->pt);
	ida_free(&mem->ctx_ida, vm->ctx_id);
	vm_put_ref(vm);
}

/* The card is gone: forget everything it mapped (vascend_mem_fini()). */
static void vm_card_gone(struct vascend_vm *vm)
{
	struct vascend_mem *mem = vm->mem;
	struct vascend_dmem *dmem;

	mutex_lock(&vm->lock);
	mutex_lock(&vm->pt_lock);
	if (!vm->dead) {
		vascend_hreg_card_gone(vm);
		list_for_each_entry(dmem, &vm->dmems, node) {
			if (dmem->has_blk)
				vascend_hbm_free(&mem->hbm, &dmem->blk);
			dmem->has_blk = false;
		}
		vascend_pt_fini(&vm->pt);
		ida_free(&mem->ctx_ida, vm->ctx_id);
		vm->dead = true;
	}
	mutex_unlock(&vm->pt_lock);
	mutex_unlock(&vm->lock);
}

/*
 * The process let go (its last reference): delete the context and give
 * everything back. May run under the process's mmap_lock (the SVM window's
 * close): nothing here takes it.
 */
static void vm_destroy(struct vascend_vm *vm)
{
	struct vascend_mem *mem = vm->mem;
	struct vascend_dmem *dmem, *tmp;
	LIST_HEAD(hregs);
	bool on_card;
	int ret = 0;

	/* No notifier callback and no reaping after this. */
	vascend_hreg_detach_all(vm, &hregs);
	cancel_work_sync(&vm->reap_work);

	mutex_lock(&mem->lock);
	on_card = vm->ctx_on_card;
	vm->ctx_on_card = false;
	list_del_init(&vm->mem_node);
	mutex_unlock(&mem->lock);

	mutex_lock(&vm->lock);
	if (!vm->dead && on_card)
		ret = vm_ctx_delete(vm);
	vascend_hreg_free_detached(vm, &hregs, !ret);
	list_for_each_entry_safe(dmem, tmp, &vm->dmems, node) {
		/* The window holds its proc: it closed before this. */
		WARN_ON_ONCE(1);
		list_del(&dmem->node);
		if (dmem->has_blk && !ret)
			vascend_hbm_free(&mem->hbm, &dmem->blk);
		kfree(dmem);
	}
	if (!vm->dead) {
		if (ret) {
			/* The card may still walk the tables: keep them. */
			kref_get(&vm->ref);
			vm->park.release = vm_zombie_release;
			vascend_mem_park(mem, &vm->park);
		} else {
			vascend_pt_fini(&vm->pt);
			ida_free(&mem->ctx_ida, vm->ctx_id);
		}
		vm->dead = true;
	}
	vm->proc = NULL;
	mutex_unlock(&vm->lock);
	vm_put_ref(vm);
}

/**
 * vascend_vm_map() - map a contiguous target into @vm
 * @vm: the address space, vm->lock held
 * @va: start, aligned to 1 << @page_shift
 * @addr: bus address or HBM offset (VASCEND_PT_HBM)
 * @size: bytes, aligned to 1 << @page_shift
 * @flags: VASCEND_PT_*
 * @page_shift: VASCEND_LARGE_PAGE_SHIFT when every leaf is 2 MiB
 *
 * Return: 0, -ENODEV (card gone), -ENOMEM, -EEXIST, -EINVAL.
 */
int vascend_vm_map(struct vascend_vm *vm, u64 va, u64 addr, u64 size,
		   unsigned int flags, unsigned int page_shift)
{
	struct vascend_pt_cache cache;
	int ret;

	lockdep_assert_held(&vm->lock);
	if (vm->dead)
		return -ENODEV;
	vascend_pt_cache_init(&cache);
	/* Tables are allocated here, outside pt_lock (see vascend_mem.h). */
	ret = vascend_pt_cache_fill(&vm->pt, &cache, va, size, page_shift);
	if (!ret) {
		mutex_lock(&vm->pt_lock);
		ret = vascend_pt_map(&vm->pt, &cache, va, addr, size, flags);
		mutex_unlock(&vm->pt_lock);
	}
	vascend_pt_cache_drain(&vm->pt, &cache);
	return ret;
}

/**
 * vascend_vm_unmap() - unmap a range and invalidate the card's TLB for it
 * @vm: the address space, vm->lock held
 * @va: start
 * @size: bytes
 * @unlinked: tables left empty, for vascend_vm_free_tables()
 *
 * Return: as vascend_vm_flush(); 0 when nothing was mapped.
 */
int vascend_vm_unmap(struct vascend_vm *vm, u64 va, u64 size,
		     struct list_head *unlinked)
{
	struct vascend_pt_span span;
	int ret = 0;

	lockdep_assert_held(&vm->lock);
	if (vm->dead)
		return 0;
	mutex_lock(&vm->pt_lock);
	vascend_pt_unmap(&vm->pt, va, size, unlinked, &span);
	if (span.end != span.start)
		ret = vascend_vm_flush(vm, span.start, span.end - span.start);
	mutex_unlock(&vm->pt_lock);
	return ret;
}

/* ---- device memory ---- */

/* Zero a block through BAR2 before its new owner can read it. */
static void mem_scrub(struct vascend_mem *mem, const struct vascend_hbm_block *blk)
{
	u64 off, n;

	for (off = 0; off < blk->size; off += n) {
		n = min_t(u64, blk->size - off, SZ_2M);
		memset_io(mem->hbm_map + blk->offset + off, 0, n);
		cond_resched();
	}
}

static void dmem_parked_release(struct vascend_mem *mem, struct vascend_parked *p)
{
	struct vascend_dmem *dmem = container_of(p, struct vascend_dmem, park);

	vascend_mem_free_tables(mem, &dmem->tables);
	if (dmem->has_blk)
		vascend_hbm_free(&mem->hbm, &dmem->blk);
	kfree(dmem);
}

/* Unmap @dmem from its vm and give its HBM back (or park it). Frees @dmem. */
static void dmem_release(struct vascend_dmem *dmem)
{
	struct vascend_vm *vm = dmem->vm;
	struct vascend_mem *mem = vm->mem;
	int ret;

	mutex_lock(&vm->lock);
	list_del(&dmem->node);
	ret = vascend_vm_unmap(vm, dmem->va, dmem->blk.size, &dmem->tables);
	if (dmem->has_blk)
		vm->hbm_bytes -= dmem->blk.size;
	if (ret) {
		/* Parked under vm->lock: vascend_mem_fini() will see it. */
		dmem->park.release = dmem_parked_release;
		vascend_mem_park(mem, &dmem->park);
		dmem = NULL;
	}
	mutex_unlock(&vm->lock);
	if (dmem)
		dmem_parked_release(mem, &dmem->park);
}

/**
 * vascend_dmem_alloc() - device memory in the SVM window (SVM_ALLOC)
 * @proc: the caller
 * @vm: its address space on the card
 * @size: bytes, at least 1
 * @policy: VASCEND_SVM_HUGE_FIRST, _HUGE_ONLY, _NORMAL_ONLY
 * @va: out: where
 *
 * Return: 0, -ENXIO (no window), -ENOMEM (no HBM or no room in the window),
 * -ENODEV, -EINVAL.
 */
int vascend_dmem_alloc(struct vascend_proc *proc, struct vascend_vm *vm,
		       u64 size, u32 policy, u64 *va)
{
	struct vascend_mem *mem = vm->mem;
	struct vascend_dmem *dmem;
	unsigned int flags;
	int ret;

	dmem = kzalloc(sizeof(*dmem), GFP_KERNEL);
	if (!dmem)
		return -ENOMEM;
	dmem->vm = vm;
	INIT_LIST_HEAD(&dmem->tables);

	mutex_lock(&proc->lock);
	if (!proc->window.size) {
		ret = -ENXIO;
		goto err_unlock;
	}
	ret = vascend_hbm_alloc(&mem->hbm, size, policy, &dmem->blk);
	if (ret)
		goto err_unlock;
	mem_scrub(mem, &dmem->blk);

	ret = vascend_va_alloc(&proc->window, dmem->blk.size,
			       1ULL << dmem->blk.page_shift, dmem, &dmem->va);
	if (ret)
		goto err_hbm_free;

	flags = VASCEND_PT_HBM | VASCEND_PT_WRITE;
	if (dmem->blk.page_shift == VASCEND_LARGE_PAGE_SHIFT)
		flags |= VASCEND_PT_LARGE;
	mutex_lock(&vm->lock);
	ret = vascend_vm_map(vm, dmem->va, dmem->blk.offset, dmem->blk.size,
			     flags, dmem->blk.page_shift);
	if (ret) {
		mutex_unlock(&vm->lock);
		goto err_va_remove;
	}
	dmem->has_blk = true;
	list_add_tail(&dmem->node, &vm->dmems);
	vm->hbm_bytes += dmem->blk.size;
	mutex_unlock(&vm->lock);
	mutex_unlock(&proc->lock);
	*va = dmem->va;
	return 0;

err_va_remove:
	vascend_va_remove(&proc->window, dmem->va);
err_hbm_free:
	vascend_hbm_free(&mem->hbm, &dmem->blk);
err_unlock:
	mutex_unlock(&proc->lock);
	kfree(dmem);
	return ret;
}

/**
 * vascend_dmem_free() - SVM_FREE
 * @proc: the caller
 * @dev_id: the card the memory must be on
 * @va: exactly what vascend_dmem_alloc() returned
 *
 * Looks in the caller's own window only: another process's address is no
 * different from an address nobody allocated.
 *
 * Return: 0, or -EINVAL.
 */
int vascend_dmem_free(struct vascend_proc *proc, u32 dev_id, u64 va)
{
	struct vascend_dmem *dmem;
	u64 start;
	int ret = -EINVAL;

	mutex_lock(&proc->lock);
	dmem = vascend_va_lookup(&proc->window, va, &start, NULL);
	if (dmem && start == va && dmem->vm->mem->index == dev_id) {
		vascend_va_remove(&proc->window, va);
		/* proc->lock held: the VA is reused only after the flush. */
		dmem_release(dmem);
		ret = 0;
	}
	mutex_unlock(&proc->lock);
	return ret;
}

/**
 * vascend_window_open() - the process mapped its SVM window
 * @proc: the process
 * @base: the mapping's start
 * @size: its bytes
 *
 * Return: 0, or -EBUSY when it has one already.
 */
int vascend_window_open(struct vascend_proc *proc, u64 base, u64 size)
{
	int ret = 0;

	mutex_lock(&proc->lock);
	if (proc->window.size)
		ret = -EBUSY;
	else
		vascend_va_init(&proc->window, base, size);
	mutex_unlock(&proc->lock);
	return ret;
}

/**
 * vascend_window_close() - a mapping of /dev/devmm_svm goes away
 * @proc: the process
 * @base: the mapping's start
 * @size: its bytes
 *
 * When it is the SVM window (not a copy an mremap() made and undid), frees
 * all the device memory in it. Runs under the process's mmap_lock.
 */
void vascend_window_close(struct vascend_proc *proc, u64 base, u64 size)
{
	struct vascend_dmem *dmem;
	u64 va, bytes;

	mutex_lock(&proc->lock);
	if (proc->window.size && proc->window.base == base &&
	    proc->window.size == size) {
		while ((dmem = vascend_va_first(&proc->window, &va, &bytes))) {
			vascend_va_remove(&proc->window, va);
			dmem_release(dmem);
		}
		vascend_va_fini(&proc->window);
		vascend_va_init(&proc->window, 0, 0);
	}
	mutex_unlock(&proc->lock);
}

/* ---- processes ---- */

/**
 * vascend_proc_get() - the memory state of the process owning @mm
 * @mm: current->mm
 *
 * Return: it, with a reference (vascend_proc_put()); created on first use.
 * NULL when out of memory.
 */
struct vascend_proc *vascend_proc_get(struct mm_struct *mm)
{
	struct vascend_proc *proc;

	mutex_lock(&vascend_procs_lock);
	hash_for_each_possible(vascend_procs, proc, hnode, (unsigned long)mm) {
		if (proc->mm == mm) {
			kref_get(&proc->ref);
			goto out;
		}
	}
	proc = kzalloc(sizeof(*proc), GFP_KERNEL);
	if (!proc)
		goto out;
	kref_init(&proc->ref);
	mmgrab(mm);
	proc->mm = mm;
	proc->tgid = get_pid(task_tgid(current));
	mutex_init(&proc->lock);
	INIT_LIST_HEAD(&proc->vms);
	vascend_va_init(&proc->window, 0, 0);
	hash_add(vascend_procs, &proc->hnode, (unsigned long)mm);
out:
	mutex_unlock(&vascend_procs_lock);
	return proc;
}

/*
 * Called by kref_put_mutex() with vascend_procs_lock held, and drops it once
 * the process is out of the hash. No __releases() annotation: sparse does
 * not track mutexes, so it would count a release that never balances.
 */
static void proc_release(struct kref *ref)
{
	struct vascend_proc *proc = container_of(ref, struct vascend_proc, ref);
	struct vascend_vm *vm, *tmp;

	hash_del(&proc->hnode);
	mutex_unlock(&vascend_procs_lock);

	/* Nobody can find it now: no lock needed for its lists. */
	list_for_each_entry_safe(vm, tmp, &proc->vms, proc_node) {
		list_del(&vm->proc_node);
		vm_destroy(vm);
	}
	vascend_va_fini(&proc->window);
	put_pid(proc->tgid);
	mmdrop(proc->mm);
	mutex_destroy(&proc->lock);
	kfree(proc);
}

/**
 * vascend_proc_put() - drop a reference; the last frees everything
 * @proc: the process; NULL is allowed
 */
void vascend_proc_put(struct vascend_proc *proc)
{
	if (proc)
		kref_put_mutex(&proc->ref, proc_release, &vascend_procs_lock);
}

/**
 * vascend_proc_vm() - @proc's address space on a card
 * @proc: the process
 * @mem: the card
 * @create: create it (CREATE_CONTEXT) when there is none
 *
 * Return: the address space (owned by @proc), NULL (none and !@create), or
 * an ERR_PTR as vascend_vm_get().
 */
struct vascend_vm *vascend_proc_vm(struct vascend_proc *proc,
				   struct vascend_mem *mem, bool create)
{
	struct vascend_vm *vm;

	mutex_lock(&proc->lock);
	list_for_each_entry(vm, &proc->vms, proc_node) {
		if (vm->mem == mem)
			goto out;
	}
	vm = NULL;
	if (create) {
		vm = vm_create(proc, mem);
		if (!IS_ERR(vm))
			list_add_tail(&vm->proc_node, &proc->vms);
	}
out:
	mutex_unlock(&proc->lock);
	return vm;
}

/* ---- the interface of vascend_vm.h ---- */

struct vascend_vm *vascend_vm_get(struct vascend_device *vdev)
{
	struct vascend_mem *mem = vdev->mem;
	struct vascend_proc *proc;
	struct vascend_vm *vm;

	if (!current->mm)
		return ERR_PTR(-EINVAL);
	if (!mem)
		return ERR_PTR(-ENODEV);
	proc = vascend_proc_get(current->mm);
	if (!proc)
		return ERR_PTR(-ENOMEM);
	vm = vascend_proc_vm(proc, mem, true);
	if (!IS_ERR(vm) && READ_ONCE(vm->dead))
		vm = ERR_PTR(-ENODEV);
	if (IS_ERR(vm))
		vascend_proc_put(proc);
	/* The reference on the proc is the caller's reference on @vm. */
	return vm;
}

void vascend_vm_put(struct vascend_vm *vm)
{
	if (vm)
		vascend_proc_put(vm->proc);
}

u32 vascend_vm_ctx_id(const struct vascend_vm *vm)
{
	return vm->ctx_id;
}

int vascend_mem_proc_usage(struct vascend_device *vdev,
			   struct vascend_mgr_proc_entry *out, u32 room,
			   u32 *count)
{
	struct vascend_mem *mem = vdev->mem;
	struct vascend_vm *vm;
	u32 n = 0;

	*count = 0;
	if (!mem)
		return 0;
	mutex_lock(&mem->lock);
	list_for_each_entry(vm, &mem->vms, mem_node) {
		if (n < room) {
			memset(&out[n], 0, sizeof(out[n]));
			out[n].pid = pid_vnr(vm->proc->tgid);
			out[n].hbm_bytes = READ_ONCE(vm->hbm_bytes);
			out[n].pinned_bytes = READ_ONCE(vm->pinned_bytes);
		}
		n++;
	}
	mutex_unlock(&mem->lock);
	*count = n;
	return 0;
}

u64 vascend_hbm_used(struct vascend_device *vdev)
{
	struct vascend_mem *mem = vdev->mem;

	return mem ? READ_ONCE(mem->hbm.used) : 0;
}

/* ---- card reset ---- */

static void vm_reset_prepare(struct vascend_device *vdev, void *data)
{
	/*
	 * Nothing to stop: the tables stay valid through the reset, and
	 * commands in flight are aborted by the admin queue.
	 */
}

/* The card is back, with no context: recreate them, release what waited. */
static int vm_reset_restore(struct vascend_device *vdev, void *data)
{
	struct vascend_mem *mem = data;
	struct vascend_vm *vm;
	int ret, err = 0;

	mutex_lock(&mem->lock);
	list_for_each_entry(vm, &mem->vms, mem_node) {
		ret = vm_ctx_create(vm);
		vm->ctx_on_card = !ret;
		if (ret && !err)
			err = ret;
	}
	if (!list_empty(&mem->parked)) {
		list_splice_tail_init(&mem->parked, &mem->to_release);
		kref_get(&mem->ref);
		if (!queue_work(vascend_mem_wq, &mem->release_work))
			kref_put(&mem->ref, mem_release);
	}
	mutex_unlock(&mem->lock);
	return err;
}

/* ---- card probe and remove ---- */

int vascend_mem_init(struct vascend_device *vdev)
{
	struct pci_dev *pdev = vdev->pdev;
	struct device *dev = &pdev->dev;
	struct vascend_mem *mem;
	resource_size_t start, len;
	int ret;

	mem = kzalloc(sizeof(*mem), GFP_KERNEL);
	if (!mem)
		return -ENOMEM;
	kref_init(&mem->ref);
	/* Messages and DMA unmaps may come after remove(): keep both. */
	get_device(&vdev->dev);
	pci_dev_get(pdev);
	mem->vdev = vdev;
	mem->index = vdev->index;
	mem->dma_dev = dev;
	ida_init(&mem->ctx_ida);
	mutex_init(&mem->lock);
	INIT_LIST_HEAD(&mem->vms);
	INIT_LIST_HEAD(&mem->parked);
	INIT_LIST_HEAD(&mem->to_release);
	INIT_WORK(&mem->release_work, mem_release_work);

	start = pci_resource_start(pdev, VASCEND_BAR_HBM);
	len = pci_resource_len(pdev, VASCEND_BAR_HBM);
	if (!(pci_resource_flags(pdev, VASCEND_BAR_HBM) & IORESOURCE_MEM) ||
	    len < vdev->hbm_size) {
		dev_err(dev, "BAR%u does not hold the %llu-byte HBM\n",
			VASCEND_BAR_HBM, vdev->hbm_size);
		ret = -ENODEV;
		goto err_put;
	}
	if (!devm_request_mem_region(dev, start, vdev->hbm_size, KBUILD_MODNAME)) {
		dev_err(dev, "BAR%u is claimed by another driver\n",
			VASCEND_BAR_HBM);
		ret = -EBUSY;
		goto err_put;
	}
	mem->hbm_map = devm_ioremap_wc(dev, start, vdev->hbm_size);
	if (!mem->hbm_map) {
		dev_err(dev, "cannot map BAR%u\n", VASCEND_BAR_HBM);
		ret = -ENOMEM;
		goto err_put;
	}

	ret = vascend_hbm_init(&mem->hbm, vdev->hbm_size);
	if (ret) {
		dev_err(dev, "cannot set up the HBM allocator: %pe\n",
			ERR_PTR(ret));
		goto err_put;
	}

	mem->reset_client.prepare = vm_reset_prepare;
	mem->reset_client.restore = vm_reset_restore;
	mem->reset_client.data = mem;
	vdev->uapi_caps |= VASCEND_CAP_SVM;
	vascend_reset_client_add(vdev, &mem->reset_client);
	vdev->mem = mem;
	return 0;

err_put:
	ida_destroy(&mem->ctx_ida);
	vascend_mem_put(mem);
	return ret;
}

void vascend_mem_fini(struct vascend_device *vdev)
{
	struct vascend_mem *mem = vdev->mem;
	struct vascend_vm *vm;
	LIST_HEAD(list);

	if (!mem)
		return;
	vascend_reset_client_remove(vdev, &mem->reset_client);

	mutex_lock(&mem->lock);
	mem->dead = true;
	while ((vm = list_first_entry_or_null(&mem->vms, struct vascend_vm,
					      mem_node))) {
		list_del_init(&vm->mem_node);
		vm->ctx_on_card = false;
		kref_get(&vm->ref);
		mutex_unlock(&mem->lock);
		vm_card_gone(vm);
		vm_put_ref(vm);
		mutex_lock(&mem->lock);
	}
	mutex_unlock(&mem->lock);

	/* The card is reset: nothing parked is reachable any more. */
	flush_work(&mem->release_work);
	mutex_lock(&mem->lock);
	list_splice_init(&mem->to_release, &list);
	list_splice_init(&mem->parked, &list);
	mutex_unlock(&mem->lock);
	mem_release_list(mem, &list);

	vascend_hbm_fini(&mem->hbm);
	ida_destroy(&mem->ctx_ida);
	vdev->mem = NULL;
	vascend_mem_put(mem);
}

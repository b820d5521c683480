// SPDX-License-Identifier: GPL-2.0-only
/*
 * Registered host memory (SVM_REGISTER): the process's pages, pinned
 * (FOLL_LONGTERM), charged to RLIMIT_MEMLOCK, DMA-mapped for the card and
 * mapped in its page table at their own virtual addresses, so a host
 * pointer means the same thing to a task.
 *
 * An mmu_interval_notifier watches every registration. When the host takes
 * the range away from the process (munmap, mremap, exit: UNMAP, RELEASE,
 * MIGRATE, EXCLUSIVE events), the callback clears the card's entries and
 * invalidates its TLB before it returns; the TLB invalidation itself waits
 * for the tasks that may still use the old translations. A task that
 * touches the range afterwards faults. The registration is then gone, even
 * when the host took only part of it: a worker unpins the pages and drops
 * it, and UNREGISTER of it is EINVAL. Other events change nothing for the
 * card: what it may do was fixed at REGISTER, as for any pinned DMA buffer.
 * That covers those that leave the pages in place (mprotect, fork's write
 * protection, soft-dirty tracking) and CLEAR, whose range need not be what
 * changes: splitting a VMA (munmap of a neighbour) splits the 2 MiB PMD
 * around the cut and reports the whole 2 MiB, pages of a registration next
 * door included, though they stay mapped (a pinned page cannot be reclaimed,
 * migrated or copied on write either). MADV_DONTNEED of registered memory
 * is CLEAR too: the card keeps the pinned pages until UNREGISTER. A callback
 * that may not sleep (the OOM reaper) is refused.
 *
 * Pinned pages are released by a worker whenever the caller might hold
 * mmap_lock (RLIMIT_MEMLOCK accounting takes it), so the notifier, the SVM
 * window's close and teardown never release them themselves.
 */

#include <linux/dma-mapping.h>
#include <linux/interval_tree.h>
#include <linux/mm.h>
#include <linux/mmu_notifier.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>

#include "vascend_mem.h"

/* REGISTER gives up when invalidations keep racing with it this often. */
#define VASCEND_HREG_MAX_RETRIES	64

/* ---- pinned pages ---- */

static void pinset_dma_unmap(struct vascend_pinset *ps)
{
	if (!ps->dma_dev)
		return;
	dma_unmap_sgtable(ps->dma_dev, &ps->sgt,
			  ps->writable ? DMA_BIDIRECTIONAL : DMA_TO_DEVICE, 0);
	sg_free_table(&ps->sgt);
	ps->dma_dev = NULL;
}

static void pinset_unpin(struct vascend_pinset *ps)
{
	unpin_user_pages_dirty_lock(ps->pages, ps->npages, ps->writable);
	account_locked_vm(ps->mm, ps->npages, false);
	mmdrop(ps->mm);
	kvfree(ps->pages);
	kfree(ps);
}

static void pinset_unpin_work(struct work_struct *work)
{
	pinset_unpin(container_of(work, struct vascend_pinset, work));
}

/**
 * vascend_pinset_release() - unmap and unpin
 * @ps: the pages; freed
 * @sync: unpin here (the caller holds no mmap_lock and none of the memory
 *	side's locks); else a worker does
 *
 * The DMA mapping is undone here in both cases: the card may be unbound
 * by the time a worker runs.
 */
void vascend_pinset_release(struct vascend_pinset *ps, bool sync)
{
	pinset_dma_unmap(ps);
	if (sync) {
		pinset_unpin(ps);
	} else {
		INIT_WORK(&ps->work, pinset_unpin_work);
		queue_work(vascend_mem_wq, &ps->work);
	}
}

static void pinset_parked_release(struct vascend_mem *mem,
				  struct vascend_parked *p)
{
	struct vascend_pinset *ps = container_of(p, struct vascend_pinset, park);

	vascend_mem_free_tables(mem, &ps->tables);
	vascend_pinset_release(ps, false);
}

/* Pin @npages of current->mm from @addr and charge them. */
static struct vascend_pinset *pinset_pin(u64 addr, unsigned long npages,
					 bool writable)
{
	unsigned int gup_flags = FOLL_LONGTERM | (writable ? FOLL_WRITE : 0);
	struct mm_struct *mm = current->mm;
	struct vascend_pinset *ps;
	unsigned long done = 0;
	int ret;

	/*
	 * More pages than the machine has can never be pinned (CAP_IPC_LOCK
	 * skips RLIMIT_MEMLOCK), and their array could exceed what kvmalloc
	 * takes without a warning (INT_MAX bytes).
	 */
	if (npages > totalram_pages())
		return ERR_PTR(-ENOMEM);

	ps = kzalloc(sizeof(*ps), GFP_KERNEL);
	if (!ps)
		return ERR_PTR(-ENOMEM);
	ps->pages = kvmalloc_array(npages, sizeof(*ps->pages), GFP_KERNEL);
	if (!ps->pages) {
		ret = -ENOMEM;
		goto err_free;
	}
	ps->npages = npages;
	ps->writable = writable;
	ps->park.release = pinset_parked_release;
	INIT_LIST_HEAD(&ps->tables);

	/* RLIMIT_MEMLOCK, unless CAP_IPC_LOCK: -ENOMEM when over it. */
	ret = account_locked_vm(mm, npages, true);
	if (ret)
		goto err_free;
	mmgrab(mm);
	ps->mm = mm;

	while (done < npages) {
		int n = min_t(unsigned long, npages - done, SZ_256K);

		n = pin_user_pages_fast(addr + (done << PAGE_SHIFT), n,
					gup_flags, ps->pages + done);
		if (n <= 0) {
			ret = n ? n : -EFAULT;
			goto err_unpin;
		}
		done += n;
	}
	return ps;

err_unpin:
	unpin_user_pages(ps->pages, done);
	account_locked_vm(mm, npages, false);
	mmdrop(mm);
err_free:
	kvfree(ps->pages);
	kfree(ps);
	return ERR_PTR(ret);
}

static int pinset_dma_map(struct vascend_pinset *ps, struct device *dev)
{
	int ret;

	ret = sg_alloc_table_from_pages(&ps->sgt, ps->pages, ps->npages, 0,
					ps->npages << PAGE_SHIFT, GFP_KERNEL);
	if (ret)
		return ret;
	ret = dma_map_sgtable(dev, &ps->sgt,
			      ps->writable ? DMA_BIDIRECTIONAL : DMA_TO_DEVICE, 0);
	if (ret) {
		sg_free_table(&ps->sgt);
		return ret;
	}
	ps->dma_dev = dev;
	return 0;
}

/* ---- the card's mapping ---- */

static u64 hreg_size(const struct vascend_hreg *h)
{
	return h->it.last - h->it.start + 1;
}

/*
 * Map @ps at @h's address, segment by segment; vm->pt_lock held, tables in
 * @cache. All or nothing (the return says whether a rollback's TLB
 * invalidation failed: then the card may still reach the pages).
 */
static int hreg_map_locked(struct vascend_hreg *h, struct vascend_pinset *ps,
			   struct vascend_pt_cache *cache, bool *rollback_dirty)
{
	struct vascend_vm *vm = h->vm;
	unsigned int flags = VASCEND_PT_LARGE;
	struct scatterlist *sg;
	u64 va = h->it.start;
	unsigned int i;
	int ret = 0;

	if (!h->readonly)
		flags |= VASCEND_PT_WRITE;
	for_each_sgtable_dma_sg(&ps->sgt, sg, i) {
		ret = vascend_pt_map(&vm->pt, cache, va, sg_dma_address(sg),
				     sg_dma_len(sg), flags);
		if (ret)
			break;
		va += sg_dma_len(sg);
	}
	if (!ret && va != h->it.last + 1)
		ret = -EINVAL;
	if (ret && va != h->it.start) {
		struct vascend_pt_span span;

		/* A task may have walked the entries meanwhile. */
		vascend_pt_unmap(&vm->pt, h->it.start, va - h->it.start, NULL,
				 &span);
		*rollback_dirty = vascend_vm_flush(vm, span.start,
						   span.end - span.start) != 0;
	}
	return ret;
}

/* Take @h's pages away from the card; vm->pt_lock held. */
static void hreg_unmap_locked(struct vascend_hreg *h, struct list_head *unlinked,
			      int *flush_ret)
{
	struct vascend_vm *vm = h->vm;
	struct vascend_pt_span span;

	*flush_ret = 0;
	if (!h->mapped)
		return;
	h->mapped = false;
	if (vm->dead)
		return;
	vascend_pt_unmap(&vm->pt, h->it.start, hreg_size(h), unlinked, &span);
	if (span.end != span.start)
		*flush_ret = vascend_vm_flush(vm, span.start,
					      span.end - span.start);
	/* The card may still reach the pages: keep them until it is reset. */
	if (*flush_ret && h->pins) {
		if (unlinked)
			list_splice_init(unlinked, &h->pins->tables);
		vascend_mem_park(vm->mem, &h->pins->park);
		h->pins = NULL;
	}
}

static bool hreg_event_revokes(enum mmu_notifier_event event)
{
	switch (event) {
	case MMU_NOTIFY_PROTECTION_VMA:
	case MMU_NOTIFY_PROTECTION_PAGE:
	case MMU_NOTIFY_SOFT_DIRTY:
		return false;	/* the pinned pages stay where they are */
	case MMU_NOTIFY_CLEAR:
		/*
		 * Its range may be wider than what changes: a VMA split
		 * reports the 2 MiB around the cut (see the top of the file).
		 */
		return false;
	default:
		return true;
	}
}

static bool hreg_invalidate(struct mmu_interval_notifier *mni,
			    const struct mmu_notifier_range *range,
			    unsigned long cur_seq)
{
	struct vascend_hreg *h = container_of(mni, struct vascend_hreg, mni);
	struct vascend_vm *vm = h->vm;
	int flush_ret;

	if (!mmu_notifier_range_blockable(range))
		return false;

	mutex_lock(&vm->pt_lock);
	mmu_interval_set_seq(mni, cur_seq);
	if (h->mapped && hreg_event_revokes(range->event)) {
		/* No table is freed here: that would need vm->lock. */
		hreg_unmap_locked(h, NULL, &flush_ret);
		if (!h->detached) {
			list_add_tail(&h->revoked_node, &vm->revoked);
			queue_work(vascend_mem_wq, &vm->reap_work);
		}
	}
	mutex_unlock(&vm->pt_lock);
	return true;
}

static const struct mmu_interval_notifier_ops hreg_mni_ops = {
	.invalidate = hreg_invalidate,
};

/* Take @h out of vm->hregs; vm->lock and vm->pt_lock held. */
static void hreg_detach_locked(struct vascend_hreg *h)
{
	struct vascend_vm *vm = h->vm;

	interval_tree_remove(&h->it, &vm->hregs);
	vm->pinned_bytes -= hreg_size(h);
	list_del_init(&h->revoked_node);
	h->detached = true;
}

/**
 * vascend_hreg_reap_work() - drop the registrations the notifier revoked
 * @work: vm->reap_work
 */
void vascend_hreg_reap_work(struct work_struct *work)
{
	struct vascend_vm *vm = container_of(work, struct vascend_vm,
					     reap_work);
	struct vascend_hreg *h, *tmp;
	LIST_HEAD(list);

	mutex_lock(&vm->lock);
	mutex_lock(&vm->pt_lock);
	list_for_each_entry_safe(h, tmp, &vm->revoked, revoked_node) {
		hreg_detach_locked(h);
		list_add_tail(&h->revoked_node, &list);
	}
	mutex_unlock(&vm->pt_lock);
	mutex_unlock(&vm->lock);

	list_for_each_entry_safe(h, tmp, &list, revoked_node) {
		list_del(&h->revoked_node);
		mmu_interval_notifier_remove(&h->mni);
		/*
		 * Not unpinned here: vm_destroy() may wait for this work
		 * under mmap_lock, which RLIMIT_MEMLOCK accounting takes.
		 */
		if (h->pins)
			vascend_pinset_release(h->pins, false);
		kfree(h);
	}
}

/**
 * vascend_hreg_register() - SVM_REGISTER
 * @vm: the caller's address space on the card
 * @addr: start, page aligned, outside the SVM window
 * @size: bytes, a non-zero multiple of the page size
 * @readonly: the card may only read
 *
 * Return: 0, -EEXIST (overlaps a registration), -ENOMEM (RLIMIT_MEMLOCK or
 * memory), -EFAULT (not the caller's memory), -ENODEV, -EIO, -EINTR.
 */
int vascend_hreg_register(struct vascend_vm *vm, u64 addr, u64 size,
			  bool readonly)
{
	unsigned long npages = size >> PAGE_SHIFT;
	struct vascend_mem *mem = vm->mem;
	struct vascend_pt_cache cache;
	struct vascend_pinset *ps;
	struct vascend_hreg *h;
	unsigned int tries = 0;
	unsigned long seq;
	int ret;

	BUILD_BUG_ON(PAGE_SIZE != VASCEND_PAGE_SIZE);

	h = kzalloc(sizeof(*h), GFP_KERNEL);
	if (!h)
		return -ENOMEM;
	h->vm = vm;
	h->readonly = readonly;
	h->it.start = addr;
	h->it.last = addr + size - 1;
	INIT_LIST_HEAD(&h->revoked_node);
	vascend_pt_cache_init(&cache);

	/* Registrations the host already took away must not be in the way. */
	flush_work(&vm->reap_work);

	ret = mmu_interval_notifier_insert(&h->mni, current->mm, addr, size,
					   &hreg_mni_ops);
	if (ret)
		goto err_free;

again:
	if (++tries > VASCEND_HREG_MAX_RETRIES) {
		ret = -EAGAIN;
		goto err_remove;
	}
	if (fatal_signal_pending(current)) {
		ret = -EINTR;
		goto err_remove;
	}
	seq = mmu_interval_read_begin(&h->mni);
	ps = pinset_pin(addr, npages, !readonly);
	if (IS_ERR(ps)) {
		ret = PTR_ERR(ps);
		goto err_remove;
	}
	ret = pinset_dma_map(ps, mem->dma_dev);
	if (ret)
		goto err_release;

	mutex_lock(&vm->lock);
	if (vm->dead) {
		ret = -ENODEV;
		goto err_unlock;
	}
	if (interval_tree_iter_first(&vm->hregs, h->it.start, h->it.last)) {
		ret = -EEXIST;
		goto err_unlock;
	}
	/* Tables now, outside pt_lock; 4 KiB leaves are the upper bound. */
	ret = vascend_pt_cache_fill(&vm->pt, &cache, addr, size,
				    VASCEND_PAGE_SHIFT);
	if (ret)
		goto err_unlock;

	mutex_lock(&vm->pt_lock);
	if (mmu_interval_read_retry(&h->mni, seq)) {
		/* The pages changed under us: pin them again. */
		mutex_unlock(&vm->pt_lock);
		mutex_unlock(&vm->lock);
		vascend_pinset_release(ps, true);
		goto again;
	}
	{
		bool dirty = false;

		ret = hreg_map_locked(h, ps, &cache, &dirty);
		if (ret) {
			if (dirty) {
				vascend_mem_park(mem, &ps->park);
				ps = NULL;
			}
			mutex_unlock(&vm->pt_lock);
			ret = ret == -ENOMEM ? -ENOMEM : -EIO;
			goto err_unlock;
		}
	}
	h->pins = ps;
	h->mapped = true;
	mutex_unlock(&vm->pt_lock);
	interval_tree_insert(&h->it, &vm->hregs);
	vm->pinned_bytes += size;
	vascend_pt_cache_drain(&vm->pt, &cache);
	mutex_unlock(&vm->lock);
	return 0;

err_unlock:
	vascend_pt_cache_drain(&vm->pt, &cache);
	mutex_unlock(&vm->lock);
err_release:
	if (ps)
		vascend_pinset_release(ps, true);
err_remove:
	mmu_interval_notifier_remove(&h->mni);
err_free:
	kfree(h);
	return ret;
}

/**
 * vascend_hreg_unregister() - SVM_UNREGISTER
 * @vm: the caller's address space on the card
 * @addr: the start of a registration, exactly
 *
 * Return: 0, or -EINVAL (no registration starts at @addr).
 */
int vascend_hreg_unregister(struct vascend_vm *vm, u64 addr)
{
	struct interval_tree_node *it;
	struct vascend_pinset *ps;
	struct vascend_hreg *h;
	LIST_HEAD(unlinked);
	int flush_ret;

	flush_work(&vm->reap_work);

	mutex_lock(&vm->lock);
	it = interval_tree_iter_first(&vm->hregs, addr, addr);
	if (!it || it->start != addr) {
		mutex_unlock(&vm->lock);
		return -EINVAL;
	}
	h = container_of(it, struct vascend_hreg, it);
	mutex_lock(&vm->pt_lock);
	hreg_detach_locked(h);
	hreg_unmap_locked(h, &unlinked, &flush_ret);
	ps = h->pins;
	h->pins = NULL;
	mutex_unlock(&vm->pt_lock);
	vascend_mem_free_tables(vm->mem, &unlinked);
	mutex_unlock(&vm->lock);

	mmu_interval_notifier_remove(&h->mni);
	if (ps)
		vascend_pinset_release(ps, true);
	kfree(h);
	return 0;
}

/**
 * vascend_hreg_detach_all() - take every registration out of @vm
 * @vm: the address space, being destroyed
 * @list: they are added here (by revoked_node), with no notifier any more
 *
 * The card still maps them: see vascend_hreg_free_detached().
 */
void vascend_hreg_detach_all(struct vascend_vm *vm, struct list_head *list)
{
	struct interval_tree_node *it;
	struct vascend_hreg *h, *tmp;

	mutex_lock(&vm->lock);
	mutex_lock(&vm->pt_lock);
	while ((it = interval_tree_iter_first(&vm->hregs, 0, ULONG_MAX))) {
		h = container_of(it, struct vascend_hreg, it);
		hreg_detach_locked(h);
		list_add_tail(&h->revoked_node, list);
	}
	mutex_unlock(&vm->pt_lock);
	mutex_unlock(&vm->lock);

	list_for_each_entry_safe(h, tmp, list, revoked_node)
		mmu_interval_notifier_remove(&h->mni);
}

/**
 * vascend_hreg_free_detached() - release what vascend_hreg_detach_all() took
 * @vm: the address space, vm->lock held
 * @list: emptied
 * @card_safe: the card can no longer reach the pages (its context is
 *	deleted); if not, they are parked until its next reset
 */
void vascend_hreg_free_detached(struct vascend_vm *vm, struct list_head *list,
				bool card_safe)
{
	struct vascend_hreg *h, *tmp;

	list_for_each_entry_safe(h, tmp, list, revoked_node) {
		list_del(&h->revoked_node);
		if (h->pins) {
			if (card_safe || vm->dead || !h->mapped)
				vascend_pinset_release(h->pins, false);
			else
				vascend_mem_park(vm->mem, &h->pins->park);
		}
		kfree(h);
	}
}

/**
 * vascend_hreg_card_gone() - the card is gone: unmap and unpin everything
 * @vm: the address space, vm->lock and vm->pt_lock held
 *
 * The registrations stay (with their notifiers) until UNREGISTER or the
 * address space's end, holding nothing.
 */
void vascend_hreg_card_gone(struct vascend_vm *vm)
{
	struct interval_tree_node *it;
	struct vascend_hreg *h;

	for (it = interval_tree_iter_first(&vm->hregs, 0, ULONG_MAX); it;
	     it = interval_tree_iter_next(it, 0, ULONG_MAX)) {
		h = container_of(it, struct vascend_hreg, it);
		h->mapped = false;
		if (h->pins)
			vascend_pinset_release(h->pins, false);
		h->pins = NULL;
	}
}

// SPDX-License-Identifier: GPL-2.0-only
/*
 * Device page tables: four levels of 512 entries, as the card walks them
 * (include/uapi/vascend_mmu_hw.h). Level 3 is the root and lives as long as
 * the table; levels 2..0 are allocated when a mapping first needs them and
 * freed again when an unmap leaves them empty. 4 KiB leaves sit at level 0,
 * 2 MiB leaves (VASCEND_PTE_LARGE) at level 1.
 *
 * Every table has a shadow (struct vascend_pt_table) holding the kernel
 * pointers to its children, so a walk never turns a bus address back into
 * memory, and a count of its valid entries, so empty tables are found
 * without scanning.
 *
 * The card reads the tables by DMA while they change. Each entry is one
 * aligned 64-bit store (WRITE_ONCE), so the card sees it old or new, never
 * torn; a new table is zeroed before the entry that links it is written.
 * New mappings need nothing more: the card does not cache misses, and the
 * doorbell write that hands it the task using them orders these stores
 * before it. Taking mappings away needs a TLB invalidation, which is the
 * caller's (vascend_pt_span says what to invalidate), and tables unlinked
 * by an unmap may be freed only once it is done.
 */

#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/minmax.h>
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "vascend_pt.h"

/* Bytes one entry of a level-@level table covers. */
static inline u64 pt_entry_size(unsigned int level)
{
	return 1ULL << (VASCEND_PAGE_SHIFT + 9 * level);
}

/* Start of the slot of @va at @level. */
static inline u64 pt_slot_base(u64 va, unsigned int level)
{
	return va & ~(pt_entry_size(level) - 1);
}

static inline bool pt_is_leaf(u64 pte, unsigned int level)
{
	return level == 0 || (level == 1 && (pte & VASCEND_PTE_LARGE));
}

static struct vascend_pt_table *pt_table_alloc(struct vascend_pt *pt,
					       unsigned int level)
{
	struct vascend_pt_table *t;

	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return NULL;
	if (level) {
		t->child = kcalloc(VASCEND_PT_ENTRIES, sizeof(*t->child),
				   GFP_KERNEL);
		if (!t->child)
			goto err_free;
	}
	if (pt->ops->alloc(pt->priv, &t->page))
		goto err_free;
	/* The card would fault on it anyway; catch a broken allocator here. */
	if (WARN_ON(t->page.bus & ~VASCEND_PTE_ADDR_MASK)) {
		pt->ops->free(pt->priv, &t->page);
		goto err_free;
	}
	t->level = level;
	INIT_LIST_HEAD(&t->node);
	return t;

err_free:
	kfree(t->child);
	kfree(t);
	return NULL;
}

static void pt_table_free(struct vascend_pt *pt, struct vascend_pt_table *t)
{
	pt->ops->free(pt->priv, &t->page);
	kfree(t->child);
	kfree(t);
}

/* Free @t and everything below it. */
static void pt_table_free_tree(struct vascend_pt *pt, struct vascend_pt_table *t)
{
	unsigned int i;

	if (t->child) {
		for (i = 0; i < VASCEND_PT_ENTRIES; i++)
			if (t->child[i])
				pt_table_free_tree(pt, t->child[i]);
	}
	pt_table_free(pt, t);
}

/**
 * vascend_pt_init() - an empty page table: the root table only
 * @pt: the table to set up
 * @ops: where table pages come from
 * @priv: argument for @ops
 *
 * Return: 0 or -ENOMEM.
 */
int vascend_pt_init(struct vascend_pt *pt, const struct vascend_pt_alloc_ops *ops,
		    void *priv)
{
	pt->ops = ops;
	pt->priv = priv;
	pt->root = pt_table_alloc(pt, VASCEND_PT_LEVELS - 1);
	if (!pt->root)
		return -ENOMEM;
	pt->tables = 1;
	return 0;
}

/**
 * vascend_pt_fini() - free every table, the root included
 * @pt: the table; the card must no longer be able to walk it
 */
void vascend_pt_fini(struct vascend_pt *pt)
{
	if (!pt->root)
		return;
	pt_table_free_tree(pt, pt->root);
	pt->root = NULL;
	pt->tables = 0;
}

/**
 * vascend_pt_root_bus() - bus address of the root table, for CREATE_CONTEXT
 * @pt: the table
 *
 * Return: the address; constant from vascend_pt_init() to vascend_pt_fini().
 */
u64 vascend_pt_root_bus(const struct vascend_pt *pt)
{
	return pt->root->page.bus;
}

/* A VA range the table can hold: 4 KiB aligned, not empty, below 2^48. */
static bool pt_range_ok(u64 va, u64 size, u64 align)
{
	u64 end;

	return size && IS_ALIGNED(va, align) && IS_ALIGNED(size, align) &&
	       !check_add_overflow(va, size, &end) &&
	       end <= (1ULL << VASCEND_VA_BITS);
}

static void pt_count(const struct vascend_pt_table *t, unsigned int level,
		     u64 va, u64 end, unsigned int page_shift,
		     unsigned int need[VASCEND_PT_LEVELS - 1])
{
	u64 size = pt_entry_size(level);
	u64 next;

	for (; va < end; va = next) {
		unsigned int i = VASCEND_PT_INDEX(va, level);
		const struct vascend_pt_table *child = t ? t->child[i] : NULL;
		u64 pte = t ? READ_ONCE(t->page.cpu[i]) : 0;

		next = min(pt_slot_base(va, level) + size, end);
		/* A leaf holds the slot: the map will fail, no table helps. */
		if (pte && pt_is_leaf(pte, level))
			continue;
		/* A 2 MiB leaf will go here: no table. */
		if (level == 1 && page_shift == VASCEND_LARGE_PAGE_SHIFT && !child)
			continue;
		if (!child)
			need[level - 1]++;
		if (level > 1)
			pt_count(child, level - 1, va, next, page_shift, need);
	}
}

/**
 * vascend_pt_tables_needed() - tables a map of a range still lacks
 * @pt: the table
 * @va: start, aligned to 1 << @page_shift
 * @size: bytes, aligned to 1 << @page_shift
 * @page_shift: VASCEND_LARGE_PAGE_SHIFT when every leaf will be 2 MiB, else
 *	VASCEND_PAGE_SHIFT (an upper bound for any mix of leaf sizes)
 * @need: out: tables missing per level 0..2
 *
 * Return: 0, or -EINVAL for a range or page size the table cannot hold.
 */
int vascend_pt_tables_needed(const struct vascend_pt *pt, u64 va, u64 size,
			     unsigned int page_shift,
			     unsigned int need[VASCEND_PT_LEVELS - 1])
{
	memset(need, 0, sizeof(need[0]) * (VASCEND_PT_LEVELS - 1));
	if ((page_shift != VASCEND_PAGE_SHIFT &&
	     page_shift != VASCEND_LARGE_PAGE_SHIFT) ||
	    !pt_range_ok(va, size, 1ULL << page_shift))
		return -EINVAL;
	pt_count(pt->root, VASCEND_PT_LEVELS - 1, va, va + size, page_shift,
		 need);
	return 0;
}

/**
 * vascend_pt_cache_init() - an empty cache of tables
 * @cache: the cache
 */
void vascend_pt_cache_init(struct vascend_pt_cache *cache)
{
	unsigned int l;

	for (l = 0; l < VASCEND_PT_LEVELS - 1; l++) {
		INIT_LIST_HEAD(&cache->list[l]);
		cache->count[l] = 0;
	}
}

/**
 * vascend_pt_cache_fill() - allocate what a map of a range will need
 * @pt: the table
 * @cache: tables are added here (what it holds already counts)
 * @va: as vascend_pt_tables_needed()
 * @size: as vascend_pt_tables_needed()
 * @page_shift: as vascend_pt_tables_needed()
 *
 * The table must not change between this and the vascend_pt_map() the
 * cache is for, except by unmaps (which never add a table). May sleep.
 *
 * Return: 0, -EINVAL (bad range), -ENOMEM (the cache keeps what it got).
 */
int vascend_pt_cache_fill(struct vascend_pt *pt, struct vascend_pt_cache *cache,
			  u64 va, u64 size, unsigned int page_shift)
{
	unsigned int need[VASCEND_PT_LEVELS - 1];
	unsigned int l;
	int ret;

	ret = vascend_pt_tables_needed(pt, va, size, page_shift, need);
	if (ret)
		return ret;
	for (l = 0; l < VASCEND_PT_LEVELS - 1; l++) {
		while (cache->count[l] < need[l]) {
			struct vascend_pt_table *t = pt_table_alloc(pt, l);

			if (!t)
				return -ENOMEM;
			list_add(&t->node, &cache->list[l]);
			cache->count[l]++;
		}
	}
	return 0;
}

/**
 * vascend_pt_cache_drain() - free the tables a map did not use
 * @pt: the table they were allocated for
 * @cache: emptied
 */
void vascend_pt_cache_drain(struct vascend_pt *pt, struct vascend_pt_cache *cache)
{
	struct vascend_pt_table *t, *tmp;
	unsigned int l;

	for (l = 0; l < VASCEND_PT_LEVELS - 1; l++) {
		list_for_each_entry_safe(t, tmp, &cache->list[l], node) {
			list_del(&t->node);
			pt_table_free(pt, t);
		}
		cache->count[l] = 0;
	}
}

static struct vascend_pt_table *pt_cache_take(struct vascend_pt_cache *cache,
					      unsigned int level)
{
	struct vascend_pt_table *t;

	t = list_first_entry_or_null(&cache->list[level],
				     struct vascend_pt_table, node);
	if (t) {
		list_del_init(&t->node);
		cache->count[level]--;
	}
	return t;
}

struct pt_map_args {
	struct vascend_pt *pt;
	struct vascend_pt_cache *cache;
	u64 va_start;		/* of the whole map */
	u64 addr_start;		/* target of va_start */
	u64 leaf_bits;		/* VALID, WRITE, HBM */
	unsigned int flags;
	u64 done;		/* bytes mapped so far, from va_start */
};

static int pt_map_level(struct pt_map_args *a, struct vascend_pt_table *t,
			unsigned int level, u64 va, u64 end)
{
	u64 size = pt_entry_size(level);
	int ret;

	while (va < end) {
		u64 next = min(pt_slot_base(va, level) + size, end);
		unsigned int i = VASCEND_PT_INDEX(va, level);
		u64 addr = a->addr_start + (va - a->va_start);
		u64 pte = t->page.cpu[i];
		struct vascend_pt_table *child;

		if (level == 0) {
			if (pte)
				return -EEXIST;
			WRITE_ONCE(t->page.cpu[i], addr | a->leaf_bits);
			t->used++;
			a->done += size;
			va = next;
			continue;
		}

		/* A whole, aligned 2 MiB slot with nothing in it: one leaf. */
		if (level == 1 && (a->flags & VASCEND_PT_LARGE) && !pte &&
		    next - va == size && IS_ALIGNED(va, size) &&
		    IS_ALIGNED(addr, size)) {
			WRITE_ONCE(t->page.cpu[i],
				   addr | a->leaf_bits | VASCEND_PTE_LARGE);
			t->used++;
			a->done += size;
			va = next;
			continue;
		}

		child = t->child[i];
		if (!child) {
			if (pte)	/* a 2 MiB leaf is in the way */
				return -EEXIST;
			child = pt_cache_take(a->cache, level - 1);
			if (WARN_ON_ONCE(!child))	/* cache filled too short */
				return -ENOMEM;
			t->child[i] = child;
			WRITE_ONCE(t->page.cpu[i], child->page.bus | VASCEND_PTE_VALID);
			t->used++;
			a->pt->tables++;
		}
		ret = pt_map_level(a, child, level - 1, va, next);
		if (ret)
			return ret;
		va = next;
	}
	return 0;
}

/**
 * vascend_pt_map() - map [@va, @va + @size) to @addr onwards
 * @pt: the table
 * @cache: tables to link where the range needs them; filled beforehand by
 *	vascend_pt_cache_fill() for the same range (4 KiB page shift unless
 *	every leaf is 2 MiB)
 * @va: 4 KiB aligned
 * @addr: bus address (guest memory) or HBM offset (VASCEND_PT_HBM), 4 KiB
 *	aligned
 * @size: bytes, 4 KiB aligned
 * @flags: VASCEND_PT_*; with VASCEND_PT_LARGE, 2 MiB leaves wherever VA
 *	and target are 2 MiB aligned, 2 MiB remain and the slot holds no
 *	table; 4 KiB leaves elsewhere
 *
 * Never allocates. All or nothing: on failure the leaves this call wrote
 * are cleared again (tables it linked stay, empty).
 *
 * Return: 0, -EINVAL (bad argument), -EEXIST (part of the range is mapped
 * already), -ENOMEM (the cache ran short: a bug, warned about).
 */
int vascend_pt_map(struct vascend_pt *pt, struct vascend_pt_cache *cache,
		   u64 va, u64 addr, u64 size, unsigned int flags)
{
	struct pt_map_args a = {
		.pt = pt,
		.cache = cache,
		.va_start = va,
		.addr_start = addr,
		.flags = flags,
		.leaf_bits = VASCEND_PTE_VALID,
	};
	u64 addr_end;
	int ret;

	if ((flags & ~VASCEND_PT_FLAGS) ||
	    !pt_range_ok(va, size, VASCEND_PAGE_SIZE) ||
	    !IS_ALIGNED(addr, VASCEND_PAGE_SIZE) ||
	    check_add_overflow(addr, size - 1, &addr_end) ||
	    (addr_end & ~(VASCEND_PTE_ADDR_MASK | (VASCEND_PAGE_SIZE - 1))))
		return -EINVAL;
	if (flags & VASCEND_PT_WRITE)
		a.leaf_bits |= VASCEND_PTE_WRITE;
	if (flags & VASCEND_PT_HBM)
		a.leaf_bits |= VASCEND_PTE_HBM;

	ret = pt_map_level(&a, pt->root, VASCEND_PT_LEVELS - 1, va, va + size);
	if (ret && a.done)
		vascend_pt_unmap(pt, va, a.done, NULL, NULL);
	return ret;
}

static void pt_span_add(struct vascend_pt_span *span, u64 start, u64 size)
{
	if (!span)
		return;
	if (span->start == span->end) {
		span->start = start;
		span->end = start + size;
	} else {
		span->start = min(span->start, start);
		span->end = max(span->end, start + size);
	}
	span->bytes += size;
}

static void pt_unmap_level(struct vascend_pt *pt, struct vascend_pt_table *t,
			   unsigned int level, u64 va, u64 end,
			   struct list_head *unlinked,
			   struct vascend_pt_span *span)
{
	u64 size = pt_entry_size(level);

	while (va < end) {
		u64 base = pt_slot_base(va, level);
		u64 next = min(base + size, end);
		unsigned int i = VASCEND_PT_INDEX(va, level);
		u64 pte = t->page.cpu[i];
		struct vascend_pt_table *child;

		if (!(pte & VASCEND_PTE_VALID)) {
			va = next;
			continue;
		}
		if (pt_is_leaf(pte, level)) {
			/* A leaf partly in the range goes whole: never more access. */
			WRITE_ONCE(t->page.cpu[i], 0);
			t->used--;
			pt_span_add(span, base, size);
			va = next;
			continue;
		}
		child = t->child[i];
		pt_unmap_level(pt, child, level - 1, va, next, unlinked, span);
		if (unlinked && !child->used) {
			WRITE_ONCE(t->page.cpu[i], 0);
			t->child[i] = NULL;
			t->used--;
			pt->tables--;
			list_add_tail(&child->node, unlinked);
		}
		va = next;
	}
}

/**
 * vascend_pt_unmap() - clear every leaf in [@va, @va + @size)
 * @pt: the table
 * @va: start
 * @size: bytes; 0 does nothing. A 2 MiB leaf partly inside is cleared whole.
 * @unlinked: when not NULL, tables left empty are unlinked and added here,
 *	to be passed to vascend_pt_free_tables() after the TLB invalidation;
 *	when NULL they stay (an unmap that must not free: the MMU notifier)
 * @span: out, when not NULL: what was cleared (zeroed first)
 *
 * Never allocates, never fails; ranges past 2^48 are cut there.
 */
void vascend_pt_unmap(struct vascend_pt *pt, u64 va, u64 size,
		      struct list_head *unlinked, struct vascend_pt_span *span)
{
	u64 end;

	if (span)
		memset(span, 0, sizeof(*span));
	if (check_add_overflow(va, size, &end))
		end = U64_MAX;
	end = min(end, 1ULL << VASCEND_VA_BITS);
	if (va >= end)
		return;
	pt_unmap_level(pt, pt->root, VASCEND_PT_LEVELS - 1, va, end, unlinked,
		       span);
}

/**
 * vascend_pt_free_tables() - free tables a vascend_pt_unmap() unlinked
 * @pt: the table they came from
 * @unlinked: the list; emptied. Only after the card's TLB was invalidated.
 */
void vascend_pt_free_tables(struct vascend_pt *pt, struct list_head *unlinked)
{
	struct vascend_pt_table *t, *tmp;

	list_for_each_entry_safe(t, tmp, unlinked, node) {
		list_del(&t->node);
		/* Unlinked tables were empty, so they have no children. */
		pt_table_free(pt, t);
	}
}

/**
 * vascend_pt_lookup() - the leaf that maps @va
 * @pt: the table
 * @va: any address
 * @level: out, when not NULL: the leaf's level (0 or 1)
 *
 * Return: the leaf entry, or 0 when @va is not mapped.
 */
u64 vascend_pt_lookup(const struct vascend_pt *pt, u64 va, unsigned int *level)
{
	const struct vascend_pt_table *t = pt->root;
	unsigned int l;

	if (va >> VASCEND_VA_BITS)
		return 0;
	for (l = VASCEND_PT_LEVELS - 1; ; l--) {
		u64 pte = READ_ONCE(t->page.cpu[VASCEND_PT_INDEX(va, l)]);

		if (!(pte & VASCEND_PTE_VALID))
			return 0;
		if (pt_is_leaf(pte, l)) {
			if (level)
				*level = l;
			return pte;
		}
		t = t->child[VASCEND_PT_INDEX(va, l)];
	}
}

/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Device page tables (include/uapi/vascend_mmu_hw.h): building and tearing
 * down the four-level tables one context's translations go through.
 *
 * PCI-free: table pages come from a small allocator interface
 * (struct vascend_pt_alloc_ops), DMA-coherent memory in the driver and plain
 * pages in KUnit. Nothing here talks to the card: the caller invalidates
 * the card's TLB for what vascend_pt_unmap() reports, and frees the tables
 * it unlinked only after that.
 *
 * Locking is the caller's: every function here needs the table to itself,
 * except that vascend_pt_tables_needed() and vascend_pt_lookup() only read
 * and may run alongside another reader.
 */

#ifndef __VASCEND_PT_H__
#define __VASCEND_PT_H__

#include <linux/bits.h>
#include <linux/list.h>
#include <linux/types.h>

#include <uapi/vascend_mmu_hw.h>

/**
 * struct vascend_pt_page - one 4 KiB table page the card reads
 * @cpu: kernel address of the page, zeroed when handed out
 * @bus: its bus address (4 KiB aligned, below 2^52)
 * @cookie: the allocator's own
 */
struct vascend_pt_page {
	u64 *cpu;
	u64 bus;
	void *cookie;
};

/**
 * struct vascend_pt_alloc_ops - where table pages come from
 * @alloc: fill @page with a zeroed page; 0 or -ENOMEM. May sleep.
 * @free: give @page back. Never called with the card still able to walk it.
 */
struct vascend_pt_alloc_ops {
	int (*alloc)(void *priv, struct vascend_pt_page *page);
	void (*free)(void *priv, struct vascend_pt_page *page);
};

/**
 * struct vascend_pt_table - a table and the driver's shadow of it
 * @page: the entries the card reads
 * @child: levels 3..1: the tables the entries point to (NULL where an
 *	entry is a leaf or not valid); NULL at level 0
 * @node: in a struct vascend_pt_cache or a list of unlinked tables
 * @used: valid entries in @page
 * @level: 3 (root) .. 0
 */
struct vascend_pt_table {
	struct vascend_pt_page page;
	struct vascend_pt_table **child;
	struct list_head node;
	u16 used;
	u8 level;
};

/**
 * struct vascend_pt - one context's page table
 * @ops: table page allocator
 * @priv: its argument
 * @root: the level-3 table, for the life of @pt
 * @tables: tables linked in, the root included
 */
struct vascend_pt {
	const struct vascend_pt_alloc_ops *ops;
	void *priv;
	struct vascend_pt_table *root;
	u64 tables;
};

/**
 * struct vascend_pt_cache - tables allocated ahead of a vascend_pt_map()
 * @list: per level (0..2; the root is never allocated here)
 * @count: tables in each list
 *
 * Mapping must not allocate: it runs under the lock an MMU notifier takes,
 * and an allocation there could recurse into reclaim and that notifier.
 */
struct vascend_pt_cache {
	struct list_head list[VASCEND_PT_LEVELS - 1];
	unsigned int count[VASCEND_PT_LEVELS - 1];
};

/* vascend_pt_map() flags */
#define VASCEND_PT_WRITE	BIT(0)	/* the card may write */
#define VASCEND_PT_HBM		BIT(1)	/* @addr is an HBM offset */
#define VASCEND_PT_LARGE	BIT(2)	/* 2 MiB leaves where they fit */
#define VASCEND_PT_FLAGS	(VASCEND_PT_WRITE | VASCEND_PT_HBM | VASCEND_PT_LARGE)

/**
 * struct vascend_pt_span - what an unmap took away, for the TLB invalidation
 * @start: lowest VA of a cleared leaf
 * @end: end of the highest cleared leaf (exclusive); @start == @end: nothing
 *	was mapped, no invalidation needed
 * @bytes: bytes the cleared leaves mapped
 */
struct vascend_pt_span {
	u64 start;
	u64 end;
	u64 bytes;
};

int vascend_pt_init(struct vascend_pt *pt, const struct vascend_pt_alloc_ops *ops,
		    void *priv);
void vascend_pt_fini(struct vascend_pt *pt);
u64 vascend_pt_root_bus(const struct vascend_pt *pt);

void vascend_pt_cache_init(struct vascend_pt_cache *cache);
int vascend_pt_cache_fill(struct vascend_pt *pt, struct vascend_pt_cache *cache,
			  u64 va, u64 size, unsigned int page_shift);
void vascend_pt_cache_drain(struct vascend_pt *pt, struct vascend_pt_cache *cache);

int vascend_pt_tables_needed(const struct vascend_pt *pt, u64 va, u64 size,
			     unsigned int page_shift,
			     unsigned int need[VASCEND_PT_LEVELS - 1]);
int vascend_pt_map(struct vascend_pt *pt, struct vascend_pt_cache *cache,
		   u64 va, u64 addr, u64 size, unsigned int flags);
void vascend_pt_unmap(struct vascend_pt *pt, u64 va, u64 size,
		      struct list_head *unlinked, struct vascend_pt_span *span);
void vascend_pt_free_tables(struct vascend_pt *pt, struct list_head *unlinked);
u64 vascend_pt_lookup(const struct vascend_pt *pt, u64 va, unsigned int *level);

#endif /* __VASCEND_PT_H__ */

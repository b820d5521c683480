// SPDX-License-Identifier: GPL-2.0-only
/*
 * HBM allocation: one genalloc chunk covering the card's memory, a bitmap
 * of 4 KiB units. Normal-page blocks are first-fit at 4 KiB alignment;
 * huge-page blocks first-fit at 2 MiB alignment, so one level-1 leaf maps
 * each 2 MiB of them. Every block is contiguous in HBM.
 *
 * Policies (struct vascend_svm_alloc.flags):
 *  - HUGE_FIRST: a 2 MiB-aligned block of whole 2 MiB pages; when none is
 *    free, a 4 KiB-aligned block of whole 4 KiB pages. Sizes up to
 *    VASCEND_HBM_HUGE_FIRST_MIN get 4 KiB pages at once (CANN's rule).
 *  - HUGE_ONLY: 2 MiB pages or -ENOMEM.
 *  - NORMAL_ONLY: 4 KiB pages.
 *
 * Nothing here clears memory; the caller scrubs a block before another
 * process can read it.
 */

#include <linux/align.h>
#include <linux/bitmap.h>
#include <linux/errno.h>
#include <linux/genalloc.h>
#include <linux/overflow.h>

#include <uapi/vascend_mmu_hw.h>
#include <uapi/vascend_svm.h>

#include "vascend_hbm.h"

/* Where HBM offset 0 sits in the pool: non-zero and 2 MiB aligned. */
#define VASCEND_HBM_POOL_BASE	VASCEND_LARGE_PAGE_SIZE

/**
 * vascend_hbm_init() - an allocator for @size bytes of HBM, all free
 * @hbm: the allocator
 * @size: bytes, a non-zero multiple of 4 KiB
 *
 * Return: 0, -EINVAL, -ENOMEM.
 */
int vascend_hbm_init(struct vascend_hbm *hbm, u64 size)
{
	int ret;

	if (!size || !IS_ALIGNED(size, VASCEND_PAGE_SIZE) ||
	    size > ULONG_MAX - VASCEND_HBM_POOL_BASE)
		return -EINVAL;
	mutex_init(&hbm->lock);
	hbm->size = size;
	hbm->used = 0;
	hbm->pool = gen_pool_create(VASCEND_PAGE_SHIFT, NUMA_NO_NODE);
	if (!hbm->pool)
		return -ENOMEM;
	ret = gen_pool_add(hbm->pool, VASCEND_HBM_POOL_BASE, size, NUMA_NO_NODE);
	if (ret) {
		gen_pool_destroy(hbm->pool);
		hbm->pool = NULL;
	}
	return ret;
}

/**
 * vascend_hbm_fini() - destroy the allocator; every block must be free
 * @hbm: the allocator
 */
void vascend_hbm_fini(struct vascend_hbm *hbm)
{
	if (!hbm->pool)
		return;
	/* genalloc BUG()s on a pool with blocks in use: never go there. */
	if (WARN(hbm->used, "vascend: %llu HBM bytes still allocated\n",
		 hbm->used))
		return;
	gen_pool_destroy(hbm->pool);
	hbm->pool = NULL;
	mutex_destroy(&hbm->lock);
}

/* A block of @size bytes aligned to 1 << @shift, or 0 bytes. */
static bool hbm_alloc_block(struct vascend_hbm *hbm, u64 size,
			    unsigned int shift, struct vascend_hbm_block *blk)
{
	struct genpool_data_align align = { .align = 1 << shift };
	unsigned long addr;
	u64 bytes;

	bytes = ALIGN(size, 1ULL << shift);
	if (bytes < size || bytes > hbm->size - hbm->used)
		return false;
	addr = gen_pool_alloc_algo(hbm->pool, bytes, gen_pool_first_fit_align,
				   &align);
	if (!addr)
		return false;
	blk->offset = addr - VASCEND_HBM_POOL_BASE;
	blk->size = bytes;
	blk->page_shift = shift;
	hbm->used += bytes;
	return true;
}

/**
 * vascend_hbm_alloc() - a contiguous block under a page-size policy
 * @hbm: the allocator
 * @size: bytes asked for, at least 1; rounded up to the page size chosen
 * @policy: VASCEND_SVM_HUGE_FIRST, _HUGE_ONLY or _NORMAL_ONLY
 * @blk: out: the block
 *
 * Return: 0, -EINVAL (size 0 or an unknown policy), -ENOMEM (no block:
 * vascend_hbm_query() says what is left).
 */
int vascend_hbm_alloc(struct vascend_hbm *hbm, u64 size, u32 policy,
		      struct vascend_hbm_block *blk)
{
	bool huge, normal, ok = false;

	switch (policy) {
	case VASCEND_SVM_HUGE_FIRST:
		huge = size > VASCEND_HBM_HUGE_FIRST_MIN;
		normal = true;
		break;
	case VASCEND_SVM_HUGE_ONLY:
		huge = true;
		normal = false;
		break;
	case VASCEND_SVM_NORMAL_ONLY:
		huge = false;
		normal = true;
		break;
	default:
		return -EINVAL;
	}
	if (!size)
		return -EINVAL;

	mutex_lock(&hbm->lock);
	if (huge)
		ok = hbm_alloc_block(hbm, size, VASCEND_LARGE_PAGE_SHIFT, blk);
	if (!ok && normal)
		ok = hbm_alloc_block(hbm, size, VASCEND_PAGE_SHIFT, blk);
	mutex_unlock(&hbm->lock);
	return ok ? 0 : -ENOMEM;
}

/**
 * vascend_hbm_free() - give a block back
 * @hbm: the allocator
 * @blk: as vascend_hbm_alloc() returned it
 */
void vascend_hbm_free(struct vascend_hbm *hbm, const struct vascend_hbm_block *blk)
{
	mutex_lock(&hbm->lock);
	gen_pool_free(hbm->pool, blk->offset + VASCEND_HBM_POOL_BASE, blk->size);
	hbm->used -= blk->size;
	mutex_unlock(&hbm->lock);
}

/* The longest run of free units in one chunk. */
static void hbm_largest_in_chunk(struct gen_pool *pool,
				 struct gen_pool_chunk *chunk, void *data)
{
	unsigned long nbits, start, end, *largest = data;

	nbits = (chunk->end_addr - chunk->start_addr + 1) >> pool->min_alloc_order;
	for (start = find_first_zero_bit(chunk->bits, nbits); start < nbits;
	     start = find_next_zero_bit(chunk->bits, nbits, end)) {
		end = find_next_bit(chunk->bits, nbits, start);
		*largest = max(*largest, end - start);
	}
}

/**
 * vascend_hbm_query() - what is left
 * @hbm: the allocator
 * @free: out: bytes free
 * @largest: out: bytes of the largest free contiguous block (a huge-page
 *	block needs a 2 MiB-aligned part of it)
 */
void vascend_hbm_query(struct vascend_hbm *hbm, u64 *free, u64 *largest)
{
	unsigned long units = 0;

	mutex_lock(&hbm->lock);
	*free = hbm->size - hbm->used;
	gen_pool_for_each_chunk(hbm->pool, hbm_largest_in_chunk, &units);
	mutex_unlock(&hbm->lock);
	*largest = (u64)units << VASCEND_PAGE_SHIFT;
}

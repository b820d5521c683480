// SPDX-License-Identifier: GPL-2.0-only
/*
 * VA ranges in the SVM window, in a maple tree that tracks gaps (the
 * kernel's own VMA tree works the same way): allocation is a first-fit gap
 * search, lookups and frees are O(log n). The window never holds host
 * pages, so these ranges are only the card's.
 */

#include <linux/align.h>
#include <linux/errno.h>
#include <linux/log2.h>
#include <linux/maple_tree.h>
#include <linux/overflow.h>

#include <uapi/vascend_mmu_hw.h>

#include "vascend_va.h"

/**
 * vascend_va_init() - an empty window
 * @va: the allocator
 * @base: first address, 4 KiB aligned
 * @size: bytes, 4 KiB aligned; 0 for none
 */
void vascend_va_init(struct vascend_va *va, u64 base, u64 size)
{
	mt_init_flags(&va->mt, MT_FLAGS_ALLOC_RANGE);
	va->base = base;
	va->size = size;
	va->used = 0;
}

/**
 * vascend_va_fini() - forget every range (their owners are the caller's)
 * @va: the allocator
 */
void vascend_va_fini(struct vascend_va *va)
{
	mtree_destroy(&va->mt);
	va->used = 0;
}

/**
 * vascend_va_alloc() - the lowest free range of @size aligned to @align
 * @va: the allocator
 * @size: bytes, a non-zero multiple of 4 KiB
 * @align: a power of two, at least 4 KiB
 * @owner: stored with the range (not NULL); vascend_va_lookup() returns it
 * @addr: out: where the range starts
 *
 * Return: 0, -EINVAL (bad @size, @align or @owner), -ENOMEM (no gap large
 * enough in the window), or -ENOMEM from the tree's node allocation.
 */
int vascend_va_alloc(struct vascend_va *va, u64 size, u64 align, void *owner,
		     u64 *addr)
{
	MA_STATE(mas, &va->mt, 0, 0);
	u64 lo, hi, start, last;
	int ret;

	if (!owner || !size || !IS_ALIGNED(size, VASCEND_PAGE_SIZE) ||
	    align < VASCEND_PAGE_SIZE || !is_power_of_2(align))
		return -EINVAL;
	if (!va->size || size > va->size)
		return -ENOMEM;
	lo = va->base;
	hi = va->base + va->size - 1;

	mas_lock(&mas);
	for (;;) {
		mas_reset(&mas);
		ret = mas_empty_area(&mas, lo, hi, size);
		if (ret) {
			ret = -ENOMEM;
			break;
		}
		/* A gap of @size starts at mas.index; is the aligned spot free? */
		start = ALIGN(mas.index, align);
		if (check_add_overflow(start, size - 1, &last) || last > hi) {
			ret = -ENOMEM;
			break;
		}
		if (start == mas.index)
			break;
		mas_set_range(&mas, start, last);
		if (!mas_find(&mas, last))
			break;
		/* Taken: search again behind the range in the way. */
		lo = mas.last + 1;
		if (!lo || lo > hi) {
			ret = -ENOMEM;
			break;
		}
	}
	mas_unlock(&mas);
	if (ret)
		return ret;

	/* The caller serialises allocations: nothing took the gap since. */
	ret = mtree_insert_range(&va->mt, start, last, owner, GFP_KERNEL);
	if (ret)
		return ret == -EEXIST ? -EBUSY : ret;
	va->used += size;
	*addr = start;
	return 0;
}

/**
 * vascend_va_lookup() - the range holding @addr
 * @va: the allocator
 * @addr: any address
 * @start: out, when not NULL: the range's first address
 * @size: out, when not NULL: its bytes
 *
 * Return: its owner, or NULL when @addr is in no range.
 */
void *vascend_va_lookup(struct vascend_va *va, u64 addr, u64 *start, u64 *size)
{
	MA_STATE(mas, &va->mt, addr, addr);
	void *owner;

	mas_lock(&mas);
	owner = mas_walk(&mas);
	if (owner) {
		if (start)
			*start = mas.index;
		if (size)
			*size = mas.last - mas.index + 1;
	}
	mas_unlock(&mas);
	return owner;
}

/**
 * vascend_va_remove() - give back the range that starts at @start
 * @va: the allocator
 * @start: exactly where vascend_va_alloc() put it
 *
 * Return: its owner, or NULL (nothing removed) when no range starts at
 * @start.
 */
void *vascend_va_remove(struct vascend_va *va, u64 start)
{
	MA_STATE(mas, &va->mt, start, start);
	void *owner;

	mas_lock(&mas);
	owner = mas_walk(&mas);
	if (owner && mas.index == start) {
		va->used -= mas.last - mas.index + 1;
		mas_erase(&mas);
	} else {
		owner = NULL;
	}
	mas_unlock(&mas);
	return owner;
}

/**
 * vascend_va_first() - the lowest range, to tear a window down
 * @va: the allocator
 * @start: out: its first address
 * @size: out: its bytes
 *
 * Return: its owner, or NULL when the window holds nothing.
 */
void *vascend_va_first(struct vascend_va *va, u64 *start, u64 *size)
{
	MA_STATE(mas, &va->mt, 0, 0);
	void *owner;

	mas_lock(&mas);
	owner = mas_find(&mas, ULONG_MAX);
	if (owner) {
		*start = mas.index;
		*size = mas.last - mas.index + 1;
	}
	mas_unlock(&mas);
	return owner;
}

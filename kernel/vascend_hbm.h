/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The card's device memory (HBM) allocator: lib/genalloc with 4 KiB
 * granularity, 2 MiB-aligned blocks for huge pages, the page-size policies
 * of struct vascend_svm_alloc. PCI-free, so KUnit tests it under UML.
 */

#ifndef __VASCEND_HBM_H__
#define __VASCEND_HBM_H__

#include <linux/mutex.h>
#include <linux/sizes.h>
#include <linux/types.h>

struct gen_pool;

/*
 * VASCEND_SVM_HUGE_FIRST asks for huge pages only above this size (CANN's
 * rule for ACL_MEM_MALLOC_HUGE_FIRST: 1 MiB and less get normal pages).
 */
#define VASCEND_HBM_HUGE_FIRST_MIN	SZ_1M

/**
 * struct vascend_hbm - one card's HBM
 * @lock: serialises allocations and frees, so that @used and the choice
 *	between huge and normal pages are consistent
 * @pool: the blocks, at HBM offset + VASCEND_HBM_POOL_BASE (genalloc
 *	reserves address 0 to mean failure)
 * @size: bytes of HBM
 * @used: bytes allocated
 */
struct vascend_hbm {
	struct mutex lock; /* Protects used and the pool's bitmap decisions */
	struct gen_pool *pool;
	u64 size;
	u64 used;
};

/**
 * struct vascend_hbm_block - one allocation
 * @offset: byte offset into HBM
 * @size: bytes, a multiple of 1 << @page_shift
 * @page_shift: VASCEND_PAGE_SHIFT or VASCEND_LARGE_PAGE_SHIFT; @offset is
 *	aligned to it
 */
struct vascend_hbm_block {
	u64 offset;
	u64 size;
	unsigned int page_shift;
};

int vascend_hbm_init(struct vascend_hbm *hbm, u64 size);
void vascend_hbm_fini(struct vascend_hbm *hbm);
int vascend_hbm_alloc(struct vascend_hbm *hbm, u64 size, u32 policy,
		      struct vascend_hbm_block *blk);
void vascend_hbm_free(struct vascend_hbm *hbm, const struct vascend_hbm_block *blk);
void vascend_hbm_query(struct vascend_hbm *hbm, u64 *free, u64 *largest);

#endif /* __VASCEND_HBM_H__ */

/* SPDX-License-Identifier: MIT */
/*
 * The allocator that carves aclrtMalloc memory out of one card's HBM: plain
 * byte offsets, first fit, neighbours merged on free. Not thread-safe; the
 * runtime calls it with its lock held.
 *
 * It lives in the process for now, so two processes on one card would hand
 * out the same HBM; a later issue moves allocation into the kernel driver.
 */
#ifndef VASCEND_ACL_HBM_H
#define VASCEND_ACL_HBM_H

#include <stdint.h>

/* Every block starts and ends on this boundary. */
#define ACL_HBM_ALIGN 512u

struct acl_hbm;

/* An allocator over [0, @size) rounded down to ACL_HBM_ALIGN; NULL if empty or no memory. */
struct acl_hbm *acl_hbm_create(uint64_t size);
void acl_hbm_destroy(struct acl_hbm *h);

/* Allocate @size bytes (rounded up); -EINVAL for 0 or absurd sizes, -ENOMEM. */
int acl_hbm_alloc(struct acl_hbm *h, uint64_t size, uint64_t *off);

/* Free the block starting at @off; -ENOENT when no live block starts there. */
int acl_hbm_free(struct acl_hbm *h, uint64_t off);

/* The live block containing @off; -ENOENT when there is none. */
int acl_hbm_find(const struct acl_hbm *h, uint64_t off, uint64_t *base, uint64_t *size);

uint64_t acl_hbm_total(const struct acl_hbm *h);
uint64_t acl_hbm_free_bytes(const struct acl_hbm *h);
uint64_t acl_hbm_largest_free(const struct acl_hbm *h);
unsigned int acl_hbm_live_blocks(const struct acl_hbm *h);

#endif /* VASCEND_ACL_HBM_H */

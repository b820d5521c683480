/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Virtual address ranges inside one process's SVM window: where its device
 * memory lives. PCI-free, so KUnit tests it under UML.
 */

#ifndef __VASCEND_VA_H__
#define __VASCEND_VA_H__

#include <linux/maple_tree.h>
#include <linux/types.h>

/**
 * struct vascend_va - the ranges handed out inside [@base, @base + @size)
 * @mt: range -> owner, gap-tracking (MT_FLAGS_ALLOC_RANGE); its own
 *	spinlock protects the tree, the caller serialises the calls
 * @base: first address of the window, 4 KiB aligned
 * @size: bytes, 4 KiB aligned; 0: no window, every allocation fails
 * @used: bytes handed out
 */
struct vascend_va {
	struct maple_tree mt;
	u64 base;
	u64 size;
	u64 used;
};

void vascend_va_init(struct vascend_va *va, u64 base, u64 size);
void vascend_va_fini(struct vascend_va *va);
int vascend_va_alloc(struct vascend_va *va, u64 size, u64 align, void *owner,
		     u64 *addr);
void *vascend_va_lookup(struct vascend_va *va, u64 addr, u64 *start, u64 *size);
void *vascend_va_remove(struct vascend_va *va, u64 start);
void *vascend_va_first(struct vascend_va *va, u64 *start, u64 *size);

#endif /* __VASCEND_VA_H__ */

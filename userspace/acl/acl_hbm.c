// SPDX-License-Identifier: MIT
/*
 * HBM allocator: a list of blocks that tiles the whole range in address
 * order, each free or used. Linear in the number of blocks, which is fine
 * for the allocation counts of this slice.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

#include "acl_hbm.h"

struct block {
	uint64_t off;
	uint64_t size;
	bool used;
	struct block *prev, *next;
};

struct acl_hbm {
	uint64_t total;
	uint64_t used;
	unsigned int live;
	struct block *head;
};

struct acl_hbm *acl_hbm_create(uint64_t size)
{
	struct acl_hbm *h;
	struct block *b;

	size -= size % ACL_HBM_ALIGN;
	if (!size)
		return NULL;
	h = calloc(1, sizeof(*h));
	b = calloc(1, sizeof(*b));
	if (!h || !b) {
		free(h);
		free(b);
		return NULL;
	}
	b->size = size;
	h->total = size;
	h->head = b;
	return h;
}

void acl_hbm_destroy(struct acl_hbm *h)
{
	struct block *b, *next;

	if (!h)
		return;
	for (b = h->head; b; b = next) {
		next = b->next;
		free(b);
	}
	free(h);
}

int acl_hbm_alloc(struct acl_hbm *h, uint64_t size, uint64_t *off)
{
	struct block *b, *rest;

	if (!size || size > h->total)
		return size ? -ENOMEM : -EINVAL;
	size = (size + ACL_HBM_ALIGN - 1) / ACL_HBM_ALIGN * ACL_HBM_ALIGN;

	for (b = h->head; b; b = b->next)
		if (!b->used && b->size >= size)
			break;
	if (!b)
		return -ENOMEM;
	if (b->size > size) {
		rest = calloc(1, sizeof(*rest));
		if (!rest)
			return -ENOMEM;
		rest->off = b->off + size;
		rest->size = b->size - size;
		rest->prev = b;
		rest->next = b->next;
		if (b->next)
			b->next->prev = rest;
		b->next = rest;
		b->size = size;
	}
	b->used = true;
	h->used += size;
	h->live++;
	*off = b->off;
	return 0;
}

/* Merge @b's successor into @b. */
static void absorb_next(struct block *b)
{
	struct block *n = b->next;

	b->size += n->size;
	b->next = n->next;
	if (n->next)
		n->next->prev = b;
	free(n);
}

int acl_hbm_free(struct acl_hbm *h, uint64_t off)
{
	struct block *b;

	for (b = h->head; b && b->off < off; b = b->next)
		;
	if (!b || b->off != off || !b->used)
		return -ENOENT;
	b->used = false;
	h->used -= b->size;
	h->live--;
	if (b->next && !b->next->used)
		absorb_next(b);
	if (b->prev && !b->prev->used)
		absorb_next(b->prev);
	return 0;
}

int acl_hbm_find(const struct acl_hbm *h, uint64_t off, uint64_t *base, uint64_t *size)
{
	const struct block *b;

	for (b = h->head; b; b = b->next) {
		if (off < b->off)
			break;
		if (off - b->off < b->size) {
			if (!b->used)
				break;
			*base = b->off;
			*size = b->size;
			return 0;
		}
	}
	return -ENOENT;
}

uint64_t acl_hbm_total(const struct acl_hbm *h)
{
	return h->total;
}

uint64_t acl_hbm_free_bytes(const struct acl_hbm *h)
{
	return h->total - h->used;
}

uint64_t acl_hbm_largest_free(const struct acl_hbm *h)
{
	const struct block *b;
	uint64_t best = 0;

	for (b = h->head; b; b = b->next)
		if (!b->used && b->size > best)
			best = b->size;
	return best;
}

unsigned int acl_hbm_live_blocks(const struct acl_hbm *h)
{
	return h->live;
}

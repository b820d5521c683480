// SPDX-License-Identifier: MIT
/*
 * The HBM allocator on its own: alignment, first fit, merging on free,
 * lookups, exhaustion, and a random run checked against a shadow model.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "acl_hbm.h"
#include "tap.h"

#define A ACL_HBM_ALIGN

static void basics(void)
{
	uint64_t off = 99, a, b, c, base = 0, size = 0;
	struct acl_hbm *h;

	TAP_CHECK(acl_hbm_create(A - 1) == NULL, "less than one block of HBM is refused");
	h = acl_hbm_create(3 * A + 7);
	TAP_CHECK(h && acl_hbm_total(h) == 3 * A, "size is rounded down to the alignment");
	acl_hbm_destroy(h);

	h = acl_hbm_create(64 * A);
	TAP_CHECK(acl_hbm_alloc(h, 0, &off) == -EINVAL, "0 bytes is invalid");
	TAP_CHECK(acl_hbm_alloc(h, 1, &a) == 0 && a == 0, "first block at offset 0");
	TAP_CHECK(acl_hbm_alloc(h, A + 1, &b) == 0 && b == A, "next block after the rounded first");
	TAP_CHECK(acl_hbm_free_bytes(h) == 61 * A, "free bytes count rounded blocks (%llu)",
		  (unsigned long long)acl_hbm_free_bytes(h));
	TAP_CHECK(acl_hbm_live_blocks(h) == 2, "two live blocks");

	TAP_CHECK(acl_hbm_find(h, b + A + 5, &base, &size) == 0 && base == b && size == 2 * A,
		  "an interior offset finds its block");
	TAP_CHECK(acl_hbm_find(h, 3 * A, &base, &size) == -ENOENT, "free space is not found");
	TAP_CHECK(acl_hbm_find(h, 64 * A + 1, &base, &size) == -ENOENT, "past the end is not found");

	TAP_CHECK(acl_hbm_free(h, b + 1) == -ENOENT, "freeing an interior offset fails");
	TAP_CHECK(acl_hbm_free(h, a) == 0, "free the first block");
	TAP_CHECK(acl_hbm_free(h, a) == -ENOENT, "freeing it twice fails");
	TAP_CHECK(acl_hbm_find(h, a, &base, &size) == -ENOENT, "a freed block is not found");
	TAP_CHECK(acl_hbm_alloc(h, A, &c) == 0 && c == 0, "first fit reuses the freed hole");

	TAP_CHECK(acl_hbm_free(h, c) == 0 && acl_hbm_free(h, b) == 0, "free everything");
	TAP_CHECK(acl_hbm_live_blocks(h) == 0 && acl_hbm_largest_free(h) == 64 * A,
		  "neighbours merge back into one block");

	TAP_CHECK(acl_hbm_alloc(h, 64 * A + 1, &off) == -ENOMEM, "more than the total fails");
	TAP_CHECK(acl_hbm_alloc(h, UINT64_MAX, &off) == -ENOMEM, "absurd sizes fail cleanly");
	TAP_CHECK(acl_hbm_alloc(h, 64 * A, &a) == 0 && acl_hbm_free_bytes(h) == 0,
		  "everything in one block");
	TAP_CHECK(acl_hbm_alloc(h, 1, &off) == -ENOMEM, "a full pool refuses");
	acl_hbm_destroy(h);
}

static void fragmentation(void)
{
	struct acl_hbm *h = acl_hbm_create(16 * A);
	uint64_t off, i;
	bool ok = true;

	for (i = 0; i < 16; i++)
		ok &= acl_hbm_alloc(h, A, &off) == 0 && off == i * A;
	TAP_CHECK(ok, "sixteen blocks fill the pool in order");
	for (i = 0; i < 16; i += 2)
		ok &= acl_hbm_free(h, i * A) == 0;
	TAP_CHECK(ok && acl_hbm_free_bytes(h) == 8 * A, "every other block freed");
	TAP_CHECK(acl_hbm_alloc(h, 2 * A, &off) == -ENOMEM && acl_hbm_largest_free(h) == A,
		  "holes do not add up to a bigger block");
	TAP_CHECK(acl_hbm_free(h, A) == 0 && acl_hbm_largest_free(h) == 3 * A,
		  "freeing a block between holes merges all three");
	TAP_CHECK(acl_hbm_alloc(h, 3 * A, &off) == 0 && off == 0, "and the merged hole is usable");
	acl_hbm_destroy(h);
}

/* Random allocations and frees against a byte map of who owns what. */
static void random_run(void)
{
	enum { BLOCKS = 256, OPS = 20000, SLOTS = 64 };
	struct acl_hbm *h = acl_hbm_create(BLOCKS * A);
	uint64_t off[SLOTS], len[SLOTS], base, size;
	unsigned char owner[BLOCKS];
	bool live[SLOTS] = { false }, ok = true;
	uint64_t used = 0, i, j;
	unsigned int seed = 12345;

	memset(owner, 0xff, sizeof(owner));
	for (i = 0; i < OPS && ok; i++) {
		unsigned int s = (unsigned int)rand_r(&seed) % SLOTS;

		if (live[s]) {
			ok &= acl_hbm_free(h, off[s]) == 0;
			for (j = off[s] / A; j < (off[s] + len[s]) / A; j++)
				owner[j] = 0xff;
			used -= len[s];
			live[s] = false;
			continue;
		}
		len[s] = (uint64_t)(rand_r(&seed) % (8 * A)) + 1;
		if (acl_hbm_alloc(h, len[s], &off[s]))
			continue;	/* full or fragmented: fine */
		len[s] = (len[s] + A - 1) / A * A;
		for (j = off[s] / A; j < (off[s] + len[s]) / A; j++) {
			ok &= owner[j] == 0xff;	/* nobody else owns it */
			owner[j] = (unsigned char)s;
		}
		ok &= acl_hbm_find(h, off[s] + len[s] - 1, &base, &size) == 0 && base == off[s];
		used += len[s];
		live[s] = true;
		ok &= acl_hbm_free_bytes(h) == BLOCKS * A - used;
	}
	TAP_CHECK(ok, "%d random operations: no overlap, lookups and counts agree", OPS);
	for (i = 0; i < SLOTS; i++)
		if (live[i])
			ok &= acl_hbm_free(h, off[i]) == 0;
	TAP_CHECK(ok && acl_hbm_largest_free(h) == BLOCKS * A && !acl_hbm_live_blocks(h),
		  "after freeing all, one free block again");
	acl_hbm_destroy(h);
}

int main(void)
{
	basics();
	fragmentation();
	random_run();
	return tap_done();
}

// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suite for the SVM window's VA allocator (vascend_va.c): first fit,
 * alignment from an unaligned window, exhaustion, exact-start frees, gaps
 * reused, lookups inside ranges, and the argument rules.
 */

#include <kunit/test.h>

#include "vascend_va.h"

#define SZ4K	0x1000ULL
#define SZ2M	0x200000ULL

/* Owners: any distinct non-NULL pointers. */
static int owners[8];

static void va_test_first_fit(struct kunit *test)
{
	struct vascend_va va;
	u64 a, b, c, start, size;

	vascend_va_init(&va, 0x10000000, 16 * SZ2M);
	KUNIT_ASSERT_EQ(test, vascend_va_alloc(&va, SZ4K, SZ4K, &owners[0], &a), 0);
	KUNIT_EXPECT_EQ(test, a, 0x10000000ULL);
	KUNIT_ASSERT_EQ(test, vascend_va_alloc(&va, 3 * SZ4K, SZ4K, &owners[1], &b), 0);
	KUNIT_EXPECT_EQ(test, b, 0x10001000ULL);
	KUNIT_ASSERT_EQ(test, vascend_va_alloc(&va, SZ2M, SZ2M, &owners[2], &c), 0);
	KUNIT_EXPECT_EQ(test, c, 0x10200000ULL);
	KUNIT_EXPECT_EQ(test, va.used, 4 * SZ4K + SZ2M);

	KUNIT_EXPECT_PTR_EQ(test, vascend_va_lookup(&va, b + 0x2fff, &start, &size),
			    (void *)&owners[1]);
	KUNIT_EXPECT_EQ(test, start, b);
	KUNIT_EXPECT_EQ(test, size, 3 * SZ4K);
	KUNIT_EXPECT_NULL(test, vascend_va_lookup(&va, b + 3 * SZ4K, NULL, NULL));

	/* Only the exact start frees. */
	KUNIT_EXPECT_NULL(test, vascend_va_remove(&va, b + SZ4K));
	KUNIT_EXPECT_PTR_EQ(test, vascend_va_remove(&va, b), (void *)&owners[1]);
	KUNIT_EXPECT_NULL(test, vascend_va_remove(&va, b));
	/* The gap is found again, before the 2 MiB block. */
	KUNIT_ASSERT_EQ(test, vascend_va_alloc(&va, 2 * SZ4K, SZ4K, &owners[3], &b), 0);
	KUNIT_EXPECT_EQ(test, b, 0x10001000ULL);
	vascend_va_fini(&va);
}

static void va_test_align(struct kunit *test)
{
	struct vascend_va va;
	u64 a, b;

	/* A window that does not start on 2 MiB (6.1 gives such). */
	vascend_va_init(&va, 0x10003000, 4 * SZ2M);
	KUNIT_ASSERT_EQ(test, vascend_va_alloc(&va, SZ2M, SZ2M, &owners[0], &a), 0);
	KUNIT_EXPECT_EQ(test, a, 0x10200000ULL);
	/* The room before it still serves 4 KiB ranges. */
	KUNIT_ASSERT_EQ(test, vascend_va_alloc(&va, SZ4K, SZ4K, &owners[1], &b), 0);
	KUNIT_EXPECT_EQ(test, b, 0x10003000ULL);
	/* A second 2 MiB: behind the first, skipping the unaligned room. */
	KUNIT_ASSERT_EQ(test, vascend_va_alloc(&va, 2 * SZ2M, SZ2M, &owners[2], &a), 0);
	KUNIT_EXPECT_EQ(test, a, 0x10400000ULL);
	/* 4 * 2 MiB from 0x10003000 ends at 0x10803000: no third 2 MiB. */
	KUNIT_EXPECT_EQ(test, vascend_va_alloc(&va, SZ2M, SZ2M, &owners[3], &a),
			-ENOMEM);
	KUNIT_ASSERT_EQ(test, vascend_va_alloc(&va, 3 * SZ4K, SZ4K, &owners[3], &a), 0);
	KUNIT_EXPECT_EQ(test, a, 0x10004000ULL);
	vascend_va_fini(&va);
}

static void va_test_exhaustion(struct kunit *test)
{
	struct vascend_va va;
	u64 a, start, size;
	int i;

	vascend_va_init(&va, 0x40000000, 4 * SZ4K);
	for (i = 0; i < 4; i++)
		KUNIT_ASSERT_EQ(test, vascend_va_alloc(&va, SZ4K, SZ4K,
						       &owners[i], &a), 0);
	KUNIT_EXPECT_EQ(test, vascend_va_alloc(&va, SZ4K, SZ4K, &owners[4], &a),
			-ENOMEM);
	KUNIT_EXPECT_EQ(test, vascend_va_alloc(&va, 8 * SZ4K, SZ4K, &owners[4], &a),
			-ENOMEM);
	KUNIT_EXPECT_PTR_EQ(test, vascend_va_remove(&va, 0x40002000), (void *)&owners[2]);
	KUNIT_ASSERT_EQ(test, vascend_va_alloc(&va, SZ4K, SZ4K, &owners[5], &a), 0);
	KUNIT_EXPECT_EQ(test, a, 0x40002000ULL);
	/* Teardown order: the lowest first. */
	KUNIT_EXPECT_PTR_EQ(test, vascend_va_first(&va, &start, &size), (void *)&owners[0]);
	KUNIT_EXPECT_EQ(test, start, 0x40000000ULL);
	KUNIT_EXPECT_EQ(test, size, SZ4K);
	vascend_va_fini(&va);
	KUNIT_EXPECT_EQ(test, va.used, 0ULL);
}

static void va_test_bad_args(struct kunit *test)
{
	struct vascend_va va;
	u64 a;

	vascend_va_init(&va, 0, 0);
	KUNIT_EXPECT_EQ(test, vascend_va_alloc(&va, SZ4K, SZ4K, &owners[0], &a),
			-ENOMEM);
	vascend_va_fini(&va);

	vascend_va_init(&va, 0x1000, 16 * SZ4K);
	KUNIT_EXPECT_EQ(test, vascend_va_alloc(&va, 0, SZ4K, &owners[0], &a), -EINVAL);
	KUNIT_EXPECT_EQ(test, vascend_va_alloc(&va, 100, SZ4K, &owners[0], &a), -EINVAL);
	KUNIT_EXPECT_EQ(test, vascend_va_alloc(&va, SZ4K, 3 * SZ4K, &owners[0], &a),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, vascend_va_alloc(&va, SZ4K, 512, &owners[0], &a), -EINVAL);
	KUNIT_EXPECT_EQ(test, vascend_va_alloc(&va, SZ4K, SZ4K, NULL, &a), -EINVAL);
	KUNIT_EXPECT_EQ(test, vascend_va_alloc(&va, 32 * SZ4K, SZ4K, &owners[0], &a),
			-ENOMEM);
	KUNIT_EXPECT_EQ(test, vascend_va_alloc(&va, SZ4K, 1ULL << 40, &owners[0], &a),
			-ENOMEM);
	KUNIT_EXPECT_EQ(test, va.used, 0ULL);
	vascend_va_fini(&va);
}

static struct kunit_case vascend_va_cases[] = {
	KUNIT_CASE(va_test_first_fit),
	KUNIT_CASE(va_test_align),
	KUNIT_CASE(va_test_exhaustion),
	KUNIT_CASE(va_test_bad_args),
	{}
};

static struct kunit_suite vascend_va_suite = {
	.name = "vascend_va",
	.test_cases = vascend_va_cases,
};

kunit_test_suite(vascend_va_suite);

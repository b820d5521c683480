// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suite for the HBM allocator (vascend_hbm.c): the page-size
 * policies (HUGE_FIRST with its 1 MiB rule and its fallback, HUGE_ONLY,
 * NORMAL_ONLY), alignment, exhaustion and the free/largest numbers an
 * ENOMEM reports.
 */

#include <kunit/test.h>

#include <uapi/vascend_mmu_hw.h>
#include <uapi/vascend_svm.h>

#include "vascend_hbm.h"

#define SZ4K	VASCEND_PAGE_SIZE
#define SZ2M	VASCEND_LARGE_PAGE_SIZE

static void hbm_expect(struct kunit *test, struct vascend_hbm *hbm,
		       u64 free, u64 largest)
{
	u64 f, l;

	vascend_hbm_query(hbm, &f, &l);
	KUNIT_EXPECT_EQ(test, f, free);
	KUNIT_EXPECT_EQ(test, l, largest);
}

static void hbm_test_policies(struct kunit *test)
{
	struct vascend_hbm hbm;
	struct vascend_hbm_block n, h, f1, f3;

	KUNIT_ASSERT_EQ(test, vascend_hbm_init(&hbm, 16 * SZ2M), 0);
	hbm_expect(test, &hbm, 16 * SZ2M, 16 * SZ2M);

	KUNIT_ASSERT_EQ(test, vascend_hbm_alloc(&hbm, 1, VASCEND_SVM_NORMAL_ONLY, &n), 0);
	KUNIT_EXPECT_EQ(test, n.offset, 0ULL);
	KUNIT_EXPECT_EQ(test, n.size, SZ4K);
	KUNIT_EXPECT_EQ(test, n.page_shift, (unsigned int)VASCEND_PAGE_SHIFT);

	KUNIT_ASSERT_EQ(test, vascend_hbm_alloc(&hbm, 1, VASCEND_SVM_HUGE_ONLY, &h), 0);
	KUNIT_EXPECT_EQ(test, h.offset, SZ2M);
	KUNIT_EXPECT_EQ(test, h.size, SZ2M);
	KUNIT_EXPECT_EQ(test, h.page_shift, (unsigned int)VASCEND_LARGE_PAGE_SHIFT);

	/* 1 MiB and less: normal pages even when huge come first. */
	KUNIT_ASSERT_EQ(test, vascend_hbm_alloc(&hbm, SZ_1M, VASCEND_SVM_HUGE_FIRST,
						&f1), 0);
	KUNIT_EXPECT_EQ(test, f1.offset, SZ4K);
	KUNIT_EXPECT_EQ(test, f1.size, (u64)SZ_1M);
	KUNIT_EXPECT_EQ(test, f1.page_shift, (unsigned int)VASCEND_PAGE_SHIFT);
	KUNIT_ASSERT_EQ(test, vascend_hbm_alloc(&hbm, 3 * SZ_1M, VASCEND_SVM_HUGE_FIRST,
						&f3), 0);
	KUNIT_EXPECT_EQ(test, f3.offset, 2 * SZ2M);
	KUNIT_EXPECT_EQ(test, f3.size, 2 * SZ2M);
	KUNIT_EXPECT_EQ(test, f3.page_shift, (unsigned int)VASCEND_LARGE_PAGE_SHIFT);
	KUNIT_EXPECT_EQ(test, hbm.used, SZ4K + SZ_1M + 3 * SZ2M);

	vascend_hbm_free(&hbm, &f3);
	vascend_hbm_free(&hbm, &f1);
	vascend_hbm_free(&hbm, &h);
	vascend_hbm_free(&hbm, &n);
	hbm_expect(test, &hbm, 16 * SZ2M, 16 * SZ2M);
	vascend_hbm_fini(&hbm);
}

static void hbm_test_fallback(struct kunit *test)
{
	struct vascend_hbm_block small, huge[3], fb;
	struct vascend_hbm hbm;
	int i;

	KUNIT_ASSERT_EQ(test, vascend_hbm_init(&hbm, 4 * SZ2M), 0);
	KUNIT_ASSERT_EQ(test, vascend_hbm_alloc(&hbm, SZ4K, VASCEND_SVM_NORMAL_ONLY,
						&small), 0);
	for (i = 0; i < 3; i++)
		KUNIT_ASSERT_EQ(test, vascend_hbm_alloc(&hbm, SZ2M,
							VASCEND_SVM_HUGE_ONLY,
							&huge[i]), 0);
	/* Left: 2 MiB - 4 KiB, not 2 MiB aligned. */
	hbm_expect(test, &hbm, SZ2M - SZ4K, SZ2M - SZ4K);
	KUNIT_EXPECT_EQ(test, vascend_hbm_alloc(&hbm, SZ_1M, VASCEND_SVM_HUGE_ONLY, &fb),
			-ENOMEM);
	KUNIT_ASSERT_EQ(test, vascend_hbm_alloc(&hbm, SZ_1M + SZ4K,
						VASCEND_SVM_HUGE_FIRST, &fb), 0);
	KUNIT_EXPECT_EQ(test, fb.page_shift, (unsigned int)VASCEND_PAGE_SHIFT);
	KUNIT_EXPECT_EQ(test, fb.offset, SZ4K);
	KUNIT_EXPECT_EQ(test, fb.size, SZ_1M + SZ4K);
	/* What is left: 1 MiB - 8 KiB. */
	KUNIT_EXPECT_EQ(test, vascend_hbm_alloc(&hbm, SZ_1M, VASCEND_SVM_NORMAL_ONLY, &fb),
			-ENOMEM);
	hbm_expect(test, &hbm, SZ_1M - 2 * SZ4K, SZ_1M - 2 * SZ4K);
	vascend_hbm_free(&hbm, &fb);

	/* Two holes, 2 MiB - 4 KiB and 2 MiB: the larger one counts. */
	vascend_hbm_free(&hbm, &huge[2]);
	hbm_expect(test, &hbm, 2 * SZ2M - SZ4K, SZ2M);
	KUNIT_EXPECT_EQ(test, vascend_hbm_alloc(&hbm, SZ2M + SZ4K,
						VASCEND_SVM_HUGE_FIRST, &fb), -ENOMEM);
	vascend_hbm_free(&hbm, &huge[0]);
	hbm_expect(test, &hbm, 3 * SZ2M - SZ4K, 2 * SZ2M - SZ4K);
	vascend_hbm_free(&hbm, &huge[1]);
	vascend_hbm_free(&hbm, &small);
	hbm_expect(test, &hbm, 4 * SZ2M, 4 * SZ2M);
	vascend_hbm_fini(&hbm);
}

static void hbm_test_bad_args(struct kunit *test)
{
	struct vascend_hbm_block b;
	struct vascend_hbm hbm;

	KUNIT_EXPECT_EQ(test, vascend_hbm_init(&hbm, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, vascend_hbm_init(&hbm, SZ4K + 1), -EINVAL);
	/* 1 MiB of HBM (the device's smallest): no huge page at all. */
	KUNIT_ASSERT_EQ(test, vascend_hbm_init(&hbm, SZ_1M), 0);
	KUNIT_EXPECT_EQ(test, vascend_hbm_alloc(&hbm, SZ4K, 3, &b), -EINVAL);
	KUNIT_EXPECT_EQ(test, vascend_hbm_alloc(&hbm, 0, VASCEND_SVM_NORMAL_ONLY, &b),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, vascend_hbm_alloc(&hbm, SZ4K, VASCEND_SVM_HUGE_ONLY, &b),
			-ENOMEM);
	KUNIT_EXPECT_EQ(test, vascend_hbm_alloc(&hbm, U64_MAX, VASCEND_SVM_NORMAL_ONLY,
						&b), -ENOMEM);
	KUNIT_EXPECT_EQ(test, vascend_hbm_alloc(&hbm, U64_MAX - SZ4K,
						VASCEND_SVM_HUGE_FIRST, &b), -ENOMEM);
	KUNIT_ASSERT_EQ(test, vascend_hbm_alloc(&hbm, SZ_1M, VASCEND_SVM_NORMAL_ONLY,
						&b), 0);
	hbm_expect(test, &hbm, 0, 0);
	KUNIT_EXPECT_EQ(test, vascend_hbm_alloc(&hbm, 1, VASCEND_SVM_HUGE_FIRST, &b),
			-ENOMEM);
	vascend_hbm_free(&hbm, &b);
	vascend_hbm_fini(&hbm);
}

static struct kunit_case vascend_hbm_cases[] = {
	KUNIT_CASE(hbm_test_policies),
	KUNIT_CASE(hbm_test_fallback),
	KUNIT_CASE(hbm_test_bad_args),
	{}
};

static struct kunit_suite vascend_hbm_suite = {
	.name = "vascend_hbm",
	.test_cases = vascend_hbm_cases,
};

kunit_test_suite(vascend_hbm_suite);

// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suite for the /dev/devmm_svm argument checks (vascend_svm_check.c):
 * a valid argument of each ioctl passes, and each rule, broken alone, is
 * reported as itself.
 */

#include <kunit/test.h>

#include <uapi/vascend_svm.h>

#include "vascend_svm_check.h"

#define MIB	BIT_ULL(20)

static void svm_check_test_alloc(struct kunit *test)
{
	struct vascend_svm_alloc ok = { .flags = VASCEND_SVM_HUGE_ONLY, .size = 1 };
	struct vascend_svm_alloc a;

	KUNIT_EXPECT_EQ(test, vascend_svm_check_alloc(&ok), VASCEND_SVM_CHECK_OK);
	a = ok;
	/* The out fields are not looked at. */
	a.va = ~0ULL;
	a.free = ~0ULL;
	a.largest = ~0ULL;
	KUNIT_EXPECT_EQ(test, vascend_svm_check_alloc(&a), VASCEND_SVM_CHECK_OK);
	a = ok;
	a.size = VASCEND_SVM_WINDOW_MAX;
	KUNIT_EXPECT_EQ(test, vascend_svm_check_alloc(&a), VASCEND_SVM_CHECK_OK);
	a = ok;
	a.reserved[0] = 1;
	KUNIT_EXPECT_EQ(test, vascend_svm_check_alloc(&a), VASCEND_SVM_CHECK_RSVD);
	a = ok;
	a.reserved[1] = 1ULL << 63;
	KUNIT_EXPECT_EQ(test, vascend_svm_check_alloc(&a), VASCEND_SVM_CHECK_RSVD);
	a = ok;
	a.flags = 1U << 2;
	KUNIT_EXPECT_EQ(test, vascend_svm_check_alloc(&a), VASCEND_SVM_CHECK_FLAGS);
	a = ok;
	a.flags = 1U << 31;
	KUNIT_EXPECT_EQ(test, vascend_svm_check_alloc(&a), VASCEND_SVM_CHECK_FLAGS);
	a = ok;
	a.flags = 3;
	KUNIT_EXPECT_EQ(test, vascend_svm_check_alloc(&a), VASCEND_SVM_CHECK_POLICY);
	a = ok;
	a.size = 0;
	KUNIT_EXPECT_EQ(test, vascend_svm_check_alloc(&a), VASCEND_SVM_CHECK_SIZE);
	a = ok;
	a.size = VASCEND_SVM_WINDOW_MAX + 1;
	KUNIT_EXPECT_EQ(test, vascend_svm_check_alloc(&a), VASCEND_SVM_CHECK_SIZE);
	a = ok;
	a.size = ~0ULL;
	KUNIT_EXPECT_EQ(test, vascend_svm_check_alloc(&a), VASCEND_SVM_CHECK_SIZE);
}

static void svm_check_test_free_unregister(struct kunit *test)
{
	int (*const check[])(const struct vascend_svm_range *) = {
		vascend_svm_check_free, vascend_svm_check_unregister,
	};
	struct vascend_svm_range ok = { .dev_id = 3, .addr = 0x7f0000000000ULL };
	struct vascend_svm_range r;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(check); i++) {
		KUNIT_EXPECT_EQ(test, check[i](&ok), VASCEND_SVM_CHECK_OK);
		r = ok;
		r.reserved[1] = 1;
		KUNIT_EXPECT_EQ(test, check[i](&r), VASCEND_SVM_CHECK_RSVD);
		r = ok;
		r.flags = VASCEND_SVM_REG_READONLY;
		KUNIT_EXPECT_EQ(test, check[i](&r), VASCEND_SVM_CHECK_FLAGS);
		r = ok;
		r.size = 4096;
		KUNIT_EXPECT_EQ(test, check[i](&r), VASCEND_SVM_CHECK_SIZE);
		r = ok;
		r.addr += 8;
		KUNIT_EXPECT_EQ(test, check[i](&r), VASCEND_SVM_CHECK_ALIGN);
	}
}

static void svm_check_test_register(struct kunit *test)
{
	struct vascend_svm_range ok = { .addr = 0x10000, .size = 0x3000,
					.flags = VASCEND_SVM_REG_READONLY };
	struct vascend_svm_range r;

	KUNIT_EXPECT_EQ(test, vascend_svm_check_register(&ok), VASCEND_SVM_CHECK_OK);
	r = ok;
	r.addr = (1ULL << 48) - 0x3000;
	KUNIT_EXPECT_EQ(test, vascend_svm_check_register(&r), VASCEND_SVM_CHECK_OK);
	r = ok;
	r.reserved[0] = 2;
	KUNIT_EXPECT_EQ(test, vascend_svm_check_register(&r), VASCEND_SVM_CHECK_RSVD);
	r = ok;
	r.flags = 2;
	KUNIT_EXPECT_EQ(test, vascend_svm_check_register(&r), VASCEND_SVM_CHECK_FLAGS);
	r = ok;
	r.size = 0;
	KUNIT_EXPECT_EQ(test, vascend_svm_check_register(&r), VASCEND_SVM_CHECK_SIZE);
	r = ok;
	r.addr += 0x800;
	KUNIT_EXPECT_EQ(test, vascend_svm_check_register(&r), VASCEND_SVM_CHECK_ALIGN);
	r = ok;
	r.size = 0x1001;
	KUNIT_EXPECT_EQ(test, vascend_svm_check_register(&r), VASCEND_SVM_CHECK_ALIGN);
	r = ok;
	r.addr = (1ULL << 48) - 0x2000;
	KUNIT_EXPECT_EQ(test, vascend_svm_check_register(&r), VASCEND_SVM_CHECK_RANGE);
	r = ok;
	r.addr = ~0ULL & ~0xfffULL;
	KUNIT_EXPECT_EQ(test, vascend_svm_check_register(&r), VASCEND_SVM_CHECK_RANGE);
}

static void svm_check_test_query(struct kunit *test)
{
	struct vascend_svm_query q = { .dev_id = 1, .total = 5, .window_base = 9 };

	KUNIT_EXPECT_EQ(test, vascend_svm_check_query(&q), VASCEND_SVM_CHECK_OK);
	q.pad = 1;
	KUNIT_EXPECT_EQ(test, vascend_svm_check_query(&q), VASCEND_SVM_CHECK_RSVD);
	q.pad = 0;
	q.reserved[1] = 1;
	KUNIT_EXPECT_EQ(test, vascend_svm_check_query(&q), VASCEND_SVM_CHECK_RSVD);
}

static void svm_check_test_window(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, vascend_svm_check_window(2 * MIB, 0), VASCEND_SVM_CHECK_OK);
	KUNIT_EXPECT_EQ(test, vascend_svm_check_window(1ULL << 40, 0),
			VASCEND_SVM_CHECK_OK);
	KUNIT_EXPECT_EQ(test, vascend_svm_check_window(2 * MIB, 4096),
			VASCEND_SVM_CHECK_WINDOW_OFFSET);
	KUNIT_EXPECT_EQ(test, vascend_svm_check_window(MIB, 0),
			VASCEND_SVM_CHECK_WINDOW_SIZE);
	KUNIT_EXPECT_EQ(test, vascend_svm_check_window(3 * MIB, 0),
			VASCEND_SVM_CHECK_WINDOW_SIZE);
	KUNIT_EXPECT_EQ(test, vascend_svm_check_window((1ULL << 40) + 2 * MIB, 0),
			VASCEND_SVM_CHECK_WINDOW_SIZE);
	KUNIT_EXPECT_STREQ(test, vascend_svm_check_name(VASCEND_SVM_CHECK_POLICY),
			   "undefined page-size policy");
	KUNIT_EXPECT_STREQ(test, vascend_svm_check_name(99), "unknown rule");
}

static struct kunit_case vascend_svm_check_cases[] = {
	KUNIT_CASE(svm_check_test_alloc),
	KUNIT_CASE(svm_check_test_free_unregister),
	KUNIT_CASE(svm_check_test_register),
	KUNIT_CASE(svm_check_test_query),
	KUNIT_CASE(svm_check_test_window),
	{}
};

static struct kunit_suite vascend_svm_check_suite = {
	.name = "vascend_svm_check",
	.test_cases = vascend_svm_check_cases,
};

kunit_test_suite(vascend_svm_check_suite);

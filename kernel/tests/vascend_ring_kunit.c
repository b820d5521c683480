// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suite for the ring index math of the admin and IO queues
 * (vascend_ring.h): wrap-around, room with depth - 1 in flight at most, the
 * slot of a seq, and the CQ phase bit flipping at each wrap.
 */

#include <kunit/test.h>

#include <uapi/vascend_queue_hw.h>

#include "vascend_ring.h"

static void ring_test_add(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, vascend_ring_add(0, 1, 2), 1);
	KUNIT_EXPECT_EQ(test, vascend_ring_add(1, 1, 2), 0);
	KUNIT_EXPECT_EQ(test, vascend_ring_add(250, 10, 256), 4);
	KUNIT_EXPECT_EQ(test, vascend_ring_add(4095, 4096, 4096), 4095);
	KUNIT_EXPECT_EQ(test, vascend_ring_add(0xffffffff, 1, 64), 0);
}

static void ring_test_space(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, vascend_ring_space(0, 0, 2), 1);
	KUNIT_EXPECT_EQ(test, vascend_ring_space(1, 0, 2), 0);
	KUNIT_EXPECT_EQ(test, vascend_ring_space(10, 10, 256), 255);
	KUNIT_EXPECT_EQ(test, vascend_ring_space(265, 10, 256), 0);
	KUNIT_EXPECT_EQ(test, vascend_ring_space(264, 10, 256), 1);
	/* Seqs far beyond 32 bits: only the difference matters. */
	KUNIT_EXPECT_EQ(test, vascend_ring_space(BIT_ULL(40) + 3, BIT_ULL(40), 8), 4);
	/* A corrupt state never gives room. */
	KUNIT_EXPECT_EQ(test, vascend_ring_space(1000, 0, 8), 0);
}

static void ring_test_slot_of(struct kunit *test)
{
	/* Tail at 5 after seqs 1..5 were written to slots 0..4. */
	KUNIT_EXPECT_EQ(test, vascend_ring_slot_of(5, 5, 5, 8), 4);
	KUNIT_EXPECT_EQ(test, vascend_ring_slot_of(5, 5, 1, 8), 0);
	/* Wrapped: seqs 6..9 in slots 5,6,7,0; tail 1. */
	KUNIT_EXPECT_EQ(test, vascend_ring_slot_of(1, 9, 9, 8), 0);
	KUNIT_EXPECT_EQ(test, vascend_ring_slot_of(1, 9, 7, 8), 6);
	KUNIT_EXPECT_EQ(test, vascend_ring_slot_of(0, 2, 1, 2), 0);
	KUNIT_EXPECT_EQ(test, vascend_ring_slot_of(0, 2, 2, 2), 1);
}

static void ring_test_phase(struct kunit *test)
{
	u16 phase = VASCEND_CQE_F_PHASE;
	u32 head = 0, i;

	KUNIT_EXPECT_TRUE(test, vascend_cqe_is_new(VASCEND_CQE_F_PHASE, phase));
	KUNIT_EXPECT_FALSE(test, vascend_cqe_is_new(0, phase));
	/* Other flag bits do not matter. */
	KUNIT_EXPECT_TRUE(test, vascend_cqe_is_new(VASCEND_CQE_F_PHASE |
						    VASCEND_CQE_F_QUEUE_STOPPED, phase));
	for (i = 0; i < 3; i++)
		vascend_cq_advance(&head, &phase, 4);
	KUNIT_EXPECT_EQ(test, head, 3);
	KUNIT_EXPECT_EQ(test, phase, VASCEND_CQE_F_PHASE);
	vascend_cq_advance(&head, &phase, 4);
	KUNIT_EXPECT_EQ(test, head, 0);
	KUNIT_EXPECT_EQ(test, phase, 0);
	KUNIT_EXPECT_TRUE(test, vascend_cqe_is_new(0, phase));
	KUNIT_EXPECT_FALSE(test, vascend_cqe_is_new(VASCEND_CQE_F_PHASE, phase));
	for (i = 0; i < 4; i++)
		vascend_cq_advance(&head, &phase, 4);
	KUNIT_EXPECT_EQ(test, head, 0);
	KUNIT_EXPECT_EQ(test, phase, VASCEND_CQE_F_PHASE);
}

static void ring_test_depth(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, vascend_ring_depth_ok(2, 4096));
	KUNIT_EXPECT_TRUE(test, vascend_ring_depth_ok(4096, 4096));
	KUNIT_EXPECT_FALSE(test, vascend_ring_depth_ok(0, 4096));
	KUNIT_EXPECT_FALSE(test, vascend_ring_depth_ok(1, 4096));
	KUNIT_EXPECT_FALSE(test, vascend_ring_depth_ok(3, 4096));
	KUNIT_EXPECT_FALSE(test, vascend_ring_depth_ok(8192, 4096));
	KUNIT_EXPECT_FALSE(test, vascend_ring_depth_ok(128, 64));
}

static struct kunit_case vascend_ring_cases[] = {
	KUNIT_CASE(ring_test_add),
	KUNIT_CASE(ring_test_space),
	KUNIT_CASE(ring_test_slot_of),
	KUNIT_CASE(ring_test_phase),
	KUNIT_CASE(ring_test_depth),
	{}
};

static struct kunit_suite vascend_ring_suite = {
	.name = "vascend_ring",
	.test_cases = vascend_ring_cases,
};

kunit_test_suite(vascend_ring_suite);

// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suite for the recovery state machine (vascend_reset_sm.c): every
 * transition, faults joining a recovery under way, retries, giving up, and
 * what the manager and sysfs are told.
 */

#include <kunit/test.h>

#include <uapi/vascend_manager.h>

#include "vascend_reset_sm.h"

static void rsm_test_healthy(struct kunit *test)
{
	struct vascend_rsm rsm;

	vascend_rsm_init(&rsm);
	KUNIT_EXPECT_EQ(test, rsm.state, VASCEND_RSM_OK);
	KUNIT_EXPECT_FALSE(test, vascend_rsm_busy(&rsm));
	KUNIT_EXPECT_EQ(test, vascend_rsm_card_state(&rsm), VASCEND_CARD_OK);
	KUNIT_EXPECT_EQ(test, rsm.count, 0);
	KUNIT_EXPECT_EQ(test, rsm.last_cause, VASCEND_RESET_CAUSE_NONE);
	/* A stray work item finds nothing to do. */
	KUNIT_EXPECT_EQ(test, vascend_rsm_begin(&rsm), VASCEND_RESET_CAUSE_NONE);
	KUNIT_EXPECT_EQ(test, rsm.state, VASCEND_RSM_OK);
}

static void rsm_test_one_recovery(struct kunit *test)
{
	struct vascend_rsm rsm;

	vascend_rsm_init(&rsm);
	KUNIT_EXPECT_TRUE(test, vascend_rsm_request(&rsm, VASCEND_RESET_CAUSE_ECC));
	KUNIT_EXPECT_EQ(test, rsm.state, VASCEND_RSM_PENDING);
	KUNIT_EXPECT_TRUE(test, vascend_rsm_busy(&rsm));
	KUNIT_EXPECT_EQ(test, vascend_rsm_card_state(&rsm), VASCEND_CARD_RESETTING);
	KUNIT_EXPECT_EQ(test, vascend_rsm_begin(&rsm), VASCEND_RESET_CAUSE_ECC);
	KUNIT_EXPECT_EQ(test, rsm.state, VASCEND_RSM_RESETTING);
	KUNIT_EXPECT_EQ(test, vascend_rsm_card_state(&rsm), VASCEND_CARD_RESETTING);
	KUNIT_EXPECT_EQ(test, vascend_rsm_end(&rsm, true), VASCEND_RSM_NEXT_DONE);
	KUNIT_EXPECT_EQ(test, rsm.state, VASCEND_RSM_OK);
	KUNIT_EXPECT_EQ(test, rsm.count, 1);
	KUNIT_EXPECT_EQ(test, rsm.last_cause, VASCEND_RESET_CAUSE_ECC);
	KUNIT_EXPECT_FALSE(test, vascend_rsm_busy(&rsm));

	/* The next fault starts a new recovery. */
	KUNIT_EXPECT_TRUE(test, vascend_rsm_request(&rsm, VASCEND_RESET_CAUSE_USER));
	KUNIT_EXPECT_EQ(test, vascend_rsm_begin(&rsm), VASCEND_RESET_CAUSE_USER);
	KUNIT_EXPECT_EQ(test, vascend_rsm_end(&rsm, true), VASCEND_RSM_NEXT_DONE);
	KUNIT_EXPECT_EQ(test, rsm.count, 2);
	KUNIT_EXPECT_EQ(test, rsm.last_cause, VASCEND_RESET_CAUSE_USER);
}

static void rsm_test_join(struct kunit *test)
{
	struct vascend_rsm rsm;

	vascend_rsm_init(&rsm);
	KUNIT_EXPECT_TRUE(test, vascend_rsm_request(&rsm, VASCEND_RESET_CAUSE_FW_CRASH));
	/* Pending: the first cause is kept, the worker is not queued twice. */
	KUNIT_EXPECT_FALSE(test, vascend_rsm_request(&rsm, VASCEND_RESET_CAUSE_HANG));
	KUNIT_EXPECT_EQ(test, vascend_rsm_begin(&rsm), VASCEND_RESET_CAUSE_FW_CRASH);
	/* Running: the reset wipes what the new fault left. */
	KUNIT_EXPECT_FALSE(test, vascend_rsm_request(&rsm, VASCEND_RESET_CAUSE_ECC));
	KUNIT_EXPECT_EQ(test, vascend_rsm_end(&rsm, true), VASCEND_RSM_NEXT_DONE);
	KUNIT_EXPECT_EQ(test, rsm.count, 1);
	KUNIT_EXPECT_EQ(test, rsm.requests, 3);
	KUNIT_EXPECT_EQ(test, rsm.last_cause, VASCEND_RESET_CAUSE_FW_CRASH);
}

static void rsm_test_retry(struct kunit *test)
{
	struct vascend_rsm rsm;

	vascend_rsm_init(&rsm);
	vascend_rsm_request(&rsm, VASCEND_RESET_CAUSE_HANG);
	KUNIT_EXPECT_EQ(test, vascend_rsm_begin(&rsm), VASCEND_RESET_CAUSE_HANG);
	KUNIT_EXPECT_EQ(test, vascend_rsm_end(&rsm, false), VASCEND_RSM_NEXT_RETRY);
	KUNIT_EXPECT_EQ(test, rsm.state, VASCEND_RSM_PENDING);
	KUNIT_EXPECT_EQ(test, vascend_rsm_card_state(&rsm), VASCEND_CARD_RESETTING);
	/* The retry keeps the cause. */
	KUNIT_EXPECT_EQ(test, vascend_rsm_begin(&rsm), VASCEND_RESET_CAUSE_HANG);
	KUNIT_EXPECT_EQ(test, vascend_rsm_end(&rsm, true), VASCEND_RSM_NEXT_DONE);
	KUNIT_EXPECT_EQ(test, rsm.count, 1);
	KUNIT_EXPECT_EQ(test, rsm.attempts, 0);

	/* Failures are counted per recovery, not forever. */
	vascend_rsm_request(&rsm, VASCEND_RESET_CAUSE_HANG);
	vascend_rsm_begin(&rsm);
	KUNIT_EXPECT_EQ(test, vascend_rsm_end(&rsm, false), VASCEND_RSM_NEXT_RETRY);
	KUNIT_EXPECT_EQ(test, rsm.attempts, 1);
}

static void rsm_test_dead(struct kunit *test)
{
	struct vascend_rsm rsm;
	unsigned int i;

	vascend_rsm_init(&rsm);
	vascend_rsm_request(&rsm, VASCEND_RESET_CAUSE_ECC);
	for (i = 1; i < VASCEND_RSM_MAX_ATTEMPTS; i++) {
		vascend_rsm_begin(&rsm);
		KUNIT_EXPECT_EQ(test, vascend_rsm_end(&rsm, false), VASCEND_RSM_NEXT_RETRY);
	}
	vascend_rsm_begin(&rsm);
	KUNIT_EXPECT_EQ(test, vascend_rsm_end(&rsm, false), VASCEND_RSM_NEXT_DEAD);
	KUNIT_EXPECT_EQ(test, rsm.state, VASCEND_RSM_DEAD);
	KUNIT_EXPECT_EQ(test, vascend_rsm_card_state(&rsm), VASCEND_CARD_DEAD);
	KUNIT_EXPECT_FALSE(test, vascend_rsm_busy(&rsm));
	KUNIT_EXPECT_EQ(test, rsm.count, 0);
	/* Dead stays dead. */
	KUNIT_EXPECT_FALSE(test, vascend_rsm_request(&rsm, VASCEND_RESET_CAUSE_USER));
	KUNIT_EXPECT_EQ(test, vascend_rsm_begin(&rsm), VASCEND_RESET_CAUSE_NONE);
	KUNIT_EXPECT_EQ(test, vascend_rsm_end(&rsm, true), VASCEND_RSM_NEXT_DEAD);
	KUNIT_EXPECT_EQ(test, rsm.state, VASCEND_RSM_DEAD);
}

static void rsm_test_kill(struct kunit *test)
{
	struct vascend_rsm rsm;

	/* Removal during a pending recovery: waiters see a dead card. */
	vascend_rsm_init(&rsm);
	vascend_rsm_request(&rsm, VASCEND_RESET_CAUSE_USER);
	vascend_rsm_kill(&rsm);
	KUNIT_EXPECT_FALSE(test, vascend_rsm_busy(&rsm));
	KUNIT_EXPECT_EQ(test, vascend_rsm_card_state(&rsm), VASCEND_CARD_DEAD);
	KUNIT_EXPECT_EQ(test, vascend_rsm_begin(&rsm), VASCEND_RESET_CAUSE_NONE);
}

static void rsm_test_cause_names(struct kunit *test)
{
	KUNIT_EXPECT_STREQ(test, vascend_rsm_cause_name(VASCEND_RESET_CAUSE_NONE), "none");
	KUNIT_EXPECT_STREQ(test, vascend_rsm_cause_name(VASCEND_RESET_CAUSE_HANG), "hang");
	KUNIT_EXPECT_STREQ(test, vascend_rsm_cause_name(VASCEND_RESET_CAUSE_DMA), "dma");
	KUNIT_EXPECT_STREQ(test, vascend_rsm_cause_name(VASCEND_RESET_CAUSE_ECC), "ecc");
	KUNIT_EXPECT_STREQ(test, vascend_rsm_cause_name(VASCEND_RESET_CAUSE_FW_CRASH), "fw-crash");
	KUNIT_EXPECT_STREQ(test, vascend_rsm_cause_name(VASCEND_RESET_CAUSE_USER), "user");
	KUNIT_EXPECT_STREQ(test, vascend_rsm_cause_name(99), "unknown");
}

static struct kunit_case vascend_reset_sm_cases[] = {
	KUNIT_CASE(rsm_test_healthy),
	KUNIT_CASE(rsm_test_one_recovery),
	KUNIT_CASE(rsm_test_join),
	KUNIT_CASE(rsm_test_retry),
	KUNIT_CASE(rsm_test_dead),
	KUNIT_CASE(rsm_test_kill),
	KUNIT_CASE(rsm_test_cause_names),
	{}
};

static struct kunit_suite vascend_reset_sm_suite = {
	.name = "vascend_reset_sm",
	.test_cases = vascend_reset_sm_cases,
};

kunit_test_suite(vascend_reset_sm_suite);

// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suite for the argument checks of /dev/hisi_hdc
 * (vascend_hdc_check.c): every flags and reserved rule of each ioctl, the
 * message length rule of write(), the CONNECT timeout default and the
 * errno a refused CONNECT gets for each CLOSE reason.
 */

#include <kunit/test.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/string.h>

#include <uapi/vascend_hdc.h>
#include <uapi/vascend_hdc_hw.h>

#include "vascend_hdc_check.h"

/**
 * struct connect_case - one VASCEND_IOCTL_HDC_CONNECT argument
 * @name: parameter name
 * @arg: the argument
 * @err: what vascend_hdc_check_connect() returns
 */
struct connect_case {
	const char *name;
	struct vascend_hdc_connect arg;
	int err;
};

static const struct connect_case connect_cases[] = {
	{ "plain", { .dev_id = 0, .service = VASCEND_HDC_SVC_ECHO }, 0 },
	{ "timeout_set", { .service = VASCEND_HDC_SVC_LOG, .timeout_ms = 1 }, 0 },
	/* The card judges these: ENODEV, ECONNREFUSED later, not EINVAL. */
	{ "dev_id_any", { .dev_id = U32_MAX, .service = 1 }, 0 },
	{ "service_zero", { .service = 0 }, 0 },
	{ "service_unknown", { .service = 0x7fffffff }, 0 },
	{ "flags_bit0", { .service = 1, .flags = 1 }, -EINVAL },
	{ "flags_bit31", { .service = 1, .flags = 1U << 31 }, -EINVAL },
	{ "reserved0", { .service = 1, .reserved = { 1, 0 } }, -EINVAL },
	{ "reserved1_high_bit", { .service = 1, .reserved = { 0, 1ULL << 63 } },
	  -EINVAL },
};

static void connect_case_desc(const struct connect_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(connect_case, connect_cases, connect_case_desc);

static void hdc_check_connect(struct kunit *test)
{
	const struct connect_case *c = test->param_value;
	const char *why = NULL;

	KUNIT_EXPECT_EQ(test, vascend_hdc_check_connect(&c->arg, &why), c->err);
	if (c->err)
		KUNIT_EXPECT_NOT_NULL(test, why);
}

static void hdc_connect_timeout(struct kunit *test)
{
	struct vascend_hdc_connect c = {};

	KUNIT_EXPECT_EQ(test, vascend_hdc_connect_timeout(&c),
			VASCEND_HDC_CONNECT_TIMEOUT_MS);
	c.timeout_ms = 1;
	KUNIT_EXPECT_EQ(test, vascend_hdc_connect_timeout(&c), 1);
	c.timeout_ms = U32_MAX;
	KUNIT_EXPECT_EQ(test, vascend_hdc_connect_timeout(&c), U32_MAX);
}

static void hdc_check_timeout(struct kunit *test)
{
	struct vascend_hdc_timeout t = {};
	const char *why = NULL;

	KUNIT_EXPECT_EQ(test, vascend_hdc_check_timeout(&t, &why), 0);
	t.recv_ms = U32_MAX;
	t.send_ms = 1;
	KUNIT_EXPECT_EQ(test, vascend_hdc_check_timeout(&t, &why), 0);
	t.reserved[0] = 1;
	KUNIT_EXPECT_EQ(test, vascend_hdc_check_timeout(&t, &why), -EINVAL);
	KUNIT_EXPECT_NOT_NULL(test, why);
	t.reserved[0] = 0;
	t.reserved[1] = 1ULL << 32;
	KUNIT_EXPECT_EQ(test, vascend_hdc_check_timeout(&t, &why), -EINVAL);
}

static void hdc_check_msg_len(struct kunit *test)
{
	const char *why = NULL;

	KUNIT_EXPECT_EQ(test, vascend_hdc_check_msg_len(0, &why), -EINVAL);
	KUNIT_EXPECT_NOT_NULL(test, why);
	KUNIT_EXPECT_EQ(test, vascend_hdc_check_msg_len(1, &why), 0);
	KUNIT_EXPECT_EQ(test, vascend_hdc_check_msg_len(VASCEND_HDC_MAX_MSG, &why),
			0);
	KUNIT_EXPECT_EQ(test,
			vascend_hdc_check_msg_len(VASCEND_HDC_MAX_MSG + 1, &why),
			-EMSGSIZE);
	KUNIT_EXPECT_EQ(test, vascend_hdc_check_msg_len(SIZE_MAX, &why),
			-EMSGSIZE);
}

static void hdc_close_errno(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, vascend_hdc_close_errno(VASCEND_HDC_ERR_NO_SERVICE),
			-ECONNREFUSED);
	KUNIT_EXPECT_EQ(test, vascend_hdc_close_errno(VASCEND_HDC_ERR_TOO_MANY),
			-ECONNREFUSED);
	KUNIT_EXPECT_EQ(test, vascend_hdc_close_errno(VASCEND_HDC_ERR_SERVICE),
			-ECONNREFUSED);
	KUNIT_EXPECT_EQ(test, vascend_hdc_close_errno(VASCEND_HDC_ERR_RESET), -EIO);
	KUNIT_EXPECT_EQ(test, vascend_hdc_close_errno(VASCEND_HDC_ERR_PROTOCOL),
			-EIO);
	KUNIT_EXPECT_EQ(test, vascend_hdc_close_errno(VASCEND_HDC_ERR_SESSION),
			-EIO);
	KUNIT_EXPECT_EQ(test, vascend_hdc_close_errno(VASCEND_HDC_CLOSE_NORMAL),
			-EIO);
	KUNIT_EXPECT_EQ(test, vascend_hdc_close_errno(12345), -EIO);
}

static struct kunit_case vascend_hdc_check_cases[] = {
	KUNIT_CASE_PARAM(hdc_check_connect, connect_case_gen_params),
	KUNIT_CASE(hdc_connect_timeout),
	KUNIT_CASE(hdc_check_timeout),
	KUNIT_CASE(hdc_check_msg_len),
	KUNIT_CASE(hdc_close_errno),
	{}
};

static struct kunit_suite vascend_hdc_check_suite = {
	.name = "vascend_hdc_check",
	.test_cases = vascend_hdc_check_cases,
};

kunit_test_suite(vascend_hdc_check_suite);

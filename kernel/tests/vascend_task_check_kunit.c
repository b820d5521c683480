// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suite for the stream ioctl argument checks and the task checks
 * (vascend_task_check.c): one valid example of each task type and of each
 * edge that must pass, then every rule broken alone, one parameter each,
 * reported as itself; the SQE a task becomes; every ioctl struct's rules.
 */

#include <kunit/test.h>

#include <uapi/vascend_davinci.h>
#include <uapi/vascend_queue_hw.h>

#include "vascend_task_check.h"

#define MIB		BIT_ULL(20)
#define VA		0x100000ULL

static const struct vascend_check_limits lim = {
	.aicore_count = 8,
	.max_depth = 4096,
};

struct task_case {
	const char *name;
	struct vascend_task task;
	int err;
};

#define NOP_T		{ .type = VASCEND_TASK_NOP }
#define MEMCPY_T(d, s, l) \
	{ .type = VASCEND_TASK_MEMCPY, .u.memcpy = { .src = (s), .dst = (d), .len = (l) } }
#define MEMSET_T(d, l, v) \
	{ .type = VASCEND_TASK_MEMSET, .u.memset = { .dst = (d), .len = (l), .value = (v) } }
#define EVENT_T(t, a) \
	{ .type = VASCEND_TASK_##t, .u.event = { .addr = (a), .value = 7 } }
#define LAUNCH_T(sz, bd) \
	{ .type = VASCEND_TASK_KERNEL_LAUNCH, \
	  .u.launch = { .desc = VA, .desc_size = (sz), .block_dim = (bd), .op_id = 1 } }
#define MODEL_T(m, sz, b, in, out, bd) \
	{ .type = VASCEND_TASK_MODEL_EXECUTE, \
	  .u.model = { .model = (m), .model_size = (sz), .bindings = (b), \
		       .num_inputs = (in), .num_outputs = (out), .block_dim = (bd) } }

/* Tasks that must pass, edges included. */
static const struct task_case task_valid[] = {
	{ "nop", NOP_T, 0 },
	{ "nop irq_now", { .type = VASCEND_TASK_NOP, .flags = VASCEND_TASK_F_IRQ_NOW }, 0 },
	{ "memcpy", MEMCPY_T(VA, 2 * VA, 4096), 0 },
	{ "memcpy 64 MiB", MEMCPY_T(VA, VA + 64 * MIB, 64 * MIB), 0 },
	{ "memcpy adjacent below", MEMCPY_T(VA, VA + 4096, 4096), 0 },
	{ "memcpy adjacent above", MEMCPY_T(VA + 4096, VA, 4096), 0 },
	{ "memcpy ending at 2^48", MEMCPY_T(BIT_ULL(48) - 16, VA, 16), 0 },
	{ "memset", MEMSET_T(VA, 1, 0), 0 },
	{ "memset value 0xff", MEMSET_T(VA, 64 * MIB, 0xff), 0 },
	{ "event record", EVENT_T(EVENT_RECORD, VA + 16), 0 },
	{ "event record last slot", EVENT_T(EVENT_RECORD, BIT_ULL(48) - 16), 0 },
	{ "event wait", EVENT_T(EVENT_WAIT, VA + 8), 0 },
	{ "notify", EVENT_T(NOTIFY, VA + 8), 0 },
	{ "launch", LAUNCH_T(64, 0), 0 },
	{ "launch 1 MiB descriptor", LAUNCH_T(1 << 20, 1), 0 },
	{ "launch 64 blocks per core", LAUNCH_T(64, 8 * 64), 0 },
	{ "model", MODEL_T(VA, 4096, 2 * VA, 1, 1, 0), 0 },
	{ "model 256-byte image", MODEL_T(VA, 256, 2 * VA + 8, 0, 1, 8), 0 },
	{ "model 1 GiB image", MODEL_T(VA, BIT_ULL(30), 8, 4096, 4096, 1), 0 },
	{ "model bindings ending at 2^48",
	  MODEL_T(VA, 4096, BIT_ULL(48) - 3 * 16, 1, 1, 0), 0 },
};

/* Each rule broken alone. */
static const struct task_case task_rules[] = {
	{ "type 8", { .type = 8 }, VASCEND_CHECK_TYPE },
	{ "type 0xff", { .type = 0xff }, VASCEND_CHECK_TYPE },
	{ "admin opcode as type", { .type = VASCEND_ADMIN_IDENTIFY }, VASCEND_CHECK_TYPE },
	{ "flag bit 1", { .type = VASCEND_TASK_NOP, .flags = 2 }, VASCEND_CHECK_FLAGS },
	{ "flag bit 7", { .type = VASCEND_TASK_MEMSET, .flags = 0x80 }, VASCEND_CHECK_FLAGS },
	{ "rsvd0", { .type = VASCEND_TASK_NOP, .rsvd0 = 1 }, VASCEND_CHECK_RSVD },
	{ "rsvd1", { .type = VASCEND_TASK_NOP, .rsvd1 = 0x80000000 }, VASCEND_CHECK_RSVD },
	{ "nop word 0", { .type = VASCEND_TASK_NOP, .u.raw[0] = 1 }, VASCEND_CHECK_UNUSED },
	{ "nop word 6", { .type = VASCEND_TASK_NOP, .u.raw[6] = 1 }, VASCEND_CHECK_UNUSED },
	{ "memcpy word 3",
	  { .type = VASCEND_TASK_MEMCPY, .u.raw = { VA, 2 * VA, 16, 1 } }, VASCEND_CHECK_UNUSED },
	{ "memcpy len 0", MEMCPY_T(VA, 2 * VA, 0), VASCEND_CHECK_LEN },
	{ "memcpy len 64 MiB + 1", MEMCPY_T(VA, VA + 128 * MIB, 64 * MIB + 1), VASCEND_CHECK_LEN },
	{ "memcpy len ~0", MEMCPY_T(VA, 2 * VA, ~0ULL), VASCEND_CHECK_LEN },
	{ "memcpy dst past 2^48", MEMCPY_T(BIT_ULL(48) - 8, VA, 16), VASCEND_CHECK_RANGE },
	{ "memcpy src wraps", MEMCPY_T(VA, ~0ULL - 4, 16), VASCEND_CHECK_RANGE },
	{ "memcpy overlap", MEMCPY_T(VA, VA + 8, 16), VASCEND_CHECK_OVERLAP },
	{ "memcpy same range", MEMCPY_T(VA, VA, 16), VASCEND_CHECK_OVERLAP },
	{ "memcpy overlap below", MEMCPY_T(VA + 8, VA, 16), VASCEND_CHECK_OVERLAP },
	{ "memset len 0", MEMSET_T(VA, 0, 1), VASCEND_CHECK_LEN },
	{ "memset len 64 MiB + 1", MEMSET_T(VA, 64 * MIB + 1, 1), VASCEND_CHECK_LEN },
	{ "memset past 2^48", MEMSET_T(BIT_ULL(48) - 1, 2, 1), VASCEND_CHECK_RANGE },
	{ "memset value 0x100", MEMSET_T(VA, 16, 0x100), VASCEND_CHECK_VALUE },
	{ "memset rsvd",
	  { .type = VASCEND_TASK_MEMSET, .u.memset = { .dst = VA, .len = 1, .rsvd = 1 } },
	  VASCEND_CHECK_RSVD },
	{ "memset word 3",
	  { .type = VASCEND_TASK_MEMSET, .u.raw = { VA, 16, 0, 1 } }, VASCEND_CHECK_UNUSED },
	{ "event record 8-aligned", EVENT_T(EVENT_RECORD, VA + 8), VASCEND_CHECK_ALIGN },
	{ "event record at 2^48", EVENT_T(EVENT_RECORD, BIT_ULL(48)), VASCEND_CHECK_RANGE },
	{ "event wait 4-aligned", EVENT_T(EVENT_WAIT, VA + 4), VASCEND_CHECK_ALIGN },
	{ "event wait word 2",
	  { .type = VASCEND_TASK_EVENT_WAIT, .u.raw = { VA, 1, 1 } }, VASCEND_CHECK_UNUSED },
	{ "notify odd address", EVENT_T(NOTIFY, VA + 1), VASCEND_CHECK_ALIGN },
	{ "notify past 2^48", EVENT_T(NOTIFY, BIT_ULL(48) - 4), VASCEND_CHECK_ALIGN },
	{ "notify at 2^48", EVENT_T(NOTIFY, BIT_ULL(48)), VASCEND_CHECK_RANGE },
	{ "notify word 6",
	  { .type = VASCEND_TASK_NOTIFY, .u.raw = { VA, 1, 0, 0, 0, 0, 1 } },
	  VASCEND_CHECK_UNUSED },
	{ "launch 63-byte descriptor", LAUNCH_T(63, 1), VASCEND_CHECK_DESC_SIZE },
	{ "launch 0-byte descriptor", LAUNCH_T(0, 1), VASCEND_CHECK_DESC_SIZE },
	{ "launch 1 MiB + 1 descriptor", LAUNCH_T((1 << 20) + 1, 1), VASCEND_CHECK_DESC_SIZE },
	{ "launch block_dim 513", LAUNCH_T(64, 8 * 64 + 1), VASCEND_CHECK_BLOCK_DIM },
	{ "launch block_dim ~0", LAUNCH_T(64, ~0U), VASCEND_CHECK_BLOCK_DIM },
	{ "launch rsvd",
	  { .type = VASCEND_TASK_KERNEL_LAUNCH,
	    .u.launch = { .desc = VA, .desc_size = 64, .rsvd = 1 } }, VASCEND_CHECK_RSVD },
	{ "launch word 3",
	  { .type = VASCEND_TASK_KERNEL_LAUNCH, .u.raw = { VA, 64, 1, 1 } },
	  VASCEND_CHECK_UNUSED },
	{ "launch descriptor past 2^48",
	  { .type = VASCEND_TASK_KERNEL_LAUNCH,
	    .u.launch = { .desc = BIT_ULL(48) - 32, .desc_size = 64 } }, VASCEND_CHECK_RANGE },
	{ "model image 255 bytes", MODEL_T(VA, 255, 2 * VA, 1, 1, 0), VASCEND_CHECK_MODEL_SIZE },
	{ "model image 0 bytes", MODEL_T(VA, 0, 2 * VA, 1, 1, 0), VASCEND_CHECK_MODEL_SIZE },
	{ "model image 1 GiB + 1", MODEL_T(VA, BIT_ULL(30) + 1, 2 * VA, 1, 1, 0),
	  VASCEND_CHECK_MODEL_SIZE },
	{ "model image 32-aligned", MODEL_T(VA + 32, 4096, 2 * VA, 1, 1, 0), VASCEND_CHECK_ALIGN },
	{ "model bindings 4-aligned", MODEL_T(VA, 4096, 2 * VA + 4, 1, 1, 0),
	  VASCEND_CHECK_ALIGN },
	{ "model no output", MODEL_T(VA, 4096, 2 * VA, 1, 0, 0), VASCEND_CHECK_MODEL_IO },
	{ "model 4097 outputs", MODEL_T(VA, 4096, 2 * VA, 1, 4097, 0), VASCEND_CHECK_MODEL_IO },
	{ "model 4097 inputs", MODEL_T(VA, 4096, 2 * VA, 4097, 1, 0), VASCEND_CHECK_MODEL_IO },
	{ "model image past 2^48", MODEL_T(BIT_ULL(48) - 4096, 8192, 2 * VA, 1, 1, 0),
	  VASCEND_CHECK_RANGE },
	{ "model bindings past 2^48", MODEL_T(VA, 4096, BIT_ULL(48) - 32, 1, 1, 0),
	  VASCEND_CHECK_RANGE },
	{ "model block_dim 9", MODEL_T(VA, 4096, 2 * VA, 1, 1, 9), VASCEND_CHECK_BLOCK_DIM },
	{ "model flags",
	  { .type = VASCEND_TASK_MODEL_EXECUTE,
	    .u.model = { .model = VA, .model_size = 4096, .bindings = 2 * VA,
			 .num_outputs = 1, .flags = 1 } }, VASCEND_CHECK_FLAGS },
	{ "model rsvd",
	  { .type = VASCEND_TASK_MODEL_EXECUTE,
	    .u.model = { .model = VA, .model_size = 4096, .bindings = 2 * VA,
			 .num_outputs = 1, .rsvd = 1 } }, VASCEND_CHECK_RSVD },
	{ "model word 5",
	  { .type = VASCEND_TASK_MODEL_EXECUTE,
	    .u.raw = { VA, 4096, 2 * VA, 1ULL << 16, 0, 1 } }, VASCEND_CHECK_UNUSED },
};

static void task_case_desc(const struct task_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(task_valid, task_valid, task_case_desc);
KUNIT_ARRAY_PARAM(task_rules, task_rules, task_case_desc);

static void task_check_test_valid(struct kunit *test)
{
	const struct task_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, vascend_check_task(&c->task, &lim), VASCEND_CHECK_OK);
}

static void task_check_test_rule(struct kunit *test)
{
	const struct task_case *c = test->param_value;

	KUNIT_EXPECT_STREQ(test, vascend_check_err_name(vascend_check_task(&c->task, &lim)),
			   vascend_check_err_name(c->err));
}

/* block_dim scales with the card's AI Cores. */
static void task_check_test_block_dim_limit(struct kunit *test)
{
	struct vascend_check_limits one = { .aicore_count = 1, .max_depth = 4096 };
	struct vascend_task t = LAUNCH_T(64, 64);

	KUNIT_EXPECT_EQ(test, vascend_check_task(&t, &one), VASCEND_CHECK_OK);
	t.u.launch.block_dim = 65;
	KUNIT_EXPECT_EQ(test, vascend_check_task(&t, &one), VASCEND_CHECK_BLOCK_DIM);
}

/* A model's block_dim is a number of AI Cores, and its task becomes opcode 7. */
static void task_check_test_model(struct kunit *test)
{
	struct vascend_check_limits one = { .aicore_count = 1, .max_depth = 4096 };
	struct vascend_task t = MODEL_T(VA, 4096, 2 * VA, 3, 2, 1);
	struct vascend_sqe sqe;

	KUNIT_EXPECT_EQ(test, vascend_check_task(&t, &one), VASCEND_CHECK_OK);
	t.u.model.block_dim = 2;
	KUNIT_EXPECT_EQ(test, vascend_check_task(&t, &one), VASCEND_CHECK_BLOCK_DIM);
	t.u.model.block_dim = 1;
	vascend_task_to_sqe(&t, 5, &sqe);
	KUNIT_EXPECT_EQ(test, sqe.opcode, VASCEND_OP_MODEL_EXECUTE);
	KUNIT_EXPECT_EQ(test, sqe.u.model.model, VA);
	KUNIT_EXPECT_EQ(test, sqe.u.model.model_size, 4096);
	KUNIT_EXPECT_EQ(test, sqe.u.model.bindings, 2 * VA);
	KUNIT_EXPECT_EQ(test, sqe.u.model.num_inputs, 3);
	KUNIT_EXPECT_EQ(test, sqe.u.model.num_outputs, 2);
	KUNIT_EXPECT_EQ(test, sqe.u.model.block_dim, 1);
	KUNIT_EXPECT_EQ(test, sqe.u.raw[5], 0);
}

static void task_check_test_to_sqe(struct kunit *test)
{
	struct vascend_task t = MEMSET_T(VA, 4096, 0x5a);
	struct vascend_sqe sqe;

	t.flags = VASCEND_TASK_F_IRQ_NOW;
	memset(&sqe, 0xff, sizeof(sqe));
	vascend_task_to_sqe(&t, 0xdeadbeef, &sqe);
	KUNIT_EXPECT_EQ(test, sqe.opcode, VASCEND_OP_MEMSET);
	KUNIT_EXPECT_EQ(test, sqe.flags, VASCEND_SQE_F_IRQ_NOW);
	KUNIT_EXPECT_EQ(test, sqe.rsvd0, 0);
	KUNIT_EXPECT_EQ(test, sqe.task_id, 0xdeadbeef);
	KUNIT_EXPECT_EQ(test, sqe.u.memset.dst, VA);
	KUNIT_EXPECT_EQ(test, sqe.u.memset.len, 4096);
	KUNIT_EXPECT_EQ(test, sqe.u.memset.value, 0x5a);
	KUNIT_EXPECT_EQ(test, sqe.u.memset.rsvd, 0);
	KUNIT_EXPECT_EQ(test, sqe.u.raw[3], 0);
	KUNIT_EXPECT_EQ(test, sqe.u.raw[6], 0);
}

static void task_check_test_stream_create(struct kunit *test)
{
	struct vascend_check_limits small = { .aicore_count = 1, .max_depth = 64 };
	struct vascend_stream_create c = {};

	KUNIT_EXPECT_EQ(test, vascend_check_stream_create(&c, &lim), VASCEND_CHECK_OK);
	c.stream_id = 99;	/* output only */
	KUNIT_EXPECT_EQ(test, vascend_check_stream_create(&c, &lim), VASCEND_CHECK_OK);
	c.depth = 2;
	KUNIT_EXPECT_EQ(test, vascend_check_stream_create(&c, &lim), VASCEND_CHECK_OK);
	c.depth = VASCEND_STREAM_MAX_DEPTH;
	KUNIT_EXPECT_EQ(test, vascend_check_stream_create(&c, &lim), VASCEND_CHECK_OK);
	KUNIT_EXPECT_EQ(test, vascend_check_stream_create(&c, &small), VASCEND_CHECK_DEPTH);
	c.depth = 1;
	KUNIT_EXPECT_EQ(test, vascend_check_stream_create(&c, &lim), VASCEND_CHECK_DEPTH);
	c.depth = 3;
	KUNIT_EXPECT_EQ(test, vascend_check_stream_create(&c, &lim), VASCEND_CHECK_DEPTH);
	c.depth = 2 * VASCEND_STREAM_MAX_DEPTH;
	KUNIT_EXPECT_EQ(test, vascend_check_stream_create(&c, &lim), VASCEND_CHECK_DEPTH);
	c = (struct vascend_stream_create){ .flags = 1 };
	KUNIT_EXPECT_EQ(test, vascend_check_stream_create(&c, &lim), VASCEND_CHECK_FLAGS);
	c = (struct vascend_stream_create){ .pad = 1 };
	KUNIT_EXPECT_EQ(test, vascend_check_stream_create(&c, &lim), VASCEND_CHECK_RSVD);
	c = (struct vascend_stream_create){ .reserved[1] = 1 };
	KUNIT_EXPECT_EQ(test, vascend_check_stream_create(&c, &lim), VASCEND_CHECK_RSVD);
}

static void task_check_test_stream_ref(struct kunit *test)
{
	struct vascend_stream_ref r = { .stream_id = 1 };

	KUNIT_EXPECT_EQ(test, vascend_check_stream_ref(&r), VASCEND_CHECK_OK);
	r.flags = 1;
	KUNIT_EXPECT_EQ(test, vascend_check_stream_ref(&r), VASCEND_CHECK_FLAGS);
	r = (struct vascend_stream_ref){ .reserved[0] = 1 };
	KUNIT_EXPECT_EQ(test, vascend_check_stream_ref(&r), VASCEND_CHECK_RSVD);
}

static void task_check_test_submit(struct kunit *test)
{
	struct vascend_submit ok = { .stream_id = 1, .count = 1, .tasks = 0x1000 };
	struct vascend_submit s;

	KUNIT_EXPECT_EQ(test, vascend_check_submit(&ok), VASCEND_CHECK_OK);
	s = ok;
	s.count = VASCEND_SUBMIT_MAX;
	s.flags = VASCEND_SUBMIT_F_NONBLOCK;
	s.seq = ~0ULL;	/* output only */
	KUNIT_EXPECT_EQ(test, vascend_check_submit(&s), VASCEND_CHECK_OK);
	s = ok;
	s.count = 0;
	KUNIT_EXPECT_EQ(test, vascend_check_submit(&s), VASCEND_CHECK_COUNT);
	s.count = VASCEND_SUBMIT_MAX + 1;
	KUNIT_EXPECT_EQ(test, vascend_check_submit(&s), VASCEND_CHECK_COUNT);
	s = ok;
	s.flags = 2;
	KUNIT_EXPECT_EQ(test, vascend_check_submit(&s), VASCEND_CHECK_FLAGS);
	s = ok;
	s.pad = 1;
	KUNIT_EXPECT_EQ(test, vascend_check_submit(&s), VASCEND_CHECK_RSVD);
	s = ok;
	s.reserved[1] = 1;
	KUNIT_EXPECT_EQ(test, vascend_check_submit(&s), VASCEND_CHECK_RSVD);
}

static void task_check_test_uring(struct kunit *test)
{
	struct vascend_uring_submit u = { .stream_id = 1, .count = 32 };

	KUNIT_EXPECT_EQ(test, vascend_check_uring_submit(&u), VASCEND_CHECK_OK);
	u.count = 0;
	KUNIT_EXPECT_EQ(test, vascend_check_uring_submit(&u), VASCEND_CHECK_COUNT);
	u.count = VASCEND_SUBMIT_MAX + 1;
	KUNIT_EXPECT_EQ(test, vascend_check_uring_submit(&u), VASCEND_CHECK_COUNT);
}

static void task_check_test_wait(struct kunit *test)
{
	struct vascend_wait w = { .stream_id = 1, .timeout_ms = VASCEND_WAIT_FOREVER };

	KUNIT_EXPECT_EQ(test, vascend_check_wait(&w), VASCEND_CHECK_OK);
	/* The out fields are not looked at. */
	w.completed = ~0ULL;
	w.status = ~0U;
	w.err_seq = ~0ULL;
	w.end_ts = ~0ULL;
	KUNIT_EXPECT_EQ(test, vascend_check_wait(&w), VASCEND_CHECK_OK);
	w.reserved[1] = 1;
	KUNIT_EXPECT_EQ(test, vascend_check_wait(&w), VASCEND_CHECK_RSVD);
}

static void task_check_test_eventfd(struct kunit *test)
{
	struct vascend_stream_eventfd e = { .stream_id = 1, .fd = 3 };

	KUNIT_EXPECT_EQ(test, vascend_check_eventfd(&e), VASCEND_CHECK_OK);
	e.fd = -1;
	KUNIT_EXPECT_EQ(test, vascend_check_eventfd(&e), VASCEND_CHECK_OK);
	e.fd = -2;
	KUNIT_EXPECT_EQ(test, vascend_check_eventfd(&e), VASCEND_CHECK_FD);
	e = (struct vascend_stream_eventfd){ .fd = 3, .reserved[0] = 1 };
	KUNIT_EXPECT_EQ(test, vascend_check_eventfd(&e), VASCEND_CHECK_RSVD);
}

static void task_check_test_names(struct kunit *test)
{
	int err;

	for (err = VASCEND_CHECK_OK; err <= VASCEND_CHECK_MODEL_IO; err++)
		KUNIT_EXPECT_STRNEQ(test, vascend_check_err_name(err), "unknown rule");
	KUNIT_EXPECT_STREQ(test, vascend_check_err_name(VASCEND_CHECK_MODEL_IO + 1),
			   "unknown rule");
	KUNIT_EXPECT_STREQ(test, vascend_check_err_name(-1), "unknown rule");
}

static struct kunit_case vascend_task_check_cases[] = {
	KUNIT_CASE_PARAM(task_check_test_valid, task_valid_gen_params),
	KUNIT_CASE_PARAM(task_check_test_rule, task_rules_gen_params),
	KUNIT_CASE(task_check_test_block_dim_limit),
	KUNIT_CASE(task_check_test_model),
	KUNIT_CASE(task_check_test_to_sqe),
	KUNIT_CASE(task_check_test_stream_create),
	KUNIT_CASE(task_check_test_stream_ref),
	KUNIT_CASE(task_check_test_submit),
	KUNIT_CASE(task_check_test_uring),
	KUNIT_CASE(task_check_test_wait),
	KUNIT_CASE(task_check_test_eventfd),
	KUNIT_CASE(task_check_test_names),
	{}
};

static struct kunit_suite vascend_task_check_suite = {
	.name = "vascend_task_check",
	.test_cases = vascend_task_check_cases,
};

kunit_test_suite(vascend_task_check_suite);

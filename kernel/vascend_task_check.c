// SPDX-License-Identifier: GPL-2.0-only
/*
 * Argument checks of the stream ioctls and of every task type (see
 * vascend_task_check.h). The device checks the same tasks again; the driver
 * checks first so that a bad task is an EINVAL for the caller, before
 * anything is queued, rather than a stopped stream.
 */

#include <linux/kernel.h>
#include <linux/log2.h>
#include <linux/overflow.h>
#include <linux/string.h>

#include "vascend_ring.h"
#include "vascend_task_check.h"

/* Argument words (u64) each task type uses; the others must be zero. */
static const u8 vascend_task_words[] = {
	[VASCEND_TASK_NOP] = 0,
	[VASCEND_TASK_MEMCPY] = 3,		/* src, dst, len */
	[VASCEND_TASK_MEMSET] = 3,		/* dst, len, value + rsvd */
	[VASCEND_TASK_EVENT_RECORD] = 2,	/* addr, value */
	[VASCEND_TASK_EVENT_WAIT] = 2,
	[VASCEND_TASK_NOTIFY] = 2,
	[VASCEND_TASK_KERNEL_LAUNCH] = 3,	/* desc, size + blocks, op + rsvd */
	/* model, size, bindings, counts + blocks, flags + rsvd */
	[VASCEND_TASK_MODEL_EXECUTE] = 5,
};

#define VASCEND_TASK_WORDS	ARRAY_SIZE(((struct vascend_task *)0)->u.raw)

/* [addr, addr + len) lies inside the device's VA space, without wrapping. */
static bool vascend_va_range_ok(u64 addr, u64 len)
{
	u64 end;

	return !check_add_overflow(addr, len, &end) &&
	       end <= VASCEND_TASK_VA_LIMIT;
}

static int vascend_check_xfer_len(u64 len)
{
	if (!len || len > VASCEND_MAX_XFER_LEN)
		return VASCEND_CHECK_LEN;
	return VASCEND_CHECK_OK;
}

static int vascend_check_memcpy(const struct vascend_task *task)
{
	u64 src = task->u.memcpy.src, dst = task->u.memcpy.dst;
	u64 len = task->u.memcpy.len;
	int err;

	err = vascend_check_xfer_len(len);
	if (err)
		return err;
	if (!vascend_va_range_ok(src, len) || !vascend_va_range_ok(dst, len))
		return VASCEND_CHECK_RANGE;
	/* Both ranges are below 2^48, so the sums cannot wrap. */
	if (src < dst + len && dst < src + len)
		return VASCEND_CHECK_OVERLAP;
	return VASCEND_CHECK_OK;
}

static int vascend_check_memset(const struct vascend_task *task)
{
	int err;

	err = vascend_check_xfer_len(task->u.memset.len);
	if (err)
		return err;
	if (!vascend_va_range_ok(task->u.memset.dst, task->u.memset.len))
		return VASCEND_CHECK_RANGE;
	if (task->u.memset.value > 0xff)
		return VASCEND_CHECK_VALUE;
	if (task->u.memset.rsvd)
		return VASCEND_CHECK_RSVD;
	return VASCEND_CHECK_OK;
}

/* EVENT_RECORD writes a 16-byte slot, EVENT_WAIT and NOTIFY one u64. */
static int vascend_check_event(const struct vascend_task *task, u64 size)
{
	if (!IS_ALIGNED(task->u.event.addr, size))
		return VASCEND_CHECK_ALIGN;
	if (!vascend_va_range_ok(task->u.event.addr, size))
		return VASCEND_CHECK_RANGE;
	return VASCEND_CHECK_OK;
}

static int vascend_check_launch(const struct vascend_task *task,
				const struct vascend_check_limits *lim)
{
	u32 size = task->u.launch.desc_size;

	if (size < VASCEND_TASK_DESC_MIN || size > VASCEND_TASK_DESC_MAX)
		return VASCEND_CHECK_DESC_SIZE;
	if (!vascend_va_range_ok(task->u.launch.desc, size))
		return VASCEND_CHECK_RANGE;
	if (task->u.launch.block_dim >
	    (u64)lim->aicore_count * VASCEND_TASK_BLOCKS_PER_CORE)
		return VASCEND_CHECK_BLOCK_DIM;
	if (task->u.launch.rsvd)
		return VASCEND_CHECK_RSVD;
	return VASCEND_CHECK_OK;
}

static int vascend_check_model(const struct vascend_task *task,
			       const struct vascend_check_limits *lim)
{
	u64 size = task->u.model.model_size;
	u32 nin = task->u.model.num_inputs, nout = task->u.model.num_outputs;

	if (size < VASCEND_MODEL_MIN_SIZE || size > VASCEND_MODEL_MAX_SIZE)
		return VASCEND_CHECK_MODEL_SIZE;
	if (!IS_ALIGNED(task->u.model.model, VASCEND_TASK_MODEL_ALIGN) ||
	    !IS_ALIGNED(task->u.model.bindings, VASCEND_TASK_BINDING_ALIGN))
		return VASCEND_CHECK_ALIGN;
	if (!nout || nout > VASCEND_MODEL_MAX_IO || nin > VASCEND_MODEL_MAX_IO)
		return VASCEND_CHECK_MODEL_IO;
	/* Inputs, outputs and the workspace: at most 8193 bindings. */
	if (!vascend_va_range_ok(task->u.model.model, size) ||
	    !vascend_va_range_ok(task->u.model.bindings,
				 (u64)(nin + nout + 1) *
				 sizeof(struct vascend_model_binding)))
		return VASCEND_CHECK_RANGE;
	if (task->u.model.block_dim > lim->aicore_count)
		return VASCEND_CHECK_BLOCK_DIM;
	if (task->u.model.flags)
		return VASCEND_CHECK_FLAGS;
	if (task->u.model.rsvd)
		return VASCEND_CHECK_RSVD;
	return VASCEND_CHECK_OK;
}

/**
 * vascend_check_task() - check one task as userspace submitted it
 * @task: the task, copied from user memory
 * @lim: the card's limits
 *
 * Checks, in order: the type, the flags, rsvd0/rsvd1, the argument words the
 * type does not use, then the type's own rules.
 *
 * Return: VASCEND_CHECK_OK, or the VASCEND_CHECK_* rule that failed.
 */
int vascend_check_task(const struct vascend_task *task,
		       const struct vascend_check_limits *lim)
{
	unsigned int i;

	if (task->type >= ARRAY_SIZE(vascend_task_words))
		return VASCEND_CHECK_TYPE;
	if (task->flags & ~VASCEND_TASK_F_IRQ_NOW)
		return VASCEND_CHECK_FLAGS;
	if (task->rsvd0 || task->rsvd1)
		return VASCEND_CHECK_RSVD;
	for (i = vascend_task_words[task->type]; i < VASCEND_TASK_WORDS; i++) {
		if (task->u.raw[i])
			return VASCEND_CHECK_UNUSED;
	}

	switch (task->type) {
	case VASCEND_TASK_MEMCPY:
		return vascend_check_memcpy(task);
	case VASCEND_TASK_MEMSET:
		return vascend_check_memset(task);
	case VASCEND_TASK_EVENT_RECORD:
		return vascend_check_event(task, sizeof(struct vascend_event_slot));
	case VASCEND_TASK_EVENT_WAIT:
	case VASCEND_TASK_NOTIFY:
		return vascend_check_event(task, sizeof(u64));
	case VASCEND_TASK_KERNEL_LAUNCH:
		return vascend_check_launch(task, lim);
	case VASCEND_TASK_MODEL_EXECUTE:
		return vascend_check_model(task, lim);
	default:
		return VASCEND_CHECK_OK;
	}
}

/**
 * vascend_task_to_sqe() - the SQE the device runs for a checked task
 * @task: a task vascend_check_task() accepted
 * @task_id: echoed in the CQE
 * @sqe: filled completely
 *
 * The task's layout is the SQE's for the same opcode (vascend_davinci.h):
 * the arguments are copied as they are.
 */
void vascend_task_to_sqe(const struct vascend_task *task, u32 task_id,
			 struct vascend_sqe *sqe)
{
	static_assert(sizeof(task->u) == sizeof(sqe->u));
	static_assert(VASCEND_TASK_F_IRQ_NOW == VASCEND_SQE_F_IRQ_NOW);
	static_assert(VASCEND_TASK_KERNEL_LAUNCH == VASCEND_OP_KERNEL_LAUNCH);
	static_assert(VASCEND_TASK_MODEL_EXECUTE == VASCEND_OP_MODEL_EXECUTE);
	static_assert(sizeof(task->u.model) == sizeof(sqe->u.model));

	sqe->opcode = task->type;
	sqe->flags = task->flags;
	sqe->rsvd0 = 0;
	sqe->task_id = task_id;
	memcpy(&sqe->u, &task->u, sizeof(sqe->u));
}

/**
 * vascend_check_stream_create() - STREAM_CREATE's argument
 * @args: as copied in (stream_id is output only and ignored)
 * @lim: the card's limits
 *
 * Return: VASCEND_CHECK_OK or the rule that failed.
 */
int vascend_check_stream_create(const struct vascend_stream_create *args,
				const struct vascend_check_limits *lim)
{
	u32 max = min_t(u32, VASCEND_STREAM_MAX_DEPTH, lim->max_depth);

	if (args->flags)
		return VASCEND_CHECK_FLAGS;
	if (args->pad || memchr_inv(args->reserved, 0, sizeof(args->reserved)))
		return VASCEND_CHECK_RSVD;
	if (args->depth && !vascend_ring_depth_ok(args->depth, max))
		return VASCEND_CHECK_DEPTH;
	return VASCEND_CHECK_OK;
}

/**
 * vascend_check_stream_ref() - STREAM_DESTROY's and STREAM_RESET's argument
 * @args: as copied in
 *
 * Return: VASCEND_CHECK_OK or the rule that failed.
 */
int vascend_check_stream_ref(const struct vascend_stream_ref *args)
{
	if (args->flags)
		return VASCEND_CHECK_FLAGS;
	if (memchr_inv(args->reserved, 0, sizeof(args->reserved)))
		return VASCEND_CHECK_RSVD;
	return VASCEND_CHECK_OK;
}

static int vascend_check_count(u32 count)
{
	if (!count || count > VASCEND_SUBMIT_MAX)
		return VASCEND_CHECK_COUNT;
	return VASCEND_CHECK_OK;
}

/**
 * vascend_check_submit() - SUBMIT's argument (the tasks are checked apart)
 * @args: as copied in (seq is output only and ignored)
 *
 * Return: VASCEND_CHECK_OK or the rule that failed.
 */
int vascend_check_submit(const struct vascend_submit *args)
{
	if (args->flags & ~VASCEND_SUBMIT_F_NONBLOCK)
		return VASCEND_CHECK_FLAGS;
	if (args->pad || memchr_inv(args->reserved, 0, sizeof(args->reserved)))
		return VASCEND_CHECK_RSVD;
	return vascend_check_count(args->count);
}

/**
 * vascend_check_uring_submit() - an io_uring command's payload
 * @args: as copied from the SQE
 *
 * Return: VASCEND_CHECK_OK or the rule that failed.
 */
int vascend_check_uring_submit(const struct vascend_uring_submit *args)
{
	return vascend_check_count(args->count);
}

/**
 * vascend_check_wait() - WAIT's argument
 * @args: as copied in (the out fields are ignored)
 *
 * Return: VASCEND_CHECK_OK or the rule that failed.
 */
int vascend_check_wait(const struct vascend_wait *args)
{
	if (memchr_inv(args->reserved, 0, sizeof(args->reserved)))
		return VASCEND_CHECK_RSVD;
	return VASCEND_CHECK_OK;
}

/**
 * vascend_check_eventfd() - STREAM_EVENTFD's argument
 * @args: as copied in
 *
 * Return: VASCEND_CHECK_OK or the rule that failed.
 */
int vascend_check_eventfd(const struct vascend_stream_eventfd *args)
{
	if (memchr_inv(args->reserved, 0, sizeof(args->reserved)))
		return VASCEND_CHECK_RSVD;
	if (args->fd < -1)
		return VASCEND_CHECK_FD;
	return VASCEND_CHECK_OK;
}

/**
 * vascend_check_err_name() - a rule as debug lines name it
 * @err: VASCEND_CHECK_*
 *
 * Return: a static string.
 */
const char *vascend_check_err_name(int err)
{
	static const char * const names[] = {
		[VASCEND_CHECK_OK] = "ok",
		[VASCEND_CHECK_TYPE] = "unknown task type",
		[VASCEND_CHECK_FLAGS] = "undefined flags",
		[VASCEND_CHECK_RSVD] = "reserved field not zero",
		[VASCEND_CHECK_UNUSED] = "unused argument word not zero",
		[VASCEND_CHECK_LEN] = "length 0 or above 64 MiB",
		[VASCEND_CHECK_RANGE] = "address range outside the 48-bit VA space",
		[VASCEND_CHECK_OVERLAP] = "source and destination overlap",
		[VASCEND_CHECK_VALUE] = "memset value above 0xff",
		[VASCEND_CHECK_ALIGN] = "misaligned event address",
		[VASCEND_CHECK_DESC_SIZE] = "descriptor size outside 64..1 MiB",
		[VASCEND_CHECK_BLOCK_DIM] = "block_dim above 64 per core (model: above the cores)",
		[VASCEND_CHECK_DEPTH] = "depth not a power of two in 2..max",
		[VASCEND_CHECK_COUNT] = "task count outside 1..256",
		[VASCEND_CHECK_FD] = "fd below -1",
		[VASCEND_CHECK_MODEL_SIZE] = "model image size outside 256 B..1 GiB",
		[VASCEND_CHECK_MODEL_IO] = "model outputs not 1..4096 or inputs above 4096",
	};

	if (err < 0 || err >= ARRAY_SIZE(names) || !names[err])
		return "unknown rule";
	return names[err];
}

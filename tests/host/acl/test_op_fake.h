/* SPDX-License-Identifier: MIT */
/*
 * The single-op and BLAS tests' card: the fake HAL's cards with the
 * operator library's op table and a KERNEL_LAUNCH executor that runs the
 * library's reference path in this process, reading the descriptor the
 * runtime wrote exactly as the device does (through the fake's address
 * translation) and answering OP_ERROR / OP_UNKNOWN with the device's
 * encoding (docs/device.md). The library is linked into the test
 * programs, never into libascendcl.
 */
#ifndef VASCEND_TESTS_ACL_TEST_OP_FAKE_H
#define VASCEND_TESTS_ACL_TEST_OP_FAKE_H

#include <math.h>
#include <string.h>

#include "acl/acl.h"
#include "acl/acl_op.h"
#include "acl_internal.h"
#include "acl_op_internal.h"
#include "acl_test.h"
#include "aop.h"
#include "hal_fake.h"
#include "vascend_op.h"
#include "vascend_queue_hw.h"

/* What the executor saw, for tests to look at. */
struct fake_exec_stats {
	unsigned int launches;
	unsigned int errors;
	uint32_t last_op_id;
	uint32_t last_nattrs;
	uint32_t last_info;
	char last_msg[AOP_MSG_LEN];
};

static struct fake_exec_stats fake_stats;

static inline uint32_t fake_reason(int st)
{
	switch (st) {
	case AOP_E_OPERANDS:
		return VASCEND_OP_ERR_COUNT;
	case AOP_E_DTYPE:
		return VASCEND_OP_ERR_DTYPE;
	case AOP_E_FORMAT:
		return VASCEND_OP_ERR_FORMAT;
	case AOP_E_SHAPE:
		return VASCEND_OP_ERR_SHAPE;
	case AOP_E_ATTR:
		return VASCEND_OP_ERR_ATTR_VALUE;
	case AOP_E_SIZE:
		return VASCEND_OP_ERR_SIZE;
	case AOP_E_VALUE:
		return VASCEND_OP_ERR_VALUE;
	default:
		return VASCEND_OP_ERR_UNSUPPORTED;
	}
}

static inline uint64_t fake_bytes(const struct vascend_tensor_desc *t)
{
	uint64_t n = aop_dtype_size(t->dtype);

	for (uint32_t i = 0; i < t->ndim && i < VASCEND_OP_MAX_DIMS; i++)
		n *= (uint64_t)t->dims[i];
	return n;
}

/* The device's KERNEL_LAUNCH, reference path, one thread. */
static inline uint32_t fake_launch(void *ctx, uint32_t dev, const struct vascend_task *task, uint32_t *info,
			    uint64_t *result)
{
	struct aop_tensor in[VASCEND_OP_MAX_TENSORS], out[VASCEND_OP_MAX_TENSORS];
	struct aop_attr attrs[64];
	struct aop_ctx actx = { .threads = 1, .reference = true };
	struct aop_error err;
	const struct vascend_op_desc *h;
	const struct vascend_tensor_desc *td;
	const uint8_t *p, *end;
	uint8_t *copy;
	uint32_t nt;

	(void)ctx;
	__atomic_fetch_add(&fake_stats.launches, 1, __ATOMIC_RELAXED);	/* threads launch too */
	fake_stats.last_op_id = task->u.launch.op_id;
	if (!aop_op_by_id(task->u.launch.op_id)) {
		*result = task->u.launch.op_id;
		return VASCEND_CQE_STATUS_OP_UNKNOWN;
	}
	h = hal_fake_dev_ptr(dev, task->u.launch.desc, task->u.launch.desc_size, false);
	if (!h) {
		*result = task->u.launch.desc;
		return VASCEND_CQE_STATUS_MMU_FAULT;
	}
	/* a private copy, as the device takes */
	copy = malloc(task->u.launch.desc_size);
	memcpy(copy, h, task->u.launch.desc_size);
	h = (const struct vascend_op_desc *)copy;
	nt = h->num_inputs + h->num_outputs;
	if (h->magic != VASCEND_OP_DESC_MAGIC || h->version != VASCEND_OP_DESC_VERSION ||
	    h->header_size != sizeof(*h) || h->op_id != task->u.launch.op_id ||
	    h->total_size != task->u.launch.desc_size || nt > VASCEND_OP_MAX_TENSORS ||
	    h->attr_count > 64 || h->attr_offset != sizeof(*h) + nt * sizeof(*td)) {
		*info = VASCEND_OP_ERR_INFO(VASCEND_OP_ERR_LAYOUT, VASCEND_OP_ERR_HEADER);
		free(copy);
		return VASCEND_CQE_STATUS_OP_ERROR;
	}
	td = (const struct vascend_tensor_desc *)(h + 1);
	for (uint32_t i = 0; i < nt; i++) {
		struct aop_tensor *a = i < h->num_inputs ? &in[i] : &out[i - h->num_inputs];
		const struct vascend_tensor_desc *t = &td[i];
		uint64_t n = fake_bytes(t);

		memset(a, 0, sizeof(*a));
		if (t->dtype == VASCEND_DTYPE_UNDEFINED) {
			a->dtype = AOP_DT_NONE;
			a->format = AOP_FMT_ND;
			continue;
		}
		if (t->size < n) {
			*info = VASCEND_OP_ERR_INFO(VASCEND_OP_ERR_SIZE, i);
			free(copy);
			return VASCEND_CQE_STATUS_OP_ERROR;
		}
		a->data = n ? hal_fake_dev_ptr(dev, t->addr, n, i >= h->num_inputs) : NULL;
		if (n && !a->data) {
			*result = t->addr;
			free(copy);
			return VASCEND_CQE_STATUS_MMU_FAULT;
		}
		a->size = n;
		a->dtype = t->dtype;
		a->format = t->format;
		a->ndim = t->ndim;
		memcpy(a->dims, t->dims, sizeof(a->dims));
	}
	p = copy + h->attr_offset;
	end = copy + h->total_size;
	for (uint32_t i = 0; i < h->attr_count; i++) {
		const struct vascend_op_attr *va = (const struct vascend_op_attr *)p;
		size_t len = va->type == VASCEND_ATTR_INT ? 8u * va->count :
			     va->type == VASCEND_ATTR_FLOAT ? 4u * va->count : va->count;

		if (p + sizeof(*va) > end || p + sizeof(*va) + len > end) {
			*info = VASCEND_OP_ERR_INFO(VASCEND_OP_ERR_LAYOUT, VASCEND_OP_ERR_ATTR(i));
			free(copy);
			return VASCEND_CQE_STATUS_OP_ERROR;
		}
		attrs[i].name = va->name;
		attrs[i].type = va->type;
		attrs[i].count = va->count;
		attrs[i].data = p + sizeof(*va);
		p += sizeof(*va) + ((len + 7) & ~(size_t)7);
	}
	fake_stats.last_nattrs = h->attr_count;
	if (aop_run(&actx, h->op_id, in, h->num_inputs, out, h->num_outputs, attrs, h->attr_count, &err)) {
		uint32_t operand = VASCEND_OP_ERR_HEADER;

		if (err.operand >= AOP_OPERAND_OUT)
			operand = h->num_inputs + (uint32_t)(err.operand - AOP_OPERAND_OUT);
		else if (err.operand >= 0)
			operand = (uint32_t)err.operand;
		/* as the device: an attribute error names the attribute */
		if (err.status == AOP_E_ATTR) {
			for (uint32_t i = 0; i < h->attr_count; i++) {
				char q[64];

				snprintf(q, sizeof(q), "'%s'", attrs[i].name);
				if (strstr(err.msg, q)) {
					operand = VASCEND_OP_ERR_ATTR(i);
					break;
				}
			}
		}
		*info = VASCEND_OP_ERR_INFO(fake_reason(err.status), operand);
		__atomic_fetch_add(&fake_stats.errors, 1, __ATOMIC_RELAXED);
		fake_stats.last_info = *info;
		snprintf(fake_stats.last_msg, sizeof(fake_stats.last_msg), "%s", err.msg);
		free(copy);
		return VASCEND_CQE_STATUS_OP_ERROR;
	}
	free(copy);
	return VASCEND_CQE_STATUS_SUCCESS;
}

/* Fake card 0 (and @extra more) with the library's op table and the executor. */
static inline void fake_op_cards(uint64_t hbm)
{
	static struct vascend_op_entry table[256];
	unsigned int n = 0;

	FAKE_CARDS(hbm, 0, 1);
	for (size_t i = 0; i < aop_op_count() && n < 255; i++) {
		const struct aop_op_info *o = aop_op_at(i);

		memset(&table[n], 0, sizeof(table[n]));
		table[n].op_id = o->id;
		table[n].version = o->version;
		snprintf(table[n].name, sizeof(table[n].name), "%s", o->cann);
		n++;
	}
	/* the engine's test op, as the firmware lists it */
	memset(&table[n], 0, sizeof(table[n]));
	table[n].op_id = 1;
	table[n].version = 1;
	snprintf(table[n].name, sizeof(table[n].name), "TestVectorAdd");
	n++;
	if (hal_fake_set_op_table(table, n))
		bail_out("cannot set the fake op table");
	hal_fake_set_launch(fake_launch, NULL);
}

/* ---- tensors in device memory ---- */

struct dt {
	aclTensorDesc *desc;
	aclDataBuffer *buf;
	void *dev;
	size_t size;
};

static inline struct dt dt_new(aclDataType t, int n, const int64_t *dims, aclFormat f)
{
	struct dt d;

	d.desc = aclCreateTensorDesc(t, n, dims, f);
	d.size = aclGetTensorDescSize(d.desc);
	d.dev = NULL;
	if (aclrtMalloc(&d.dev, d.size ? d.size : 1, ACL_MEM_MALLOC_HUGE_FIRST))
		bail_out("aclrtMalloc failed");
	d.buf = aclCreateDataBuffer(d.dev, d.size);
	return d;
}

static inline struct dt dt_from(aclDataType t, int n, const int64_t *dims, aclFormat f, const void *host)
{
	struct dt d = dt_new(t, n, dims, f);

	if (d.size && aclrtMemcpy(d.dev, d.size, host, d.size, ACL_MEMCPY_HOST_TO_DEVICE))
		bail_out("aclrtMemcpy to the device failed");
	return d;
}

static inline void dt_read(const struct dt *d, void *host)
{
	if (d->size && aclrtMemcpy(host, d->size, d->dev, d->size, ACL_MEMCPY_DEVICE_TO_HOST))
		bail_out("aclrtMemcpy from the device failed");
}

static inline void dt_free(struct dt *d)
{
	aclDestroyDataBuffer(d->buf);
	aclDestroyTensorDesc(d->desc);
	aclrtFree(d->dev);
	memset(d, 0, sizeof(*d));
}

static inline int near_f(const float *got, const float *want, size_t n, float tol)
{
	for (size_t i = 0; i < n; i++) {
		if (!(fabsf(got[i] - want[i]) <= tol * (1.0f + fabsf(want[i])))) {
			printf("#   [%zu] got %g, want %g\n", i, got[i], want[i]);
			return 0;
		}
	}
	return 1;
}

#endif /* VASCEND_TESTS_ACL_TEST_OP_FAKE_H */

// SPDX-License-Identifier: MIT
/*
 * From a public op call (descriptions, buffers, attributes) to struct
 * acl_op_launch: everything the runtime can check before anything is
 * queued, so that these mistakes fail the call itself, with a message
 * naming the operand:
 *  - operand counts against CANN's op (ACL_ERROR_OP_INPUT/OUTPUT_NOT_MATCH);
 *  - data types the card has no encoding for, formats and ranks the
 *    library does not take, dynamic dims (-1, -2), buffers smaller than the
 *    shape (same codes);
 *  - buffers that are not device memory of the stream's device
 *    (ACL_ERROR_INVALID_PARAM);
 *  - attributes that cannot be encoded (ACL_ERROR_OP_ATTR_NOT_MATCH).
 * What depends on the op's semantics (which dtypes, how shapes relate,
 * attribute values) the card checks when the op runs.
 *
 * Constant inputs (aclSetTensorConst) and inputs placed in host memory
 * (aclSetTensorPlaceMent) are copied next to the descriptor
 * (acl_op_submit.c): the card reads them from there.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "acl_error.h"
#include "acl_internal.h"
#include "acl_op_internal.h"

/* Data types the card has a size for (vascend_op.h: aclDataType numbers). */
static bool dtype_known(aclDataType dt)
{
	switch (dt) {
	case ACL_FLOAT:
	case ACL_FLOAT16:
	case ACL_INT8:
	case ACL_INT32:
	case ACL_UINT8:
	case ACL_INT16:
	case ACL_UINT16:
	case ACL_UINT32:
	case ACL_INT64:
	case ACL_UINT64:
	case ACL_DOUBLE:
	case ACL_BOOL:
	case ACL_BF16:
		return true;
	default:
		return false;
	}
}

/*
 * The library's name for a layout: ND, NCHW (channels after the batch dim,
 * any rank) or NHWC (channels last). -1 for the fractal and blocked layouts
 * it does not take.
 */
static int lib_format(aclFormat f)
{
	switch (f) {
	case ACL_FORMAT_ND:
	case ACL_FORMAT_NC:
	case ACL_FORMAT_UNDEFINED:
		return ACL_FORMAT_ND;
	case ACL_FORMAT_NCHW:
	case ACL_FORMAT_NCDHW:
	case ACL_FORMAT_NCL:
		return ACL_FORMAT_NCHW;
	case ACL_FORMAT_NHWC:
	case ACL_FORMAT_NDHWC:
		return ACL_FORMAT_NHWC;
	default:
		return -1;
	}
}

static const char *side(bool in)
{
	return in ? "input" : "output";
}

static int dims_str(char *buf, size_t len, int n, const int64_t *d)
{
	int k = snprintf(buf, len, "[");

	for (int i = 0; i < n && k > 0 && (size_t)k < len; i++)
		k += snprintf(buf + k, len - (size_t)k, "%s%" PRId64, i ? "," : "", d[i]);
	if (k > 0 && (size_t)k < len)
		k += snprintf(buf + k, len - (size_t)k, "]");
	return k;
}

static aclError resolve_tensor(const char *api, int32_t dev, const char *op, bool in, int idx,
			       const aclTensorDesc *desc, const aclDataBuffer *buf, struct acl_op_tensor *t)
{
	aclError mismatch = in ? ACL_ERROR_OP_INPUT_NOT_MATCH : ACL_ERROR_OP_OUTPUT_NOT_MATCH;
	const int64_t *dims;
	int ndim = acl_tensor_desc_run_dims(desc, &dims), fmt;
	uint64_t need = aclDataTypeSize(desc->dtype);
	char shape[128];
	int32_t mdev;

	if (desc->magic != ACL_TENSOR_DESC_MAGIC)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api,
				"%s: %s %d: not an aclTensorDesc from aclCreateTensorDesc (or destroyed)",
				op, side(in), idx);
	if (buf && buf->magic != ACL_DATA_BUFFER_MAGIC)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api,
				"%s: %s %d: not an aclDataBuffer from aclCreateDataBuffer (or destroyed)",
				op, side(in), idx);
	t->inline_data = NULL;
	if (in && acl_tensor_desc_is_omitted(desc)) {
		t->omitted = true;
		t->addr = 0;
		t->size = 0;
		t->ndim = 0;
		return ACL_SUCCESS;
	}
	t->omitted = false;
	if (!dtype_known(desc->dtype))
		return acl_fail(mismatch, api, "%s: %s %d: data type %s (%d) not supported by the card",
				op, side(in), idx, acl_dtype_name(desc->dtype), (int)desc->dtype);
	fmt = lib_format(acl_tensor_desc_run_format(desc));
	if (fmt < 0)
		return acl_fail(mismatch, api,
				"%s: %s %d: format %s not supported by vascend's library (it takes ND, "
				"NCHW and NHWC)", op, side(in), idx,
				acl_format_name(acl_tensor_desc_run_format(desc)));
	if (ndim > VASCEND_OP_MAX_DIMS)
		return acl_fail(mismatch, api, "%s: %s %d: %d dims, at most %d supported", op, side(in),
				idx, ndim, VASCEND_OP_MAX_DIMS);
	for (int i = 0; i < ndim; i++) {
		if (dims[i] < 0) {
			dims_str(shape, sizeof(shape), ndim, dims);
			return acl_fail(mismatch, api,
					"%s: %s %d: shape %s has an unknown dim: pass the actual shape "
					"(dynamic shapes are resolved by the caller)", op, side(in), idx,
					shape);
		}
		if (__builtin_mul_overflow(need, (uint64_t)dims[i], &need)) {
			dims_str(shape, sizeof(shape), ndim, dims);
			return acl_fail(mismatch, api, "%s: %s %d: shape %s is too large", op, side(in),
					idx, shape);
		}
	}
	t->dtype = (uint32_t)desc->dtype;
	t->format = (uint32_t)fmt;
	t->ndim = (uint32_t)ndim;
	memcpy(t->dims, dims, (size_t)ndim * sizeof(*dims));
	t->size = need;
	t->addr = 0;

	if (in && desc->const_data) {
		/* a constant: its value travels with the descriptor */
		if (desc->const_len < need)
			goto too_small_const;
		t->inline_data = desc->const_data;
		return ACL_SUCCESS;
	}
	if (!buf)
		return ACL_SUCCESS;	/* checking descriptions only */
	if (desc->memtype != ACL_MEMTYPE_DEVICE) {
		if (!in)
			return acl_fail(ACL_ERROR_INVALID_PARAM, api,
					"%s: output %d is placed in host memory: outputs must be device "
					"memory", op, idx);
		if (need && !buf->data)
			return acl_fail(ACL_ERROR_INVALID_PARAM, api, "%s: input %d: host data is NULL",
					op, idx);
		if (buf->size < need)
			goto too_small;
		t->inline_data = buf->data;
		return ACL_SUCCESS;
	}
	if (buf->size < need)
		goto too_small;
	if (!need)
		return ACL_SUCCESS;	/* an empty tensor touches nothing */
	if (!acl_is_dev_mem(buf->data, (size_t)need, &mdev) || mdev != dev)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api,
				"%s: %s %d: %p (%" PRIu64 " bytes) is not device memory of device %d (a "
				"host buffer needs aclSetTensorPlaceMent(desc, ACL_MEMTYPE_HOST))", op,
				side(in), idx, buf->data, need, dev);
	t->addr = (uint64_t)(uintptr_t)buf->data;
	t->size = buf->size;
	return ACL_SUCCESS;
too_small:
	dims_str(shape, sizeof(shape), ndim, dims);
	return acl_fail(mismatch, api, "%s: %s %d: buffer of %zu bytes, %s %s needs %" PRIu64, op,
			side(in), idx, buf->size, acl_dtype_name(desc->dtype), shape, need);
too_small_const:
	dims_str(shape, sizeof(shape), ndim, dims);
	return acl_fail(mismatch, api, "%s: input %d: constant of %zu bytes, %s %s needs %" PRIu64, op,
			idx, desc->const_len, acl_dtype_name(desc->dtype), shape, need);
}

aclError acl_op_resolve(const char *api, int32_t dev, const char *op_type, int nin,
			const aclTensorDesc *const in_desc[], const aclDataBuffer *const inputs[], int nout,
			const aclTensorDesc *const out_desc[], const aclDataBuffer *const outputs[],
			const aclopAttr *attr, struct acl_op_launch *l)
{
	const struct acl_op_schema *s = acl_op_schema_find(op_type);
	int first = 0, lmax;
	aclError rc;

	l->schema = s;
	l->name = s ? acl_op_schema_lib(s) : op_type;
	l->op_id = 0;
	l->scratch_used = 0;
	l->nattrs = 0;
	if (s && (nin < s->min_in || nin > s->max_in))
		return acl_fail(ACL_ERROR_OP_INPUT_NOT_MATCH, api, "%s takes %u..%u inputs, got %d",
				op_type, s->min_in, s->max_in, nin);
	if (s && (nout < s->min_out || nout > s->max_out))
		return acl_fail(ACL_ERROR_OP_OUTPUT_NOT_MATCH, api, "%s takes %u..%u outputs, got %d",
				op_type, s->min_out, s->max_out, nout);
	if (nin + nout > VASCEND_OP_MAX_TENSORS || !nout)
		return acl_fail(nout ? ACL_ERROR_OP_INPUT_NOT_MATCH : ACL_ERROR_OP_OUTPUT_NOT_MATCH, api,
				"%s: %d inputs and %d outputs: the card takes 1..%d outputs and at most "
				"%d operands", op_type, nin, nout, VASCEND_OP_MAX_TENSORS - 1,
				VASCEND_OP_MAX_TENSORS);
	if (s && (s->flags & ACL_OPF_DROP_IN0))
		first = 1;	/* e.g. Conv2DTranspose's input_size: the output's shape says it */
	lmax = s ? s->lib_max_in : nin;
	l->nin = 0;
	for (int i = first; i < nin; i++) {
		struct acl_op_tensor *t = &l->in[l->nin];

		rc = resolve_tensor(api, dev, op_type, true, i, in_desc[i], inputs ? inputs[i] : NULL, t);
		if (rc)
			return rc;
		if ((int)l->nin >= lmax) {
			/* CANN-only optional inputs (quantisation offsets) must be left out */
			if (!t->omitted)
				return acl_fail(ACL_ERROR_OP_INPUT_NOT_MATCH, api,
						"%s: input %d is not supported by vascend's library "
						"(quantised weights); leave it out", op_type, i);
			continue;
		}
		l->nin++;
	}
	/* omitted optional inputs at the end are simply not passed */
	while (l->nin && l->in[l->nin - 1].omitted)
		l->nin--;
	l->nout = (uint32_t)nout;
	for (int i = 0; i < nout; i++) {
		rc = resolve_tensor(api, dev, op_type, false, i, out_desc[i], outputs ? outputs[i] : NULL,
				    &l->out[i]);
		if (rc)
			return rc;
	}
	return acl_op_translate_attrs(api, op_type, s, attr, l);
}

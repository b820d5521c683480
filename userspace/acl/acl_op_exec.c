// SPDX-License-Identifier: MIT
/*
 * The public single-op calls: aclopExecute(V2), aclopCast, handles
 * (aclopCreateHandle, aclopExecWithHandle), aclopUpdateParams. Argument
 * checks come in CANN's order and with CANN's codes: op type, counts,
 * description arrays; then, if every output is empty, success without
 * running anything (as CANN); then the buffer arrays. Then the stream, the
 * operands (acl_op_resolve.c) and one submission (acl_op_submit.c).
 *
 * Two CANN ops need more than one task on vascend's card, queued in the
 * same submission:
 *  - LayerNorm with its variance output: the library's third output is
 *    1/sqrt(variance + epsilon); Pow(x, -2) and Sub(x, epsilon) in place
 *    turn it into CANN's variance;
 *  - BatchNorm (inference) with CANN's extra outputs: batch_mean,
 *    batch_variance, reserve_space_1 and _2 are copies of the mean and
 *    variance inputs (CANN's documented inference behaviour), made by
 *    MEMCPY tasks; reserve_space_3 is not written.
 */
#include <stdlib.h>
#include <string.h>

#include "acl_error.h"
#include "acl_internal.h"
#include "acl_op_internal.h"

aclError acl_op_check_descs(const char *api, int nin, const aclTensorDesc *const in_desc[], int nout,
			    const aclTensorDesc *const out_desc[])
{
	if (nin < 0)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "numInputs is %d, must not be negative", nin);
	if (nout < 0)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "numOutputs is %d, must not be negative", nout);
	if (nin > 0 && !in_desc)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "inputDesc is NULL while numInputs is %d", nin);
	if (nout > 0 && !out_desc)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "outputDesc is NULL while numOutputs is %d",
				nout);
	for (int i = 0; i < nin; i++)
		if (!in_desc[i])
			return acl_fail(ACL_ERROR_INVALID_PARAM, api, "inputDesc[%d] is NULL", i);
	for (int i = 0; i < nout; i++)
		if (!out_desc[i])
			return acl_fail(ACL_ERROR_INVALID_PARAM, api, "outputDesc[%d] is NULL", i);
	return ACL_SUCCESS;
}

aclError acl_op_check_buffers(const char *api, int nin, const aclDataBuffer *const inputs[], int nout,
			      const aclDataBuffer *const outputs[])
{
	if (nin > 0 && !inputs)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "inputs is NULL while numInputs is %d", nin);
	if (nout > 0 && !outputs)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "outputs is NULL while numOutputs is %d", nout);
	for (int i = 0; i < nin; i++)
		if (!inputs[i])
			return acl_fail(ACL_ERROR_INVALID_PARAM, api, "inputs[%d] is NULL", i);
	for (int i = 0; i < nout; i++)
		if (!outputs[i])
			return acl_fail(ACL_ERROR_INVALID_PARAM, api, "outputs[%d] is NULL", i);
	return ACL_SUCCESS;
}

bool acl_op_outputs_empty(int nout, const aclTensorDesc *const out_desc[])
{
	if (nout <= 0)
		return false;
	for (int i = 0; i < nout; i++) {
		const int64_t *dims;
		int n = acl_tensor_desc_run_dims(out_desc[i], &dims);
		bool empty = false;

		for (int k = 0; k < n; k++)
			empty = empty || dims[k] == 0;
		if (!empty)
			return false;
	}
	return true;
}

static const struct acl_op_attr *launch_attr(const struct acl_op_launch *l, const char *name)
{
	for (uint32_t i = 0; i < l->nattrs; i++)
		if (!strcmp(l->attrs[i].name, name))
			return &l->attrs[i];
	return NULL;
}

/* @v as one element of float type @dt at @p (fp32, fp16 or bf16). */
static void store_float(void *p, uint32_t dt, float v)
{
	uint32_t u;
	uint16_t h;

	if (dt == ACL_FLOAT16) {
		h = aclFloatToFloat16(v);
		memcpy(p, &h, 2);
	} else if (dt == ACL_BF16) {
		memcpy(&u, &v, 4);
		if ((u & 0x7fffffff) > 0x7f800000)
			h = (uint16_t)((u >> 16) | 0x40);	/* NaN stays NaN */
		else
			h = (uint16_t)((u + 0x7fff + ((u >> 16) & 1)) >> 16);
		memcpy(p, &h, 2);
	} else {
		memcpy(p, &v, 4);
	}
}

/* A launch @op(x, constant @c) -> x, in place on tensor @x. */
static aclError scalar_launch(const char *api, const char *op, const struct acl_op_tensor *x, float c,
			      struct acl_op_launch *p)
{
	void *val = NULL;

	p->schema = acl_op_schema_find(op);
	p->name = op;
	p->op_id = 0;
	p->scratch_used = 0;
	p->nattrs = 0;
	p->nin = 2;
	p->nout = 1;
	p->in[0] = *x;
	p->in[0].inline_data = NULL;
	p->out[0] = *x;
	memset(&p->in[1], 0, sizeof(p->in[1]));
	val = acl_op_scratch(p, 8);
	if (!val)
		return acl_fail(ACL_ERROR_INTERNAL_ERROR, api, "%s: scratch full", op);
	store_float(val, x->dtype, c);
	p->in[1].dtype = x->dtype;
	p->in[1].format = ACL_FORMAT_ND;
	p->in[1].ndim = 0;
	p->in[1].size = aclDataTypeSize((aclDataType)x->dtype);
	p->in[1].inline_data = val;
	return ACL_SUCCESS;
}

static uint64_t tensor_bytes(const struct acl_op_tensor *t)
{
	uint64_t n = aclDataTypeSize((aclDataType)t->dtype);

	for (uint32_t i = 0; i < t->ndim; i++)
		n *= (uint64_t)t->dims[i];
	return n;
}

aclError acl_op_execute(const char *api, const char *op_type, int nin, const aclTensorDesc *const in_desc[],
			const aclDataBuffer *const inputs[], int nout, const aclTensorDesc *const out_desc[],
			const aclDataBuffer *const outputs[], const aclopAttr *attr, aclrtStream stream)
{
	struct acl_op_launch l, extra[2];
	struct acl_op_step steps[6];
	struct acl_op_tensor bn_out[5];
	uint32_t n = 0;
	int32_t dev;
	aclError rc;

	if (!op_type)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "opType is NULL");
	rc = acl_op_check_descs(api, nin, in_desc, nout, out_desc);
	if (rc)
		return rc;
	if (acl_op_outputs_empty(nout, out_desc))
		return ACL_SUCCESS;	/* CANN: nothing to compute */
	rc = acl_op_check_buffers(api, nin, inputs, nout, outputs);
	if (rc)
		return rc;
	if (attr && attr->magic != ACL_OP_ATTR_MAGIC)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api,
				"attr is not an aclopAttr from aclopCreateAttr (or was destroyed)");
	rc = acl_check_init(api);
	if (!rc)
		rc = acl_stream_device(api, stream, &dev);
	if (!rc)
		rc = acl_op_resolve(api, dev, op_type, nin, in_desc, inputs, nout, out_desc, outputs, attr, &l);
	if (rc)
		return rc;
	steps[n++] = (struct acl_op_step){ .launch = &l };

	if (l.schema && !strcmp(l.schema->cann, "LayerNorm") && l.nout == 3) {
		const struct acl_op_attr *e = launch_attr(&l, "epsilon");
		float eps = e && e->type == VASCEND_ATTR_FLOAT ? *(const float *)e->data : 1e-7f;

		rc = scalar_launch(api, "Pow", &l.out[2], -2.0f, &extra[0]);
		if (!rc)
			rc = scalar_launch(api, "Sub", &l.out[2], eps, &extra[1]);
		if (rc)
			return rc;
		steps[n++] = (struct acl_op_step){ .launch = &extra[0] };
		steps[n++] = (struct acl_op_step){ .launch = &extra[1] };
	}
	if (l.schema && !strcmp(l.schema->cann, "BatchNorm") && l.nout > 1) {
		/* outputs 1..4: mean, variance, mean, variance (inputs 3 and 4) */
		for (uint32_t k = 1; k < l.nout && k <= 4; k++) {
			const struct acl_op_tensor *src = &l.in[k % 2 ? 3 : 4];
			uint64_t len = tensor_bytes(&l.out[k]);

			bn_out[k] = l.out[k];
			if (l.nin < 5 || src->omitted || src->dtype != l.out[k].dtype ||
			    tensor_bytes(src) < len)
				return acl_fail(ACL_ERROR_OP_OUTPUT_NOT_MATCH, api,
						"BatchNorm: output %u must be a copy of input %d (%s): "
						"same type, no more elements", k, k % 2 ? 3 : 4,
						k % 2 ? "mean" : "variance");
			if (len)
				steps[n++] = (struct acl_op_step){ .src = src, .dst = bn_out[k].addr,
								   .len = len };
		}
		l.nout = 1;
	}
	return acl_op_submit(api, dev, stream, steps, n, NULL);
}

ACL_FUNC_VISIBILITY aclError aclopExecuteV2(const char *opType, int numInputs, aclTensorDesc *inputDesc[],
					    aclDataBuffer *inputs[], int numOutputs,
					    aclTensorDesc *outputDesc[], aclDataBuffer *outputs[],
					    aclopAttr *attr, aclrtStream stream)
{
	return acl_op_execute("aclopExecuteV2", opType, numInputs, (const aclTensorDesc *const *)inputDesc,
			      (const aclDataBuffer *const *)inputs, numOutputs,
			      (const aclTensorDesc *const *)outputDesc, (const aclDataBuffer *const *)outputs,
			      attr, stream);
}

ACL_FUNC_VISIBILITY aclError aclopExecute(const char *opType, int numInputs,
					  const aclTensorDesc *const inputDesc[],
					  const aclDataBuffer *const inputs[], int numOutputs,
					  const aclTensorDesc *const outputDesc[],
					  aclDataBuffer *const outputs[], const aclopAttr *attr,
					  aclrtStream stream)
{
	return acl_op_execute("aclopExecute", opType, numInputs, inputDesc, inputs, numOutputs, outputDesc,
			      (const aclDataBuffer *const *)outputs, attr, stream);
}

/* ---- cast ---- */

static aclopAttr *cast_attr(const char *api, aclDataType dst)
{
	aclopAttr *a = aclopCreateAttr();

	if (a && aclopSetAttrInt(a, "dst_type", dst)) {
		aclopDestroyAttr(a);
		a = NULL;
	}
	if (!a)
		acl_fail(ACL_ERROR_BAD_ALLOC, api, "out of memory");
	return a;
}

ACL_FUNC_VISIBILITY aclError aclopCast(const aclTensorDesc *srcDesc, const aclDataBuffer *srcBuffer,
				       const aclTensorDesc *dstDesc, aclDataBuffer *dstBuffer,
				       uint8_t truncate, aclrtStream stream)
{
	const char *api = "aclopCast";
	const aclDataBuffer *in[1] = { srcBuffer }, *out[1] = { dstBuffer };
	aclopAttr *attr;
	aclError rc;

	(void)truncate;	/* float to integer always truncates on the card */
	if (!srcDesc || !srcBuffer || !dstDesc || !dstBuffer)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "%s is NULL",
				!srcDesc ? "srcDesc" : !srcBuffer ? "srcBuffer" : !dstDesc ? "dstDesc" :
				"dstBuffer");
	attr = cast_attr(api, dstDesc->dtype);
	if (!attr)
		return ACL_ERROR_BAD_ALLOC;
	rc = acl_op_execute(api, "Cast", 1, &srcDesc, in, 1, &dstDesc, out, attr, stream);
	aclopDestroyAttr(attr);
	return rc;
}

/* ---- handles ---- */

static void handle_free(aclopHandle *h)
{
	if (!h)
		return;
	for (int i = 0; h->in_desc && i < h->nin; i++)
		aclDestroyTensorDesc(h->in_desc[i]);
	for (int i = 0; h->out_desc && i < h->nout; i++)
		aclDestroyTensorDesc(h->out_desc[i]);
	free(h->in_desc);
	free(h->out_desc);
	aclopDestroyAttr(h->attr);
	free(h->op_type);
	h->magic = 0;
	free(h);
}

aclError acl_op_handle_new(const char *api, const char *op_type, int nin, const aclTensorDesc *const in_desc[],
			   int nout, const aclTensorDesc *const out_desc[], const aclopAttr *attr,
			   aclopHandle **handle)
{
	aclopHandle *h;

	h = calloc(1, sizeof(*h));
	if (!h)
		goto oom;
	h->magic = ACL_OP_HANDLE_MAGIC;
	h->op_type = strdup(op_type);
	h->in_desc = calloc((size_t)nin + 1, sizeof(*h->in_desc));
	h->out_desc = calloc((size_t)nout + 1, sizeof(*h->out_desc));
	h->attr = acl_attr_clone(attr);
	if (!h->op_type || !h->in_desc || !h->out_desc || !h->attr)
		goto oom;
	for (; h->nin < nin; h->nin++) {
		h->in_desc[h->nin] = acl_tensor_desc_clone(in_desc[h->nin]);
		if (!h->in_desc[h->nin])
			goto oom;
	}
	for (; h->nout < nout; h->nout++) {
		h->out_desc[h->nout] = acl_tensor_desc_clone(out_desc[h->nout]);
		if (!h->out_desc[h->nout])
			goto oom;
	}
	*handle = h;
	return ACL_SUCCESS;
oom:
	handle_free(h);
	return acl_fail(ACL_ERROR_BAD_ALLOC, api, "out of memory");
}

/*
 * What aclopCreateHandle, aclopUpdateParams and aclopCompile check: the op
 * exists on the current device and the runtime accepts its descriptions.
 */
aclError acl_op_check_op(const char *api, const char *op_type, int nin, const aclTensorDesc *const in_desc[],
			 int nout, const aclTensorDesc *const out_desc[], const aclopAttr *attr)
{
	struct acl_op_launch l;
	uint32_t id, version;
	int32_t dev;
	aclError rc;

	if (attr && attr->magic != ACL_OP_ATTR_MAGIC)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api,
				"attr is not an aclopAttr from aclopCreateAttr (or was destroyed)");
	rc = acl_check_init(api);
	if (!rc)
		rc = acl_current_device(api, &dev);
	if (!rc)
		rc = acl_op_resolve(api, dev, op_type, nin, in_desc, NULL, nout, out_desc, NULL, attr, &l);
	if (!rc)
		rc = acl_op_lookup(api, dev, l.name, &id, &version);
	return rc;
}

static bool any_host_placed(int n, const aclTensorDesc *const d[])
{
	for (int i = 0; i < n; i++)
		if (d[i]->memtype != ACL_MEMTYPE_DEVICE)
			return true;
	return false;
}

ACL_FUNC_VISIBILITY aclError aclopCreateHandle(const char *opType, int numInputs,
					       const aclTensorDesc *const inputDesc[], int numOutputs,
					       const aclTensorDesc *const outputDesc[],
					       const aclopAttr *opAttr, aclopHandle **handle)
{
	const char *api = "aclopCreateHandle";
	aclError rc;

	if (!opType)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "opType is NULL");
	if (!handle)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "handle is NULL");
	rc = acl_op_check_descs(api, numInputs, inputDesc, numOutputs, outputDesc);
	if (rc)
		return rc;
	if (any_host_placed(numInputs, inputDesc) || any_host_placed(numOutputs, outputDesc))
		return acl_fail(ACL_ERROR_API_NOT_SUPPORT, api,
				"%s: tensors placed in host memory are not supported with handles (as "
				"in CANN)", opType);
	rc = acl_op_check_op(api, opType, numInputs, inputDesc, numOutputs, outputDesc, opAttr);
	if (rc)
		return rc;
	return acl_op_handle_new(api, opType, numInputs, inputDesc, numOutputs, outputDesc, opAttr, handle);
}

ACL_FUNC_VISIBILITY void aclopDestroyHandle(aclopHandle *handle)
{
	if (handle && handle->magic == ACL_OP_HANDLE_MAGIC)
		handle_free(handle);
}

ACL_FUNC_VISIBILITY aclError aclopExecWithHandle(aclopHandle *handle, int numInputs,
						 const aclDataBuffer *const inputs[], int numOutputs,
						 aclDataBuffer *const outputs[], aclrtStream stream)
{
	const char *api = "aclopExecWithHandle";
	aclError rc;

	if (!handle)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "handle is NULL");
	if (handle->magic != ACL_OP_HANDLE_MAGIC)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api,
				"handle is not an aclopHandle (or was destroyed)");
	if (numInputs < 0 || numOutputs < 0)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "%s is %d, must not be negative",
				numInputs < 0 ? "numInputs" : "numOutputs",
				numInputs < 0 ? numInputs : numOutputs);
	rc = acl_op_check_buffers(api, numInputs, inputs, numOutputs, (const aclDataBuffer *const *)outputs);
	if (rc)
		return rc;
	if (acl_op_outputs_empty(handle->nout, (const aclTensorDesc *const *)handle->out_desc))
		return ACL_SUCCESS;
	if (numInputs != handle->nin)
		return acl_fail(ACL_ERROR_OP_INPUT_NOT_MATCH, api, "%s: %d inputs, the handle has %d",
				handle->op_type, numInputs, handle->nin);
	if (numOutputs != handle->nout)
		return acl_fail(ACL_ERROR_OP_OUTPUT_NOT_MATCH, api, "%s: %d outputs, the handle has %d",
				handle->op_type, numOutputs, handle->nout);
	if (handle->blas)
		return acl_blas_exec_handle(api, handle, inputs, outputs, stream);
	return acl_op_execute(api, handle->op_type, handle->nin, (const aclTensorDesc *const *)handle->in_desc,
			      inputs, handle->nout, (const aclTensorDesc *const *)handle->out_desc,
			      (const aclDataBuffer *const *)outputs, handle->attr, stream);
}

ACL_FUNC_VISIBILITY aclError aclopCreateHandleForCast(aclTensorDesc *srcDesc, aclTensorDesc *dstDesc,
						      uint8_t truncate, aclopHandle **handle)
{
	const char *api = "aclopCreateHandleForCast";
	const aclTensorDesc *in[1] = { srcDesc }, *out[1] = { dstDesc };
	aclopAttr *attr;
	aclError rc;

	(void)truncate;
	if (!srcDesc || !dstDesc || !handle)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "%s is NULL",
				!srcDesc ? "srcDesc" : !dstDesc ? "dstDesc" : "handle");
	attr = cast_attr(api, dstDesc->dtype);
	if (!attr)
		return ACL_ERROR_BAD_ALLOC;
	rc = aclopCreateHandle("Cast", 1, in, 1, out, attr, handle);
	aclopDestroyAttr(attr);
	return rc;
}

ACL_FUNC_VISIBILITY aclError aclopUpdateParams(const char *opType, int numInputs,
					       const aclTensorDesc *const inputDesc[], int numOutputs,
					       const aclTensorDesc *const outputDesc[], const aclopAttr *attr)
{
	const char *api = "aclopUpdateParams";
	aclError rc;

	if (!opType)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "opType is NULL");
	rc = acl_op_check_descs(api, numInputs, inputDesc, numOutputs, outputDesc);
	if (rc)
		return rc;
	return acl_op_check_op(api, opType, numInputs, inputDesc, numOutputs, outputDesc, attr);
}

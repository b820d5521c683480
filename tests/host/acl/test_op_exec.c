// SPDX-License-Identifier: MIT
/*
 * The single-op calls end to end on the host: aclopExecuteV2,
 * aclopCompileAndExecute(V2) and aclopCompile, on fake cards whose
 * KERNEL_LAUNCH runs the operator library's reference path in this
 * process (test_op_fake.h). Checked here:
 *  - argument validation of each call, with CANN's codes and messages,
 *    before aclInit, without a device, with NULL and negative arguments,
 *    operand counts the op does not take and buffers too small;
 *  - ops of several families computing the right numbers on explicit and
 *    default streams, synchronously and not;
 *  - mistakes the runtime catches before launch and mistakes the card
 *    refuses (reported at aclrtSynchronizeStream), each naming the op,
 *    the operand, its shape and type; the stream works afterwards;
 *  - aclopLoad / aclopSetModelDir with .om single-op models;
 *  - aclrtResetDevice between two ops (the runtime's pinned pools).
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "acl/acl_op_compiler.h"
#include "om.h"
#include "test_mdl_model.h"
#include "test_op_fake.h"

enum how { V2, CE, CE_V2, COMPILE_V2, NHOW };

static const char *how_name[NHOW] = { "aclopExecuteV2", "aclopCompileAndExecute",
				      "aclopCompileAndExecuteV2", "aclopCompile+aclopExecuteV2" };

/* Run @op by way @h. */
static aclError run_by(enum how h, const char *op, int nin, struct dt *in, int nout, struct dt *out,
		       aclopAttr *attr, aclrtStream s)
{
	aclTensorDesc *id[8] = { NULL }, *od[4] = { NULL };
	aclDataBuffer *ib[8] = { NULL }, *ob[4] = { NULL };
	aclError rc;

	for (int i = 0; i < nin; i++) {
		id[i] = in[i].desc;
		ib[i] = in[i].buf;
	}
	for (int i = 0; i < nout; i++) {
		od[i] = out[i].desc;
		ob[i] = out[i].buf;
	}
	switch (h) {
	case CE:
		return aclopCompileAndExecute(op, nin, (const aclTensorDesc *const *)id,
					      (const aclDataBuffer *const *)ib, nout,
					      (const aclTensorDesc *const *)od, ob, attr, ACL_ENGINE_SYS,
					      ACL_COMPILE_SYS, NULL, s);
	case CE_V2:
		return aclopCompileAndExecuteV2(op, nin, id, ib, nout, od, ob, attr, ACL_ENGINE_SYS,
						ACL_COMPILE_SYS, NULL, s);
	case COMPILE_V2:
		rc = aclopCompile(op, nin, (const aclTensorDesc *const *)id, nout,
				  (const aclTensorDesc *const *)od, attr, ACL_ENGINE_SYS, ACL_COMPILE_SYS, NULL);
		if (rc)
			return rc;
		/* fall through */
	default:
		return aclopExecuteV2(op, nin, id, ib, nout, od, ob, attr, s);
	}
}

/* @rc, or when it is ACL_SUCCESS what synchronizing @s returns */
static aclError synced(aclError rc, aclrtStream s)
{
	return rc ? rc : aclrtSynchronizeStream(s);
}

#define D(...) ((const int64_t[]){ __VA_ARGS__ })
#define NDIM(...) ((int)(sizeof((const int64_t[]){ __VA_ARGS__ }) / sizeof(int64_t)))
#define F32(host, ...) dt_from(ACL_FLOAT, NDIM(__VA_ARGS__), D(__VA_ARGS__), ACL_FORMAT_ND, host)
#define F32_OUT(...) dt_new(ACL_FLOAT, NDIM(__VA_ARGS__), D(__VA_ARGS__), ACL_FORMAT_ND)

static void free_all(struct dt *d, int n)
{
	for (int i = 0; i < n; i++)
		dt_free(&d[i]);
}

/* ---- before aclInit, without a device ---- */

static void before_init(void)
{
	float x[6] = { 0 };
	aclTensorDesc *d = aclCreateTensorDesc(ACL_FLOAT, 1, D(6), ACL_FORMAT_ND);
	aclDataBuffer *b = aclCreateDataBuffer(x, sizeof(x));
	aclTensorDesc *in[2] = { d, d }, *out[1] = { d };
	aclDataBuffer *ib[2] = { b, b }, *ob[1] = { b };

	CHECK_RET_MSG(aclopExecuteV2("Add", 2, in, ib, 1, out, ob, NULL, NULL), ACL_ERROR_UNINITIALIZE,
		      "aclInit");
	CHECK_RET_MSG(aclopCompileAndExecute("Add", 2, (const aclTensorDesc *const *)in,
					     (const aclDataBuffer *const *)ib, 1,
					     (const aclTensorDesc *const *)out, ob, NULL, ACL_ENGINE_SYS,
					     ACL_COMPILE_SYS, NULL, NULL),
		      ACL_ERROR_UNINITIALIZE, "aclInit");
	CHECK_RET_MSG(aclopCompileAndExecuteV2("Add", 2, in, ib, 1, out, ob, NULL, ACL_ENGINE_SYS,
					       ACL_COMPILE_SYS, NULL, NULL),
		      ACL_ERROR_UNINITIALIZE, "aclInit");
	CHECK_RET_MSG(aclopCompile("Add", 2, (const aclTensorDesc *const *)in, 1,
				   (const aclTensorDesc *const *)out, NULL, ACL_ENGINE_SYS, ACL_COMPILE_SYS,
				   NULL),
		      ACL_ERROR_UNINITIALIZE, "aclInit");
	/* argument errors come first, as in CANN */
	CHECK_RET_MSG(aclopExecuteV2(NULL, 2, in, ib, 1, out, ob, NULL, NULL), ACL_ERROR_INVALID_PARAM,
		      "opType is NULL");

	CHECK_RET(aclInit(NULL), ACL_SUCCESS);
	/* initialized, no device set: no context for the default stream */
	CHECK_RET_MSG(aclopExecuteV2("Add", 2, in, ib, 1, out, ob, NULL, NULL), ACL_ERROR_RT_CONTEXT_NULL,
		      "aclopExecuteV2");
	CHECK_RET_MSG(aclopCompileAndExecuteV2("Add", 2, in, ib, 1, out, ob, NULL, ACL_ENGINE_SYS,
					       ACL_COMPILE_SYS, NULL, NULL),
		      ACL_ERROR_RT_CONTEXT_NULL, "aclopCompileAndExecuteV2");
	CHECK_RET_MSG(aclopCompile("Add", 2, (const aclTensorDesc *const *)in, 1,
				   (const aclTensorDesc *const *)out, NULL, ACL_ENGINE_SYS, ACL_COMPILE_SYS,
				   NULL),
		      ACL_ERROR_RT_CONTEXT_NULL, "aclopCompile");
	aclDestroyDataBuffer(b);
	aclDestroyTensorDesc(d);
}

/* ---- argument validation, device set ---- */

static void arguments(aclrtStream s)
{
	float x[6] = { 0 };
	struct dt a = F32(x, 2, 3), b = F32(x, 2, 3), c = F32_OUT(2, 3);
	struct dt small = dt_new(ACL_FLOAT, 1, D(2), ACL_FORMAT_ND);
	aclTensorDesc *in[2] = { a.desc, b.desc }, *out[1] = { c.desc }, *nul2[2] = { a.desc, NULL };
	aclDataBuffer *ib[2] = { a.buf, b.buf }, *ob[1] = { c.buf }, *nulb[2] = { a.buf, NULL };
	aclDataBuffer *host = aclCreateDataBuffer(x, sizeof(x)), *hb[2] = { a.buf, host };
	aclDataBuffer *sb[2] = { a.buf, small.buf };
	aclopAttr *attr = aclopCreateAttr();
	static uint64_t not_attr[64];
	const aclTensorDesc *const *cin = (const aclTensorDesc *const *)in;
	const aclTensorDesc *const *cout = (const aclTensorDesc *const *)out;

	for (int h = 0; h < NHOW; h++) {
		printf("# %s\n", how_name[h]);
		CHECK_RET(run_by(h, "Add", 2, (struct dt[]){ a, b }, 1, &c, NULL, s), ACL_SUCCESS);
	}
	/* aclopExecuteV2 */
	CHECK_RET_MSG(aclopExecuteV2(NULL, 2, in, ib, 1, out, ob, NULL, s), ACL_ERROR_INVALID_PARAM,
		      "opType is NULL");
	CHECK_RET_MSG(aclopExecuteV2("Add", -1, in, ib, 1, out, ob, NULL, s), ACL_ERROR_INVALID_PARAM,
		      "numInputs is -1");
	CHECK_RET_MSG(aclopExecuteV2("Add", 2, in, ib, -3, out, ob, NULL, s), ACL_ERROR_INVALID_PARAM,
		      "numOutputs is -3");
	CHECK_RET_MSG(aclopExecuteV2("Add", 2, NULL, ib, 1, out, ob, NULL, s), ACL_ERROR_INVALID_PARAM,
		      "inputDesc is NULL");
	CHECK_RET_MSG(aclopExecuteV2("Add", 2, nul2, ib, 1, out, ob, NULL, s), ACL_ERROR_INVALID_PARAM,
		      "inputDesc[1] is NULL");
	CHECK_RET_MSG(aclopExecuteV2("Add", 2, in, ib, 1, NULL, ob, NULL, s), ACL_ERROR_INVALID_PARAM,
		      "outputDesc is NULL");
	CHECK_RET_MSG(aclopExecuteV2("Add", 2, in, NULL, 1, out, ob, NULL, s), ACL_ERROR_INVALID_PARAM,
		      "inputs is NULL");
	CHECK_RET_MSG(aclopExecuteV2("Add", 2, in, nulb, 1, out, ob, NULL, s), ACL_ERROR_INVALID_PARAM,
		      "inputs[1] is NULL");
	CHECK_RET_MSG(aclopExecuteV2("Add", 2, in, ib, 1, out, NULL, NULL, s), ACL_ERROR_INVALID_PARAM,
		      "outputs is NULL");
	CHECK_RET_MSG(aclopExecuteV2("Add", 1, in, ib, 1, out, ob, NULL, s), ACL_ERROR_OP_INPUT_NOT_MATCH,
		      "Add takes 2..2 inputs, got 1");
	CHECK_RET_MSG(aclopExecuteV2("Add", 2, in, ib, 2, (aclTensorDesc *[]){ c.desc, c.desc },
				     (aclDataBuffer *[]){ c.buf, c.buf }, NULL, s),
		      ACL_ERROR_OP_OUTPUT_NOT_MATCH, "Add takes 1..1 outputs, got 2");
	CHECK_RET_MSG(aclopExecuteV2("Add", 2, in, sb, 1, out, ob, NULL, s), ACL_ERROR_OP_INPUT_NOT_MATCH,
		      "Add: input 1: buffer of 8 bytes, float32 [2,3] needs 24");
	CHECK_RET_MSG(aclopExecuteV2("Add", 2, in, ib, 1, out, (aclDataBuffer *[]){ small.buf }, NULL, s),
		      ACL_ERROR_OP_OUTPUT_NOT_MATCH, "Add: output 0: buffer of 8 bytes");
	CHECK_RET_MSG(aclopExecuteV2("Add", 2, in, hb, 1, out, ob, NULL, s), ACL_ERROR_INVALID_PARAM,
		      "is not device memory of device 0");
	CHECK_RET_MSG(aclopExecuteV2("Add", 2, in, ib, 1, out, ob, NULL, (aclrtStream)(uintptr_t)0x1234),
		      ACL_ERROR_INVALID_PARAM, "is not a live stream");
	/* zeroed memory that is not an attribute set */
	CHECK_RET_MSG(aclopExecuteV2("Add", 2, in, ib, 1, out, ob, (aclopAttr *)not_attr, s),
		      ACL_ERROR_INVALID_PARAM, "attr is not an aclopAttr");
	aclopDestroyAttr(attr);

	/* aclopCompileAndExecute(V2): the same checks, and the engine and compile flag */
	CHECK_RET_MSG(aclopCompileAndExecute(NULL, 2, cin, (const aclDataBuffer *const *)ib, 1, cout, ob,
					     NULL, ACL_ENGINE_SYS, ACL_COMPILE_SYS, NULL, s),
		      ACL_ERROR_INVALID_PARAM, "opType is NULL");
	CHECK_RET_MSG(aclopCompileAndExecute("Add", 2, cin, NULL, 1, cout, ob, NULL, ACL_ENGINE_SYS,
					     ACL_COMPILE_SYS, NULL, s),
		      ACL_ERROR_INVALID_PARAM, "inputs is NULL");
	CHECK_RET_MSG(aclopCompileAndExecute("Add", 2, cin, (const aclDataBuffer *const *)sb, 1, cout, ob,
					     NULL, ACL_ENGINE_SYS, ACL_COMPILE_SYS, NULL, s),
		      ACL_ERROR_OP_INPUT_NOT_MATCH, "needs 24");
	CHECK_RET_MSG(aclopCompileAndExecute("Add", 2, cin, (const aclDataBuffer *const *)ib, 1, cout, ob,
					     NULL, (aclopEngineType)7, ACL_COMPILE_SYS, NULL, s),
		      ACL_ERROR_INVALID_PARAM, "engineType 7");
	CHECK_RET_MSG(aclopCompileAndExecuteV2("Add", 2, in, ib, 1, out, ob, NULL, ACL_ENGINE_AICORE,
					       (aclopCompileType)5, NULL, s),
		      ACL_ERROR_INVALID_PARAM, "compileFlag 5");
	CHECK_RET_MSG(aclopCompileAndExecuteV2("Add", -2, in, ib, 1, out, ob, NULL, ACL_ENGINE_SYS,
					       ACL_COMPILE_SYS, NULL, s),
		      ACL_ERROR_INVALID_PARAM, "numInputs is -2");
	CHECK_RET_MSG(aclopCompileAndExecuteV2("Add", 2, in, ib, 1, out, (aclDataBuffer *[]){ NULL },
					       NULL, ACL_ENGINE_SYS, ACL_COMPILE_SYS, NULL, s),
		      ACL_ERROR_INVALID_PARAM, "outputs[0] is NULL");
	CHECK_RET_MSG(aclopCompileAndExecuteV2("Add", 3, (aclTensorDesc *[]){ a.desc, b.desc, b.desc },
					       (aclDataBuffer *[]){ a.buf, b.buf, b.buf }, 1, out, ob,
					       NULL, ACL_ENGINE_SYS, ACL_COMPILE_SYS, NULL, s),
		      ACL_ERROR_OP_INPUT_NOT_MATCH, "Add takes 2..2 inputs, got 3");

	/* aclopCompile: descriptions only */
	CHECK_RET_MSG(aclopCompile(NULL, 2, cin, 1, cout, NULL, ACL_ENGINE_SYS, ACL_COMPILE_SYS, NULL),
		      ACL_ERROR_INVALID_PARAM, "opType is NULL");
	CHECK_RET_MSG(aclopCompile("Add", 2, NULL, 1, cout, NULL, ACL_ENGINE_SYS, ACL_COMPILE_SYS, NULL),
		      ACL_ERROR_INVALID_PARAM, "inputDesc is NULL");
	CHECK_RET_MSG(aclopCompile("Add", 2, cin, -1, cout, NULL, ACL_ENGINE_SYS, ACL_COMPILE_SYS, NULL),
		      ACL_ERROR_INVALID_PARAM, "numOutputs is -1");
	CHECK_RET_MSG(aclopCompile("Add", 2, cin, 1, cout, NULL, (aclopEngineType)-1, ACL_COMPILE_SYS,
				   NULL),
		      ACL_ERROR_INVALID_PARAM, "engineType -1");
	CHECK_RET_MSG(aclopCompile("Add", 1, cin, 1, cout, NULL, ACL_ENGINE_SYS, ACL_COMPILE_SYS, NULL),
		      ACL_ERROR_OP_INPUT_NOT_MATCH, "Add takes 2..2 inputs");
	CHECK_RET_MSG(aclopCompile("NoSuchOp", 2, cin, 1, cout, NULL, ACL_ENGINE_SYS, ACL_COMPILE_SYS,
				   NULL),
		      ACL_ERROR_OP_NOT_FOUND, "NoSuchOp");
	CHECK_RET(aclopCompile("Add", 2, cin, 1, cout, NULL, ACL_ENGINE_VECTOR, ACL_COMPILE_UNREGISTERED,
			       "/nonexistent"), ACL_SUCCESS);

	/* an empty output: nothing to compute, buffers not even looked at (as CANN) */
	{
		aclTensorDesc *e = aclCreateTensorDesc(ACL_FLOAT, 2, D(0, 3), ACL_FORMAT_ND);

		CHECK_RET(aclopExecuteV2("Add", 2, (aclTensorDesc *[]){ e, e }, NULL, 1,
					 (aclTensorDesc *[]){ e }, NULL, NULL, s), ACL_SUCCESS);
		aclDestroyTensorDesc(e);
	}
	CHECK_RET(aclrtSynchronizeStream(s), ACL_SUCCESS);
	aclDestroyDataBuffer(host);
	dt_free(&a);
	dt_free(&b);
	dt_free(&c);
	dt_free(&small);
}

/* ---- numbers ---- */

static void check_f32(const char *what, aclError rc, struct dt *out, const float *want, size_t n,
		      float tol)
{
	float got[256];

	if (!TAP_CHECK(rc == ACL_SUCCESS, "%s runs", what)) {
		printf("#   got %d (%s)\n", rc, take_msg() ? test_msg_buf : "-");
		return;
	}
	dt_read(out, got);
	TAP_CHECK(near_f(got, want, n, tol), "%s: the numbers", what);
}

static void ops(aclrtStream s)
{
	char what[160];

	/* Add with broadcasting [2,3] + [3], each way of calling, explicit stream, sync */
	for (int h = 0; h < NHOW; h++) {
		float x[6] = { 1, 2, 3, 4, 5, 6 }, y[3] = { 10, -20, 0.5f }, want[6];
		struct dt in[2] = { F32(x, 2, 3), F32(y, 3) }, out = F32_OUT(2, 3);
		aclError rc;

		for (int i = 0; i < 6; i++)
			want[i] = x[i] + y[i % 3];
		rc = run_by(h, "Add", 2, in, 1, &out, NULL, s);
		if (!rc)
			rc = aclrtSynchronizeStream(s);
		snprintf(what, sizeof(what), "%s: Add [2,3] + [3] (broadcast), explicit stream",
			 how_name[h]);
		check_f32(what, rc, &out, want, 6, 0);
		free_all(in, 2);
		dt_free(&out);
	}

	/* Relu on the default stream, async: aclrtSynchronizeDevice */
	for (int h = 0; h < NHOW; h++) {
		float x[8] = { -1, 2, -3, 4, 0, -0.5f, 7, -8 }, want[8];
		struct dt in = F32(x, 2, 4), out = F32_OUT(2, 4);
		aclError rc;

		for (int i = 0; i < 8; i++)
			want[i] = x[i] > 0 ? x[i] : 0;
		rc = run_by(h, "Relu", 1, &in, 1, &out, NULL, NULL);
		if (!rc)
			rc = aclrtSynchronizeDevice();
		snprintf(what, sizeof(what), "%s: Relu [2,4], default stream", how_name[h]);
		check_f32(what, rc, &out, want, 8, 0);
		dt_free(&in);
		dt_free(&out);
	}

	/* MatMul [2,3] x [4,3]^T, transpose_x2 */
	{
		float a[6] = { 1, 2, 3, 4, 5, 6 }, b[12], want[8];
		struct dt in[2], out = F32_OUT(2, 4);
		aclopAttr *at = aclopCreateAttr();

		for (int i = 0; i < 12; i++)
			b[i] = 0.25f * (float)i - 1;
		for (int i = 0; i < 2; i++)
			for (int j = 0; j < 4; j++) {
				want[i * 4 + j] = 0;
				for (int k = 0; k < 3; k++)
					want[i * 4 + j] += a[i * 3 + k] * b[j * 3 + k];
			}
		in[0] = F32(a, 2, 3);
		in[1] = F32(b, 4, 3);
		aclopSetAttrBool(at, "transpose_x1", 0);
		aclopSetAttrBool(at, "transpose_x2", 1);
		check_f32("MatMul [2,3] x [4,3]^T, sync on the stream",
			  synced(run_by(CE_V2, "MatMul", 2, in, 1, &out, at, s), s), &out,
			  want, 8, 1e-6f);
		aclopDestroyAttr(at);
		free_all(in, 2);
		dt_free(&out);
	}

	/* Conv2D NCHW x[1,1,4,4] w[2,1,3,3] + bias, stride 1, pads 1 */
	{
		enum { H = 4, W = 4, M = 2 };
		float x[H * W], w[M * 9], bias[M] = { 0.5f, -1 }, want[M * H * W];
		struct dt in[3], out = dt_new(ACL_FLOAT, 4, D(1, M, H, W), ACL_FORMAT_NCHW);
		aclopAttr *at = aclopCreateAttr();

		for (int i = 0; i < H * W; i++)
			x[i] = (float)(i % 5) - 2;
		for (int i = 0; i < M * 9; i++)
			w[i] = 0.1f * (float)(i % 7) - 0.3f;
		for (int m = 0; m < M; m++)
			for (int oh = 0; oh < H; oh++)
				for (int ow = 0; ow < W; ow++) {
					float acc = bias[m];

					for (int kh = 0; kh < 3; kh++)
						for (int kw = 0; kw < 3; kw++) {
							int ih = oh - 1 + kh, iw = ow - 1 + kw;

							if (ih >= 0 && ih < H && iw >= 0 && iw < W)
								acc += x[ih * W + iw] * w[m * 9 + kh * 3 + kw];
						}
					want[(m * H + oh) * W + ow] = acc;
				}
		in[0] = dt_from(ACL_FLOAT, 4, D(1, 1, H, W), ACL_FORMAT_NCHW, x);
		in[1] = dt_from(ACL_FLOAT, 4, D(M, 1, 3, 3), ACL_FORMAT_NCHW, w);
		in[2] = F32(bias, M);
		aclopSetAttrListInt(at, "strides", 4, D(1, 1, 1, 1));
		aclopSetAttrListInt(at, "pads", 4, D(1, 1, 1, 1));
		aclopSetAttrListInt(at, "dilations", 4, D(1, 1, 1, 1));
		aclopSetAttrString(at, "data_format", "NCHW");
		check_f32("Conv2D NCHW [1,1,4,4] * [2,1,3,3] + bias, pads 1",
			  synced(run_by(V2, "Conv2D", 3, in, 1, &out, at, s), s), &out,
			  want, M * H * W, 1e-5f);
		aclopDestroyAttr(at);
		free_all(in, 3);
		dt_free(&out);
	}

	/* Cast fp32 -> fp16, default stream */
	{
		float x[6] = { 1.0f, -2.5f, 0.1f, 65504.0f, 1e-3f, 3.14159f };
		aclFloat16 got[6];
		struct dt in = F32(x, 6), out = dt_new(ACL_FLOAT16, 1, D(6), ACL_FORMAT_ND);
		aclopAttr *at = aclopCreateAttr();
		aclError rc;
		int ok = 1;

		aclopSetAttrInt(at, "dst_type", ACL_FLOAT16);
		rc = run_by(COMPILE_V2, "Cast", 1, &in, 1, &out, at, NULL);
		if (!rc)
			rc = aclrtSynchronizeStream(NULL);
		if (TAP_CHECK(rc == ACL_SUCCESS, "Cast fp32 -> fp16 runs (default stream)")) {
			dt_read(&out, got);
			for (int i = 0; i < 6; i++)
				ok = ok && got[i] == aclFloatToFloat16(x[i]);
		}
		TAP_CHECK(rc == ACL_SUCCESS && ok, "Cast fp32 -> fp16 rounds as aclFloatToFloat16");
		aclopDestroyAttr(at);
		dt_free(&in);
		dt_free(&out);
	}

	/* Transpose [2,3,4] by perm (int64 input) {2,0,1} -> [4,2,3] */
	{
		float x[24], want[24];
		int64_t perm[3] = { 2, 0, 1 };
		struct dt in[2], out = F32_OUT(4, 2, 3);

		for (int i = 0; i < 24; i++)
			x[i] = (float)i;
		for (int a = 0; a < 2; a++)
			for (int b = 0; b < 3; b++)
				for (int c = 0; c < 4; c++)
					want[(c * 2 + a) * 3 + b] = x[(a * 3 + b) * 4 + c];
		in[0] = F32(x, 2, 3, 4);
		in[1] = dt_from(ACL_INT64, 1, D(3), ACL_FORMAT_ND, perm);
		check_f32("Transpose [2,3,4] perm {2,0,1} (async, synced later)",
			  synced(run_by(CE, "Transpose", 2, in, 1, &out, NULL, s), s),
			  &out, want, 24, 0);
		free_all(in, 2);
		dt_free(&out);
	}

	/* ReduceSum [2,3,4] over axes {1} (int32 input), keep_dims false -> [2,4] */
	{
		float x[24], want[8] = { 0 };
		int32_t axes[1] = { 1 };
		struct dt in[2], out = F32_OUT(2, 4);

		for (int i = 0; i < 24; i++)
			x[i] = 0.5f * (float)i - 3;
		for (int a = 0; a < 2; a++)
			for (int b = 0; b < 3; b++)
				for (int c = 0; c < 4; c++)
					want[a * 4 + c] += x[(a * 3 + b) * 4 + c];
		in[0] = F32(x, 2, 3, 4);
		in[1] = dt_from(ACL_INT32, 1, D(1), ACL_FORMAT_ND, axes);
		check_f32("ReduceSum [2,3,4] axes {1} -> [2,4]",
			  synced(run_by(V2, "ReduceSum", 2, in, 1, &out, NULL, s), s),
			  &out, want, 8, 1e-6f);
		free_all(in, 2);
		dt_free(&out);
	}

	/* several ops queued before one sync: they run in order */
	{
		float x[4] = { -1, 2, -3, 4 }, want[4];
		struct dt a = F32(x, 4), t = F32_OUT(4), u = F32_OUT(4);
		aclError rc;

		for (int i = 0; i < 4; i++)
			want[i] = 2 * (x[i] > 0 ? x[i] : 0);
		rc = run_by(V2, "Relu", 1, &a, 1, &t, NULL, s);
		if (!rc)
			rc = run_by(V2, "Add", 2, (struct dt[]){ t, t }, 1, &u, NULL, s);
		if (!rc)
			rc = aclrtSynchronizeStream(s);
		check_f32("Relu then Add(t, t) queued, one sync", rc, &u, want, 4, 0);
		dt_free(&a);
		dt_free(&t);
		dt_free(&u);
	}
}

/* ---- what is refused, and how it is reported ---- */

static void refusals(aclrtStream s)
{
	float x[6] = { 1, 2, 3, 4, 5, 6 }, y[4] = { 1, 1, 1, 1 }, want[6];
	struct dt a = F32(x, 2, 3), b4 = F32(y, 4), c = F32_OUT(2, 3);
	struct dt i32 = dt_from(ACL_INT32, 2, D(2, 3), ACL_FORMAT_ND, x);
	struct dt c33 = F32_OUT(3, 3);
	unsigned int launches;
	aclopAttr *at;
	const char *m;
	aclError rc;

	/* unknown op: the runtime finds it in no table */
	launches = fake_stats.launches;
	CHECK_RET_MSG(run_by(V2, "NoSuchOp", 2, (struct dt[]){ a, a }, 1, &c, NULL, s),
		      ACL_ERROR_OP_NOT_FOUND, "NoSuchOp");
	CHECK_RET_MSG(run_by(CE_V2, "NoSuchOp", 1, &a, 1, &c, NULL, s), ACL_ERROR_OP_NOT_FOUND,
		      "NoSuchOp");
	TAP_CHECK(fake_stats.launches == launches, "an unknown op reaches no card");

	/*
	 * An op in the card's table the card's library then does not run (the
	 * fake lists the engine's TestVectorAdd, as the firmware does): the
	 * card answers OP_UNKNOWN, reported at the sync as ACL_ERROR_OP_NOT_FOUND.
	 */
	launches = fake_stats.launches;
	CHECK_RET(run_by(V2, "TestVectorAdd", 2, (struct dt[]){ a, a }, 1, &c, NULL, s), ACL_SUCCESS);
	rc = aclrtSynchronizeStream(s);
	m = take_msg();
	TAP_CHECK(fake_stats.launches == launches + 1 && rc == ACL_ERROR_OP_NOT_FOUND,
		  "an op the card cannot run: ACL_ERROR_OP_NOT_FOUND at aclrtSynchronizeStream");
	if (!TAP_CHECK(str_has(m, "op TestVectorAdd is not in the card's op table"), "  naming the op"))
		printf("#   got %d: %s\n", rc, m ? m : "(none)");

	/* a data type the card has no encoding for: refused before launch */
	launches = fake_stats.launches;
	{
		struct dt cx = dt_new(ACL_COMPLEX64, 2, D(2, 3), ACL_FORMAT_ND);

		rc = run_by(V2, "Add", 2, (struct dt[]){ a, cx }, 1, &c, NULL, s);
		m = take_msg();
		TAP_CHECK(rc == ACL_ERROR_OP_INPUT_NOT_MATCH, "Add with a complex64 input: OP_INPUT_NOT_MATCH");
		if (!TAP_CHECK(str_has(m, "Add: input 1: data type complex64"),
			       "  naming the op, the input and its type"))
			printf("#   got %d: %s\n", rc, m ? m : "(none)");
		dt_free(&cx);
	}
	/* a format the library does not take */
	{
		struct dt nz = dt_new(ACL_FLOAT, 2, D(2, 3), ACL_FORMAT_FRACTAL_NZ);

		CHECK_RET_MSG(run_by(V2, "Relu", 1, &a, 1, &nz, NULL, s), ACL_ERROR_OP_OUTPUT_NOT_MATCH,
			      "Relu: output 0: format FRACTAL_NZ");
		dt_free(&nz);
	}
	/* a dynamic dim */
	{
		aclTensorDesc *dyn = aclCreateTensorDesc(ACL_FLOAT, 2, D(-1, 3), ACL_FORMAT_ND);

		CHECK_RET_MSG(aclopExecuteV2("Relu", 1, &dyn, &a.buf, 1, &c.desc, &c.buf, NULL, s),
			      ACL_ERROR_OP_INPUT_NOT_MATCH, "Relu: input 0: shape [-1,3] has an unknown dim");
		aclDestroyTensorDesc(dyn);
	}
	TAP_CHECK(fake_stats.launches == launches, "none of these reached the card");

	/* Add [2,3] + [4]: the runtime hands it to the card, which refuses input 1 */
	launches = fake_stats.launches;
	CHECK_RET(run_by(V2, "Add", 2, (struct dt[]){ a, b4 }, 1, &c, NULL, s), ACL_SUCCESS);
	rc = aclrtSynchronizeStream(s);
	m = take_msg();
	TAP_CHECK(fake_stats.launches == launches + 1, "Add [2,3] + [4] reached the card");
	TAP_CHECK(rc == ACL_ERROR_OP_INPUT_NOT_MATCH,
		  "Add [2,3] + [4]: aclrtSynchronizeStream returns ACL_ERROR_OP_INPUT_NOT_MATCH");
	if (!TAP_CHECK(str_has(m, "op Add") && str_has(m, "input 1 (float32 [4] ND)") &&
		       str_has(m, "shape"), "  and says \"op Add ... input 1 (float32 [4] ND): ...shape\""))
		printf("#   got %d: %s\n", rc, m ? m : "(none)");
	if (!TAP_CHECK(str_has(m, "operands: float32 [2,3] ND, float32 [4] ND -> float32 [2,3] ND"),
		       "  and lists every operand's type and shape"))
		printf("#   message: %s\n", m ? m : "(none)");

	/* the stream works after the refusal */
	for (int i = 0; i < 6; i++)
		want[i] = 2 * x[i];
	rc = run_by(V2, "Add", 2, (struct dt[]){ a, a }, 1, &c, NULL, s);
	check_f32("after the refusal: Add on the same stream", synced(rc, s), &c, want, 6,
		  0);

	/* the same on the default stream */
	CHECK_RET(run_by(CE, "Add", 2, (struct dt[]){ a, b4 }, 1, &c, NULL, NULL), ACL_SUCCESS);
	CHECK_RET_MSG(aclrtSynchronizeStream(NULL), ACL_ERROR_OP_INPUT_NOT_MATCH, "op Add");
	rc = run_by(CE, "Add", 2, (struct dt[]){ a, a }, 1, &c, NULL, NULL);
	check_f32("after the refusal: Add on the default stream", synced(rc, NULL), &c,
		  want, 6, 0);

	/* wrong dtype: float32 + int32 */
	CHECK_RET(run_by(V2, "Add", 2, (struct dt[]){ a, i32 }, 1, &c, NULL, s), ACL_SUCCESS);
	rc = aclrtSynchronizeStream(s);
	m = take_msg();
	TAP_CHECK(rc == ACL_ERROR_OP_INPUT_NOT_MATCH, "Add float32 + int32: OP_INPUT_NOT_MATCH at sync");
	if (!TAP_CHECK(str_has(m, "op Add") && str_has(m, "int32 [2,3]") && str_has(m, "data type"),
		       "  naming the op, the operand's type and shape"))
		printf("#   got %d: %s\n", rc, m ? m : "(none)");

	/* wrong output shape */
	CHECK_RET(run_by(V2, "Add", 2, (struct dt[]){ a, a }, 1, &c33, NULL, s), ACL_SUCCESS);
	rc = aclrtSynchronizeStream(s);
	m = take_msg();
	TAP_CHECK(rc == ACL_ERROR_OP_OUTPUT_NOT_MATCH, "Add [2,3] + [2,3] -> [3,3]: OP_OUTPUT_NOT_MATCH");
	if (!TAP_CHECK(str_has(m, "op Add") && str_has(m, "output 0 (float32 [3,3] ND)"),
		       "  naming the output and its shape"))
		printf("#   got %d: %s\n", rc, m ? m : "(none)");

	/* an attribute value the op does not take: Transpose's... LeakyRelu's slope type */
	at = aclopCreateAttr();
	aclopSetAttrString(at, "negative_slope", "steep");
	rc = run_by(V2, "LeakyRelu", 1, &a, 1, &c, at, s);
	if (!rc)
		rc = aclrtSynchronizeStream(s);
	m = take_msg();
	TAP_CHECK(rc == ACL_ERROR_OP_ATTR_NOT_MATCH, "LeakyRelu negative_slope \"steep\": OP_ATTR_NOT_MATCH");
	if (!TAP_CHECK(str_has(m, "LeakyRelu") && str_has(m, "negative_slope"),
		       "  naming the op and the attribute"))
		printf("#   got %d: %s\n", rc, m ? m : "(none)");
	aclopDestroyAttr(at);

	/* Conv2D strides with 3 elements */
	{
		struct dt x4 = dt_from(ACL_FLOAT, 4, D(1, 1, 2, 3), ACL_FORMAT_NCHW, x);
		struct dt w4 = dt_from(ACL_FLOAT, 4, D(1, 1, 1, 1), ACL_FORMAT_NCHW, x);
		struct dt y4 = dt_new(ACL_FLOAT, 4, D(1, 1, 2, 3), ACL_FORMAT_NCHW);

		at = aclopCreateAttr();
		aclopSetAttrListInt(at, "strides", 3, D(1, 1, 1));
		aclopSetAttrListInt(at, "pads", 4, D(0, 0, 0, 0));
		aclopSetAttrString(at, "data_format", "NCHW");
		rc = run_by(V2, "Conv2D", 2, (struct dt[]){ x4, w4 }, 1, &y4, at, s);
		if (!rc)
			rc = aclrtSynchronizeStream(s);
		m = take_msg();
		TAP_CHECK(rc == ACL_ERROR_OP_ATTR_NOT_MATCH, "Conv2D with 3 strides: OP_ATTR_NOT_MATCH");
		if (!TAP_CHECK(str_has(m, "Conv2D") && str_has(m, "strides"),
			       "  naming the op and the attribute"))
			printf("#   got %d: %s\n", rc, m ? m : "(none)");
		aclopDestroyAttr(at);
		dt_free(&x4);
		dt_free(&w4);
		dt_free(&y4);
	}

	/* and the stream still works */
	rc = run_by(V2, "Add", 2, (struct dt[]){ a, a }, 1, &c, NULL, s);
	check_f32("after the refusals: Add again", synced(rc, s), &c, want, 6, 0);

	dt_free(&a);
	dt_free(&b4);
	dt_free(&c);
	dt_free(&i32);
	dt_free(&c33);
}

/* ---- handles, aclopCast, aclopUpdateParams, aclopExecute, compile options ---- */

static void handles(aclrtStream s)
{
	float x[6] = { 1.5f, -2.25f, 3, 4.75f, -5, 6.5f }, y[3] = { 1, 2, 3 }, want[6];
	struct dt a = F32(x, 2, 3), b = F32(y, 3), c = F32_OUT(2, 3);
	struct dt h16 = dt_new(ACL_FLOAT16, 2, D(2, 3), ACL_FORMAT_ND);
	struct dt i32 = dt_new(ACL_INT32, 2, D(2, 3), ACL_FORMAT_ND);
	const aclTensorDesc *in[2] = { a.desc, b.desc }, *out[1] = { c.desc };
	const aclDataBuffer *ib[2] = { a.buf, b.buf };
	aclDataBuffer *ob[1] = { c.buf };
	aclTensorDesc *hostd = aclCreateTensorDesc(ACL_FLOAT, 1, D(3), ACL_FORMAT_ND);
	aclopHandle *h = NULL;
	aclFloat16 hv[6];
	int32_t iv[6];
	char opt[64];
	aclError rc;
	int ok;

	aclSetTensorPlaceMent(hostd, ACL_MEMTYPE_HOST);
	CHECK_RET_MSG(aclopCreateHandle(NULL, 2, in, 1, out, NULL, &h), ACL_ERROR_INVALID_PARAM,
		      "opType is NULL");
	CHECK_RET_MSG(aclopCreateHandle("Add", 2, in, 1, out, NULL, NULL), ACL_ERROR_INVALID_PARAM,
		      "handle is NULL");
	CHECK_RET_MSG(aclopCreateHandle("Add", -1, in, 1, out, NULL, &h), ACL_ERROR_INVALID_PARAM,
		      "numInputs is -1");
	CHECK_RET_MSG(aclopCreateHandle("NoSuchOp", 2, in, 1, out, NULL, &h), ACL_ERROR_OP_NOT_FOUND,
		      "NoSuchOp");
	CHECK_RET_MSG(aclopCreateHandle("Add", 1, in, 1, out, NULL, &h), ACL_ERROR_OP_INPUT_NOT_MATCH,
		      "Add takes 2..2 inputs, got 1");
	CHECK_RET_MSG(aclopCreateHandle("Add", 2, (const aclTensorDesc *[]){ a.desc, hostd }, 1, out, NULL,
					&h),
		      ACL_ERROR_API_NOT_SUPPORT, "placed in host memory");
	TAP_CHECK(h == NULL, "no handle from the refused calls");

	for (int i = 0; i < 6; i++)
		want[i] = x[i] + y[i % 3];
	CHECK_RET(aclopCreateHandle("Add", 2, in, 1, out, NULL, &h), ACL_SUCCESS);
	rc = aclopExecWithHandle(h, 2, ib, 1, ob, s);
	check_f32("aclopExecWithHandle: Add [2,3] + [3]", synced(rc, s), &c, want, 6, 0);
	CHECK_RET_MSG(aclopExecWithHandle(NULL, 2, ib, 1, ob, s), ACL_ERROR_INVALID_PARAM, "handle is NULL");
	CHECK_RET_MSG(aclopExecWithHandle(h, 1, ib, 1, ob, s), ACL_ERROR_OP_INPUT_NOT_MATCH,
		      "Add: 1 inputs, the handle has 2");
	CHECK_RET_MSG(aclopExecWithHandle(h, 2, ib, 0, ob, s), ACL_ERROR_OP_OUTPUT_NOT_MATCH,
		      "Add: 0 outputs, the handle has 1");
	CHECK_RET_MSG(aclopExecWithHandle(h, 2, NULL, 1, ob, s), ACL_ERROR_INVALID_PARAM, "inputs is NULL");
	CHECK_RET_MSG(aclopExecWithHandle(h, -2, ib, 1, ob, s), ACL_ERROR_INVALID_PARAM,
		      "numInputs is -2");
	aclopDestroyHandle(h);
	aclopDestroyHandle(NULL);

	/* aclopCreateHandleForCast and aclopCast */
	for (int i = 0; i < 6; i++)
		iv[i] = (int32_t)x[i];
	h = NULL;
	CHECK_RET_MSG(aclopCreateHandleForCast(NULL, h16.desc, 0, &h), ACL_ERROR_INVALID_PARAM,
		      "srcDesc is NULL");
	CHECK_RET_MSG(aclopCreateHandleForCast(a.desc, h16.desc, 0, NULL), ACL_ERROR_INVALID_PARAM,
		      "handle is NULL");
	CHECK_RET(aclopCreateHandleForCast(a.desc, h16.desc, 0, &h), ACL_SUCCESS);
	rc = synced(aclopExecWithHandle(h, 1, (const aclDataBuffer *const[]){ a.buf }, 1, &h16.buf, s), s);
	ok = rc == ACL_SUCCESS;
	if (ok) {
		dt_read(&h16, hv);
		for (int i = 0; i < 6; i++)
			ok = ok && hv[i] == aclFloatToFloat16(x[i]);
	}
	TAP_CHECK(ok, "aclopCreateHandleForCast fp32 -> fp16: the values (rc %d)", rc);
	aclopDestroyHandle(h);
	CHECK_RET_MSG(aclopCast(a.desc, NULL, i32.desc, i32.buf, 1, s), ACL_ERROR_INVALID_PARAM,
		      "srcBuffer is NULL");
	rc = synced(aclopCast(a.desc, a.buf, i32.desc, i32.buf, 1, s), s);
	ok = rc == ACL_SUCCESS;
	if (ok) {
		dt_read(&i32, iv + 0);
		for (int i = 0; i < 6; i++)
			ok = ok && iv[i] == (int32_t)x[i];
	}
	TAP_CHECK(ok, "aclopCast fp32 -> int32 truncates (rc %d)", rc);

	/* aclopUpdateParams: a check of the descriptions */
	CHECK_RET(aclopUpdateParams("Add", 2, in, 1, out, NULL), ACL_SUCCESS);
	CHECK_RET_MSG(aclopUpdateParams(NULL, 2, in, 1, out, NULL), ACL_ERROR_INVALID_PARAM, "opType is NULL");
	CHECK_RET_MSG(aclopUpdateParams("NoSuchOp", 2, in, 1, out, NULL), ACL_ERROR_OP_NOT_FOUND, "NoSuchOp");
	CHECK_RET_MSG(aclopUpdateParams("Add", 2, in, 2, (const aclTensorDesc *[]){ c.desc, c.desc }, NULL),
		      ACL_ERROR_OP_OUTPUT_NOT_MATCH, "Add takes 1..1 outputs, got 2");

	/* aclopExecute, deprecated in CANN and still there */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
	rc = aclopExecute("Add", 2, in, ib, 1, out, ob, NULL, s);
	check_f32("aclopExecute (deprecated): Add", synced(rc, s), &c, want, 6, 0);
	CHECK_RET_MSG(aclopExecute("Add", 2, in, ib, 1, out, NULL, NULL, s), ACL_ERROR_INVALID_PARAM,
		      "outputs is NULL");
#pragma GCC diagnostic pop

	/* compile options and flag: stored, read back */
	CHECK_RET(aclopSetCompileFlag(ACL_OP_COMPILE_FUZZ), ACL_SUCCESS);
	CHECK_RET_MSG(aclopSetCompileFlag((aclOpCompileFlag)5), ACL_ERROR_INVALID_PARAM,
		      "flag 5 is not an aclOpCompileFlag");
	CHECK_RET(aclopSetCompileFlag(ACL_OP_COMPILE_DEFAULT), ACL_SUCCESS);
	CHECK_RET(aclSetCompileopt(ACL_PRECISION_MODE, "allow_fp32_to_fp16"), ACL_SUCCESS);
	TAP_CHECK(aclGetCompileoptSize(ACL_PRECISION_MODE) == sizeof("allow_fp32_to_fp16"),
		  "aclGetCompileoptSize counts the NUL");
	CHECK_RET_MSG(aclGetCompileopt(ACL_PRECISION_MODE, opt, 5), ACL_ERROR_INVALID_PARAM, "length 5");
	CHECK_RET(aclGetCompileopt(ACL_PRECISION_MODE, opt, sizeof(opt)), ACL_SUCCESS);
	TAP_CHECK(str_is(opt, "allow_fp32_to_fp16"), "aclGetCompileopt reads the value back");
	/* and an op still runs the same */
	rc = run_by(CE_V2, "Add", 2, (struct dt[]){ a, b }, 1, &c, NULL, s);
	check_f32("Add after the compile options changed", synced(rc, s), &c, want, 6, 0);

	aclDestroyTensorDesc(hostd);
	dt_free(&a);
	dt_free(&b);
	dt_free(&c);
	dt_free(&h16);
	dt_free(&i32);
}

/* ---- two cards: an op runs on its stream's device ---- */

static void two_devices(aclrtStream s0)
{
	float x[6] = { 1, -2, 3, -4, 5, -6 }, want[6];
	struct dt a0 = F32(x, 2, 3), c0 = F32_OUT(2, 3), a1, c1;
	aclrtStream s1 = NULL;
	aclError rc;

	for (int i = 0; i < 6; i++)
		want[i] = x[i] > 0 ? x[i] : 0;
	CHECK_RET(aclrtSetDevice(1), ACL_SUCCESS);
	CHECK_RET(aclrtCreateStream(&s1), ACL_SUCCESS);
	a1 = F32(x, 2, 3);
	c1 = F32_OUT(2, 3);
	/* device 0's stream and memory while device 1 is current */
	rc = run_by(V2, "Relu", 1, &a0, 1, &c0, NULL, s0);
	check_f32("device 1 current: Relu on device 0's stream", synced(rc, s0), &c0, want, 6, 0);
	rc = run_by(CE_V2, "Relu", 1, &a1, 1, &c1, NULL, NULL);
	check_f32("device 1's default stream", synced(rc, NULL), &c1, want, 6, 0);
	/* memory of the other device */
	CHECK_RET_MSG(run_by(V2, "Relu", 1, &a1, 1, &c0, NULL, s0), ACL_ERROR_INVALID_PARAM,
		      "Relu: input 0: ");
	CHECK_RET_MSG(run_by(V2, "Relu", 1, &a0, 1, &c1, NULL, s1), ACL_ERROR_INVALID_PARAM,
		      "is not device memory of device 1");
	dt_free(&a1);
	dt_free(&c1);
	CHECK_RET(aclrtDestroyStream(s1), ACL_SUCCESS);
	CHECK_RET(aclrtResetDevice(1), ACL_SUCCESS);
	CHECK_RET(aclrtSetDevice(0), ACL_SUCCESS);
	dt_free(&a0);
	dt_free(&c0);
}

/* ---- ops queued behind a blocking callback: what must outlive the call ---- */

static void nothing(void *arg)
{
	(void)arg;
}

static void held_back(void)
{
	uint64_t me = (uint64_t)pthread_self();
	float x[6] = { 1, -2, 3, -4, 5, -6 }, y[6] = { 10, 20, 30, 40, 50, 60 }, k[6] = { -1, 1, -1, 1, -1, 1 };
	float want_add[6], want_relu[6], got[6], zero[6] = { 0 };
	struct dt a = F32(x, 2, 3), c1 = F32(zero, 2, 3), c2 = F32(zero, 2, 3);
	aclTensorDesc *yd = aclCreateTensorDesc(ACL_FLOAT, 2, D(2, 3), ACL_FORMAT_ND);
	aclTensorDesc *kd = aclCreateTensorDesc(ACL_FLOAT, 2, D(2, 3), ACL_FORMAT_ND);
	aclDataBuffer *yb = aclCreateDataBuffer(y, sizeof(y)), *kb = aclCreateDataBuffer(NULL, 0);
	aclrtStream s2 = NULL;
	aclError rc;

	for (int i = 0; i < 6; i++) {
		want_add[i] = x[i] + y[i];
		want_relu[i] = k[i] > 0 ? k[i] : 0;
	}
	aclSetTensorPlaceMent(yd, ACL_MEMTYPE_HOST);
	aclSetTensorConst(kd, k, sizeof(k));
	CHECK_RET(aclrtCreateStream(&s2), ACL_SUCCESS);
	TAP_CHECK(aclrtSubscribeReport(me, s2) == ACL_SUCCESS &&
		  aclrtLaunchCallback(nothing, NULL, ACL_CALLBACK_BLOCK, s2) == ACL_SUCCESS,
		  "stream held back by a blocking callback");
	/* a host-placed input, overwritten as soon as the call returns */
	CHECK_RET(aclopExecuteV2("Add", 2, (aclTensorDesc *[]){ a.desc, yd }, (aclDataBuffer *[]){ a.buf, yb },
				 1, &c1.desc, &c1.buf, NULL, s2), ACL_SUCCESS);
	memset(y, 0xff, sizeof(y));
	/* a constant input whose description is destroyed before the op runs */
	CHECK_RET(aclopCompileAndExecuteV2("Relu", 1, &kd, &kb, 1, &c2.desc, &c2.buf, NULL, ACL_ENGINE_SYS,
					   ACL_COMPILE_SYS, NULL, s2), ACL_SUCCESS);
	aclDestroyTensorDesc(kd);
	aclDestroyDataBuffer(kb);
	memset(k, 0xff, sizeof(k));
	dt_read(&c1, got);
	TAP_CHECK(!memcmp(got, zero, sizeof(got)), "the ops have not run yet");
	rc = aclrtProcessReport(1000);
	TAP_CHECK(rc == ACL_SUCCESS, "callback processed: the stream goes on");
	check_f32("Add with a host-placed input the caller overwrote after the call", synced(rc, s2), &c1,
		  want_add, 6, 0);
	check_f32("Relu of a constant whose description was destroyed after the call", rc, &c2, want_relu, 6,
		  0);
	CHECK_RET(aclrtUnSubscribeReport(me, s2), ACL_SUCCESS);
	CHECK_RET(aclrtDestroyStream(s2), ACL_SUCCESS);
	aclDestroyTensorDesc(yd);
	aclDestroyDataBuffer(yb);
	dt_free(&a);
	dt_free(&c1);
	dt_free(&c2);
}

/* ---- threads: each its own stream, ops interleaved on the card ---- */

struct worker {
	pthread_t tid;
	int id, bad;
	aclError rc;
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	float x[64], y[64], got[64];
	struct dt a, b, c;
	aclrtStream s = NULL;

	w->rc = aclrtSetDevice(0);
	if (!w->rc)
		w->rc = aclrtCreateStream(&s);
	if (w->rc)
		return NULL;
	for (int i = 0; i < 64; i++) {
		x[i] = (float)(i + 100 * w->id);
		y[i] = (float)w->id;
	}
	a = F32(x, 8, 8);
	b = F32(y, 8, 8);
	c = F32_OUT(8, 8);
	for (int it = 0; it < 25 && !w->rc; it++) {
		w->rc = synced(run_by((enum how)(it % NHOW), "Add", 2, (struct dt[]){ a, b }, 1, &c, NULL, s), s);
		if (w->rc)
			break;
		dt_read(&c, got);
		for (int i = 0; i < 64; i++)
			w->bad += got[i] != x[i] + y[i];
	}
	dt_free(&a);
	dt_free(&b);
	dt_free(&c);
	if (aclrtDestroyStream(s) || aclrtResetDevice(0))
		w->rc = ACL_ERROR_INTERNAL_ERROR;
	return NULL;
}

static void threads(void)
{
	struct worker w[3];
	int bad = 0, failed = 0;

	for (int i = 0; i < 3; i++) {
		memset(&w[i], 0, sizeof(w[i]));
		w[i].id = i + 1;
		if (pthread_create(&w[i].tid, NULL, worker_main, &w[i]))
			bail_out("pthread_create");
	}
	for (int i = 0; i < 3; i++) {
		pthread_join(w[i].tid, NULL);
		bad += w[i].bad;
		failed += w[i].rc != ACL_SUCCESS;
	}
	TAP_CHECK(!failed && !bad, "3 threads x 25 Adds on their own streams: all ran, right numbers "
		  "(%d failed, %d wrong elements)", failed, bad);
}

/* ---- single-op models ---- */

/* A one-task model for @op_id named @name: z[2,3] = op(x[2,3], y[2,3]). */
static int single_op_model(const char *name, uint32_t op_id, void **buf, size_t *len)
{
	struct om_builder *b = om_builder_new();
	const int64_t d23[2] = { 2, 3 };
	uint32_t in[2], out[1];
	struct om_tensor t;
	int rc;

	if (!b)
		return -1;
	om_b_set_name(b, name);
	om_b_set_soc(b, "Ascend910B3");
	t = mdl_tensor(b, "x", 2, d23, OM_PLACE_INPUT, 0, 0);
	in[0] = om_b_tensor(b, &t);
	mdl_io(b, &t, in[0], false);
	t = mdl_tensor(b, "y", 2, d23, OM_PLACE_INPUT, 1, 0);
	in[1] = om_b_tensor(b, &t);
	mdl_io(b, &t, in[1], false);
	t = mdl_tensor(b, "z", 2, d23, OM_PLACE_OUTPUT, 0, 0);
	out[0] = om_b_tensor(b, &t);
	mdl_io(b, &t, out[0], true);
	om_b_task(b, op_id, name, in, 2, out, 1, NULL, 0);
	rc = om_b_finish(b, buf, len);
	om_builder_free(b);
	return rc;
}

static int write_file(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	int ok = f && fwrite(p, 1, n, f) == n;

	if (f && fclose(f))
		ok = 0;
	return ok ? 0 : -1;
}

static void models(aclrtStream s)
{
	char dir[] = "/tmp/vascend_opmodel_XXXXXX", bad[] = "/tmp/vascend_opmodel_XXXXXX";
	char path[256], path2[256];
	void *one = NULL, *three = NULL;
	size_t one_len = 0, three_len = 0;
	uint8_t junk[256];
	size_t before = acl_op_model_count(NULL);

	memset(junk, 0x5a, sizeof(junk));
	if (single_op_model("Mul", MDL_OP_ADD + 2, &one, &one_len) || mdl_build(&three, &three_len))
		bail_out("cannot build the .om models");

	CHECK_RET_MSG(aclopLoad(NULL, 16), ACL_ERROR_INVALID_PARAM, "model is NULL");
	CHECK_RET_MSG(aclopLoad(one, 0), ACL_ERROR_INVALID_PARAM, "modelSize is 0");
	CHECK_RET_MSG(aclopLoad(junk, sizeof(junk)), ACL_ERROR_DESERIALIZE_MODEL, "not a valid .om model");
	CHECK_RET_MSG(aclopLoad(one, one_len / 2), ACL_ERROR_DESERIALIZE_MODEL, "not a valid .om model");
	CHECK_RET_MSG(aclopLoad(three, three_len), ACL_ERROR_OP_LOAD_FAILED, "not a single-op model (3 tasks");
	TAP_CHECK(acl_op_model_count(NULL) == before, "nothing was loaded by the refused calls");
	/* an unaligned copy is fine */
	{
		uint8_t *u = malloc(one_len + 1);

		memcpy(u + 1, one, one_len);
		CHECK_RET(aclopLoad(u + 1, one_len), ACL_SUCCESS);
		free(u);
	}
	TAP_CHECK(acl_op_model_count("Mul") == 1, "aclopLoad: the Mul model is listed");

	/* aclopSetModelDir */
	CHECK_RET_MSG(aclopSetModelDir(NULL), ACL_ERROR_INVALID_PARAM, "modelDir is NULL");
	CHECK_RET_MSG(aclopSetModelDir("/nonexistent/vascend"), ACL_ERROR_INVALID_FILE, "/nonexistent/vascend");
	if (!mkdtemp(dir) || !mkdtemp(bad))
		bail_out("mkdtemp");
	snprintf(path, sizeof(path), "%s/junk.om", bad);
	write_file(path, junk, sizeof(junk));
	CHECK_RET_MSG(aclopSetModelDir(bad), ACL_ERROR_DESERIALIZE_MODEL, "junk.om");
	unlink(path);
	snprintf(path, sizeof(path), "%s/three.om", bad);
	write_file(path, three, three_len);
	CHECK_RET_MSG(aclopSetModelDir(bad), ACL_ERROR_OP_LOAD_FAILED, "three.om");
	unlink(path);
	rmdir(bad);
	free(one);
	one = NULL;
	if (single_op_model("Add", MDL_OP_ADD, &one, &one_len))
		bail_out("cannot build the Add model");
	snprintf(path, sizeof(path), "%s/add.om", dir);
	snprintf(path2, sizeof(path2), "%s/readme.txt", dir);
	write_file(path, one, one_len);
	write_file(path2, "not a model", 11);
	CHECK_RET(aclopSetModelDir(dir), ACL_SUCCESS);
	TAP_CHECK(acl_op_model_count("Add") == 1, "aclopSetModelDir: the Add model is listed, readme.txt is not");
	CHECK_RET_MSG(aclopSetModelDir(dir), ACL_ERROR_REPEAT_INITIALIZE, "already set");
	unlink(path);
	unlink(path2);
	rmdir(dir);

	/* the op the model describes runs */
	{
		float x[6] = { 1, 2, 3, 4, 5, 6 }, want[6];
		struct dt in[2] = { F32(x, 2, 3), F32(x, 2, 3) }, out = F32_OUT(2, 3);
		aclError rc;

		for (int i = 0; i < 6; i++)
			want[i] = 2 * x[i];
		rc = run_by(V2, "Add", 2, in, 1, &out, NULL, s);
		check_f32("Add with its single-op model loaded", synced(rc, s), &out, want,
			  6, 0);
		free_all(in, 2);
		dt_free(&out);
	}
	free(one);
	free(three);
}

/* ---- aclrtResetDevice between ops ---- */

static void reset_path(void)
{
	for (int round = 0; round < 2; round++) {
		float x[6] = { -1, 2, -3, 4, -5, 6 }, want[6];
		struct dt in, out;
		aclrtStream s = NULL;
		aclError rc;

		CHECK_RET(aclrtSetDevice(0), ACL_SUCCESS);
		CHECK_RET(aclrtCreateStream(&s), ACL_SUCCESS);
		for (int i = 0; i < 6; i++)
			want[i] = x[i] > 0 ? x[i] : 0;
		in = F32(x, 2, 3);
		out = F32_OUT(2, 3);
		/* the constant travels in the runtime's pinned pool */
		aclSetTensorConst(in.desc, x, sizeof(x));
		rc = run_by(V2, "Relu", 1, &in, 1, &out, NULL, s);
		if (!rc)
			rc = run_by(V2, "Relu", 1, &in, 1, &out, NULL, NULL);
		check_f32(round ? "after aclrtResetDevice + aclrtSetDevice: Relu (constant input)" :
			  "before aclrtResetDevice: Relu (constant input)",
			  rc ? rc : aclrtSynchronizeDevice(), &out, want, 6, 0);
		dt_free(&in);
		dt_free(&out);
		CHECK_RET(aclrtDestroyStream(s), ACL_SUCCESS);
		CHECK_RET(aclrtResetDevice(0), ACL_SUCCESS);
	}
}

/*
 * A refusal names the op that was refused, not an older launch that had
 * the same stream and task number: streams made after a destroyed one (or
 * the default stream after aclrtResetDevice) number their tasks from 1
 * again, often at the same address.
 */
static void stale_history(void)
{
	float x[6] = { 1, 2, 3, 4, 5, 6 };
	const char *m;

	for (int round = 0; round < 2; round++) {
		aclrtStream s = NULL;
		struct dt a, b4, c;
		aclopAttr *at;

		CHECK_RET(aclrtSetDevice(0), ACL_SUCCESS);
		CHECK_RET(aclrtCreateStream(&s), ACL_SUCCESS);
		a = F32(x, 2, 3);
		b4 = F32(x, 4);
		c = F32_OUT(2, 3);
		if (!round) {
			/* first incarnation: one good LeakyRelu on each stream */
			at = aclopCreateAttr();
			aclopSetAttrFloat(at, "negative_slope", 0.5f);
			CHECK_RET(synced(run_by(V2, "LeakyRelu", 1, &a, 1, &c, at, s), s), ACL_SUCCESS);
			CHECK_RET(synced(run_by(V2, "LeakyRelu", 1, &a, 1, &c, at, NULL), NULL), ACL_SUCCESS);
			aclopDestroyAttr(at);
		} else {
			/* second: the same task numbers, refused Adds */
			CHECK_RET(run_by(V2, "Add", 2, (struct dt[]){ a, b4 }, 1, &c, NULL, s), ACL_SUCCESS);
			CHECK_RET(aclrtSynchronizeStream(s), ACL_ERROR_OP_INPUT_NOT_MATCH);
			m = take_msg();
			if (!TAP_CHECK(str_has(m, "op Add") && !str_has(m, "LeakyRelu"),
				       "a new stream's refusal names Add, not the old stream's LeakyRelu"))
				printf("#   message: %s\n", m ? m : "(none)");
			CHECK_RET(run_by(V2, "Add", 2, (struct dt[]){ a, b4 }, 1, &c, NULL, NULL), ACL_SUCCESS);
			CHECK_RET(aclrtSynchronizeStream(NULL), ACL_ERROR_OP_INPUT_NOT_MATCH);
			m = take_msg();
			if (!TAP_CHECK(str_has(m, "op Add") && !str_has(m, "LeakyRelu"),
				       "after aclrtResetDevice, the default stream's refusal names Add"))
				printf("#   message: %s\n", m ? m : "(none)");
		}
		dt_free(&a);
		dt_free(&b4);
		dt_free(&c);
		CHECK_RET(aclrtDestroyStream(s), ACL_SUCCESS);
		CHECK_RET(aclrtResetDevice(0), ACL_SUCCESS);
	}
}

int main(void)
{
	aclrtStream s = NULL;

	fake_op_cards(64 * MiB);
	before_init();
	reset_path();
	stale_history();
	CHECK_RET(aclrtSetDevice(0), ACL_SUCCESS);
	CHECK_RET(aclrtCreateStream(&s), ACL_SUCCESS);
	arguments(s);
	ops(s);
	refusals(s);
	handles(s);
	two_devices(s);
	held_back();
	threads();
	models(s);
	CHECK_RET(aclrtDestroyStream(s), ACL_SUCCESS);
	CHECK_RET(aclrtResetDevice(0), ACL_SUCCESS);
	CHECK_RET(aclFinalize(), ACL_SUCCESS);
	return tap_done();
}

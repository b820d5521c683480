// SPDX-License-Identifier: MIT
/*
 * acl_op_add: a single operator from the card's library, the CANN way.
 * "Add" is named by its op type; its operands are described with
 * aclCreateTensorDesc, held in aclCreateDataBuffer buffers of device
 * memory, and run on a stream with aclopExecuteV2.
 *
 * Two cases: float32 x[8,16] + y[8,16], and float16 x[4,8,16] + y[16]
 * (y broadcast along the leading dimensions, as Add allows). The host
 * computes the same sums; float32 must match exactly (one rounding either
 * way), float16 to within half a unit in the last place of the result.
 * Last line "RESULT: PASS" (exit 0) or "RESULT: FAIL" (exit 1).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acl/acl.h"

#define ACL_CHECK(call)                                                              \
	do {                                                                         \
		aclError ret_ = (call);                                              \
		if (ret_ != ACL_SUCCESS) {                                           \
			const char *msg_ = aclGetRecentErrMsg();                     \
			fprintf(stderr, "%s:%d: %s failed: error %d%s%s\n", __FILE__, \
				__LINE__, #call, ret_, msg_ ? ": " : "", msg_ ? msg_ : ""); \
			return 0;                                                    \
		}                                                                    \
	} while (0)

#define MAX_DIMS 4

static const int32_t device_id = 0;
static aclrtStream stream;

/* One operand: its description, its device memory and the buffer over it. */
struct operand {
	aclTensorDesc *desc;
	void *dev;
	aclDataBuffer *buf;
	size_t size;
};

static int operand_create(struct operand *o, aclDataType type, int ndims, const int64_t *dims,
			  const void *host)
{
	memset(o, 0, sizeof(*o));
	o->desc = aclCreateTensorDesc(type, ndims, dims, ACL_FORMAT_ND);
	if (!o->desc) {
		fprintf(stderr, "aclCreateTensorDesc failed\n");
		return 0;
	}
	o->size = aclGetTensorDescSize(o->desc);
	ACL_CHECK(aclrtMalloc(&o->dev, o->size, ACL_MEM_MALLOC_HUGE_FIRST));
	if (host)
		ACL_CHECK(aclrtMemcpy(o->dev, o->size, host, o->size, ACL_MEMCPY_HOST_TO_DEVICE));
	o->buf = aclCreateDataBuffer(o->dev, o->size);
	if (!o->buf) {
		fprintf(stderr, "aclCreateDataBuffer failed\n");
		return 0;
	}
	return 1;
}

static void operand_destroy(struct operand *o)
{
	if (o->buf)
		aclDestroyDataBuffer(o->buf);
	if (o->dev)
		aclrtFree(o->dev);
	if (o->desc)
		aclDestroyTensorDesc(o->desc);
	memset(o, 0, sizeof(*o));
}

/* out = x + y on the card; out's size must be what the caller reads back. */
static int run_add(struct operand *x, struct operand *y, struct operand *out, void *host_out)
{
	aclTensorDesc *in_desc[2] = { x->desc, y->desc };
	aclDataBuffer *in_buf[2] = { x->buf, y->buf };
	aclTensorDesc *out_desc[1] = { out->desc };
	aclDataBuffer *out_buf[1] = { out->buf };
	aclopAttr *attr = aclopCreateAttr();	/* Add has no attributes */
	aclError ret;

	if (!attr) {
		fprintf(stderr, "aclopCreateAttr failed\n");
		return 0;
	}
	ret = aclopExecuteV2("Add", 2, in_desc, in_buf, 1, out_desc, out_buf, attr, stream);
	aclopDestroyAttr(attr);
	if (ret != ACL_SUCCESS) {
		const char *msg = aclGetRecentErrMsg();

		fprintf(stderr, "aclopExecuteV2(\"Add\") failed: error %d%s%s\n", ret,
			msg ? ": " : "", msg ? msg : "");
		return 0;
	}
	ACL_CHECK(aclrtSynchronizeStream(stream));
	ACL_CHECK(aclrtMemcpy(host_out, out->size, out->dev, out->size, ACL_MEMCPY_DEVICE_TO_HOST));
	return 1;
}

static float pattern(int i, float scale)
{
	return (float)((i * 37) % 101 - 50) * scale;
}

static int add_float32(void)
{
	enum { R = 8, C = 16, N = R * C };
	static const int64_t dims[] = { R, C };
	float x[N], y[N], z[N];
	struct operand ox, oy, oz;
	int ok, i, bad = 0;

	for (i = 0; i < N; i++) {
		x[i] = pattern(i, 0.25f);
		y[i] = pattern(i + 7, 1.0f / 3.0f);
		z[i] = NAN;
	}
	ok = operand_create(&ox, ACL_FLOAT, 2, dims, x) && operand_create(&oy, ACL_FLOAT, 2, dims, y) &&
	     operand_create(&oz, ACL_FLOAT, 2, dims, NULL) && run_add(&ox, &oy, &oz, z);
	for (i = 0; ok && i < N; i++) {
		if (z[i] != x[i] + y[i]) {
			if (bad++ < 5)
				fprintf(stderr, "float32 [%d]: %g + %g gave %g\n", i, x[i], y[i], z[i]);
		}
	}
	operand_destroy(&ox);
	operand_destroy(&oy);
	operand_destroy(&oz);
	if (ok)
		printf("Add float32 [8,16] + [8,16]: %d of %d sums exact   %s\n", N - bad, N,
		       bad ? "FAIL" : "PASS");
	else
		printf("Add float32 [8,16] + [8,16]: did not run   FAIL\n");
	return ok && !bad;
}

static int add_float16_broadcast(void)
{
	enum { A = 4, R = 8, C = 16, N = A * R * C };
	static const int64_t xdims[] = { A, R, C }, ydims[] = { C };
	aclFloat16 x[N], y[C], z[N];
	struct operand ox, oy, oz;
	int ok, i, bad = 0;

	for (i = 0; i < N; i++)
		x[i] = aclFloatToFloat16(pattern(i, 0.125f));
	for (i = 0; i < C; i++)
		y[i] = aclFloatToFloat16(pattern(3 * i + 1, 0.5f));
	memset(z, 0xff, sizeof(z));	/* NaN */
	ok = operand_create(&ox, ACL_FLOAT16, 3, xdims, x) &&
	     operand_create(&oy, ACL_FLOAT16, 1, ydims, y) &&
	     operand_create(&oz, ACL_FLOAT16, 3, xdims, NULL) && run_add(&ox, &oy, &oz, z);
	for (i = 0; ok && i < N; i++) {
		float want = aclFloat16ToFloat(x[i]) + aclFloat16ToFloat(y[i % C]);
		float got = aclFloat16ToFloat(z[i]);
		/* float16 has 11 significant bits: half an ulp is 2^-11 relative */
		float tol = fabsf(want) * (1.0f / 2048.0f) + 1e-6f;

		if (!(fabsf(got - want) <= tol)) {
			if (bad++ < 5)
				fprintf(stderr, "float16 [%d]: expected %g, got %g\n", i, want, got);
		}
	}
	operand_destroy(&ox);
	operand_destroy(&oy);
	operand_destroy(&oz);
	if (ok)
		printf("Add float16 [4,8,16] + [16] (broadcast): %d of %d sums correct   %s\n",
		       N - bad, N, bad ? "FAIL" : "PASS");
	else
		printf("Add float16 [4,8,16] + [16] (broadcast): did not run   FAIL\n");
	return ok && !bad;
}

static int init_resource(void)
{
	ACL_CHECK(aclInit(NULL));
	ACL_CHECK(aclrtSetDevice(device_id));
	ACL_CHECK(aclrtCreateStream(&stream));
	return 1;
}

static int destroy_resource(void)
{
	int ok = 1;

	ok &= !stream || aclrtDestroyStream(stream) == ACL_SUCCESS;
	ok &= aclrtResetDevice(device_id) == ACL_SUCCESS;
	ok &= aclFinalize() == ACL_SUCCESS;
	if (!ok)
		fprintf(stderr, "releasing the resources failed\n");
	return ok;
}

int main(void)
{
	int ok;

	ok = init_resource();
	if (ok) {
		ok &= add_float32();
		ok &= add_float16_broadcast();
	}
	if (!destroy_resource())
		ok = 0;
	printf("RESULT: %s\n", ok ? "PASS" : "FAIL");
	return ok ? 0 : 1;
}

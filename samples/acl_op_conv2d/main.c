// SPDX-License-Identifier: MIT
/*
 * acl_op_conv2d: a convolution from the card's library with CANN's
 * "Conv2D" operator and its attributes (strides, pads, dilations as four
 * values, groups, data_format), run with aclopCompileAndExecute as CANN
 * programs that build their ops at run time do.
 *
 * x is float32 NCHW [2,3,9,9], the filter [4,3,3,3], bias [4]; stride 2 and
 * one pixel of padding on every side give y [2,4,5,5]. The host computes
 * the same convolution in double precision; every output must agree to
 * 1e-4 relative. Last line "RESULT: PASS" (exit 0) or "RESULT: FAIL"
 * (exit 1).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "acl/acl.h"
#include "acl/acl_op_compiler.h"

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

/* The problem */
enum {
	N = 2, CI = 3, H = 9, W = 9,		/* x */
	CO = 4, KH = 3, KW = 3,			/* filter */
	STRIDE = 2, PAD = 1,
	OH = (H + 2 * PAD - KH) / STRIDE + 1,	/* 5 */
	OW = (W + 2 * PAD - KW) / STRIDE + 1,	/* 5 */
};

static const int32_t device_id = 0;
static aclrtStream stream;

static float x[N * CI * H * W], filter[CO * CI * KH * KW], bias[CO];
static float y[N * CO * OH * OW];

/* Index helpers, NCHW */
#define X(n, c, h, w) x[(((n) * CI + (c)) * H + (h)) * W + (w)]
#define F(o, c, h, w) filter[(((o) * CI + (c)) * KH + (h)) * KW + (w)]
#define Y(n, o, h, w) y[(((n) * CO + (o)) * OH + (h)) * OW + (w)]

struct operand {
	aclTensorDesc *desc;
	void *dev;
	aclDataBuffer *buf;
	size_t size;
};

static int operand_create(struct operand *o, int ndims, const int64_t *dims, aclFormat format,
			  const float *host)
{
	memset(o, 0, sizeof(*o));
	o->desc = aclCreateTensorDesc(ACL_FLOAT, ndims, dims, format);
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

/* Conv2D's attributes as a CANN program sets them. */
static aclopAttr *conv_attr(void)
{
	static const int64_t strides[4] = { 1, 1, STRIDE, STRIDE };	/* N, C, H, W */
	static const int64_t pads[4] = { PAD, PAD, PAD, PAD };	/* top, bottom, left, right */
	static const int64_t dilations[4] = { 1, 1, 1, 1 };
	aclopAttr *attr = aclopCreateAttr();

	if (!attr)
		return NULL;
	if (aclopSetAttrListInt(attr, "strides", 4, strides) != ACL_SUCCESS ||
	    aclopSetAttrListInt(attr, "pads", 4, pads) != ACL_SUCCESS ||
	    aclopSetAttrListInt(attr, "dilations", 4, dilations) != ACL_SUCCESS ||
	    aclopSetAttrInt(attr, "groups", 1) != ACL_SUCCESS ||
	    aclopSetAttrString(attr, "data_format", "NCHW") != ACL_SUCCESS) {
		aclopDestroyAttr(attr);
		return NULL;
	}
	return attr;
}

static int run_conv(void)
{
	static const int64_t xd[] = { N, CI, H, W }, fd[] = { CO, CI, KH, KW }, bd[] = { CO },
			     yd[] = { N, CO, OH, OW };
	struct operand ox, of, ob, oy;
	aclopAttr *attr = NULL;
	int ok;

	ok = operand_create(&ox, 4, xd, ACL_FORMAT_NCHW, x) &&
	     operand_create(&of, 4, fd, ACL_FORMAT_NCHW, filter) &&
	     operand_create(&ob, 1, bd, ACL_FORMAT_ND, bias) &&
	     operand_create(&oy, 4, yd, ACL_FORMAT_NCHW, NULL);
	if (ok) {
		const aclTensorDesc *in_desc[3] = { ox.desc, of.desc, ob.desc };
		const aclDataBuffer *in_buf[3] = { ox.buf, of.buf, ob.buf };
		const aclTensorDesc *out_desc[1] = { oy.desc };
		aclDataBuffer *out_buf[1] = { oy.buf };
		aclError ret;

		attr = conv_attr();
		if (!attr) {
			fprintf(stderr, "setting Conv2D's attributes failed\n");
			ok = 0;
		} else {
			ret = aclopCompileAndExecute("Conv2D", 3, in_desc, in_buf, 1, out_desc,
						     out_buf, attr, ACL_ENGINE_SYS, ACL_COMPILE_SYS,
						     NULL, stream);
			if (ret == ACL_SUCCESS)
				ret = aclrtSynchronizeStream(stream);
			if (ret == ACL_SUCCESS)
				ret = aclrtMemcpy(y, sizeof(y), oy.dev, oy.size,
						  ACL_MEMCPY_DEVICE_TO_HOST);
			if (ret != ACL_SUCCESS) {
				const char *msg = aclGetRecentErrMsg();

				fprintf(stderr, "Conv2D failed: error %d%s%s\n", ret, msg ? ": " : "",
					msg ? msg : "");
				ok = 0;
			}
		}
	}
	if (attr)
		aclopDestroyAttr(attr);
	operand_destroy(&ox);
	operand_destroy(&of);
	operand_destroy(&ob);
	operand_destroy(&oy);
	return ok;
}

/* The reference: the same convolution in double precision. */
static double reference(int n, int o, int oh, int ow)
{
	double s = bias[o];
	int c, i, j;

	for (c = 0; c < CI; c++)
		for (i = 0; i < KH; i++)
			for (j = 0; j < KW; j++) {
				int h = oh * STRIDE - PAD + i, w = ow * STRIDE - PAD + j;

				if (h >= 0 && h < H && w >= 0 && w < W)
					s += (double)X(n, c, h, w) * F(o, c, i, j);
			}
	return s;
}

static int check(void)
{
	int n, o, i, j, bad = 0, total = 0;
	double worst = 0;

	for (n = 0; n < N; n++)
		for (o = 0; o < CO; o++)
			for (i = 0; i < OH; i++)
				for (j = 0; j < OW; j++) {
					double want = reference(n, o, i, j), got = Y(n, o, i, j);
					double err = fabs(got - want) / (1.0 + fabs(want));

					total++;
					if (!(err <= 1e-4)) {
						if (bad++ < 5)
							fprintf(stderr, "y[%d,%d,%d,%d]: expected %.6f, got %.6f\n",
								n, o, i, j, want, got);
					} else if (err > worst) {
						worst = err;
					}
				}
	printf("Conv2D NCHW [%d,%d,%d,%d] * [%d,%d,%d,%d] stride %d pad %d -> [%d,%d,%d,%d]: "
	       "%d of %d outputs match (worst relative error %.1e)   %s\n",
	       N, CI, H, W, CO, CI, KH, KW, STRIDE, PAD, N, CO, OH, OW, total - bad, total, worst,
	       bad ? "FAIL" : "PASS");
	return !bad;
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
	size_t i;
	int ok;

	for (i = 0; i < sizeof(x) / sizeof(x[0]); i++)
		x[i] = (float)((int)(i * 29 % 61) - 30) / 16.0f;
	for (i = 0; i < sizeof(filter) / sizeof(filter[0]); i++)
		filter[i] = (float)((int)(i * 13 % 23) - 11) / 8.0f;
	for (i = 0; i < CO; i++)
		bias[i] = 0.5f * (float)i - 0.75f;
	for (i = 0; i < sizeof(y) / sizeof(y[0]); i++)
		y[i] = NAN;

	ok = init_resource() && run_conv() && check();
	if (!destroy_resource())
		ok = 0;
	printf("RESULT: %s\n", ok ? "PASS" : "FAIL");
	return ok ? 0 : 1;
}

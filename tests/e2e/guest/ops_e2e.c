// SPDX-License-Identifier: MIT
/*
 * ops_e2e: the card's operator library through AscendCL's single-op API
 * (aclopExecuteV2) and BLAS (aclblasGemmEx), in the VM, through the real
 * libascendcl, libascend_hal, driver and device. TAP.
 *
 *   ops_e2e [DEVICE]
 *
 * DEVICE (default 0) is the card to run on: tests/e2e/run.sh runs the
 * program on a card with ops=fast and on one with ops=reference.
 * One or more cases per op family (elementwise with broadcasting, unary,
 * MatMul/BatchMatMul/GEMM and aclblasGemmEx, Conv2D NCHW, pooling,
 * softmax and normalisations, reductions, Cast and data movement); each
 * computes its expected numbers here, in plain C, and compares every
 * element the card wrote (outputs start as 0xff bytes, so an element left
 * unwritten shows). Then a launch the card refuses (shapes that do not
 * broadcast): the error names the operand, and the stream still works.
 */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acl/acl.h"
#include "acl/ops/acl_cblas.h"
#include "tap.h"

#define MAX_TENSORS 16
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
/* DIMS(2, 3) -> 2, (const int64_t[]){2, 3}: a rank and its dims. */
#define DIMS(...) (int)COUNT(((const int64_t[]){ __VA_ARGS__ })), (const int64_t[]){ __VA_ARGS__ }
/* OPS(a, b) -> 2, (struct ten *[]){a, b}: operands of one call. */
#define OPS(...) (int)COUNT(((struct ten *[]){ __VA_ARGS__ })), (struct ten *[]){ __VA_ARGS__ }

static aclrtStream stream;

/* One operand: description, device memory, the buffer over it. */
struct ten {
	aclTensorDesc *desc;
	aclDataBuffer *buf;
	void *dev;
	size_t size;
};

/* The current case's operands, freed together by release(). */
static struct ten pool[MAX_TENSORS];
static int pool_used;
/*
 * The outputs of the last run(): C leaves the order in which a call's
 * operands are created unspecified, so results are found through this.
 */
static struct ten *outs[MAX_TENSORS];
static int nouts;
/* aclGetRecentErrMsg() of the last failed run() (reading it clears it). */
static char last_msg[1024];

static struct ten *mkf(aclDataType dt, aclFormat fmt, int nd, const int64_t *dims, const void *host)
{
	struct ten *t;

	if (pool_used == MAX_TENSORS)
		return NULL;
	t = &pool[pool_used++];
	memset(t, 0, sizeof(*t));
	t->desc = aclCreateTensorDesc(dt, nd, dims, fmt);
	if (!t->desc)
		return NULL;
	if (dt == ACL_DT_UNDEFINED) {	/* an omitted optional operand, as CANN passes one */
		t->buf = aclCreateDataBuffer(NULL, 0);
		return t->buf ? t : NULL;
	}
	t->size = aclGetTensorDescSize(t->desc);
	if (aclrtMalloc(&t->dev, t->size ? t->size : 1, ACL_MEM_MALLOC_HUGE_FIRST) != ACL_SUCCESS)
		return NULL;
	if (host && t->size &&
	    aclrtMemcpy(t->dev, t->size, host, t->size, ACL_MEMCPY_HOST_TO_DEVICE) != ACL_SUCCESS)
		return NULL;
	if (!host && t->size && aclrtMemset(t->dev, t->size, 0xff, t->size) != ACL_SUCCESS)
		return NULL;
	t->buf = aclCreateDataBuffer(t->dev, t->size);
	return t->buf ? t : NULL;
}

static struct ten *mk(aclDataType dt, int nd, const int64_t *dims, const void *host)
{
	return mkf(dt, ACL_FORMAT_ND, nd, dims, host);
}

static struct ten *omitted(void)
{
	return mkf(ACL_DT_UNDEFINED, ACL_FORMAT_UNDEFINED, 0, NULL, NULL);
}

static void release(void)
{
	for (int i = 0; i < pool_used; i++) {
		if (pool[i].buf)
			aclDestroyDataBuffer(pool[i].buf);
		if (pool[i].dev)
			aclrtFree(pool[i].dev);
		if (pool[i].desc)
			aclDestroyTensorDesc(pool[i].desc);
	}
	pool_used = 0;
	nouts = 0;
}

/* Run @op on the stream and wait; the error's message goes to the TAP log. */
static aclError run(const char *op, int nin, struct ten **in, int nout, struct ten **out,
		    aclopAttr *attr)
{
	const aclTensorDesc *id[MAX_TENSORS], *od[MAX_TENSORS];
	aclDataBuffer *ib[MAX_TENSORS], *ob[MAX_TENSORS];
	aclError rc = ACL_ERROR_BAD_ALLOC;
	int i;

	nouts = 0;
	for (i = 0; i < nin; i++) {
		if (!in[i])
			goto out;
		id[i] = in[i]->desc;
		ib[i] = in[i]->buf;
	}
	for (i = 0; i < nout; i++) {
		if (!out[i])
			goto out;
		od[i] = out[i]->desc;
		ob[i] = out[i]->buf;
		outs[nouts++] = out[i];
	}
	rc = aclopExecuteV2(op, nin, (aclTensorDesc **)id, ib, nout, (aclTensorDesc **)od, ob,
			    attr, stream);
	if (rc == ACL_SUCCESS)
		rc = aclrtSynchronizeStream(stream);
out:
	last_msg[0] = '\0';
	if (rc != ACL_SUCCESS) {
		const char *m = aclGetRecentErrMsg();

		snprintf(last_msg, sizeof(last_msg), "%s", m ? m : "");
		printf("# %s: error %d: %s\n", op, rc, last_msg);
	}
	if (attr)
		aclopDestroyAttr(attr);
	return rc;
}

/* Copy @t's device bytes to @host. */
static bool get(const struct ten *t, void *host)
{
	return t && aclrtMemcpy(host, t->size, t->dev, t->size, ACL_MEMCPY_DEVICE_TO_HOST) ==
			    ACL_SUCCESS;
}

/* |got - want| <= atol + rtol * |want| everywhere; NaN never matches. */
static bool near(const float *got, const float *want, size_t n, double atol, double rtol,
		 double *maxerr)
{
	bool ok = true;

	*maxerr = 0;
	for (size_t i = 0; i < n; i++) {
		double e = fabs((double)got[i] - (double)want[i]);

		if (!(e <= atol + rtol * fabs((double)want[i]))) {
			if (ok)
				printf("# first mismatch [%zu]: got %.9g want %.9g\n", i, got[i],
				       want[i]);
			ok = false;
		}
		if (e > *maxerr || e != e)
			*maxerr = e;
	}
	return ok;
}

/* Run, read output 0 as fp32 and compare: one TAP line. */
static void expect_f32(const char *what, aclError rc, int out, const float *want, size_t n,
		       double atol, double rtol)
{
	const struct ten *y = out < nouts ? outs[out] : NULL;
	float *got = malloc(n * sizeof(float));
	double err = -1;
	bool ok = got && rc == ACL_SUCCESS && y && y->size == n * sizeof(float) && get(y, got) &&
		  near(got, want, n, atol, rtol, &err);

	TAP_CHECK(ok, "%s: %zu elements, max error %.3g (status %d)", what, n, err, rc);
	free(got);
	release();
}

static void expect_bytes(const char *what, aclError rc, int out, const void *want, size_t n)
{
	const struct ten *y = out < nouts ? outs[out] : NULL;
	uint8_t *got = malloc(n);
	bool ok = got && rc == ACL_SUCCESS && y && y->size == n && get(y, got) &&
		  !memcmp(got, want, n);

	TAP_CHECK(ok, "%s: %zu bytes exact (status %d)", what, n, rc);
	free(got);
	release();
}

static float pat(int i, float scale)
{
	return (float)((i * 37 + 11) % 101 - 50) * scale;
}

static void fill(float *p, size_t n, float scale, int seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = pat((int)i + seed, scale);
}

static aclopAttr *attrs(void)
{
	return aclopCreateAttr();
}

/* ---- elementwise, numpy broadcasting ---- */

static void elementwise(void)
{
	float a[2 * 3 * 4], b[3], c[2 * 3 * 4], m1[2], m2[3], mx[6], p[4], pw[4];
	int32_t ia[6] = { 7, -7, 9, 100, -3, 5 }, ib[6] = { 2, 2, -4, 0, 5, -1 }, iq[6];
	aclFloat16 h1[4 * 8], h2[8];
	float hw[4 * 8];
	uint8_t gt[6], cond[4] = { 1, 0, 0, 1 };
	float g1[6] = { 1, 2, 3, 4, 5, 6 }, g2[6] = { 3, 2, 1, 4, 6, 5 };
	float sx[4] = { 1, 2, 3, 4 }, sy[4] = { -1, -2, -3, -4 }, sw[4];
	aclopAttr *at;

	fill(a, COUNT(a), 0.25f, 0);
	fill(b, COUNT(b), 0.5f, 3);
	for (int i = 0; i < 24; i++)
		c[i] = a[i] + b[(i / 4) % 3];
	expect_f32("elementwise: Add fp32 [2,3,4] + [3,1] (broadcast)",
		   run("Add", OPS(mk(ACL_FLOAT, DIMS(2, 3, 4), a), mk(ACL_FLOAT, DIMS(3, 1), b)),
		       OPS(mk(ACL_FLOAT, DIMS(2, 3, 4), NULL)), attrs()),
		   0, c, 24, 0, 0);

	for (int i = 0; i < 24; i++)
		c[i] = a[i] - b[(i / 4) % 3];
	expect_f32("elementwise: Sub fp32 [2,3,4] - [3,1]",
		   run("Sub", OPS(mk(ACL_FLOAT, DIMS(2, 3, 4), a), mk(ACL_FLOAT, DIMS(3, 1), b)),
		       OPS(mk(ACL_FLOAT, DIMS(2, 3, 4), NULL)), attrs()),
		   0, c, 24, 0, 0);

	/* fp16: products of two fp16 values are exact in fp32, one rounding */
	for (int i = 0; i < 32; i++)
		h1[i] = aclFloatToFloat16(pat(i, 0.125f));
	for (int i = 0; i < 8; i++)
		h2[i] = aclFloatToFloat16(pat(i + 5, 0.5f));
	{
		struct ten *x = mk(ACL_FLOAT16, DIMS(4, 8), h1), *y = mk(ACL_FLOAT16, DIMS(8), h2);
		struct ten *z = mk(ACL_FLOAT16, DIMS(4, 8), NULL);
		aclFloat16 got[32];
		aclError rc = run("Mul", OPS(x, y), OPS(z), attrs());
		bool ok = rc == ACL_SUCCESS && get(z, got);

		for (int i = 0; ok && i < 32; i++) {
			hw[i] = aclFloat16ToFloat(aclFloatToFloat16(aclFloat16ToFloat(h1[i]) *
								    aclFloat16ToFloat(h2[i % 8])));
			ok = aclFloat16ToFloat(got[i]) == hw[i];
		}
		TAP_CHECK(ok, "elementwise: Mul fp16 [4,8] * [8]: every product rounded once (status %d)",
			  rc);
		release();
	}

	/* int32 division truncates toward zero; x / 0 is 0 on the card */
	for (int i = 0; i < 6; i++)
		iq[i] = ib[i] ? ia[i] / ib[i] : 0;
	expect_bytes("elementwise: RealDiv int32 [6] / [6] (truncating, x/0 = 0)",
		     run("RealDiv", OPS(mk(ACL_INT32, DIMS(6), ia), mk(ACL_INT32, DIMS(6), ib)),
			 OPS(mk(ACL_INT32, DIMS(6), NULL)), attrs()),
		     0, iq, sizeof(iq));

	fill(m1, 2, 1.0f, 1);
	fill(m2, 3, 1.0f, 9);
	for (int i = 0; i < 6; i++)
		mx[i] = fmaxf(m1[i / 3], m2[i % 3]);
	expect_f32("elementwise: Maximum fp32 [2,1] vs [1,3] -> [2,3]",
		   run("Maximum", OPS(mk(ACL_FLOAT, DIMS(2, 1), m1), mk(ACL_FLOAT, DIMS(1, 3), m2)),
		       OPS(mk(ACL_FLOAT, DIMS(2, 3), NULL)), attrs()),
		   0, mx, 6, 0, 0);

	for (int i = 0; i < 4; i++) {
		p[i] = 0.5f + (float)i;
		pw[i] = powf(p[i], 2.5f);
	}
	{
		float e = 2.5f;

		expect_f32("elementwise: Pow fp32 [4] ^ [1]",
			   run("Pow", OPS(mk(ACL_FLOAT, DIMS(4), p), mk(ACL_FLOAT, DIMS(1), &e)),
			       OPS(mk(ACL_FLOAT, DIMS(4), NULL)), attrs()),
			   0, pw, 4, 1e-6, 1e-5);
	}

	for (int i = 0; i < 6; i++)
		gt[i] = g1[i] > g2[i];
	expect_bytes("elementwise: Greater fp32 [6] -> bool",
		     run("Greater", OPS(mk(ACL_FLOAT, DIMS(6), g1), mk(ACL_FLOAT, DIMS(6), g2)),
			 OPS(mk(ACL_BOOL, DIMS(6), NULL)), attrs()),
		     0, gt, sizeof(gt));

	for (int i = 0; i < 4; i++)
		sw[i] = cond[i] ? sx[i] : sy[i];
	at = attrs();
	expect_f32("elementwise: Select bool [4] ? x : y",
		   run("Select", OPS(mk(ACL_BOOL, DIMS(4), cond), mk(ACL_FLOAT, DIMS(4), sx),
				     mk(ACL_FLOAT, DIMS(4), sy)),
		       OPS(mk(ACL_FLOAT, DIMS(4), NULL)), at),
		   0, sw, 4, 0, 0);
}

/* ---- unary and activations ---- */

static float relu(float x) { return x > 0 ? x : 0; }
static float sigmoid(float x) { return 1.0f / (1.0f + expf(-x)); }
static float neg(float x) { return -x; }
static float recip(float x) { return 1.0f / x; }
static float hswish(float x) { return x * fminf(fmaxf(x + 3.0f, 0.0f), 6.0f) / 6.0f; }

static void unary(void)
{
	static const struct {
		const char *op;
		float (*fn)(float);
		bool positive;	/* the op wants x > 0 */
	} ops[] = {
		{ "Relu", relu, false }, { "Sigmoid", sigmoid, false }, { "Tanh", tanhf, false },
		{ "Exp", expf, false }, { "Log", logf, true }, { "Sqrt", sqrtf, true },
		{ "Abs", fabsf, false }, { "Neg", neg, false }, { "Erf", erff, false },
		{ "Reciprocal", recip, true }, { "HardSwish", hswish, false },
	};
	enum { N = 40 };
	float x[N], xp[N], y[N], lo = -0.5f, hi = 1.5f;
	char what[96];

	fill(x, N, 0.07f, 2);
	for (int i = 0; i < N; i++)
		xp[i] = 0.05f + (float)i * 0.3f;
	for (size_t k = 0; k < COUNT(ops); k++) {
		const float *in = ops[k].positive ? xp : x;

		for (int i = 0; i < N; i++)
			y[i] = ops[k].fn(in[i]);
		snprintf(what, sizeof(what), "unary: %s fp32 [5,8]", ops[k].op);
		expect_f32(what, run(ops[k].op, OPS(mk(ACL_FLOAT, DIMS(5, 8), in)),
				     OPS(mk(ACL_FLOAT, DIMS(5, 8), NULL)), attrs()),
			   0, y, N, 1e-6, 1e-5);
	}

	{
		aclopAttr *at = attrs();

		aclopSetAttrFloat(at, "negative_slope", 0.1f);
		for (int i = 0; i < N; i++)
			y[i] = x[i] > 0 ? x[i] : 0.1f * x[i];
		expect_f32("unary: LeakyRelu fp32 negative_slope 0.1",
			   run("LeakyRelu", OPS(mk(ACL_FLOAT, DIMS(N), x)),
			       OPS(mk(ACL_FLOAT, DIMS(N), NULL)), at),
			   0, y, N, 1e-7, 1e-6);
	}

	/* CANN's Gelu is the tanh approximation */
	for (int i = 0; i < N; i++) {
		double v = x[i];

		y[i] = (float)(0.5 * v * (1 + tanh(0.7978845608028654 * (v + 0.044715 * v * v * v))));
	}
	expect_f32("unary: Gelu fp32 (CANN's tanh form)",
		   run("Gelu", OPS(mk(ACL_FLOAT, DIMS(N), x)), OPS(mk(ACL_FLOAT, DIMS(N), NULL)),
		       attrs()),
		   0, y, N, 1e-6, 1e-5);

	for (int i = 0; i < N; i++)
		y[i] = fminf(fmaxf(x[i], lo), hi);
	expect_f32("unary: ClipByValue fp32 [40] to [-0.5, 1.5] (scalar min, max)",
		   run("ClipByValue", OPS(mk(ACL_FLOAT, DIMS(N), x), mk(ACL_FLOAT, 0, NULL, &lo),
					  mk(ACL_FLOAT, 0, NULL, &hi)),
		       OPS(mk(ACL_FLOAT, DIMS(N), NULL)), attrs()),
		   0, y, N, 0, 0);
}

/* ---- matrix multiply ---- */

/* c[m][n] = sum_k a(m,k) * b(k,n) in double; ta/tb: a is [k,m], b is [n,k]. */
static void ref_mm(const float *a, const float *b, float *c, int M, int N, int K, bool ta, bool tb)
{
	for (int m = 0; m < M; m++)
		for (int n = 0; n < N; n++) {
			double s = 0;

			for (int k = 0; k < K; k++)
				s += (double)(ta ? a[k * M + m] : a[m * K + k]) *
				     (double)(tb ? b[n * K + k] : b[k * N + n]);
			c[m * N + n] = (float)s;
		}
}

static void matmul(void)
{
	enum { M = 7, K = 33, N = 5, B = 3 };
	float a[M * K], bt[N * K], b[K * N], bias[N], c[M * N], ba[B * M * K], bb[B * K * N];
	float bc[B * M * N];
	aclopAttr *at;

	fill(a, COUNT(a), 0.03f, 1);
	fill(bt, COUNT(bt), 0.02f, 7);
	fill(b, COUNT(b), 0.02f, 13);
	fill(bias, N, 0.5f, 4);

	ref_mm(a, bt, c, M, N, K, false, true);
	for (int i = 0; i < M * N; i++)
		c[i] += bias[i % N];
	at = attrs();
	aclopSetAttrBool(at, "transpose_x1", 0);
	aclopSetAttrBool(at, "transpose_x2", 1);
	expect_f32("matmul: MatMul fp32 [7,33] x [5,33]^T + bias [5]",
		   run("MatMul", OPS(mk(ACL_FLOAT, DIMS(M, K), a), mk(ACL_FLOAT, DIMS(N, K), bt),
				     mk(ACL_FLOAT, DIMS(N), bias)),
		       OPS(mk(ACL_FLOAT, DIMS(M, N), NULL)), at),
		   0, c, M * N, 1e-5, 1e-5);

	fill(ba, COUNT(ba), 0.03f, 3);
	fill(bb, COUNT(bb), 0.02f, 17);
	for (int i = 0; i < B; i++)
		ref_mm(ba + i * M * K, bb + i * K * N, bc + i * M * N, M, N, K, false, false);
	expect_f32("matmul: BatchMatMul fp32 [3,7,33] x [3,33,5]",
		   run("BatchMatMul", OPS(mk(ACL_FLOAT, DIMS(B, M, K), ba), mk(ACL_FLOAT, DIMS(B, K, N), bb)),
		       OPS(mk(ACL_FLOAT, DIMS(B, M, N), NULL)), attrs()),
		   0, bc, B * M * N, 1e-5, 1e-5);

	/* MatMul in fp16 accumulates in fp32: compare in fp16's precision */
	{
		aclFloat16 ha[M * K], hb[K * N], hc[M * N];
		float fa[M * K], fb[K * N], want[M * N], got[M * N];
		struct ten *x, *y, *z;
		aclError rc;

		for (int i = 0; i < M * K; i++)
			fa[i] = aclFloat16ToFloat(ha[i] = aclFloatToFloat16(a[i]));
		for (int i = 0; i < K * N; i++)
			fb[i] = aclFloat16ToFloat(hb[i] = aclFloatToFloat16(b[i]));
		ref_mm(fa, fb, want, M, N, K, false, false);
		x = mk(ACL_FLOAT16, DIMS(M, K), ha);
		y = mk(ACL_FLOAT16, DIMS(K, N), hb);
		z = mk(ACL_FLOAT16, DIMS(M, N), NULL);
		rc = run("MatMul", OPS(x, y), OPS(z), attrs());
		if (rc == ACL_SUCCESS && get(z, hc))
			for (int i = 0; i < M * N; i++)
				got[i] = aclFloat16ToFloat(hc[i]);
		else
			memset(got, 0xff, sizeof(got));
		{
			double err;
			bool ok = rc == ACL_SUCCESS && near(got, want, M * N, 2e-3, 1e-3, &err);

			TAP_CHECK(ok, "matmul: MatMul fp16 [7,33] x [33,5] (fp32 accumulation): max error %.3g",
				  err);
		}
		release();
	}

	/* GEMM: y = alpha * A * B + beta * C, alpha and beta as inputs 3 and 4 */
	{
		float cc[M * N], alpha = 0.5f, beta = 2.0f, want[M * N];

		fill(cc, COUNT(cc), 0.25f, 8);
		ref_mm(a, b, want, M, N, K, false, false);
		for (int i = 0; i < M * N; i++)
			want[i] = alpha * want[i] + beta * cc[i];
		expect_f32("matmul: GEMM fp32 0.5 * [7,33] x [33,5] + 2 * C",
			   run("GEMM", OPS(mk(ACL_FLOAT, DIMS(M, K), a), mk(ACL_FLOAT, DIMS(K, N), b),
					   mk(ACL_FLOAT, DIMS(M, N), cc), mk(ACL_FLOAT, DIMS(1), &alpha),
					   mk(ACL_FLOAT, DIMS(1), &beta)),
			       OPS(mk(ACL_FLOAT, DIMS(M, N), NULL)), attrs()),
			   0, want, M * N, 1e-5, 1e-5);
	}
}

/* aclblasGemmEx: fp32 with transposes, fp16 -> fp32, int8 -> int32 */
static void blas(void)
{
	enum { M = 6, K = 20, N = 9 };
	float a[M * K], bt[N * K], c[M * N], want[M * N], got[M * N], alpha = 0.5f, beta = -1.5f;
	aclFloat16 ha[M * K], hb[K * N];
	float fa[M * K], fb[K * N];
	int8_t ia[M * K], ib[K * N];
	int32_t ic[M * N], iwant[M * N], ialpha = 2, ibeta = 3, igot[M * N];
	void *da = NULL, *db = NULL, *dc = NULL, *dal = NULL, *dbe = NULL;
	aclError rc;
	double err = -1;
	bool ok;

	fill(a, COUNT(a), 0.05f, 2);
	fill(bt, COUNT(bt), 0.04f, 5);
	fill(c, COUNT(c), 0.5f, 6);
	ref_mm(a, bt, want, M, N, K, false, true);
	for (int i = 0; i < M * N; i++)
		want[i] = alpha * want[i] + beta * c[i];
	ok = aclrtMalloc(&da, sizeof(a), ACL_MEM_MALLOC_HUGE_FIRST) == ACL_SUCCESS &&
	     aclrtMalloc(&db, sizeof(bt), ACL_MEM_MALLOC_HUGE_FIRST) == ACL_SUCCESS &&
	     aclrtMalloc(&dc, sizeof(c), ACL_MEM_MALLOC_HUGE_FIRST) == ACL_SUCCESS &&
	     aclrtMalloc(&dal, 8, ACL_MEM_MALLOC_HUGE_FIRST) == ACL_SUCCESS &&
	     aclrtMalloc(&dbe, 8, ACL_MEM_MALLOC_HUGE_FIRST) == ACL_SUCCESS;
	rc = !ok ? ACL_ERROR_BAD_ALLOC :
	     aclrtMemcpy(da, sizeof(a), a, sizeof(a), ACL_MEMCPY_HOST_TO_DEVICE) ?:
	     aclrtMemcpy(db, sizeof(bt), bt, sizeof(bt), ACL_MEMCPY_HOST_TO_DEVICE) ?:
	     aclrtMemcpy(dc, sizeof(c), c, sizeof(c), ACL_MEMCPY_HOST_TO_DEVICE) ?:
	     aclrtMemcpy(dal, 4, &alpha, 4, ACL_MEMCPY_HOST_TO_DEVICE) ?:
	     aclrtMemcpy(dbe, 4, &beta, 4, ACL_MEMCPY_HOST_TO_DEVICE) ?:
	     aclblasGemmEx(ACL_TRANS_N, ACL_TRANS_T, ACL_TRANS_N, M, N, K, dal, da, -1, ACL_FLOAT, db,
			   -1, ACL_FLOAT, dbe, dc, -1, ACL_FLOAT, ACL_COMPUTE_HIGH_PRECISION, stream) ?:
	     aclrtSynchronizeStream(stream) ?:
	     aclrtMemcpy(got, sizeof(got), dc, sizeof(got), ACL_MEMCPY_DEVICE_TO_HOST);
	if (rc)
		printf("# aclblasGemmEx fp32: error %d: %s\n", rc, aclGetRecentErrMsg());
	ok = rc == ACL_SUCCESS && near(got, want, M * N, 1e-5, 1e-5, &err);
	TAP_CHECK(ok, "matmul: aclblasGemmEx fp32 0.5 * A[6,20] * B[9,20]^T - 1.5 * C: max error %.3g (status %d)",
		  err, rc);

	/* fp16 A and B, fp32 C: the runtime widens, then GEMM in fp32 */
	for (int i = 0; i < M * K; i++)
		fa[i] = aclFloat16ToFloat(ha[i] = aclFloatToFloat16(a[i]));
	for (int i = 0; i < K * N; i++)
		fb[i] = aclFloat16ToFloat(hb[i] = aclFloatToFloat16(bt[i]));
	ref_mm(fa, fb, want, M, N, K, false, false);
	alpha = 1.0f;
	beta = 0.0f;
	err = -1;
	rc = aclrtMemcpy(da, sizeof(ha), ha, sizeof(ha), ACL_MEMCPY_HOST_TO_DEVICE) ?:
	     aclrtMemcpy(db, sizeof(hb), hb, sizeof(hb), ACL_MEMCPY_HOST_TO_DEVICE) ?:
	     aclrtMemcpy(dal, 4, &alpha, 4, ACL_MEMCPY_HOST_TO_DEVICE) ?:
	     aclrtMemcpy(dbe, 4, &beta, 4, ACL_MEMCPY_HOST_TO_DEVICE) ?:
	     aclblasGemmEx(ACL_TRANS_N, ACL_TRANS_N, ACL_TRANS_N, M, N, K, dal, da, -1, ACL_FLOAT16, db,
			   -1, ACL_FLOAT16, dbe, dc, -1, ACL_FLOAT, ACL_COMPUTE_HIGH_PRECISION, stream) ?:
	     aclrtSynchronizeStream(stream) ?:
	     aclrtMemcpy(got, sizeof(got), dc, sizeof(got), ACL_MEMCPY_DEVICE_TO_HOST);
	if (rc)
		printf("# aclblasGemmEx fp16: error %d: %s\n", rc, aclGetRecentErrMsg());
	ok = rc == ACL_SUCCESS && near(got, want, M * N, 1e-5, 1e-5, &err);
	TAP_CHECK(ok, "matmul: aclblasGemmEx fp16 x fp16 -> fp32 [6,20] x [20,9]: max error %.3g (status %d)",
		  err, rc);

	/* int8 x int8 -> int32, exact: C = 2 * A * B + 3 * C */
	for (int i = 0; i < M * K; i++)
		ia[i] = (int8_t)((i * 29) % 255 - 127);
	for (int i = 0; i < K * N; i++)
		ib[i] = (int8_t)((i * 53 + 7) % 255 - 127);
	for (int i = 0; i < M * N; i++)
		ic[i] = i * 1000 - 20000;
	for (int m = 0; m < M; m++)
		for (int n = 0; n < N; n++) {
			int32_t s = 0;

			for (int k = 0; k < K; k++)
				s += ia[m * K + k] * ib[k * N + n];
			iwant[m * N + n] = ialpha * s + ibeta * ic[m * N + n];
		}
	rc = aclrtMemcpy(da, sizeof(ia), ia, sizeof(ia), ACL_MEMCPY_HOST_TO_DEVICE) ?:
	     aclrtMemcpy(db, sizeof(ib), ib, sizeof(ib), ACL_MEMCPY_HOST_TO_DEVICE) ?:
	     aclrtMemcpy(dc, sizeof(ic), ic, sizeof(ic), ACL_MEMCPY_HOST_TO_DEVICE) ?:
	     aclrtMemcpy(dal, 4, &ialpha, 4, ACL_MEMCPY_HOST_TO_DEVICE) ?:
	     aclrtMemcpy(dbe, 4, &ibeta, 4, ACL_MEMCPY_HOST_TO_DEVICE) ?:
	     aclblasGemmEx(ACL_TRANS_N, ACL_TRANS_N, ACL_TRANS_N, M, N, K, dal, da, -1, ACL_INT8, db,
			   -1, ACL_INT8, dbe, dc, -1, ACL_INT32, ACL_COMPUTE_HIGH_PRECISION, stream) ?:
	     aclrtSynchronizeStream(stream) ?:
	     aclrtMemcpy(igot, sizeof(igot), dc, sizeof(igot), ACL_MEMCPY_DEVICE_TO_HOST);
	if (rc)
		printf("# aclblasGemmEx int8: error %d: %s\n", rc, aclGetRecentErrMsg());
	TAP_CHECK(rc == ACL_SUCCESS && !memcmp(igot, iwant, sizeof(iwant)),
		  "matmul: aclblasGemmEx int8 x int8 -> int32, 2 * A * B + 3 * C: exact (status %d)", rc);
	aclrtFree(da);
	aclrtFree(db);
	aclrtFree(dc);
	aclrtFree(dal);
	aclrtFree(dbe);
}

/* ---- Conv2D, NCHW ---- */

static void conv(void)
{
	enum { C = 2, H = 7, W = 6, M = 3, KH = 3, KW = 3, S = 2, P = 1 };
	enum { OH = (H + 2 * P - KH) / S + 1, OW = (W + 2 * P - KW) / S + 1 };
	float x[C * H * W], w[M * C * KH * KW], bias[M], y[M * OH * OW];
	aclopAttr *at = attrs();

	fill(x, COUNT(x), 0.1f, 0);
	fill(w, COUNT(w), 0.05f, 3);
	fill(bias, M, 0.25f, 1);
	for (int m = 0; m < M; m++)
		for (int oh = 0; oh < OH; oh++)
			for (int ow = 0; ow < OW; ow++) {
				double s = bias[m];

				for (int c = 0; c < C; c++)
					for (int kh = 0; kh < KH; kh++)
						for (int kw = 0; kw < KW; kw++) {
							int ih = oh * S - P + kh, iw = ow * S - P + kw;

							if (ih < 0 || ih >= H || iw < 0 || iw >= W)
								continue;
							s += (double)x[(c * H + ih) * W + iw] *
							     w[((m * C + c) * KH + kh) * KW + kw];
						}
				y[(m * OH + oh) * OW + ow] = (float)s;
			}
	aclopSetAttrListInt(at, "strides", 4, (const int64_t[]){ 1, 1, S, S });
	aclopSetAttrListInt(at, "pads", 4, (const int64_t[]){ P, P, P, P });
	aclopSetAttrListInt(at, "dilations", 4, (const int64_t[]){ 1, 1, 1, 1 });
	aclopSetAttrString(at, "data_format", "NCHW");
	expect_f32("conv: Conv2D NCHW fp32 x[1,2,7,6] w[3,2,3,3] + bias, stride 2, pads 1",
		   run("Conv2D", OPS(mkf(ACL_FLOAT, ACL_FORMAT_NCHW, DIMS(1, C, H, W), x),
				     mkf(ACL_FLOAT, ACL_FORMAT_NCHW, DIMS(M, C, KH, KW), w),
				     mk(ACL_FLOAT, DIMS(M), bias)),
		       OPS(mkf(ACL_FLOAT, ACL_FORMAT_NCHW, DIMS(1, M, OH, OW), NULL)), at),
		   0, y, M * OH * OW, 1e-5, 1e-5);
}

/* ---- pooling ---- */

static void pooling(void)
{
	float x[2 * 4 * 4], mx[2 * 2 * 2], ax[2 * 3 * 3], g[2];
	aclopAttr *at;

	fill(x, COUNT(x), 0.5f, 4);
	for (int c = 0; c < 2; c++)
		for (int oh = 0; oh < 2; oh++)
			for (int ow = 0; ow < 2; ow++) {
				float m = -INFINITY;

				for (int k = 0; k < 4; k++)
					m = fmaxf(m, x[(c * 4 + oh * 2 + k / 2) * 4 + ow * 2 + k % 2]);
				mx[(c * 2 + oh) * 2 + ow] = m;
			}
	at = attrs();
	aclopSetAttrListInt(at, "ksize", 4, (const int64_t[]){ 1, 1, 2, 2 });
	aclopSetAttrListInt(at, "strides", 4, (const int64_t[]){ 1, 1, 2, 2 });
	aclopSetAttrString(at, "padding", "VALID");
	aclopSetAttrString(at, "data_format", "NCHW");
	expect_f32("pooling: MaxPool NCHW [1,2,4,4] 2x2 stride 2",
		   run("MaxPool", OPS(mkf(ACL_FLOAT, ACL_FORMAT_NCHW, DIMS(1, 2, 4, 4), x)),
		       OPS(mkf(ACL_FLOAT, ACL_FORMAT_NCHW, DIMS(1, 2, 2, 2), NULL)), at),
		   0, mx, 8, 0, 0);

	for (int c = 0; c < 2; c++)
		for (int oh = 0; oh < 3; oh++)
			for (int ow = 0; ow < 3; ow++) {
				float s = 0;

				for (int k = 0; k < 4; k++)
					s += x[(c * 4 + oh + k / 2) * 4 + ow + k % 2];
				ax[(c * 3 + oh) * 3 + ow] = s / 4;
			}
	at = attrs();
	aclopSetAttrListInt(at, "ksize", 4, (const int64_t[]){ 1, 1, 2, 2 });
	aclopSetAttrListInt(at, "strides", 4, (const int64_t[]){ 1, 1, 1, 1 });
	aclopSetAttrString(at, "padding", "VALID");
	aclopSetAttrString(at, "data_format", "NCHW");
	expect_f32("pooling: AvgPool NCHW [1,2,4,4] 2x2 stride 1",
		   run("AvgPool", OPS(mkf(ACL_FLOAT, ACL_FORMAT_NCHW, DIMS(1, 2, 4, 4), x)),
		       OPS(mkf(ACL_FLOAT, ACL_FORMAT_NCHW, DIMS(1, 2, 3, 3), NULL)), at),
		   0, ax, 18, 1e-6, 1e-6);

	for (int c = 0; c < 2; c++) {
		double s = 0;

		for (int i = 0; i < 16; i++)
			s += x[c * 16 + i];
		g[c] = (float)(s / 16);
	}
	expect_f32("pooling: GlobalAveragePool NCHW [1,2,4,4]",
		   run("GlobalAveragePool", OPS(mkf(ACL_FLOAT, ACL_FORMAT_NCHW, DIMS(1, 2, 4, 4), x)),
		       OPS(mkf(ACL_FLOAT, ACL_FORMAT_NCHW, DIMS(1, 2, 1, 1), NULL)), attrs()),
		   0, g, 2, 1e-6, 1e-6);
}

/* ---- softmax and normalisations ---- */

static void norms(void)
{
	enum { R = 3, L = 7 };
	float x[R * L], y[R * L], ls[R * L], gamma[L], beta[L], ln[R * L];
	float bx[2 * 3 * 2], sc[3], of[3], mean[3], var[3], bn[2 * 3 * 2];
	float ix[2 * 2 * 5], ig[2], ib[2], in[2 * 2 * 5];
	aclopAttr *at;

	fill(x, COUNT(x), 0.2f, 1);
	for (int r = 0; r < R; r++) {
		double mx = -INFINITY, s = 0;

		for (int i = 0; i < L; i++)
			mx = fmax(mx, x[r * L + i]);
		for (int i = 0; i < L; i++)
			s += exp(x[r * L + i] - mx);
		for (int i = 0; i < L; i++) {
			y[r * L + i] = (float)(exp(x[r * L + i] - mx) / s);
			ls[r * L + i] = (float)(x[r * L + i] - mx - log(s));
		}
	}
	at = attrs();
	aclopSetAttrListInt(at, "axes", 1, (const int64_t[]){ -1 });
	expect_f32("softmax: SoftmaxV2 fp32 [3,7] axes [-1]",
		   run("SoftmaxV2", OPS(mk(ACL_FLOAT, DIMS(R, L), x)),
		       OPS(mk(ACL_FLOAT, DIMS(R, L), NULL)), at),
		   0, y, R * L, 1e-7, 1e-5);
	at = attrs();
	aclopSetAttrListInt(at, "axes", 1, (const int64_t[]){ -1 });
	expect_f32("softmax: LogSoftmaxV2 fp32 [3,7] axes [-1]",
		   run("LogSoftmaxV2", OPS(mk(ACL_FLOAT, DIMS(R, L), x)),
		       OPS(mk(ACL_FLOAT, DIMS(R, L), NULL)), at),
		   0, ls, R * L, 1e-5, 1e-5);

	/* LayerNorm over the last axis, epsilon 1e-5 */
	fill(gamma, L, 0.1f, 6);
	fill(beta, L, 0.05f, 9);
	for (int r = 0; r < R; r++) {
		double m = 0, v = 0;

		for (int i = 0; i < L; i++)
			m += x[r * L + i];
		m /= L;
		for (int i = 0; i < L; i++)
			v += (x[r * L + i] - m) * (x[r * L + i] - m);
		v /= L;
		for (int i = 0; i < L; i++)
			ln[r * L + i] = (float)((x[r * L + i] - m) / sqrt(v + 1e-5) * gamma[i] + beta[i]);
	}
	at = attrs();
	aclopSetAttrInt(at, "begin_norm_axis", -1);
	aclopSetAttrInt(at, "begin_params_axis", -1);
	aclopSetAttrFloat(at, "epsilon", 1e-5f);
	expect_f32("norm: LayerNorm fp32 [3,7] over the last axis",
		   run("LayerNorm", OPS(mk(ACL_FLOAT, DIMS(R, L), x), mk(ACL_FLOAT, DIMS(L), gamma),
					mk(ACL_FLOAT, DIMS(L), beta)),
		       OPS(mk(ACL_FLOAT, DIMS(R, L), NULL)), at),
		   0, ln, R * L, 1e-5, 1e-4);

	/* BatchNorm inference, NCHW [2,3,1,2] */
	fill(bx, COUNT(bx), 0.3f, 2);
	fill(sc, 3, 0.2f, 5);
	fill(of, 3, 0.1f, 8);
	fill(mean, 3, 0.05f, 11);
	for (int c = 0; c < 3; c++)
		var[c] = 0.5f + (float)c;
	for (int i = 0; i < 12; i++) {
		int c = (i / 2) % 3;

		bn[i] = (float)((bx[i] - mean[c]) / sqrt(var[c] + 1e-3) * sc[c] + of[c]);
	}
	at = attrs();
	aclopSetAttrFloat(at, "epsilon", 1e-3f);
	aclopSetAttrString(at, "data_format", "NCHW");
	aclopSetAttrBool(at, "is_training", 0);
	expect_f32("norm: BatchNorm inference NCHW [2,3,1,2]",
		   run("BatchNorm", OPS(mkf(ACL_FLOAT, ACL_FORMAT_NCHW, DIMS(2, 3, 1, 2), bx),
					mk(ACL_FLOAT, DIMS(3), sc), mk(ACL_FLOAT, DIMS(3), of),
					mk(ACL_FLOAT, DIMS(3), mean), mk(ACL_FLOAT, DIMS(3), var)),
		       OPS(mkf(ACL_FLOAT, ACL_FORMAT_NCHW, DIMS(2, 3, 1, 2), NULL)), at),
		   0, bn, 12, 1e-5, 1e-4);

	/* InstanceNorm: per (n, c) over the spatial dims */
	fill(ix, COUNT(ix), 0.4f, 3);
	ig[0] = 1.5f;
	ig[1] = -0.5f;
	ib[0] = 0.25f;
	ib[1] = 1.0f;
	for (int nc = 0; nc < 4; nc++) {
		double m = 0, v = 0;

		for (int i = 0; i < 5; i++)
			m += ix[nc * 5 + i];
		m /= 5;
		for (int i = 0; i < 5; i++)
			v += (ix[nc * 5 + i] - m) * (ix[nc * 5 + i] - m);
		v /= 5;
		for (int i = 0; i < 5; i++)
			in[nc * 5 + i] = (float)((ix[nc * 5 + i] - m) / sqrt(v + 1e-5) * ig[nc % 2] +
						 ib[nc % 2]);
	}
	at = attrs();
	aclopSetAttrFloat(at, "epsilon", 1e-5f);
	expect_f32("norm: InstanceNorm fp32 [2,2,5]",
		   run("InstanceNorm", OPS(mk(ACL_FLOAT, DIMS(2, 2, 5), ix), mk(ACL_FLOAT, DIMS(2), ig),
					   mk(ACL_FLOAT, DIMS(2), ib)),
		       OPS(mk(ACL_FLOAT, DIMS(2, 2, 5), NULL)), at),
		   0, in, 20, 1e-5, 1e-4);
}

/* ---- reductions ---- */

static void reductions(void)
{
	float x[2 * 3 * 4], s[2 * 4], mn[3], mx[2 * 4];
	int64_t axes[2] = { 0, 2 };
	aclopAttr *at;

	fill(x, COUNT(x), 0.25f, 7);
	for (int a = 0; a < 2; a++)
		for (int c = 0; c < 4; c++) {
			s[a * 4 + c] = 0;
			mx[a * 4 + c] = -INFINITY;
			for (int b = 0; b < 3; b++) {
				s[a * 4 + c] += x[(a * 3 + b) * 4 + c];
				mx[a * 4 + c] = fmaxf(mx[a * 4 + c], x[(a * 3 + b) * 4 + c]);
			}
		}
	for (int b = 0; b < 3; b++) {
		double t = 0;

		for (int a = 0; a < 2; a++)
			for (int c = 0; c < 4; c++)
				t += x[(a * 3 + b) * 4 + c];
		mn[b] = (float)(t / 8);
	}
	at = attrs();
	aclopSetAttrListInt(at, "axes", 1, (const int64_t[]){ 1 });
	aclopSetAttrBool(at, "keep_dims", 0);
	expect_f32("reduce: ReduceSumD fp32 [2,3,4] axes [1] -> [2,4]",
		   run("ReduceSumD", OPS(mk(ACL_FLOAT, DIMS(2, 3, 4), x)),
		       OPS(mk(ACL_FLOAT, DIMS(2, 4), NULL)), at),
		   0, s, 8, 1e-6, 1e-6);
	at = attrs();
	aclopSetAttrBool(at, "keep_dims", 1);
	expect_f32("reduce: ReduceMean fp32 [2,3,4], axes tensor {0,2}, keep_dims -> [1,3,1]",
		   run("ReduceMean", OPS(mk(ACL_FLOAT, DIMS(2, 3, 4), x), mk(ACL_INT64, DIMS(2), axes)),
		       OPS(mk(ACL_FLOAT, DIMS(1, 3, 1), NULL)), at),
		   0, mn, 3, 1e-6, 1e-6);
	at = attrs();
	aclopSetAttrListInt(at, "axes", 1, (const int64_t[]){ -2 });
	expect_f32("reduce: ReduceMaxD fp32 [2,3,4] axes [-2] -> [2,4]",
		   run("ReduceMaxD", OPS(mk(ACL_FLOAT, DIMS(2, 3, 4), x)),
		       OPS(mk(ACL_FLOAT, DIMS(2, 4), NULL)), at),
		   0, mx, 8, 0, 0);
}

/* ---- Cast and data movement ---- */

static void data_movement(void)
{
	float x[2 * 3 * 4], t[4 * 2 * 3], y[64];
	aclFloat16 hw[6];
	int32_t iw[6];
	int64_t perm[3] = { 2, 0, 1 };
	aclopAttr *at;

	fill(x, COUNT(x), 0.37f, 5);

	/* Cast: fp32 -> fp16 (round to nearest even) and fp32 -> int32 (truncation) */
	for (int i = 0; i < 6; i++) {
		hw[i] = aclFloatToFloat16(x[i]);
		iw[i] = (int32_t)x[i];
	}
	at = attrs();
	aclopSetAttrInt(at, "dst_type", ACL_FLOAT16);
	{
		aclError rc = run("Cast", OPS(mk(ACL_FLOAT, DIMS(6), x)),
				  OPS(mk(ACL_FLOAT16, DIMS(6), NULL)), at);

		expect_bytes("data: Cast fp32 -> fp16", rc, 0, hw, sizeof(hw));
	}
	at = attrs();
	aclopSetAttrInt(at, "dst_type", ACL_INT32);
	expect_bytes("data: Cast fp32 -> int32 (toward zero)",
		     run("Cast", OPS(mk(ACL_FLOAT, DIMS(6), x)), OPS(mk(ACL_INT32, DIMS(6), NULL)),
			 at),
		     0, iw, sizeof(iw));

	/* Transpose [2,3,4] by perm {2,0,1} -> [4,2,3] */
	for (int a = 0; a < 2; a++)
		for (int b = 0; b < 3; b++)
			for (int c = 0; c < 4; c++)
				t[(c * 2 + a) * 3 + b] = x[(a * 3 + b) * 4 + c];
	expect_f32("data: Transpose [2,3,4] perm {2,0,1}",
		   run("Transpose", OPS(mk(ACL_FLOAT, DIMS(2, 3, 4), x), mk(ACL_INT64, DIMS(3), perm)),
		       OPS(mk(ACL_FLOAT, DIMS(4, 2, 3), NULL)), attrs()),
		   0, t, 24, 0, 0);

	/* ConcatD [2,3] and [2,2] along dim 1 */
	for (int r = 0; r < 2; r++)
		for (int c = 0; c < 5; c++)
			y[r * 5 + c] = c < 3 ? x[r * 3 + c] : x[10 + r * 2 + c - 3];
	at = attrs();
	aclopSetAttrInt(at, "concat_dim", 1);
	aclopSetAttrInt(at, "N", 2);
	expect_f32("data: ConcatD [2,3] + [2,2] on dim 1",
		   run("ConcatD", OPS(mk(ACL_FLOAT, DIMS(2, 3), x), mk(ACL_FLOAT, DIMS(2, 2), x + 10)),
		       OPS(mk(ACL_FLOAT, DIMS(2, 5), NULL)), at),
		   0, y, 10, 0, 0);

	/* SplitD [4,3] on dim 0 into 2: the second half */
	at = attrs();
	aclopSetAttrInt(at, "split_dim", 0);
	aclopSetAttrInt(at, "num_split", 2);
	expect_f32("data: SplitD [4,3] on dim 0 into two (second output)",
		   run("SplitD", OPS(mk(ACL_FLOAT, DIMS(4, 3), x)),
		       OPS(mk(ACL_FLOAT, DIMS(2, 3), NULL), mk(ACL_FLOAT, DIMS(2, 3), NULL)), at),
		   1, x + 6, 6, 0, 0);

	/* StridedSliceV2 of [4,6]: rows 1..3, every second column from 1 */
	{
		int64_t begin[2] = { 1, 1 }, end[2] = { 3, 6 }, axes[2] = { 0, 1 }, st[2] = { 1, 2 };

		for (int r = 0; r < 2; r++)
			for (int c = 0; c < 3; c++)
				y[r * 3 + c] = x[(1 + r) * 6 + 1 + 2 * c];
		expect_f32("data: StridedSliceV2 [4,6] [1:3, 1:6:2]",
			   run("StridedSliceV2",
			       OPS(mk(ACL_FLOAT, DIMS(4, 6), x), mk(ACL_INT64, DIMS(2), begin),
				   mk(ACL_INT64, DIMS(2), end), mk(ACL_INT64, DIMS(2), axes),
				   mk(ACL_INT64, DIMS(2), st)),
			       OPS(mk(ACL_FLOAT, DIMS(2, 3), NULL)), attrs()),
			   0, y, 6, 0, 0);
	}

	/* PadV3 constant: [2,3] with (1,1) rows and (0,2) columns, value 9 */
	{
		int64_t pads[4] = { 1, 1, 0, 2 };	/* CANN order: b0, e0, b1, e1 */
		float cv = 9.0f;

		for (int r = 0; r < 4; r++)
			for (int c = 0; c < 5; c++)
				y[r * 5 + c] = (r >= 1 && r <= 2 && c < 3) ? x[(r - 1) * 3 + c] : 9.0f;
		at = attrs();
		aclopSetAttrString(at, "mode", "constant");
		expect_f32("data: PadV3 constant [2,3] -> [4,5]",
			   run("PadV3", OPS(mk(ACL_FLOAT, DIMS(2, 3), x), mk(ACL_INT64, DIMS(4), pads),
					    mk(ACL_FLOAT, 0, NULL, &cv)),
			       OPS(mk(ACL_FLOAT, DIMS(4, 5), NULL)), at),
			   0, y, 20, 0, 0);
	}

	/* Resize nearest x2: [1,1,2,3] -> [1,1,4,6] by scales */
	{
		float scales[4] = { 1, 1, 2, 2 };

		for (int r = 0; r < 4; r++)
			for (int c = 0; c < 6; c++)
				y[r * 6 + c] = x[(r / 2) * 3 + c / 2];
		at = attrs();
		aclopSetAttrString(at, "mode", "nearest");
		aclopSetAttrString(at, "coordinate_transformation_mode", "asymmetric");
		aclopSetAttrString(at, "nearest_mode", "floor");
		expect_f32("data: Resize nearest [1,1,2,3] x2 -> [1,1,4,6]",
			   run("Resize", OPS(mk(ACL_FLOAT, DIMS(1, 1, 2, 3), x), omitted(),
					     mk(ACL_FLOAT, DIMS(4), scales)),
			       OPS(mk(ACL_FLOAT, DIMS(1, 1, 4, 6), NULL)), at),
			   0, y, 24, 0, 0);
	}

	/* GatherV2 rows {3, 1, 3} of [4,3], axis as input 2 */
	{
		int32_t idx[3] = { 3, 1, 3 }, axis = 0;

		for (int i = 0; i < 3; i++)
			for (int c = 0; c < 3; c++)
				y[i * 3 + c] = x[idx[i] * 3 + c];
		expect_f32("data: GatherV2 rows {3,1,3} of [4,3]",
			   run("GatherV2", OPS(mk(ACL_FLOAT, DIMS(4, 3), x), mk(ACL_INT32, DIMS(3), idx),
					       mk(ACL_INT32, DIMS(1), &axis)),
			       OPS(mk(ACL_FLOAT, DIMS(3, 3), NULL)), attrs()),
			   0, y, 9, 0, 0);
	}

	/* Expand [3,1] to [2,3,4]; Tile [2,2] by {2,3} */
	{
		int64_t shape[3] = { 2, 3, 4 }, reps[2] = { 2, 3 };

		for (int i = 0; i < 24; i++)
			y[i] = x[(i / 4) % 3];
		expect_f32("data: Expand [3,1] -> [2,3,4]",
			   run("Expand", OPS(mk(ACL_FLOAT, DIMS(3, 1), x), mk(ACL_INT64, DIMS(3), shape)),
			       OPS(mk(ACL_FLOAT, DIMS(2, 3, 4), NULL)), attrs()),
			   0, y, 24, 0, 0);
		for (int r = 0; r < 4; r++)
			for (int c = 0; c < 6; c++)
				y[r * 6 + c] = x[(r % 2) * 2 + c % 2];
		expect_f32("data: Tile [2,2] by {2,3} -> [4,6]",
			   run("Tile", OPS(mk(ACL_FLOAT, DIMS(2, 2), x), mk(ACL_INT64, DIMS(2), reps)),
			       OPS(mk(ACL_FLOAT, DIMS(4, 6), NULL)), attrs()),
			   0, y, 24, 0, 0);
	}
}

/* ---- a launch the card refuses ---- */

static void refusal(void)
{
	float a[6] = { 1, 2, 3, 4, 5, 6 }, b[4] = { 1, 1, 1, 1 }, c[6];
	aclError rc;

	/* The card's OP_ERROR info: reason SHAPE (9), operand 1 (input 1) */
	rc = run("Add", OPS(mk(ACL_FLOAT, DIMS(2, 3), a), mk(ACL_FLOAT, DIMS(4), b)),
		 OPS(mk(ACL_FLOAT, DIMS(2, 3), NULL)), attrs());
	TAP_CHECK(rc == ACL_ERROR_OP_INPUT_NOT_MATCH && strstr(last_msg, "op Add") &&
			  strstr(last_msg, "input 1") && strstr(last_msg, "OP_ERROR") &&
			  strstr(last_msg, "info 0x90001"),
		  "refusal: Add [2,3] + [4] fails with ACL_ERROR_OP_INPUT_NOT_MATCH (got %d) naming the op, input 1 and the card's OP_ERROR info: %s",
		  rc, last_msg);
	release();
	for (int i = 0; i < 6; i++)
		c[i] = a[i] + a[5 - i];
	{
		float r[6];

		for (int i = 0; i < 6; i++)
			r[i] = a[5 - i];
		expect_f32("refusal: the same stream runs the next Add",
			   run("Add", OPS(mk(ACL_FLOAT, DIMS(2, 3), a), mk(ACL_FLOAT, DIMS(2, 3), r)),
			       OPS(mk(ACL_FLOAT, DIMS(2, 3), NULL)), attrs()),
			   0, c, 6, 0, 0);
	}
}

int main(int argc, char **argv)
{
	int32_t dev = argc > 1 ? atoi(argv[1]) : 0;
	aclError rc = aclInit(NULL);

	if (!TAP_CHECK(rc == ACL_SUCCESS && aclrtSetDevice(dev) == ACL_SUCCESS &&
			       aclrtCreateStream(&stream) == ACL_SUCCESS,
		       "device %d: aclInit, aclrtSetDevice, aclrtCreateStream (%s)", dev,
		       aclGetRecentErrMsg()))
		return tap_done();
	elementwise();
	unary();
	matmul();
	blas();
	conv();
	pooling();
	norms();
	reductions();
	data_movement();
	refusal();
	aclrtDestroyStream(stream);
	aclrtResetDevice(dev);
	aclFinalize();
	return tap_done();
}

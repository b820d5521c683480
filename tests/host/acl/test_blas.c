// SPDX-License-Identifier: MIT
/*
 * AscendCL BLAS (acl/ops/acl_cblas.h) end to end on the host, on the fake
 * card that runs the operator library's reference path (test_op_fake.h):
 * aclblasGemmEx in every transpose combination and every type combination
 * vascend runs (fp32; fp16 -> fp16 and fp32; bf16 -> bf16; int8 -> int32),
 * the typed helpers (Hgemm, S8gemm, GemvEx, Hgemv, S8gemv), their handle
 * forms through aclopExecWithHandle, each against a naive loop on the
 * host; and the argument checks with CANN's codes.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "acl/ops/acl_cblas.h"
#include "test_op_fake.h"

enum { M = 3, N = 4, K = 5 };

/* no transposes; the one compute type vascend runs */
#define NNN ACL_TRANS_N, ACL_TRANS_N, ACL_TRANS_N
#define HIGH ACL_COMPUTE_HIGH_PRECISION

/* Device memory holding @n bytes copied from @host. */
static void *dev_from(const void *host, size_t n)
{
	void *p = NULL;

	if (aclrtMalloc(&p, n, ACL_MEM_MALLOC_HUGE_FIRST) ||
	    aclrtMemcpy(p, n, host, n, ACL_MEMCPY_HOST_TO_DEVICE))
		bail_out("device memory");
	return p;
}

static void to_host(void *host, const void *dev, size_t n)
{
	if (aclrtMemcpy(host, n, dev, n, ACL_MEMCPY_DEVICE_TO_HOST))
		bail_out("aclrtMemcpy from the device");
}

static uint16_t to_bf16(float v)
{
	uint32_t u;

	memcpy(&u, &v, 4);
	return (uint16_t)((u + 0x7fff + ((u >> 16) & 1)) >> 16);
}

static float from_bf16(uint16_t h)
{
	uint32_t u = (uint32_t)h << 16;
	float v;

	memcpy(&v, &u, 4);
	return v;
}

/* Element @i of @p (type @dt) as a double, and back. */
static double get(const void *p, aclDataType dt, size_t i)
{
	switch (dt) {
	case ACL_FLOAT16: return aclFloat16ToFloat(((const aclFloat16 *)p)[i]);
	case ACL_BF16: return from_bf16(((const uint16_t *)p)[i]);
	case ACL_INT8: return ((const int8_t *)p)[i];
	case ACL_INT32: return ((const int32_t *)p)[i];
	default: return ((const float *)p)[i];
	}
}

static void put(void *p, aclDataType dt, size_t i, double v)
{
	switch (dt) {
	case ACL_FLOAT16: ((aclFloat16 *)p)[i] = aclFloatToFloat16((float)v); break;
	case ACL_BF16: ((uint16_t *)p)[i] = to_bf16((float)v); break;
	case ACL_INT8: ((int8_t *)p)[i] = (int8_t)v; break;
	case ACL_INT32: ((int32_t *)p)[i] = (int32_t)v; break;
	default: ((float *)p)[i] = (float)v; break;
	}
}

/* C = alpha op(A) op(B) + beta C, row-major, in doubles. */
static void gemm_ref(bool ta, bool tb, int m, int n, int k, double alpha, const double *a, const double *b,
		     double beta, double *c)
{
	for (int i = 0; i < m; i++)
		for (int j = 0; j < n; j++) {
			double s = 0;

			for (int p = 0; p < k; p++)
				s += (ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
			c[i * n + j] = alpha * s + beta * c[i * n + j];
		}
}

/* One problem: host copies (typed and as doubles), device copies. */
struct prob {
	aclDataType ta, tb, tc;
	unsigned char a[M * K * 4], b[K * N * 4], c[M * N * 4], alpha[4], beta[4];
	double da[M * K], db[K * N], dc[M * N], want[M * N], al, be;
	void *ga, *gb, *gc, *galpha, *gbeta;
};

static void prob_init(struct prob *p, aclDataType ta, aclDataType tb, aclDataType tc, int m, int n, int k,
		      unsigned int seed)
{
	bool ints = ta == ACL_INT8;

	memset(p, 0, sizeof(*p));
	p->ta = ta;
	p->tb = tb;
	p->tc = tc;
	for (int i = 0; i < m * k; i++) {
		put(p->a, ta, (size_t)i, ints ? (double)((i * 7 + (int)seed) % 19 - 9) :
			 0.25 * ((i * 5 + (int)seed) % 11) - 1.0);
		p->da[i] = get(p->a, ta, (size_t)i);
	}
	for (int i = 0; i < k * n; i++) {
		put(p->b, tb, (size_t)i, ints ? (double)((i * 3 + (int)seed) % 17 - 8) :
			 0.125 * ((i * 3 + (int)seed) % 13) - 0.75);
		p->db[i] = get(p->b, tb, (size_t)i);
	}
	for (int i = 0; i < m * n; i++) {
		put(p->c, tc, (size_t)i, ints ? (double)(i * 11 % 23 - 11) : 0.5 * (i % 7) - 1.5);
		p->dc[i] = get(p->c, tc, (size_t)i);
		p->want[i] = p->dc[i];
	}
	put(p->alpha, tc, 0, ints ? 3 : 1.5);
	put(p->beta, tc, 0, ints ? -2 : 0.5);
	p->al = get(p->alpha, tc, 0);
	p->be = get(p->beta, tc, 0);
	p->ga = dev_from(p->a, (size_t)(m * k) * aclDataTypeSize(ta));
	p->gb = dev_from(p->b, (size_t)(k * n) * aclDataTypeSize(tb));
	p->gc = dev_from(p->c, (size_t)(m * n) * aclDataTypeSize(tc));
	p->galpha = dev_from(p->alpha, aclDataTypeSize(tc));
	p->gbeta = dev_from(p->beta, aclDataTypeSize(tc));
}

static void prob_free(struct prob *p)
{
	aclrtFree(p->ga);
	aclrtFree(p->gb);
	aclrtFree(p->gc);
	aclrtFree(p->galpha);
	aclrtFree(p->gbeta);
}

/* Read C back and compare with want[] (computed by the caller). */
static int prob_check(struct prob *p, int count)
{
	unsigned char got[M * N * 4];
	double tol = p->tc == ACL_INT32 ? 0 : p->tc == ACL_FLOAT ? 1e-5 : p->tc == ACL_FLOAT16 ? 2e-3 : 1e-2;

	to_host(got, p->gc, (size_t)count * aclDataTypeSize(p->tc));
	for (int i = 0; i < count; i++) {
		double g = get(got, p->tc, (size_t)i), w = p->want[i];

		if (!(fabs(g - w) <= tol * (1 + fabs(w)))) {
			printf("#   C[%d] got %g, want %g\n", i, g, w);
			return 0;
		}
	}
	return 1;
}

static const char *tname(aclTransType t)
{
	return t == ACL_TRANS_T ? "T" : "N";
}

static void gemm_ex(aclrtStream s)
{
	static const aclDataType combos[][3] = {
		{ ACL_FLOAT, ACL_FLOAT, ACL_FLOAT },
		{ ACL_FLOAT16, ACL_FLOAT16, ACL_FLOAT16 },
		{ ACL_FLOAT16, ACL_FLOAT16, ACL_FLOAT },
		{ ACL_BF16, ACL_BF16, ACL_BF16 },
		{ ACL_BF16, ACL_BF16, ACL_FLOAT },
		{ ACL_INT8, ACL_INT8, ACL_INT32 },
	};

	for (size_t c = 0; c < ARRAY_SIZE(combos); c++)
		for (int t = 0; t < 4; t++) {
			aclTransType ta = t & 1 ? ACL_TRANS_T : ACL_TRANS_N, tb = t & 2 ? ACL_TRANS_T : ACL_TRANS_N;
			struct prob p;
			aclError rc;

			prob_init(&p, combos[c][0], combos[c][1], combos[c][2], M, N, K, (unsigned int)(c + t));
			gemm_ref(ta == ACL_TRANS_T, tb == ACL_TRANS_T, M, N, K, p.al, p.da, p.db, p.be, p.want);
			rc = aclblasGemmEx(ta, tb, ACL_TRANS_N, M, N, K, p.galpha, p.ga, -1, p.ta, p.gb, -1, p.tb,
					   p.gbeta, p.gc, -1, p.tc, HIGH, s);
			if (!rc)
				rc = aclrtSynchronizeStream(s);
			if (!TAP_CHECK(rc == ACL_SUCCESS, "aclblasGemmEx %s x %s -> %s, A%s B%s runs",
				       acl_dtype_name(p.ta), acl_dtype_name(p.tb), acl_dtype_name(p.tc),
				       tname(ta), tname(tb)))
				printf("#   got %d: %s\n", rc, take_msg() ? test_msg_buf : "-");
			else
				TAP_CHECK(prob_check(&p, M * N), "  C = %g op(A) op(B) + %g C", p.al, p.be);
			prob_free(&p);
		}

	/* the default stream, not synchronized until aclrtSynchronizeDevice */
	{
		struct prob p;
		aclError rc;

		prob_init(&p, ACL_FLOAT, ACL_FLOAT, ACL_FLOAT, M, N, K, 9);
		gemm_ref(false, true, M, N, K, p.al, p.da, p.db, p.be, p.want);
		rc = aclblasGemmEx(ACL_TRANS_N, ACL_TRANS_T, ACL_TRANS_N, M, N, K, p.galpha, p.ga, -1, p.ta,
				   p.gb, -1, p.tb, p.gbeta, p.gc, -1, p.tc, HIGH, NULL);
		if (!rc)
			rc = aclrtSynchronizeDevice();
		TAP_CHECK(rc == ACL_SUCCESS && prob_check(&p, M * N), "aclblasGemmEx on the default stream");
		prob_free(&p);
	}
}

/* beta 0: C is not read, as in BLAS, so NaN there does not reach the result. */
static void beta_zero(aclrtStream s)
{
	struct prob p;
	aclError rc;

	prob_init(&p, ACL_FLOAT, ACL_FLOAT, ACL_FLOAT, M, N, K, 5);
	for (int i = 0; i < M * N; i++) {
		put(p.c, ACL_FLOAT, (size_t)i, NAN);
		p.want[i] = 0;
	}
	put(p.beta, ACL_FLOAT, 0, 0);
	aclrtFree(p.gc);
	aclrtFree(p.gbeta);
	p.gc = dev_from(p.c, sizeof(float) * M * N);
	p.gbeta = dev_from(p.beta, sizeof(float));
	gemm_ref(false, false, M, N, K, p.al, p.da, p.db, 0, p.want);
	rc = aclblasGemmEx(ACL_TRANS_N, ACL_TRANS_N, ACL_TRANS_N, M, N, K, p.galpha, p.ga, -1, p.ta, p.gb,
			   -1, p.tb, p.gbeta, p.gc, -1, p.tc, HIGH, s);
	TAP_CHECK((rc ? rc : aclrtSynchronizeStream(s)) == ACL_SUCCESS && prob_check(&p, M * N),
		  "aclblasGemmEx with beta 0 ignores C (NaN there)");
	prob_free(&p);
}

static void typed(aclrtStream s)
{
	struct prob p;
	aclError rc;

	/* aclblasHgemm */
	prob_init(&p, ACL_FLOAT16, ACL_FLOAT16, ACL_FLOAT16, M, N, K, 3);
	gemm_ref(true, false, M, N, K, p.al, p.da, p.db, p.be, p.want);
	rc = aclblasHgemm(ACL_TRANS_T, ACL_TRANS_N, ACL_TRANS_N, M, N, K, p.galpha, p.ga, -1, p.gb, -1,
			  p.gbeta, p.gc, -1, HIGH, s);
	TAP_CHECK((rc ? rc : aclrtSynchronizeStream(s)) == ACL_SUCCESS && prob_check(&p, M * N),
		  "aclblasHgemm AT B");
	prob_free(&p);

	/* aclblasS8gemm */
	prob_init(&p, ACL_INT8, ACL_INT8, ACL_INT32, M, N, K, 4);
	gemm_ref(false, true, M, N, K, p.al, p.da, p.db, p.be, p.want);
	rc = aclblasS8gemm(ACL_TRANS_N, ACL_TRANS_T, ACL_TRANS_N, M, N, K, p.galpha, p.ga, -1, p.gb, -1,
			   p.gbeta, p.gc, -1, HIGH, s);
	TAP_CHECK((rc ? rc : aclrtSynchronizeStream(s)) == ACL_SUCCESS && prob_check(&p, M * N),
		  "aclblasS8gemm A BT (exact)");
	prob_free(&p);

	/*
	 * GEMV: y[rows] = alpha op(A) x + beta y with A M x K row-major; op(A) is
	 * A (x has K elements, y M) or A^T (x has M, y K). The problem's B is x.
	 */
	for (int t = 0; t < 2; t++) {
		static const aclDataType types[3][3] = {
			{ ACL_FLOAT, ACL_FLOAT, ACL_FLOAT },
			{ ACL_FLOAT16, ACL_FLOAT16, ACL_FLOAT16 },
			{ ACL_INT8, ACL_INT8, ACL_INT32 },
		};

		for (int ty = 0; ty < 3; ty++) {
			bool tr = t;
			int rows = tr ? K : M, inner = tr ? M : K;
			const char *api = ty == 0 ? "aclblasGemvEx" : ty == 1 ? "aclblasHgemv" : "aclblasS8gemv";

			/* A is M x K; x is the first @inner of B's elements */
			prob_init(&p, types[ty][0], types[ty][1], types[ty][2], M, N, K, (unsigned int)(5 + ty));
			for (int i = 0; i < rows; i++) {
				double acc = 0;

				for (int q = 0; q < inner; q++)
					acc += (tr ? p.da[q * K + i] : p.da[i * K + q]) * p.db[q];
				p.want[i] = p.al * acc + p.be * p.dc[i];
			}
			if (ty == 0)
				rc = aclblasGemvEx(tr ? ACL_TRANS_T : ACL_TRANS_N, M, K, p.galpha, p.ga, -1, p.ta,
						   p.gb, -1, p.tb, p.gbeta, p.gc, -1, p.tc,
						   HIGH, s);
			else if (ty == 1)
				rc = aclblasHgemv(tr ? ACL_TRANS_T : ACL_TRANS_N, M, K, p.galpha, p.ga, -1, p.gb,
						  -1, p.gbeta, p.gc, -1, HIGH, s);
			else
				rc = aclblasS8gemv(tr ? ACL_TRANS_T : ACL_TRANS_N, M, K, p.galpha, p.ga, -1, p.gb,
						   -1, p.gbeta, p.gc, -1, HIGH, s);
			if (!rc)
				rc = aclrtSynchronizeStream(s);
			if (!TAP_CHECK(rc == ACL_SUCCESS, "%s A%s (A %dx%d) runs", api, tr ? "T" : "N", M, K))
				printf("#   got %d: %s\n", rc, take_msg() ? test_msg_buf : "-");
			else
				TAP_CHECK(prob_check(&p, rows), "  y = alpha op(A) x + beta y");
			prob_free(&p);
		}
	}
}

/* Each handle form run through aclopExecWithHandle: inputs A, B, C, alpha, beta; output C. */
static void handles(aclrtStream s)
{
	for (int h = 0; h < 6; h++) {
		static const char *const names[6] = {
			"aclblasCreateHandleForGemmEx (fp16 -> fp32, AT BT)", "aclblasCreateHandleForHgemm",
			"aclblasCreateHandleForS8gemm", "aclblasCreateHandleForGemvEx (AT)",
			"aclblasCreateHandleForHgemv", "aclblasCreateHandleForS8gemv (AT)",
		};
		static const aclDataType types[6][3] = {
			{ ACL_FLOAT16, ACL_FLOAT16, ACL_FLOAT }, { ACL_FLOAT16, ACL_FLOAT16, ACL_FLOAT16 },
			{ ACL_INT8, ACL_INT8, ACL_INT32 }, { ACL_FLOAT, ACL_FLOAT, ACL_FLOAT },
			{ ACL_FLOAT16, ACL_FLOAT16, ACL_FLOAT16 }, { ACL_INT8, ACL_INT8, ACL_INT32 },
		};
		bool gemv = h >= 3, ta = h == 0 || h == 3 || h == 5, tb = h == 0;
		int rows = gemv ? (ta ? K : M) : M, cols = gemv ? 1 : N;
		aclopHandle *hd = NULL;
		aclDataBuffer *in[5], *out[1];
		struct prob p;
		aclError rc;

		prob_init(&p, types[h][0], types[h][1], types[h][2], M, N, K, (unsigned int)(11 + h));
		if (gemv) {
			for (int i = 0; i < rows; i++) {
				double acc = 0;

				for (int q = 0; q < (ta ? M : K); q++)
					acc += (ta ? p.da[q * K + i] : p.da[i * K + q]) * p.db[q];
				p.want[i] = p.al * acc + p.be * p.dc[i];
			}
		} else {
			gemm_ref(ta, tb, M, N, K, p.al, p.da, p.db, p.be, p.want);
		}
		switch (h) {
		case 0:
			rc = aclblasCreateHandleForGemmEx(ACL_TRANS_T, ACL_TRANS_T, ACL_TRANS_N, M, N, K, p.ta, p.tb,
							  p.tc, HIGH, &hd);
			break;
		case 1:
			rc = aclblasCreateHandleForHgemm(NNN, M, N, K,
							 HIGH, &hd);
			break;
		case 2:
			rc = aclblasCreateHandleForS8gemm(NNN, M, N, K,
							  HIGH, &hd);
			break;
		case 3:
			rc = aclblasCreateHandleForGemvEx(ACL_TRANS_T, M, K, p.ta, p.tb, p.tc,
							  HIGH, &hd);
			break;
		case 4:
			rc = aclblasCreateHandleForHgemv(ACL_TRANS_N, M, K, HIGH, &hd);
			break;
		default:
			rc = aclblasCreateHandleForS8gemv(ACL_TRANS_T, M, K, HIGH, &hd);
			break;
		}
		if (!TAP_CHECK(rc == ACL_SUCCESS && hd, "%s", names[h])) {
			printf("#   got %d: %s\n", rc, take_msg() ? test_msg_buf : "-");
			prob_free(&p);
			continue;
		}
		in[0] = aclCreateDataBuffer(p.ga, (size_t)(M * K) * aclDataTypeSize(p.ta));
		in[1] = aclCreateDataBuffer(p.gb, (size_t)(gemv ? (ta ? M : K) : K * N) * aclDataTypeSize(p.tb));
		in[2] = aclCreateDataBuffer(p.gc, (size_t)(rows * cols) * aclDataTypeSize(p.tc));
		in[3] = aclCreateDataBuffer(p.galpha, aclDataTypeSize(p.tc));
		in[4] = aclCreateDataBuffer(p.gbeta, aclDataTypeSize(p.tc));
		out[0] = in[2];
		rc = aclopExecWithHandle(hd, 5, (const aclDataBuffer *const *)in, 1, out, s);
		if (!rc)
			rc = aclrtSynchronizeStream(s);
		if (!TAP_CHECK(rc == ACL_SUCCESS, "  aclopExecWithHandle runs it"))
			printf("#   got %d: %s\n", rc, take_msg() ? test_msg_buf : "-");
		else
			TAP_CHECK(prob_check(&p, rows * cols), "  the numbers");
		if (h == 0) {
			CHECK_RET_MSG(aclopExecWithHandle(hd, 4, (const aclDataBuffer *const *)in, 1, out, s),
				      ACL_ERROR_OP_INPUT_NOT_MATCH, "4 inputs, the handle has 5");
			CHECK_RET_MSG(aclopExecWithHandle(hd, 5, (const aclDataBuffer *const *)in, 1, NULL, s),
				      ACL_ERROR_INVALID_PARAM, "outputs is NULL");
		}
		for (int i = 0; i < 5; i++)
			aclDestroyDataBuffer(in[i]);
		aclopDestroyHandle(hd);
		prob_free(&p);
	}
}

/*
 * The widening and int8 paths allocate scratch device memory, freed when
 * their last task completes: also when nothing synchronizes the stream
 * before it is destroyed, or before aclrtResetDevice (ASan: no leak, no
 * use after free).
 */
static void nothing(void *arg)
{
	(void)arg;
}

static void scratch_lifetime(void)
{
	uint64_t me = (uint64_t)pthread_self();

	/* held back behind a blocking callback: the scratch outlives the call */
	{
		struct prob p8;
		aclrtStream s2 = NULL;
		aclError rc;

		CHECK_RET(aclrtCreateStream(&s2), ACL_SUCCESS);
		prob_init(&p8, ACL_INT8, ACL_INT8, ACL_INT32, M, N, K, 23);
		gemm_ref(true, true, M, N, K, p8.al, p8.da, p8.db, p8.be, p8.want);
		TAP_CHECK(aclrtSubscribeReport(me, s2) == ACL_SUCCESS &&
			  aclrtLaunchCallback(nothing, NULL, ACL_CALLBACK_BLOCK, s2) == ACL_SUCCESS,
			  "stream held back by a blocking callback");
		rc = aclblasS8gemm(ACL_TRANS_T, ACL_TRANS_T, ACL_TRANS_N, M, N, K, p8.galpha, p8.ga, -1, p8.gb,
				   -1, p8.gbeta, p8.gc, -1, HIGH, s2);
		TAP_CHECK(rc == ACL_SUCCESS, "aclblasS8gemm queued behind it (4 tasks, scratch)");
		/* more device memory traffic while the scratch is in use */
		for (int i = 0; i < 4; i++) {
			void *t = NULL;

			if (!aclrtMalloc(&t, 4096, ACL_MEM_MALLOC_HUGE_FIRST))
				aclrtFree(t);
		}
		rc = aclrtProcessReport(1000);
		if (!rc)
			rc = aclrtSynchronizeStream(s2);
		TAP_CHECK(rc == ACL_SUCCESS && prob_check(&p8, M * N), "  released: the numbers");
		CHECK_RET(aclrtUnSubscribeReport(me, s2), ACL_SUCCESS);
		CHECK_RET(aclrtDestroyStream(s2), ACL_SUCCESS);
		prob_free(&p8);
	}

	for (int round = 0; round < 2; round++) {
		struct prob p8, p16;
		aclrtStream s2 = NULL;
		aclError rc;

		CHECK_RET(aclrtCreateStream(&s2), ACL_SUCCESS);
		prob_init(&p8, ACL_INT8, ACL_INT8, ACL_INT32, M, N, K, 21);
		prob_init(&p16, ACL_FLOAT16, ACL_FLOAT16, ACL_FLOAT, M, N, K, 22);
		gemm_ref(false, false, M, N, K, p8.al, p8.da, p8.db, p8.be, p8.want);
		gemm_ref(false, false, M, N, K, p16.al, p16.da, p16.db, p16.be, p16.want);
		rc = aclblasS8gemm(NNN, M, N, K, p8.galpha, p8.ga, -1, p8.gb, -1, p8.gbeta, p8.gc, -1, HIGH, s2);
		if (!rc)
			rc = aclblasGemmEx(NNN, M, N, K, p16.galpha, p16.ga, -1, ACL_FLOAT16, p16.gb, -1,
					   ACL_FLOAT16, p16.gbeta, p16.gc, -1, ACL_FLOAT, HIGH, s2);
		TAP_CHECK(rc == ACL_SUCCESS, "%s: int8 and fp16 -> fp32 GEMMs queued", round ?
			  "then aclrtResetDevice" : "then aclrtDestroyStream");
		if (round) {
			CHECK_RET(aclrtResetDevice(0), ACL_SUCCESS);
			CHECK_RET(aclrtSetDevice(0), ACL_SUCCESS);
			/* their memory went with the device */
		} else {
			CHECK_RET(aclrtDestroyStream(s2), ACL_SUCCESS);
			TAP_CHECK(prob_check(&p8, M * N) && prob_check(&p16, M * N),
				  "  both ran before the stream went");
			prob_free(&p8);
			prob_free(&p16);
		}
	}
}

static void bad_args(aclrtStream s)
{
	struct prob p;
	float host[64] = { 0 };
	aclopHandle *hd = NULL;

	prob_init(&p, ACL_FLOAT, ACL_FLOAT, ACL_FLOAT, M, N, K, 1);
#define GEMM(...) aclblasGemmEx(__VA_ARGS__, s)
#define OK_ARGS p.galpha, p.ga, -1, ACL_FLOAT, p.gb, -1, ACL_FLOAT, p.gbeta, p.gc, -1, ACL_FLOAT
	CHECK_RET_MSG(GEMM(NNN, M, N, K, NULL, p.ga, -1, ACL_FLOAT, p.gb, -1,
			   ACL_FLOAT, p.gbeta, p.gc, -1, ACL_FLOAT, HIGH),
		      ACL_ERROR_INVALID_PARAM, "alpha is NULL");
	CHECK_RET_MSG(GEMM(NNN, M, N, K, p.galpha, p.ga, -1, ACL_FLOAT, p.gb,
			   -1, ACL_FLOAT, NULL, p.gc, -1, ACL_FLOAT, HIGH),
		      ACL_ERROR_INVALID_PARAM, "beta is NULL");
	CHECK_RET_MSG(GEMM(NNN, M, N, K, p.galpha, NULL, -1, ACL_FLOAT, p.gb,
			   -1, ACL_FLOAT, p.gbeta, p.gc, -1, ACL_FLOAT, HIGH),
		      ACL_ERROR_INVALID_PARAM, "matrix A is NULL");
	CHECK_RET_MSG(GEMM(NNN, M, N, K, p.galpha, p.ga, -1, ACL_FLOAT, NULL,
			   -1, ACL_FLOAT, p.gbeta, p.gc, -1, ACL_FLOAT, HIGH),
		      ACL_ERROR_INVALID_PARAM, "matrixB is NULL");
	CHECK_RET_MSG(GEMM(NNN, M, N, K, p.galpha, p.ga, -1, ACL_FLOAT, p.gb,
			   -1, ACL_FLOAT, p.gbeta, NULL, -1, ACL_FLOAT, HIGH),
		      ACL_ERROR_INVALID_PARAM, "matrixC is NULL");
	CHECK_RET_MSG(GEMM(NNN, -1, N, K, OK_ARGS, HIGH),
		      ACL_ERROR_INVALID_PARAM, "m, n and k must be > 0 (m -1");
	CHECK_RET_MSG(GEMM(NNN, M, 0, K, OK_ARGS, HIGH),
		      ACL_ERROR_INVALID_PARAM, "n 0");
	CHECK_RET_MSG(GEMM(NNN, M, N, -5, OK_ARGS, HIGH),
		      ACL_ERROR_INVALID_PARAM, "k -5");
	CHECK_RET_MSG(GEMM((aclTransType)9, ACL_TRANS_N, ACL_TRANS_N, M, N, K, OK_ARGS,
			   HIGH),
		      ACL_ERROR_INVALID_PARAM, "got 9, 0");
	CHECK_RET_MSG(GEMM(ACL_TRANS_N, (aclTransType)-1, ACL_TRANS_N, M, N, K, OK_ARGS,
			   HIGH),
		      ACL_ERROR_INVALID_PARAM, "got 0, -1");
	CHECK_RET_MSG(GEMM(ACL_TRANS_NZ_T, ACL_TRANS_N, ACL_TRANS_N, M, N, K, OK_ARGS, HIGH),
		      ACL_ERROR_INVALID_PARAM, "transA and transB");
	CHECK_RET_MSG(GEMM(ACL_TRANS_N, ACL_TRANS_N, ACL_TRANS_T, M, N, K, OK_ARGS, HIGH),
		      ACL_ERROR_INVALID_PARAM, "transC must be ACL_TRANS_N or ACL_TRANS_NZ (got 1)");
	CHECK_RET_MSG(GEMM(NNN, M, N, K, p.galpha, p.ga, K, ACL_FLOAT, p.gb,
			   -1, ACL_FLOAT, p.gbeta, p.gc, -1, ACL_FLOAT, HIGH),
		      ACL_ERROR_INVALID_PARAM, "lda 5, ldb -1, ldc -1: must be -1");
	CHECK_RET_MSG(GEMM(NNN, M, N, K, OK_ARGS, ACL_COMPUTE_LOW_PRECISION),
		      ACL_ERROR_INVALID_PARAM, "compute type 1");
	CHECK_RET_MSG(GEMM(NNN, M, N, K, OK_ARGS, (aclComputeType)7),
		      ACL_ERROR_INVALID_PARAM, "compute type 7");
	CHECK_RET_MSG(GEMM(ACL_TRANS_NZ, ACL_TRANS_N, ACL_TRANS_N, M, N, K, OK_ARGS, HIGH),
		      ACL_ERROR_OP_INPUT_NOT_MATCH, "FRACTAL_NZ");
	CHECK_RET_MSG(GEMM(ACL_TRANS_N, ACL_TRANS_N, ACL_TRANS_NZ, M, N, K, OK_ARGS, HIGH),
		      ACL_ERROR_OP_OUTPUT_NOT_MATCH, "FRACTAL_NZ");
	CHECK_RET_MSG(GEMM(NNN, M, N, K, p.galpha, p.ga, -1, ACL_FLOAT, p.gb,
			   -1, ACL_INT8, p.gbeta, p.gc, -1, ACL_FLOAT, HIGH),
		      ACL_ERROR_UNSUPPORTED_DATA_TYPE, "types A float32, B int8, C float32 not supported");
	CHECK_RET_MSG(GEMM(NNN, M, N, K, p.galpha, p.ga, -1, ACL_FLOAT, p.gb,
			   -1, ACL_FLOAT, p.gbeta, p.gc, -1, ACL_FLOAT16, HIGH),
		      ACL_ERROR_UNSUPPORTED_DATA_TYPE, "C float16 not supported");
	CHECK_RET_MSG(GEMM(NNN, M, N, K, p.galpha, p.ga, -1, ACL_INT8, p.gb,
			   -1, ACL_INT8, p.gbeta, p.gc, -1, ACL_FLOAT, HIGH),
		      ACL_ERROR_UNSUPPORTED_DATA_TYPE, "int8");
	/* memory that is not device memory, or too little of it */
	CHECK_RET_MSG(GEMM(NNN, M, N, K, p.galpha, host, -1, ACL_FLOAT, p.gb,
			   -1, ACL_FLOAT, p.gbeta, p.gc, -1, ACL_FLOAT, HIGH),
		      ACL_ERROR_INVALID_PARAM, "matrixA");
	CHECK_RET_MSG(GEMM(NNN, M, N, K, host, p.ga, -1, ACL_FLOAT, p.gb,
			   -1, ACL_FLOAT, p.gbeta, p.gc, -1, ACL_FLOAT, HIGH),
		      ACL_ERROR_INVALID_PARAM, "alpha");
	/* A of 2^20 x 5 floats is larger than its allocation (rounded up to pages) */
	CHECK_RET_MSG(GEMM(NNN, 1 << 20, N, K, OK_ARGS,
			   HIGH),
		      ACL_ERROR_INVALID_PARAM, "is not 20971520 bytes of device memory");
	CHECK_RET_MSG(aclblasGemmEx(NNN, M, N, K, OK_ARGS,
				    HIGH, (aclrtStream)(uintptr_t)0x4321),
		      ACL_ERROR_INVALID_PARAM, "not a live stream");

	/* the helpers share the checks */
	CHECK_RET_MSG(aclblasHgemm(NNN, 0, N, K, p.galpha, p.ga, -1, p.gb, -1,
				   p.gbeta, p.gc, -1, HIGH, s),
		      ACL_ERROR_INVALID_PARAM, "m 0");
	CHECK_RET_MSG(aclblasS8gemm(NNN, M, N, K, NULL, p.ga, -1, p.gb, -1,
				    p.gbeta, p.gc, -1, HIGH, s),
		      ACL_ERROR_INVALID_PARAM, "alpha is NULL");
	CHECK_RET_MSG(aclblasGemvEx(ACL_TRANS_N, M, K, p.galpha, p.ga, -1, ACL_FLOAT, NULL, -1, ACL_FLOAT,
				    p.gbeta, p.gc, -1, ACL_FLOAT, HIGH, s),
		      ACL_ERROR_INVALID_PARAM, "x is NULL");
	CHECK_RET_MSG(aclblasGemvEx(ACL_TRANS_N, M, K, p.galpha, p.ga, -1, ACL_FLOAT, p.gb, -1, ACL_FLOAT,
				    p.gbeta, NULL, -1, ACL_FLOAT, HIGH, s),
		      ACL_ERROR_INVALID_PARAM, "y is NULL");
	CHECK_RET_MSG(aclblasGemvEx(ACL_TRANS_N, M, K, p.galpha, p.ga, -1, ACL_FLOAT, p.gb, 1, ACL_FLOAT,
				    p.gbeta, p.gc, -1, ACL_FLOAT, HIGH, s),
		      ACL_ERROR_INVALID_PARAM, "incx 1");
	CHECK_RET_MSG(aclblasGemvEx(ACL_TRANS_N, -3, K, p.galpha, p.ga, -1, ACL_FLOAT, p.gb, -1, ACL_FLOAT,
				    p.gbeta, p.gc, -1, ACL_FLOAT, HIGH, s),
		      ACL_ERROR_INVALID_PARAM, "m -3");
	CHECK_RET_MSG(aclblasGemvEx(ACL_TRANS_N, M, K, p.galpha, p.ga, -1, ACL_FLOAT, p.gb, -1, ACL_INT8,
				    p.gbeta, p.gc, -1, ACL_FLOAT, HIGH, s),
		      ACL_ERROR_UNSUPPORTED_DATA_TYPE, "B int8");
	CHECK_RET_MSG(aclblasHgemv((aclTransType)5, M, K, p.galpha, p.ga, -1, p.gb, -1, p.gbeta, p.gc, -1,
				   HIGH, s),
		      ACL_ERROR_INVALID_PARAM, "got 5");
	CHECK_RET_MSG(aclblasS8gemv(ACL_TRANS_N, M, K, p.galpha, p.ga, -1, p.gb, -1, p.gbeta, p.gc, -1,
				    ACL_COMPUTE_LOW_PRECISION, s),
		      ACL_ERROR_INVALID_PARAM, "compute type 1");

	/* handle creation */
	CHECK_RET_MSG(aclblasCreateHandleForGemmEx(NNN, M, N, K, ACL_FLOAT,
						   ACL_FLOAT, ACL_FLOAT, HIGH, NULL),
		      ACL_ERROR_INVALID_PARAM, "handle is NULL");
	CHECK_RET_MSG(aclblasCreateHandleForGemmEx(NNN, M, -1, K, ACL_FLOAT,
						   ACL_FLOAT, ACL_FLOAT, HIGH, &hd),
		      ACL_ERROR_INVALID_PARAM, "n -1");
	CHECK_RET_MSG(aclblasCreateHandleForGemmEx(NNN, M, N, K, ACL_INT8,
						   ACL_INT8, ACL_INT8, HIGH, &hd),
		      ACL_ERROR_UNSUPPORTED_DATA_TYPE, "C int8 not supported");
	CHECK_RET_MSG(aclblasCreateHandleForHgemm(ACL_TRANS_NZ_T, ACL_TRANS_N, ACL_TRANS_N, M, N, K,
						  HIGH, &hd),
		      ACL_ERROR_INVALID_PARAM, "transA and transB");
	CHECK_RET_MSG(aclblasCreateHandleForS8gemm(NNN, M, N, K,
						   ACL_COMPUTE_LOW_PRECISION, &hd),
		      ACL_ERROR_INVALID_PARAM, "compute type 1");
	CHECK_RET_MSG(aclblasCreateHandleForGemvEx(ACL_TRANS_N, 0, K, ACL_FLOAT, ACL_FLOAT, ACL_FLOAT,
						   HIGH, &hd),
		      ACL_ERROR_INVALID_PARAM, "m 0");
	CHECK_RET_MSG(aclblasCreateHandleForHgemv(ACL_TRANS_N, M, K, HIGH, NULL),
		      ACL_ERROR_INVALID_PARAM, "handle is NULL");
	CHECK_RET_MSG(aclblasCreateHandleForS8gemv(ACL_TRANS_NZ, M, K, HIGH, &hd),
		      ACL_ERROR_OP_INPUT_NOT_MATCH, "FRACTAL_NZ");
	TAP_CHECK(hd == NULL, "no handle was made by the refused calls");

	/* none of the refused calls wrote C */
	memcpy(p.want, p.dc, sizeof(p.dc));
	TAP_CHECK(aclrtSynchronizeStream(s) == ACL_SUCCESS && prob_check(&p, M * N), "C is untouched");
	prob_free(&p);
#undef GEMM
#undef OK_ARGS
}

static void before_init(void)
{
	float x[64] = { 0 };
	aclopHandle *hd = NULL;

	CHECK_RET_MSG(aclblasGemmEx(NNN, M, N, K, x, x, -1, ACL_FLOAT, x, -1,
				    ACL_FLOAT, x, x, -1, ACL_FLOAT, HIGH, NULL),
		      ACL_ERROR_UNINITIALIZE, "aclInit");
	CHECK_RET_MSG(aclblasCreateHandleForGemmEx(NNN, M, N, K, ACL_FLOAT,
						   ACL_FLOAT, ACL_FLOAT, HIGH, &hd),
		      ACL_ERROR_UNINITIALIZE, "aclInit");
	/* argument checks come first */
	CHECK_RET_MSG(aclblasGemmEx(NNN, M, N, K, NULL, x, -1, ACL_FLOAT, x,
				    -1, ACL_FLOAT, x, x, -1, ACL_FLOAT, HIGH, NULL),
		      ACL_ERROR_INVALID_PARAM, "alpha is NULL");
	CHECK_RET(aclInit(NULL), ACL_SUCCESS);
	CHECK_RET_MSG(aclblasGemmEx(NNN, M, N, K, x, x, -1, ACL_FLOAT, x, -1,
				    ACL_FLOAT, x, x, -1, ACL_FLOAT, HIGH, NULL),
		      ACL_ERROR_RT_CONTEXT_NULL, "aclrtSetDevice");
	CHECK_RET_MSG(aclblasCreateHandleForHgemm(NNN, M, N, K,
						  HIGH, &hd),
		      ACL_ERROR_RT_CONTEXT_NULL, "aclblasCreateHandleForGemmEx");
	TAP_CHECK(hd == NULL, "no handle before a device is set");
}

int main(void)
{
	aclrtStream s = NULL;

	fake_op_cards(64 * MiB);
	before_init();
	CHECK_RET(aclrtSetDevice(0), ACL_SUCCESS);
	CHECK_RET(aclrtCreateStream(&s), ACL_SUCCESS);
	gemm_ex(s);
	beta_zero(s);
	typed(s);
	handles(s);
	bad_args(s);
	CHECK_RET(aclrtDestroyStream(s), ACL_SUCCESS);
	scratch_lifetime();
	CHECK_RET(aclrtResetDevice(0), ACL_SUCCESS);
	CHECK_RET(aclFinalize(), ACL_SUCCESS);
	return tap_done();
}

// SPDX-License-Identifier: MIT
/*
 * acl_gemm: matrix multiplication with AscendCL's BLAS, aclblasGemmEx:
 * C = alpha * op(A) * op(B) + beta * C on a stream, with row-major
 * matrices, alpha and beta in device memory (of C's type), as in CANN's
 * gemm sample.
 *
 * Four cases, [16x32] times [32x24]:
 *  - aclblasGemmEx, float16 A and B into float32 C, alpha 1, beta 0 (the
 *    mixed-precision form CANN programs use most);
 *  - aclblasGemmEx, float32 with B transposed (B given as [24x32]),
 *    alpha 0.5, beta 2 on a C that already holds numbers;
 *  - aclblasHgemm: all float16, A transposed, alpha 1, beta 1;
 *  - aclblasS8gemm: int8 A and B into int32 C, alpha 3, beta -1: exact.
 * The host computes the same products in double precision (exactly for
 * int8); every element must agree to 1e-3 relative (float32 C: the inputs
 * are exact, only the accumulation order differs), 1e-2 for a float16 C (11
 * significant bits). Last line "RESULT: PASS" (exit 0) or "RESULT: FAIL"
 * (exit 1).
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "acl/acl.h"
#include "acl/ops/acl_cblas.h"

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

enum { M = 16, K = 32, NC = 24 };

static const int32_t device_id = 0;

static struct {
	aclrtStream stream;
	void *dev_a, *dev_b, *dev_c;	/* big enough for the float32 case */
	void *dev_alpha, *dev_beta;
} res;

static int init_resource(void)
{
	ACL_CHECK(aclInit(NULL));
	ACL_CHECK(aclrtSetDevice(device_id));
	ACL_CHECK(aclrtCreateStream(&res.stream));
	ACL_CHECK(aclrtMalloc(&res.dev_a, M * K * sizeof(float), ACL_MEM_MALLOC_HUGE_FIRST));
	ACL_CHECK(aclrtMalloc(&res.dev_b, K * NC * sizeof(float), ACL_MEM_MALLOC_HUGE_FIRST));
	ACL_CHECK(aclrtMalloc(&res.dev_c, M * NC * sizeof(float), ACL_MEM_MALLOC_HUGE_FIRST));
	ACL_CHECK(aclrtMalloc(&res.dev_alpha, sizeof(float), ACL_MEM_MALLOC_HUGE_FIRST));
	ACL_CHECK(aclrtMalloc(&res.dev_beta, sizeof(float), ACL_MEM_MALLOC_HUGE_FIRST));
	return 1;
}

static int destroy_resource(void)
{
	void *bufs[] = { res.dev_a, res.dev_b, res.dev_c, res.dev_alpha, res.dev_beta };
	int ok = 1;
	size_t i;

	for (i = 0; i < sizeof(bufs) / sizeof(bufs[0]); i++)
		ok &= !bufs[i] || aclrtFree(bufs[i]) == ACL_SUCCESS;
	ok &= !res.stream || aclrtDestroyStream(res.stream) == ACL_SUCCESS;
	ok &= aclrtResetDevice(device_id) == ACL_SUCCESS;
	ok &= aclFinalize() == ACL_SUCCESS;
	if (!ok)
		fprintf(stderr, "releasing the resources failed\n");
	return ok;
}

static float value(int i, int salt)
{
	return (float)((i * 31 + salt * 17) % 29 - 14) / 8.0f;	/* exact in float16 */
}

/* Compare C with the reference to @tol relative; prints one line. */
static int compare(const char *what, const float *got, const double *want, double tol)
{
	int i, bad = 0;
	double worst = 0;

	for (i = 0; i < M * NC; i++) {
		double err = fabs(got[i] - want[i]) / (1.0 + fabs(want[i]));

		if (!(err <= tol)) {
			if (bad++ < 5)
				fprintf(stderr, "%s: C[%d][%d] expected %.5f, got %.5f\n", what, i / NC,
					i % NC, want[i], got[i]);
		} else if (err > worst) {
			worst = err;
		}
	}
	printf("%s: %d of %d elements match (worst relative error %.1e)   %s\n", what,
	       M * NC - bad, M * NC, worst, bad ? "FAIL" : "PASS");
	return !bad;
}

/* float16 A, B; float32 C = A * B */
static int gemm_fp16_in_fp32_out(void)
{
	static aclFloat16 a[M * K], b[K * NC];
	static float c[M * NC];
	static double want[M * NC];
	const float alpha = 1.0f, beta = 0.0f;
	int i, j, k;

	for (i = 0; i < M * K; i++)
		a[i] = aclFloatToFloat16(value(i, 1));
	for (i = 0; i < K * NC; i++)
		b[i] = aclFloatToFloat16(value(i, 2));
	for (i = 0; i < M; i++)
		for (j = 0; j < NC; j++) {
			double s = 0;

			for (k = 0; k < K; k++)
				s += (double)aclFloat16ToFloat(a[i * K + k]) *
				     aclFloat16ToFloat(b[k * NC + j]);
			want[i * NC + j] = s;
		}
	ACL_CHECK(aclrtMemcpy(res.dev_a, M * K * sizeof(float), a, sizeof(a),
			      ACL_MEMCPY_HOST_TO_DEVICE));
	ACL_CHECK(aclrtMemcpy(res.dev_b, K * NC * sizeof(float), b, sizeof(b),
			      ACL_MEMCPY_HOST_TO_DEVICE));
	ACL_CHECK(aclrtMemcpy(res.dev_alpha, sizeof(float), &alpha, sizeof(alpha),
			      ACL_MEMCPY_HOST_TO_DEVICE));
	ACL_CHECK(aclrtMemcpy(res.dev_beta, sizeof(float), &beta, sizeof(beta),
			      ACL_MEMCPY_HOST_TO_DEVICE));
	/* beta is 0, so C's old contents do not count; start from zeros */
	ACL_CHECK(aclrtMemset(res.dev_c, M * NC * sizeof(float), 0, M * NC * sizeof(float)));

	ACL_CHECK(aclblasGemmEx(ACL_TRANS_N, ACL_TRANS_N, ACL_TRANS_N, M, NC, K, res.dev_alpha,
				res.dev_a, -1, ACL_FLOAT16, res.dev_b, -1, ACL_FLOAT16, res.dev_beta,
				res.dev_c, -1, ACL_FLOAT, ACL_COMPUTE_HIGH_PRECISION, res.stream));
	ACL_CHECK(aclrtSynchronizeStream(res.stream));
	ACL_CHECK(aclrtMemcpy(c, sizeof(c), res.dev_c, sizeof(c), ACL_MEMCPY_DEVICE_TO_HOST));
	return compare("GemmEx float16 x float16 -> float32 [16x32]*[32x24]", c, want, 1e-3);
}

/* float32, B transposed: C = 0.5 * A * B^T + 2 * C */
static int gemm_fp32_trans_b(void)
{
	static float a[M * K], bt[NC * K], c[M * NC];
	static double want[M * NC];
	const float alpha = 0.5f, beta = 2.0f;
	int i, j, k;

	for (i = 0; i < M * K; i++)
		a[i] = value(i, 3);
	for (i = 0; i < NC * K; i++)
		bt[i] = value(i, 4);
	for (i = 0; i < M * NC; i++)
		c[i] = value(i, 5);
	for (i = 0; i < M; i++)
		for (j = 0; j < NC; j++) {
			double s = 0;

			for (k = 0; k < K; k++)
				s += (double)a[i * K + k] * bt[j * K + k];
			want[i * NC + j] = alpha * s + beta * (double)c[i * NC + j];
		}
	ACL_CHECK(aclrtMemcpy(res.dev_a, sizeof(a), a, sizeof(a), ACL_MEMCPY_HOST_TO_DEVICE));
	ACL_CHECK(aclrtMemcpy(res.dev_b, sizeof(bt), bt, sizeof(bt), ACL_MEMCPY_HOST_TO_DEVICE));
	ACL_CHECK(aclrtMemcpy(res.dev_c, sizeof(c), c, sizeof(c), ACL_MEMCPY_HOST_TO_DEVICE));
	ACL_CHECK(aclrtMemcpy(res.dev_alpha, sizeof(float), &alpha, sizeof(alpha),
			      ACL_MEMCPY_HOST_TO_DEVICE));
	ACL_CHECK(aclrtMemcpy(res.dev_beta, sizeof(float), &beta, sizeof(beta),
			      ACL_MEMCPY_HOST_TO_DEVICE));

	ACL_CHECK(aclblasGemmEx(ACL_TRANS_N, ACL_TRANS_T, ACL_TRANS_N, M, NC, K, res.dev_alpha,
				res.dev_a, -1, ACL_FLOAT, res.dev_b, -1, ACL_FLOAT, res.dev_beta,
				res.dev_c, -1, ACL_FLOAT, ACL_COMPUTE_HIGH_PRECISION, res.stream));
	ACL_CHECK(aclrtSynchronizeStream(res.stream));
	ACL_CHECK(aclrtMemcpy(c, sizeof(c), res.dev_c, sizeof(c), ACL_MEMCPY_DEVICE_TO_HOST));
	return compare("GemmEx float32 A*B^T, alpha 0.5, beta 2 [16x32]*[24x32]^T", c, want, 1e-3);
}

/* aclblasHgemm: float16 throughout, A given transposed ([32x16]): C = A^T * B + C */
static int hgemm_trans_a(void)
{
	static aclFloat16 at[K * M], b[K * NC], c[M * NC];
	static float got[M * NC];
	static double want[M * NC];
	const aclFloat16 alpha = aclFloatToFloat16(1.0f), beta = aclFloatToFloat16(1.0f);
	int i, j, k;

	for (i = 0; i < K * M; i++)
		at[i] = aclFloatToFloat16(value(i, 6) / 4);
	for (i = 0; i < K * NC; i++)
		b[i] = aclFloatToFloat16(value(i, 7) / 4);
	for (i = 0; i < M * NC; i++)
		c[i] = aclFloatToFloat16(value(i, 8));
	for (i = 0; i < M; i++)
		for (j = 0; j < NC; j++) {
			double s = aclFloat16ToFloat(c[i * NC + j]);

			for (k = 0; k < K; k++)
				s += (double)aclFloat16ToFloat(at[k * M + i]) *
				     aclFloat16ToFloat(b[k * NC + j]);
			want[i * NC + j] = s;
		}
	ACL_CHECK(aclrtMemcpy(res.dev_a, sizeof(at), at, sizeof(at), ACL_MEMCPY_HOST_TO_DEVICE));
	ACL_CHECK(aclrtMemcpy(res.dev_b, sizeof(b), b, sizeof(b), ACL_MEMCPY_HOST_TO_DEVICE));
	ACL_CHECK(aclrtMemcpy(res.dev_c, sizeof(c), c, sizeof(c), ACL_MEMCPY_HOST_TO_DEVICE));
	ACL_CHECK(aclrtMemcpy(res.dev_alpha, sizeof(alpha), &alpha, sizeof(alpha),
			      ACL_MEMCPY_HOST_TO_DEVICE));
	ACL_CHECK(aclrtMemcpy(res.dev_beta, sizeof(beta), &beta, sizeof(beta),
			      ACL_MEMCPY_HOST_TO_DEVICE));

	ACL_CHECK(aclblasHgemm(ACL_TRANS_T, ACL_TRANS_N, ACL_TRANS_N, M, NC, K, res.dev_alpha,
			       res.dev_a, -1, res.dev_b, -1, res.dev_beta, res.dev_c, -1,
			       ACL_COMPUTE_HIGH_PRECISION, res.stream));
	ACL_CHECK(aclrtSynchronizeStream(res.stream));
	ACL_CHECK(aclrtMemcpy(c, sizeof(c), res.dev_c, sizeof(c), ACL_MEMCPY_DEVICE_TO_HOST));
	for (i = 0; i < M * NC; i++)
		got[i] = aclFloat16ToFloat(c[i]);
	return compare("Hgemm float16 A^T*B + C [32x16]^T*[32x24]", got, want, 1e-2);
}

/* aclblasS8gemm: int8 A, B; int32 C = 3 * A * B - C, exactly */
static int s8gemm(void)
{
	static int8_t a[M * K], b[K * NC];
	static int32_t c[M * NC], want[M * NC];
	const int32_t alpha = 3, beta = -1;
	int i, j, k, bad = 0;

	for (i = 0; i < M * K; i++)
		a[i] = (int8_t)((i * 37) % 255 - 127);	/* the whole int8 range */
	for (i = 0; i < K * NC; i++)
		b[i] = (int8_t)((i * 53) % 255 - 127);
	for (i = 0; i < M * NC; i++)
		c[i] = i * 1001 - 150000;
	for (i = 0; i < M; i++)
		for (j = 0; j < NC; j++) {
			int32_t s = 0;

			for (k = 0; k < K; k++)
				s += (int32_t)a[i * K + k] * b[k * NC + j];
			want[i * NC + j] = alpha * s + beta * c[i * NC + j];
		}
	ACL_CHECK(aclrtMemcpy(res.dev_a, sizeof(a), a, sizeof(a), ACL_MEMCPY_HOST_TO_DEVICE));
	ACL_CHECK(aclrtMemcpy(res.dev_b, sizeof(b), b, sizeof(b), ACL_MEMCPY_HOST_TO_DEVICE));
	ACL_CHECK(aclrtMemcpy(res.dev_c, sizeof(c), c, sizeof(c), ACL_MEMCPY_HOST_TO_DEVICE));
	ACL_CHECK(aclrtMemcpy(res.dev_alpha, sizeof(alpha), &alpha, sizeof(alpha),
			      ACL_MEMCPY_HOST_TO_DEVICE));
	ACL_CHECK(aclrtMemcpy(res.dev_beta, sizeof(beta), &beta, sizeof(beta),
			      ACL_MEMCPY_HOST_TO_DEVICE));

	ACL_CHECK(aclblasS8gemm(ACL_TRANS_N, ACL_TRANS_N, ACL_TRANS_N, M, NC, K, res.dev_alpha,
				res.dev_a, -1, res.dev_b, -1, res.dev_beta, res.dev_c, -1,
				ACL_COMPUTE_HIGH_PRECISION, res.stream));
	ACL_CHECK(aclrtSynchronizeStream(res.stream));
	ACL_CHECK(aclrtMemcpy(c, sizeof(c), res.dev_c, sizeof(c), ACL_MEMCPY_DEVICE_TO_HOST));
	for (i = 0; i < M * NC; i++) {
		if (c[i] != want[i] && bad++ < 5)
			fprintf(stderr, "S8gemm: C[%d][%d] expected %d, got %d\n", i / NC, i % NC,
				(int)want[i], (int)c[i]);
	}
	printf("S8gemm int8 x int8 -> int32, alpha 3, beta -1 [16x32]*[32x24]: %d of %d "
	       "elements exact   %s\n", M * NC - bad, M * NC, bad ? "FAIL" : "PASS");
	return !bad;
}

int main(void)
{
	int ok;

	ok = init_resource();
	if (ok) {
		ok &= gemm_fp16_in_fp32_out();
		ok &= gemm_fp32_trans_b();
		ok &= hgemm_trans_a();
		ok &= s8gemm();
	}
	if (!destroy_resource())
		ok = 0;
	printf("RESULT: %s\n", ok ? "PASS" : "FAIL");
	return ok ? 0 : 1;
}

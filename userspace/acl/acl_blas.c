// SPDX-License-Identifier: MIT
/*
 * AscendCL BLAS (ops/acl_cblas.h) on the card's operator library.
 *
 * As in CANN, matrices are dense row-major device memory (leading
 * dimensions must be -1), alpha and beta are one element of C's type in
 * device memory, and the work is queued on the stream. How each type
 * combination runs:
 *   A, B, C all fp32, fp16 or bf16   one GEMM launch (inputs A, B, C, alpha,
 *                                    beta; transposes as attributes)
 *   A, B fp16 or bf16, C fp32        Cast A and B to fp32 into scratch
 *                                    device memory, then GEMM in fp32
 *   A, B int8, C int32               MatMul (int8 x int8 -> int32, exact)
 *                                    into scratch T, T *= alpha, C *= beta,
 *                                    C += T
 * All tasks of a call go in one submission; scratch memory is freed when
 * the last completes. GEMV is GEMM with a one-column B.
 *
 * Not supported by vascend's library: the fractal layouts ACL_TRANS_NZ and
 * ACL_TRANS_NZ_T, and ACL_COMPUTE_LOW_PRECISION (CANN itself refuses the
 * latter and NZ_T with ACL_ERROR_INVALID_PARAM).
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "acl/ops/acl_cblas.h"
#include "acl_error.h"
#include "acl_internal.h"
#include "acl_op_internal.h"

enum blas_path {
	BLAS_SAME,	/* GEMM in the common type */
	BLAS_WIDEN,	/* Cast to fp32, GEMM */
	BLAS_INT8,	/* MatMul int8 -> int32, scale, add */
};

static bool is_float(aclDataType t)
{
	return t == ACL_FLOAT || t == ACL_FLOAT16 || t == ACL_BF16;
}

static aclError pick_path(const char *api, const struct acl_blas_plan *p, enum blas_path *path)
{
	if (p->dt_a == p->dt_b && is_float(p->dt_a) && p->dt_c == p->dt_a)
		*path = BLAS_SAME;
	else if (p->dt_a == p->dt_b && (p->dt_a == ACL_FLOAT16 || p->dt_a == ACL_BF16) && p->dt_c == ACL_FLOAT)
		*path = BLAS_WIDEN;
	else if (p->dt_a == ACL_INT8 && p->dt_b == ACL_INT8 && p->dt_c == ACL_INT32)
		*path = BLAS_INT8;
	else
		return acl_fail(ACL_ERROR_UNSUPPORTED_DATA_TYPE, api,
				"types A %s, B %s, C %s not supported: vascend runs fp32, fp16 and bf16 "
				"(C of the same type or fp32) and int8 x int8 -> int32",
				acl_dtype_name(p->dt_a), acl_dtype_name(p->dt_b), acl_dtype_name(p->dt_c));
	return ACL_SUCCESS;
}

/* CANN's argument checks shared by every entry point, in its order. */
static aclError check_args(const char *api, aclTransType ta, aclTransType tb, aclTransType tc, int m, int n,
			   int k, int lda, int ldb, int ldc, aclComputeType type, bool gemv)
{
	if (m <= 0 || n <= 0 || k <= 0)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "m, n and k must be > 0 (m %d, n %d, k %d)",
				m, n, k);
	if (ta < ACL_TRANS_N || ta >= ACL_TRANS_NZ_T || tb < ACL_TRANS_N || tb >= ACL_TRANS_NZ_T)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api,
				"transA and transB must be ACL_TRANS_N, ACL_TRANS_T or ACL_TRANS_NZ "
				"(got %d, %d)", (int)ta, (int)tb);
	if (tc != ACL_TRANS_N && tc != ACL_TRANS_NZ)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api,
				"transC must be ACL_TRANS_N or ACL_TRANS_NZ (got %d)", (int)tc);
	/* GEMV's x and y are its B and C: name them as the caller did */
	if (lda != -1 || ldb != -1 || ldc != -1)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api,
				"lda %d, %s %d, %s %d: must be -1 (dense %s only, as in CANN)", lda,
				gemv ? "incx" : "ldb", ldb, gemv ? "incy" : "ldc", ldc,
				gemv ? "matrix and vectors" : "matrices");
	if (type != ACL_COMPUTE_HIGH_PRECISION)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api,
				"compute type %d: only ACL_COMPUTE_HIGH_PRECISION is supported", (int)type);
	if (ta == ACL_TRANS_NZ || tb == ACL_TRANS_NZ)
		return acl_fail(ACL_ERROR_OP_INPUT_NOT_MATCH, api,
				"ACL_TRANS_NZ (the FRACTAL_NZ layout) is not supported by vascend's "
				"library: pass row-major matrices with ACL_TRANS_N or ACL_TRANS_T");
	if (tc == ACL_TRANS_NZ)
		return acl_fail(ACL_ERROR_OP_OUTPUT_NOT_MATCH, api,
				"ACL_TRANS_NZ for C (the FRACTAL_NZ layout) is not supported by "
				"vascend's library");
	return ACL_SUCCESS;
}

/* Operand @what of @rows x @cols (0-d when @rows is 0) at device address @ptr. */
static aclError operand(const char *api, int32_t dev, const char *what, const void *ptr, aclDataType dt,
			int64_t rows, int64_t cols, struct acl_op_tensor *t)
{
	uint64_t need = aclDataTypeSize(dt);
	int32_t mdev;

	memset(t, 0, sizeof(*t));
	t->dtype = (uint32_t)dt;
	t->format = ACL_FORMAT_ND;
	if (rows) {
		t->ndim = 2;
		t->dims[0] = rows;
		t->dims[1] = cols;
		need *= (uint64_t)rows * (uint64_t)cols;
	}
	if (!acl_is_dev_mem(ptr, need, &mdev) || mdev != dev)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api,
				"%s: %p is not %llu bytes of device memory of device %d", what, ptr,
				(unsigned long long)need, dev);
	t->addr = (uint64_t)(uintptr_t)ptr;
	t->size = need;
	return ACL_SUCCESS;
}

/* A scratch tensor in device memory the call allocated (no memory check). */
static void scratch_tensor(struct acl_op_tensor *t, uint64_t addr, aclDataType dt, int64_t rows, int64_t cols)
{
	memset(t, 0, sizeof(*t));
	t->dtype = (uint32_t)dt;
	t->format = ACL_FORMAT_ND;
	t->ndim = 2;
	t->dims[0] = rows;
	t->dims[1] = cols;
	t->addr = addr;
	t->size = aclDataTypeSize(dt) * (uint64_t)rows * (uint64_t)cols;
}

static void launch_init(struct acl_op_launch *l, const char *name, uint32_t nin)
{
	l->name = name;
	l->schema = acl_op_schema_find(name);
	l->op_id = 0;
	l->nin = nin;
	l->nout = 1;
	l->nattrs = 0;
	l->scratch_used = 0;
}

static void attr_bool(struct acl_op_launch *l, const char *name, bool v)
{
	uint8_t *p = acl_op_scratch(l, 1);

	*p = v;
	l->attrs[l->nattrs++] = (struct acl_op_attr){ .name = name, .type = VASCEND_ATTR_BOOL, .count = 1,
						      .data = p };
}

static void attr_int(struct acl_op_launch *l, const char *name, int64_t v)
{
	int64_t *p = acl_op_scratch(l, sizeof(v));

	*p = v;
	l->attrs[l->nattrs++] = (struct acl_op_attr){ .name = name, .type = VASCEND_ATTR_INT, .count = 1,
						      .data = p };
}

static void free_scratch(void *p)
{
	acl_dev_free("aclblasGemmEx", p);
}

/*
 * Queue C_out = alpha op(A) op(B) + beta C_in per @p on @stream. The
 * launches are large (struct acl_op_launch): heap, not stack.
 */
static aclError blas_run(const char *api, const struct acl_blas_plan *p, const void *alpha, const void *a,
			 const void *b, const void *beta, const void *c_in, void *c_out, aclrtStream stream)
{
	int64_t M = p->m, N = p->n, K = p->k;
	struct acl_op_tensor A, B, Cin, Cout, Al, Be;
	struct acl_op_launch *ls = NULL;
	struct acl_op_step steps[4];
	enum blas_path path;
	void *scratch = NULL;
	uint64_t seq, sa;
	uint32_t n = 0;
	int32_t dev;
	aclError rc;

	rc = pick_path(api, p, &path);
	if (!rc)
		rc = acl_check_init(api);
	if (!rc)
		rc = acl_stream_device(api, stream, &dev);
	if (!rc)
		rc = operand(api, dev, "matrixA", a, p->dt_a, p->trans_a ? K : M, p->trans_a ? M : K, &A);
	if (!rc)
		rc = operand(api, dev, "matrixB", b, p->dt_b, p->trans_b ? N : K, p->trans_b ? K : N, &B);
	if (!rc)
		rc = operand(api, dev, "matrixC", c_in, p->dt_c, M, N, &Cin);
	if (!rc)
		rc = operand(api, dev, "matrixC", c_out, p->dt_c, M, N, &Cout);
	if (!rc)
		rc = operand(api, dev, "alpha", alpha, p->dt_c, 0, 0, &Al);
	if (!rc)
		rc = operand(api, dev, "beta", beta, p->dt_c, 0, 0, &Be);
	if (rc)
		return rc;
	ls = malloc(4 * sizeof(*ls));
	if (!ls)
		return acl_fail(ACL_ERROR_BAD_ALLOC, api, "out of memory");

	switch (path) {
	case BLAS_SAME:
		launch_init(&ls[0], "GEMM", 5);
		ls[0].in[0] = A;
		ls[0].in[1] = B;
		ls[0].in[2] = Cin;
		ls[0].in[3] = Al;
		ls[0].in[4] = Be;
		ls[0].out[0] = Cout;
		attr_bool(&ls[0], "transpose_a", p->trans_a);
		attr_bool(&ls[0], "transpose_b", p->trans_b);
		steps[n++] = (struct acl_op_step){ .launch = &ls[0] };
		break;
	case BLAS_WIDEN:
		sa = (uint64_t)(M * K) * 4;
		rc = acl_dev_malloc(api, dev, (size_t)(sa + (uint64_t)(K * N) * 4), ACL_MEM_MALLOC_HUGE_FIRST,
				    &scratch);
		if (rc)
			goto out;
		for (int i = 0; i < 2; i++) {
			launch_init(&ls[i], "Cast", 1);
			ls[i].in[0] = i ? B : A;
			scratch_tensor(&ls[i].out[0], (uint64_t)(uintptr_t)scratch + (i ? sa : 0), ACL_FLOAT,
				       ls[i].in[0].dims[0], ls[i].in[0].dims[1]);
			attr_int(&ls[i], "dst_type", ACL_FLOAT);
			steps[n++] = (struct acl_op_step){ .launch = &ls[i] };
		}
		launch_init(&ls[2], "GEMM", 5);
		ls[2].in[0] = ls[0].out[0];
		ls[2].in[1] = ls[1].out[0];
		ls[2].in[2] = Cin;
		ls[2].in[3] = Al;
		ls[2].in[4] = Be;
		ls[2].out[0] = Cout;
		attr_bool(&ls[2], "transpose_a", p->trans_a);
		attr_bool(&ls[2], "transpose_b", p->trans_b);
		steps[n++] = (struct acl_op_step){ .launch = &ls[2] };
		break;
	case BLAS_INT8:
		rc = acl_dev_malloc(api, dev, (size_t)(M * N) * 4, ACL_MEM_MALLOC_HUGE_FIRST, &scratch);
		if (rc)
			goto out;
		/* T = op(A) op(B), exact in int32 */
		launch_init(&ls[0], "MatMul", 2);
		ls[0].in[0] = A;
		ls[0].in[1] = B;
		scratch_tensor(&ls[0].out[0], (uint64_t)(uintptr_t)scratch, ACL_INT32, M, N);
		attr_bool(&ls[0], "transpose_x1", p->trans_a);
		attr_bool(&ls[0], "transpose_x2", p->trans_b);
		/* T *= alpha */
		launch_init(&ls[1], "Mul", 2);
		ls[1].in[0] = ls[0].out[0];
		ls[1].in[1] = Al;
		ls[1].out[0] = ls[0].out[0];
		/* C = beta C */
		launch_init(&ls[2], "Mul", 2);
		ls[2].in[0] = Cin;
		ls[2].in[1] = Be;
		ls[2].out[0] = Cout;
		/* C += T */
		launch_init(&ls[3], "Add", 2);
		ls[3].in[0] = Cout;
		ls[3].in[1] = ls[0].out[0];
		ls[3].out[0] = Cout;
		for (int i = 0; i < 4; i++)
			steps[n++] = (struct acl_op_step){ .launch = &ls[i] };
		break;
	}
	rc = acl_op_submit(api, dev, stream, steps, n, &seq);
	if (rc) {
		if (scratch)
			acl_dev_free(api, scratch);
		goto out;
	}
	if (scratch && acl_stream_on_complete(api, stream, seq, free_scratch, scratch)) {
		/* no record for the callback: wait, then free */
		rc = acl_stream_wait(api, stream, seq, -1);
		acl_dev_free(api, scratch);
	}
out:
	free(ls);
	return rc;
}

static aclError null_check(const char *api, const void *alpha, const void *beta, const void *a, const void *b,
			   const void *c, const char *bname, const char *cname)
{
	if (!alpha)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "alpha is NULL");
	if (!beta)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "beta is NULL");
	if (!a)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "matrix A is NULL");
	if (!b)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "%s is NULL", bname);
	if (!c)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "%s is NULL", cname);
	return ACL_SUCCESS;
}

static aclError gemm(const char *api, aclTransType transA, aclTransType transB, aclTransType transC, int m,
		     int n, int k, const void *alpha, const void *matrixA, int lda, aclDataType dataTypeA,
		     const void *matrixB, int ldb, aclDataType dataTypeB, const void *beta, void *matrixC,
		     int ldc, aclDataType dataTypeC, aclComputeType type, aclrtStream stream)
{
	struct acl_blas_plan p = {
		.trans_a = transA == ACL_TRANS_T, .trans_b = transB == ACL_TRANS_T,
		.m = m, .n = n, .k = k, .dt_a = dataTypeA, .dt_b = dataTypeB, .dt_c = dataTypeC,
	};
	aclError rc = null_check(api, alpha, beta, matrixA, matrixB, matrixC, "matrixB", "matrixC");

	if (!rc)
		rc = check_args(api, transA, transB, transC, m, n, k, lda, ldb, ldc, type, false);
	return rc ? rc : blas_run(api, &p, alpha, matrixA, matrixB, beta, matrixC, matrixC, stream);
}

ACL_FUNC_VISIBILITY aclError aclblasGemmEx(aclTransType transA, aclTransType transB, aclTransType transC, int m,
					   int n, int k, const void *alpha, const void *matrixA, int lda,
					   aclDataType dataTypeA, const void *matrixB, int ldb,
					   aclDataType dataTypeB, const void *beta, void *matrixC, int ldc,
					   aclDataType dataTypeC, aclComputeType type, aclrtStream stream)
{
	return gemm("aclblasGemmEx", transA, transB, transC, m, n, k, alpha, matrixA, lda, dataTypeA, matrixB,
		    ldb, dataTypeB, beta, matrixC, ldc, dataTypeC, type, stream);
}

ACL_FUNC_VISIBILITY aclError aclblasHgemm(aclTransType transA, aclTransType transB, aclTransType transC, int m,
					  int n, int k, const aclFloat16 *alpha, const aclFloat16 *matrixA,
					  int lda, const aclFloat16 *matrixB, int ldb, const aclFloat16 *beta,
					  aclFloat16 *matrixC, int ldc, aclComputeType type, aclrtStream stream)
{
	return gemm("aclblasHgemm", transA, transB, transC, m, n, k, alpha, matrixA, lda, ACL_FLOAT16, matrixB,
		    ldb, ACL_FLOAT16, beta, matrixC, ldc, ACL_FLOAT16, type, stream);
}

ACL_FUNC_VISIBILITY aclError aclblasS8gemm(aclTransType transA, aclTransType transB, aclTransType transC, int m,
					   int n, int k, const int32_t *alpha, const int8_t *matrixA, int lda,
					   const int8_t *matrixB, int ldb, const int32_t *beta, int32_t *matrixC,
					   int ldc, aclComputeType type, aclrtStream stream)
{
	return gemm("aclblasS8gemm", transA, transB, transC, m, n, k, alpha, matrixA, lda, ACL_INT8, matrixB,
		    ldb, ACL_INT8, beta, matrixC, ldc, ACL_INT32, type, stream);
}

/* y = alpha op(A) x + beta y, A m x n, as GEMM of op(A) with an x column. */
static aclError gemv(const char *api, aclTransType transA, int m, int n, const void *alpha, const void *a,
		     int lda, aclDataType dataTypeA, const void *x, int incx, aclDataType dataTypeX,
		     const void *beta, void *y, int incy, aclDataType dataTypeY, aclComputeType type,
		     aclrtStream stream)
{
	bool t = transA == ACL_TRANS_T;
	struct acl_blas_plan p = {
		.trans_a = t, .trans_b = false, .m = t ? n : m, .n = 1, .k = t ? m : n,
		.dt_a = dataTypeA, .dt_b = dataTypeX, .dt_c = dataTypeY,
	};
	aclError rc = null_check(api, alpha, beta, a, x, y, "x", "y");

	if (!rc)
		rc = check_args(api, transA, ACL_TRANS_N, ACL_TRANS_N, m, n, 1, lda, incx, incy, type, true);
	return rc ? rc : blas_run(api, &p, alpha, a, x, beta, y, y, stream);
}

ACL_FUNC_VISIBILITY aclError aclblasGemvEx(aclTransType transA, int m, int n, const void *alpha, const void *a,
					   int lda, aclDataType dataTypeA, const void *x, int incx,
					   aclDataType dataTypeX, const void *beta, void *y, int incy,
					   aclDataType dataTypeY, aclComputeType type, aclrtStream stream)
{
	return gemv("aclblasGemvEx", transA, m, n, alpha, a, lda, dataTypeA, x, incx, dataTypeX, beta, y, incy,
		    dataTypeY, type, stream);
}

ACL_FUNC_VISIBILITY aclError aclblasHgemv(aclTransType transA, int m, int n, const aclFloat16 *alpha,
					  const aclFloat16 *a, int lda, const aclFloat16 *x, int incx,
					  const aclFloat16 *beta, aclFloat16 *y, int incy, aclComputeType type,
					  aclrtStream stream)
{
	return gemv("aclblasHgemv", transA, m, n, alpha, a, lda, ACL_FLOAT16, x, incx, ACL_FLOAT16, beta, y,
		    incy, ACL_FLOAT16, type, stream);
}

ACL_FUNC_VISIBILITY aclError aclblasS8gemv(aclTransType transA, int m, int n, const int32_t *alpha,
					   const int8_t *a, int lda, const int8_t *x, int incx,
					   const int32_t *beta, int32_t *y, int incy, aclComputeType type,
					   aclrtStream stream)
{
	return gemv("aclblasS8gemv", transA, m, n, alpha, a, lda, ACL_INT8, x, incx, ACL_INT8, beta, y, incy,
		    ACL_INT32, type, stream);
}

/* ---- handles: inputs A, B, C, alpha, beta; output C (CANN's GEMM operands) ---- */

static aclError blas_handle(const char *api, const struct acl_blas_plan *p, aclopHandle **handle)
{
	int64_t da[2] = { p->trans_a ? p->k : p->m, p->trans_a ? p->m : p->k };
	int64_t db[2] = { p->trans_b ? p->n : p->k, p->trans_b ? p->k : p->n };
	int64_t dc[2] = { p->m, p->n };
	aclTensorDesc *in[5] = { NULL }, *out[1] = { NULL };
	enum blas_path path;
	int32_t dev;
	aclError rc;

	rc = pick_path(api, p, &path);
	if (!rc)
		rc = acl_check_init(api);
	if (!rc)
		rc = acl_current_device(api, &dev);
	if (rc)
		return rc;
	in[0] = aclCreateTensorDesc(p->dt_a, 2, da, ACL_FORMAT_ND);
	in[1] = aclCreateTensorDesc(p->dt_b, 2, db, ACL_FORMAT_ND);
	in[2] = aclCreateTensorDesc(p->dt_c, 2, dc, ACL_FORMAT_ND);
	in[3] = aclCreateTensorDesc(p->dt_c, 0, NULL, ACL_FORMAT_ND);
	in[4] = aclCreateTensorDesc(p->dt_c, 0, NULL, ACL_FORMAT_ND);
	out[0] = aclCreateTensorDesc(p->dt_c, 2, dc, ACL_FORMAT_ND);
	if (in[0] && in[1] && in[2] && in[3] && in[4] && out[0])
		rc = acl_op_handle_new(api, "GEMM", 5, (const aclTensorDesc *const *)in, 1,
				       (const aclTensorDesc *const *)out, NULL, handle);
	else
		rc = acl_fail(ACL_ERROR_BAD_ALLOC, api, "out of memory");
	for (int i = 0; i < 5; i++)
		aclDestroyTensorDesc(in[i]);
	aclDestroyTensorDesc(out[0]);
	if (rc)
		return rc;
	(*handle)->blas = true;
	(*handle)->plan = *p;
	return ACL_SUCCESS;
}

aclError acl_blas_exec_handle(const char *api, const aclopHandle *h, const aclDataBuffer *const inputs[],
			      aclDataBuffer *const outputs[], aclrtStream stream)
{
	return blas_run(api, &h->plan, inputs[3]->data, inputs[0]->data, inputs[1]->data, inputs[4]->data,
			inputs[2]->data, outputs[0]->data, stream);
}

ACL_FUNC_VISIBILITY aclError aclblasCreateHandleForGemmEx(aclTransType transA, aclTransType transB,
							  aclTransType transC, int m, int n, int k,
							  aclDataType dataTypeA, aclDataType dataTypeB,
							  aclDataType dataTypeC, aclComputeType type,
							  aclopHandle **handle)
{
	const char *api = "aclblasCreateHandleForGemmEx";
	struct acl_blas_plan p = {
		.trans_a = transA == ACL_TRANS_T, .trans_b = transB == ACL_TRANS_T,
		.m = m, .n = n, .k = k, .dt_a = dataTypeA, .dt_b = dataTypeB, .dt_c = dataTypeC,
	};
	aclError rc;

	if (!handle)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "handle is NULL");
	rc = check_args(api, transA, transB, transC, m, n, k, -1, -1, -1, type, false);
	return rc ? rc : blas_handle(api, &p, handle);
}

ACL_FUNC_VISIBILITY aclError aclblasCreateHandleForHgemm(aclTransType transA, aclTransType transB,
							 aclTransType transC, int m, int n, int k,
							 aclComputeType type, aclopHandle **handle)
{
	return aclblasCreateHandleForGemmEx(transA, transB, transC, m, n, k, ACL_FLOAT16, ACL_FLOAT16,
					    ACL_FLOAT16, type, handle);
}

ACL_FUNC_VISIBILITY aclError aclblasCreateHandleForS8gemm(aclTransType transA, aclTransType transB,
							  aclTransType transC, int m, int n, int k,
							  aclComputeType type, aclopHandle **handle)
{
	return aclblasCreateHandleForGemmEx(transA, transB, transC, m, n, k, ACL_INT8, ACL_INT8, ACL_INT32,
					    type, handle);
}

static aclError gemv_handle(const char *api, aclTransType transA, int m, int n, aclDataType dt_a,
			    aclDataType dt_x, aclDataType dt_y, aclComputeType type, aclopHandle **handle)
{
	bool t = transA == ACL_TRANS_T;
	struct acl_blas_plan p = {
		.trans_a = t, .trans_b = false, .m = t ? n : m, .n = 1, .k = t ? m : n,
		.dt_a = dt_a, .dt_b = dt_x, .dt_c = dt_y,
	};
	aclError rc;

	if (!handle)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "handle is NULL");
	rc = check_args(api, transA, ACL_TRANS_N, ACL_TRANS_N, m, n, 1, -1, -1, -1, type, true);
	return rc ? rc : blas_handle(api, &p, handle);
}

ACL_FUNC_VISIBILITY aclError aclblasCreateHandleForGemvEx(aclTransType transA, int m, int n,
							  aclDataType dataTypeA, aclDataType dataTypeX,
							  aclDataType dataTypeY, aclComputeType type,
							  aclopHandle **handle)
{
	return gemv_handle("aclblasCreateHandleForGemvEx", transA, m, n, dataTypeA, dataTypeX, dataTypeY, type,
			   handle);
}

ACL_FUNC_VISIBILITY aclError aclblasCreateHandleForHgemv(aclTransType transA, int m, int n,
							 aclComputeType type, aclopHandle **handle)
{
	return gemv_handle("aclblasCreateHandleForHgemv", transA, m, n, ACL_FLOAT16, ACL_FLOAT16, ACL_FLOAT16,
			   type, handle);
}

ACL_FUNC_VISIBILITY aclError aclblasCreateHandleForS8gemv(aclTransType transA, int m, int n,
							  aclComputeType type, aclopHandle **handle)
{
	return gemv_handle("aclblasCreateHandleForS8gemv", transA, m, n, ACL_INT8, ACL_INT8, ACL_INT32, type,
			   handle);
}

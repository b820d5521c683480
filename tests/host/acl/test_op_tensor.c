// SPDX-License-Identifier: MIT
/*
 * Tensor descriptions, data buffers, aclDataTypeSize and the fp16
 * conversions: every call's results and its answers to bad arguments, as
 * CANN gives them (none of these needs aclInit or a device).
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "acl/acl.h"
#include "acl/acl_op.h"
#include "acl_op_internal.h"
#include "acl_test.h"

/* The deprecated getters are part of what is tested. */
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"

static void test_create(void)
{
	int64_t dims[] = { 2, 3, 4 };
	aclTensorDesc *d;
	int64_t v;

	d = aclCreateTensorDesc(ACL_FLOAT, -1, dims, ACL_FORMAT_ND);
	TAP_CHECK(!d, "aclCreateTensorDesc: numDims -1 gives NULL");
	TAP_CHECK(str_has(take_msg(), "numDims"), "  and a message naming numDims");
	d = aclCreateTensorDesc(ACL_FLOAT, 2, NULL, ACL_FORMAT_ND);
	TAP_CHECK(!d, "aclCreateTensorDesc: dims NULL with numDims 2 gives NULL");
	d = aclCreateTensorDesc(ACL_FLOAT, 0, NULL, ACL_FORMAT_ND);
	TAP_CHECK(d && aclGetTensorDescNumDims(d) == 0 && aclGetTensorDescElementCount(d) == 1 &&
		  aclGetTensorDescSize(d) == 4, "a scalar: 0 dims, 1 element, 4 bytes");
	aclDestroyTensorDesc(d);

	d = aclCreateTensorDesc(ACL_FLOAT16, 3, dims, ACL_FORMAT_NCHW);
	TAP_CHECK(d, "aclCreateTensorDesc float16 [2,3,4] NCHW");
	TAP_CHECK(aclGetTensorDescType(d) == ACL_FLOAT16, "aclGetTensorDescType");
	TAP_CHECK(aclGetTensorDescFormat(d) == ACL_FORMAT_NCHW, "aclGetTensorDescFormat");
	TAP_CHECK(aclGetTensorDescNumDims(d) == 3, "aclGetTensorDescNumDims");
	TAP_CHECK(aclGetTensorDescElementCount(d) == 24, "aclGetTensorDescElementCount 24");
	TAP_CHECK(aclGetTensorDescSize(d) == 48, "aclGetTensorDescSize 48");
	dims[0] = 99;
	CHECK_RET(aclGetTensorDescDimV2(d, 0, &v), ACL_SUCCESS);
	TAP_CHECK(v == 2, "dims are copied at creation (dim 0 still 2)");
	CHECK_RET(aclGetTensorDescDimV2(d, 2, &v), ACL_SUCCESS);
	TAP_CHECK(v == 4, "aclGetTensorDescDimV2 index 2 is 4");
	CHECK_RET_MSG(aclGetTensorDescDimV2(d, 3, &v), ACL_ERROR_INVALID_PARAM, "out of range");
	CHECK_RET(aclGetTensorDescDimV2(d, 0, NULL), ACL_ERROR_INVALID_PARAM);
	CHECK_RET(aclGetTensorDescDimV2(NULL, 0, &v), ACL_ERROR_INVALID_PARAM);
	TAP_CHECK(aclGetTensorDescDim(d, 1) == 3 && aclGetTensorDescDim(d, 7) == -1 &&
		  aclGetTensorDescDim(NULL, 0) == -1, "aclGetTensorDescDim (deprecated): 3, then -1s");
	take_msg();
	aclDestroyTensorDesc(d);
	aclDestroyTensorDesc(NULL);
	TAP_CHECK(1, "aclDestroyTensorDesc(NULL) is harmless");
}

static void test_null_getters(void)
{
	TAP_CHECK(aclGetTensorDescType(NULL) == ACL_DT_UNDEFINED, "type of NULL: ACL_DT_UNDEFINED");
	TAP_CHECK(aclGetTensorDescFormat(NULL) == ACL_FORMAT_UNDEFINED,
		  "format of NULL: ACL_FORMAT_UNDEFINED");
	TAP_CHECK(aclGetTensorDescSize(NULL) == 0 && aclGetTensorDescElementCount(NULL) == 0 &&
		  aclGetTensorDescNumDims(NULL) == 0, "size, count, dims of NULL: 0");
	TAP_CHECK(str_is(aclGetTensorDescName(NULL), ""), "name of NULL: \"\"");
	TAP_CHECK(!aclGetTensorDescAddress(NULL), "address of NULL: NULL");
	TAP_CHECK(!aclGetTensorDescByIndex(NULL, 0), "aclGetTensorDescByIndex(NULL): NULL");
	take_msg();
}

static void test_counts(void)
{
	int64_t neg[] = { 2, -1, 3 }, unk[] = { -2 }, zero[] = { 4, 0 };
	int64_t huge[] = { INT64_MAX / 2, 4 };
	aclTensorDesc *d;

	d = aclCreateTensorDesc(ACL_FLOAT, 3, neg, ACL_FORMAT_ND);
	TAP_CHECK(d && aclGetTensorDescElementCount(d) == 0 && aclGetTensorDescSize(d) == 0,
		  "a -1 (dynamic) dim: count and size 0");
	aclDestroyTensorDesc(d);
	d = aclCreateTensorDesc(ACL_FLOAT, 1, unk, ACL_FORMAT_ND);
	TAP_CHECK(d && aclGetTensorDescNumDims(d) == (size_t)ACL_UNKNOWN_RANK,
		  "dims [-2]: aclGetTensorDescNumDims is ACL_UNKNOWN_RANK");
	aclDestroyTensorDesc(d);
	d = aclCreateTensorDesc(ACL_INT32, 2, zero, ACL_FORMAT_ND);
	TAP_CHECK(d && aclGetTensorDescElementCount(d) == 0, "an empty tensor: 0 elements");
	aclDestroyTensorDesc(d);
	d = aclCreateTensorDesc(ACL_DOUBLE, 2, huge, ACL_FORMAT_ND);
	TAP_CHECK(d && aclGetTensorDescSize(d) == 0, "a size that overflows size_t: 0");
	aclDestroyTensorDesc(d);
}

static void test_name_and_misc(void)
{
	int64_t dims[] = { 1, 3, 5, 7 };
	aclTensorDesc *d = aclCreateTensorDesc(ACL_FLOAT, 4, dims, ACL_FORMAT_NCHW), *t = NULL;
	int64_t range[2][2] = { { 1, 8 }, { 3, 3 } }, r[2], vr[1][2] = { { 0, 255 } };
	char data[16] = "0123456789abcdef";
	int64_t v;

	TAP_CHECK(str_is(aclGetTensorDescName(d), ""), "no name: \"\"");
	aclSetTensorDescName(d, "input_x");
	TAP_CHECK(str_is(aclGetTensorDescName(d), "input_x"), "aclSetTensorDescName / Get");
	aclSetTensorDescName(d, NULL);
	TAP_CHECK(str_is(aclGetTensorDescName(d), ""), "a NULL name clears it");
	aclSetTensorDescName(NULL, "x");
	TAP_CHECK(str_has(take_msg(), "desc is NULL"), "aclSetTensorDescName(NULL): a message");

	CHECK_RET(aclSetTensorShapeRange(d, 2, range), ACL_SUCCESS);
	CHECK_RET(aclGetTensorDescDimRange(d, 0, 2, r), ACL_SUCCESS);
	TAP_CHECK(r[0] == 1 && r[1] == 8, "aclGetTensorDescDimRange [1, 8]");
	CHECK_RET(aclGetTensorDescDimRange(d, 2, 2, r), ACL_ERROR_INVALID_PARAM);
	CHECK_RET(aclGetTensorDescDimRange(d, 0, 1, r), ACL_ERROR_INVALID_PARAM);
	CHECK_RET(aclGetTensorDescDimRange(d, 0, 2, NULL), ACL_ERROR_INVALID_PARAM);
	CHECK_RET(aclSetTensorShapeRange(NULL, 2, range), ACL_ERROR_INVALID_PARAM);
	CHECK_RET(aclSetTensorValueRange(d, 1, vr), ACL_SUCCESS);
	CHECK_RET(aclSetTensorValueRange(NULL, 1, vr), ACL_ERROR_INVALID_PARAM);

	/* storage view: set separately, the getters keep reporting the origin */
	CHECK_RET(aclSetTensorFormat(d, ACL_FORMAT_NHWC), ACL_SUCCESS);
	TAP_CHECK(aclGetTensorDescFormat(d) == ACL_FORMAT_NCHW &&
		  acl_tensor_desc_run_format(d) == ACL_FORMAT_NHWC,
		  "aclSetTensorFormat sets the storage format; the getter reports the origin");
	CHECK_RET(aclSetTensorFormat(NULL, ACL_FORMAT_ND), ACL_SUCCESS);
	CHECK_RET(aclSetTensorStorageFormat(NULL, ACL_FORMAT_ND), ACL_SUCCESS);
	CHECK_RET(aclSetTensorShape(d, 4, (int64_t[]){ 1, 5, 7, 3 }), ACL_SUCCESS);
	CHECK_RET(aclGetTensorDescDimV2(d, 1, &v), ACL_SUCCESS);
	TAP_CHECK(v == 3, "aclSetTensorShape sets the storage shape; dims report the origin");
	CHECK_RET(aclSetTensorShape(d, 1, NULL), ACL_ERROR_INVALID_PARAM);
	CHECK_RET(aclSetTensorShape(NULL, 1, dims), ACL_ERROR_INVALID_PARAM);
	CHECK_RET(aclSetTensorStorageShape(d, 4, dims), ACL_SUCCESS);
	CHECK_RET(aclSetTensorStorageShape(d, -1, dims), ACL_ERROR_INVALID_PARAM);
	CHECK_RET(aclSetTensorOriginFormat(d, ACL_FORMAT_ND), ACL_SUCCESS);
	TAP_CHECK(aclGetTensorDescFormat(d) == ACL_FORMAT_ND, "aclSetTensorOriginFormat");
	CHECK_RET(aclSetTensorOriginFormat(NULL, ACL_FORMAT_ND), ACL_SUCCESS);
	CHECK_RET(aclSetTensorOriginShape(d, 2, (int64_t[]){ 6, 7 }), ACL_SUCCESS);
	TAP_CHECK(aclGetTensorDescNumDims(d) == 2 && aclGetTensorDescElementCount(d) == 42,
		  "aclSetTensorOriginShape [6,7]");
	CHECK_RET(aclSetTensorOriginShape(d, 2, NULL), ACL_ERROR_INVALID_PARAM);

	CHECK_RET(aclSetTensorConst(d, data, sizeof(data)), ACL_SUCCESS);
	data[0] = 'X';
	TAP_CHECK(d->const_len == 16 && ((char *)d->const_data)[0] == '0',
		  "aclSetTensorConst copies the value");
	CHECK_RET(aclSetTensorConst(d, NULL, 4), ACL_ERROR_INVALID_PARAM);
	CHECK_RET(aclSetTensorConst(d, data, 0), ACL_ERROR_INVALID_PARAM);
	CHECK_RET(aclSetTensorConst(NULL, data, 4), ACL_ERROR_INVALID_PARAM);
	CHECK_RET(aclSetTensorPlaceMent(d, ACL_MEMTYPE_HOST), ACL_SUCCESS);
	CHECK_RET(aclSetTensorPlaceMent(d, (aclMemType)7), ACL_ERROR_INVALID_PARAM);
	CHECK_RET(aclSetTensorPlaceMent(NULL, ACL_MEMTYPE_HOST), ACL_ERROR_INVALID_PARAM);
	CHECK_RET(aclSetTensorDynamicInput(d, "x"), ACL_SUCCESS);
	CHECK_RET(aclSetTensorDynamicInput(d, NULL), ACL_ERROR_INVALID_PARAM);
	TAP_CHECK(!aclGetTensorDescAddress(d), "aclGetTensorDescAddress: NULL (no model attached)");
	TAP_CHECK(aclGetTensorDescByIndex(d, 0) == d, "aclGetTensorDescByIndex(d, 0) is d");

	/* a full copy (handles keep one) */
	t = acl_tensor_desc_clone(d);
	TAP_CHECK(t && t != d && t->const_len == 16 && t->memtype == ACL_MEMTYPE_HOST &&
		  t->storage_format == ACL_FORMAT_NHWC && t->num_ranges == 2,
		  "a clone keeps every field");
	aclDestroyTensorDesc(t);
	aclDestroyTensorDesc(d);
}

static void test_trans_format(void)
{
	int64_t dims[] = { 2, 3, 5, 7 }, v[4];
	aclTensorDesc *d = aclCreateTensorDesc(ACL_FLOAT, 4, dims, ACL_FORMAT_NCHW), *t = NULL;

	CHECK_RET(aclTransTensorDescFormat(d, ACL_FORMAT_NHWC, &t), ACL_SUCCESS);
	for (int i = 0; i < 4; i++)
		aclGetTensorDescDimV2(t, (size_t)i, &v[i]);
	TAP_CHECK(v[0] == 2 && v[1] == 5 && v[2] == 7 && v[3] == 3, "NCHW [2,3,5,7] -> NHWC [2,5,7,3]");
	aclDestroyTensorDesc(t);
	CHECK_RET(aclTransTensorDescFormat(d, ACL_FORMAT_HWCN, &t), ACL_SUCCESS);
	for (int i = 0; i < 4; i++)
		aclGetTensorDescDimV2(t, (size_t)i, &v[i]);
	TAP_CHECK(v[0] == 5 && v[1] == 7 && v[2] == 3 && v[3] == 2, "NCHW -> HWCN [5,7,3,2]");
	aclDestroyTensorDesc(t);
	CHECK_RET_MSG(aclTransTensorDescFormat(d, ACL_FORMAT_FRACTAL_NZ, &t), ACL_ERROR_FORMAT_NOT_MATCH,
		      "FRACTAL_NZ");
	CHECK_RET(aclTransTensorDescFormat(NULL, ACL_FORMAT_NHWC, &t), ACL_ERROR_INVALID_PARAM);
	CHECK_RET(aclTransTensorDescFormat(d, ACL_FORMAT_NHWC, NULL), ACL_ERROR_INVALID_PARAM);
	aclDestroyTensorDesc(d);
}

static void test_buffers(void)
{
	char mem[64];
	aclDataBuffer *b = aclCreateDataBuffer(mem, sizeof(mem)), *z = aclCreateDataBuffer(NULL, 0);

	TAP_CHECK(b && aclGetDataBufferAddr(b) == mem && aclGetDataBufferSizeV2(b) == 64 &&
		  aclGetDataBufferSize(b) == 64, "aclCreateDataBuffer / Addr / SizeV2 / Size");
	TAP_CHECK(z && !aclGetDataBufferAddr(z) && !aclGetDataBufferSizeV2(z),
		  "a buffer of NULL, 0 (CANN allows it: an omitted input)");
	CHECK_RET(aclUpdateDataBuffer(b, mem + 8, 8), ACL_SUCCESS);
	TAP_CHECK(aclGetDataBufferAddr(b) == mem + 8 && aclGetDataBufferSizeV2(b) == 8, "aclUpdateDataBuffer");
	CHECK_RET(aclUpdateDataBuffer(NULL, mem, 8), ACL_ERROR_INVALID_PARAM);
	TAP_CHECK(!aclGetDataBufferAddr(NULL) && !aclGetDataBufferSizeV2(NULL) && !aclGetDataBufferSize(NULL),
		  "getters of NULL: NULL, 0");
	CHECK_RET(aclUpdateDataBuffer(b, mem, (size_t)5 << 32), ACL_SUCCESS);
	TAP_CHECK(aclGetDataBufferSizeV2(b) == (size_t)5 << 32 && aclGetDataBufferSize(b) == 0,
		  "the deprecated 32-bit size truncates (5 << 32 -> 0), V2 does not");
	CHECK_RET(aclDestroyDataBuffer(b), ACL_SUCCESS);
	CHECK_RET(aclDestroyDataBuffer(z), ACL_SUCCESS);
	CHECK_RET(aclDestroyDataBuffer(NULL), ACL_ERROR_INVALID_PARAM);
}

static void test_dtype_size(void)
{
	static const struct {
		aclDataType t;
		size_t size;
	} want[] = {
		{ ACL_FLOAT, 4 }, { ACL_FLOAT16, 2 }, { ACL_INT8, 1 }, { ACL_INT32, 4 }, { ACL_UINT8, 1 },
		{ ACL_INT16, 2 }, { ACL_UINT16, 2 }, { ACL_UINT32, 4 }, { ACL_INT64, 8 }, { ACL_UINT64, 8 },
		{ ACL_DOUBLE, 8 }, { ACL_BOOL, 1 }, { ACL_STRING, 0 }, { ACL_DT_UNDEFINED, 0 },
		{ ACL_COMPLEX64, 8 }, { ACL_COMPLEX128, 16 }, { ACL_BF16, 2 },
	};
	unsigned int ok = 0;

	for (size_t i = 0; i < ARRAY_SIZE(want); i++) {
		if (aclDataTypeSize(want[i].t) == want[i].size)
			ok++;
		else
			printf("#   aclDataTypeSize(%d) = %zu, want %zu\n", want[i].t,
			       aclDataTypeSize(want[i].t), want[i].size);
	}
	TAP_CHECK(ok == ARRAY_SIZE(want), "aclDataTypeSize of %zu types", ARRAY_SIZE(want));
}

static void test_fp16(void)
{
	unsigned int bad = 0;
	float f;

	TAP_CHECK(aclFloatToFloat16(1.0f) == 0x3c00 && aclFloatToFloat16(-2.0f) == 0xc000 &&
		  aclFloatToFloat16(0.0f) == 0 && aclFloatToFloat16(-0.0f) == 0x8000,
		  "aclFloatToFloat16: 1, -2, 0, -0");
	TAP_CHECK(aclFloatToFloat16(65504.0f) == 0x7bff && aclFloatToFloat16(65520.0f) == 0x7c00 &&
		  aclFloatToFloat16(INFINITY) == 0x7c00 && aclFloatToFloat16(-1e10f) == 0xfc00,
		  "largest half, rounding to inf, infinities");
	TAP_CHECK((aclFloatToFloat16(NAN) & 0x7c00) == 0x7c00 && (aclFloatToFloat16(NAN) & 0x3ff),
		  "NaN stays NaN");
	TAP_CHECK(aclFloatToFloat16(5.9604645e-8f) == 1 && aclFloatToFloat16(2.9802322e-8f) == 0 &&
		  aclFloatToFloat16(4.4703484e-8f) == 1, "subnormals: 2^-24, its half (tie to 0), 0.75 of it");
	TAP_CHECK(aclFloatToFloat16(1.0f + 1.0f / 2048) == 0x3c00 &&
		  aclFloatToFloat16(1.0f + 3.0f / 2048) == 0x3c02, "ties round to even");
	for (uint32_t h = 0; h < 0x10000; h++) {
		f = aclFloat16ToFloat((aclFloat16)h);
		if ((h & 0x7c00) == 0x7c00 && (h & 0x3ff)) {
			bad += !isnan(f);
			continue;
		}
		bad += aclFloatToFloat16(f) != h;
	}
	TAP_CHECK(!bad, "every half survives half -> float -> half (%u failures)", bad);
	TAP_CHECK(aclFloat16ToFloat(0x3555) > 0.333f && aclFloat16ToFloat(0x3555) < 0.334f,
		  "aclFloat16ToFloat(0x3555) is about 1/3");
}

int main(void)
{
	test_create();
	test_null_getters();
	test_counts();
	test_name_and_misc();
	test_trans_format();
	test_buffers();
	test_dtype_size();
	test_fp16();
	return tap_done();
}

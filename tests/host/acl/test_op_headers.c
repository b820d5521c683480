// SPDX-License-Identifier: MIT
/*
 * acl_op.h, acl_op_compiler.h, ops/acl_cblas.h and the tensor/buffer part
 * of acl_base.h carry CANN's names, values and signatures. Built twice by
 * the Makefile: as C11 (this program) and as C++11 (-fsyntax-only), both
 * with -Wall -Wextra -pedantic -Werror, so either language breaks the build
 * on a wrong value or signature. Every function is assigned to a pointer of
 * CANN's exact type.
 */
#include "acl/acl.h"
#include "acl/acl_op.h"
#include "acl/acl_op_compiler.h"
#include "acl/ops/acl_cblas.h"

#ifdef __cplusplus
#define STATIC_CHECK(name, value) static_assert((name) == (value), #name " must be " #value);
#else
#include "tap.h"
#define STATIC_CHECK(name, value) _Static_assert((name) == (value), #name " must be " #value);
#endif

#define VALUES(X)                                       \
	X(ACL_ERROR_OP_TYPE_NOT_MATCH, 100020)          \
	X(ACL_ERROR_OP_INPUT_NOT_MATCH, 100021)         \
	X(ACL_ERROR_OP_OUTPUT_NOT_MATCH, 100022)        \
	X(ACL_ERROR_OP_ATTR_NOT_MATCH, 100023)          \
	X(ACL_ERROR_OP_NOT_FOUND, 100024)               \
	X(ACL_ERROR_OP_LOAD_FAILED, 100025)             \
	X(ACL_ERROR_UNSUPPORTED_DATA_TYPE, 100026)      \
	X(ACL_ERROR_FORMAT_NOT_MATCH, 100027)           \
	X(ACL_ERROR_OP_UNSUPPORTED_DYNAMIC, 148050)     \
	X(ACL_TENSOR_SHAPE_RANGE_NUM, 2)                \
	X(ACL_TENSOR_VALUE_RANGE_NUM, 2)                \
	X(ACL_UNKNOWN_RANK, 0xFFFFFFFFFFFFFFFEull)      \
	X(ACL_MEMTYPE_DEVICE, 0)                        \
	X(ACL_MEMTYPE_HOST, 1)                          \
	X(ACL_MEMTYPE_HOST_COMPILE_INDEPENDENT, 2)      \
	X(ACL_COMPILE_FLAG_BIN_SELECTOR, 1)             \
	X(ACL_ENGINE_SYS, 0)                            \
	X(ACL_ENGINE_AICORE, 1)                         \
	X(ACL_ENGINE_VECTOR, 2)                         \
	X(ACL_COMPILE_SYS, 0)                           \
	X(ACL_COMPILE_UNREGISTERED, 1)                  \
	X(ACL_PRECISION_MODE, 0)                        \
	X(ACL_AICORE_NUM, 1)                            \
	X(ACL_AUTO_TUNE_MODE, 2)                        \
	X(ACL_OP_SELECT_IMPL_MODE, 3)                   \
	X(ACL_OPTYPELIST_FOR_IMPLMODE, 4)               \
	X(ACL_OP_DEBUG_LEVEL, 5)                        \
	X(ACL_DEBUG_DIR, 6)                             \
	X(ACL_OP_COMPILER_CACHE_MODE, 7)                \
	X(ACL_OP_COMPILER_CACHE_DIR, 8)                 \
	X(ACL_OP_PERFORMANCE_MODE, 9)                   \
	X(ACL_OP_JIT_COMPILE, 10)                       \
	X(ACL_OP_DETERMINISTIC, 11)                     \
	X(ACL_CUSTOMIZE_DTYPES, 12)                     \
	X(ACL_OP_PRECISION_MODE, 13)                    \
	X(ACL_ALLOW_HF32, 14)                           \
	X(ACL_PRECISION_MODE_V2, 15)                    \
	X(ACL_OP_DEBUG_OPTION, 16)                      \
	X(ACL_OP_COMPILE_DEFAULT, 0)                    \
	X(ACL_OP_COMPILE_FUZZ, 1)                       \
	X(ACL_TRANS_N, 0)                               \
	X(ACL_TRANS_T, 1)                               \
	X(ACL_TRANS_NZ, 2)                              \
	X(ACL_TRANS_NZ_T, 3)                            \
	X(ACL_COMPUTE_HIGH_PRECISION, 0)                \
	X(ACL_COMPUTE_LOW_PRECISION, 1)

VALUES(STATIC_CHECK)

/* CANN's signatures: a mismatch is an incompatible-pointer error (C) or no conversion (C++). */
static float (*const p01)(aclFloat16) = aclFloat16ToFloat;
static aclFloat16 (*const p02)(float) = aclFloatToFloat16;
static aclDataBuffer *(*const p03)(void *, size_t) = aclCreateDataBuffer;
static aclError (*const p04)(const aclDataBuffer *) = aclDestroyDataBuffer;
static aclError (*const p05)(aclDataBuffer *, void *, size_t) = aclUpdateDataBuffer;
static void *(*const p06)(const aclDataBuffer *) = aclGetDataBufferAddr;
static size_t (*const p07)(const aclDataBuffer *) = aclGetDataBufferSizeV2;
static size_t (*const p08)(aclDataType) = aclDataTypeSize;
static aclTensorDesc *(*const p09)(aclDataType, int, const int64_t *, aclFormat) = aclCreateTensorDesc;
static void (*const p10)(const aclTensorDesc *) = aclDestroyTensorDesc;
static aclError (*const p11)(aclTensorDesc *, size_t, int64_t[][ACL_TENSOR_SHAPE_RANGE_NUM]) =
	aclSetTensorShapeRange;
static aclError (*const p12)(aclTensorDesc *, size_t, int64_t[][ACL_TENSOR_VALUE_RANGE_NUM]) =
	aclSetTensorValueRange;
static aclDataType (*const p13)(const aclTensorDesc *) = aclGetTensorDescType;
static aclFormat (*const p14)(const aclTensorDesc *) = aclGetTensorDescFormat;
static size_t (*const p15)(const aclTensorDesc *) = aclGetTensorDescSize;
static size_t (*const p16)(const aclTensorDesc *) = aclGetTensorDescElementCount;
static size_t (*const p17)(const aclTensorDesc *) = aclGetTensorDescNumDims;
static aclError (*const p18)(const aclTensorDesc *, size_t, int64_t *) = aclGetTensorDescDimV2;
static aclError (*const p19)(const aclTensorDesc *, size_t, size_t, int64_t *) = aclGetTensorDescDimRange;
static void (*const p20)(aclTensorDesc *, const char *) = aclSetTensorDescName;
static const char *(*const p21)(aclTensorDesc *) = aclGetTensorDescName;
static aclError (*const p22)(const aclTensorDesc *, aclFormat, aclTensorDesc **) = aclTransTensorDescFormat;
static aclError (*const p23)(aclTensorDesc *, aclFormat) = aclSetTensorFormat;
static aclError (*const p24)(aclTensorDesc *, int, const int64_t *) = aclSetTensorShape;
static aclError (*const p25)(aclTensorDesc *, aclFormat) = aclSetTensorOriginFormat;
static aclError (*const p26)(aclTensorDesc *, int, const int64_t *) = aclSetTensorOriginShape;
static aclTensorDesc *(*const p27)(aclTensorDesc *, size_t) = aclGetTensorDescByIndex;
static void *(*const p28)(const aclTensorDesc *) = aclGetTensorDescAddress;
static aclError (*const p29)(aclTensorDesc *, const char *) = aclSetTensorDynamicInput;
static aclError (*const p30)(aclTensorDesc *, void *, size_t) = aclSetTensorConst;
static aclError (*const p31)(aclTensorDesc *, aclMemType) = aclSetTensorPlaceMent;
/* acl_op.h */
static aclError (*const p32)(const char *) = aclopSetModelDir;
static aclError (*const p33)(const void *, size_t) = aclopLoad;
static aclopAttr *(*const p34)(void) = aclopCreateAttr;
static void (*const p35)(const aclopAttr *) = aclopDestroyAttr;
static aclError (*const p36)(aclopAttr *, const char *, uint8_t) = aclopSetAttrBool;
static aclError (*const p37)(aclopAttr *, const char *, int64_t) = aclopSetAttrInt;
static aclError (*const p38)(aclopAttr *, const char *, float) = aclopSetAttrFloat;
static aclError (*const p39)(aclopAttr *, const char *, const char *) = aclopSetAttrString;
static aclError (*const p40)(aclopAttr *, const char *, aclDataType) = aclopSetAttrDataType;
static aclError (*const p41)(aclopAttr *, const char *, int, const aclDataType[]) = aclopSetAttrListDataType;
static aclError (*const p42)(aclopAttr *, const char *, int, const uint8_t *) = aclopSetAttrListBool;
static aclError (*const p43)(aclopAttr *, const char *, int, const int64_t *) = aclopSetAttrListInt;
static aclError (*const p44)(aclopAttr *, const char *, int, const float *) = aclopSetAttrListFloat;
static aclError (*const p45)(aclopAttr *, const char *, int, const char **) = aclopSetAttrListString;
static aclError (*const p46)(aclopAttr *, const char *, int, const int *, const int64_t *const[]) =
	aclopSetAttrListListInt;
static aclError (*const p47)(const char *, int, aclTensorDesc *[], aclDataBuffer *[], int, aclTensorDesc *[],
			     aclDataBuffer *[], aclopAttr *, aclrtStream) = aclopExecuteV2;
static aclError (*const p48)(const char *, int, const aclTensorDesc *const[], int, const aclTensorDesc *const[],
			     const aclopAttr *, aclopHandle **) = aclopCreateHandle;
static void (*const p49)(aclopHandle *) = aclopDestroyHandle;
static aclError (*const p50)(aclopHandle *, int, const aclDataBuffer *const[], int, aclDataBuffer *const[],
			     aclrtStream) = aclopExecWithHandle;
static aclError (*const p51)(const aclTensorDesc *, const aclDataBuffer *, const aclTensorDesc *,
			     aclDataBuffer *, uint8_t, aclrtStream) = aclopCast;
static aclError (*const p52)(aclTensorDesc *, aclTensorDesc *, uint8_t, aclopHandle **) = aclopCreateHandleForCast;
static aclError (*const p53)(const char *, int, const aclTensorDesc *const[], int, const aclTensorDesc *const[],
			     const aclopAttr *) = aclopUpdateParams;
/* acl_op_compiler.h */
static aclError (*const p54)(const char *, int, const aclTensorDesc *const[], int, const aclTensorDesc *const[],
			     const aclopAttr *, aclopEngineType, aclopCompileType, const char *) = aclopCompile;
static aclError (*const p55)(const char *, int, const aclTensorDesc *const[], const aclDataBuffer *const[], int,
			     const aclTensorDesc *const[], aclDataBuffer *const[], const aclopAttr *,
			     aclopEngineType, aclopCompileType, const char *, aclrtStream) = aclopCompileAndExecute;
static aclError (*const p56)(const char *, int, aclTensorDesc *[], aclDataBuffer *[], int, aclTensorDesc *[],
			     aclDataBuffer *[], aclopAttr *, aclopEngineType, aclopCompileType, const char *,
			     aclrtStream) = aclopCompileAndExecuteV2;
static aclError (*const p57)(aclCompileOpt, const char *) = aclSetCompileopt;
static size_t (*const p58)(aclCompileOpt) = aclGetCompileoptSize;
static aclError (*const p59)(aclCompileOpt, char *, size_t) = aclGetCompileopt;
static aclError (*const p60)(aclOpCompileFlag) = aclopSetCompileFlag;
/* ops/acl_cblas.h */
static aclError (*const p61)(aclTransType, int, int, const void *, const void *, int, aclDataType, const void *,
			     int, aclDataType, const void *, void *, int, aclDataType, aclComputeType,
			     aclrtStream) = aclblasGemvEx;
static aclError (*const p62)(aclTransType, int, int, aclDataType, aclDataType, aclDataType, aclComputeType,
			     aclopHandle **) = aclblasCreateHandleForGemvEx;
static aclError (*const p63)(aclTransType, int, int, const aclFloat16 *, const aclFloat16 *, int,
			     const aclFloat16 *, int, const aclFloat16 *, aclFloat16 *, int, aclComputeType,
			     aclrtStream) = aclblasHgemv;
static aclError (*const p64)(aclTransType, int, int, aclComputeType, aclopHandle **) = aclblasCreateHandleForHgemv;
static aclError (*const p65)(aclTransType, int, int, const int32_t *, const int8_t *, int, const int8_t *, int,
			     const int32_t *, int32_t *, int, aclComputeType, aclrtStream) = aclblasS8gemv;
static aclError (*const p66)(aclTransType, int, int, aclComputeType, aclopHandle **) = aclblasCreateHandleForS8gemv;
static aclError (*const p67)(aclTransType, aclTransType, aclTransType, int, int, int, const void *, const void *,
			     int, aclDataType, const void *, int, aclDataType, const void *, void *, int,
			     aclDataType, aclComputeType, aclrtStream) = aclblasGemmEx;
static aclError (*const p68)(aclTransType, aclTransType, aclTransType, int, int, int, aclDataType, aclDataType,
			     aclDataType, aclComputeType, aclopHandle **) = aclblasCreateHandleForGemmEx;
static aclError (*const p69)(aclTransType, aclTransType, aclTransType, int, int, int, const aclFloat16 *,
			     const aclFloat16 *, int, const aclFloat16 *, int, const aclFloat16 *, aclFloat16 *,
			     int, aclComputeType, aclrtStream) = aclblasHgemm;
static aclError (*const p70)(aclTransType, aclTransType, aclTransType, int, int, int, aclComputeType,
			     aclopHandle **) = aclblasCreateHandleForHgemm;
static aclError (*const p71)(aclTransType, aclTransType, aclTransType, int, int, int, const int32_t *,
			     const int8_t *, int, const int8_t *, int, const int32_t *, int32_t *, int,
			     aclComputeType, aclrtStream) = aclblasS8gemm;
static aclError (*const p72)(aclTransType, aclTransType, aclTransType, int, int, int, aclComputeType,
			     aclopHandle **) = aclblasCreateHandleForS8gemm;

/* The deprecated calls exist with CANN's signatures (and CANN's deprecation attribute). */
#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#endif
static uint32_t (*const p73)(const aclDataBuffer *) = aclGetDataBufferSize;
static int64_t (*const p74)(const aclTensorDesc *, size_t) = aclGetTensorDescDim;
static aclError (*const p75)(aclTensorDesc *, aclFormat) = aclSetTensorStorageFormat;
static aclError (*const p76)(aclTensorDesc *, int, const int64_t *) = aclSetTensorStorageShape;
static aclError (*const p77)(const char *, int, const aclTensorDesc *const[], const aclDataBuffer *const[], int,
			     const aclTensorDesc *const[], aclDataBuffer *const[], const aclopAttr *,
			     aclrtStream) = aclopExecute;
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

#define FNS(X)                                                                                          \
	X(p01) X(p02) X(p03) X(p04) X(p05) X(p06) X(p07) X(p08) X(p09) X(p10) X(p11) X(p12) X(p13)      \
	X(p14) X(p15) X(p16) X(p17) X(p18) X(p19) X(p20) X(p21) X(p22) X(p23) X(p24) X(p25) X(p26)      \
	X(p27) X(p28) X(p29) X(p30) X(p31) X(p32) X(p33) X(p34) X(p35) X(p36) X(p37) X(p38) X(p39)      \
	X(p40) X(p41) X(p42) X(p43) X(p44) X(p45) X(p46) X(p47) X(p48) X(p49) X(p50) X(p51) X(p52)      \
	X(p53) X(p54) X(p55) X(p56) X(p57) X(p58) X(p59) X(p60) X(p61) X(p62) X(p63) X(p64) X(p65)      \
	X(p66) X(p67) X(p68) X(p69) X(p70) X(p71) X(p72) X(p73) X(p74) X(p75) X(p76) X(p77)

#ifdef __cplusplus
/* C++: compiled only; reference every pointer so -Wunused does not fire. */
#define USE(p) (void)p;
void op_headers_cxx_uses(void);
void op_headers_cxx_uses(void)
{
	FNS(USE)
}
#else
int main(void)
{
	unsigned int linked = 0, total = 0;

#define RUNTIME_CHECK(name, value) \
	TAP_CHECK((unsigned long long)(name) == (unsigned long long)(value), "%s == %s", #name, #value);
	VALUES(RUNTIME_CHECK)
#define COUNT(p) total++; linked += (p) != NULL;
	FNS(COUNT)
	TAP_CHECK(linked == total, "all %u single-op and BLAS functions have CANN's signature and link",
		  linked);
	return tap_done();
}
#endif

/* SPDX-License-Identifier: MIT */
/*
 * AscendCL base vocabulary for vascend: handle types, error codes, data types
 * and formats, with the names, types and numeric values of CANN's acl_base.h
 * so that AscendCL programs compile unchanged against either.
 *
 * Only functions libascendcl implements are declared; the include guard is
 * CANN's, so mixing the two header sets cannot define anything twice.
 */
#ifndef INC_EXTERNAL_ACL_ACL_BASE_H_
#define INC_EXTERNAL_ACL_ACL_BASE_H_

#include <stddef.h>
#include <stdint.h>

#include "error_codes/rt_error_codes.h"

#ifdef __cplusplus
extern "C" {
#endif

#if defined(_MSC_VER)
#ifdef FUNC_VISIBILITY
#define ACL_FUNC_VISIBILITY _declspec(dllexport)
#else
#define ACL_FUNC_VISIBILITY
#endif
#else
#ifdef FUNC_VISIBILITY
#define ACL_FUNC_VISIBILITY __attribute__((visibility("default")))
#else
#define ACL_FUNC_VISIBILITY
#endif
#endif

#if defined(__GNUC__)
#define ACL_DEPRECATED __attribute__((deprecated))
#define ACL_DEPRECATED_MESSAGE(message) __attribute__((deprecated(message)))
#elif defined(_MSC_VER)
#define ACL_DEPRECATED __declspec(deprecated)
#define ACL_DEPRECATED_MESSAGE(message) __declspec(deprecated(message))
#else
#define ACL_DEPRECATED
#define ACL_DEPRECATED_MESSAGE(message)
#endif

typedef void *aclrtStream;
typedef void *aclrtEvent;
typedef void *aclrtContext;
typedef int aclError;
typedef uint16_t aclFloat16;
typedef struct aclDataBuffer aclDataBuffer;
typedef struct aclTensorDesc aclTensorDesc;

/*
 * CANN declares the codes below as `static const int`. C cannot use such an
 * object in a constant expression (a case label, _Static_assert), so C gets
 * an enumerator of the same type (int) and value instead; C++ keeps CANN's
 * declaration exactly.
 */
#ifdef __cplusplus
#define ACL_BASE_ERRCODE_(name, value) static const int name = value;
#else
#define ACL_BASE_ERRCODE_(name, value) enum { name = value };
#endif

ACL_BASE_ERRCODE_(ACL_ERROR_NONE, 0)
ACL_BASE_ERRCODE_(ACL_SUCCESS, 0)
ACL_BASE_ERRCODE_(ACL_ERROR_INVALID_EXCEPTION_INFO, -1)

/* 1xxxxx: the caller passed something wrong or called out of order */
ACL_BASE_ERRCODE_(ACL_ERROR_INVALID_PARAM, 100000)
ACL_BASE_ERRCODE_(ACL_ERROR_UNINITIALIZE, 100001)
ACL_BASE_ERRCODE_(ACL_ERROR_REPEAT_INITIALIZE, 100002)
ACL_BASE_ERRCODE_(ACL_ERROR_INVALID_FILE, 100003)
ACL_BASE_ERRCODE_(ACL_ERROR_WRITE_FILE, 100004)
ACL_BASE_ERRCODE_(ACL_ERROR_INVALID_FILE_SIZE, 100005)
ACL_BASE_ERRCODE_(ACL_ERROR_PARSE_FILE, 100006)
ACL_BASE_ERRCODE_(ACL_ERROR_FILE_MISSING_ATTR, 100007)
ACL_BASE_ERRCODE_(ACL_ERROR_FILE_ATTR_INVALID, 100008)
ACL_BASE_ERRCODE_(ACL_ERROR_INVALID_DUMP_CONFIG, 100009)
ACL_BASE_ERRCODE_(ACL_ERROR_INVALID_PROFILING_CONFIG, 100010)
ACL_BASE_ERRCODE_(ACL_ERROR_INVALID_MODEL_ID, 100011)
ACL_BASE_ERRCODE_(ACL_ERROR_DESERIALIZE_MODEL, 100012)
ACL_BASE_ERRCODE_(ACL_ERROR_PARSE_MODEL, 100013)
ACL_BASE_ERRCODE_(ACL_ERROR_READ_MODEL_FAILURE, 100014)
ACL_BASE_ERRCODE_(ACL_ERROR_MODEL_SIZE_INVALID, 100015)
ACL_BASE_ERRCODE_(ACL_ERROR_MODEL_MISSING_ATTR, 100016)
ACL_BASE_ERRCODE_(ACL_ERROR_MODEL_INPUT_NOT_MATCH, 100017)
ACL_BASE_ERRCODE_(ACL_ERROR_MODEL_OUTPUT_NOT_MATCH, 100018)
ACL_BASE_ERRCODE_(ACL_ERROR_MODEL_NOT_DYNAMIC, 100019)
ACL_BASE_ERRCODE_(ACL_ERROR_OP_TYPE_NOT_MATCH, 100020)
ACL_BASE_ERRCODE_(ACL_ERROR_OP_INPUT_NOT_MATCH, 100021)
ACL_BASE_ERRCODE_(ACL_ERROR_OP_OUTPUT_NOT_MATCH, 100022)
ACL_BASE_ERRCODE_(ACL_ERROR_OP_ATTR_NOT_MATCH, 100023)
ACL_BASE_ERRCODE_(ACL_ERROR_OP_NOT_FOUND, 100024)
ACL_BASE_ERRCODE_(ACL_ERROR_OP_LOAD_FAILED, 100025)
ACL_BASE_ERRCODE_(ACL_ERROR_UNSUPPORTED_DATA_TYPE, 100026)
ACL_BASE_ERRCODE_(ACL_ERROR_FORMAT_NOT_MATCH, 100027)
ACL_BASE_ERRCODE_(ACL_ERROR_BIN_SELECTOR_NOT_REGISTERED, 100028)
ACL_BASE_ERRCODE_(ACL_ERROR_KERNEL_NOT_FOUND, 100029)
ACL_BASE_ERRCODE_(ACL_ERROR_BIN_SELECTOR_ALREADY_REGISTERED, 100030)
ACL_BASE_ERRCODE_(ACL_ERROR_KERNEL_ALREADY_REGISTERED, 100031)
ACL_BASE_ERRCODE_(ACL_ERROR_INVALID_QUEUE_ID, 100032)
ACL_BASE_ERRCODE_(ACL_ERROR_REPEAT_SUBSCRIBE, 100033)
ACL_BASE_ERRCODE_(ACL_ERROR_STREAM_NOT_SUBSCRIBE, 100034)
ACL_BASE_ERRCODE_(ACL_ERROR_THREAD_NOT_SUBSCRIBE, 100035)
ACL_BASE_ERRCODE_(ACL_ERROR_WAIT_CALLBACK_TIMEOUT, 100036)
ACL_BASE_ERRCODE_(ACL_ERROR_REPEAT_FINALIZE, 100037)
ACL_BASE_ERRCODE_(ACL_ERROR_NOT_STATIC_AIPP, 100038)
ACL_BASE_ERRCODE_(ACL_ERROR_COMPILING_STUB_MODE, 100039)
ACL_BASE_ERRCODE_(ACL_ERROR_GROUP_NOT_SET, 100040)
ACL_BASE_ERRCODE_(ACL_ERROR_GROUP_NOT_CREATE, 100041)
ACL_BASE_ERRCODE_(ACL_ERROR_PROF_ALREADY_RUN, 100042)
ACL_BASE_ERRCODE_(ACL_ERROR_PROF_NOT_RUN, 100043)
ACL_BASE_ERRCODE_(ACL_ERROR_DUMP_ALREADY_RUN, 100044)
ACL_BASE_ERRCODE_(ACL_ERROR_DUMP_NOT_RUN, 100045)
ACL_BASE_ERRCODE_(ACL_ERROR_PROF_REPEAT_SUBSCRIBE, 148046)
ACL_BASE_ERRCODE_(ACL_ERROR_PROF_API_CONFLICT, 148047)
ACL_BASE_ERRCODE_(ACL_ERROR_INVALID_MAX_OPQUEUE_NUM_CONFIG, 148048)
ACL_BASE_ERRCODE_(ACL_ERROR_INVALID_OPP_PATH, 148049)
ACL_BASE_ERRCODE_(ACL_ERROR_OP_UNSUPPORTED_DYNAMIC, 148050)
ACL_BASE_ERRCODE_(ACL_ERROR_RELATIVE_RESOURCE_NOT_CLEARED, 148051)
ACL_BASE_ERRCODE_(ACL_ERROR_UNSUPPORTED_JPEG, 148052)
ACL_BASE_ERRCODE_(ACL_ERROR_INVALID_BUNDLE_MODEL_ID, 148053)

/* 2xxxxx: resources */
ACL_BASE_ERRCODE_(ACL_ERROR_BAD_ALLOC, 200000)
ACL_BASE_ERRCODE_(ACL_ERROR_API_NOT_SUPPORT, 200001)
ACL_BASE_ERRCODE_(ACL_ERROR_INVALID_DEVICE, 200002)
ACL_BASE_ERRCODE_(ACL_ERROR_MEMORY_ADDRESS_UNALIGNED, 200003)
ACL_BASE_ERRCODE_(ACL_ERROR_RESOURCE_NOT_MATCH, 200004)
ACL_BASE_ERRCODE_(ACL_ERROR_INVALID_RESOURCE_HANDLE, 200005)
ACL_BASE_ERRCODE_(ACL_ERROR_FEATURE_UNSUPPORTED, 200006)
ACL_BASE_ERRCODE_(ACL_ERROR_PROF_MODULES_UNSUPPORTED, 200007)

/* 3xxxxx: storage */
ACL_BASE_ERRCODE_(ACL_ERROR_STORAGE_OVER_LIMIT, 300000)

/* 5xxxxx: internal failures */
ACL_BASE_ERRCODE_(ACL_ERROR_INTERNAL_ERROR, 500000)
ACL_BASE_ERRCODE_(ACL_ERROR_FAILURE, 500001)
ACL_BASE_ERRCODE_(ACL_ERROR_GE_FAILURE, 500002)
ACL_BASE_ERRCODE_(ACL_ERROR_RT_FAILURE, 500003)
ACL_BASE_ERRCODE_(ACL_ERROR_DRV_FAILURE, 500004)
ACL_BASE_ERRCODE_(ACL_ERROR_PROFILING_FAILURE, 500005)

#undef ACL_BASE_ERRCODE_

#define ACL_TENSOR_SHAPE_RANGE_NUM 2
#define ACL_TENSOR_VALUE_RANGE_NUM 2
#define ACL_UNKNOWN_RANK 0xFFFFFFFFFFFFFFFE

typedef enum {
	ACL_DT_UNDEFINED = -1,
	ACL_FLOAT = 0,
	ACL_FLOAT16 = 1,
	ACL_INT8 = 2,
	ACL_INT32 = 3,
	ACL_UINT8 = 4,
	ACL_INT16 = 6,
	ACL_UINT16 = 7,
	ACL_UINT32 = 8,
	ACL_INT64 = 9,
	ACL_UINT64 = 10,
	ACL_DOUBLE = 11,
	ACL_BOOL = 12,
	ACL_STRING = 13,
	ACL_COMPLEX64 = 16,
	ACL_COMPLEX128 = 17,
	ACL_BF16 = 27,
	ACL_INT4 = 29,
	ACL_UINT1 = 30,
	ACL_COMPLEX32 = 33,
	ACL_HIFLOAT8 = 34,
	ACL_FLOAT8_E5M2 = 35,
	ACL_FLOAT8_E4M3FN = 36,
	ACL_FLOAT8_E8M0 = 37,
	ACL_FLOAT6_E3M2 = 38,
	ACL_FLOAT6_E2M3 = 39,
	ACL_FLOAT4_E2M1 = 40,
	ACL_FLOAT4_E1M2 = 41,
	ACL_HIFLOAT4 = 42,
	ACL_HIFLOAT4_SCALE = 43,
} aclDataType;

typedef enum {
	ACL_FORMAT_UNDEFINED = -1,
	ACL_FORMAT_NCHW = 0,
	ACL_FORMAT_NHWC = 1,
	ACL_FORMAT_ND = 2,
	ACL_FORMAT_NC1HWC0 = 3,
	ACL_FORMAT_FRACTAL_Z = 4,
	ACL_FORMAT_NC1HWC0_C04 = 12,
	ACL_FORMAT_HWCN = 16,
	ACL_FORMAT_NDHWC = 27,
	ACL_FORMAT_FRACTAL_NZ = 29,
	ACL_FORMAT_NCDHW = 30,
	ACL_FORMAT_NDC1HWC0 = 32,
	ACL_FRACTAL_Z_3D = 33,
	ACL_FORMAT_NC = 35,
	ACL_FORMAT_NCL = 47,
	ACL_FORMAT_FRACTAL_NZ_C0_16 = 50,
	ACL_FORMAT_FRACTAL_NZ_C0_32 = 51,
	ACL_FORMAT_FRACTAL_NZ_C0_2 = 52,
	ACL_FORMAT_FRACTAL_NZ_C0_4 = 53,
	ACL_FORMAT_FRACTAL_NZ_C0_8 = 54,
} aclFormat;

/* Where the data behind a tensor description lives (aclSetTensorPlaceMent). */
typedef enum {
	ACL_MEMTYPE_DEVICE = 0,
	ACL_MEMTYPE_HOST = 1,
	ACL_MEMTYPE_HOST_COMPILE_INDEPENDENT = 2,
} aclMemType;

/*
 * Data buffers and tensor descriptions: what single ops (acl_op.h) and
 * models take. Implemented in userspace/acl/acl_op_tensor.c; behaviour on
 * bad arguments follows CANN's (docs/runtime.md, "Single op and BLAS").
 */

/** aclFloat16ToFloat() - IEEE half to float */
ACL_FUNC_VISIBILITY float aclFloat16ToFloat(aclFloat16 value);

/** aclFloatToFloat16() - float to IEEE half, rounding to nearest even */
ACL_FUNC_VISIBILITY aclFloat16 aclFloatToFloat16(float value);

/**
 * aclCreateDataBuffer() - wrap @size bytes at @data (usually aclrtMalloc
 * memory, which stays the caller's); NULL only when out of memory
 */
ACL_FUNC_VISIBILITY aclDataBuffer *aclCreateDataBuffer(void *data, size_t size);

/** aclDestroyDataBuffer() - free the wrapper, not the memory it names */
ACL_FUNC_VISIBILITY aclError aclDestroyDataBuffer(const aclDataBuffer *dataBuffer);

/** aclUpdateDataBuffer() - point @dataBuffer at other memory */
ACL_FUNC_VISIBILITY aclError aclUpdateDataBuffer(aclDataBuffer *dataBuffer, void *data, size_t size);

/** aclGetDataBufferAddr() - the memory; NULL for a NULL buffer */
ACL_FUNC_VISIBILITY void *aclGetDataBufferAddr(const aclDataBuffer *dataBuffer);

/** aclGetDataBufferSize() - the size, cut to 32 bits; use the V2 call */
ACL_DEPRECATED_MESSAGE("aclGetDataBufferSize is deprecated, use aclGetDataBufferSizeV2 instead")
ACL_FUNC_VISIBILITY uint32_t aclGetDataBufferSize(const aclDataBuffer *dataBuffer);

/** aclGetDataBufferSizeV2() - the size; 0 for a NULL buffer */
ACL_FUNC_VISIBILITY size_t aclGetDataBufferSizeV2(const aclDataBuffer *dataBuffer);

/** aclDataTypeSize() - bytes per element of @dataType (0 for STRING, UNDEFINED) */
ACL_FUNC_VISIBILITY size_t aclDataTypeSize(aclDataType dataType);

/**
 * aclCreateTensorDesc() - describe a tensor: element type, @numDims dims
 * (0: a scalar) and format. NULL when @numDims < 0, @dims is NULL with
 * @numDims > 0, or out of memory.
 */
ACL_FUNC_VISIBILITY aclTensorDesc *aclCreateTensorDesc(aclDataType dataType, int numDims,
						       const int64_t *dims, aclFormat format);

ACL_FUNC_VISIBILITY void aclDestroyTensorDesc(const aclTensorDesc *desc);

/** aclSetTensorShapeRange() - dims ranges of a dynamic shape ([min, max] each) */
ACL_FUNC_VISIBILITY aclError aclSetTensorShapeRange(aclTensorDesc *desc, size_t dimsCount,
						    int64_t dimsRange[][ACL_TENSOR_SHAPE_RANGE_NUM]);

/** aclSetTensorValueRange() - value ranges of a tensor ([min, max] each) */
ACL_FUNC_VISIBILITY aclError aclSetTensorValueRange(aclTensorDesc *desc, size_t valueCount,
						    int64_t valueRange[][ACL_TENSOR_VALUE_RANGE_NUM]);

/** aclGetTensorDescType() - ACL_DT_UNDEFINED for NULL */
ACL_FUNC_VISIBILITY aclDataType aclGetTensorDescType(const aclTensorDesc *desc);

/** aclGetTensorDescFormat() - the (origin) format; ACL_FORMAT_UNDEFINED for NULL */
ACL_FUNC_VISIBILITY aclFormat aclGetTensorDescFormat(const aclTensorDesc *desc);

/** aclGetTensorDescSize() - elements x element size; 0 for NULL or on overflow */
ACL_FUNC_VISIBILITY size_t aclGetTensorDescSize(const aclTensorDesc *desc);

/** aclGetTensorDescElementCount() - 1 for a scalar; 0 for NULL, a negative dim, overflow */
ACL_FUNC_VISIBILITY size_t aclGetTensorDescElementCount(const aclTensorDesc *desc);

/** aclGetTensorDescNumDims() - 0 for NULL; ACL_UNKNOWN_RANK when dims[0] is -2 */
ACL_FUNC_VISIBILITY size_t aclGetTensorDescNumDims(const aclTensorDesc *desc);

/** aclGetTensorDescDim() - dim @index, -1 when NULL or out of range; use the V2 call */
ACL_DEPRECATED_MESSAGE("aclGetTensorDescDim is deprecated, use aclGetTensorDescDimV2 instead")
ACL_FUNC_VISIBILITY int64_t aclGetTensorDescDim(const aclTensorDesc *desc, size_t index);

/** aclGetTensorDescDimV2() - dim @index into *@dimSize */
ACL_FUNC_VISIBILITY aclError aclGetTensorDescDimV2(const aclTensorDesc *desc, size_t index,
						   int64_t *dimSize);

/** aclGetTensorDescDimRange() - the range of dim @index (@dimRangeNum >= 2) */
ACL_FUNC_VISIBILITY aclError aclGetTensorDescDimRange(const aclTensorDesc *desc, size_t index,
						      size_t dimRangeNum, int64_t *dimRange);

/** aclSetTensorDescName() - name the tensor (NULL: no name) */
ACL_FUNC_VISIBILITY void aclSetTensorDescName(aclTensorDesc *desc, const char *name);

/** aclGetTensorDescName() - its name; "" for NULL */
ACL_FUNC_VISIBILITY const char *aclGetTensorDescName(aclTensorDesc *desc);

/**
 * aclTransTensorDescFormat() - a new description of the same tensor in
 * @dstFormat (dims permuted), for NCHW, NHWC, HWCN and ND
 */
ACL_FUNC_VISIBILITY aclError aclTransTensorDescFormat(const aclTensorDesc *srcDesc, aclFormat dstFormat,
						      aclTensorDesc **dstDesc);

ACL_DEPRECATED_MESSAGE("aclSetTensorStorageFormat is deprecated, use aclSetTensorFormat instead")
ACL_FUNC_VISIBILITY aclError aclSetTensorStorageFormat(aclTensorDesc *desc, aclFormat format);

ACL_DEPRECATED_MESSAGE("aclSetTensorStorageShape is deprecated, use aclSetTensorShape instead")
ACL_FUNC_VISIBILITY aclError aclSetTensorStorageShape(aclTensorDesc *desc, int numDims, const int64_t *dims);

/** aclSetTensorFormat() - the storage format: how the bytes are laid out */
ACL_FUNC_VISIBILITY aclError aclSetTensorFormat(aclTensorDesc *desc, aclFormat format);

/** aclSetTensorShape() - the storage shape */
ACL_FUNC_VISIBILITY aclError aclSetTensorShape(aclTensorDesc *desc, int numDims, const int64_t *dims);

/** aclSetTensorOriginFormat() - the origin format (the one aclCreateTensorDesc set) */
ACL_FUNC_VISIBILITY aclError aclSetTensorOriginFormat(aclTensorDesc *desc, aclFormat format);

/** aclSetTensorOriginShape() - the origin shape (the one aclCreateTensorDesc set) */
ACL_FUNC_VISIBILITY aclError aclSetTensorOriginShape(aclTensorDesc *desc, int numDims, const int64_t *dims);

/** aclGetTensorDescByIndex() - @desc + @index, as CANN computes it */
ACL_FUNC_VISIBILITY aclTensorDesc *aclGetTensorDescByIndex(aclTensorDesc *desc, size_t index);

/** aclGetTensorDescAddress() - the address a model attached; NULL otherwise */
ACL_FUNC_VISIBILITY void *aclGetTensorDescAddress(const aclTensorDesc *desc);

/** aclSetTensorDynamicInput() - name of the dynamic input this tensor belongs to */
ACL_FUNC_VISIBILITY aclError aclSetTensorDynamicInput(aclTensorDesc *desc, const char *dynamicInputName);

/**
 * aclSetTensorConst() - the tensor is a constant: @length bytes at
 * @dataBuffer (host memory, copied now) are its value
 */
ACL_FUNC_VISIBILITY aclError aclSetTensorConst(aclTensorDesc *desc, void *dataBuffer, size_t length);

/** aclSetTensorPlaceMent() - whether the tensor's buffer is device or host memory */
ACL_FUNC_VISIBILITY aclError aclSetTensorPlaceMent(aclTensorDesc *desc, aclMemType memType);

/**
 * aclrtGetSocName() - name of the SoC the runtime runs on
 *
 * The calling thread's current device (aclrtSetDevice), or else the first
 * device present. Requires aclInit. Returns NULL on failure
 * (aclGetRecentErrMsg says why); the string stays valid until the process
 * exits.
 */
ACL_FUNC_VISIBILITY const char *aclrtGetSocName(void);

#ifdef __cplusplus
}
#endif

#endif /* INC_EXTERNAL_ACL_ACL_BASE_H_ */

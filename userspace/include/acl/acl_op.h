/* SPDX-License-Identifier: MIT */
/*
 * AscendCL single-operator API for vascend, with the names, signatures and
 * values of CANN's acl_op.h: an op is named by its CANN op type ("Add",
 * "Conv2D", "SoftmaxV2", ...), described by tensor descriptions and
 * attributes, and run on a stream by the card's operator library
 * (docs/ops.md). Only what libascendcl implements is declared; custom
 * kernels (aclopCreateKernel, aclopRegisterCompileFunc and friends) are
 * not, as the card runs only its built-in library.
 *
 * Errors found before anything is queued (arguments, unknown op, operand
 * counts, formats, sizes, attributes that cannot be encoded) are returned
 * at once. What only the card can judge (dtypes, shapes against each
 * other, attribute values) fails the op on the card and is reported, with
 * the op, its operands and the reason, when the stream is synchronised, as
 * CANN reports a failed kernel. docs/runtime.md, "Single op and BLAS".
 */
#ifndef INC_EXTERNAL_ACL_ACL_OP_H_
#define INC_EXTERNAL_ACL_ACL_OP_H_

#include "acl_base.h"
#include "acl_rt.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct aclopHandle aclopHandle;
typedef struct aclopAttr aclopAttr;
typedef struct aclopKernelDesc aclopKernelDesc;

typedef void (*aclDataDeallocator)(void *data, size_t length);

/* CANN: static const int. C gets an enumerator of the same value (see acl_base.h). */
#ifdef __cplusplus
static const int ACL_COMPILE_FLAG_BIN_SELECTOR = 1;
#else
enum { ACL_COMPILE_FLAG_BIN_SELECTOR = 1 };
#endif

typedef enum aclEngineType {
	ACL_ENGINE_SYS,
	ACL_ENGINE_AICORE,
	ACL_ENGINE_VECTOR,
} aclopEngineType;

/**
 * aclopSetModelDir() - load every single-op model (.om, as atc --singleop
 * writes them) in @modelDir. Once per process (ACL_ERROR_REPEAT_INITIALIZE
 * after a successful call). Ops without a model still run from the card's
 * built-in library.
 */
ACL_FUNC_VISIBILITY aclError aclopSetModelDir(const char *modelDir);

/** aclopLoad() - load one single-op model from @modelSize bytes at @model */
ACL_FUNC_VISIBILITY aclError aclopLoad(const void *model, size_t modelSize);

/** aclopCreateAttr() - an empty attribute set; NULL when out of memory */
ACL_FUNC_VISIBILITY aclopAttr *aclopCreateAttr(void);

ACL_FUNC_VISIBILITY void aclopDestroyAttr(const aclopAttr *attr);

/*
 * Setting an attribute that is already set replaces it. Values are copied.
 * List setters take @numValues >= 0 elements at @values.
 */
ACL_FUNC_VISIBILITY aclError aclopSetAttrBool(aclopAttr *attr, const char *attrName, uint8_t attrValue);
ACL_FUNC_VISIBILITY aclError aclopSetAttrInt(aclopAttr *attr, const char *attrName, int64_t attrValue);
ACL_FUNC_VISIBILITY aclError aclopSetAttrFloat(aclopAttr *attr, const char *attrName, float attrValue);
ACL_FUNC_VISIBILITY aclError aclopSetAttrString(aclopAttr *attr, const char *attrName,
						const char *attrValue);
ACL_FUNC_VISIBILITY aclError aclopSetAttrDataType(aclopAttr *attr, const char *attrName,
						  aclDataType attrValue);
ACL_FUNC_VISIBILITY aclError aclopSetAttrListDataType(aclopAttr *attr, const char *attrName, int numValues,
						      const aclDataType values[]);
ACL_FUNC_VISIBILITY aclError aclopSetAttrListBool(aclopAttr *attr, const char *attrName, int numValues,
						  const uint8_t *values);
ACL_FUNC_VISIBILITY aclError aclopSetAttrListInt(aclopAttr *attr, const char *attrName, int numValues,
						 const int64_t *values);
ACL_FUNC_VISIBILITY aclError aclopSetAttrListFloat(aclopAttr *attr, const char *attrName, int numValues,
						   const float *values);
ACL_FUNC_VISIBILITY aclError aclopSetAttrListString(aclopAttr *attr, const char *attrName, int numValues,
						    const char **values);
ACL_FUNC_VISIBILITY aclError aclopSetAttrListListInt(aclopAttr *attr, const char *attrName, int numLists,
						     const int *numValues, const int64_t *const values[]);

/** aclopExecute() - aclopExecuteV2 without output descriptions to update */
ACL_DEPRECATED_MESSAGE("aclopExecute is deprecated, use aclopExecuteV2 instead")
ACL_FUNC_VISIBILITY aclError aclopExecute(const char *opType, int numInputs,
					  const aclTensorDesc *const inputDesc[],
					  const aclDataBuffer *const inputs[], int numOutputs,
					  const aclTensorDesc *const outputDesc[],
					  aclDataBuffer *const outputs[], const aclopAttr *attr,
					  aclrtStream stream);

/**
 * aclopExecuteV2() - queue op @opType on @stream (NULL: the default
 * stream). @inputs and @outputs are device memory of the stream's device;
 * an input whose description is constant (aclSetTensorConst) or placed in
 * host memory (aclSetTensorPlaceMent) is copied at this call. @attr may be
 * NULL. Returns once the op is queued.
 */
ACL_FUNC_VISIBILITY aclError aclopExecuteV2(const char *opType, int numInputs, aclTensorDesc *inputDesc[],
					    aclDataBuffer *inputs[], int numOutputs,
					    aclTensorDesc *outputDesc[], aclDataBuffer *outputs[],
					    aclopAttr *attr, aclrtStream stream);

/**
 * aclopCreateHandle() - check an op once (type, descriptions, attributes)
 * for repeated aclopExecWithHandle calls with other buffers
 */
ACL_FUNC_VISIBILITY aclError aclopCreateHandle(const char *opType, int numInputs,
					       const aclTensorDesc *const inputDesc[], int numOutputs,
					       const aclTensorDesc *const outputDesc[],
					       const aclopAttr *opAttr, aclopHandle **handle);

ACL_FUNC_VISIBILITY void aclopDestroyHandle(aclopHandle *handle);

ACL_FUNC_VISIBILITY aclError aclopExecWithHandle(aclopHandle *handle, int numInputs,
						 const aclDataBuffer *const inputs[], int numOutputs,
						 aclDataBuffer *const outputs[], aclrtStream stream);

/**
 * aclopCast() - convert @srcBuffer to @dstDesc's data type (the Cast op);
 * @truncate is accepted as CANN does (float to integer always truncates)
 */
ACL_FUNC_VISIBILITY aclError aclopCast(const aclTensorDesc *srcDesc, const aclDataBuffer *srcBuffer,
				       const aclTensorDesc *dstDesc, aclDataBuffer *dstBuffer,
				       uint8_t truncate, aclrtStream stream);

ACL_FUNC_VISIBILITY aclError aclopCreateHandleForCast(aclTensorDesc *srcDesc, aclTensorDesc *dstDesc,
						      uint8_t truncate, aclopHandle **handle);

/**
 * aclopUpdateParams() - CANN reselects the kernel of a dynamic-shape op;
 * here: check that the op exists and its description is acceptable
 */
ACL_FUNC_VISIBILITY aclError aclopUpdateParams(const char *opType, int numInputs,
					       const aclTensorDesc *const inputDesc[], int numOutputs,
					       const aclTensorDesc *const outputDesc[],
					       const aclopAttr *attr);

#ifdef __cplusplus
}
#endif

#endif /* INC_EXTERNAL_ACL_ACL_OP_H_ */

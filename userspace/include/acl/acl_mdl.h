/* SPDX-License-Identifier: MIT */
/*
 * AscendCL model API for vascend, with the names, signatures and values of
 * CANN's acl_mdl.h. A model is an offline model (.om) that atc wrote from
 * ONNX (docs/om-format.md): aclmdlLoadFrom* check the whole file, put it in
 * device memory once and return a model id; aclmdlExecute binds the
 * caller's input and output buffers and queues ONE model-execute task that
 * the card runs to the end (docs/models.md, "aclmdl").
 *
 * Only what libascendcl implements is declared: dynamic batch/shape, AIPP
 * and the queue-based loads are not (vascend's .om models are static).
 * The types those APIs use are here so programs that mention them build.
 *
 * Errors: a file that is not an .om this runtime reads (short, magic,
 * version, size, checksum) is ACL_ERROR_INVALID_FILE; an .om whose content
 * is inconsistent is ACL_ERROR_PARSE_MODEL; aclGetRecentErrMsg names the
 * field. An id that names no loaded model is ACL_ERROR_INVALID_MODEL_ID.
 */
#ifndef INC_EXTERNAL_ACL_ACL_MODEL_H_
#define INC_EXTERNAL_ACL_ACL_MODEL_H_

#include <stddef.h>
#include <stdint.h>

#include "acl_base.h"
#include "acl_rt.h"

#ifdef __cplusplus
extern "C" {
#endif

#define ACL_MAX_DIM_CNT          128
#define ACL_MAX_TENSOR_NAME_LEN  128
#define ACL_MAX_BATCH_NUM        128
#define ACL_MAX_HW_NUM           128
#define ACL_MAX_SHAPE_COUNT      128
#define ACL_INVALID_NODE_INDEX   0xFFFFFFFF

#define ACL_MDL_LOAD_FROM_FILE            1
#define ACL_MDL_LOAD_FROM_FILE_WITH_MEM   2
#define ACL_MDL_LOAD_FROM_MEM             3
#define ACL_MDL_LOAD_FROM_MEM_WITH_MEM    4
#define ACL_MDL_LOAD_FROM_FILE_WITH_Q     5
#define ACL_MDL_LOAD_FROM_MEM_WITH_Q      6

#define ACL_DYNAMIC_TENSOR_NAME "ascend_mbatch_shape_data"
#define ACL_DYNAMIC_AIPP_NAME "ascend_dynamic_aipp_data"
#define ACL_ATTR_NAME_DATA_DUMP_ORIGIN_OP_NAMES "_datadump_original_op_names"

#define ACL_WORKSPACE_MEM_OPTIMIZE_DEFAULT 0
#define ACL_WORKSPACE_MEM_OPTIMIZE_INPUTOUTPUT 1

typedef struct aclmdlDataset aclmdlDataset;
typedef struct aclmdlDesc aclmdlDesc;
typedef struct aclmdlAIPP aclmdlAIPP;
typedef struct aclAippExtendInfo aclAippExtendInfo;
typedef struct aclmdlConfigHandle aclmdlConfigHandle;

typedef enum {
	ACL_YUV420SP_U8 = 1,
	ACL_XRGB8888_U8,
	ACL_RGB888_U8,
	ACL_YUV400_U8,
	ACL_NC1HWC0DI_FP16,
	ACL_NC1HWC0DI_S8,
	ACL_ARGB8888_U8,
	ACL_YUYV_U8,
	ACL_YUV422SP_U8,
	ACL_AYUV444_U8,
	ACL_RAW10,
	ACL_RAW12,
	ACL_RAW16,
	ACL_RAW24,
	ACL_AIPP_RESERVED = 0xffff,
} aclAippInputFormat;

typedef enum {
	ACL_MDL_PRIORITY_INT32 = 0,
	ACL_MDL_LOAD_TYPE_SIZET,
	ACL_MDL_PATH_PTR,
	ACL_MDL_MEM_ADDR_PTR,
	ACL_MDL_MEM_SIZET,
	ACL_MDL_WEIGHT_ADDR_PTR,
	ACL_MDL_WEIGHT_SIZET,
	ACL_MDL_WORKSPACE_ADDR_PTR,
	ACL_MDL_WORKSPACE_SIZET,
	ACL_MDL_INPUTQ_NUM_SIZET,
	ACL_MDL_INPUTQ_ADDR_PTR,
	ACL_MDL_OUTPUTQ_NUM_SIZET,
	ACL_MDL_OUTPUTQ_ADDR_PTR,
	ACL_MDL_WORKSPACE_MEM_OPTIMIZE
} aclmdlConfigAttr;

typedef enum {
	ACL_DATA_WITHOUT_AIPP = 0,
	ACL_DATA_WITH_STATIC_AIPP,
	ACL_DATA_WITH_DYNAMIC_AIPP,
	ACL_DYNAMIC_AIPP_NODE
} aclmdlInputAippType;

typedef struct aclmdlIODims {
	char name[ACL_MAX_TENSOR_NAME_LEN];	/* tensor name */
	size_t dimCount;			/* entries of dims in use */
	int64_t dims[ACL_MAX_DIM_CNT];
} aclmdlIODims;

typedef struct aclAippDims {
	aclmdlIODims srcDims;
	size_t srcSize;
	aclmdlIODims aippOutdims;
	size_t aippOutSize;
} aclAippDims;

typedef struct aclmdlBatch {
	size_t batchCount;
	uint64_t batch[ACL_MAX_BATCH_NUM];
} aclmdlBatch;

typedef struct aclmdlHW {
	size_t hwCount;
	uint64_t hw[ACL_MAX_HW_NUM][2];
} aclmdlHW;

/* ---- model descriptions ---- */

/** aclmdlCreateDesc() - an empty description for aclmdlGetDesc; NULL when out of memory */
ACL_FUNC_VISIBILITY aclmdlDesc *aclmdlCreateDesc(void);
ACL_FUNC_VISIBILITY aclError aclmdlDestroyDesc(aclmdlDesc *modelDesc);
/** aclmdlGetDesc() - fill @modelDesc with model @modelId's inputs and outputs */
ACL_FUNC_VISIBILITY aclError aclmdlGetDesc(aclmdlDesc *modelDesc, uint32_t modelId);

/* Counts and sizes: 0 for a NULL description or an index out of range. */
ACL_FUNC_VISIBILITY size_t aclmdlGetNumInputs(aclmdlDesc *modelDesc);
ACL_FUNC_VISIBILITY size_t aclmdlGetNumOutputs(aclmdlDesc *modelDesc);
ACL_FUNC_VISIBILITY size_t aclmdlGetInputSizeByIndex(aclmdlDesc *modelDesc, size_t index);
ACL_FUNC_VISIBILITY size_t aclmdlGetOutputSizeByIndex(aclmdlDesc *modelDesc, size_t index);

/* Dims with the tensor's name; ACL_ERROR_INVALID_PARAM for NULL or an index out of range. */
ACL_FUNC_VISIBILITY aclError aclmdlGetInputDims(const aclmdlDesc *modelDesc, size_t index,
						aclmdlIODims *dims);
ACL_FUNC_VISIBILITY aclError aclmdlGetInputDimsV2(const aclmdlDesc *modelDesc, size_t index,
						  aclmdlIODims *dims);
ACL_FUNC_VISIBILITY aclError aclmdlGetOutputDims(const aclmdlDesc *modelDesc, size_t index,
						 aclmdlIODims *dims);
/* Static models: the same as aclmdlGetOutputDims. */
ACL_FUNC_VISIBILITY aclError aclmdlGetCurOutputDims(const aclmdlDesc *modelDesc, size_t index,
						    aclmdlIODims *dims);

/* Names live as long as the description; "" for NULL or an index out of range. */
ACL_FUNC_VISIBILITY const char *aclmdlGetInputNameByIndex(const aclmdlDesc *modelDesc,
							  size_t index);
ACL_FUNC_VISIBILITY const char *aclmdlGetOutputNameByIndex(const aclmdlDesc *modelDesc,
							   size_t index);
/* ACL_FORMAT_UNDEFINED / ACL_DT_UNDEFINED for NULL or an index out of range. */
ACL_FUNC_VISIBILITY aclFormat aclmdlGetInputFormat(const aclmdlDesc *modelDesc, size_t index);
ACL_FUNC_VISIBILITY aclFormat aclmdlGetOutputFormat(const aclmdlDesc *modelDesc, size_t index);
ACL_FUNC_VISIBILITY aclDataType aclmdlGetInputDataType(const aclmdlDesc *modelDesc, size_t index);
ACL_FUNC_VISIBILITY aclDataType aclmdlGetOutputDataType(const aclmdlDesc *modelDesc, size_t index);
ACL_FUNC_VISIBILITY aclError aclmdlGetInputIndexByName(const aclmdlDesc *modelDesc,
						       const char *name, size_t *index);
ACL_FUNC_VISIBILITY aclError aclmdlGetOutputIndexByName(const aclmdlDesc *modelDesc,
							const char *name, size_t *index);

/* ---- datasets: the buffers of one execution, in the model's order ---- */

ACL_FUNC_VISIBILITY aclmdlDataset *aclmdlCreateDataset(void);
/* Frees the dataset, not its buffers (they stay the caller's). */
ACL_FUNC_VISIBILITY aclError aclmdlDestroyDataset(const aclmdlDataset *dataset);
ACL_FUNC_VISIBILITY aclError aclmdlAddDatasetBuffer(aclmdlDataset *dataset,
						    aclDataBuffer *dataBuffer);
ACL_FUNC_VISIBILITY size_t aclmdlGetDatasetNumBuffers(const aclmdlDataset *dataset);
/* NULL for a NULL dataset or an index out of range. */
ACL_FUNC_VISIBILITY aclDataBuffer *aclmdlGetDatasetBuffer(const aclmdlDataset *dataset,
							  size_t index);

/* ---- loading ---- */

/**
 * aclmdlLoadFromFile() - load an .om on the current context's device
 * @modelPath: the file
 * @modelId: out: the id for the calls below (1, 2, ...)
 */
ACL_FUNC_VISIBILITY aclError aclmdlLoadFromFile(const char *modelPath, uint32_t *modelId);
ACL_FUNC_VISIBILITY aclError aclmdlLoadFromMem(const void *model, size_t modelSize,
					       uint32_t *modelId);
/*
 * With the caller's device memory: @weightPtr holds the model image
 * (aclmdlQuerySize's weightSize bytes, 64-byte aligned), @workPtr the
 * workspace (workSize bytes); either may be NULL to let the runtime
 * allocate it. The memory must stay until aclmdlUnload.
 */
ACL_FUNC_VISIBILITY aclError aclmdlLoadFromFileWithMem(const char *modelPath, uint32_t *modelId,
						       void *workPtr, size_t workSize,
						       void *weightPtr, size_t weightSize);
ACL_FUNC_VISIBILITY aclError aclmdlLoadFromMemWithMem(const void *model, size_t modelSize,
						      uint32_t *modelId, void *workPtr,
						      size_t workSize, void *weightPtr,
						      size_t weightSize);
/*
 * Device memory a model needs: @workSize for its workspace, @weightSize for
 * its image (on vascend the task list travels with the weights).
 */
ACL_FUNC_VISIBILITY aclError aclmdlQuerySize(const char *fileName, size_t *workSize,
					     size_t *weightSize);
ACL_FUNC_VISIBILITY aclError aclmdlQuerySizeFromMem(const void *model, size_t modelSize,
						    size_t *workSize, size_t *weightSize);

/* ---- running ---- */

/**
 * aclmdlExecute() - run model @modelId once and wait for it
 * @input: one buffer per model input, in order, each at least its size
 * @output: one buffer per model output, in order, each at least its size
 *
 * Buffers are device memory or host memory registered for the device.
 * Runs on the calling thread's default stream.
 */
ACL_FUNC_VISIBILITY aclError aclmdlExecute(uint32_t modelId, const aclmdlDataset *input,
					   aclmdlDataset *output);
/* Queue the execution on @stream (NULL: the default stream) and return. */
ACL_FUNC_VISIBILITY aclError aclmdlExecuteAsync(uint32_t modelId, const aclmdlDataset *input,
						aclmdlDataset *output, aclrtStream stream);
/* Forget the id and free what the runtime allocated for it (after queued executions end). */
ACL_FUNC_VISIBILITY aclError aclmdlUnload(uint32_t modelId);

#ifdef __cplusplus
}
#endif

#endif /* INC_EXTERNAL_ACL_ACL_MODEL_H_ */

// SPDX-License-Identifier: MIT
/*
 * The aclmdl API on fake cards: acl_mdl.h's values and signatures, every
 * call's argument checks with CANN's codes, loading (from file and memory,
 * with and without the caller's memory) of a model built with the .om
 * writer, refusal of truncated, corrupt and hostile files with the field
 * named, the description getters, and execution as ONE MODEL_EXECUTE task:
 * a test executor stands in for the card's model runner, checks the task
 * and its bindings, and computes the model's outputs from its inputs.
 * (test_mdl_exec runs the real model runner.)
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "acl_internal.h"
#include "acl_test.h"
#include "om.h"
#include "test_mdl_model.h"
#include "vascend_queue_hw.h"

/* ---- acl_mdl.h ---- */

#define VALUES(X)                                    \
	X(ACL_MAX_DIM_CNT, 128)                      \
	X(ACL_MAX_TENSOR_NAME_LEN, 128)              \
	X(ACL_MAX_BATCH_NUM, 128)                    \
	X(ACL_MAX_HW_NUM, 128)                       \
	X(ACL_MAX_SHAPE_COUNT, 128)                  \
	X(ACL_INVALID_NODE_INDEX, 0xFFFFFFFF)        \
	X(ACL_MDL_LOAD_FROM_FILE, 1)                 \
	X(ACL_MDL_LOAD_FROM_FILE_WITH_MEM, 2)        \
	X(ACL_MDL_LOAD_FROM_MEM, 3)                  \
	X(ACL_MDL_LOAD_FROM_MEM_WITH_MEM, 4)         \
	X(ACL_MDL_LOAD_FROM_FILE_WITH_Q, 5)          \
	X(ACL_MDL_LOAD_FROM_MEM_WITH_Q, 6)           \
	X(ACL_YUV420SP_U8, 1)                        \
	X(ACL_RAW24, 14)                             \
	X(ACL_AIPP_RESERVED, 0xffff)                 \
	X(ACL_MDL_PRIORITY_INT32, 0)                 \
	X(ACL_MDL_WORKSPACE_SIZET, 8)                \
	X(ACL_MDL_WORKSPACE_MEM_OPTIMIZE, 13)        \
	X(ACL_DATA_WITHOUT_AIPP, 0)                  \
	X(ACL_DYNAMIC_AIPP_NODE, 3)                  \
	X(ACL_WORKSPACE_MEM_OPTIMIZE_INPUTOUTPUT, 1) \
	X(ACL_ERROR_INVALID_MODEL_ID, 100011)        \
	X(ACL_ERROR_DESERIALIZE_MODEL, 100012)       \
	X(ACL_ERROR_PARSE_MODEL, 100013)             \
	X(ACL_ERROR_READ_MODEL_FAILURE, 100014)      \
	X(ACL_ERROR_MODEL_SIZE_INVALID, 100015)

#define STATIC_CHECK(name, value) _Static_assert((name) == (value), #name " must be " #value);
VALUES(STATIC_CHECK)
_Static_assert(sizeof(aclmdlIODims) == 128 + 8 + 128 * 8, "aclmdlIODims is CANN's");

/* CANN's signatures: a mismatch is an incompatible-pointer error. */
static const void *const api_fns[] = {
	(const void *)(aclmdlDesc *(*)(void))aclmdlCreateDesc,
	(const void *)(aclError (*)(aclmdlDesc *))aclmdlDestroyDesc,
	(const void *)(aclError (*)(aclmdlDesc *, uint32_t))aclmdlGetDesc,
	(const void *)(size_t (*)(aclmdlDesc *))aclmdlGetNumInputs,
	(const void *)(size_t (*)(aclmdlDesc *))aclmdlGetNumOutputs,
	(const void *)(size_t (*)(aclmdlDesc *, size_t))aclmdlGetInputSizeByIndex,
	(const void *)(size_t (*)(aclmdlDesc *, size_t))aclmdlGetOutputSizeByIndex,
	(const void *)(aclError (*)(const aclmdlDesc *, size_t, aclmdlIODims *))aclmdlGetInputDims,
	(const void *)(aclError (*)(const aclmdlDesc *, size_t, aclmdlIODims *))aclmdlGetInputDimsV2,
	(const void *)(aclError (*)(const aclmdlDesc *, size_t, aclmdlIODims *))aclmdlGetOutputDims,
	(const void *)(aclError (*)(const aclmdlDesc *, size_t, aclmdlIODims *))aclmdlGetCurOutputDims,
	(const void *)(const char *(*)(const aclmdlDesc *, size_t))aclmdlGetInputNameByIndex,
	(const void *)(const char *(*)(const aclmdlDesc *, size_t))aclmdlGetOutputNameByIndex,
	(const void *)(aclFormat (*)(const aclmdlDesc *, size_t))aclmdlGetInputFormat,
	(const void *)(aclFormat (*)(const aclmdlDesc *, size_t))aclmdlGetOutputFormat,
	(const void *)(aclDataType (*)(const aclmdlDesc *, size_t))aclmdlGetInputDataType,
	(const void *)(aclDataType (*)(const aclmdlDesc *, size_t))aclmdlGetOutputDataType,
	(const void *)(aclError (*)(const aclmdlDesc *, const char *, size_t *))aclmdlGetInputIndexByName,
	(const void *)(aclError (*)(const aclmdlDesc *, const char *, size_t *))aclmdlGetOutputIndexByName,
	(const void *)(aclmdlDataset *(*)(void))aclmdlCreateDataset,
	(const void *)(aclError (*)(const aclmdlDataset *))aclmdlDestroyDataset,
	(const void *)(aclError (*)(aclmdlDataset *, aclDataBuffer *))aclmdlAddDatasetBuffer,
	(const void *)(size_t (*)(const aclmdlDataset *))aclmdlGetDatasetNumBuffers,
	(const void *)(aclDataBuffer *(*)(const aclmdlDataset *, size_t))aclmdlGetDatasetBuffer,
	(const void *)(aclError (*)(const char *, uint32_t *))aclmdlLoadFromFile,
	(const void *)(aclError (*)(const void *, size_t, uint32_t *))aclmdlLoadFromMem,
	(const void *)(aclError (*)(const char *, uint32_t *, void *, size_t, void *, size_t))
		aclmdlLoadFromFileWithMem,
	(const void *)(aclError (*)(const void *, size_t, uint32_t *, void *, size_t, void *, size_t))
		aclmdlLoadFromMemWithMem,
	(const void *)(aclError (*)(const char *, size_t *, size_t *))aclmdlQuerySize,
	(const void *)(aclError (*)(const void *, size_t, size_t *, size_t *))aclmdlQuerySizeFromMem,
	(const void *)(aclError (*)(uint32_t, const aclmdlDataset *, aclmdlDataset *))aclmdlExecute,
	(const void *)(aclError (*)(uint32_t, const aclmdlDataset *, aclmdlDataset *, aclrtStream))
		aclmdlExecuteAsync,
	(const void *)(aclError (*)(uint32_t))aclmdlUnload,
};

static void test_header(void)
{
	unsigned int linked = 0;

#define RUNTIME_CHECK(name, value) TAP_CHECK((long long)(name) == (long long)(value), "%s == %s", #name, #value);
	VALUES(RUNTIME_CHECK)
	for (size_t i = 0; i < ARRAY_SIZE(api_fns); i++)
		linked += api_fns[i] != NULL;
	TAP_CHECK(linked == ARRAY_SIZE(api_fns), "all %u aclmdl functions have CANN's signature and link",
		  linked);
}

/* ---- the test executor: a card that knows this one model ---- */

static struct {
	unsigned int calls;
	struct vascend_task task;
	struct vascend_model_binding bind[4];
	int image_same;		/* the image in device memory is the .om */
	uint32_t status;	/* what to answer */
} ex;

static void *model_buf;
static size_t model_len;

static uint32_t fake_model(void *ctx, uint32_t dev, const struct vascend_task *t, uint32_t *info,
			   uint64_t *result)
{
	const struct vascend_model_binding *b;
	const uint8_t *img;
	const float *x, *y;
	float *z;

	(void)ctx;
	ex.calls++;
	ex.task = *t;
	img = hal_fake_dev_ptr(dev, t->u.model.model, t->u.model.model_size, false);
	ex.image_same = img && t->u.model.model_size == model_len &&
			!memcmp(img, model_buf, model_len);
	b = hal_fake_dev_ptr(dev, t->u.model.bindings, 4 * sizeof(*b), false);
	if (!b || t->u.model.num_inputs != 2 || t->u.model.num_outputs != 1) {
		*info = VASCEND_MODEL_ERR_INFO(VASCEND_MODEL_ERR_COUNT, VASCEND_MODEL_ERR_NONE);
		return VASCEND_CQE_STATUS_INVALID_FIELD;
	}
	memcpy(ex.bind, b, sizeof(ex.bind));
	if (ex.status) {
		*info = VASCEND_MODEL_ERR_INFO(3, 2);
		*result = MDL_OP_LEAKY_RELU;
		return ex.status;
	}
	x = hal_fake_dev_ptr(dev, b[0].addr, 24, false);
	y = hal_fake_dev_ptr(dev, b[1].addr, 12, false);
	z = hal_fake_dev_ptr(dev, b[2].addr, 24, true);
	if (!x || !y || !z || !hal_fake_dev_ptr(dev, b[3].addr, MDL_WORKSPACE, true)) {
		*result = b[0].addr;
		return VASCEND_CQE_STATUS_MMU_FAULT;
	}
	mdl_reference(x, y, z);
	return VASCEND_CQE_STATUS_SUCCESS;
}

static void setup_cards(void)
{
	static const struct vascend_op_entry table[] = {
		{ 1, 1, "TestVectorAdd" },
		{ MDL_OP_ADD, 1, "Add" },
		{ MDL_OP_LEAKY_RELU, 1, "LeakyRelu" },
	};

	FAKE_CARDS(64 * MiB, 0, 1);
	if (hal_fake_set_op_table(table, ARRAY_SIZE(table)))
		bail_out("cannot set the op table");
}

/* ---- datasets and descriptions without a model ---- */

static void test_dataset(void)
{
	aclmdlDataset *ds = aclmdlCreateDataset();
	aclDataBuffer *b1 = aclCreateDataBuffer((void *)0x1000, 16);
	aclDataBuffer *b2 = aclCreateDataBuffer(NULL, 0);

	TAP_CHECK(ds != NULL, "aclmdlCreateDataset gives a dataset");
	TAP_CHECK(aclmdlGetDatasetNumBuffers(ds) == 0, "a new dataset has no buffers");
	TAP_CHECK(aclmdlGetDatasetNumBuffers(NULL) == 0, "aclmdlGetDatasetNumBuffers(NULL) is 0");
	take_msg();
	CHECK_RET_MSG(aclmdlAddDatasetBuffer(NULL, b1), ACL_ERROR_INVALID_PARAM, "dataset is NULL");
	CHECK_RET_MSG(aclmdlAddDatasetBuffer(ds, NULL), ACL_ERROR_INVALID_PARAM, "dataBuffer is NULL");
	CHECK_RET(aclmdlAddDatasetBuffer(ds, b1), ACL_SUCCESS);
	CHECK_RET(aclmdlAddDatasetBuffer(ds, b2), ACL_SUCCESS);
	for (int i = 0; i < 10; i++)
		aclmdlAddDatasetBuffer(ds, b2);
	TAP_CHECK(aclmdlGetDatasetNumBuffers(ds) == 12, "12 buffers after 12 adds (the array grows)");
	TAP_CHECK(aclmdlGetDatasetBuffer(ds, 0) == b1 && aclmdlGetDatasetBuffer(ds, 1) == b2,
		  "aclmdlGetDatasetBuffer returns them in order");
	TAP_CHECK(aclmdlGetDatasetBuffer(ds, 12) == NULL, "an index out of range gives NULL");
	TAP_CHECK(str_has(take_msg(), "out of range"), "  and says so");
	TAP_CHECK(aclmdlGetDatasetBuffer(NULL, 0) == NULL, "a NULL dataset gives NULL");
	take_msg();
	CHECK_RET(aclmdlDestroyDataset(NULL), ACL_ERROR_INVALID_PARAM);
	CHECK_RET(aclmdlDestroyDataset(ds), ACL_SUCCESS);
	aclDestroyDataBuffer(b1);
	aclDestroyDataBuffer(b2);
}

static void test_desc_empty(void)
{
	aclmdlDesc *d = aclmdlCreateDesc();
	aclmdlIODims dims;
	size_t idx;

	TAP_CHECK(d != NULL, "aclmdlCreateDesc gives a description");
	TAP_CHECK(aclmdlGetNumInputs(d) == 0 && aclmdlGetNumOutputs(d) == 0,
		  "an empty description has no inputs or outputs");
	TAP_CHECK(aclmdlGetNumInputs(NULL) == 0 && aclmdlGetNumOutputs(NULL) == 0,
		  "NULL descriptions count 0");
	TAP_CHECK(str_has(take_msg(), "modelDesc is NULL"), "  and say why");
	TAP_CHECK(aclmdlGetInputSizeByIndex(d, 0) == 0, "size of input 0 of an empty description is 0");
	TAP_CHECK(str_has(take_msg(), "aclmdlGetDesc"), "  and the message points to aclmdlGetDesc");
	CHECK_RET(aclmdlGetInputDims(d, 0, &dims), ACL_ERROR_INVALID_PARAM);
	CHECK_RET(aclmdlGetInputDims(NULL, 0, &dims), ACL_ERROR_INVALID_PARAM);
	CHECK_RET_MSG(aclmdlGetOutputDims(d, 0, NULL), ACL_ERROR_INVALID_PARAM, "dims is NULL");
	TAP_CHECK(str_is(aclmdlGetInputNameByIndex(NULL, 0), ""), "the name of a NULL description is \"\"");
	TAP_CHECK(aclmdlGetInputFormat(NULL, 0) == ACL_FORMAT_UNDEFINED,
		  "the format of a NULL description is ACL_FORMAT_UNDEFINED");
	TAP_CHECK(aclmdlGetOutputDataType(NULL, 0) == ACL_DT_UNDEFINED,
		  "the dtype of a NULL description is ACL_DT_UNDEFINED");
	take_msg();
	CHECK_RET(aclmdlGetInputIndexByName(d, NULL, &idx), ACL_ERROR_INVALID_PARAM);
	CHECK_RET(aclmdlGetInputIndexByName(d, "X", NULL), ACL_ERROR_INVALID_PARAM);
	CHECK_RET(aclmdlGetDesc(NULL, 1), ACL_ERROR_INVALID_PARAM);
	CHECK_RET_MSG(aclmdlGetDesc(d, 1), ACL_ERROR_INVALID_MODEL_ID, "model id 1");
	CHECK_RET(aclmdlDestroyDesc(NULL), ACL_ERROR_INVALID_PARAM);
	CHECK_RET(aclmdlDestroyDesc(d), ACL_SUCCESS);
}

/* ---- loading ---- */

static char tmpdir[] = "/tmp/vascend_mdl_XXXXXX";
static const char *const tmp_names[] = { "truncated.om", "badop.om", "model.om" };

static const char *write_tmp(const char *name, const void *buf, size_t len)
{
	static char path[4][128];
	static int next;
	char *p = path[next++ % 4];
	FILE *f;

	snprintf(p, sizeof(path[0]), "%s/%s", tmpdir, name);
	f = fopen(p, "wb");
	if (!f || fwrite(buf, 1, len, f) != len)
		bail_out("cannot write a temporary file");
	fclose(f);
	return p;
}

/* The model with @n bytes at @off replaced and the checksum fixed. */
static uint8_t *patched(size_t off, const void *val, size_t n)
{
	uint8_t *c = aligned_alloc(64, (model_len + 63) / 64 * 64);
	struct om_header *h = (struct om_header *)c;

	memcpy(c, model_buf, model_len);
	memcpy(c + off, val, n);
	h->checksum = 0;
	h->checksum = om_file_checksum(c, model_len);
	return c;
}

static void test_load_errors(void)
{
	const struct om_header *h = model_buf;
	uint64_t tensors = h->sections[OM_SEC_TENSORS].offset;
	uint64_t tasks = h->sections[OM_SEC_TASKS].offset;
	uint32_t id = 77, u32;
	uint64_t u64;
	uint8_t *bad;
	const char *path;
	size_t ws, wt;

	CHECK_RET(aclmdlLoadFromMem(model_buf, model_len, &id), ACL_ERROR_UNINITIALIZE);
	CHECK_RET(aclmdlLoadFromFile("/nonexistent.om", &id), ACL_ERROR_UNINITIALIZE);
	CHECK_RET(aclmdlUnload(1), ACL_ERROR_UNINITIALIZE);
	CHECK_RET(aclInit(NULL), ACL_SUCCESS);
	CHECK_RET_MSG(aclmdlLoadFromMem(model_buf, model_len, &id), ACL_ERROR_RT_CONTEXT_NULL,
		      "aclmdlLoadFromMem");
	CHECK_RET(aclrtSetDevice(0), ACL_SUCCESS);

	CHECK_RET_MSG(aclmdlLoadFromFile(NULL, &id), ACL_ERROR_INVALID_PARAM, "modelPath is NULL");
	CHECK_RET_MSG(aclmdlLoadFromFile("x.om", NULL), ACL_ERROR_INVALID_PARAM, "modelId is NULL");
	CHECK_RET_MSG(aclmdlLoadFromFile("/nonexistent/model.om", &id), ACL_ERROR_READ_MODEL_FAILURE,
		      "/nonexistent/model.om");
	CHECK_RET_MSG(aclmdlLoadFromMem(NULL, 10, &id), ACL_ERROR_INVALID_PARAM, "model is NULL");
	CHECK_RET_MSG(aclmdlLoadFromMem(model_buf, 0, &id), ACL_ERROR_INVALID_PARAM, "modelSize is 0");
	CHECK_RET_MSG(aclmdlLoadFromMem(model_buf, model_len, NULL), ACL_ERROR_INVALID_PARAM,
		      "modelId is NULL");

	/* file errors */
	CHECK_RET_MSG(aclmdlLoadFromMem(model_buf, 100, &id), ACL_ERROR_INVALID_FILE,
		      "shorter than the 256-byte header");
	CHECK_RET_MSG(aclmdlLoadFromMem(model_buf, model_len - 64, &id), ACL_ERROR_INVALID_FILE,
		      "header.file_size");
	path = write_tmp("truncated.om", model_buf, model_len - 1);
	CHECK_RET_MSG(aclmdlLoadFromFile(path, &id), ACL_ERROR_INVALID_FILE, "header.file_size");
	CHECK_RET_MSG(aclmdlLoadFromMem("not a model at all, just some text that is long enough",
					55, &id), ACL_ERROR_INVALID_FILE, "shorter");
	u32 = 0x12345678;
	bad = patched(0, &u32, 4);
	CHECK_RET_MSG(aclmdlLoadFromMem(bad, model_len, &id), ACL_ERROR_INVALID_FILE, "header.magic");
	free(bad);
	bad = patched(0, model_buf, 4);
	bad[model_len - 1] ^= 0xff;	/* damaged after the checksum was computed */
	CHECK_RET_MSG(aclmdlLoadFromMem(bad, model_len, &id), ACL_ERROR_INVALID_FILE, "header.checksum");
	free(bad);

	/* model errors, each with a valid checksum so the check behind it is reached */
	u32 = 9;
	bad = patched(tensors + offsetof(struct om_tensor, ndim), &u32, 4);
	CHECK_RET_MSG(aclmdlLoadFromMem(bad, model_len, &id), ACL_ERROR_PARSE_MODEL, "ndim");
	free(bad);
	u64 = 1ull << 62;
	bad = patched(offsetof(struct om_header, sections) + OM_SEC_WEIGHTS * 16, &u64, 8);
	CHECK_RET_MSG(aclmdlLoadFromMem(bad, model_len, &id), ACL_ERROR_PARSE_MODEL, "sections");
	free(bad);
	u32 = 0xffffff;
	bad = patched(offsetof(struct om_header, num_tensors), &u32, 4);
	CHECK_RET_MSG(aclmdlLoadFromMem(bad, model_len, &id), ACL_ERROR_PARSE_MODEL, "tensors");
	free(bad);
	u32 = 0x7777;	/* an op the card's firmware does not have */
	bad = patched(tasks + offsetof(struct om_task, op_id), &u32, 4);
	CHECK_RET_MSG(aclmdlLoadFromMem(bad, model_len, &id), ACL_ERROR_PARSE_MODEL,
		      "op id not in the device's firmware op table");
	path = write_tmp("badop.om", bad, model_len);
	CHECK_RET_MSG(aclmdlLoadFromFile(path, &id), ACL_ERROR_PARSE_MODEL, "tasks[0].op_id");
	/* QuerySize reads the file only: no op table, so the op id passes */
	CHECK_RET(aclmdlQuerySize(path, &ws, &wt), ACL_SUCCESS);
	free(bad);
	TAP_CHECK(id == 77, "no failed load wrote a model id");

	CHECK_RET_MSG(aclmdlQuerySize(NULL, &ws, &wt), ACL_ERROR_INVALID_PARAM, "fileName is NULL");
	CHECK_RET_MSG(aclmdlQuerySize("x", NULL, &wt), ACL_ERROR_INVALID_PARAM, "workSize is NULL");
	CHECK_RET_MSG(aclmdlQuerySize("x", &ws, NULL), ACL_ERROR_INVALID_PARAM, "weightSize is NULL");
	CHECK_RET(aclmdlQuerySize("/nonexistent.om", &ws, &wt), ACL_ERROR_READ_MODEL_FAILURE);
	CHECK_RET(aclmdlQuerySizeFromMem(model_buf, 100, &ws, &wt), ACL_ERROR_INVALID_FILE);
	CHECK_RET(aclmdlQuerySizeFromMem(NULL, 100, &ws, &wt), ACL_ERROR_INVALID_PARAM);
	CHECK_RET_MSG(aclmdlQuerySizeFromMem(model_buf, SIZE_MAX, &ws, &wt), ACL_ERROR_MODEL_SIZE_INVALID,
		      "modelSize");
	CHECK_RET_MSG(aclmdlLoadFromMem(model_buf, SIZE_MAX - 10, &id), ACL_ERROR_MODEL_SIZE_INVALID,
		      "above the largest .om");
	ws = wt = 0;
	CHECK_RET(aclmdlQuerySizeFromMem(model_buf, model_len, &ws, &wt), ACL_SUCCESS);
	TAP_CHECK(ws == MDL_WORKSPACE && wt == model_len,
		  "aclmdlQuerySizeFromMem: workSize %zu (the workspace), weightSize %zu (the image)",
		  ws, wt);
	CHECK_RET(aclmdlUnload(0), ACL_ERROR_INVALID_MODEL_ID);
	CHECK_RET_MSG(aclmdlUnload(12345), ACL_ERROR_INVALID_MODEL_ID, "model id 12345");
}

/* ---- a loaded model ---- */

static void test_desc(uint32_t id)
{
	aclmdlDesc *d = aclmdlCreateDesc();
	aclmdlIODims dims;
	size_t idx = 99;

	CHECK_RET(aclmdlGetDesc(d, id), ACL_SUCCESS);
	TAP_CHECK(aclmdlGetNumInputs(d) == 2 && aclmdlGetNumOutputs(d) == 1, "2 inputs, 1 output");
	TAP_CHECK(aclmdlGetInputSizeByIndex(d, 0) == 24 && aclmdlGetInputSizeByIndex(d, 1) == 12 &&
		  aclmdlGetOutputSizeByIndex(d, 0) == 24, "sizes 24, 12 -> 24 bytes");
	TAP_CHECK(aclmdlGetInputSizeByIndex(d, 2) == 0 && aclmdlGetOutputSizeByIndex(d, 1) == 0,
		  "sizes out of range are 0");
	TAP_CHECK(str_has(take_msg(), "output index 1 out of range: the model has 1"), "  and say so");
	TAP_CHECK(str_is(aclmdlGetInputNameByIndex(d, 0), "X") &&
		  str_is(aclmdlGetInputNameByIndex(d, 1), "Y") &&
		  str_is(aclmdlGetOutputNameByIndex(d, 0), "Z"), "names X, Y -> Z");
	TAP_CHECK(str_is(aclmdlGetOutputNameByIndex(d, 5), ""), "a name out of range is \"\"");
	take_msg();
	TAP_CHECK(aclmdlGetInputFormat(d, 0) == ACL_FORMAT_ND && aclmdlGetOutputFormat(d, 0) == ACL_FORMAT_ND,
		  "formats ND");
	TAP_CHECK(aclmdlGetInputDataType(d, 1) == ACL_FLOAT && aclmdlGetOutputDataType(d, 0) == ACL_FLOAT,
		  "dtypes float");
	TAP_CHECK(aclmdlGetInputDataType(d, 2) == ACL_DT_UNDEFINED &&
		  aclmdlGetOutputFormat(d, 1) == ACL_FORMAT_UNDEFINED, "out of range: undefined");
	take_msg();
	memset(&dims, 0x55, sizeof(dims));
	CHECK_RET(aclmdlGetInputDims(d, 0, &dims), ACL_SUCCESS);
	TAP_CHECK(str_is(dims.name, "X") && dims.dimCount == 2 && dims.dims[0] == 2 && dims.dims[1] == 3,
		  "input 0: X [2,3]");
	CHECK_RET(aclmdlGetInputDimsV2(d, 1, &dims), ACL_SUCCESS);
	TAP_CHECK(str_is(dims.name, "Y") && dims.dimCount == 1 && dims.dims[0] == 3, "input 1: Y [3] (V2)");
	CHECK_RET(aclmdlGetOutputDims(d, 0, &dims), ACL_SUCCESS);
	TAP_CHECK(str_is(dims.name, "Z") && dims.dimCount == 1 && dims.dims[0] == 6, "output 0: Z [6]");
	CHECK_RET(aclmdlGetCurOutputDims(d, 0, &dims), ACL_SUCCESS);
	TAP_CHECK(dims.dimCount == 1 && dims.dims[0] == 6, "current output dims of a static model: [6]");
	CHECK_RET_MSG(aclmdlGetOutputDims(d, 1, &dims), ACL_ERROR_INVALID_PARAM, "out of range");
	CHECK_RET(aclmdlGetInputIndexByName(d, "Y", &idx), ACL_SUCCESS);
	TAP_CHECK(idx == 1, "input \"Y\" is index 1");
	CHECK_RET(aclmdlGetOutputIndexByName(d, "Z", &idx), ACL_SUCCESS);
	TAP_CHECK(idx == 0, "output \"Z\" is index 0");
	CHECK_RET_MSG(aclmdlGetOutputIndexByName(d, "X", &idx), ACL_ERROR_INVALID_PARAM,
		      "no output named \"X\"");
	CHECK_RET(aclmdlUnload(id), ACL_SUCCESS);
	TAP_CHECK(aclmdlGetNumInputs(d) == 2 && str_is(aclmdlGetInputNameByIndex(d, 0), "X"),
		  "the description outlives the model");
	CHECK_RET(aclmdlGetDesc(d, id), ACL_ERROR_INVALID_MODEL_ID);
	CHECK_RET(aclmdlUnload(id), ACL_ERROR_INVALID_MODEL_ID);
	CHECK_RET(aclmdlDestroyDesc(d), ACL_SUCCESS);
}

struct io {
	void *x, *y, *z;
	aclDataBuffer *bx, *by, *bz;
	aclmdlDataset *in, *out;
};

static void io_new(struct io *io)
{
	const float x[6] = { -9, -1, 0, 0.5f, 2, -20 }, y[3] = { 1, -2, 3 };

	memset(io, 0, sizeof(*io));
	if (aclrtMalloc(&io->x, 24, ACL_MEM_MALLOC_HUGE_FIRST) ||
	    aclrtMalloc(&io->y, 12, ACL_MEM_MALLOC_HUGE_FIRST) ||
	    aclrtMalloc(&io->z, 24, ACL_MEM_MALLOC_HUGE_FIRST) ||
	    aclrtMemcpy(io->x, 24, x, 24, ACL_MEMCPY_HOST_TO_DEVICE) ||
	    aclrtMemcpy(io->y, 12, y, 12, ACL_MEMCPY_HOST_TO_DEVICE) || aclrtMemset(io->z, 24, 0, 24))
		bail_out("cannot set up device buffers");
	io->bx = aclCreateDataBuffer(io->x, 24);
	io->by = aclCreateDataBuffer(io->y, 12);
	io->bz = aclCreateDataBuffer(io->z, 24);
	io->in = aclmdlCreateDataset();
	io->out = aclmdlCreateDataset();
	aclmdlAddDatasetBuffer(io->in, io->bx);
	aclmdlAddDatasetBuffer(io->in, io->by);
	aclmdlAddDatasetBuffer(io->out, io->bz);
}

static void io_free(struct io *io)
{
	aclmdlDestroyDataset(io->in);
	aclmdlDestroyDataset(io->out);
	aclDestroyDataBuffer(io->bx);
	aclDestroyDataBuffer(io->by);
	aclDestroyDataBuffer(io->bz);
	aclrtFree(io->x);
	aclrtFree(io->y);
	aclrtFree(io->z);
}

static int z_ok(const struct io *io)
{
	const float x[6] = { -9, -1, 0, 0.5f, 2, -20 }, y[3] = { 1, -2, 3 };
	float want[6], got[6];

	mdl_reference(x, y, want);
	if (aclrtMemcpy(got, 24, io->z, 24, ACL_MEMCPY_DEVICE_TO_HOST))
		return 0;
	return !memcmp(got, want, sizeof(got));
}

static void test_execute(void)
{
	aclDataBuffer *small, *host_buf;
	aclmdlDataset *bad;
	aclrtStream s = NULL;
	uint32_t id = 0;
	struct io io;
	float host[6];

	io_new(&io);
	hal_fake_set_model(NULL, NULL);
	CHECK_RET(aclmdlLoadFromMem(model_buf, model_len, &id), ACL_SUCCESS);
	CHECK_RET_MSG(aclmdlExecute(id, io.in, io.out), ACL_ERROR_RT_TASK_TYPE_NOT_SUPPORT,
		      "MODEL_EXECUTE");
	hal_fake_set_model(fake_model, NULL);

	CHECK_RET_MSG(aclmdlExecute(id + 100, io.in, io.out), ACL_ERROR_INVALID_MODEL_ID, "is not a loaded model");
	CHECK_RET_MSG(aclmdlExecute(id, NULL, io.out), ACL_ERROR_INVALID_PARAM, "input dataset is NULL");
	CHECK_RET_MSG(aclmdlExecute(id, io.in, NULL), ACL_ERROR_INVALID_PARAM, "output dataset is NULL");
	CHECK_RET_MSG(aclmdlExecute(id, io.out, io.out), ACL_ERROR_INVALID_PARAM,
		      "has 2 inputs, the input dataset 1 buffers");
	CHECK_RET_MSG(aclmdlExecute(id, io.in, io.in), ACL_ERROR_INVALID_PARAM,
		      "has 1 outputs, the output dataset 2 buffers");
	bad = aclmdlCreateDataset();
	small = aclCreateDataBuffer(io.y, 8);
	aclmdlAddDatasetBuffer(bad, io.bx);
	aclmdlAddDatasetBuffer(bad, small);
	CHECK_RET_MSG(aclmdlExecute(id, bad, io.out), ACL_ERROR_INVALID_PARAM,
		      "input 1 (\"Y\"): buffer of 8 bytes, the model needs 12");
	aclmdlDestroyDataset(bad);
	bad = aclmdlCreateDataset();
	host_buf = aclCreateDataBuffer(host, sizeof(host));
	aclmdlAddDatasetBuffer(bad, host_buf);
	CHECK_RET_MSG(aclmdlExecute(id, io.in, bad), ACL_ERROR_INVALID_PARAM,
		      "output 0 (\"Z\"): ");
	aclmdlDestroyDataset(bad);
	aclDestroyDataBuffer(host_buf);
	aclDestroyDataBuffer(small);
	TAP_CHECK(ex.calls == 0, "no refused call reached the card");

	ex.calls = 0;
	hal_fake_tasks_run(0, VASCEND_TASK_MODEL_EXECUTE);
	{
		unsigned long before = hal_fake_tasks_run(0, VASCEND_TASK_MODEL_EXECUTE);

		CHECK_RET(aclmdlExecute(id, io.in, io.out), ACL_SUCCESS);
		TAP_CHECK(hal_fake_tasks_run(0, VASCEND_TASK_MODEL_EXECUTE) == before + 1 && ex.calls == 1,
			  "aclmdlExecute ran ONE MODEL_EXECUTE task");
	}
	TAP_CHECK(z_ok(&io), "the output is what the model computes from the inputs");
	TAP_CHECK(ex.image_same, "the task names the .om image in device memory");
	TAP_CHECK(ex.task.u.model.num_inputs == 2 && ex.task.u.model.num_outputs == 1 &&
		  ex.task.u.model.block_dim == 0 && !ex.task.u.model.flags,
		  "task: 2 inputs, 1 output, every AI Core");
	TAP_CHECK(ex.bind[0].addr == (uintptr_t)io.x && ex.bind[0].size == 24 &&
		  ex.bind[1].addr == (uintptr_t)io.y && ex.bind[2].addr == (uintptr_t)io.z &&
		  ex.bind[3].size == MDL_WORKSPACE && acl_is_dev_mem((void *)(uintptr_t)ex.bind[3].addr, MDL_WORKSPACE, NULL),
		  "bindings: X, Y, Z, then the workspace in device memory");

	/* a failure on the card */
	ex.status = VASCEND_CQE_STATUS_OP_ERROR;
	CHECK_RET_MSG(aclmdlExecute(id, io.in, io.out), ACL_ERROR_RT_AICORE_EXCEPTION,
		      "(\"mdl_test\"): task");
	ex.status = 0;
	CHECK_RET(aclmdlExecute(id, io.in, io.out), ACL_SUCCESS);

	/* asynchronous, and unloaded while queued */
	CHECK_RET(aclrtCreateStream(&s), ACL_SUCCESS);
	aclrtMemset(io.z, 24, 0, 24);
	CHECK_RET(aclmdlExecuteAsync(id, io.in, io.out, s), ACL_SUCCESS);
	CHECK_RET(aclmdlUnload(id), ACL_SUCCESS);
	CHECK_RET(aclmdlExecuteAsync(id, io.in, io.out, s), ACL_ERROR_INVALID_MODEL_ID);
	CHECK_RET(aclrtSynchronizeStream(s), ACL_SUCCESS);
	TAP_CHECK(z_ok(&io), "aclmdlExecuteAsync computed the output by the stream's synchronize");
	CHECK_RET(aclrtDestroyStream(s), ACL_SUCCESS);
	io_free(&io);
}

static void test_with_mem(void)
{
	void *weight = NULL, *work = NULL, *host;
	uint32_t id = 0, id2 = 0;
	const char *path;
	size_t ws, wt;
	struct io io;

	path = write_tmp("model.om", model_buf, model_len);
	CHECK_RET(aclmdlQuerySize(path, &ws, &wt), ACL_SUCCESS);
	TAP_CHECK(ws == MDL_WORKSPACE && wt == model_len, "aclmdlQuerySize: %zu and %zu bytes", ws, wt);
	if (aclrtMalloc(&weight, wt, ACL_MEM_MALLOC_HUGE_FIRST) ||
	    aclrtMalloc(&work, ws, ACL_MEM_MALLOC_HUGE_FIRST))
		bail_out("aclrtMalloc");
	CHECK_RET_MSG(aclmdlLoadFromFileWithMem(path, &id, work, ws, weight, wt - 1), ACL_ERROR_INVALID_PARAM,
		      "weightPtr: ");
	CHECK_RET_MSG(aclmdlLoadFromFileWithMem(path, &id, work, ws - 1, weight, wt), ACL_ERROR_INVALID_PARAM,
		      "workPtr: 127 bytes given, the model needs 128");
	host = malloc(wt);
	CHECK_RET_MSG(aclmdlLoadFromFileWithMem(path, &id, work, ws, host, wt), ACL_ERROR_INVALID_PARAM,
		      "not ");
	free(host);
	CHECK_RET_MSG(aclmdlLoadFromFileWithMem(path, &id, work, ws, (char *)weight + 8, wt),
		      ACL_ERROR_INVALID_PARAM, "64-byte aligned");
	CHECK_RET(aclmdlLoadFromFileWithMem(path, &id, work, ws, weight, wt), ACL_SUCCESS);
	CHECK_RET(aclmdlLoadFromFile(path, &id2), ACL_SUCCESS);
	TAP_CHECK(id && id2 && id != id2, "two loads, two ids (%u, %u)", id, id2);
	io_new(&io);
	ex.calls = 0;
	CHECK_RET(aclmdlExecute(id, io.in, io.out), ACL_SUCCESS);
	TAP_CHECK(ex.calls == 1 && ex.task.u.model.model == (uintptr_t)weight &&
		  ex.bind[3].addr == (uintptr_t)work && z_ok(&io),
		  "the model runs from the caller's weight and work memory");
	aclrtMemset(io.z, 24, 0, 24);
	CHECK_RET(aclmdlExecute(id2, io.in, io.out), ACL_SUCCESS);
	TAP_CHECK(z_ok(&io) && ex.task.u.model.model != (uintptr_t)weight,
		  "the file loaded without memory runs from its own");
	CHECK_RET(aclmdlUnload(id), ACL_SUCCESS);
	CHECK_RET(aclmdlUnload(id2), ACL_SUCCESS);
	CHECK_RET(aclmdlLoadFromMemWithMem(model_buf, model_len, &id, NULL, 0, weight, wt), ACL_SUCCESS);
	CHECK_RET(aclmdlExecute(id, io.in, io.out), ACL_SUCCESS);
	CHECK_RET(aclmdlUnload(id), ACL_SUCCESS);
	io_free(&io);
	CHECK_RET(aclrtFree(weight), ACL_SUCCESS);
	CHECK_RET(aclrtFree(work), ACL_SUCCESS);
}

/* A device reset frees the model's memory: executions are refused, unload still works. */
static void test_reset(void)
{
	uint32_t id = 0;
	struct io io;

	io_new(&io);
	CHECK_RET(aclmdlLoadFromMem(model_buf, model_len, &id), ACL_SUCCESS);
	CHECK_RET(aclrtResetDevice(0), ACL_SUCCESS);
	CHECK_RET(aclrtSetDevice(0), ACL_SUCCESS);
	ex.calls = 0;
	CHECK_RET_MSG(aclmdlExecute(id, io.in, io.out), ACL_ERROR_INVALID_MODEL_ID,
		      "its device memory is gone");
	TAP_CHECK(ex.calls == 0, "  and nothing reached the card");
	CHECK_RET(aclmdlUnload(id), ACL_SUCCESS);
	io_free(&io);	/* its device memory went with the reset: aclrtFree refuses, harmlessly */
	take_msg();
	CHECK_RET(aclrtResetDevice(0), ACL_SUCCESS);
}

int main(void)
{
	uint32_t id = 0;

	test_header();
	if (mdl_build(&model_buf, &model_len))
		bail_out("cannot build the model");
	if (!mkdtemp(tmpdir))
		bail_out("mkdtemp");
	setup_cards();
	test_dataset();
	test_desc_empty();
	test_load_errors();
	CHECK_RET(aclmdlLoadFromFile(write_tmp("model.om", model_buf, model_len), &id), ACL_SUCCESS);
	TAP_CHECK(id != 0, "aclmdlLoadFromFile gives model id %u", id);
	test_desc(id);
	test_execute();
	test_with_mem();
	test_reset();
	CHECK_RET(aclFinalize(), ACL_SUCCESS);
	free(model_buf);
	for (unsigned int i = 0; i < ARRAY_SIZE(tmp_names); i++) {
		char p[128];

		snprintf(p, sizeof(p), "%s/%s", tmpdir, tmp_names[i]);
		unlink(p);
	}
	rmdir(tmpdir);
	return tap_done();
}

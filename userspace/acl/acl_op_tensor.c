// SPDX-License-Identifier: MIT
/*
 * aclTensorDesc: what a tensor is (type, shape, format, name, constant
 * value, placement). CANN keeps two views of a tensor: the origin format
 * and shape given at creation (aclSetTensorOriginFormat/Shape change them)
 * and an optional storage format and shape (aclSetTensorFormat/Shape, and
 * the deprecated Storage setters): how the bytes are laid out when that
 * differs. The getters report the origin; an op runs on the storage view
 * when it is set (acl_tensor_desc_run_format/dims).
 *
 * Argument handling follows CANN's: NULL descriptions make getters return
 * their documented "nothing" value and setters ACL_ERROR_INVALID_PARAM,
 * except the format setters, which CANN lets ignore a NULL description.
 * None of these need aclInit.
 */
#include <stdlib.h>
#include <string.h>

#include "acl_error.h"
#include "acl_op_internal.h"

static int64_t *dims_dup(int n, const int64_t *dims)
{
	int64_t *d;

	if (n <= 0)
		return NULL;
	d = malloc((size_t)n * sizeof(*d));
	if (d)
		memcpy(d, dims, (size_t)n * sizeof(*d));
	return d;
}

static char *str_dup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = malloc(n);

	if (d)
		memcpy(d, s, n);
	return d;
}

ACL_FUNC_VISIBILITY size_t aclDataTypeSize(aclDataType dataType)
{
	switch (dataType) {
	case ACL_STRING:
	case ACL_DT_UNDEFINED:
		return 0;
	case ACL_BOOL:
	case ACL_INT8:
	case ACL_UINT8:
	case ACL_HIFLOAT8:
	case ACL_FLOAT8_E5M2:
	case ACL_FLOAT8_E4M3FN:
	case ACL_FLOAT8_E8M0:
		return 1;
	case ACL_FLOAT16:
	case ACL_BF16:
	case ACL_INT16:
	case ACL_UINT16:
		return 2;
	case ACL_FLOAT:
	case ACL_INT32:
	case ACL_UINT32:
	case ACL_COMPLEX32:
		return 4;
	case ACL_COMPLEX128:
		return 16;
	case ACL_INT64:
	case ACL_UINT64:
	case ACL_DOUBLE:
	case ACL_COMPLEX64:
	default:
		/* CANN's answer for every other value, sub-byte types included */
		return 8;
	}
}

ACL_FUNC_VISIBILITY aclTensorDesc *aclCreateTensorDesc(aclDataType dataType, int numDims,
						       const int64_t *dims, aclFormat format)
{
	aclTensorDesc *d;

	if (numDims < 0) {
		acl_fail(ACL_ERROR_INVALID_PARAM, "aclCreateTensorDesc",
			 "numDims is %d, must not be negative", numDims);
		return NULL;
	}
	if (numDims > 0 && !dims) {
		acl_fail(ACL_ERROR_INVALID_PARAM, "aclCreateTensorDesc",
			 "dims is NULL while numDims is %d", numDims);
		return NULL;
	}
	if (numDims > ACL_OP_DESC_MAX_DIMS) {
		acl_fail(ACL_ERROR_INVALID_PARAM, "aclCreateTensorDesc",
			 "numDims is %d, at most %d supported", numDims, ACL_OP_DESC_MAX_DIMS);
		return NULL;
	}
	d = calloc(1, sizeof(*d));
	if (!d)
		goto oom;
	d->magic = ACL_TENSOR_DESC_MAGIC;
	d->dtype = dataType;
	d->format = format;
	d->storage_format = ACL_FORMAT_UNDEFINED;
	d->ndim = numDims;
	d->storage_ndim = -1;
	d->memtype = ACL_MEMTYPE_DEVICE;
	d->dims = dims_dup(numDims, dims);
	if (numDims && !d->dims) {
		free(d);
		goto oom;
	}
	return d;
oom:
	acl_fail(ACL_ERROR_BAD_ALLOC, "aclCreateTensorDesc", "out of memory");
	return NULL;
}

ACL_FUNC_VISIBILITY void aclDestroyTensorDesc(const aclTensorDesc *desc)
{
	aclTensorDesc *d = (aclTensorDesc *)desc;

	if (!d)
		return;
	d->magic = 0;
	free(d->dims);
	free(d->storage_dims);
	free(d->ranges);
	free(d->value_ranges);
	free(d->name);
	free(d->dynamic_input);
	free(d->const_data);
	free(d);
}

aclTensorDesc *acl_tensor_desc_clone(const aclTensorDesc *s)
{
	aclTensorDesc *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	*d = *s;
	d->dims = dims_dup(s->ndim, s->dims);
	d->storage_dims = dims_dup(s->storage_ndim, s->storage_dims);
	d->ranges = NULL;
	d->value_ranges = NULL;
	d->name = s->name ? str_dup(s->name) : NULL;
	d->dynamic_input = s->dynamic_input ? str_dup(s->dynamic_input) : NULL;
	d->const_data = NULL;
	if (s->num_ranges) {
		d->ranges = malloc(s->num_ranges * sizeof(*d->ranges));
		if (d->ranges)
			memcpy(d->ranges, s->ranges, s->num_ranges * sizeof(*d->ranges));
	}
	if (s->num_value_ranges) {
		d->value_ranges = malloc(s->num_value_ranges * sizeof(*d->value_ranges));
		if (d->value_ranges)
			memcpy(d->value_ranges, s->value_ranges,
			       s->num_value_ranges * sizeof(*d->value_ranges));
	}
	if (s->const_data) {
		d->const_data = malloc(s->const_len);
		if (d->const_data)
			memcpy(d->const_data, s->const_data, s->const_len);
	}
	if ((s->ndim > 0 && !d->dims) || (s->storage_ndim > 0 && !d->storage_dims) ||
	    (s->name && !d->name) || (s->dynamic_input && !d->dynamic_input) ||
	    (s->num_ranges && !d->ranges) || (s->num_value_ranges && !d->value_ranges) ||
	    (s->const_data && !d->const_data)) {
		aclDestroyTensorDesc(d);
		return NULL;
	}
	return d;
}

ACL_FUNC_VISIBILITY aclError aclSetTensorShapeRange(aclTensorDesc *desc, size_t dimsCount,
						    int64_t dimsRange[][ACL_TENSOR_SHAPE_RANGE_NUM])
{
	void *r = NULL;

	if (!desc)
		return acl_fail(ACL_ERROR_INVALID_PARAM, "aclSetTensorShapeRange", "desc is NULL");
	if (dimsCount && !dimsRange)
		return acl_fail(ACL_ERROR_INVALID_PARAM, "aclSetTensorShapeRange",
				"dimsRange is NULL while dimsCount is %zu", dimsCount);
	if (dimsCount > ACL_OP_DESC_MAX_DIMS)
		return acl_fail(ACL_ERROR_INVALID_PARAM, "aclSetTensorShapeRange",
				"dimsCount is %zu, at most %d supported", dimsCount,
				ACL_OP_DESC_MAX_DIMS);
	if (dimsCount) {
		r = malloc(dimsCount * sizeof(*desc->ranges));
		if (!r)
			return acl_fail(ACL_ERROR_BAD_ALLOC, "aclSetTensorShapeRange", "out of memory");
		memcpy(r, dimsRange, dimsCount * sizeof(*desc->ranges));
	}
	free(desc->ranges);
	desc->ranges = r;
	desc->num_ranges = dimsCount;
	return ACL_SUCCESS;
}

ACL_FUNC_VISIBILITY aclError aclSetTensorValueRange(aclTensorDesc *desc, size_t valueCount,
						    int64_t valueRange[][ACL_TENSOR_VALUE_RANGE_NUM])
{
	void *r = NULL;

	if (!desc)
		return acl_fail(ACL_ERROR_INVALID_PARAM, "aclSetTensorValueRange", "desc is NULL");
	if (valueCount && !valueRange)
		return acl_fail(ACL_ERROR_INVALID_PARAM, "aclSetTensorValueRange",
				"valueRange is NULL while valueCount is %zu", valueCount);
	if (valueCount > (1u << 20))
		return acl_fail(ACL_ERROR_INVALID_PARAM, "aclSetTensorValueRange",
				"valueCount is %zu, at most 2^20 supported", valueCount);
	if (valueCount) {
		r = malloc(valueCount * sizeof(*desc->value_ranges));
		if (!r)
			return acl_fail(ACL_ERROR_BAD_ALLOC, "aclSetTensorValueRange", "out of memory");
		memcpy(r, valueRange, valueCount * sizeof(*desc->value_ranges));
	}
	free(desc->value_ranges);
	desc->value_ranges = r;
	desc->num_value_ranges = valueCount;
	return ACL_SUCCESS;
}

ACL_FUNC_VISIBILITY aclDataType aclGetTensorDescType(const aclTensorDesc *desc)
{
	if (!desc) {
		acl_fail(ACL_ERROR_INVALID_PARAM, "aclGetTensorDescType", "desc is NULL");
		return ACL_DT_UNDEFINED;
	}
	return desc->dtype;
}

ACL_FUNC_VISIBILITY aclFormat aclGetTensorDescFormat(const aclTensorDesc *desc)
{
	if (!desc) {
		acl_fail(ACL_ERROR_INVALID_PARAM, "aclGetTensorDescFormat", "desc is NULL");
		return ACL_FORMAT_UNDEFINED;
	}
	return desc->format;
}

/* Elements of @n dims; 0 on a negative dim or size_t overflow. */
static size_t elems(int n, const int64_t *dims)
{
	size_t count = 1;

	for (int i = 0; i < n; i++) {
		if (dims[i] < 0)
			return 0;
		if (__builtin_mul_overflow(count, (size_t)dims[i], &count))
			return 0;
	}
	return count;
}

ACL_FUNC_VISIBILITY size_t aclGetTensorDescElementCount(const aclTensorDesc *desc)
{
	if (!desc) {
		acl_fail(ACL_ERROR_INVALID_PARAM, "aclGetTensorDescElementCount", "desc is NULL");
		return 0;
	}
	return elems(desc->ndim, desc->dims);
}

ACL_FUNC_VISIBILITY size_t aclGetTensorDescSize(const aclTensorDesc *desc)
{
	size_t size;

	if (!desc) {
		acl_fail(ACL_ERROR_INVALID_PARAM, "aclGetTensorDescSize", "desc is NULL");
		return 0;
	}
	if (__builtin_mul_overflow(elems(desc->ndim, desc->dims), aclDataTypeSize(desc->dtype), &size))
		return 0;
	return size;
}

ACL_FUNC_VISIBILITY size_t aclGetTensorDescNumDims(const aclTensorDesc *desc)
{
	if (!desc) {
		acl_fail(ACL_ERROR_INVALID_PARAM, "aclGetTensorDescNumDims", "desc is NULL");
		return 0;
	}
	if (desc->ndim > 0 && desc->dims[0] == ACL_DIM_UNKNOWN_RANK)
		return (size_t)ACL_UNKNOWN_RANK;
	return (size_t)desc->ndim;
}

ACL_FUNC_VISIBILITY int64_t aclGetTensorDescDim(const aclTensorDesc *desc, size_t index)
{
	if (!desc) {
		acl_fail(ACL_ERROR_INVALID_PARAM, "aclGetTensorDescDim", "desc is NULL");
		return -1;
	}
	if (index >= (size_t)desc->ndim) {
		acl_fail(ACL_ERROR_INVALID_PARAM, "aclGetTensorDescDim",
			 "index %zu out of range: the tensor has %d dims", index, desc->ndim);
		return -1;
	}
	return desc->dims[index];
}

ACL_FUNC_VISIBILITY aclError aclGetTensorDescDimV2(const aclTensorDesc *desc, size_t index,
						   int64_t *dimSize)
{
	if (!desc)
		return acl_fail(ACL_ERROR_INVALID_PARAM, "aclGetTensorDescDimV2", "desc is NULL");
	if (!dimSize)
		return acl_fail(ACL_ERROR_INVALID_PARAM, "aclGetTensorDescDimV2", "dimSize is NULL");
	if (index >= (size_t)desc->ndim)
		return acl_fail(ACL_ERROR_INVALID_PARAM, "aclGetTensorDescDimV2",
				"index %zu out of range: the tensor has %d dims", index, desc->ndim);
	*dimSize = desc->dims[index];
	return ACL_SUCCESS;
}

ACL_FUNC_VISIBILITY aclError aclGetTensorDescDimRange(const aclTensorDesc *desc, size_t index,
						      size_t dimRangeNum, int64_t *dimRange)
{
	if (!desc)
		return acl_fail(ACL_ERROR_INVALID_PARAM, "aclGetTensorDescDimRange", "desc is NULL");
	if (!dimRange)
		return acl_fail(ACL_ERROR_INVALID_PARAM, "aclGetTensorDescDimRange", "dimRange is NULL");
	if (index >= desc->num_ranges)
		return acl_fail(ACL_ERROR_INVALID_PARAM, "aclGetTensorDescDimRange",
				"index %zu out of range: %zu dim ranges set", index, desc->num_ranges);
	if (dimRangeNum < ACL_TENSOR_SHAPE_RANGE_NUM)
		return acl_fail(ACL_ERROR_INVALID_PARAM, "aclGetTensorDescDimRange",
				"dimRangeNum is %zu, must be at least %d", dimRangeNum,
				ACL_TENSOR_SHAPE_RANGE_NUM);
	dimRange[0] = desc->ranges[index][0];
	dimRange[1] = desc->ranges[index][1];
	return ACL_SUCCESS;
}

ACL_FUNC_VISIBILITY void aclSetTensorDescName(aclTensorDesc *desc, const char *name)
{
	char *n = NULL;

	if (!desc) {
		acl_fail(ACL_ERROR_INVALID_PARAM, "aclSetTensorDescName", "desc is NULL");
		return;
	}
	if (name && name[0]) {
		n = str_dup(name);
		if (!n) {
			acl_fail(ACL_ERROR_BAD_ALLOC, "aclSetTensorDescName", "out of memory");
			return;
		}
	}
	free(desc->name);
	desc->name = n;
}

ACL_FUNC_VISIBILITY const char *aclGetTensorDescName(aclTensorDesc *desc)
{
	if (!desc || !desc->name)
		return "";
	return desc->name;
}

/* Axis letters of the formats whose dims are a permutation of each other. */
static const char *format_axes(aclFormat f)
{
	switch (f) {
	case ACL_FORMAT_NCHW:
		return "NCHW";
	case ACL_FORMAT_NHWC:
		return "NHWC";
	case ACL_FORMAT_HWCN:
		return "HWCN";
	default:
		return NULL;
	}
}

ACL_FUNC_VISIBILITY aclError aclTransTensorDescFormat(const aclTensorDesc *srcDesc, aclFormat dstFormat,
						      aclTensorDesc **dstDesc)
{
	const char *from, *to;
	int64_t dims[4];

	if (!srcDesc)
		return acl_fail(ACL_ERROR_INVALID_PARAM, "aclTransTensorDescFormat", "srcDesc is NULL");
	if (!dstDesc)
		return acl_fail(ACL_ERROR_INVALID_PARAM, "aclTransTensorDescFormat", "dstDesc is NULL");
	from = format_axes(srcDesc->format);
	to = format_axes(dstFormat);
	if (srcDesc->format == dstFormat || dstFormat == ACL_FORMAT_ND) {
		*dstDesc = aclCreateTensorDesc(srcDesc->dtype, srcDesc->ndim, srcDesc->dims,
					       srcDesc->format);
	} else if (from && to && srcDesc->ndim == 4) {
		for (int i = 0; i < 4; i++)
			dims[i] = srcDesc->dims[strchr(from, to[i]) - from];
		/* CANN labels the new description with the source's format too */
		*dstDesc = aclCreateTensorDesc(srcDesc->dtype, 4, dims, srcDesc->format);
	} else {
		return acl_fail(ACL_ERROR_FORMAT_NOT_MATCH, "aclTransTensorDescFormat",
				"cannot transform a %d-d %s shape to %s (vascend transforms "
				"4-d NCHW, NHWC and HWCN, and anything to ND)", srcDesc->ndim,
				acl_format_name(srcDesc->format), acl_format_name(dstFormat));
	}
	return *dstDesc ? ACL_SUCCESS : ACL_ERROR_BAD_ALLOC;
}

static aclError set_dims(const char *api, int *ndim, int64_t **field, int numDims, const int64_t *dims)
{
	int64_t *d;

	if (numDims < 0)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "numDims is %d, must not be negative",
				numDims);
	if (numDims > ACL_OP_DESC_MAX_DIMS)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "numDims is %d, at most %d supported",
				numDims, ACL_OP_DESC_MAX_DIMS);
	d = dims_dup(numDims, dims);
	if (numDims && !d)
		return acl_fail(ACL_ERROR_BAD_ALLOC, api, "out of memory");
	free(*field);
	*field = d;
	*ndim = numDims;
	return ACL_SUCCESS;
}

static aclError storage_shape(const char *api, aclTensorDesc *desc, int numDims, const int64_t *dims)
{
	if (!desc)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "desc is NULL");
	if (!dims)
		return acl_fail(ACL_ERROR_INVALID_PARAM, api, "dims is NULL");
	return set_dims(api, &desc->storage_ndim, &desc->storage_dims, numDims, dims);
}

ACL_FUNC_VISIBILITY aclError aclSetTensorStorageFormat(aclTensorDesc *desc, aclFormat format)
{
	if (desc)
		desc->storage_format = format;
	return ACL_SUCCESS;
}

ACL_FUNC_VISIBILITY aclError aclSetTensorStorageShape(aclTensorDesc *desc, int numDims, const int64_t *dims)
{
	return storage_shape("aclSetTensorStorageShape", desc, numDims, dims);
}

ACL_FUNC_VISIBILITY aclError aclSetTensorFormat(aclTensorDesc *desc, aclFormat format)
{
	if (desc)
		desc->storage_format = format;
	return ACL_SUCCESS;
}

ACL_FUNC_VISIBILITY aclError aclSetTensorShape(aclTensorDesc *desc, int numDims, const int64_t *dims)
{
	return storage_shape("aclSetTensorShape", desc, numDims, dims);
}

ACL_FUNC_VISIBILITY aclError aclSetTensorOriginFormat(aclTensorDesc *desc, aclFormat format)
{
	if (desc)
		desc->format = format;
	return ACL_SUCCESS;
}

ACL_FUNC_VISIBILITY aclError aclSetTensorOriginShape(aclTensorDesc *desc, int numDims, const int64_t *dims)
{
	if (!desc)
		return acl_fail(ACL_ERROR_INVALID_PARAM, "aclSetTensorOriginShape", "desc is NULL");
	if (!dims)
		return acl_fail(ACL_ERROR_INVALID_PARAM, "aclSetTensorOriginShape", "dims is NULL");
	return set_dims("aclSetTensorOriginShape", &desc->ndim, &desc->dims, numDims, dims);
}

ACL_FUNC_VISIBILITY aclTensorDesc *aclGetTensorDescByIndex(aclTensorDesc *desc, size_t index)
{
	if (!desc) {
		acl_fail(ACL_ERROR_INVALID_PARAM, "aclGetTensorDescByIndex", "desc is NULL");
		return NULL;
	}
	/* CANN's definition: pointer arithmetic over an array of descriptions */
	return desc + index;
}

ACL_FUNC_VISIBILITY void *aclGetTensorDescAddress(const aclTensorDesc *desc)
{
	if (!desc) {
		acl_fail(ACL_ERROR_INVALID_PARAM, "aclGetTensorDescAddress", "desc is NULL");
		return NULL;
	}
	return desc->address;
}

ACL_FUNC_VISIBILITY aclError aclSetTensorDynamicInput(aclTensorDesc *desc, const char *dynamicInputName)
{
	char *n;

	if (!desc)
		return acl_fail(ACL_ERROR_INVALID_PARAM, "aclSetTensorDynamicInput", "desc is NULL");
	if (!dynamicInputName)
		return acl_fail(ACL_ERROR_INVALID_PARAM, "aclSetTensorDynamicInput",
				"dynamicInputName is NULL");
	n = str_dup(dynamicInputName);
	if (!n)
		return acl_fail(ACL_ERROR_BAD_ALLOC, "aclSetTensorDynamicInput", "out of memory");
	free(desc->dynamic_input);
	desc->dynamic_input = n;
	return ACL_SUCCESS;
}

ACL_FUNC_VISIBILITY aclError aclSetTensorConst(aclTensorDesc *desc, void *dataBuffer, size_t length)
{
	void *c;

	if (!desc)
		return acl_fail(ACL_ERROR_INVALID_PARAM, "aclSetTensorConst", "desc is NULL");
	if (!dataBuffer)
		return acl_fail(ACL_ERROR_INVALID_PARAM, "aclSetTensorConst", "dataBuffer is NULL");
	if (!length)
		return acl_fail(ACL_ERROR_INVALID_PARAM, "aclSetTensorConst", "length is 0");
	c = malloc(length);
	if (!c)
		return acl_fail(ACL_ERROR_BAD_ALLOC, "aclSetTensorConst", "out of memory (%zu bytes)",
				length);
	memcpy(c, dataBuffer, length);
	free(desc->const_data);
	desc->const_data = c;
	desc->const_len = length;
	return ACL_SUCCESS;
}

ACL_FUNC_VISIBILITY aclError aclSetTensorPlaceMent(aclTensorDesc *desc, aclMemType memType)
{
	if (!desc)
		return acl_fail(ACL_ERROR_INVALID_PARAM, "aclSetTensorPlaceMent", "desc is NULL");
	if (memType != ACL_MEMTYPE_DEVICE && memType != ACL_MEMTYPE_HOST &&
	    memType != ACL_MEMTYPE_HOST_COMPILE_INDEPENDENT)
		return acl_fail(ACL_ERROR_INVALID_PARAM, "aclSetTensorPlaceMent",
				"memType %d is not an aclMemType", (int)memType);
	desc->memtype = memType;
	return ACL_SUCCESS;
}

aclFormat acl_tensor_desc_run_format(const aclTensorDesc *desc)
{
	return desc->storage_format != ACL_FORMAT_UNDEFINED ? desc->storage_format : desc->format;
}

int acl_tensor_desc_run_dims(const aclTensorDesc *desc, const int64_t **dims)
{
	if (desc->storage_ndim >= 0) {
		*dims = desc->storage_dims;
		return desc->storage_ndim;
	}
	*dims = desc->dims;
	return desc->ndim;
}

bool acl_tensor_desc_is_omitted(const aclTensorDesc *desc)
{
	return desc->dtype == ACL_DT_UNDEFINED && desc->format == ACL_FORMAT_UNDEFINED &&
	       desc->ndim == 0;
}

const char *acl_dtype_name(int dtype)
{
	switch (dtype) {
	case ACL_DT_UNDEFINED: return "undefined";
	case ACL_FLOAT: return "float32";
	case ACL_FLOAT16: return "float16";
	case ACL_INT8: return "int8";
	case ACL_INT32: return "int32";
	case ACL_UINT8: return "uint8";
	case ACL_INT16: return "int16";
	case ACL_UINT16: return "uint16";
	case ACL_UINT32: return "uint32";
	case ACL_INT64: return "int64";
	case ACL_UINT64: return "uint64";
	case ACL_DOUBLE: return "double";
	case ACL_BOOL: return "bool";
	case ACL_STRING: return "string";
	case ACL_COMPLEX64: return "complex64";
	case ACL_COMPLEX128: return "complex128";
	case ACL_BF16: return "bfloat16";
	case ACL_INT4: return "int4";
	case ACL_UINT1: return "uint1";
	case ACL_COMPLEX32: return "complex32";
	default: return "unknown type";
	}
}

const char *acl_format_name(int format)
{
	switch (format) {
	case ACL_FORMAT_UNDEFINED: return "UNDEFINED";
	case ACL_FORMAT_NCHW: return "NCHW";
	case ACL_FORMAT_NHWC: return "NHWC";
	case ACL_FORMAT_ND: return "ND";
	case ACL_FORMAT_NC1HWC0: return "NC1HWC0";
	case ACL_FORMAT_FRACTAL_Z: return "FRACTAL_Z";
	case ACL_FORMAT_NC1HWC0_C04: return "NC1HWC0_C04";
	case ACL_FORMAT_HWCN: return "HWCN";
	case ACL_FORMAT_NDHWC: return "NDHWC";
	case ACL_FORMAT_FRACTAL_NZ: return "FRACTAL_NZ";
	case ACL_FORMAT_NCDHW: return "NCDHW";
	case ACL_FORMAT_NDC1HWC0: return "NDC1HWC0";
	case ACL_FRACTAL_Z_3D: return "FRACTAL_Z_3D";
	case ACL_FORMAT_NC: return "NC";
	case ACL_FORMAT_NCL: return "NCL";
	default: return "unknown format";
	}
}

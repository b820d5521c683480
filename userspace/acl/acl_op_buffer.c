// SPDX-License-Identifier: MIT
/*
 * aclDataBuffer: a (pointer, size) pair naming the memory of one operand.
 * The memory stays the caller's. None of these need aclInit.
 */
#include <stdlib.h>

#include "acl_error.h"
#include "acl_op_internal.h"

ACL_FUNC_VISIBILITY aclDataBuffer *aclCreateDataBuffer(void *data, size_t size)
{
	aclDataBuffer *b = malloc(sizeof(*b));

	if (!b) {
		acl_fail(ACL_ERROR_BAD_ALLOC, "aclCreateDataBuffer", "out of memory");
		return NULL;
	}
	b->magic = ACL_DATA_BUFFER_MAGIC;
	b->data = data;
	b->size = size;
	return b;
}

ACL_FUNC_VISIBILITY aclError aclDestroyDataBuffer(const aclDataBuffer *dataBuffer)
{
	aclDataBuffer *b = (aclDataBuffer *)dataBuffer;

	if (!b)
		return acl_fail(ACL_ERROR_INVALID_PARAM, "aclDestroyDataBuffer", "dataBuffer is NULL");
	b->magic = 0;
	free(b);
	return ACL_SUCCESS;
}

ACL_FUNC_VISIBILITY aclError aclUpdateDataBuffer(aclDataBuffer *dataBuffer, void *data, size_t size)
{
	if (!dataBuffer)
		return acl_fail(ACL_ERROR_INVALID_PARAM, "aclUpdateDataBuffer",
				"dataBuffer is NULL (create it with aclCreateDataBuffer)");
	dataBuffer->data = data;
	dataBuffer->size = size;
	return ACL_SUCCESS;
}

ACL_FUNC_VISIBILITY void *aclGetDataBufferAddr(const aclDataBuffer *dataBuffer)
{
	return dataBuffer ? dataBuffer->data : NULL;
}

ACL_FUNC_VISIBILITY uint32_t aclGetDataBufferSize(const aclDataBuffer *dataBuffer)
{
	/* CANN truncates to 32 bits: the reason the V2 call exists */
	return dataBuffer ? (uint32_t)dataBuffer->size : 0;
}

ACL_FUNC_VISIBILITY size_t aclGetDataBufferSizeV2(const aclDataBuffer *dataBuffer)
{
	return dataBuffer ? dataBuffer->size : 0;
}

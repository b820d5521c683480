/* SPDX-License-Identifier: MIT */
/*
 * AscendCL runtime API for vascend: devices and memory, with the names,
 * signatures and enum values of CANN's acl_rt.h. Only what libascendcl
 * implements is declared; later issues add streams, events and contexts.
 *
 * Every call returns ACL_SUCCESS or an ACL_ERROR_* code and, on failure,
 * leaves a message for aclGetRecentErrMsg() in the calling thread.
 */
#ifndef INC_EXTERNAL_ACL_ACL_RT_H_
#define INC_EXTERNAL_ACL_ACL_RT_H_

#include <stddef.h>
#include <stdint.h>

#include "acl_base.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum aclrtRunMode {
	ACL_DEVICE,
	ACL_HOST,
} aclrtRunMode;

typedef enum aclrtMemcpyKind {
	ACL_MEMCPY_HOST_TO_HOST,
	ACL_MEMCPY_HOST_TO_DEVICE,
	ACL_MEMCPY_DEVICE_TO_HOST,
	ACL_MEMCPY_DEVICE_TO_DEVICE,
	ACL_MEMCPY_DEFAULT,
	ACL_MEMCPY_HOST_TO_BUF_TO_DEVICE,
	ACL_MEMCPY_INNER_DEVICE_TO_DEVICE,
	ACL_MEMCPY_INTER_DEVICE_TO_DEVICE,
} aclrtMemcpyKind;

typedef enum aclrtMemMallocPolicy {
	ACL_MEM_MALLOC_HUGE_FIRST,
	ACL_MEM_MALLOC_HUGE_ONLY,
	ACL_MEM_MALLOC_NORMAL_ONLY,
	ACL_MEM_MALLOC_HUGE_FIRST_P2P,
	ACL_MEM_MALLOC_HUGE_ONLY_P2P,
	ACL_MEM_MALLOC_NORMAL_ONLY_P2P,
	ACL_MEM_MALLOC_HUGE1G_ONLY,
	ACL_MEM_MALLOC_HUGE1G_ONLY_P2P,
	ACL_MEM_TYPE_LOW_BAND_WIDTH = 0x0100,
	ACL_MEM_TYPE_HIGH_BAND_WIDTH = 0x1000,
	ACL_MEM_ACCESS_USER_SPACE_READONLY = 0x100000,
} aclrtMemMallocPolicy;

typedef enum aclrtMemAttr {
	ACL_DDR_MEM,
	ACL_HBM_MEM,
	ACL_DDR_MEM_HUGE,
	ACL_DDR_MEM_NORMAL,
	ACL_HBM_MEM_HUGE,
	ACL_HBM_MEM_NORMAL,
	ACL_DDR_MEM_P2P_HUGE,
	ACL_DDR_MEM_P2P_NORMAL,
	ACL_HBM_MEM_P2P_HUGE,
	ACL_HBM_MEM_P2P_NORMAL,
	ACL_HBM_MEM_HUGE1G,
	ACL_HBM_MEM_P2P_HUGE1G,
	ACL_MEM_NORMAL,
	ACL_MEM_HUGE,
	ACL_MEM_HUGE1G,
	ACL_MEM_P2P_NORMAL,
	ACL_MEM_P2P_HUGE,
	ACL_MEM_P2P_HUGE1G,
} aclrtMemAttr;

/**
 * aclrtSetDevice() - make @deviceId (N of /dev/davinciN) the calling
 * thread's current device, opening it on first use in the process
 *
 * Calls are counted per device; the device's resources are released when
 * aclrtResetDevice has been called as many times.
 */
ACL_FUNC_VISIBILITY aclError aclrtSetDevice(int32_t deviceId);

/**
 * aclrtResetDevice() - drop one aclrtSetDevice reference on @deviceId; the
 * last one frees every allocation on the device and closes it
 */
ACL_FUNC_VISIBILITY aclError aclrtResetDevice(int32_t deviceId);

/**
 * aclrtGetDevice() - the calling thread's current device;
 * ACL_ERROR_RT_CONTEXT_NULL when the thread has none
 */
ACL_FUNC_VISIBILITY aclError aclrtGetDevice(int32_t *deviceId);

/** aclrtGetRunMode() - where the program runs: always ACL_HOST here */
ACL_FUNC_VISIBILITY aclError aclrtGetRunMode(aclrtRunMode *runMode);

/**
 * aclrtGetDeviceCount() - number of devices (/dev/davinciN nodes);
 * ACL_ERROR_RT_NO_DEVICE when there is none
 */
ACL_FUNC_VISIBILITY aclError aclrtGetDeviceCount(uint32_t *count);

/**
 * aclrtMalloc() - allocate @size bytes of device memory on the current
 * device; the size is rounded up to 32 bytes and padded by 32 more, as
 * CANN does. Every policy is served from the same pool.
 */
ACL_FUNC_VISIBILITY aclError aclrtMalloc(void **devPtr, size_t size, aclrtMemMallocPolicy policy);

/** aclrtFree() - free memory from aclrtMalloc */
ACL_FUNC_VISIBILITY aclError aclrtFree(void *devPtr);

/** aclrtMallocHost() - allocate @size bytes of host memory for transfers */
ACL_FUNC_VISIBILITY aclError aclrtMallocHost(void **hostPtr, size_t size);

/** aclrtFreeHost() - free memory from aclrtMallocHost */
ACL_FUNC_VISIBILITY aclError aclrtFreeHost(void *hostPtr);

/**
 * aclrtMemcpy() - copy @count bytes from @src to @dst, synchronously
 * @destMax: bytes available at @dst; @count above it is an error
 * @kind: direction; ACL_MEMCPY_DEFAULT infers it from the two addresses
 */
ACL_FUNC_VISIBILITY aclError aclrtMemcpy(void *dst, size_t destMax, const void *src, size_t count,
					 aclrtMemcpyKind kind);

/**
 * aclrtMemset() - set @count bytes at @devPtr (device or host memory, told
 * apart by the address) to the low byte of @value
 * @maxCount: bytes available at @devPtr; @count above it is an error
 */
ACL_FUNC_VISIBILITY aclError aclrtMemset(void *devPtr, size_t maxCount, int32_t value, size_t count);

/**
 * aclrtGetMemInfo() - free and total bytes of the current device's memory of
 * kind @attr (HBM kinds report the card's HBM; the card has no DDR, so DDR
 * kinds report 0)
 */
ACL_FUNC_VISIBILITY aclError aclrtGetMemInfo(aclrtMemAttr attr, size_t *free, size_t *total);

#ifdef __cplusplus
}
#endif

#endif /* INC_EXTERNAL_ACL_ACL_RT_H_ */

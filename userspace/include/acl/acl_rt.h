/* SPDX-License-Identifier: MIT */
/*
 * AscendCL runtime API for vascend: devices, contexts, streams, events,
 * memory and host callbacks, with the names, signatures and enum values of
 * CANN's acl_rt.h. Only what libascendcl implements is declared (a program
 * using more fails to compile rather than at run time); the coverage table
 * is in docs/runtime.md.
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

#define ACL_EVENT_SYNC 0x00000001u
#define ACL_EVENT_CAPTURE_STREAM_PROGRESS 0x00000002u
#define ACL_EVENT_TIME_LINE 0x00000008u

#define ACL_STREAM_FAST_LAUNCH 0x00000001u
#define ACL_STREAM_FAST_SYNC 0x00000002u

#define ACL_CONTINUE_ON_FAILURE 0x00000000u
#define ACL_STOP_ON_FAILURE 0x00000001u

typedef enum aclrtRunMode {
	ACL_DEVICE,
	ACL_HOST,
} aclrtRunMode;

typedef enum aclrtTsId {
	ACL_TS_ID_AICORE = 0,
	ACL_TS_ID_AIVECTOR = 1,
	ACL_TS_ID_RESERVED = 2,
} aclrtTsId;

typedef enum aclrtEventStatus {
	ACL_EVENT_STATUS_COMPLETE = 0,
	ACL_EVENT_STATUS_NOT_READY = 1,
	ACL_EVENT_STATUS_RESERVED = 2,
} aclrtEventStatus;

typedef enum aclrtEventRecordedStatus {
	ACL_EVENT_RECORDED_STATUS_NOT_READY = 0,
	ACL_EVENT_RECORDED_STATUS_COMPLETE = 1,
} aclrtEventRecordedStatus;

typedef enum aclrtEventWaitStatus {
	ACL_EVENT_WAIT_STATUS_COMPLETE = 0,
	ACL_EVENT_WAIT_STATUS_NOT_READY = 1,
	ACL_EVENT_WAIT_STATUS_RESERVED = 0xFFFF,
} aclrtEventWaitStatus;

typedef enum aclrtStreamStatus {
	ACL_STREAM_STATUS_COMPLETE = 0,
	ACL_STREAM_STATUS_NOT_READY = 1,
	ACL_STREAM_STATUS_RESERVED = 0xFFFF,
} aclrtStreamStatus;

typedef enum aclrtCallbackBlockType {
	ACL_CALLBACK_NO_BLOCK,
	ACL_CALLBACK_BLOCK,
} aclrtCallbackBlockType;

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

typedef void (*aclrtCallback)(void *userData);

/* ---- callbacks ---- */

/**
 * aclrtSubscribeReport() - thread @threadId (a pthread_t) runs the host
 * callbacks launched on @stream, in aclrtProcessReport. A stream has at
 * most one such thread (ACL_ERROR_REPEAT_SUBSCRIBE).
 */
ACL_FUNC_VISIBILITY aclError aclrtSubscribeReport(uint64_t threadId, aclrtStream stream);

/**
 * aclrtLaunchCallback() - run fn(userData) on the subscribed thread once
 * the stream's earlier tasks are done. ACL_CALLBACK_BLOCK: the stream's
 * later tasks wait until the callback has returned.
 */
ACL_FUNC_VISIBILITY aclError aclrtLaunchCallback(aclrtCallback fn, void *userData,
						 aclrtCallbackBlockType blockType, aclrtStream stream);

/**
 * aclrtProcessReport() - in a subscribed thread: run the callbacks that are
 * due, waiting up to @timeout ms (-1: forever) for one;
 * ACL_ERROR_WAIT_CALLBACK_TIMEOUT when none came
 */
ACL_FUNC_VISIBILITY aclError aclrtProcessReport(int32_t timeout);

/** aclrtUnSubscribeReport() - undo aclrtSubscribeReport; pending callbacks are dropped */
ACL_FUNC_VISIBILITY aclError aclrtUnSubscribeReport(uint64_t threadId, aclrtStream stream);

/* ---- contexts ---- */

/**
 * aclrtCreateContext() - a new context on @deviceId (opened if needed),
 * which becomes the calling thread's current context
 */
ACL_FUNC_VISIBILITY aclError aclrtCreateContext(aclrtContext *context, int32_t deviceId);

/** aclrtDestroyContext() - destroy a context from aclrtCreateContext and its streams */
ACL_FUNC_VISIBILITY aclError aclrtDestroyContext(aclrtContext context);

/** aclrtSetCurrentContext() - make @context the calling thread's (and its device current) */
ACL_FUNC_VISIBILITY aclError aclrtSetCurrentContext(aclrtContext context);

/** aclrtGetCurrentContext() - the calling thread's context; ACL_ERROR_RT_CONTEXT_NULL if none */
ACL_FUNC_VISIBILITY aclError aclrtGetCurrentContext(aclrtContext *context);

/* ---- devices ---- */

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

/** aclrtSynchronizeDevice() - wait for every stream of the current device */
ACL_FUNC_VISIBILITY aclError aclrtSynchronizeDevice(void);

/* ---- events ---- */

/** aclrtCreateEvent() - an event of the current device */
ACL_FUNC_VISIBILITY aclError aclrtCreateEvent(aclrtEvent *event);

/** aclrtCreateEventWithFlag() - as aclrtCreateEvent; @flag: ACL_EVENT_* */
ACL_FUNC_VISIBILITY aclError aclrtCreateEventWithFlag(aclrtEvent *event, uint32_t flag);

ACL_FUNC_VISIBILITY aclError aclrtDestroyEvent(aclrtEvent event);

/** aclrtRecordEvent() - the event completes when @stream's earlier tasks have */
ACL_FUNC_VISIBILITY aclError aclrtRecordEvent(aclrtEvent event, aclrtStream stream);

/** aclrtResetEvent() - the event is no longer recorded */
ACL_FUNC_VISIBILITY aclError aclrtResetEvent(aclrtEvent event, aclrtStream stream);

ACL_DEPRECATED_MESSAGE("aclrtQueryEvent is deprecated, use aclrtQueryEventStatus instead")
ACL_FUNC_VISIBILITY aclError aclrtQueryEvent(aclrtEvent event, aclrtEventStatus *status);

/** aclrtQueryEventStatus() - COMPLETE once its last record ran; NOT_READY before (or never recorded) */
ACL_FUNC_VISIBILITY aclError aclrtQueryEventStatus(aclrtEvent event,
						   aclrtEventRecordedStatus *status);

/** aclrtSynchronizeEvent() - wait until the event's last record ran */
ACL_FUNC_VISIBILITY aclError aclrtSynchronizeEvent(aclrtEvent event);

/** aclrtSynchronizeEventWithTimeout() - @timeout ms, -1 forever, 0 a check */
ACL_FUNC_VISIBILITY aclError aclrtSynchronizeEventWithTimeout(aclrtEvent event, int32_t timeout);

/** aclrtEventElapsedTime() - ms between two completed records, from the card's clock */
ACL_FUNC_VISIBILITY aclError aclrtEventElapsedTime(float *ms, aclrtEvent startEvent,
						   aclrtEvent endEvent);

/* ---- streams ---- */

/** aclrtCreateStream() - a stream (a device queue) of the current context */
ACL_FUNC_VISIBILITY aclError aclrtCreateStream(aclrtStream *stream);

/** aclrtCreateStreamWithConfig() - as aclrtCreateStream; @priority 0..7, @flag ACL_STREAM_* */
ACL_FUNC_VISIBILITY aclError aclrtCreateStreamWithConfig(aclrtStream *stream, uint32_t priority,
							 uint32_t flag);

/** aclrtDestroyStream() - after its tasks are done */
ACL_FUNC_VISIBILITY aclError aclrtDestroyStream(aclrtStream stream);

/** aclrtDestroyStreamForce() - aborting its unfinished tasks */
ACL_FUNC_VISIBILITY aclError aclrtDestroyStreamForce(aclrtStream stream);

/** aclrtSynchronizeStream() - wait for @stream's tasks (NULL: the default stream) */
ACL_FUNC_VISIBILITY aclError aclrtSynchronizeStream(aclrtStream stream);

/** aclrtSynchronizeStreamWithTimeout() - @timeout ms, -1 forever; ACL_ERROR_RT_STREAM_SYNC_TIMEOUT */
ACL_FUNC_VISIBILITY aclError aclrtSynchronizeStreamWithTimeout(aclrtStream stream, int32_t timeout);

/** aclrtStreamQuery() - ACL_STREAM_STATUS_COMPLETE when every task is done */
ACL_FUNC_VISIBILITY aclError aclrtStreamQuery(aclrtStream stream, aclrtStreamStatus *status);

/** aclrtStreamWaitEvent() - @stream's later tasks wait until @event completes */
ACL_FUNC_VISIBILITY aclError aclrtStreamWaitEvent(aclrtStream stream, aclrtEvent event);

/* ---- memory ---- */

/**
 * aclrtMalloc() - allocate @size bytes of device memory on the current
 * device (zeroed, page aligned). @policy chooses the page size: HUGE_FIRST
 * 2 MiB pages when it can (4 KiB up to 1 MiB), HUGE_ONLY (and HUGE1G) 2 MiB
 * pages or ACL_ERROR_RT_MEMORY_ALLOCATION, NORMAL_ONLY 4 KiB pages.
 */
ACL_FUNC_VISIBILITY aclError aclrtMalloc(void **devPtr, size_t size, aclrtMemMallocPolicy policy);

/** aclrtMallocAlign32() - as aclrtMalloc (allocations are page aligned) */
ACL_FUNC_VISIBILITY aclError aclrtMallocAlign32(void **devPtr, size_t size,
						aclrtMemMallocPolicy policy);

/** aclrtMallocCached() - as aclrtMalloc */
ACL_FUNC_VISIBILITY aclError aclrtMallocCached(void **devPtr, size_t size,
					       aclrtMemMallocPolicy policy);

/** aclrtFree() - free memory from aclrtMalloc */
ACL_FUNC_VISIBILITY aclError aclrtFree(void *devPtr);

/**
 * aclrtMallocHost() - @size bytes of host memory pinned for the cards
 * (copies to and from it need no staging)
 */
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
 * aclrtMemcpyAsync() - as aclrtMemcpy, queued on @stream (NULL: the default
 * stream); the data is there once the stream (or an event recorded after
 * it) has been synchronized
 */
ACL_FUNC_VISIBILITY aclError aclrtMemcpyAsync(void *dst, size_t destMax, const void *src,
					      size_t count, aclrtMemcpyKind kind, aclrtStream stream);

/**
 * aclrtMemset() - set @count bytes at @devPtr (device or host memory, told
 * apart by the address) to the low byte of @value
 * @maxCount: bytes available at @devPtr; @count above it is an error
 */
ACL_FUNC_VISIBILITY aclError aclrtMemset(void *devPtr, size_t maxCount, int32_t value, size_t count);

/** aclrtMemsetAsync() - as aclrtMemset, queued on @stream */
ACL_FUNC_VISIBILITY aclError aclrtMemsetAsync(void *devPtr, size_t maxCount, int32_t value,
					      size_t count, aclrtStream stream);

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

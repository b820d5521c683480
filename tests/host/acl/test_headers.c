// SPDX-License-Identifier: MIT
/*
 * The public headers carry CANN's numbers and signatures. Every value is
 * checked twice: at compile time (a wrong value does not build) and at run
 * time (one TAP line each). Every function is assigned to a pointer of
 * CANN's exact type, so a wrong signature does not build either.
 */
#include "acl/acl.h"
#include "tap.h"

#define VALUES(X)                                        \
	X(ACL_SUCCESS, 0)                                \
	X(ACL_ERROR_NONE, 0)                             \
	X(ACL_ERROR_INVALID_PARAM, 100000)               \
	X(ACL_ERROR_UNINITIALIZE, 100001)                \
	X(ACL_ERROR_REPEAT_INITIALIZE, 100002)           \
	X(ACL_ERROR_INVALID_FILE, 100003)                \
	X(ACL_ERROR_REPEAT_FINALIZE, 100037)             \
	X(ACL_ERROR_BAD_ALLOC, 200000)                   \
	X(ACL_ERROR_API_NOT_SUPPORT, 200001)             \
	X(ACL_ERROR_INVALID_DEVICE, 200002)              \
	X(ACL_ERROR_FEATURE_UNSUPPORTED, 200006)         \
	X(ACL_ERROR_STORAGE_OVER_LIMIT, 300000)          \
	X(ACL_ERROR_INTERNAL_ERROR, 500000)              \
	X(ACL_ERROR_FAILURE, 500001)                     \
	X(ACL_ERROR_RT_FAILURE, 500003)                  \
	X(ACL_ERROR_DRV_FAILURE, 500004)                 \
	X(ACL_RT_SUCCESS, 0)                             \
	X(ACL_ERROR_RT_PARAM_INVALID, 107000)            \
	X(ACL_ERROR_RT_INVALID_DEVICEID, 107001)         \
	X(ACL_ERROR_RT_CONTEXT_NULL, 107002)             \
	X(ACL_ERROR_RT_FEATURE_NOT_SUPPORT, 207000)      \
	X(ACL_ERROR_RT_MEMORY_ALLOCATION, 207001)        \
	X(ACL_ERROR_RT_MEMORY_FREE, 207002)              \
	X(ACL_ERROR_RT_NO_DEVICE, 207004)                \
	X(ACL_ERROR_RT_NO_PERMISSION, 207006)            \
	X(ACL_ERROR_RT_DEVICE_OOM, 207018)               \
	X(ACL_ERROR_RT_DEVIDE_OOM, 207018)               \
	X(ACL_ERROR_RT_TIMEOUT, 207020)                  \
	X(ACL_ERROR_RT_INTERNAL_ERROR, 507000)           \
	X(ACL_ERROR_RT_SYS_DMA, 507013)                  \
	X(ACL_ERROR_RT_AICORE_EXCEPTION, 507015)         \
	X(ACL_ERROR_RT_DEV_SETUP_ERROR, 507033)          \
	X(ACL_ERROR_RT_STREAM_SYNC_TIMEOUT, 507046)      \
	X(ACL_ERROR_RT_DRV_INTERNAL_ERROR, 507899)       \
	X(ACL_DT_UNDEFINED, -1)                          \
	X(ACL_FLOAT, 0)                                  \
	X(ACL_FLOAT16, 1)                                \
	X(ACL_INT8, 2)                                   \
	X(ACL_INT32, 3)                                  \
	X(ACL_UINT8, 4)                                  \
	X(ACL_INT16, 6)                                  \
	X(ACL_UINT16, 7)                                 \
	X(ACL_UINT32, 8)                                 \
	X(ACL_INT64, 9)                                  \
	X(ACL_UINT64, 10)                                \
	X(ACL_DOUBLE, 11)                                \
	X(ACL_BOOL, 12)                                  \
	X(ACL_STRING, 13)                                \
	X(ACL_COMPLEX64, 16)                             \
	X(ACL_COMPLEX128, 17)                            \
	X(ACL_BF16, 27)                                  \
	X(ACL_INT4, 29)                                  \
	X(ACL_COMPLEX32, 33)                             \
	X(ACL_HIFLOAT4_SCALE, 43)                        \
	X(ACL_FORMAT_UNDEFINED, -1)                      \
	X(ACL_FORMAT_NCHW, 0)                            \
	X(ACL_FORMAT_NHWC, 1)                            \
	X(ACL_FORMAT_ND, 2)                              \
	X(ACL_FORMAT_NC1HWC0, 3)                         \
	X(ACL_FORMAT_FRACTAL_Z, 4)                       \
	X(ACL_FORMAT_FRACTAL_NZ, 29)                     \
	X(ACL_FORMAT_NCL, 47)                            \
	X(ACL_MEMCPY_HOST_TO_HOST, 0)                    \
	X(ACL_MEMCPY_HOST_TO_DEVICE, 1)                  \
	X(ACL_MEMCPY_DEVICE_TO_HOST, 2)                  \
	X(ACL_MEMCPY_DEVICE_TO_DEVICE, 3)                \
	X(ACL_MEMCPY_DEFAULT, 4)                         \
	X(ACL_MEMCPY_INTER_DEVICE_TO_DEVICE, 7)          \
	X(ACL_MEM_MALLOC_HUGE_FIRST, 0)                  \
	X(ACL_MEM_MALLOC_HUGE_ONLY, 1)                   \
	X(ACL_MEM_MALLOC_NORMAL_ONLY, 2)                 \
	X(ACL_MEM_MALLOC_HUGE1G_ONLY_P2P, 7)             \
	X(ACL_MEM_TYPE_LOW_BAND_WIDTH, 0x100)            \
	X(ACL_MEM_TYPE_HIGH_BAND_WIDTH, 0x1000)          \
	X(ACL_MEM_ACCESS_USER_SPACE_READONLY, 0x100000)  \
	X(ACL_DDR_MEM, 0)                                \
	X(ACL_HBM_MEM, 1)                                \
	X(ACL_HBM_MEM_NORMAL, 5)                         \
	X(ACL_HBM_MEM_P2P_NORMAL, 9)                     \
	X(ACL_MEM_P2P_HUGE1G, 17)                        \
	X(ACL_DEVICE, 0)                                 \
	X(ACL_HOST, 1)

#define STATIC_CHECK(name, value) _Static_assert((name) == (value), #name " must be " #value);
VALUES(STATIC_CHECK)

_Static_assert(sizeof(aclError) == sizeof(int), "aclError is int");
_Static_assert(sizeof(aclFloat16) == 2, "aclFloat16 is 16 bits");
_Static_assert(sizeof(aclDataType) == sizeof(int), "enums are int-sized");

/* CANN's signatures: a mismatch is an incompatible-pointer error. */
static aclError (*const p_init)(const char *) = aclInit;
static aclError (*const p_finalize)(void) = aclFinalize;
static aclError (*const p_version)(int32_t *, int32_t *, int32_t *) = aclrtGetVersion;
static const char *(*const p_errmsg)(void) = aclGetRecentErrMsg;
static const char *(*const p_soc)(void) = aclrtGetSocName;
static aclError (*const p_count)(uint32_t *) = aclrtGetDeviceCount;
static aclError (*const p_set)(int32_t) = aclrtSetDevice;
static aclError (*const p_reset)(int32_t) = aclrtResetDevice;
static aclError (*const p_get)(int32_t *) = aclrtGetDevice;
static aclError (*const p_mode)(aclrtRunMode *) = aclrtGetRunMode;
static aclError (*const p_malloc)(void **, size_t, aclrtMemMallocPolicy) = aclrtMalloc;
static aclError (*const p_free)(void *) = aclrtFree;
static aclError (*const p_mhost)(void **, size_t) = aclrtMallocHost;
static aclError (*const p_fhost)(void *) = aclrtFreeHost;
static aclError (*const p_memcpy)(void *, size_t, const void *, size_t, aclrtMemcpyKind) =
	aclrtMemcpy;
static aclError (*const p_memset)(void *, size_t, int32_t, size_t) = aclrtMemset;
static aclError (*const p_meminfo)(aclrtMemAttr, size_t *, size_t *) = aclrtGetMemInfo;

int main(void)
{
	const void *fns[] = {
		(const void *)p_init, (const void *)p_finalize, (const void *)p_version,
		(const void *)p_errmsg, (const void *)p_soc, (const void *)p_count,
		(const void *)p_set, (const void *)p_reset, (const void *)p_get,
		(const void *)p_mode, (const void *)p_malloc, (const void *)p_free,
		(const void *)p_mhost, (const void *)p_fhost, (const void *)p_memcpy,
		(const void *)p_memset, (const void *)p_meminfo,
	};
	unsigned int i, linked = 0;

#define RUNTIME_CHECK(name, value) TAP_CHECK((long long)(name) == (value), "%s == %s", #name, #value);
	VALUES(RUNTIME_CHECK)

	for (i = 0; i < sizeof(fns) / sizeof(fns[0]); i++)
		linked += fns[i] != NULL;
	TAP_CHECK(linked == sizeof(fns) / sizeof(fns[0]),
		  "all %u API functions have CANN's signature and link", linked);
	return tap_done();
}

/* SPDX-License-Identifier: MIT */
/*
 * libascend_hal: the thin layer between the AscendCL runtime and vascend's
 * device nodes. It is the only code in userspace that opens /dev/davinciN or
 * issues ioctls (include/uapi/vascend_davinci.h is its contract with the
 * kernel).
 *
 * Calls that CANN's driver API (ascend_hal.h, "drv"/"hal" prefixes) also has
 * keep CANN's name, signature and drvError_t values; calls only vascend has
 * are named halVascend*. Device ids are N of /dev/davinciN, as in CANN.
 *
 * Every failing call records, for the calling thread, why it failed (the
 * node, the ioctl, errno): halVascendLastErrorMsg() and halVascendLastErrno()
 * return it, so the runtime can tell the user what went wrong.
 */
#ifndef ASCEND_HAL_H
#define ASCEND_HAL_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef DLLEXPORT
#define DLLEXPORT __attribute__((visibility("default")))
#endif

/* CANN's driver error numbers. */
typedef enum tagDrvError {
	DRV_ERROR_NONE = 0,
	DRV_ERROR_NO_DEVICE = 1,
	DRV_ERROR_INVALID_DEVICE = 2,
	DRV_ERROR_INVALID_VALUE = 3,
	DRV_ERROR_INVALID_HANDLE = 4,
	DRV_ERROR_INVALID_MALLOC_TYPE = 5,
	DRV_ERROR_OUT_OF_MEMORY = 6,
	DRV_ERROR_INNER_ERR = 7,
	DRV_ERROR_PARA_ERROR = 8,
	DRV_ERROR_UNINIT = 9,
	DRV_ERROR_REPEATED_INIT = 10,
	DRV_ERROR_NOT_EXIST = 11,
	DRV_ERROR_REPEATED_USERD = 12,
	DRV_ERROR_BUSY = 13,
	DRV_ERROR_NO_RESOURCES = 14,
	DRV_ERROR_OUT_OF_CMD_SLOT = 15,
	DRV_ERROR_WAIT_TIMEOUT = 16,
	DRV_ERROR_IOCRL_FAIL = 17,
	DRV_ERROR_SOCKET_CREATE = 18,
	DRV_ERROR_SOCKET_CONNECT = 19,
	DRV_ERROR_SOCKET_BIND = 20,
	DRV_ERROR_SOCKET_LISTEN = 21,
	DRV_ERROR_SOCKET_ACCEPT = 22,
	DRV_ERROR_CLIENT_BUSY = 23,
	DRV_ERROR_SOCKET_SET = 24,
	DRV_ERROR_SOCKET_CLOSE = 25,
	DRV_ERROR_RECV_MESG = 26,
	DRV_ERROR_SEND_MESG = 27,
	DRV_ERROR_SERVER_BUSY = 28,
	DRV_ERROR_CONFIG_READ_FAIL = 29,
	DRV_ERROR_STATUS_FAIL = 30,
	DRV_ERROR_SERVER_CREATE_FAIL = 31,
	DRV_ERROR_WAIT_INTERRUPT = 32,
	DRV_ERROR_BUS_DOWN = 33,
	DRV_ERROR_DEVICE_NOT_READY = 34,
	DRV_ERROR_REMOTE_NOT_LISTEN = 35,
	DRV_ERROR_NON_BLOCK = 36,
	DRV_ERROR_OVER_LIMIT = 37,
	DRV_ERROR_FILE_OPS = 38,
	DRV_ERROR_MBIND_FAIL = 39,
	DRV_ERROR_MALLOC_FAIL = 40,
	DRV_ERROR_REPEATED_SUBSCRIBED = 41,
	DRV_ERROR_PROCESS_EXIT = 42,
	DRV_ERROR_DEV_PROCESS_HANG = 43,
	DRV_ERROR_REMOTE_NO_SESSION = 44,
	DRV_ERROR_HOT_RESET_IN_PROGRESS = 45,
	DRV_ERROR_OPER_NOT_PERMITTED = 46,
	DRV_ERROR_NO_EVENT_RESOURCES = 47,
	DRV_ERROR_NO_STREAM_RESOURCES = 48,
	DRV_ERROR_NO_NOTIFY_RESOURCES = 49,
	DRV_ERROR_NO_MODEL_RESOURCES = 50,
	DRV_ERROR_TRY_AGAIN = 51,
	DRV_ERROR_DST_PATH_ILLEGAL = 52,
	DRV_ERROR_OPEN_FAILED = 53,
	DRV_ERROR_NO_FREE_SPACE = 54,
	DRV_ERROR_LOCAL_ABNORMAL_FILE = 55,
	DRV_ERROR_DST_PERMISSION_DENIED = 56,
	DRV_ERROR_DST_NO_SUCH_FILE = 57,
	DRV_ERROR_MEMORY_OPT_FAIL = 58,
	DRV_ERROR_RUNTIME_ON_OTHER_PLAT = 59,
	DRV_ERROR_SQID_FULL = 60,
	DRV_ERROR_SERVER_HAS_BEEN_CREATED = 61,
	DRV_ERROR_NO_PROCESS = 62,
	DRV_ERROR_NO_SUBSCRIBE_THREAD = 63,
	DRV_ERROR_NON_SCHED_GRP_MUL_THREAD = 64,
	DRV_ERROR_NO_GROUP = 65,
	DRV_ERROR_GROUP_EXIST = 66,
	DRV_ERROR_THREAD_EXCEEDS_SPEC = 67,
	DRV_ERROR_THREAD_NOT_RUNNIG = 68,
	DRV_ERROR_PROCESS_NOT_MATCH = 69,
	DRV_ERROR_EVENT_NOT_MATCH = 70,
	DRV_ERROR_PROCESS_REPEAT_ADD = 71,
	DRV_ERROR_GROUP_NON_SCHED = 72,
	DRV_ERROR_NO_EVENT = 73,
	DRV_ERROR_COPY_USER_FAIL = 74,
	DRV_ERROR_QUEUE_EMPTY = 75,
	DRV_ERROR_QUEUE_FULL = 76,
	DRV_ERROR_RUN_IN_ILLEGAL_CPU = 77,
	DRV_ERROR_SUBSCRIBE_THREAD_TIMEOUT = 78,
	DRV_ERROR_BAD_ADDRESS = 79,
	DRV_ERROR_DST_FILE_IS_BEING_WRITTEN = 80,
	DRV_ERROR_EPOLL_CLOSE = 81,
	DRV_ERROR_NOT_SUPPORT = 0xfffe,
	DRV_ERROR_RESERVED,
} drvError_t;

/* Device ids this library handles: /dev/davinci0 .. /dev/davinci63. */
#define HAL_VASCEND_MAX_DEVICES		64

/* What halGetAPIVersion reports: major << 16 | minor of this library. */
#define HAL_VASCEND_API_VERSION		((1 << 16) | 0)

/* ---- Calls CANN's driver API also has ---- */

/** drvGetDevNum() - number of /dev/davinciN nodes (0 is not an error) */
DLLEXPORT drvError_t drvGetDevNum(uint32_t *num_dev);

/**
 * drvGetDevIDs() - ids of the present devices, ascending; ids may have gaps
 * @len: room in @devices; less than drvGetDevNum() is DRV_ERROR_INVALID_VALUE
 */
DLLEXPORT drvError_t drvGetDevIDs(uint32_t *devices, uint32_t len);

/**
 * drvDeviceOpen() - open /dev/davinci@devId for this process, or take one
 * more reference when it is already open. Checks that the driver speaks
 * this library's uapi major version.
 * @devInfo: may be NULL; otherwise set to NULL (vascend has no per-open
 * handle to give)
 */
DLLEXPORT drvError_t drvDeviceOpen(void **devInfo, uint32_t devId);

/** drvDeviceClose() - drop one drvDeviceOpen reference; the last closes */
DLLEXPORT drvError_t drvDeviceClose(uint32_t devId);

/** halGetSocVersion() - the device's SoC name, NUL-terminated, in @socVersion */
DLLEXPORT drvError_t halGetSocVersion(uint32_t devId, char *socVersion, uint32_t len);

/** halGetAPIVersion() - HAL_VASCEND_API_VERSION */
DLLEXPORT drvError_t halGetAPIVersion(int *halAPIVersion);

/* ---- vascend-only calls ---- */

#define HAL_VASCEND_SOC_NAME_MAX	32
/* Capability bits in halVascendDeviceInfo.caps (the driver's VASCEND_CAP_*). */
#define HAL_VASCEND_CAP_DMA_XFER	(1ULL << 0)

/* One card as its driver describes it. */
struct halVascendDeviceInfo {
	uint32_t devId;		/* N of /dev/davinciN */
	uint32_t uapiVersion;	/* major << 16 | minor the driver speaks */
	uint32_t aicoreCount;
	uint32_t fwVersion;	/* running firmware: major << 16 | minor << 8 | patch */
	uint64_t hbmSize;	/* device memory in bytes */
	uint64_t caps;		/* HAL_VASCEND_CAP_* */
	uint32_t pciDomain;
	uint8_t pciBus;
	uint8_t pciDevfn;
	uint16_t pciVendor;
	uint16_t pciDevice;
	char socName[HAL_VASCEND_SOC_NAME_MAX];	/* NUL-terminated */
};

/**
 * halVascendGetInfo() - describe device @devId; works whether or not the
 * device is open (it is opened briefly when not)
 */
DLLEXPORT drvError_t halVascendGetInfo(uint32_t devId, struct halVascendDeviceInfo *info);

typedef enum halVascendDmaDir {
	HAL_VASCEND_DMA_TO_DEVICE = 1,		/* host memory -> HBM */
	HAL_VASCEND_DMA_FROM_DEVICE = 2,	/* HBM -> host memory */
} halVascendDmaDir;

/**
 * halVascendDmaXfer() - copy @size bytes between @hostAddr and byte offset
 * @devAddr of device @devId's HBM with the card's DMA engine; returns when
 * the copy is complete. The device must be open (drvDeviceOpen).
 */
DLLEXPORT drvError_t halVascendDmaXfer(uint32_t devId, void *hostAddr, uint64_t devAddr,
				       uint64_t size, halVascendDmaDir dir);

/**
 * halVascendLastErrorMsg() - why the calling thread's last failing HAL call
 * failed, e.g. "/dev/davinci3: No such file or directory". Never NULL;
 * "no error" when nothing failed yet. Valid until the thread's next HAL call.
 */
DLLEXPORT const char *halVascendLastErrorMsg(void);

/** halVascendLastErrno() - errno behind that failure, 0 when there was none */
DLLEXPORT int halVascendLastErrno(void);

#ifdef __cplusplus
}
#endif

#endif /* ASCEND_HAL_H */

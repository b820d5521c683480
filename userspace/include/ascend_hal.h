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
#define HAL_VASCEND_CAP_DMA_XFER	(1ULL << 0)	/* halVascendDmaXfer */
#define HAL_VASCEND_CAP_STREAMS		(1ULL << 1)	/* halVascendStream* */
#define HAL_VASCEND_CAP_URING_CMD	(1ULL << 2)	/* halVascendUring* */
#define HAL_VASCEND_CAP_SVM		(1ULL << 3)	/* halMemAlloc, halHostRegister */
#define HAL_VASCEND_CAP_HDC		(1ULL << 4)	/* halVascendHdc* */

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
 * the copy is complete. The device must be open (drvDeviceOpen). The
 * bring-up path: it knows nothing of halMemAlloc's memory.
 */
DLLEXPORT drvError_t halVascendDmaXfer(uint32_t devId, void *hostAddr, uint64_t devAddr,
				       uint64_t size, halVascendDmaDir dir);

/* ---- Device memory and shared virtual addressing (/dev/devmm_svm) ----
 *
 * Device memory lives at addresses of this process's SVM window (mapped by
 * the first call that needs it, once per process); a pointer means the
 * same to the process and the card, but the host cannot dereference it
 * (SIGBUS). Registered host memory is pinned and mapped for the card at its
 * own address.
 */

/* halMemAlloc's flag: the card and the page policy (aclrtMemMallocPolicy's first three). */
#define HAL_VASCEND_MEM_HUGE_FIRST	0
#define HAL_VASCEND_MEM_HUGE_ONLY	1
#define HAL_VASCEND_MEM_NORMAL_ONLY	2
#define HAL_VASCEND_MEM_FLAG(devId, policy) \
	(((unsigned long long)(devId) << 32) | (unsigned long long)(policy))

/**
 * halMemAlloc() - @size bytes of device memory (CANN's call; @flag is
 * HAL_VASCEND_MEM_FLAG(devId, policy)). The device need not be open.
 * DRV_ERROR_OUT_OF_MEMORY when the card has no block that large (the
 * message says how much is free).
 */
DLLEXPORT drvError_t halMemAlloc(void **pp, unsigned long long size, unsigned long long flag);

/** halMemFree() - free memory from halMemAlloc (its start address) */
DLLEXPORT drvError_t halMemFree(void *pp);

/* halHostRegister's flag: the card may only read the memory. */
#define HAL_VASCEND_HOST_REG_READONLY	(1u << 16)

/**
 * halHostRegister() - pin [@srcPtr, @srcPtr + @size) (4 KiB aligned, a
 * multiple of 4 KiB) and map it for card @devid at the same address
 * (*@dstPtr = @srcPtr). @flag: 0 or HAL_VASCEND_HOST_REG_READONLY.
 * DRV_ERROR_REPEATED_USERD when it overlaps a registration on that card.
 */
DLLEXPORT drvError_t halHostRegister(void *srcPtr, uint64_t size, uint32_t flag, uint32_t devid,
				     void **dstPtr);

/** halHostUnregister() - undo halHostRegister (@srcPtr as registered) */
DLLEXPORT drvError_t halHostUnregister(void *srcPtr, uint32_t devid);

/* What the card and the driver say about device memory. */
struct halVascendMemInfo {
	uint64_t total;		/* HBM bytes on the card */
	uint64_t free;		/* HBM bytes free (all processes) */
	uint64_t largest;	/* largest free contiguous block */
	uint64_t procHbm;	/* device memory this process holds on the card */
	uint64_t procPinned;	/* host memory this process registered for it */
	uint64_t windowBase;	/* this process's SVM window (0: none yet) */
	uint64_t windowSize;
};

/** halVascendMemQuery() - device memory figures of card @devId */
DLLEXPORT drvError_t halVascendMemQuery(uint32_t devId, struct halVascendMemInfo *info);

/**
 * halVascendMemLookup() - the live halMemAlloc allocation containing @ptr:
 * its start, size and card. When none does: DRV_ERROR_NOT_EXIST if @ptr is
 * in the SVM window (a stale device pointer: freed, or its device reset),
 * else DRV_ERROR_INVALID_VALUE (host memory).
 */
DLLEXPORT drvError_t halVascendMemLookup(const void *ptr, void **base, uint64_t *size,
					 uint32_t *devId);

/**
 * halVascendMemFreeAll() - free every halMemAlloc allocation and undo every
 * halHostRegister of card @devId (a runtime resetting its device)
 */
DLLEXPORT drvError_t halVascendMemFreeAll(uint32_t devId);

/**
 * halVascendSvmRelease() - once nothing is allocated or registered any
 * more: unmap the window and close /dev/devmm_svm (the next call maps a new
 * one). DRV_ERROR_BUSY while memory is live.
 */
DLLEXPORT drvError_t halVascendSvmRelease(void);

/* ---- Streams (/dev/davinciN, HAL_VASCEND_CAP_STREAMS) ----
 *
 * A stream is a device queue: its tasks (struct vascend_task of
 * include/uapi/vascend_davinci.h) run in order; streams run concurrently.
 * Tasks are numbered per stream from 1 (seq). The device must be open.
 */
struct vascend_task;

/** halVascendStreamCreate() - a stream of @depth entries (0: the driver's default) */
DLLEXPORT drvError_t halVascendStreamCreate(uint32_t devId, uint32_t depth, uint32_t *streamId);
/** halVascendStreamDestroy() - abort the stream's unfinished tasks and free it */
DLLEXPORT drvError_t halVascendStreamDestroy(uint32_t devId, uint32_t streamId);
/** halVascendStreamReset() - abort unfinished tasks, clear the stream's failure */
DLLEXPORT drvError_t halVascendStreamReset(uint32_t devId, uint32_t streamId);

/* halVascendStreamSubmit's flags */
#define HAL_VASCEND_SUBMIT_NONBLOCK	(1u << 0)	/* DRV_ERROR_TRY_AGAIN instead of sleeping */

/**
 * halVascendStreamSubmit() - queue @count tasks (any number; sent in
 * batches of the driver's maximum); *@seq = the last one's seq. A stream
 * with an unreset failure refuses: DRV_ERROR_STATUS_FAIL.
 */
DLLEXPORT drvError_t halVascendStreamSubmit(uint32_t devId, uint32_t streamId,
					    const struct vascend_task *tasks, uint32_t count,
					    uint32_t flags, uint64_t *seq);

/* What a stream wait reports. */
struct halVascendStreamStatus {
	uint64_t completed;	/* seq of the last completed task */
	uint32_t status;	/* 0 healthy, else VASCEND_CQE_STATUS_* of the first failed task */
	uint32_t errInfo;	/* that task's detail (MMU fault access/reason, op operand) */
	uint64_t errSeq;	/* its seq */
	uint64_t errResult;	/* its result (e.g. the faulting address) */
	uint64_t startTs;	/* device clock (ns) when task @completed started */
	uint64_t endTs;		/* ... and ended */
};

#define HAL_VASCEND_WAIT_FOREVER	0xffffffffu

/**
 * halVascendStreamWait() - wait until task @seq (0: all submitted) has
 * completed or the stream failed (@st->status says which), at most
 * @timeoutMs (0: a query; HAL_VASCEND_WAIT_FOREVER). DRV_ERROR_WAIT_TIMEOUT
 * when the time ran out; @st is filled then too.
 */
DLLEXPORT drvError_t halVascendStreamWait(uint32_t devId, uint32_t streamId, uint64_t seq,
					  uint32_t timeoutMs, struct halVascendStreamStatus *st);

/** halVascendStreamSetEventfd() - signal eventfd @fd on the stream's completions; -1 detaches */
DLLEXPORT drvError_t halVascendStreamSetEventfd(uint32_t devId, uint32_t streamId, int fd);

/**
 * halVascendDevicePollFd() - the fd to poll() for the device's streams
 * (POLLIN: completions not yet reported by a wait; POLLPRI: a failure).
 * The fake backend has none (DRV_ERROR_NOT_SUPPORT): use an eventfd.
 */
DLLEXPORT drvError_t halVascendDevicePollFd(uint32_t devId, int *fd);

/* ---- io_uring submission (HAL_VASCEND_CAP_URING_CMD) ----
 *
 * For completion-driven callers with many batches in flight: each
 * halVascendUringSubmit queues one batch on a stream and completes, in
 * halVascendUringReap, when the batch's last task has. A ring belongs to
 * one device and one thread at a time. Real devices only.
 */
struct halVascendUring;

DLLEXPORT drvError_t halVascendUringCreate(uint32_t devId, uint32_t entries,
					   struct halVascendUring **ring);
DLLEXPORT void halVascendUringDestroy(struct halVascendUring *ring);

/**
 * halVascendUringSubmit() - queue one batch (1..256 tasks, read during this
 * call) on @streamId; @userData comes back with its completion
 */
DLLEXPORT drvError_t halVascendUringSubmit(struct halVascendUring *ring, uint32_t streamId,
					   const struct vascend_task *tasks, uint32_t count,
					   uint64_t userData);

/**
 * halVascendUringReap() - one completion: *@userData and *@res (0, or
 * -errno: -EIO the stream failed, -ECANCELED reset/destroyed). @wait: block
 * until one arrives; else DRV_ERROR_TRY_AGAIN when none is there.
 */
DLLEXPORT drvError_t halVascendUringReap(struct halVascendUring *ring, int wait,
					 uint64_t *userData, int *res);

/* ---- The firmware's op table ---- */

#define HAL_VASCEND_OP_NAME_MAX		24

struct halVascendOpEntry {
	uint32_t opId;		/* what KERNEL_LAUNCH names */
	uint32_t version;
	char name[HAL_VASCEND_OP_NAME_MAX];	/* CANN op type, NUL-terminated */
};

/**
 * halVascendGetOpTable() - the running firmware's op table: up to @len
 * entries into @entries, *@count = entries the firmware has (may exceed
 * @len; @entries may be NULL with @len 0 to ask the size).
 */
DLLEXPORT drvError_t halVascendGetOpTable(uint32_t devId, struct halVascendOpEntry *entries,
					  uint32_t len, uint32_t *count);

/* ---- Management (/dev/davinci_manager): what npu-smi shows ---- */

/** halVascendMgrCards() - ids of the cards present, ascending; *@count of them */
DLLEXPORT drvError_t halVascendMgrCards(uint32_t *ids, uint32_t len, uint32_t *count);

#define HAL_VASCEND_CARD_OK		0
#define HAL_VASCEND_CARD_RESETTING	1
#define HAL_VASCEND_CARD_DEAD		2

struct halVascendHealth {
	uint32_t state;		/* HAL_VASCEND_CARD_* */
	uint32_t fwStatus;
	uint32_t fatalStatus;
	uint32_t resetCount;	/* recoveries since the driver bound the card */
	uint32_t lastResetCause;
};

DLLEXPORT drvError_t halVascendMgrHealth(uint32_t devId, struct halVascendHealth *health);

struct halVascendTelemetry {
	uint32_t utilization;	/* AI Core, per mille over the last second */
	uint32_t temperatureMc;	/* millidegrees Celsius */
	uint32_t powerMw;	/* milliwatts */
	uint32_t aicoreCount;
	uint64_t hbmTotal;
	uint64_t hbmUsed;	/* all processes */
	uint64_t aicoreBusyNs;
	uint64_t tasksCompleted;
};

DLLEXPORT drvError_t halVascendMgrTelemetry(uint32_t devId, struct halVascendTelemetry *t);

struct halVascendProc {
	int32_t pid;
	uint32_t streams;
	uint64_t hbmBytes;
	uint64_t pinnedBytes;
};

/** halVascendMgrProcs() - processes using card @devId: up to @len into @procs, *@count in all */
DLLEXPORT drvError_t halVascendMgrProcs(uint32_t devId, struct halVascendProc *procs,
					uint32_t len, uint32_t *count);

/** halVascendMgrReset() - recover card @devId now (needs CAP_SYS_ADMIN) */
DLLEXPORT drvError_t halVascendMgrReset(uint32_t devId);

/* ---- HDC sessions (/dev/hisi_hdc, HAL_VASCEND_CAP_HDC) ---- */

#define HAL_VASCEND_HDC_ECHO	1
#define HAL_VASCEND_HDC_MGMT	2
#define HAL_VASCEND_HDC_LOG	3
#define HAL_VASCEND_HDC_FILE	4

/** halVascendHdcConnect() - a session with @service of card @devId; *@session is its handle */
DLLEXPORT drvError_t halVascendHdcConnect(uint32_t devId, uint32_t service, uint32_t timeoutMs,
					  int *session);
/** halVascendHdcSend() - one message of @len bytes */
DLLEXPORT drvError_t halVascendHdcSend(int session, const void *buf, size_t len);
/**
 * halVascendHdcRecv() - the next message, whole, into @buf; *@got its
 * size (0: the service closed the session). DRV_ERROR_PARA_ERROR when @len
 * is too small (the message stays queued; halVascendHdcStatus's nextLen).
 */
DLLEXPORT drvError_t halVascendHdcRecv(int session, void *buf, size_t len, size_t *got);

struct halVascendHdcStatus {
	uint32_t state;		/* 0 idle, 1 open, 2 closed */
	uint32_t closeReason;
	uint32_t queued;	/* messages waiting */
	uint32_t nextLen;	/* size of the next one */
	uint32_t credits;	/* messages that may be sent without waiting */
};

DLLEXPORT drvError_t halVascendHdcStatus(int session, struct halVascendHdcStatus *st);
/** halVascendHdcSetTimeout() - bound blocking receives and sends (ms, 0: none) */
DLLEXPORT drvError_t halVascendHdcSetTimeout(int session, uint32_t recvMs, uint32_t sendMs);
DLLEXPORT drvError_t halVascendHdcClose(int session);

/**
 * halVascendLastErrorMsg() - why the calling thread's last failing HAL call
 * failed, e.g. "/dev/davinci3: No such file or directory". Never NULL;
 * "no error" when nothing failed yet. Valid until the thread's next HAL call.
 */
DLLEXPORT const char *halVascendLastErrorMsg(void);

/** halVascendBackend() - "linux" (the kernel driver), "fake" (tests), or NULL when misconfigured */
DLLEXPORT const char *halVascendBackend(void);

/** halVascendLastErrno() - errno behind that failure, 0 when there was none */
DLLEXPORT int halVascendLastErrno(void);

#ifdef __cplusplus
}
#endif

#endif /* ASCEND_HAL_H */

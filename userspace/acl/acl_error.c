// SPDX-License-Identifier: MIT
/*
 * The calling thread's most recent error message, and the mappings from
 * the layers below to AscendCL codes: HAL errors (drvError_t, with the
 * driver's errno behind them) and device statuses (VASCEND_CQE_STATUS_*).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "vascend_queue_hw.h"

#include "acl_error.h"
#include "acl_log.h"

#define ACL_ERR_MSG_MAX 1024

/* Written on failure, moved to recent_read when the thread reads it. */
static _Thread_local char recent[ACL_ERR_MSG_MAX];
static _Thread_local bool recent_set;
static _Thread_local char recent_read[ACL_ERR_MSG_MAX];

const char *acl_errno_name(int err)
{
	static _Thread_local char buf[24];

	switch (err) {
#define E(x) case x: return #x
	E(EPERM); E(ENOENT); E(EINTR); E(EIO); E(ENXIO); E(EBADF); E(EAGAIN); E(ENOMEM);
	E(EACCES); E(EFAULT); E(EBUSY); E(EEXIST); E(ENODEV); E(EINVAL); E(EMFILE);
	E(ENOTTY); E(ENOSPC); E(EPIPE); E(ETIMEDOUT); E(ECANCELED); E(EOVERFLOW);
	E(EMSGSIZE); E(ECONNREFUSED); E(ENOTCONN); E(EISCONN); E(EOPNOTSUPP);
#undef E
	default:
		snprintf(buf, sizeof(buf), "errno %d", err);
		return buf;
	}
}

static void record(enum acl_log_level level, const char *file, int line, const char *api,
		   const char *fmt, va_list ap, const char *tail)
{
	int n = snprintf(recent, sizeof(recent), "%s: ", api);
	size_t len = n > 0 ? (size_t)n : 0;

	if (len < sizeof(recent)) {
		n = vsnprintf(recent + len, sizeof(recent) - len, fmt, ap);
		len += n > 0 ? (size_t)n : 0;
	}
	if (tail && len < sizeof(recent))
		snprintf(recent + len, sizeof(recent) - len, "%s", tail);
	recent_set = true;
	acl_log_at(level, file, line, "%s", recent);
}

aclError acl_fail_at(const char *file, int line, aclError code, const char *api,
		     const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	record(ACL_LOG_LEVEL_ERROR, file, line, api, fmt, ap, NULL);
	va_end(ap);
	return code;
}

aclError acl_note_at(const char *file, int line, aclError code, const char *api,
		     const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	record(ACL_LOG_LEVEL_DEBUG, file, line, api, fmt, ap, NULL);
	va_end(ap);
	return code;
}

aclError acl_fail_hal_at(const char *file, int line, aclError code, const char *api,
			 const char *fmt, ...)
{
	char tail[512];
	int err = halVascendLastErrno();
	va_list ap;

	if (err)
		snprintf(tail, sizeof(tail), ": HAL: %s (driver errno %s)%s",
			 halVascendLastErrorMsg(), acl_errno_name(err),
			 err == ENOENT ? acl_driver_hint_text() : "");
	else
		snprintf(tail, sizeof(tail), ": HAL: %s", halVascendLastErrorMsg());
	va_start(ap, fmt);
	record(ACL_LOG_LEVEL_ERROR, file, line, api, fmt, ap, tail);
	va_end(ap);
	return code;
}

aclError acl_code_from_drv(drvError_t drv)
{
	switch (drv) {
	case DRV_ERROR_NONE:
		return ACL_SUCCESS;
	case DRV_ERROR_NO_DEVICE:
		return ACL_ERROR_RT_NO_DEVICE;
	case DRV_ERROR_INVALID_DEVICE:
		return ACL_ERROR_RT_INVALID_DEVICEID;
	case DRV_ERROR_INVALID_VALUE:
	case DRV_ERROR_PARA_ERROR:
	case DRV_ERROR_BAD_ADDRESS:
		return ACL_ERROR_RT_PARAM_INVALID;
	case DRV_ERROR_OUT_OF_MEMORY:
	case DRV_ERROR_MALLOC_FAIL:
		return ACL_ERROR_RT_MEMORY_ALLOCATION;
	case DRV_ERROR_OPER_NOT_PERMITTED:
		return ACL_ERROR_RT_NO_PERMISSION;
	case DRV_ERROR_WAIT_TIMEOUT:
		return ACL_ERROR_RT_TIMEOUT;
	case DRV_ERROR_NOT_SUPPORT:
		return ACL_ERROR_RT_FEATURE_NOT_SUPPORT;
	case DRV_ERROR_OVER_LIMIT:
		return ACL_ERROR_RT_OVER_LIMIT;
	case DRV_ERROR_NO_STREAM_RESOURCES:
	case DRV_ERROR_NO_RESOURCES:
		return ACL_ERROR_RT_NO_STREAM_RESOURCE;
	case DRV_ERROR_REPEATED_USERD:
		return ACL_ERROR_HOST_MEMORY_ALREADY_REGISTERED;
	case DRV_ERROR_WAIT_INTERRUPT:
		return ACL_ERROR_RT_DEVICE_TASK_ABORT;
	default:
		return ACL_ERROR_RT_DRV_INTERNAL_ERROR;
	}
}

/*
 * Device statuses, as CANN reports the same failures of its cards: an AI
 * Core touching memory it may not is an AI Core exception, a copy engine
 * doing so a DMA error; tasks dropped by a reset are device task aborts.
 */
aclError acl_code_from_status(uint32_t status, uint8_t task_type)
{
	bool compute = task_type == VASCEND_TASK_KERNEL_LAUNCH || task_type == 7;

	switch (status) {
	case VASCEND_CQE_STATUS_SUCCESS:
		return ACL_SUCCESS;
	case VASCEND_CQE_STATUS_MMU_FAULT:
		return compute ? ACL_ERROR_RT_AICORE_EXCEPTION : ACL_ERROR_RT_SYS_DMA;
	case VASCEND_CQE_STATUS_DMA_ERROR:
		return ACL_ERROR_RT_SYS_DMA;
	case VASCEND_CQE_STATUS_ECC_ERROR:
		return ACL_ERROR_RT_HBM_MULTI_BIT_ECC_ERROR;
	case VASCEND_CQE_STATUS_OP_ERROR:
		return ACL_ERROR_RT_AICORE_EXCEPTION;
	case VASCEND_CQE_STATUS_ABORTED:
		return ACL_ERROR_RT_DEVICE_TASK_ABORT;
	case VASCEND_CQE_STATUS_OP_UNKNOWN:
		return ACL_ERROR_RT_KERNEL_LOOKUP;
	case VASCEND_CQE_STATUS_FW_CRASHED:
		return ACL_ERROR_RT_TS_ERROR;
	case VASCEND_CQE_STATUS_NOT_BOOTED:
		return ACL_ERROR_RT_DEV_SETUP_ERROR;
	case VASCEND_CQE_STATUS_INVALID_OPCODE:
		return ACL_ERROR_RT_TASK_TYPE_NOT_SUPPORT;
	case VASCEND_CQE_STATUS_INVALID_FIELD:
	case VASCEND_CQE_STATUS_TOO_LARGE:
		return ACL_ERROR_RT_PARAM_INVALID;
	default:
		return ACL_ERROR_RT_INTERNAL_ERROR;
	}
}

const char *acl_status_name(uint32_t status)
{
	static const char *const names[] = {
		[VASCEND_CQE_STATUS_SUCCESS] = "SUCCESS",
		[VASCEND_CQE_STATUS_INVALID_OPCODE] = "INVALID_OPCODE",
		[VASCEND_CQE_STATUS_INVALID_FIELD] = "INVALID_FIELD",
		[VASCEND_CQE_STATUS_NOT_BOOTED] = "NOT_BOOTED (firmware not running)",
		[VASCEND_CQE_STATUS_INVALID_ID] = "INVALID_ID",
		[VASCEND_CQE_STATUS_MMU_FAULT] = "MMU_FAULT",
		[VASCEND_CQE_STATUS_DMA_ERROR] = "DMA_ERROR",
		[VASCEND_CQE_STATUS_ECC_ERROR] = "ECC_ERROR (uncorrectable HBM error)",
		[VASCEND_CQE_STATUS_OP_ERROR] = "OP_ERROR (the op refused its arguments)",
		[VASCEND_CQE_STATUS_ABORTED] = "ABORTED (the card or the stream was reset)",
		[VASCEND_CQE_STATUS_OP_UNKNOWN] = "OP_UNKNOWN (not in the firmware's op table)",
		[VASCEND_CQE_STATUS_FW_CRASHED] = "FW_CRASHED",
		[VASCEND_CQE_STATUS_TOO_LARGE] = "TOO_LARGE",
		[VASCEND_CQE_STATUS_BUSY] = "BUSY",
	};

	if (status < sizeof(names) / sizeof(names[0]) && names[status])
		return names[status];
	return "unknown status";
}

const char *acl_task_name(uint8_t type)
{
	static _Thread_local char buf[24];
	static const char *const names[] = {
		"NOP", "MEMCPY", "MEMSET", "EVENT_RECORD", "EVENT_WAIT", "NOTIFY",
		"KERNEL_LAUNCH", "MODEL_EXECUTE",
	};

	if (type < sizeof(names) / sizeof(names[0]))
		return names[type];
	snprintf(buf, sizeof(buf), "task type %u", type);
	return buf;
}

ACL_FUNC_VISIBILITY const char *aclGetRecentErrMsg(void)
{
	if (!recent_set)
		return NULL;
	memcpy(recent_read, recent, sizeof(recent_read));
	recent_set = false;
	return recent_read;
}

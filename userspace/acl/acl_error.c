// SPDX-License-Identifier: MIT
/*
 * The calling thread's most recent error message, and the mapping from the
 * HAL's driver errors to AscendCL codes.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "acl_error.h"
#include "acl_log.h"

#define ACL_ERR_MSG_MAX 512

/* Written on failure, moved to recent_read when the thread reads it. */
static _Thread_local char recent[ACL_ERR_MSG_MAX];
static _Thread_local bool recent_set;
static _Thread_local char recent_read[ACL_ERR_MSG_MAX];

static void record(const char *api, const char *fmt, va_list ap, const char *tail)
{
	int n = snprintf(recent, sizeof(recent), "%s: ", api);
	size_t len = n > 0 ? (size_t)n : 0;

	if (len < sizeof(recent)) {
		n = vsnprintf(recent + len, sizeof(recent) - len, fmt, ap);
		len += n > 0 ? (size_t)n : 0;
	}
	if (tail && len < sizeof(recent))
		snprintf(recent + len, sizeof(recent) - len, ": %s", tail);
	recent_set = true;
	ACL_LOG_ERROR("%s", recent);
}

aclError acl_fail(aclError code, const char *api, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	record(api, fmt, ap, NULL);
	va_end(ap);
	return code;
}

aclError acl_fail_hal(aclError code, const char *api, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	record(api, fmt, ap, halVascendLastErrorMsg());
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
	default:
		return ACL_ERROR_RT_DRV_INTERNAL_ERROR;
	}
}

ACL_FUNC_VISIBILITY const char *aclGetRecentErrMsg(void)
{
	if (!recent_set)
		return NULL;
	memcpy(recent_read, recent, sizeof(recent_read));
	recent_set = false;
	return recent_read;
}

// SPDX-License-Identifier: MIT
/*
 * Per-thread failure records: each thread sees only its own last failure.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "hal_error.h"

#define HAL_ERROR_MSG_MAX 256

static _Thread_local int last_errno;
static _Thread_local char last_msg[HAL_ERROR_MSG_MAX];

drvError_t hal_fail(drvError_t code, int err, const char *fmt, ...)
{
	char buf[32];
	va_list ap;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(last_msg, sizeof(last_msg), fmt, ap);
	va_end(ap);
	if (err && len >= 0 && (size_t)len < sizeof(last_msg))
		snprintf(last_msg + len, sizeof(last_msg) - (size_t)len, ": %s",
			 strerror_r(err, buf, sizeof(buf)));
	last_errno = err;
	return code;
}

drvError_t hal_errno_to_drv(int err)
{
	switch (err) {
	case ENOENT:
	case ENXIO:
		return DRV_ERROR_INVALID_DEVICE;
	case ENODEV:
		return DRV_ERROR_NO_DEVICE;
	case EACCES:
	case EPERM:
		return DRV_ERROR_OPER_NOT_PERMITTED;
	case EINVAL:
		return DRV_ERROR_INVALID_VALUE;
	case EFAULT:
		return DRV_ERROR_BAD_ADDRESS;
	case ENOMEM:
		return DRV_ERROR_OUT_OF_MEMORY;
	case ETIMEDOUT:
		return DRV_ERROR_WAIT_TIMEOUT;
	case EBUSY:
		return DRV_ERROR_BUSY;
	case EAGAIN:
		return DRV_ERROR_TRY_AGAIN;
	case ENOTTY:
	case EOPNOTSUPP:
		return DRV_ERROR_NOT_SUPPORT;
	case EEXIST:
		return DRV_ERROR_REPEATED_USERD;
	case EMFILE:
	case ENOSPC:
		return DRV_ERROR_NO_RESOURCES;
	case EOVERFLOW:
		return DRV_ERROR_OVER_LIMIT;
	case EMSGSIZE:
		return DRV_ERROR_PARA_ERROR;
	case ECONNREFUSED:
		return DRV_ERROR_REMOTE_NOT_LISTEN;
	case ENOTCONN:
		return DRV_ERROR_REMOTE_NO_SESSION;
	case EPIPE:
		return DRV_ERROR_SOCKET_CLOSE;
	case ECANCELED:
		return DRV_ERROR_WAIT_INTERRUPT;
	default:
		return DRV_ERROR_IOCRL_FAIL;
	}
}

DLLEXPORT const char *halVascendLastErrorMsg(void)
{
	return last_msg[0] ? last_msg : "no error";
}

DLLEXPORT int halVascendLastErrno(void)
{
	return last_errno;
}

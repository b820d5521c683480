/* SPDX-License-Identifier: MIT */
/*
 * Error reporting: every failing AscendCL call records one message for the
 * calling thread (aclGetRecentErrMsg) and logs it (acl_log.h). A message
 * starts with the API that failed and ends with the lowest layer's reason:
 *   "aclrtSetDevice: device 3 not found: /dev/davinci3: No such file or directory"
 */
#ifndef VASCEND_ACL_ERROR_H
#define VASCEND_ACL_ERROR_H

#include "acl/acl.h"
#include "ascend_hal.h"

/* Record "<api>: <fmt...>" and return @code. */
aclError acl_fail(aclError code, const char *api, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * A HAL call failed: record "<api>: <fmt...>: <the HAL's reason>" and return
 * @code (usually acl_code_from_drv()).
 */
aclError acl_fail_hal(aclError code, const char *api, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The AscendCL code for a driver error. */
aclError acl_code_from_drv(drvError_t drv);

#endif /* VASCEND_ACL_ERROR_H */

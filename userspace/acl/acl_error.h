/* SPDX-License-Identifier: MIT */
/*
 * Error reporting: every failing AscendCL call records one message for the
 * calling thread (aclGetRecentErrMsg) and logs it (acl_log.h). A message
 * starts with the API that failed and names the failing layer:
 *   "aclrtSetDevice: device 3 not found: HAL: /dev/davinci3: No such file or
 *    directory (driver errno ENOENT)"
 * The functions are declared in acl_internal.h (the other parts of the
 * library use them too).
 */
#ifndef VASCEND_ACL_ERROR_H
#define VASCEND_ACL_ERROR_H

#include "acl_internal.h"

/* "ENOENT" for 2, "errno 1234" otherwise (static or thread-local storage). */
const char *acl_errno_name(int err);

/*
 * An outcome a caller polls for, not a failure (aclrtProcessReport's
 * timeout in a report thread's loop): recorded for aclGetRecentErrMsg()
 * like acl_fail, but logged at DEBUG, so a polling loop does not fill the
 * log with errors.
 */
#define acl_note(code, api, ...) acl_note_at(__FILE__, __LINE__, (code), (api), __VA_ARGS__)
aclError acl_note_at(const char *file, int line, aclError code, const char *api,
		     const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* "MEMCPY" for VASCEND_TASK_MEMCPY, "task type 9" otherwise. */
const char *acl_task_name(uint8_t type);

#endif /* VASCEND_ACL_ERROR_H */

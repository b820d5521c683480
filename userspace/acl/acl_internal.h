/* SPDX-License-Identifier: MIT */
/*
 * The runtime's internal API: what the other parts of libascendcl (single
 * op, BLAS, models) build on. Stable: change a signature here only together
 * with every caller.
 *
 * Conventions
 *  - Every function that returns aclError records, on failure, one message
 *    for aclGetRecentErrMsg() that starts with @api (the public AscendCL
 *    call being served, e.g. "aclopExecuteV2") and names the failing layer.
 *    Pass the public API's name down; never record a second message on top.
 *  - "stream" is an aclrtStream as the user passed it: NULL means the
 *    default stream of the calling thread's current context.
 *  - Device memory is a virtual address in the process's SVM window, the
 *    same value the card uses (include/uapi/vascend_svm.h); registered
 *    (pinned) host memory is mapped for the card at its host address.
 *  - None of these take or need the caller to hold a lock.
 */
#ifndef VASCEND_ACL_INTERNAL_H
#define VASCEND_ACL_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "acl/acl.h"
#include "ascend_hal.h"
#include "vascend_davinci.h"

#define ACL_MAX_DEVICES HAL_VASCEND_MAX_DEVICES

/* ---- life cycle and resolution ---- */

/* ACL_SUCCESS once aclInit ran (and no aclFinalize since); else records ACL_ERROR_UNINITIALIZE. */
aclError acl_check_init(const char *api);

/*
 * The calling thread's current device (the device of its current context);
 * ACL_ERROR_RT_CONTEXT_NULL when it has none or its context was destroyed.
 */
aclError acl_current_device(const char *api, int32_t *dev);

/*
 * Resolve @stream (NULL: the default stream of the current context, created
 * on first use): checks it is a live stream and returns its device.
 * ACL_ERROR_RT_CONTEXT_NULL (no current context for NULL),
 * ACL_ERROR_INVALID_PARAM (not a live stream).
 */
aclError acl_stream_device(const char *api, aclrtStream stream, int32_t *dev);

/* ---- streams ---- */

/*
 * Queue @n (>= 1, any number: batched by VASCEND_SUBMIT_MAX) tasks on
 * @stream; *@seq (may be NULL) = the seq of the last one. Addresses in the
 * tasks must be device memory or host memory registered for the stream's
 * device. A failure of an earlier task on the stream is reported here (its
 * code and message) and clears the stream's error, as aclrtSynchronizeStream
 * would. Records with api "acl_stream_submit" unless the caller passes
 * through acl_stream_submit_api().
 */
aclError acl_stream_submit(aclrtStream stream, const struct vascend_task *tasks, uint32_t n,
			   uint64_t *seq);
aclError acl_stream_submit_api(const char *api, aclrtStream stream,
			       const struct vascend_task *tasks, uint32_t n, uint64_t *seq);

/*
 * Wait until task @seq (0: everything submitted so far) of @stream has
 * completed. @timeout_ms: -1 forever, 0 a query. A failed task returns its
 * AscendCL code (acl_code_from_status) with the device's reason in the
 * message, and leaves the stream usable again. ETIMEDOUT:
 * ACL_ERROR_RT_STREAM_SYNC_TIMEOUT.
 */
aclError acl_stream_wait(const char *api, aclrtStream stream, uint64_t seq, int32_t timeout_ms);

/*
 * Run @fn(@arg) once task @seq of @stream has completed (successfully or
 * not): at the next wait/query/synchronize/destroy of the stream that sees
 * it, on the thread doing that call, with no runtime lock held. For buffers
 * an asynchronous task still reads (op descriptors, staging copies).
 * ACL_ERROR_RT_MEMORY_ALLOCATION when the record cannot be allocated (then
 * @fn is not called: the caller must wait and free itself).
 */
aclError acl_stream_on_complete(const char *api, aclrtStream stream, uint64_t seq,
				void (*fn)(void *arg), void *arg);

/* ---- memory ---- */

/* Device memory on device @dev (policy as aclrtMalloc's); freed by acl_dev_free or the device's reset. */
aclError acl_dev_malloc(const char *api, int32_t dev, size_t size, aclrtMemMallocPolicy policy,
			void **ptr);
aclError acl_dev_free(const char *api, void *ptr);

/*
 * Whether [@p, @p + @len) lies inside one live device allocation; *@dev
 * (may be NULL) = its device. @len 0 checks the address only.
 */
bool acl_is_dev_mem(const void *p, size_t len, int32_t *dev);

/*
 * Host memory the card @dev can read and write (pinned, registered, page
 * aligned, zeroed), e.g. for op descriptors a KERNEL_LAUNCH names. The host
 * reads and writes it directly. Freed with acl_pinned_free, or at the
 * device's reset.
 */
aclError acl_pinned_alloc(const char *api, int32_t dev, size_t size, void **ptr);
void acl_pinned_free(void *ptr);

/* ---- the card's op table (VASCEND_IOCTL_GET_OP_TABLE) ---- */

/*
 * Op @name (CANN op type, e.g. "Add") in device @dev's firmware op table:
 * its id for KERNEL_LAUNCH and its version. Read once per device and
 * cached. ACL_ERROR_OP_NOT_FOUND (recorded) when the firmware has no such op.
 */
aclError acl_op_lookup(const char *api, int32_t dev, const char *name, uint32_t *op_id,
		       uint32_t *version);

/* ---- errors (acl_error.h has the rest) ---- */

/*
 * Record "<api>: <fmt...>" and return @code; the log line names this
 * file and line. acl_fail_hal appends ": HAL: <the HAL's reason>" (the node,
 * the ioctl, the driver's errno) of the calling thread's last HAL failure.
 */
#define acl_fail(code, api, ...) acl_fail_at(__FILE__, __LINE__, (code), (api), __VA_ARGS__)
#define acl_fail_hal(code, api, ...) \
	acl_fail_hal_at(__FILE__, __LINE__, (code), (api), __VA_ARGS__)
aclError acl_fail_at(const char *file, int line, aclError code, const char *api,
		     const char *fmt, ...) __attribute__((format(printf, 5, 6)));
aclError acl_fail_hal_at(const char *file, int line, aclError code, const char *api,
			 const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* The AscendCL code for a HAL error / for a device status (VASCEND_CQE_STATUS_*). */
aclError acl_code_from_drv(drvError_t drv);
aclError acl_code_from_status(uint32_t status, uint8_t task_type);

/* "MMU fault (write, not mapped) at 0x...", for messages; a static string per status. */
const char *acl_status_name(uint32_t status);

#endif /* VASCEND_ACL_INTERNAL_H */

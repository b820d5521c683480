/* SPDX-License-Identifier: MIT */
/*
 * AscendCL for vascend: the header AscendCL programs include. As in CANN it
 * pulls in the runtime API (acl_rt.h, which includes acl_base.h) and the
 * single-op and model APIs (acl_op.h, acl_mdl.h), and declares
 * initialisation, the interface version and error reporting.
 */
#ifndef INC_EXTERNAL_ACL_ACL_H_
#define INC_EXTERNAL_ACL_ACL_H_

#include "acl_rt.h"
#include "acl_op.h"
#include "acl_mdl.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * The AscendCL interface level these headers provide. Deliberately CANN's
 * first public level: programs that test for newer levels to use newer APIs
 * must not find them missing.
 */
#define ACL_MAJOR_VERSION 1
#define ACL_MINOR_VERSION 1
#define ACL_PATCH_VERSION 0

/**
 * aclInit() - initialise AscendCL for the process
 * @configPath: a JSON configuration file, or NULL or "" for none
 *
 * Once per process until aclFinalize; a second call returns
 * ACL_ERROR_REPEAT_INITIALIZE. A file that cannot be read returns
 * ACL_ERROR_INVALID_FILE.
 */
ACL_FUNC_VISIBILITY aclError aclInit(const char *configPath);

/**
 * aclFinalize() - release everything AscendCL holds: resets every device
 * (freeing its memory) and frees aclrtMallocHost memory
 */
ACL_FUNC_VISIBILITY aclError aclFinalize(void);

/** aclrtGetVersion() - ACL_MAJOR/MINOR/PATCH_VERSION of the library */
ACL_FUNC_VISIBILITY aclError aclrtGetVersion(int32_t *majorVersion, int32_t *minorVersion,
					     int32_t *patchVersion);

/**
 * aclGetRecentErrMsg() - why the calling thread's most recent failed call
 * failed, naming the layer ("aclrtSetDevice: device 3 not found:
 * /dev/davinci3: No such file or directory")
 *
 * Returns NULL when nothing failed since the last read: reading a message
 * consumes it. The string is valid until the thread's next call to this
 * function.
 */
ACL_FUNC_VISIBILITY const char *aclGetRecentErrMsg(void);

#ifdef __cplusplus
}
#endif

#endif /* INC_EXTERNAL_ACL_ACL_H_ */

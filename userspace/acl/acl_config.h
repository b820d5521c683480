/* SPDX-License-Identifier: MIT */
/*
 * aclInit's configuration file: JSON, parsed with json-c. Keys vascend does
 * not know are ignored (as CANN ignores what its version does not know);
 * known keys must have the right shape: "dump" and "profiler" objects,
 * "err_msg_mode" "0" or "1". Dumping and profiling are accepted and logged,
 * not performed.
 */
#ifndef VASCEND_ACL_CONFIG_H
#define VASCEND_ACL_CONFIG_H

#include "acl/acl.h"

/*
 * Load @path (NULL or "" means no file) for aclInit; records why it failed:
 * ACL_ERROR_INVALID_FILE (cannot read), ACL_ERROR_PARSE_FILE (not JSON:
 * the message has the line and column), ACL_ERROR_INVALID_DUMP_CONFIG,
 * ACL_ERROR_INVALID_PROFILING_CONFIG, ACL_ERROR_FILE_ATTR_INVALID.
 */
aclError acl_config_load(const char *path);

#endif /* VASCEND_ACL_CONFIG_H */

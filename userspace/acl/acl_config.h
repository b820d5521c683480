/* SPDX-License-Identifier: MIT */
/*
 * aclInit's configuration file. For now it must exist and be a readable
 * regular file; its JSON (dump, profiling, ...) is parsed by a later issue.
 */
#ifndef VASCEND_ACL_CONFIG_H
#define VASCEND_ACL_CONFIG_H

#include "acl/acl.h"

/* Load @path (NULL or "" means no file) for aclInit; records why it failed. */
aclError acl_config_load(const char *path);

#endif /* VASCEND_ACL_CONFIG_H */

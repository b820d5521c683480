/* SPDX-License-Identifier: MIT */
/*
 * Runtime logging, configured the CANN way:
 *   ASCEND_SLOG_PRINT_TO_STDOUT=1  print log lines (to stderr here, so a
 *                                  program's own output stays clean);
 *                                  ASCEND_LOG_PRINT_TO_STDOUT is accepted too
 *   ASCEND_GLOBAL_LOG_LEVEL=N      lowest level printed: 0 debug, 1 info,
 *                                  2 warning, 3 error (default), 4 none
 * Nothing is printed unless asked for: CANN writes to log files by default,
 * which vascend does not have yet.
 */
#ifndef VASCEND_ACL_LOG_H
#define VASCEND_ACL_LOG_H

enum acl_log_level {
	ACL_LOG_LEVEL_DEBUG = 0,
	ACL_LOG_LEVEL_INFO = 1,
	ACL_LOG_LEVEL_WARNING = 2,
	ACL_LOG_LEVEL_ERROR = 3,
	ACL_LOG_LEVEL_NONE = 4,
};

/* (Re)read the environment; aclInit calls it, logging does once on its own. */
void acl_log_configure(void);

void acl_log(enum acl_log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define ACL_LOG_DEBUG(...) acl_log(ACL_LOG_LEVEL_DEBUG, __VA_ARGS__)
#define ACL_LOG_INFO(...) acl_log(ACL_LOG_LEVEL_INFO, __VA_ARGS__)
#define ACL_LOG_WARN(...) acl_log(ACL_LOG_LEVEL_WARNING, __VA_ARGS__)
#define ACL_LOG_ERROR(...) acl_log(ACL_LOG_LEVEL_ERROR, __VA_ARGS__)

#endif /* VASCEND_ACL_LOG_H */

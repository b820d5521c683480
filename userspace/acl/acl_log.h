/* SPDX-License-Identifier: MIT */
/*
 * Runtime logging, configured the CANN way (read at aclInit, and on the
 * first line logged before it):
 *   ASCEND_GLOBAL_LOG_LEVEL=N      lowest level logged: 0 debug, 1 info,
 *                                  2 warning, 3 error (default), 4 none
 *   ASCEND_SLOG_PRINT_TO_STDOUT=1  also print the lines (to stderr here, so a
 *                                  program's own output stays clean);
 *                                  ASCEND_LOG_PRINT_TO_STDOUT=1 too
 *   ASCEND_PROCESS_LOG_PATH=DIR    where the log files go (default
 *                                  ~/ascend/log): DIR/debug/plog/ gets every
 *                                  line logged, DIR/run/plog/ the info,
 *                                  warning and error lines, each in
 *                                  plog-<pid>_<time>.log, made on first use
 * A line: [ERROR] ASCENDCL(1234,prog):2025-01-01-12:00:00.123.456 [file.c:12] msg
 * The first error of a process that does not print its lines says on
 * stderr where the log file is.
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

/* (Re)read the environment; aclInit calls it. */
void acl_log_configure(void);

void acl_log_at(enum acl_log_level level, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* The debug log file in use, NULL when none has been written yet. */
const char *acl_log_file_path(void);

/*
 * Why a device node is missing, for messages: " (the vascend driver is not
 * loaded: modprobe vascend)", " (the vascend driver is loaded but ...)" or
 * "" (libkmod answers; nothing under the fake backend).
 */
const char *acl_driver_hint_text(void);

#define ACL_LOG_DEBUG(...) acl_log_at(ACL_LOG_LEVEL_DEBUG, __FILE__, __LINE__, __VA_ARGS__)
#define ACL_LOG_INFO(...) acl_log_at(ACL_LOG_LEVEL_INFO, __FILE__, __LINE__, __VA_ARGS__)
#define ACL_LOG_WARN(...) acl_log_at(ACL_LOG_LEVEL_WARNING, __FILE__, __LINE__, __VA_ARGS__)
#define ACL_LOG_ERROR(...) acl_log_at(ACL_LOG_LEVEL_ERROR, __FILE__, __LINE__, __VA_ARGS__)

#endif /* VASCEND_ACL_LOG_H */

// SPDX-License-Identifier: MIT
/*
 * Log lines in CANN's shape:
 *   [ERROR] ASCENDCL(1234,prog):2024-05-01-12:00:00.123.456 1234 message
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "acl_log.h"

#define LOG_LINE_MAX 1024

static atomic_int log_level = ACL_LOG_LEVEL_ERROR;
static atomic_bool log_to_console;
static pthread_once_t log_once = PTHREAD_ONCE_INIT;

static const char *const level_names[] = {
	[ACL_LOG_LEVEL_DEBUG] = "DEBUG",
	[ACL_LOG_LEVEL_INFO] = "INFO",
	[ACL_LOG_LEVEL_WARNING] = "WARNING",
	[ACL_LOG_LEVEL_ERROR] = "ERROR",
};

static bool env_is_one(const char *name)
{
	const char *v = getenv(name);

	return v && !strcmp(v, "1");
}

void acl_log_configure(void)
{
	const char *v = getenv("ASCEND_GLOBAL_LOG_LEVEL");
	int level = ACL_LOG_LEVEL_ERROR;

	if (v && v[0] >= '0' && v[0] <= '4' && v[1] == '\0')
		level = v[0] - '0';
	atomic_store(&log_level, level);
	atomic_store(&log_to_console, env_is_one("ASCEND_SLOG_PRINT_TO_STDOUT") ||
					      env_is_one("ASCEND_LOG_PRINT_TO_STDOUT"));
}

static void configure_once(void)
{
	acl_log_configure();
}

void acl_log(enum acl_log_level level, const char *fmt, ...)
{
	char line[LOG_LINE_MAX];
	struct timeval tv;
	struct tm tm;
	size_t len;
	va_list ap;
	int n;

	pthread_once(&log_once, configure_once);
	if (!atomic_load(&log_to_console) || (int)level < atomic_load(&log_level) ||
	    level >= ACL_LOG_LEVEL_NONE)
		return;

	gettimeofday(&tv, NULL);
	localtime_r(&tv.tv_sec, &tm);
	n = snprintf(line, sizeof(line), "[%s] ASCENDCL(%d,%s):", level_names[level], (int)getpid(),
		     program_invocation_short_name);
	len = n > 0 ? (size_t)n : 0;
	len += strftime(line + len, sizeof(line) - len, "%Y-%m-%d-%H:%M:%S", &tm);
	n = snprintf(line + len, sizeof(line) - len, ".%03ld.%03ld %ld ", (long)tv.tv_usec / 1000,
		     (long)tv.tv_usec % 1000, (long)gettid());
	len += n > 0 ? (size_t)n : 0;
	if (len < sizeof(line)) {
		va_start(ap, fmt);
		vsnprintf(line + len, sizeof(line) - len, fmt, ap);
		va_end(ap);
	}
	/* one write per line, so lines of concurrent threads do not interleave */
	fprintf(stderr, "%s\n", line);
}

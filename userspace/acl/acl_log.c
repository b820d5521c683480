// SPDX-License-Identifier: MIT
/*
 * Log lines in CANN's shape, to log files and optionally the console; and
 * libkmod's word on whether the driver is loaded.
 */
#include <errno.h>
#include <fcntl.h>
#include <libkmod.h>
#include <pthread.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "ascend_hal.h"

#include "acl_log.h"

#define LOG_LINE_MAX	2048
#define LOG_PATH_MAX	512
#define DRIVER_MODULE	"vascend"

static atomic_int log_level = ACL_LOG_LEVEL_ERROR;
static atomic_bool log_to_console;
static pthread_once_t log_once = PTHREAD_ONCE_INIT;

/* Protects the file state below. */
static pthread_mutex_t file_lock = PTHREAD_MUTEX_INITIALIZER;
static char log_base[LOG_PATH_MAX];
static char debug_path[LOG_PATH_MAX];
static int debug_fd = -1, run_fd = -1;
static bool files_failed;	/* could not make them: said so once */
static bool told_where;		/* the first error said where the log is */

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
	const char *home;
	int level = ACL_LOG_LEVEL_ERROR;
	char base[LOG_PATH_MAX];

	if (v && v[0] >= '0' && v[0] <= '4' && v[1] == '\0')
		level = v[0] - '0';
	atomic_store(&log_level, level);
	atomic_store(&log_to_console, env_is_one("ASCEND_SLOG_PRINT_TO_STDOUT") ||
					      env_is_one("ASCEND_LOG_PRINT_TO_STDOUT"));

	v = getenv("ASCEND_PROCESS_LOG_PATH");
	if (v && *v) {
		snprintf(base, sizeof(base), "%s", v);
	} else {
		home = getenv("HOME");
		if (!home || !*home) {
			struct passwd *pw = getpwuid(getuid());

			home = pw ? pw->pw_dir : "/tmp";
		}
		snprintf(base, sizeof(base), "%s/ascend/log", home);
	}
	pthread_mutex_lock(&file_lock);
	if (strcmp(base, log_base)) {
		/* a new place: the next line opens new files there */
		if (debug_fd >= 0)
			close(debug_fd);
		if (run_fd >= 0)
			close(run_fd);
		debug_fd = run_fd = -1;
		debug_path[0] = '\0';
		files_failed = false;
		memcpy(log_base, base, sizeof(log_base));
	}
	pthread_mutex_unlock(&file_lock);
}

static void configure_once(void)
{
	acl_log_configure();
}

/* mkdir -p @path (which is modified and restored). */
static int make_dirs(char *path)
{
	char *p;

	for (p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0750) && errno != EEXIST) {
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	return mkdir(path, 0750) && errno != EEXIST ? -1 : 0;
}

static int open_log(const char *kind, const char *stamp, char *path, size_t len)
{
	char dir[LOG_PATH_MAX];

	int n;

	n = snprintf(dir, sizeof(dir), "%s/%s/plog", log_base, kind);
	if (n < 0 || (size_t)n >= sizeof(dir) || make_dirs(dir))
		return -1;
	n = snprintf(path, len, "%s/plog-%d_%s.log", dir, (int)getpid(), stamp);
	if (n < 0 || (size_t)n >= len)
		return -1;
	return open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
}

/* Open both files on first use (file_lock held); false when they cannot be. */
static bool files_ready_locked(void)
{
	char stamp[32], run_path[LOG_PATH_MAX];
	struct timeval tv;
	struct tm tm;

	if (debug_fd >= 0)
		return true;
	if (files_failed)
		return false;
	gettimeofday(&tv, NULL);
	localtime_r(&tv.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d%H%M%S", &tm);
	snprintf(stamp + strlen(stamp), sizeof(stamp) - strlen(stamp), "%03ld",
		 (long)tv.tv_usec / 1000);
	debug_fd = open_log("debug", stamp, debug_path, sizeof(debug_path));
	if (debug_fd >= 0)
		run_fd = open_log("run", stamp, run_path, sizeof(run_path));
	if (debug_fd < 0) {
		files_failed = true;
		debug_path[0] = '\0';
		fprintf(stderr, "[vascend] AscendCL cannot write its log under %s: %s "
			"(set ASCEND_PROCESS_LOG_PATH, or ASCEND_SLOG_PRINT_TO_STDOUT=1)\n",
			log_base, strerror(errno));
		return false;
	}
	return true;
}

const char *acl_log_file_path(void)
{
	const char *p;

	pthread_mutex_lock(&file_lock);
	p = debug_path[0] ? debug_path : NULL;
	pthread_mutex_unlock(&file_lock);
	return p;
}

static void write_all(int fd, const char *s, size_t len)
{
	while (len) {
		ssize_t n = write(fd, s, len);

		if (n <= 0 && errno != EINTR)
			return;
		if (n > 0) {
			s += n;
			len -= (size_t)n;
		}
	}
}

void acl_log_at(enum acl_log_level level, const char *file, int line, const char *fmt, ...)
{
	char buf[LOG_LINE_MAX];
	const char *base = strrchr(file, '/');
	struct timeval tv;
	struct tm tm;
	bool console;
	size_t len;
	va_list ap;
	int n;

	pthread_once(&log_once, configure_once);
	if ((int)level < atomic_load(&log_level) || level >= ACL_LOG_LEVEL_NONE)
		return;
	console = atomic_load(&log_to_console);

	gettimeofday(&tv, NULL);
	localtime_r(&tv.tv_sec, &tm);
	n = snprintf(buf, sizeof(buf), "[%s] ASCENDCL(%d,%s):", level_names[level], (int)getpid(),
		     program_invocation_short_name);
	len = n > 0 ? (size_t)n : 0;
	len += strftime(buf + len, sizeof(buf) - len, "%Y-%m-%d-%H:%M:%S", &tm);
	n = snprintf(buf + len, sizeof(buf) - len, ".%03ld.%03ld [%s:%d] ",
		     (long)tv.tv_usec / 1000, (long)tv.tv_usec % 1000, base ? base + 1 : file, line);
	len += n > 0 ? (size_t)n : 0;
	if (len < sizeof(buf) - 1) {
		va_start(ap, fmt);
		n = vsnprintf(buf + len, sizeof(buf) - 1 - len, fmt, ap);
		va_end(ap);
		len += n > 0 ? (size_t)n : 0;
	}
	if (len > sizeof(buf) - 2)
		len = sizeof(buf) - 2;
	buf[len++] = '\n';
	buf[len] = '\0';

	/* one write per line, so lines of concurrent threads do not interleave */
	if (console)
		write_all(STDERR_FILENO, buf, len);
	pthread_mutex_lock(&file_lock);
	if (files_ready_locked()) {
		write_all(debug_fd, buf, len);
		if (level >= ACL_LOG_LEVEL_INFO && run_fd >= 0)
			write_all(run_fd, buf, len);
		if (level == ACL_LOG_LEVEL_ERROR && !told_where && !console) {
			told_where = true;
			fprintf(stderr, "[vascend] AscendCL reported an error; the log is %s "
				"(aclGetRecentErrMsg has the message)\n", debug_path);
		}
	}
	pthread_mutex_unlock(&file_lock);
}

const char *acl_driver_hint_text(void)
{
	const char *backend = halVascendBackend();
	struct kmod_module *mod = NULL;
	struct kmod_ctx *ctx;
	const char *hint = "";
	int state;

	if (!backend || strcmp(backend, "linux"))
		return "";
	ctx = kmod_new(NULL, NULL);
	if (!ctx)
		return "";
	if (kmod_module_new_from_name(ctx, DRIVER_MODULE, &mod) == 0) {
		state = kmod_module_get_initstate(mod);
		if (state < 0)
			hint = " (the vascend driver is not loaded: modprobe vascend)";
		else if (state == KMOD_MODULE_LIVE)
			hint = " (the vascend driver is loaded but has no such card)";
		else
			hint = " (the vascend driver is still loading or unloading)";
		kmod_module_unref(mod);
	}
	kmod_unref(ctx);
	return hint;
}

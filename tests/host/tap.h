/* SPDX-License-Identifier: MIT */
/*
 * Minimal TAP producer for vascend's host tests. Each test program prints
 * "ok N - what" or "not ok N - what" per check and exits non-zero when any
 * check failed; tests/run.sh counts the lines across all suites.
 *
 *	TAP_CHECK(x == 3, "x is %d", x);
 *	return tap_done();
 */
#ifndef VASCEND_TESTS_TAP_H
#define VASCEND_TESTS_TAP_H

#include <stdarg.h>
#include <stdio.h>

static int tap_count;
static int tap_failed;

static inline __attribute__((format(printf, 3, 4))) int
tap_check(int cond, const char *expr, const char *fmt, ...)
{
	va_list ap;

	tap_count++;
	if (!cond)
		tap_failed++;
	printf("%sok %d - ", cond ? "" : "not ", tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	if (!cond)
		printf("\n#   failed: %s", expr);
	printf("\n");
	fflush(stdout);
	return cond;
}

#define TAP_CHECK(cond, ...) tap_check(!!(cond), #cond, __VA_ARGS__)

/* Print the plan and return the exit status for main(). */
static inline int tap_done(void)
{
	printf("1..%d\n", tap_count);
	return tap_failed ? 1 : 0;
}

#endif /* VASCEND_TESTS_TAP_H */

/* SPDX-License-Identifier: MIT */
/*
 * Helpers for the runtime's host tests: fake cards instead of a kernel, and
 * checks on the error message a call left behind.
 */
#ifndef VASCEND_TESTS_ACL_TEST_H
#define VASCEND_TESTS_ACL_TEST_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acl/acl.h"
#include "ascend_hal.h"
#include "hal_fake.h"
#include "hal_os.h"
#include "tap.h"

#define MiB (1024u * 1024u)
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static inline void bail_out(const char *why)
{
	printf("Bail out! %s\n", why);
	exit(1);
}

/* Switch the HAL to fake cards @ids, @hbm bytes each. */
static inline void use_fake_cards(const uint32_t *ids, unsigned int n, uint64_t hbm)
{
	struct hal_fake_card cards[HAL_VASCEND_MAX_DEVICES];
	unsigned int i;

	memset(cards, 0, sizeof(cards));
	for (i = 0; i < n; i++) {
		cards[i].id = ids[i];
		cards[i].hbm_size = hbm;
	}
	if (hal_os_set(&hal_os_fake) || hal_fake_configure(cards, n))
		bail_out("cannot set up fake cards (a device still open?)");
}

#define FAKE_CARDS(hbm, ...)                                                  \
	do {                                                                  \
		static const uint32_t ids_[] = { __VA_ARGS__ };               \
		use_fake_cards(ids_, ARRAY_SIZE(ids_), (hbm));                \
	} while (0)

static inline void use_fake_card_list(const struct hal_fake_card *cards, unsigned int n)
{
	if (hal_os_set(&hal_os_fake) || hal_fake_configure(cards, n))
		bail_out("cannot set up fake cards (a device still open?)");
}

/*
 * The calling thread's recent error message, read once (reading consumes
 * it) and kept here so a test can look at it several times.
 */
static _Thread_local char test_msg_buf[1024];

static inline const char *take_msg(void)
{
	const char *m = aclGetRecentErrMsg();

	if (!m)
		return NULL;
	snprintf(test_msg_buf, sizeof(test_msg_buf), "%s", m);
	return test_msg_buf;
}

static inline int str_has(const char *s, const char *sub)
{
	return s && strstr(s, sub);
}

static inline int str_is(const char *s, const char *want)
{
	return s && !strcmp(s, want);
}

/* Check that @call returned @code; print the message it left on failure. */
#define CHECK_RET(call, code)                                                          \
	do {                                                                           \
		aclError r_ = (call);                                                  \
		if (!TAP_CHECK(r_ == (code), "%s returns %s", #call, #code))           \
			printf("#   got %d (%s)\n", r_, take_msg() ? test_msg_buf : "-"); \
	} while (0)

/* As CHECK_RET, then the message must contain @sub. */
#define CHECK_RET_MSG(call, code, sub)                                                 \
	do {                                                                           \
		aclError r_ = (call);                                                  \
		const char *m_ = take_msg();                                           \
		TAP_CHECK(r_ == (code), "%s returns %s", #call, #code);                \
		if (!TAP_CHECK(str_has(m_, (sub)), "  and says \"%s\"", (sub)))        \
			printf("#   message: %s\n", m_ ? m_ : "(none)");                \
	} while (0)

#endif /* VASCEND_TESTS_ACL_TEST_H */

/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Argument checks of /dev/hisi_hdc (include/uapi/vascend_hdc.h): pure
 * functions over the structs copied in from user space, with no device or
 * file state, so KUnit tests each rule under UML.
 */

#ifndef __VASCEND_HDC_CHECK_H__
#define __VASCEND_HDC_CHECK_H__

#include <linux/types.h>

#include <uapi/vascend_hdc.h>

/* How long CONNECT waits for the card's answer when timeout_ms is 0. */
#define VASCEND_HDC_CONNECT_TIMEOUT_MS	5000

int vascend_hdc_check_connect(const struct vascend_hdc_connect *c,
			      const char **why);
unsigned int vascend_hdc_connect_timeout(const struct vascend_hdc_connect *c);
int vascend_hdc_check_timeout(const struct vascend_hdc_timeout *t,
			      const char **why);
int vascend_hdc_check_msg_len(size_t len, const char **why);
int vascend_hdc_close_errno(u32 reason);

#endif /* __VASCEND_HDC_CHECK_H__ */

// SPDX-License-Identifier: GPL-2.0-only
/*
 * Argument checks of /dev/hisi_hdc. Each returns 0 or the errno the ioctl
 * or read/write fails with, and names the rule in *@why for the caller's
 * dev_dbg line. vascend_hdc_dev.c calls them right after copying in.
 */

#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include <uapi/vascend_hdc.h>
#include <uapi/vascend_hdc_hw.h>

#include "vascend_hdc_check.h"

/**
 * vascend_hdc_check_connect() - check VASCEND_IOCTL_HDC_CONNECT's argument
 * @c: as copied in
 * @why: the rule broken
 *
 * flags and reserved must be zero. dev_id and service are the card's to
 * judge: no such card is ENODEV, a service the card does not run is
 * refused by the card (ECONNREFUSED), so both go through unchecked here.
 *
 * Return: 0 or -EINVAL.
 */
int vascend_hdc_check_connect(const struct vascend_hdc_connect *c,
			      const char **why)
{
	if (c->flags) {
		*why = "flags not zero";
		return -EINVAL;
	}
	if (memchr_inv(c->reserved, 0, sizeof(c->reserved))) {
		*why = "reserved not zero";
		return -EINVAL;
	}
	return 0;
}

/**
 * vascend_hdc_connect_timeout() - how long CONNECT waits for the card
 * @c: a checked argument
 *
 * Return: milliseconds: timeout_ms, or VASCEND_HDC_CONNECT_TIMEOUT_MS for 0.
 */
unsigned int vascend_hdc_connect_timeout(const struct vascend_hdc_connect *c)
{
	return c->timeout_ms ? c->timeout_ms : VASCEND_HDC_CONNECT_TIMEOUT_MS;
}

/**
 * vascend_hdc_check_timeout() - check VASCEND_IOCTL_HDC_SET_TIMEOUT's argument
 * @t: as copied in
 * @why: the rule broken
 *
 * Any recv_ms and send_ms (0: no limit); reserved must be zero.
 *
 * Return: 0 or -EINVAL.
 */
int vascend_hdc_check_timeout(const struct vascend_hdc_timeout *t,
			      const char **why)
{
	if (memchr_inv(t->reserved, 0, sizeof(t->reserved))) {
		*why = "reserved not zero";
		return -EINVAL;
	}
	return 0;
}

/**
 * vascend_hdc_check_msg_len() - check the size of a message to send
 * @len: bytes passed to write()
 * @why: the rule broken
 *
 * Return: 0; -EINVAL for 0 bytes (a message has at least one); -EMSGSIZE
 * above VASCEND_HDC_MAX_MSG.
 */
int vascend_hdc_check_msg_len(size_t len, const char **why)
{
	if (!len) {
		*why = "empty message";
		return -EINVAL;
	}
	if (len > VASCEND_HDC_MAX_MSG) {
		*why = "message above VASCEND_HDC_MAX_MSG";
		return -EMSGSIZE;
	}
	return 0;
}

/**
 * vascend_hdc_close_errno() - CONNECT's error when the card answers CLOSE
 * @reason: the CLOSE's reason
 *
 * Return: -ECONNREFUSED when the card refused the session (no such
 * service, too many sessions, the service could not start), -EIO when the
 * exchange itself broke (a reset, a protocol error).
 */
int vascend_hdc_close_errno(u32 reason)
{
	switch (reason) {
	case VASCEND_HDC_ERR_NO_SERVICE:
	case VASCEND_HDC_ERR_TOO_MANY:
	case VASCEND_HDC_ERR_SERVICE:
		return -ECONNREFUSED;
	default:
		return -EIO;
	}
}

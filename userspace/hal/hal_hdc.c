// SPDX-License-Identifier: MIT
/*
 * HDC sessions on /dev/hisi_hdc: one open file per session, one message per
 * read() or write(). The session handle is the file descriptor.
 */
#include <errno.h>
#include <string.h>

#include "vascend_hdc.h"

#include "hal_error.h"
#include "hal_internal.h"

/*
 * The backend sessions were opened with. Sessions do not outlive a backend
 * switch (tests only switch with nothing open).
 */
static const struct hal_os_ops *hdc_os(void)
{
	return hal_os();
}

DLLEXPORT drvError_t halVascendHdcConnect(uint32_t devId, uint32_t service, uint32_t timeoutMs,
					  int *session)
{
	struct vascend_hdc_connect c;
	const struct hal_os_ops *os;
	drvError_t ret;
	int fd, err;

	if (!session)
		return hal_fail(DRV_ERROR_INVALID_VALUE, 0, "halVascendHdcConnect: session is NULL");
	ret = hal_backend(&os);
	if (ret)
		return ret;
	fd = os->open(HAL_HDC_NODE);
	if (fd < 0)
		return hal_fail(hal_errno_to_drv(-fd), -fd, "%s", HAL_HDC_NODE);
	memset(&c, 0, sizeof(c));
	c.dev_id = devId;
	c.service = service;
	c.timeout_ms = timeoutMs;
	err = hal_ioctl(os, fd, VASCEND_IOCTL_HDC_CONNECT, &c);
	if (err) {
		os->close(fd);
		return hal_fail(hal_errno_to_drv(-err), -err,
				"%s: VASCEND_IOCTL_HDC_CONNECT to service %u of device %u",
				HAL_HDC_NODE, service, devId);
	}
	*session = fd;
	return DRV_ERROR_NONE;
}

DLLEXPORT drvError_t halVascendHdcSend(int session, const void *buf, size_t len)
{
	const struct hal_os_ops *os = hdc_os();
	long n;

	if (!os || !buf || !len)
		return hal_fail(DRV_ERROR_INVALID_VALUE, 0, "halVascendHdcSend: bad arguments");
	do
		n = os->write(session, buf, len);
	while (n == -EINTR);
	if (n < 0)
		return hal_fail(hal_errno_to_drv((int)-n), (int)-n, "%s: sending %zu bytes",
				HAL_HDC_NODE, len);
	return DRV_ERROR_NONE;
}

DLLEXPORT drvError_t halVascendHdcRecv(int session, void *buf, size_t len, size_t *got)
{
	const struct hal_os_ops *os = hdc_os();
	long n;

	if (!os || !buf || !got)
		return hal_fail(DRV_ERROR_INVALID_VALUE, 0, "halVascendHdcRecv: bad arguments");
	do
		n = os->read(session, buf, len);
	while (n == -EINTR);
	if (n < 0)
		return hal_fail(hal_errno_to_drv((int)-n), (int)-n, "%s: receiving into %zu bytes",
				HAL_HDC_NODE, len);
	*got = (size_t)n;
	return DRV_ERROR_NONE;
}

DLLEXPORT drvError_t halVascendHdcStatus(int session, struct halVascendHdcStatus *st)
{
	const struct hal_os_ops *os = hdc_os();
	struct vascend_hdc_session_status s;
	int err;

	if (!os || !st)
		return hal_fail(DRV_ERROR_INVALID_VALUE, 0, "halVascendHdcStatus: bad arguments");
	memset(&s, 0, sizeof(s));
	err = hal_ioctl(os, session, VASCEND_IOCTL_HDC_STATUS, &s);
	if (err)
		return hal_fail(hal_errno_to_drv(-err), -err, "%s: VASCEND_IOCTL_HDC_STATUS",
				HAL_HDC_NODE);
	st->state = s.state;
	st->closeReason = s.close_reason;
	st->queued = s.queued;
	st->nextLen = s.next_len;
	st->credits = s.credits;
	return DRV_ERROR_NONE;
}

DLLEXPORT drvError_t halVascendHdcSetTimeout(int session, uint32_t recvMs, uint32_t sendMs)
{
	const struct hal_os_ops *os = hdc_os();
	struct vascend_hdc_timeout t;
	int err;

	if (!os)
		return hal_fail(DRV_ERROR_CONFIG_READ_FAIL, 0, "no HAL backend");
	memset(&t, 0, sizeof(t));
	t.recv_ms = recvMs;
	t.send_ms = sendMs;
	err = hal_ioctl(os, session, VASCEND_IOCTL_HDC_SET_TIMEOUT, &t);
	if (err)
		return hal_fail(hal_errno_to_drv(-err), -err, "%s: VASCEND_IOCTL_HDC_SET_TIMEOUT",
				HAL_HDC_NODE);
	return DRV_ERROR_NONE;
}

DLLEXPORT drvError_t halVascendHdcClose(int session)
{
	const struct hal_os_ops *os = hdc_os();
	int err;

	if (!os)
		return hal_fail(DRV_ERROR_CONFIG_READ_FAIL, 0, "no HAL backend");
	err = os->close(session);
	if (err)
		return hal_fail(hal_errno_to_drv(-err), -err, "%s: closing session %d",
				HAL_HDC_NODE, session);
	return DRV_ERROR_NONE;
}

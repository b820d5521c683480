// SPDX-License-Identifier: MIT
/*
 * io_uring submission to /dev/davinciN (VASCEND_URING_CMD_SUBMIT) with
 * liburing: one SQE per batch of tasks, one CQE when the batch's last task
 * has completed. The ring keeps the device open (a drvDeviceOpen reference)
 * for as long as it lives, so the fd it names stays valid.
 */
#include <errno.h>
#include <liburing.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vascend_davinci.h"

#include "hal_error.h"
#include "hal_internal.h"

struct halVascendUring {
	struct io_uring ring;
	uint32_t dev;
	int fd;
	char path[HAL_NODE_PATH_MAX];
};

DLLEXPORT drvError_t halVascendUringCreate(uint32_t devId, uint32_t entries,
					   struct halVascendUring **ring)
{
	struct halVascendUring *r;
	struct hal_dev_ref dev;
	drvError_t ret;
	int err;

	if (!ring || !entries)
		return hal_fail(DRV_ERROR_INVALID_VALUE, 0, "halVascendUringCreate: bad arguments");
	ret = drvDeviceOpen(NULL, devId);
	if (ret)
		return ret;
	ret = hal_dev_get(devId, &dev);
	if (ret)
		goto close;
	if (dev.os != &hal_os_linux || !(dev.info->caps & VASCEND_CAP_URING_CMD)) {
		ret = hal_fail(DRV_ERROR_NOT_SUPPORT, 0, "%s: no io_uring submission (%s)",
			       dev.path, dev.os != &hal_os_linux ? "fake backend" :
								    "the driver does not offer it");
		goto put;
	}
	r = calloc(1, sizeof(*r));
	if (!r) {
		ret = hal_fail(DRV_ERROR_MALLOC_FAIL, ENOMEM, "halVascendUringCreate");
		goto put;
	}
	err = io_uring_queue_init(entries, &r->ring, 0);
	if (err) {
		free(r);
		ret = hal_fail(hal_errno_to_drv(-err), -err, "io_uring_queue_init(%u)", entries);
		goto put;
	}
	r->dev = devId;
	r->fd = dev.fd;
	snprintf(r->path, sizeof(r->path), "%s", dev.path);
	*ring = r;
	hal_dev_put(&dev);
	return DRV_ERROR_NONE;
put:
	hal_dev_put(&dev);
close:
	drvDeviceClose(devId);
	return ret;
}

DLLEXPORT void halVascendUringDestroy(struct halVascendUring *ring)
{
	if (!ring)
		return;
	io_uring_queue_exit(&ring->ring);
	drvDeviceClose(ring->dev);
	free(ring);
}

DLLEXPORT drvError_t halVascendUringSubmit(struct halVascendUring *ring, uint32_t streamId,
					   const struct vascend_task *tasks, uint32_t count,
					   uint64_t userData)
{
	struct vascend_uring_submit *p;
	struct io_uring_sqe *sqe;
	int err;

	if (!ring || !tasks || !count || count > VASCEND_SUBMIT_MAX)
		return hal_fail(DRV_ERROR_INVALID_VALUE, 0,
				"halVascendUringSubmit: %u tasks (1..%u)", count, VASCEND_SUBMIT_MAX);
	sqe = io_uring_get_sqe(&ring->ring);
	if (!sqe) {
		/* full: hand the queued ones to the kernel and try once more */
		io_uring_submit(&ring->ring);
		sqe = io_uring_get_sqe(&ring->ring);
		if (!sqe)
			return hal_fail(DRV_ERROR_TRY_AGAIN, EAGAIN, "%s: io_uring SQ full",
					ring->path);
	}
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = IORING_OP_URING_CMD;
	sqe->fd = ring->fd;
	sqe->cmd_op = VASCEND_URING_CMD_SUBMIT;
	sqe->user_data = userData;
	p = (struct vascend_uring_submit *)sqe->cmd;
	p->stream_id = streamId;
	p->count = count;
	p->tasks = (uint64_t)(uintptr_t)tasks;
	/* the tasks are read during submission: submit now, not later */
	err = io_uring_submit(&ring->ring);
	if (err < 0)
		return hal_fail(hal_errno_to_drv(-err), -err, "%s: io_uring_submit", ring->path);
	return DRV_ERROR_NONE;
}

DLLEXPORT drvError_t halVascendUringReap(struct halVascendUring *ring, int wait,
					 uint64_t *userData, int *res)
{
	struct io_uring_cqe *cqe;
	int err;

	if (!ring || !userData || !res)
		return hal_fail(DRV_ERROR_INVALID_VALUE, 0, "halVascendUringReap: bad arguments");
	do
		err = wait ? io_uring_wait_cqe(&ring->ring, &cqe) : io_uring_peek_cqe(&ring->ring, &cqe);
	while (err == -EINTR);
	if (err == -EAGAIN)
		return hal_fail(DRV_ERROR_TRY_AGAIN, EAGAIN, "%s: no io_uring completion yet",
				ring->path);
	if (err)
		return hal_fail(hal_errno_to_drv(-err), -err, "%s: io_uring wait", ring->path);
	*userData = cqe->user_data;
	*res = cqe->res;
	io_uring_cqe_seen(&ring->ring, cqe);
	return DRV_ERROR_NONE;
}

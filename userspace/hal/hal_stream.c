// SPDX-License-Identifier: MIT
/*
 * Streams on /dev/davinciN: create, destroy, reset, submit, wait, eventfd;
 * and the firmware's op table (VASCEND_IOCTL_GET_OP_TABLE).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "vascend_davinci.h"
#include "vascend_queue_hw.h"

#include "hal_error.h"
#include "hal_internal.h"

_Static_assert(HAL_VASCEND_CAP_STREAMS == VASCEND_CAP_STREAMS, "caps are passed through as-is");
_Static_assert(HAL_VASCEND_CAP_URING_CMD == VASCEND_CAP_URING_CMD, "caps are passed through");
_Static_assert(HAL_VASCEND_CAP_SVM == VASCEND_CAP_SVM, "caps are passed through as-is");
_Static_assert(HAL_VASCEND_CAP_HDC == VASCEND_CAP_HDC, "caps are passed through as-is");
_Static_assert(HAL_VASCEND_WAIT_FOREVER == VASCEND_WAIT_FOREVER, "wait timeouts differ");
_Static_assert(sizeof(struct halVascendOpEntry) == sizeof(struct vascend_op_entry),
	       "op entries differ");
_Static_assert(HAL_VASCEND_OP_NAME_MAX == sizeof(((struct vascend_op_entry *)0)->name),
	       "op name sizes differ");

/* Borrow open device @devId for a stream call; names the call on failure. */
static drvError_t stream_dev(uint32_t devId, const char *call, struct hal_dev_ref *dev)
{
	drvError_t ret = hal_dev_get(devId, dev);

	if (ret)
		return ret;
	if (!(dev->info->caps & VASCEND_CAP_STREAMS)) {
		hal_dev_put(dev);
		return hal_fail(DRV_ERROR_NOT_SUPPORT, 0, "%s: %s: the driver offers no streams",
				dev->path, call);
	}
	return DRV_ERROR_NONE;
}

DLLEXPORT drvError_t halVascendStreamCreate(uint32_t devId, uint32_t depth, uint32_t *streamId)
{
	struct vascend_stream_create c;
	struct hal_dev_ref dev;
	drvError_t ret;
	int err;

	if (!streamId)
		return hal_fail(DRV_ERROR_INVALID_VALUE, 0, "halVascendStreamCreate: streamId is NULL");
	ret = stream_dev(devId, "halVascendStreamCreate", &dev);
	if (ret)
		return ret;
	memset(&c, 0, sizeof(c));
	c.depth = depth;
	err = hal_ioctl(dev.os, dev.fd, VASCEND_IOCTL_STREAM_CREATE, &c);
	if (err == -EMFILE || err == -ENOSPC)
		ret = hal_fail(DRV_ERROR_NO_STREAM_RESOURCES, -err,
			       "%s: VASCEND_IOCTL_STREAM_CREATE: %s", dev.path,
			       err == -EMFILE ? "64 streams open on this file" :
						"the card has no free queue");
	else if (err)
		ret = hal_fail(hal_errno_to_drv(-err), -err,
			       "%s: VASCEND_IOCTL_STREAM_CREATE (depth %u)", dev.path, depth);
	else
		*streamId = c.stream_id;
	hal_dev_put(&dev);
	return ret;
}

static drvError_t stream_ref(uint32_t devId, uint32_t streamId, unsigned long req,
			     const char *name)
{
	struct vascend_stream_ref r;
	struct hal_dev_ref dev;
	drvError_t ret;
	int err;

	ret = stream_dev(devId, name, &dev);
	if (ret)
		return ret;
	memset(&r, 0, sizeof(r));
	r.stream_id = streamId;
	err = hal_ioctl(dev.os, dev.fd, req, &r);
	if (err)
		ret = hal_fail(hal_errno_to_drv(-err), -err, "%s: %s of stream %u", dev.path, name,
			       streamId);
	hal_dev_put(&dev);
	return ret;
}

DLLEXPORT drvError_t halVascendStreamDestroy(uint32_t devId, uint32_t streamId)
{
	return stream_ref(devId, streamId, VASCEND_IOCTL_STREAM_DESTROY,
			  "VASCEND_IOCTL_STREAM_DESTROY");
}

DLLEXPORT drvError_t halVascendStreamReset(uint32_t devId, uint32_t streamId)
{
	return stream_ref(devId, streamId, VASCEND_IOCTL_STREAM_RESET,
			  "VASCEND_IOCTL_STREAM_RESET");
}

DLLEXPORT drvError_t halVascendStreamSubmit(uint32_t devId, uint32_t streamId,
					    const struct vascend_task *tasks, uint32_t count,
					    uint32_t flags, uint64_t *seq)
{
	struct vascend_submit s;
	struct hal_dev_ref dev;
	drvError_t ret;
	uint32_t done = 0, n;
	int err;

	if (!tasks || !count)
		return hal_fail(DRV_ERROR_INVALID_VALUE, 0,
				"halVascendStreamSubmit: tasks %p, count %u", (const void *)tasks,
				count);
	if (flags & ~HAL_VASCEND_SUBMIT_NONBLOCK)
		return hal_fail(DRV_ERROR_INVALID_VALUE, 0,
				"halVascendStreamSubmit: unknown flags 0x%x", flags);
	ret = stream_dev(devId, "halVascendStreamSubmit", &dev);
	if (ret)
		return ret;
	while (done < count) {
		n = count - done < VASCEND_SUBMIT_MAX ? count - done : VASCEND_SUBMIT_MAX;
		memset(&s, 0, sizeof(s));
		s.stream_id = streamId;
		s.count = n;
		s.tasks = (uint64_t)(uintptr_t)(tasks + done);
		s.flags = flags & HAL_VASCEND_SUBMIT_NONBLOCK ? VASCEND_SUBMIT_F_NONBLOCK : 0;
		err = hal_ioctl(dev.os, dev.fd, VASCEND_IOCTL_SUBMIT, &s);
		if (err == -EIO) {
			ret = hal_fail(DRV_ERROR_STATUS_FAIL, EIO,
				       "%s: VASCEND_IOCTL_SUBMIT to stream %u: an earlier task failed "
				       "and the stream is stopped", dev.path, streamId);
			break;
		}
		if (err) {
			ret = hal_fail(hal_errno_to_drv(-err), -err,
				       "%s: VASCEND_IOCTL_SUBMIT of %u tasks (type %u first) to stream %u",
				       dev.path, n, tasks[done].type, streamId);
			break;
		}
		done += n;
		if (seq)
			*seq = s.seq;
	}
	hal_dev_put(&dev);
	return ret;
}

DLLEXPORT drvError_t halVascendStreamWait(uint32_t devId, uint32_t streamId, uint64_t seq,
					  uint32_t timeoutMs, struct halVascendStreamStatus *st)
{
	struct vascend_wait w;
	struct hal_dev_ref dev;
	drvError_t ret;
	int err;

	ret = stream_dev(devId, "halVascendStreamWait", &dev);
	if (ret)
		return ret;
	memset(&w, 0, sizeof(w));
	w.stream_id = streamId;
	w.timeout_ms = timeoutMs;
	w.seq = seq;
	err = hal_ioctl(dev.os, dev.fd, VASCEND_IOCTL_WAIT, &w);
	if (!err || err == -ETIMEDOUT) {
		if (st) {
			st->completed = w.completed;
			st->status = w.status;
			st->errInfo = w.err_info;
			st->errSeq = w.err_seq;
			st->errResult = w.err_result;
			st->startTs = w.start_ts;
			st->endTs = w.end_ts;
		}
	}
	if (err == -ETIMEDOUT)
		ret = hal_fail(DRV_ERROR_WAIT_TIMEOUT, ETIMEDOUT,
			       "%s: stream %u: task %" PRIu64 " not done within %u ms (done up to %"
			       PRIu64 ")", dev.path, streamId, seq, timeoutMs, (uint64_t)w.completed);
	else if (err)
		ret = hal_fail(hal_errno_to_drv(-err), -err,
			       "%s: VASCEND_IOCTL_WAIT on stream %u for task %" PRIu64, dev.path,
			       streamId, seq);
	hal_dev_put(&dev);
	return ret;
}

DLLEXPORT drvError_t halVascendStreamSetEventfd(uint32_t devId, uint32_t streamId, int fd)
{
	struct vascend_stream_eventfd e;
	struct hal_dev_ref dev;
	drvError_t ret;
	int err;

	ret = stream_dev(devId, "halVascendStreamSetEventfd", &dev);
	if (ret)
		return ret;
	memset(&e, 0, sizeof(e));
	e.stream_id = streamId;
	e.fd = fd;
	err = hal_ioctl(dev.os, dev.fd, VASCEND_IOCTL_STREAM_EVENTFD, &e);
	if (err)
		ret = hal_fail(hal_errno_to_drv(-err), -err,
			       "%s: VASCEND_IOCTL_STREAM_EVENTFD of stream %u (fd %d)", dev.path,
			       streamId, fd);
	hal_dev_put(&dev);
	return ret;
}

DLLEXPORT drvError_t halVascendDevicePollFd(uint32_t devId, int *fd)
{
	struct hal_dev_ref dev;
	drvError_t ret;

	if (!fd)
		return hal_fail(DRV_ERROR_INVALID_VALUE, 0, "halVascendDevicePollFd: fd is NULL");
	ret = hal_dev_get(devId, &dev);
	if (ret)
		return ret;
	if (dev.os != &hal_os_linux)
		ret = hal_fail(DRV_ERROR_NOT_SUPPORT, 0, "%s: the %s backend has no pollable fd",
			       dev.path, dev.os->name);
	else
		*fd = dev.fd;
	hal_dev_put(&dev);
	return ret;
}

DLLEXPORT drvError_t halVascendGetOpTable(uint32_t devId, struct halVascendOpEntry *entries,
					  uint32_t len, uint32_t *count)
{
	struct vascend_op_table t;
	struct hal_dev_ref dev;
	drvError_t ret;
	uint32_t i;
	int err;

	if (!count || (len && !entries))
		return hal_fail(DRV_ERROR_INVALID_VALUE, 0,
				"halVascendGetOpTable: count %p, entries %p for %u",
				(void *)count, (void *)entries, len);
	ret = hal_dev_get(devId, &dev);
	if (ret)
		return ret;
	if (!(dev.info->caps & VASCEND_CAP_OP_TABLE)) {
		ret = hal_fail(DRV_ERROR_NOT_SUPPORT, 0,
			       "%s: the driver does not offer VASCEND_IOCTL_GET_OP_TABLE", dev.path);
		goto put;
	}
	memset(&t, 0, sizeof(t));
	t.count = len;
	t.entries = (uint64_t)(uintptr_t)entries;
	err = hal_ioctl(dev.os, dev.fd, VASCEND_IOCTL_GET_OP_TABLE, &t);
	if (err) {
		ret = hal_fail(hal_errno_to_drv(-err), -err, "%s: VASCEND_IOCTL_GET_OP_TABLE",
			       dev.path);
		goto put;
	}
	for (i = 0; i < len && i < t.count; i++)
		entries[i].name[HAL_VASCEND_OP_NAME_MAX - 1] = '\0';	/* never trust a NUL */
	*count = t.count;
put:
	hal_dev_put(&dev);
	return ret;
}

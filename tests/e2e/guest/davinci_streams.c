// SPDX-License-Identifier: MIT
/*
 * davinci_streams: streams on /dev/davinciN through the raw ioctls
 * (include/uapi/vascend_davinci.h), inside the VM against the real driver
 * and device. Every stream ioctl's success path and each of its errno
 * rules (one TAP line per rule), NOP batches, ring-full sleeping and
 * NONBLOCK, WAIT with timeout and EINTR, poll/epoll, eventfd, device
 * failures (MMU fault) and STREAM_RESET, the memory tasks (MEMSET,
 * MEMCPY, EVENT_RECORD, EVENT_WAIT, NOTIFY) on memory from /dev/devmm_svm,
 * and WAIT's polling (through the vascend_wait_poll tracepoint).
 *
 *	davinci_streams [CARD]
 */
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/mount.h>
#include <sys/wait.h>

#include "davinci_util.h"

static unsigned int card;

static void tap_skip(const char *what, const char *why)
{
	tap_count++;
	printf("ok %d - %s # SKIP %s\n", tap_count, what, why);
	fflush(stdout);
}

/* One TAP line per errno rule: the ioctl fails with @want. */
#define EXPECT_ERR(want, call, ...) do {				\
	int r_ = (call);						\
	TAP_CHECK(r_ == -(want), __VA_ARGS__);				\
	if (r_ != -(want))						\
		printf("#   got %d (%s)\n", r_, strerror(-r_));	\
} while (0)

static void test_info(int fd)
{
	struct vascend_device_info info = { 0 };

	TAP_CHECK(!dv_ioctl(fd, VASCEND_IOCTL_GET_INFO, &info) &&
		  (info.caps & VASCEND_CAP_STREAMS) &&
		  (info.caps & VASCEND_CAP_URING_CMD) &&
		  info.uapi_version == VASCEND_UAPI_VERSION(1, 1),
		  "GET_INFO: uapi 1.1, caps 0x%llx has STREAMS and URING_CMD",
		  (unsigned long long)info.caps);
}

static void test_create_rules(int fd)
{
	struct vascend_stream_create c;
	uint32_t id = 0, id2 = 0;
	int i, n, ret;

	ret = dv_stream_create(fd, 0, &id);
	TAP_CHECK(!ret && id >= 1 && id <= VASCEND_STREAMS_PER_FILE,
		  "STREAM_CREATE: default depth, id %u", id);
	ret = dv_stream_create(fd, 2, &id2);
	TAP_CHECK(!ret && id2 != id, "STREAM_CREATE: depth 2, a different id %u", id2);
	TAP_CHECK(!dv_stream_ref(fd, VASCEND_IOCTL_STREAM_DESTROY, id2),
		  "STREAM_DESTROY: depth-2 stream");
	TAP_CHECK(!dv_stream_create(fd, VASCEND_STREAM_MAX_DEPTH, &id2),
		  "STREAM_CREATE: depth %u", VASCEND_STREAM_MAX_DEPTH);
	TAP_CHECK(!dv_stream_ref(fd, VASCEND_IOCTL_STREAM_DESTROY, id2),
		  "STREAM_DESTROY: deepest stream");
	TAP_CHECK(!dv_stream_ref(fd, VASCEND_IOCTL_STREAM_DESTROY, id),
		  "STREAM_DESTROY: default stream");

	EXPECT_ERR(EINVAL, dv_stream_create(fd, 3, NULL), "STREAM_CREATE: depth 3 (not a power of two) is EINVAL");
	EXPECT_ERR(EINVAL, dv_stream_create(fd, 1, NULL), "STREAM_CREATE: depth 1 is EINVAL");
	EXPECT_ERR(EINVAL, dv_stream_create(fd, 2 * VASCEND_STREAM_MAX_DEPTH, NULL),
		   "STREAM_CREATE: depth above the maximum is EINVAL");
	c = (struct vascend_stream_create){ .flags = 1 };
	EXPECT_ERR(EINVAL, dv_ioctl(fd, VASCEND_IOCTL_STREAM_CREATE, &c), "STREAM_CREATE: flags is EINVAL");
	c = (struct vascend_stream_create){ .pad = 1 };
	EXPECT_ERR(EINVAL, dv_ioctl(fd, VASCEND_IOCTL_STREAM_CREATE, &c), "STREAM_CREATE: pad is EINVAL");
	c = (struct vascend_stream_create){ .reserved[1] = 1 };
	EXPECT_ERR(EINVAL, dv_ioctl(fd, VASCEND_IOCTL_STREAM_CREATE, &c), "STREAM_CREATE: reserved is EINVAL");
	EXPECT_ERR(EFAULT, dv_ioctl(fd, VASCEND_IOCTL_STREAM_CREATE, (void *)8),
		   "STREAM_CREATE: bad pointer is EFAULT");

	/* The card has 63 IO queues: they run out before the file's 64 ids. */
	for (n = 0; n < VASCEND_STREAMS_PER_FILE; n++) {
		ret = dv_stream_create(fd, 2, NULL);
		if (ret)
			break;
	}
	TAP_CHECK(ret == -ENOSPC || ret == -EMFILE,
		  "STREAM_CREATE: %d streams, then %s (ENOSPC: the card's queues, EMFILE: the file's ids)",
		  n, strerror(-ret));
	for (i = 1; i <= VASCEND_STREAMS_PER_FILE; i++)
		dv_stream_ref(fd, VASCEND_IOCTL_STREAM_DESTROY, i);
	TAP_CHECK(!dv_stream_create(fd, 0, &id) &&
		  !dv_stream_ref(fd, VASCEND_IOCTL_STREAM_DESTROY, id),
		  "STREAM_CREATE: works again once the streams are destroyed");
}

static void test_ref_rules(int fd, uint32_t id)
{
	struct vascend_stream_ref r;

	EXPECT_ERR(EINVAL, dv_stream_ref(fd, VASCEND_IOCTL_STREAM_DESTROY, 0), "STREAM_DESTROY: id 0 is EINVAL");
	EXPECT_ERR(EINVAL, dv_stream_ref(fd, VASCEND_IOCTL_STREAM_DESTROY, 999), "STREAM_DESTROY: unknown id is EINVAL");
	EXPECT_ERR(EINVAL, dv_stream_ref(fd, VASCEND_IOCTL_STREAM_RESET, 999), "STREAM_RESET: unknown id is EINVAL");
	r = (struct vascend_stream_ref){ .stream_id = id, .flags = 1 };
	EXPECT_ERR(EINVAL, dv_ioctl(fd, VASCEND_IOCTL_STREAM_DESTROY, &r), "STREAM_DESTROY: flags is EINVAL");
	r = (struct vascend_stream_ref){ .stream_id = id, .reserved[0] = 1 };
	EXPECT_ERR(EINVAL, dv_ioctl(fd, VASCEND_IOCTL_STREAM_RESET, &r), "STREAM_RESET: reserved is EINVAL");
	EXPECT_ERR(EFAULT, dv_ioctl(fd, VASCEND_IOCTL_STREAM_RESET, (void *)8), "STREAM_RESET: bad pointer is EFAULT");
}

static void test_nop(int fd, uint32_t id)
{
	struct vascend_task t[VASCEND_SUBMIT_MAX];
	struct vascend_wait w = { 0 };
	uint64_t seq = 0, seq2 = 0;
	unsigned int i;
	int r;

	for (i = 0; i < ARRAY_LEN(t); i++)
		t[i] = dv_nop();
	r = dv_submit(fd, id, t, 1, 0, &seq);
	TAP_CHECK(!r && seq == 1, "SUBMIT: one NOP is seq 1 (got %llu)", (unsigned long long)seq);
	r = dv_wait(fd, id, 1, 5000, &w);
	TAP_CHECK(!r && w.completed == 1 && w.status == 0 &&
		  w.end_ts >= w.start_ts && w.end_ts > 0,
		  "WAIT: seq 1 completed, status 0, device timestamps %llu..%llu",
		  (unsigned long long)w.start_ts, (unsigned long long)w.end_ts);
	r = dv_submit(fd, id, t, VASCEND_SUBMIT_MAX, 0, &seq2);
	TAP_CHECK(!r && seq2 == 1 + VASCEND_SUBMIT_MAX,
		  "SUBMIT: %u NOPs end at seq %llu", VASCEND_SUBMIT_MAX, (unsigned long long)seq2);
	r = dv_wait(fd, id, 0, 5000, &w);
	TAP_CHECK(!r && w.completed == seq2 && !w.status,
		  "WAIT: seq 0 waits for everything submitted (completed %llu)",
		  (unsigned long long)w.completed);
	TAP_CHECK(!dv_wait(fd, id, seq2, 0, &w) && w.completed == seq2,
		  "WAIT: timeout 0 on finished work is a successful query");
	TAP_CHECK(!dv_wait(fd, id, 1, VASCEND_WAIT_FOREVER, &w),
		  "WAIT: FOREVER on finished work returns at once");
}

static void test_submit_rules(int fd, uint32_t id)
{
	struct vascend_task t[2] = { dv_nop(), dv_nop() };
	struct vascend_submit s;
	struct vascend_wait w0 = { 0 }, w1 = { 0 };

	s = (struct vascend_submit){ .stream_id = id, .count = 0, .tasks = (uintptr_t)t };
	EXPECT_ERR(EINVAL, dv_ioctl(fd, VASCEND_IOCTL_SUBMIT, &s), "SUBMIT: count 0 is EINVAL");
	s.count = VASCEND_SUBMIT_MAX + 1;
	EXPECT_ERR(EINVAL, dv_ioctl(fd, VASCEND_IOCTL_SUBMIT, &s), "SUBMIT: count above %u is EINVAL",
		   VASCEND_SUBMIT_MAX);
	s = (struct vascend_submit){ .stream_id = id, .count = 1, .tasks = (uintptr_t)t, .flags = 2 };
	EXPECT_ERR(EINVAL, dv_ioctl(fd, VASCEND_IOCTL_SUBMIT, &s), "SUBMIT: unknown flag is EINVAL");
	s = (struct vascend_submit){ .stream_id = id, .count = 1, .tasks = (uintptr_t)t, .pad = 1 };
	EXPECT_ERR(EINVAL, dv_ioctl(fd, VASCEND_IOCTL_SUBMIT, &s), "SUBMIT: pad is EINVAL");
	s = (struct vascend_submit){ .stream_id = id, .count = 1, .tasks = (uintptr_t)t, .reserved[1] = 1 };
	EXPECT_ERR(EINVAL, dv_ioctl(fd, VASCEND_IOCTL_SUBMIT, &s), "SUBMIT: reserved is EINVAL");
	EXPECT_ERR(EINVAL, dv_submit(fd, 999, t, 1, 0, NULL), "SUBMIT: unknown stream is EINVAL");
	EXPECT_ERR(EFAULT, dv_submit(fd, id, (void *)8, 1, 0, NULL), "SUBMIT: unreadable tasks are EFAULT");
	EXPECT_ERR(EFAULT, dv_ioctl(fd, VASCEND_IOCTL_SUBMIT, (void *)8), "SUBMIT: bad pointer is EFAULT");

	/* One bad task queues nothing: the good one before it does not run. */
	dv_wait(fd, id, 0, 5000, &w0);
	t[1].flags = 0x80;
	EXPECT_ERR(EINVAL, dv_submit(fd, id, t, 2, 0, NULL), "SUBMIT: a batch with one bad task is EINVAL");
	dv_wait(fd, id, 0, 0, &w1);
	TAP_CHECK(w1.completed == w0.completed, "SUBMIT: ... and queues none of it (completed %llu, was %llu)",
		  (unsigned long long)w1.completed, (unsigned long long)w0.completed);
}

/* Each rule of struct vascend_task, one line each. */
static void test_task_rules(int fd, uint32_t id)
{
	struct { struct vascend_task t; const char *what; } bad[32];
	unsigned int n = 0, i;
	struct vascend_task t;

#define BAD(expr, text) do { t = (struct vascend_task){ 0 }; expr; bad[n].t = t; bad[n++].what = text; } while (0)
	BAD(t.type = 7, "unknown type 7");
	BAD(t.type = 0x80, "admin opcode 0x80 as a type");
	BAD(t.flags = 2, "NOP with an undefined flag");
	BAD(t.rsvd0 = 1, "rsvd0 not zero");
	BAD(t.rsvd1 = 1, "rsvd1 not zero");
	BAD(t.u.raw[0] = 1, "NOP with an argument word");
	BAD((t = dv_memcpy(0x100000, 0x200000, 0)), "MEMCPY of 0 bytes");
	BAD((t = dv_memcpy(0x10000000, 0x20000000, (64ull << 20) + 1)), "MEMCPY above 64 MiB");
	BAD((t = dv_memcpy(0x100000, 0x100800, 0x1000)), "MEMCPY with overlapping ranges");
	BAD((t = dv_memcpy(1ull << 48, 0x100000, 16)), "MEMCPY to a VA at 2^48");
	BAD((t = dv_memcpy(0x100000, ~0ull - 8, 16)), "MEMCPY from a range that wraps");
	BAD((t = dv_memcpy(0x100000, 0x200000, 16), t.u.raw[3] = 1), "MEMCPY with an unused word");
	BAD((t = dv_memset(0x100000, 0, 1)), "MEMSET of 0 bytes");
	BAD((t = dv_memset(0x100000, (64ull << 20) + 1, 1)), "MEMSET above 64 MiB");
	BAD((t = dv_memset(0x100000, 16, 0), t.u.memset.value = 0x100), "MEMSET value 0x100");
	BAD((t = dv_memset(0x100000, 16, 0), t.u.memset.rsvd = 1), "MEMSET rsvd not zero");
	BAD((t = dv_memset((1ull << 48) - 8, 16, 0)), "MEMSET past 2^48");
	BAD((t = dv_event(VASCEND_TASK_EVENT_RECORD, 0x100008, 1)), "EVENT_RECORD at an 8-byte aligned address");
	BAD((t = dv_event(VASCEND_TASK_EVENT_WAIT, 0x100004, 1)), "EVENT_WAIT at a 4-byte aligned address");
	BAD((t = dv_event(VASCEND_TASK_NOTIFY, 0x100001, 1)), "NOTIFY at an odd address");
	BAD((t = dv_event(VASCEND_TASK_NOTIFY, 0x100000, 1), t.u.raw[2] = 1), "NOTIFY with an unused word");
	BAD((t = dv_event(VASCEND_TASK_EVENT_RECORD, 1ull << 48, 1)), "EVENT_RECORD at 2^48");
	BAD((t.type = VASCEND_TASK_KERNEL_LAUNCH, t.u.launch.desc = 0x100000, t.u.launch.desc_size = 63),
	    "KERNEL_LAUNCH with a 63-byte descriptor");
	BAD((t.type = VASCEND_TASK_KERNEL_LAUNCH, t.u.launch.desc = 0x100000,
	     t.u.launch.desc_size = (1u << 20) + 8), "KERNEL_LAUNCH with a descriptor above 1 MiB");
	BAD((t.type = VASCEND_TASK_KERNEL_LAUNCH, t.u.launch.desc = 0x100000, t.u.launch.desc_size = 64,
	     t.u.launch.block_dim = 64 * 64 + 1), "KERNEL_LAUNCH with block_dim above 64 per AI Core");
	BAD((t.type = VASCEND_TASK_KERNEL_LAUNCH, t.u.launch.desc = 0x100000, t.u.launch.desc_size = 64,
	     t.u.launch.rsvd = 1), "KERNEL_LAUNCH rsvd not zero");
	BAD((t.type = VASCEND_TASK_KERNEL_LAUNCH, t.u.launch.desc = 0x100000, t.u.launch.desc_size = 64,
	     t.u.raw[3] = 1), "KERNEL_LAUNCH with an unused word");
#undef BAD
	for (i = 0; i < n; i++)
		EXPECT_ERR(EINVAL, dv_submit(fd, id, &bad[i].t, 1, 0, NULL), "task rule: %s is EINVAL",
			   bad[i].what);
}

static void test_wait_rules(int fd, uint32_t id)
{
	struct vascend_wait w = { 0 };

	w = (struct vascend_wait){ .stream_id = id, .reserved[0] = 1 };
	EXPECT_ERR(EINVAL, dv_ioctl(fd, VASCEND_IOCTL_WAIT, &w), "WAIT: reserved is EINVAL");
	EXPECT_ERR(EINVAL, dv_wait(fd, 999, 0, 0, NULL), "WAIT: unknown stream is EINVAL");
	EXPECT_ERR(EINVAL, dv_wait(fd, id, 1ull << 40, 0, NULL), "WAIT: a seq never submitted is EINVAL");
	EXPECT_ERR(EFAULT, dv_ioctl(fd, VASCEND_IOCTL_WAIT, (void *)8), "WAIT: bad pointer is EFAULT");
	EXPECT_ERR(ENOTTY, dv_ioctl(fd, _IO(VASCEND_IOCTL_MAGIC, 0x3f), NULL), "unknown ioctl is ENOTTY");
}

/* A batch larger than the ring: the submitter sleeps for room, seqs stay contiguous. */
static void test_ring_full(int fd)
{
	struct vascend_task t[VASCEND_SUBMIT_MAX];
	struct vascend_wait w = { 0 };
	uint64_t seq = 0;
	unsigned int i;
	uint32_t id = 0;
	int r;

	for (i = 0; i < ARRAY_LEN(t); i++)
		t[i] = dv_nop();
	if (!TAP_CHECK(!dv_stream_create(fd, 2, &id), "ring full: depth-2 stream"))
		return;
	r = dv_submit(fd, id, t, VASCEND_SUBMIT_MAX, 0, &seq);
	TAP_CHECK(!r && seq == VASCEND_SUBMIT_MAX,
		  "ring full: %u NOPs through a 2-entry ring end at seq %llu", VASCEND_SUBMIT_MAX,
		  (unsigned long long)seq);
	TAP_CHECK(!dv_wait(fd, id, seq, 5000, &w) && w.completed == seq && !w.status,
		  "ring full: all completed");
	EXPECT_ERR(EINVAL, dv_submit(fd, id, t, 2, VASCEND_SUBMIT_F_NONBLOCK, NULL),
		   "SUBMIT: NONBLOCK batch that can never fit the ring is EINVAL");
	dv_stream_ref(fd, VASCEND_IOCTL_STREAM_DESTROY, id);
}

/* A failing task: error reported by WAIT and poll, stream stopped until STREAM_RESET. */
static void test_fault(int fd)
{
	struct vascend_task t[3] = { dv_nop(), dv_memset(0x7f0000000000ull, 4096, 0x5a), dv_nop() };
	struct pollfd pfd = { .fd = fd, .events = POLLIN | POLLPRI };
	struct vascend_wait w = { 0 };
	uint64_t seq = 0;
	uint32_t id = 0;
	int r;

	if (!TAP_CHECK(!dv_stream_create(fd, 16, &id), "fault: stream"))
		return;
	TAP_CHECK(!dv_submit(fd, id, t, 3, 0, &seq) && seq == 3, "fault: NOP, MEMSET to unmapped VA, NOP queued");
	r = dv_wait(fd, id, 3, 5000, &w);
	TAP_CHECK(!r && w.status == VASCEND_CQE_STATUS_MMU_FAULT &&
		  w.err_seq == 2 && w.err_result == 0x7f0000000000ull && w.completed == 2 &&
		  (w.err_info & VASCEND_FAULT_ACCESS_WRITE),
		  "fault: WAIT returns MMU_FAULT at seq %llu, address 0x%llx, info 0x%x, completed %llu",
		  (unsigned long long)w.err_seq, (unsigned long long)w.err_result, w.err_info,
		  (unsigned long long)w.completed);
	TAP_CHECK(poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLPRI),
		  "fault: poll reports POLLPRI (revents 0x%x)", pfd.revents);
	EXPECT_ERR(EIO, dv_submit(fd, id, t, 1, 0, NULL), "SUBMIT: a failed stream is EIO until STREAM_RESET");
	TAP_CHECK(!dv_stream_ref(fd, VASCEND_IOCTL_STREAM_RESET, id), "STREAM_RESET: failed stream");
	r = dv_wait(fd, id, 0, 0, &w);
	TAP_CHECK(!r && !w.status && w.completed == 3,
		  "STREAM_RESET: error cleared, the dropped task counts as done (completed %llu)",
		  (unsigned long long)w.completed);
	r = dv_submit(fd, id, t, 1, 0, &seq);
	r = r ? r : dv_wait(fd, id, 4, 5000, &w);
	TAP_CHECK(!r && seq == 4 && !w.status, "STREAM_RESET: the stream runs again, numbering goes on (seq %llu)",
		  (unsigned long long)seq);
	TAP_CHECK(!dv_stream_ref(fd, VASCEND_IOCTL_STREAM_RESET, id), "STREAM_RESET: healthy idle stream");
	dv_stream_ref(fd, VASCEND_IOCTL_STREAM_DESTROY, id);
}

static void test_poll(int fd)
{
	struct vascend_task t = dv_nop();
	struct pollfd pfd = { .fd = fd, .events = POLLIN | POLLPRI };
	struct epoll_event ev = { .events = EPOLLIN }, out;
	uint64_t seq;
	int ep, n;
	uint32_t id = 0;

	if (!TAP_CHECK(!dv_stream_create(fd, 0, &id), "poll: stream"))
		return;
	TAP_CHECK(poll(&pfd, 1, 0) == 0, "poll: nothing to report on a new stream");
	dv_submit(fd, id, &t, 1, VASCEND_TASK_F_IRQ_NOW, &seq);
	n = poll(&pfd, 1, 5000);
	TAP_CHECK(n == 1 && (pfd.revents & POLLIN) && !(pfd.revents & POLLPRI),
		  "poll: POLLIN once the NOP completed (revents 0x%x)", pfd.revents);
	dv_wait(fd, id, seq, 0, NULL);
	TAP_CHECK(poll(&pfd, 1, 0) == 0, "poll: quiet again once WAIT reported the completion");

	ep = epoll_create1(EPOLL_CLOEXEC);
	epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev);
	TAP_CHECK(epoll_wait(ep, &out, 1, 0) == 0, "epoll: nothing pending");
	dv_submit(fd, id, &t, 1, 0, &seq);
	TAP_CHECK(epoll_wait(ep, &out, 1, 5000) == 1 && (out.events & EPOLLIN), "epoll: EPOLLIN after a NOP");
	close(ep);
	dv_wait(fd, id, 0, 0, NULL);
	dv_stream_ref(fd, VASCEND_IOCTL_STREAM_DESTROY, id);
}

static void test_eventfd(int fd)
{
	struct vascend_stream_eventfd e;
	struct vascend_task t = dv_nop();
	struct pollfd pfd;
	uint64_t val = 0, seq;
	int efd;
	uint32_t id = 0;

	if (!TAP_CHECK(!dv_stream_create(fd, 0, &id), "eventfd: stream"))
		return;
	efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	e = (struct vascend_stream_eventfd){ .stream_id = id, .fd = efd };
	TAP_CHECK(!dv_ioctl(fd, VASCEND_IOCTL_STREAM_EVENTFD, &e), "STREAM_EVENTFD: attach");
	dv_submit(fd, id, &t, 1, 0, &seq);
	pfd = (struct pollfd){ .fd = efd, .events = POLLIN };
	TAP_CHECK(poll(&pfd, 1, 5000) == 1 && read(efd, &val, 8) == 8 && val >= 1,
		  "STREAM_EVENTFD: signalled when the task completes (count %llu)", (unsigned long long)val);
	e.fd = -1;
	TAP_CHECK(!dv_ioctl(fd, VASCEND_IOCTL_STREAM_EVENTFD, &e), "STREAM_EVENTFD: detach with -1");
	dv_submit(fd, id, &t, 1, 0, &seq);
	dv_wait(fd, id, seq, 5000, NULL);
	TAP_CHECK(read(efd, &val, 8) == -1 && errno == EAGAIN, "STREAM_EVENTFD: detached, not signalled");

	e = (struct vascend_stream_eventfd){ .stream_id = id, .fd = 1000 };
	EXPECT_ERR(EBADF, dv_ioctl(fd, VASCEND_IOCTL_STREAM_EVENTFD, &e), "STREAM_EVENTFD: closed fd is EBADF");
	e.fd = fd;
	EXPECT_ERR(EINVAL, dv_ioctl(fd, VASCEND_IOCTL_STREAM_EVENTFD, &e), "STREAM_EVENTFD: not an eventfd is EINVAL");
	e.fd = -2;
	EXPECT_ERR(EINVAL, dv_ioctl(fd, VASCEND_IOCTL_STREAM_EVENTFD, &e), "STREAM_EVENTFD: fd -2 is EINVAL");
	e = (struct vascend_stream_eventfd){ .stream_id = id, .fd = efd, .reserved[1] = 1 };
	EXPECT_ERR(EINVAL, dv_ioctl(fd, VASCEND_IOCTL_STREAM_EVENTFD, &e), "STREAM_EVENTFD: reserved is EINVAL");
	e = (struct vascend_stream_eventfd){ .stream_id = 999, .fd = efd };
	EXPECT_ERR(EINVAL, dv_ioctl(fd, VASCEND_IOCTL_STREAM_EVENTFD, &e), "STREAM_EVENTFD: unknown stream is EINVAL");
	close(efd);
	dv_stream_ref(fd, VASCEND_IOCTL_STREAM_DESTROY, id);
}

/* Stream ids are per file: another file's ids name nothing of this one's. */
static void test_isolation(int fd, uint32_t id)
{
	struct vascend_task t = dv_nop();
	int fd2 = dv_open(card);
	uint64_t seq;
	uint32_t id2 = 0;
	int r, status = 0;
	pid_t pid;

	if (!TAP_CHECK(fd2 >= 0, "isolation: a second file"))
		return;
	EXPECT_ERR(EINVAL, dv_wait(fd2, id, 0, 0, NULL), "isolation: the second file cannot wait on the first's stream");
	r = dv_stream_create(fd2, 0, &id2);
	r = r ? r : dv_stream_ref(fd2, VASCEND_IOCTL_STREAM_DESTROY, id2);
	TAP_CHECK(!r, "isolation: the second file creates and destroys its stream %u", id2);
	TAP_CHECK(!dv_submit(fd, id, &t, 1, 0, &seq) && !dv_wait(fd, id, seq, 5000, NULL),
		  "isolation: the first file's stream %u still runs", id);
	close(fd2);

	/* A child after fork() holds the descriptor but not the streams. */
	pid = fork();
	if (!pid) {
		struct vascend_device_info info;
		int bad = 0;

		bad |= dv_ioctl(fd, VASCEND_IOCTL_GET_INFO, &info) != 0;
		bad |= (dv_submit(fd, id, &t, 1, 0, NULL) != -EBADF) << 1;
		bad |= (dv_wait(fd, id, 0, 0, NULL) != -EBADF) << 2;
		bad |= (dv_stream_create(fd, 0, NULL) != -EBADF) << 3;
		bad |= (dv_stream_ref(fd, VASCEND_IOCTL_STREAM_RESET, id) != -EBADF) << 4;
		bad |= (dv_stream_ref(fd, VASCEND_IOCTL_STREAM_DESTROY, id) != -EBADF) << 5;
		_exit(bad);
	}
	waitpid(pid, &status, 0);
	TAP_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		  "isolation: a forked child may GET_INFO but its stream calls are EBADF (mask 0x%x)",
		  WIFEXITED(status) ? WEXITSTATUS(status) : 0xff);
	r = dv_submit(fd, id, &t, 1, 0, &seq);
	r = r ? r : dv_wait(fd, id, seq, 5000, NULL);
	TAP_CHECK(!r, "isolation: the stream is still the parent's");
}

static void on_alarm(int sig)
{
	(void)sig;
}

/* Tasks that need memory the card can reach. */
static void test_memory_tasks(int fd)
{
	const char *skip = "no /dev/devmm_svm";
	struct vascend_task t[4];
	struct vascend_wait w = { 0 };
	struct sigaction sa;
	struct dv_mem m = { .svm = -1 };
	uint64_t dev, seq, t0;
	uint8_t *host;
	uint64_t *slot;
	uint32_t a = 0, b = 0;
	size_t i;
	int ok, r;

	if (dv_mem_open(&m, 64 << 20)) {
		const char *what[] = {
			"MEMSET into registered host memory", "MEMCPY device to host",
			"EVENT_RECORD writes value and timestamp", "NOTIFY writes its value",
			"WAIT timeout on a parked EVENT_WAIT is ETIMEDOUT",
			"SUBMIT NONBLOCK on a full ring is EAGAIN",
			"WAIT interrupted by a signal is EINTR",
			"EVENT_WAIT released by a NOTIFY of another stream",
		};
		for (i = 0; i < ARRAY_LEN(what); i++)
			tap_skip(what[i], skip);
		return;
	}
	host = dv_pages(1 << 20);
	dev = dv_mem_alloc(&m, card, 1 << 20);
	if (!TAP_CHECK(host && dev && !dv_mem_register(&m, card, host, 1 << 20),
		       "memory: 1 MiB of device memory at 0x%llx and 1 MiB of host memory registered",
		       (unsigned long long)dev))
		return;
	dv_stream_create(fd, 64, &a);
	dv_stream_create(fd, 2, &b);

	t[0] = dv_memset((uintptr_t)host, 4096, 0xa5);
	r = dv_submit(fd, a, t, 1, 0, &seq);
	r = r ? r : dv_wait(fd, a, seq, 5000, &w);
	for (ok = !r && !w.status, i = 0; i < 4096; i++)
		ok &= host[i] == 0xa5;
	TAP_CHECK(ok, "MEMSET into registered host memory (status 0x%x)", w.status);

	t[0] = dv_memset(dev, 8192, 0x3c);
	t[1] = dv_memcpy((uintptr_t)host + 8192, dev, 8192);
	r = dv_submit(fd, a, t, 2, 0, &seq);
	r = r ? r : dv_wait(fd, a, seq, 5000, &w);
	for (ok = !r && !w.status, i = 8192; i < 16384; i++)
		ok &= host[i] == 0x3c;
	TAP_CHECK(ok, "MEMCPY device to host (status 0x%x)", w.status);

	slot = (uint64_t *)(host + 65536);
	t[0] = dv_event(VASCEND_TASK_EVENT_RECORD, (uintptr_t)slot, 77);
	r = dv_submit(fd, a, t, 1, 0, &seq);
	r = r ? r : dv_wait(fd, a, seq, 5000, &w);
	TAP_CHECK(!r && !w.status && slot[0] == 77 && slot[1] > 0,
		  "EVENT_RECORD writes value %llu and timestamp %llu", (unsigned long long)slot[0],
		  (unsigned long long)slot[1]);

	t[0] = dv_event(VASCEND_TASK_NOTIFY, (uintptr_t)(slot + 4), 0x1234);
	r = dv_submit(fd, a, t, 1, 0, &seq);
	r = r ? r : dv_wait(fd, a, seq, 5000, &w);
	TAP_CHECK(!r && !w.status && slot[4] == 0x1234, "NOTIFY writes its value (0x%llx)",
		  (unsigned long long)slot[4]);

	/* Stream b parks on slot[8] >= 1. */
	slot[8] = 0;
	t[0] = dv_event(VASCEND_TASK_EVENT_WAIT, (uintptr_t)(slot + 8), 1);
	dv_submit(fd, b, t, 1, 0, &seq);
	t0 = dv_now_ns();
	r = dv_wait(fd, b, seq, 100, &w);
	TAP_CHECK(r == -ETIMEDOUT && w.completed == seq - 1 && dv_now_ns() - t0 >= 90000000ull,
		  "WAIT timeout on a parked EVENT_WAIT is ETIMEDOUT after %llu ms",
		  (unsigned long long)((dv_now_ns() - t0) / 1000000));
	t[1] = dv_nop();
	EXPECT_ERR(EAGAIN, dv_submit(fd, b, t + 1, 1, VASCEND_SUBMIT_F_NONBLOCK, NULL),
		   "SUBMIT NONBLOCK on a full ring is EAGAIN");

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);	/* no SA_RESTART */
	alarm(1);
	r = dv_wait(fd, b, seq, VASCEND_WAIT_FOREVER, NULL);
	TAP_CHECK(r == -EINTR, "WAIT interrupted by a signal is EINTR (got %d)", r);

	t[0] = dv_event(VASCEND_TASK_NOTIFY, (uintptr_t)(slot + 8), 1);
	dv_submit(fd, a, t, 1, 0, NULL);
	r = dv_wait(fd, b, seq, 5000, &w);
	TAP_CHECK(!r && !w.status && w.completed == seq,
		  "EVENT_WAIT released by a NOTIFY of another stream");

	dv_stream_ref(fd, VASCEND_IOCTL_STREAM_DESTROY, a);
	dv_stream_ref(fd, VASCEND_IOCTL_STREAM_DESTROY, b);
	munmap(m.window, m.window_size);
	close(m.svm);
}

#define TRACING "/sys/kernel/debug/tracing"

struct poll_line {
	unsigned long long seq, lat_ns, polled_ns;
	int done;
};

/* The trace's vascend_wait_poll lines of stream @id of our card, in order. */
static int read_polls(uint32_t id, struct poll_line *out, int max)
{
	FILE *f = fopen(TRACING "/trace", "r");
	unsigned int c, q, s;
	struct poll_line l;
	char line[512];
	const char *p;
	int n = 0;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		p = strstr(line, "vascend_wait_poll: ");
		if (!p || sscanf(p, "vascend_wait_poll: card=%u qid=%u stream=%u seq=%llu "
				 "lat_ns=%llu polled_ns=%llu done=%d", &c, &q, &s, &l.seq,
				 &l.lat_ns, &l.polled_ns, &l.done) != 7 || c != card || s != id)
			continue;
		if (n < max)
			out[n++] = l;
	}
	fclose(f);
	return n;
}

struct release {
	int fd;
	uint32_t stream;
	uint64_t *slot;
};

/* 20 ms from now, a NOTIFY on another stream releases the parked one. */
static void *release_later(void *arg)
{
	struct release *r = arg;
	struct vascend_task t = dv_event(VASCEND_TASK_NOTIFY, (uintptr_t)r->slot, 1);

	usleep(20000);
	dv_submit(r->fd, r->stream, &t, 1, 0, NULL);
	return NULL;
}

/*
 * WAIT polls the CQ itself on a stream of short tasks (module parameter
 * wait_poll_usecs, 500 by default), polls then sleeps when a stream has no
 * history and its task is long, and sleeps at once once a stream's tasks
 * are known to be long.
 */
static void test_wait_poll(int fd)
{
	const char *what[] = {
		"WAIT on a stream of short tasks polls and takes the CQE itself",
		"WAIT on a new stream whose task is long polls, then sleeps",
		"WAIT on a stream whose tasks are long sleeps at once",
	};
	struct poll_line la[32], lb[4];
	struct vascend_task t = dv_nop();
	struct dv_mem m = { .svm = -1 };
	struct release rel;
	uint32_t a = 0, b = 0;
	int i, na, nb, caught = 0;
	pthread_t th;
	uint64_t *slot, seq;
	size_t k;

	if (access(TRACING "/events/vascend", F_OK))
		mount("nodev", TRACING, "tracefs", 0, NULL);
	if (dv_write_file(TRACING "/events/vascend/vascend_wait_poll/enable", "1") ||
	    dv_write_file(TRACING "/trace", "") || dv_mem_open(&m, 8 << 20)) {
		for (k = 0; k < ARRAY_LEN(what); k++)
			tap_skip(what[k], "no tracefs or no /dev/devmm_svm");
		return;
	}
	slot = dv_pages(4096);
	dv_mem_register(&m, card, slot, 4096);
	dv_stream_create(fd, 64, &a);
	dv_stream_create(fd, 4, &b);
	for (i = 0; i < 20; i++)
		if (!dv_submit(fd, a, &t, 1, 0, &seq))
			dv_wait(fd, a, seq, VASCEND_WAIT_FOREVER, NULL);
	for (i = 0; i < 2; i++) {
		slot[0] = 0;
		t = dv_event(VASCEND_TASK_EVENT_WAIT, (uintptr_t)slot, 1);
		if (dv_submit(fd, b, &t, 1, 0, &seq))
			break;
		rel = (struct release){ fd, a, slot };
		if (pthread_create(&th, NULL, release_later, &rel))
			break;
		dv_wait(fd, b, seq, VASCEND_WAIT_FOREVER, NULL);
		pthread_join(th, NULL);
	}
	dv_write_file(TRACING "/events/vascend/vascend_wait_poll/enable", "0");
	na = read_polls(a, la, ARRAY_LEN(la));
	nb = read_polls(b, lb, ARRAY_LEN(lb));
	for (i = 0; i < na; i++)
		caught += la[i].done && la[i].polled_ns > 0;
	/*
	 * How many depends on the host's load (a NOP's round trip beyond the
	 * poll budget, the scheduler wanting the CPU): 18 of 20 on a quiet
	 * machine, 8 in a busy clean-clone run. Some must.
	 */
	TAP_CHECK(na >= 20 && caught >= 1, "%s (%d of %d WAITs)", what[0], caught, na);
	TAP_CHECK(nb == 2 && lb[0].polled_ns > 0 && !lb[0].done,
		  "%s (polled %llu us)", what[1], nb > 0 ? lb[0].polled_ns / 1000 : 0);
	TAP_CHECK(nb == 2 && lb[1].polled_ns == 0 && lb[1].lat_ns >= 10000000ull,
		  "%s (the stream's tasks take %llu ms)", what[2],
		  nb > 1 ? lb[1].lat_ns / 1000000 : 0);
	dv_stream_ref(fd, VASCEND_IOCTL_STREAM_DESTROY, a);
	dv_stream_ref(fd, VASCEND_IOCTL_STREAM_DESTROY, b);
	munmap(m.window, m.window_size);
	close(m.svm);
}

int main(int argc, char **argv)
{
	uint32_t id = 0;
	int fd;

	if (argc > 1)
		card = strtoul(argv[1], NULL, 0);
	fd = dv_open(card);
	if (!TAP_CHECK(fd >= 0, "open /dev/davinci%u", card))
		return tap_done();

	test_info(fd);
	test_create_rules(fd);
	if (!TAP_CHECK(!dv_stream_create(fd, 0, &id), "a stream for the rule tests"))
		return tap_done();
	test_ref_rules(fd, id);
	test_nop(fd, id);
	test_submit_rules(fd, id);
	test_task_rules(fd, id);
	test_wait_rules(fd, id);
	test_ring_full(fd);
	test_fault(fd);
	test_poll(fd);
	test_eventfd(fd);
	test_isolation(fd, id);
	test_memory_tasks(fd);
	test_wait_poll(fd);
	TAP_CHECK(!dv_stream_ref(fd, VASCEND_IOCTL_STREAM_DESTROY, id), "STREAM_DESTROY: the rule stream");
	close(fd);
	return tap_done();
}

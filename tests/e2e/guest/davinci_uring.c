// SPDX-License-Identifier: MIT
/*
 * davinci_uring: task submission through io_uring (IORING_OP_URING_CMD on
 * /dev/davinciN, VASCEND_URING_CMD_SUBMIT, liburing), inside the VM.
 * Batches complete with res 0 when their last task has, -EIO when the
 * stream failed, -ECANCELED when it was reset or destroyed meanwhile, or
 * the errno SUBMIT would have returned; a ring torn down with a command
 * parked on the card does not hang the process.
 *
 *	davinci_uring [CARD]
 */
#include <liburing.h>
#include <sys/wait.h>

#include "davinci_util.h"

static unsigned int card;

static void tap_skip(const char *what, const char *why)
{
	tap_count++;
	printf("ok %d - %s # SKIP %s\n", tap_count, what, why);
	fflush(stdout);
}

/* The ring is sized for every test: running out is a bug of the test. */
static struct io_uring_sqe *get_sqe(struct io_uring *ring)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	if (!sqe) {
		printf("# io_uring_get_sqe: ring full\n");
		exit(2);
	}
	return sqe;
}

static void prep_submit(struct io_uring_sqe *sqe, int fd, uint32_t stream,
			const struct vascend_task *t, uint32_t count, uint64_t ud)
{
	struct vascend_uring_submit *p = (struct vascend_uring_submit *)sqe->cmd;

	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = IORING_OP_URING_CMD;
	sqe->fd = fd;
	sqe->cmd_op = VASCEND_URING_CMD_SUBMIT;
	sqe->user_data = ud;
	p->stream_id = stream;
	p->count = count;
	p->tasks = (uintptr_t)t;
}

/* Submit one command and reap its CQE: its res. */
static int one(struct io_uring *ring, int fd, uint32_t stream,
	       const struct vascend_task *t, uint32_t count)
{
	struct io_uring_cqe *cqe;
	int res;

	prep_submit(get_sqe(ring), fd, stream, t, count, 1);
	if (io_uring_submit(ring) != 1 || io_uring_wait_cqe(ring, &cqe))
		return -1000;
	res = cqe->res;
	io_uring_cqe_seen(ring, cqe);
	return res;
}

/* Reap @n CQEs within @ms; returns how many, their res in @res by user_data. */
static int reap(struct io_uring *ring, int n, int *res, int ms)
{
	struct __kernel_timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000ll };
	struct io_uring_cqe *cqe;
	int got = 0;

	while (got < n && !io_uring_wait_cqe_timeout(ring, &cqe, &ts)) {
		res[cqe->user_data] = cqe->res;
		io_uring_cqe_seen(ring, cqe);
		got++;
	}
	return got;
}

static void test_batches(struct io_uring *ring, int fd)
{
	static struct vascend_task t[VASCEND_SUBMIT_MAX];
	struct vascend_wait w = { 0 };
	int res[16], i, n, ok, r;
	uint32_t id = 0, small = 0;

	for (i = 0; i < VASCEND_SUBMIT_MAX; i++)
		t[i] = dv_nop();
	if (!TAP_CHECK(!dv_stream_create(fd, 0, &id), "uring: stream"))
		return;
	r = one(ring, fd, id, t, 32);
	TAP_CHECK(r == 0, "uring: a batch of 32 NOPs completes with res 0 (got %d)", r);
	r = dv_wait(fd, id, 0, 0, &w);
	TAP_CHECK(!r && w.completed == 32 && !w.status,
		  "uring: WAIT sees the 32 tasks completed (completed %llu)",
		  (unsigned long long)w.completed);

	for (i = 0; i < 8; i++) {
		prep_submit(get_sqe(ring), fd, id, t, 32, i);
		res[i] = -1000;
	}
	n = io_uring_submit(ring);
	n = reap(ring, 8, res, 10000);
	for (ok = n == 8, i = 0; i < 8; i++)
		ok &= res[i] == 0;
	TAP_CHECK(ok, "uring: 8 batches of 32 in flight at once all complete (%d CQEs)", n);
	r = dv_wait(fd, id, 0, 0, &w);
	TAP_CHECK(!r && w.completed == 32 + 8 * 32, "uring: ... seqs %llu, every task ran once",
		  (unsigned long long)w.completed);

	/* 256 tasks through a 2-entry ring: io_uring retries in a worker that may sleep. */
	if (TAP_CHECK(!dv_stream_create(fd, 2, &small), "uring: depth-2 stream")) {
		r = one(ring, fd, small, t, VASCEND_SUBMIT_MAX);
		TAP_CHECK(r == 0, "uring: 256 tasks through a 2-entry ring complete (res %d)", r);
		r = dv_wait(fd, small, 0, 0, &w);
		TAP_CHECK(!r && w.completed == VASCEND_SUBMIT_MAX, "uring: ... all %llu ran",
			  (unsigned long long)w.completed);
		dv_stream_ref(fd, VASCEND_IOCTL_STREAM_DESTROY, small);
	}
	dv_stream_ref(fd, VASCEND_IOCTL_STREAM_DESTROY, id);
}

static void test_rules(struct io_uring *ring, int fd)
{
	struct vascend_task t[2] = { dv_nop(), dv_nop() };
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	uint32_t id = 0;
	int r;

	if (!TAP_CHECK(!dv_stream_create(fd, 0, &id), "uring rules: stream"))
		return;
	r = one(ring, fd, 999, t, 1);
	TAP_CHECK(r == -EINVAL, "uring: unknown stream is -EINVAL (got %d)", r);
	r = one(ring, fd, id, t, 0);
	TAP_CHECK(r == -EINVAL, "uring: count 0 is -EINVAL (got %d)", r);
	r = one(ring, fd, id, t, VASCEND_SUBMIT_MAX + 1);
	TAP_CHECK(r == -EINVAL, "uring: count above %u is -EINVAL (got %d)", VASCEND_SUBMIT_MAX, r);
	r = one(ring, fd, id, (void *)8, 1);
	TAP_CHECK(r == -EFAULT, "uring: unreadable tasks are -EFAULT (got %d)", r);
	t[1].rsvd1 = 1;
	r = one(ring, fd, id, t, 2);
	TAP_CHECK(r == -EINVAL, "uring: a batch with a bad task is -EINVAL (got %d)", r);
	t[1].rsvd1 = 0;

	sqe = get_sqe(ring);
	prep_submit(sqe, fd, id, t, 1, 1);
	sqe->cmd_op = 0x77;
	io_uring_submit(ring);
	io_uring_wait_cqe(ring, &cqe);
	r = cqe->res;
	io_uring_cqe_seen(ring, cqe);
	TAP_CHECK(r == -ENOTTY, "uring: unknown cmd_op is -ENOTTY (got %d)", r);

	/* A failing task: the batch is -EIO, and so is every later one until STREAM_RESET. */
	t[1] = dv_memset(0x7f0000000000ull, 64, 1);
	r = one(ring, fd, id, t, 2);
	TAP_CHECK(r == -EIO, "uring: a batch whose task faults is -EIO (got %d)", r);
	r = one(ring, fd, id, t, 1);
	TAP_CHECK(r == -EIO, "uring: a batch on the failed stream is -EIO (got %d)", r);
	dv_stream_ref(fd, VASCEND_IOCTL_STREAM_RESET, id);
	r = one(ring, fd, id, t, 1);
	TAP_CHECK(r == 0, "uring: after STREAM_RESET a batch completes again (got %d)", r);
	dv_stream_ref(fd, VASCEND_IOCTL_STREAM_DESTROY, id);
}

/* Commands parked on an EVENT_WAIT: reset, destroy, ring teardown. */
static void test_cancel(int fd)
{
	const char *what[] = {
		"uring: STREAM_RESET ends a parked batch with -ECANCELED",
		"uring: STREAM_DESTROY ends a parked batch with -ECANCELED",
		"uring: a process exits with a batch parked, without hanging",
		"uring: the card still runs work afterwards",
	};
	struct vascend_task t[2];
	struct io_uring ring;
	struct dv_mem m = { .svm = -1 };
	uint64_t *slot;
	int res[2] = { -1000, -1000 }, status = -1, r;
	uint32_t id = 0;
	pid_t pid;
	size_t i;

	if (dv_mem_open(&m, 8 << 20)) {
		for (i = 0; i < ARRAY_LEN(what); i++)
			tap_skip(what[i], "no /dev/devmm_svm");
		return;
	}
	slot = dv_pages(4096);
	dv_mem_register(&m, card, slot, 4096);
	slot[0] = 0;
	t[0] = dv_event(VASCEND_TASK_EVENT_WAIT, (uintptr_t)slot, 1);
	t[1] = dv_nop();
	io_uring_queue_init(8, &ring, 0);

	dv_stream_create(fd, 0, &id);
	prep_submit(get_sqe(&ring), fd, id, t, 2, 0);
	io_uring_submit(&ring);
	r = reap(&ring, 1, res, 100);
	TAP_CHECK(r == 0 && !dv_stream_ref(fd, VASCEND_IOCTL_STREAM_RESET, id) &&
		  reap(&ring, 1, res, 5000) == 1 && res[0] == -ECANCELED, what[0]);

	prep_submit(get_sqe(&ring), fd, id, t, 2, 1);
	io_uring_submit(&ring);
	r = reap(&ring, 1, res, 100);
	TAP_CHECK(r == 0 && !dv_stream_ref(fd, VASCEND_IOCTL_STREAM_DESTROY, id) &&
		  reap(&ring, 1, res, 5000) == 1 && res[1] == -ECANCELED, what[1]);
	io_uring_queue_exit(&ring);

	pid = fork();
	if (!pid) {
		int cfd = dv_open(card);
		struct io_uring cring;
		uint32_t cid;

		io_uring_queue_init(8, &cring, 0);
		dv_stream_create(cfd, 0, &cid);
		prep_submit(get_sqe(&cring), cfd, cid, t, 2, 0);
		io_uring_submit(&cring);
		usleep(100000);
		_exit(7);	/* ring, file and parked command torn down by exit */
	}
	alarm(20);
	r = waitpid(pid, &status, 0);
	alarm(0);
	TAP_CHECK(r == pid && WIFEXITED(status) && WEXITSTATUS(status) == 7, what[2]);

	dv_stream_create(fd, 0, &id);
	r = dv_submit(fd, id, t + 1, 1, 0, NULL);
	r = r ? r : dv_wait(fd, id, 0, 5000, NULL);
	TAP_CHECK(!r, what[3]);
	dv_stream_ref(fd, VASCEND_IOCTL_STREAM_DESTROY, id);
	munmap(m.window, m.window_size);
	close(m.svm);
}

int main(int argc, char **argv)
{
	struct vascend_device_info info = { 0 };
	struct io_uring ring;
	int fd, r;

	if (argc > 1)
		card = strtoul(argv[1], NULL, 0);
	fd = dv_open(card);
	if (!TAP_CHECK(fd >= 0, "open /dev/davinci%u", card))
		return tap_done();
	r = dv_ioctl(fd, VASCEND_IOCTL_GET_INFO, &info);
	TAP_CHECK(!r && (info.caps & VASCEND_CAP_URING_CMD), "GET_INFO: caps has URING_CMD");
	r = io_uring_queue_init(64, &ring, 0);
	if (!TAP_CHECK(!r, "io_uring_queue_init (%d)", r))
		return tap_done();

	test_batches(&ring, fd);
	test_rules(&ring, fd);
	io_uring_queue_exit(&ring);
	test_cancel(fd);
	close(fd);
	return tap_done();
}

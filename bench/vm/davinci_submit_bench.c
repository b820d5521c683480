// SPDX-License-Identifier: MIT
/*
 * davinci_submit_bench: the driver's submission paths, inside the VM, on
 * NOP tasks (the device does nothing, so what is measured is the path:
 * ioctl or io_uring, doorbell, device fetch, CQE, interrupt, wake-up).
 *
 *   submit_uring_vs_ioctl  tasks/s through io_uring (URING_CMD batches of
 *                          32, 8 batches in flight) against SUBMIT + WAIT
 *                          one task at a time, in the same run
 *   nop_latency            one NOP (IRQ_NOW), SUBMIT to WAIT's return:
 *                          median in us, p99 as a comment
 *
 *	davinci_submit_bench [SECONDS_PER_FIGURE]
 *
 * Prints BENCH lines (bench/run.sh's format).
 */
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "vascend_davinci.h"

#define BATCH		32
#define IN_FLIGHT	8
#define LAT_SAMPLES	2000

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void die(const char *what)
{
	printf("# davinci_submit_bench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static uint32_t stream_create(int fd, uint32_t depth)
{
	struct vascend_stream_create c = { .depth = depth };

	if (ioctl(fd, VASCEND_IOCTL_STREAM_CREATE, &c))
		die("STREAM_CREATE");
	return c.stream_id;
}

static void submit_wait(int fd, uint32_t id, struct vascend_task *t)
{
	struct vascend_submit s = { .stream_id = id, .count = 1, .tasks = (uintptr_t)t };
	struct vascend_wait w = { .stream_id = id, .timeout_ms = VASCEND_WAIT_FOREVER };

	if (ioctl(fd, VASCEND_IOCTL_SUBMIT, &s))
		die("SUBMIT");
	w.seq = s.seq;
	if (ioctl(fd, VASCEND_IOCTL_WAIT, &w) || w.status)
		die("WAIT");
}

/* Tasks per second, one SUBMIT + WAIT per task. */
static double ioctl_rate(int fd, uint32_t id, double seconds)
{
	struct vascend_task t = { .type = VASCEND_TASK_NOP };
	double t0 = now_s(), t1;
	uint64_t n = 0;

	do {
		for (int i = 0; i < 64; i++)
			submit_wait(fd, id, &t);
		n += 64;
		t1 = now_s();
	} while (t1 - t0 < seconds);
	return n / (t1 - t0);
}

static void prep(struct io_uring *ring, int fd, uint32_t id, struct vascend_task *t)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
	struct vascend_uring_submit *p;

	if (!sqe)
		die("io_uring_get_sqe");
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = IORING_OP_URING_CMD;
	sqe->fd = fd;
	sqe->cmd_op = VASCEND_URING_CMD_SUBMIT;
	p = (struct vascend_uring_submit *)sqe->cmd;
	p->stream_id = id;
	p->count = BATCH;
	p->tasks = (uintptr_t)t;
}

/* Tasks per second, batches of BATCH, IN_FLIGHT batches kept in flight. */
static double uring_rate(int fd, uint32_t id, double seconds)
{
	static struct vascend_task t[BATCH];
	struct io_uring_cqe *cqe;
	struct io_uring ring;
	double t0, t1;
	uint64_t n = 0;
	int i, inflight;

	for (i = 0; i < BATCH; i++)
		t[i].type = VASCEND_TASK_NOP;
	if (io_uring_queue_init(2 * IN_FLIGHT, &ring, 0))
		die("io_uring_queue_init");
	for (i = 0; i < IN_FLIGHT; i++)
		prep(&ring, fd, id, t);
	inflight = io_uring_submit(&ring);
	t0 = now_s();
	do {
		if (io_uring_wait_cqe(&ring, &cqe))
			die("io_uring_wait_cqe");
		if (cqe->res) {
			errno = -cqe->res;
			die("URING_CMD_SUBMIT");
		}
		io_uring_cqe_seen(&ring, cqe);
		n += BATCH;
		prep(&ring, fd, id, t);
		io_uring_submit(&ring);
		t1 = now_s();
	} while (t1 - t0 < seconds);
	while (inflight-- > 0 && !io_uring_wait_cqe(&ring, &cqe))
		io_uring_cqe_seen(&ring, cqe);
	io_uring_queue_exit(&ring);
	return n / (t1 - t0);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void latency(int fd, uint32_t id, double *median, double *p99)
{
	struct vascend_task t = { .type = VASCEND_TASK_NOP, .flags = VASCEND_TASK_F_IRQ_NOW };
	static double us[LAT_SAMPLES];
	double t0;
	int i;

	for (i = 0; i < 100; i++)
		submit_wait(fd, id, &t);
	for (i = 0; i < LAT_SAMPLES; i++) {
		t0 = now_s();
		submit_wait(fd, id, &t);
		us[i] = (now_s() - t0) * 1e6;
	}
	qsort(us, LAT_SAMPLES, sizeof(us[0]), cmp_double);
	*median = us[LAT_SAMPLES / 2];
	*p99 = us[LAT_SAMPLES * 99 / 100];
}

int main(int argc, char **argv)
{
	double seconds = argc > 1 ? atof(argv[1]) : 3.0;
	double r_ioctl, r_uring, med, p99;
	uint32_t id;
	int fd;

	fd = open("/dev/davinci0", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		die("open /dev/davinci0");
	id = stream_create(fd, 1024);

	r_ioctl = ioctl_rate(fd, id, seconds);
	r_uring = uring_rate(fd, id, seconds);
	printf("# ioctl one by one: %.0f tasks/s; io_uring %d x %d in flight: %.0f tasks/s\n",
	       r_ioctl, IN_FLIGHT, BATCH, r_uring);
	printf("BENCH name=submit_uring_vs_ioctl value=%.0f unit=tasks/s ref=ioctl ratio=%.2f\n",
	       r_uring, r_uring / r_ioctl);

	latency(fd, id, &med, &p99);
	printf("# nop_latency: %d samples, median %.1f us, p99 %.1f us\n", LAT_SAMPLES, med, p99);
	printf("BENCH name=nop_latency value=%.1f unit=us ref=none ratio=1\n", med);
	close(fd);
	return 0;
}

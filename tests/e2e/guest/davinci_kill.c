// SPDX-License-Identifier: MIT
/*
 * davinci_kill: lifetime of what a process holds on the card, inside the VM.
 *
 *	davinci_kill load [ROUNDS]	kill -9 under load: a child submits by
 *					ioctl and io_uring on several streams,
 *					with a task parked on the card, and is
 *					killed; the card is clean and usable after
 *	davinci_kill hold READY_FILE	open the card with work parked, touch
 *					READY_FILE, wait for SIGUSR1 (the card
 *					was unbound meanwhile), then check that
 *					the file is dead (ENODEV), not broken
 *	davinci_kill smoke		a stream, NOPs and a MEMSET: the card works
 *
 * Prints TAP (load, smoke) or exits 0/1 (hold).
 */
#include <liburing.h>
#include <signal.h>
#include <sys/wait.h>

#include "davinci_util.h"

static const unsigned int card;

struct busy {
	int fd;
	struct dv_mem m;
	uint64_t *slot;		/* registered host memory */
	uint32_t ids[4];
};

/* Streams with NOP batches running and one task parked on an EVENT_WAIT. */
static int make_busy(struct busy *b, int parked)
{
	struct vascend_task t[64];
	int i;

	b->fd = dv_open(card);
	if (b->fd < 0 || dv_mem_open(&b->m, 8 << 20))
		return -1;
	b->slot = dv_pages(4096);
	if (!b->slot || dv_mem_register(&b->m, card, b->slot, 4096) ||
	    !dv_mem_alloc(&b->m, card, 1 << 20))
		return -1;
	for (i = 0; i < 4; i++)
		if (dv_stream_create(b->fd, 256, &b->ids[i]))
			return -1;
	for (i = 0; i < 64; i++)
		t[i] = dv_nop();
	if (parked) {
		t[0] = dv_event(VASCEND_TASK_EVENT_WAIT, (uintptr_t)b->slot, 1);
		if (dv_submit(b->fd, b->ids[3], t, 2, 0, NULL))
			return -1;
		t[0] = dv_nop();
	}
	return 0;
}

static void child_load(void)
{
	struct vascend_uring_submit *p;
	struct vascend_task t[64];
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	struct io_uring ring;
	struct busy b;
	int i;

	if (make_busy(&b, 1) || io_uring_queue_init(16, &ring, 0))
		_exit(2);
	for (i = 0; i < 64; i++)
		t[i] = dv_nop();
	for (;;) {
		dv_submit(b.fd, b.ids[0], t, 64, 0, NULL);
		dv_submit(b.fd, b.ids[1], t, 64, 0, NULL);
		dv_wait(b.fd, b.ids[0], 0, VASCEND_WAIT_FOREVER, NULL);
		sqe = io_uring_get_sqe(&ring);
		if (sqe) {
			memset(sqe, 0, sizeof(*sqe));
			sqe->opcode = IORING_OP_URING_CMD;
			sqe->fd = b.fd;
			sqe->cmd_op = VASCEND_URING_CMD_SUBMIT;
			p = (struct vascend_uring_submit *)sqe->cmd;
			p->stream_id = b.ids[2];
			p->count = 32;
			p->tasks = (uintptr_t)t;
			io_uring_submit(&ring);
		}
		while (!io_uring_peek_cqe(&ring, &cqe))
			io_uring_cqe_seen(&ring, cqe);
	}
}

static int count_lines(const char *path)
{
	char buf[4096];
	int fd = open(path, O_RDONLY), n = 0;
	ssize_t r, i;

	if (fd < 0)
		return -1;
	while ((r = read(fd, buf, sizeof(buf))) > 0)
		for (i = 0; i < r; i++)
			n += buf[i] == '\n';
	close(fd);
	return n;
}

static int smoke(void)
{
	struct vascend_task t[65];
	struct vascend_wait w = { 0 };
	struct busy b;
	int i, r, ok;

	r = make_busy(&b, 0);
	TAP_CHECK(!r, "smoke: open, memory, 4 streams");
	if (r)
		return 0;
	for (i = 0; i < 64; i++)
		t[i] = dv_nop();
	t[64] = dv_memset((uintptr_t)b.slot, 64, 0x42);
	r = dv_submit(b.fd, b.ids[0], t, 65, 0, NULL);
	r = r ? r : dv_wait(b.fd, b.ids[0], 0, 10000, &w);
	for (ok = !r && !w.status, i = 0; i < 8; i++)
		ok &= b.slot[i] == 0x4242424242424242ull;
	TAP_CHECK(ok, "smoke: 64 NOPs and a MEMSET (r %d, status 0x%x)", r, w.status);
	close(b.fd);
	munmap(b.m.window, b.m.window_size);
	close(b.m.svm);
	return ok;
}

static int load(int rounds)
{
	struct vascend_mgr_procs p;
	struct vascend_mgr_proc_entry e[4];
	int i, r, status, mgr, streams, ok = 1;
	pid_t pid;

	for (i = 0; i < rounds; i++) {
		pid = fork();
		if (!pid)
			child_load();
		usleep(150000 + 50000 * i);
		kill(pid, SIGKILL);
		alarm(30);
		waitpid(pid, &status, 0);
		alarm(0);
		ok &= WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
	}
	TAP_CHECK(ok, "kill -9: %d busy children killed, each exited by SIGKILL", rounds);

	/*
	 * The header line only: no stream and no file left behind. A killed
	 * child's io_uring ring is torn down by a kernel worker after the
	 * child is reaped, and its pending commands hold the file until
	 * then: give that up to 5 s.
	 */
	for (i = 0; i < 500; i++) {
		streams = count_lines("/sys/kernel/debug/vascend/davinci0/queues");
		if (streams == 2 &&
		    count_lines("/sys/kernel/debug/vascend/davinci0/contexts") == 1)
			break;
		usleep(10000);
	}
	printf("# the files were released %d ms after the last child was reaped\n", i * 10);
	TAP_CHECK(streams == 2, "kill -9: no IO queue left on the card (%d lines in debugfs queues)",
		  streams);
	TAP_CHECK(count_lines("/sys/kernel/debug/vascend/davinci0/contexts") == 1,
		  "kill -9: no /dev/davinci0 file left open");
	mgr = open("/dev/" VASCEND_MANAGER_DEV_NAME, O_RDWR);
	p = (struct vascend_mgr_procs){ .dev_id = card, .count = 4, .entries = (uintptr_t)e };
	r = dv_ioctl(mgr, VASCEND_IOCTL_MGR_PROCS, &p);
	TAP_CHECK(!r && p.count == 0, "kill -9: MGR_PROCS lists no process (%u)", p.count);
	close(mgr);
	return smoke();
}

static volatile sig_atomic_t go;

static void on_usr1(int sig)
{
	(void)sig;
	go = 1;
}

static int hold(const char *ready)
{
	struct vascend_device_info info;
	struct busy b;
	int fd;

	signal(SIGUSR1, on_usr1);
	if (make_busy(&b, 1))
		return 2;
	fd = open(ready, O_WRONLY | O_CREAT, 0644);
	close(fd);
	while (!go)
		pause();
	/* The card was unbound: the file is dead, every call says so. */
	if (dv_ioctl(b.fd, VASCEND_IOCTL_GET_INFO, &info) != -ENODEV ||
	    dv_wait(b.fd, b.ids[3], 0, 1000, NULL) != -ENODEV ||
	    dv_submit(b.fd, b.ids[0], &(struct vascend_task){ 0 }, 1, 0, NULL) != -ENODEV)
		return 1;
	close(b.fd);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "load")) {
		load(argc > 2 ? atoi(argv[2]) : 5);
		return tap_done();
	}
	if (argc > 2 && !strcmp(argv[1], "hold"))
		return hold(argv[2]);
	if (argc > 1 && !strcmp(argv[1], "smoke")) {
		smoke();
		return tap_done();
	}
	fprintf(stderr, "usage: davinci_kill load [ROUNDS] | hold READY_FILE | smoke\n");
	return 2;
}

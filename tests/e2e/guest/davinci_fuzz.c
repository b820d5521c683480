// SPDX-License-Identifier: MIT
/*
 * davinci_fuzz: a bounded random ioctl fuzzer for /dev/davinciN and
 * /dev/davinci_manager, inside the VM. Random command numbers and sizes of
 * magic 0xd5, and the known commands with random fields, random stream ids,
 * and pointers that are NULL, unmapped, misaligned, read-only or kernel
 * addresses; random tasks (most of them valid, so they reach the card and
 * fault there), stream resets and destroys, short waits, io_uring commands,
 * forks that exit with work queued, device faults injected through debugfs
 * and forced recoveries racing all of it. Afterwards the card must be
 * healthy and still work, and the kernel must have said nothing.
 *
 *	davinci_fuzz [SECONDS] [SEED]
 */
#include <liburing.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/wait.h>

#include "davinci_util.h"

static uint64_t rng;
static unsigned int faulted;

static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static uint64_t pick(const uint64_t *v, size_t n)
{
	return v[rnd() % n];
}

/* Arguments live in a page followed by an unmapped one. */
static uint8_t *arena;
static const uint8_t *rodata;

static void *bad_pointer(void)
{
	switch (rnd() % 6) {
	case 0:
		return NULL;
	case 1:
		return (void *)0x1000;
	case 2:
		return (void *)0xffff888000000000ull;	/* kernel */
	case 3:
		return arena + 4096 - 8;		/* runs into the hole */
	case 4:
		return (void *)rodata;			/* read-only */
	default:
		return (void *)(uintptr_t)rnd();
	}
}

static uint64_t addr_value(void)
{
	static const uint64_t v[] = {
		0, 0x1000, 0x100000, 0x7f0000000000ull, (1ull << 48) - 16, 1ull << 48,
		~0ull, 0x10, 0x8,
	};

	return rnd() % 3 ? pick(v, ARRAY_LEN(v)) + (rnd() % 4) * 8 : rnd();
}

static void random_task(struct vascend_task *t)
{
	memset(t, 0, sizeof(*t));
	t->type = rnd() % 16 ? rnd() % 7 : rnd() & 0xff;
	if (!(rnd() % 16))
		t->flags = rnd();
	else
		t->flags = rnd() % 2;
	if (!(rnd() % 32))
		t->rsvd0 = rnd();
	switch (t->type) {
	case VASCEND_TASK_MEMCPY:
		t->u.memcpy.src = addr_value();
		t->u.memcpy.dst = addr_value();
		t->u.memcpy.len = rnd() % 8 ? rnd() % 65536 + 1 : rnd();
		break;
	case VASCEND_TASK_MEMSET:
		t->u.memset.dst = addr_value();
		t->u.memset.len = rnd() % 8 ? rnd() % 65536 + 1 : rnd();
		t->u.memset.value = rnd() % 8 ? rnd() & 0xff : rnd();
		break;
	case VASCEND_TASK_EVENT_RECORD:
	case VASCEND_TASK_NOTIFY:
		t->u.event.addr = addr_value() & ~15ull;
		t->u.event.value = rnd();
		break;
	case VASCEND_TASK_EVENT_WAIT:
		/* A parked wait that nobody releases: the fuzzer resets it. */
		t->u.event.addr = addr_value() & ~7ull;
		t->u.event.value = rnd() % 4;
		break;
	case VASCEND_TASK_KERNEL_LAUNCH:
		t->u.launch.desc = addr_value();
		t->u.launch.desc_size = rnd() % 4 ? 64 + rnd() % 4096 : rnd();
		t->u.launch.block_dim = rnd() % 64;
		t->u.launch.op_id = rnd() % 4;
		break;
	default:
		break;
	}
	if (!(rnd() % 16))
		t->u.raw[rnd() % 7] = rnd();
}

static const unsigned long cmds[] = {
	VASCEND_IOCTL_GET_INFO, VASCEND_IOCTL_DMA_XFER, VASCEND_IOCTL_STREAM_CREATE,
	VASCEND_IOCTL_STREAM_DESTROY, VASCEND_IOCTL_STREAM_RESET, VASCEND_IOCTL_SUBMIT,
	VASCEND_IOCTL_WAIT, VASCEND_IOCTL_STREAM_EVENTFD,
	VASCEND_IOCTL_MGR_CARDS, VASCEND_IOCTL_MGR_HEALTH, VASCEND_IOCTL_MGR_TELEMETRY,
	VASCEND_IOCTL_MGR_PROCS,
};

/* Fill the argument of @cmd: mostly sane, with one thing wrong or random. */
static void *random_arg(unsigned long cmd, struct vascend_task *tasks)
{
	uint32_t *w = (uint32_t *)arena;
	unsigned int i, n;

	if (!(rnd() % 8))
		return bad_pointer();
	memset(arena, 0, 4096);
	if (!(rnd() % 8)) {
		for (i = 0; i < 1024; i++)
			w[i] = rnd();
		return arena;
	}
	switch (cmd) {
	case VASCEND_IOCTL_STREAM_CREATE: {
		struct vascend_stream_create *c = (void *)arena;

		c->depth = rnd() % 4 ? 1u << (rnd() % 13) : rnd();
		break;
	}
	case VASCEND_IOCTL_STREAM_DESTROY:
	case VASCEND_IOCTL_STREAM_RESET: {
		struct vascend_stream_ref *r = (void *)arena;

		r->stream_id = rnd() % 8;
		break;
	}
	case VASCEND_IOCTL_SUBMIT: {
		struct vascend_submit *s = (void *)arena;

		n = rnd() % 4 ? rnd() % 8 + 1 : rnd() % 300;
		for (i = 0; i < n && i < VASCEND_SUBMIT_MAX; i++) {
			if (rnd() % 2)
				tasks[i] = dv_nop();
			else
				random_task(&tasks[i]);
		}
		s->stream_id = rnd() % 8;
		s->count = n;
		s->tasks = rnd() % 8 ? (uintptr_t)tasks : (uintptr_t)bad_pointer();
		s->flags = rnd() % 4 ? VASCEND_SUBMIT_F_NONBLOCK : rnd() % 4;
		break;
	}
	case VASCEND_IOCTL_WAIT: {
		struct vascend_wait *wt = (void *)arena;

		wt->stream_id = rnd() % 8;
		wt->timeout_ms = rnd() % 3;
		wt->seq = rnd() % 4 ? 0 : rnd() % 1000;
		break;
	}
	case VASCEND_IOCTL_STREAM_EVENTFD: {
		struct vascend_stream_eventfd *e = (void *)arena;

		e->stream_id = rnd() % 8;
		e->fd = (int)(rnd() % 12) - 2;
		break;
	}
	case VASCEND_IOCTL_DMA_XFER: {
		struct vascend_dma_xfer *x = (void *)arena;

		x->user_addr = rnd() % 2 ? (uintptr_t)(arena + 2048) : (uintptr_t)bad_pointer();
		x->dev_addr = rnd() % (128 << 20);
		x->size = rnd() % 2048 + (rnd() % 8 ? 0 : rnd());
		x->direction = rnd() % 4;
		break;
	}
	case VASCEND_IOCTL_MGR_PROCS: {
		struct vascend_mgr_procs *p = (void *)arena;

		p->count = rnd() % 8 ? rnd() % 8 : rnd();
		p->entries = rnd() % 2 ? (uintptr_t)(arena + 2048) : (uintptr_t)bad_pointer();
		break;
	}
	default:
		w[0] = rnd() % 4 ? 0 : rnd();	/* dev_id or stream_id */
		break;
	}
	if (!(rnd() % 8))
		w[rnd() % 16] = rnd();
	return arena;
}

static void uring_one(struct io_uring *ring, int fd, struct vascend_task *tasks)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);
	struct vascend_uring_submit *p;
	struct io_uring_cqe *cqe;
	unsigned int i, n = rnd() % 8 + 1;

	if (!sqe)
		return;
	for (i = 0; i < n; i++)
		random_task(&tasks[i]);
	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = IORING_OP_URING_CMD;
	sqe->fd = fd;
	sqe->cmd_op = rnd() % 8 ? VASCEND_URING_CMD_SUBMIT : rnd();
	p = (struct vascend_uring_submit *)sqe->cmd;
	p->stream_id = rnd() % 8;
	p->count = rnd() % 8 ? n : rnd();
	p->tasks = rnd() % 8 ? (uintptr_t)tasks : (uintptr_t)bad_pointer();
	io_uring_submit(ring);
	while (!io_uring_peek_cqe(ring, &cqe))
		io_uring_cqe_seen(ring, cqe);
}

static uint64_t fuzz(unsigned int seconds, int mgr)
{
	static struct vascend_task tasks[VASCEND_SUBMIT_MAX];
	uint64_t t_end = dv_now_ns() + seconds * 1000000000ull, calls = 0;
	struct io_uring ring;
	unsigned long cmd;
	int fd, target, efd;
	unsigned int i;

	fd = dv_open(0);
	efd = eventfd(0, EFD_CLOEXEC);
	io_uring_queue_init(16, &ring, 0);
	(void)efd;
	while (dv_now_ns() < t_end) {
		for (i = 0; i < 64; i++, calls++) {
			target = rnd() % 5 ? fd : mgr;
			switch (rnd() % 16) {
			case 0:		/* any command number of our magic */
				cmd = _IOC(rnd() % 4, 0xd5, rnd() & 0xff, rnd() % 512);
				break;
			case 1:		/* any number at all */
				cmd = (unsigned long)(uint32_t)rnd();
				break;
			case 2:
				uring_one(&ring, fd, tasks);
				continue;
			case 3:		/* keep a few streams around */
				dv_stream_create(fd, 1u << (rnd() % 5 + 1), NULL);
				continue;
			default:
				cmd = cmds[rnd() % ARRAY_LEN(cmds)];
				break;
			}
			ioctl(target, cmd, random_arg(cmd, tasks));
		}
		if (!(rnd() % 64)) {
			/* A child that dies with work queued on its own file. */
			pid_t pid = fork();

			if (!pid) {
				int cfd = dv_open(0);
				uint32_t id;

				dv_stream_create(cfd, 8, &id);
				for (i = 0; i < 8; i++)
					random_task(&tasks[i]);
				dv_submit(cfd, id, tasks, 8, 0, NULL);
				_exit(0);
			}
			waitpid(pid, NULL, 0);
		}
		if (!(rnd() % 128)) {
			/* A device fault or a forced recovery in the middle of it all. */
			static const char * const faults[] = {
				"dma-error", "ecc", "fw-crash", "aicore-hang",
			};
			int dfd;

			if (rnd() % 4)
				dfd = open("/sys/kernel/debug/vascend/davinci0/fault_inject", O_WRONLY);
			else
				dfd = open("/sys/kernel/debug/vascend/davinci0/force_recovery", O_WRONLY);
			if (dfd >= 0) {
				const char *f = faults[rnd() % ARRAY_LEN(faults)];

				if (write(dfd, f, strlen(f)) < 0)
					faulted--;
				faulted++;
				close(dfd);
			}
		}
		if (!(rnd() % 32)) {
			/* Start over: close everything this file holds. */
			io_uring_queue_exit(&ring);
			close(fd);
			fd = dv_open(0);
			io_uring_queue_init(16, &ring, 0);
		}
	}
	io_uring_queue_exit(&ring);
	close(fd);
	return calls;
}

int main(int argc, char **argv)
{
	unsigned int seconds = argc > 1 ? atoi(argv[1]) : 10;
	struct vascend_task t[2] = { dv_nop(), dv_nop() };
	struct vascend_wait w = { 0 };
	struct vascend_mgr_health h0;
	uint64_t calls;
	uint32_t id = 0;
	int mgr, fd, r, i;

	rng = argc > 2 ? strtoull(argv[2], NULL, 0) : 0x5eed5eed5eedull;
	printf("# davinci_fuzz: %u s, seed 0x%llx\n", seconds, (unsigned long long)rng);
	arena = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(arena + 4096, 4096);
	rodata = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	mgr = open("/dev/" VASCEND_MANAGER_DEV_NAME, O_RDWR | O_CLOEXEC);
	/* An armed aicore-hang is caught by the watchdog quickly. */
	fd = open("/sys/module/vascend/parameters/hang_timeout_ms", O_WRONLY);
	if (fd >= 0 && write(fd, "1000", 4) != 4)
		printf("# cannot lower hang_timeout_ms\n");
	close(fd);
	if (!TAP_CHECK(arena != MAP_FAILED && mgr >= 0, "fuzz: setup"))
		return tap_done();

	calls = fuzz(seconds, mgr);
	TAP_CHECK(1, "fuzz: %llu random calls and %u injected faults in %u s, the process and the kernel survived",
		  (unsigned long long)calls, faulted, seconds);
	/* The card recovers from what was injected last. */
	h0 = (struct vascend_mgr_health){ .dev_id = 0 };
	for (i = 0; i < 300; i++) {
		if (!dv_ioctl(mgr, VASCEND_IOCTL_MGR_HEALTH, &h0) && h0.state == VASCEND_CARD_OK)
			break;
		usleep(100000);
	}
	TAP_CHECK(h0.state == VASCEND_CARD_OK, "fuzz: the card is healthy (%u recoveries)",
		  h0.reset_count);

	fd = dv_open(0);
	r = dv_stream_create(fd, 0, &id);
	r = r ? r : dv_submit(fd, id, t, 2, 0, NULL);
	r = r ? r : dv_wait(fd, id, 0, 10000, &w);
	TAP_CHECK(!r && !w.status && w.completed == 2, "fuzz: the card runs work afterwards (%d)", r);
	close(fd);
	return tap_done();
}

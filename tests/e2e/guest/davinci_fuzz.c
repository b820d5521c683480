// SPDX-License-Identifier: MIT
/*
 * davinci_fuzz: a bounded random fuzzer of the driver's four nodes inside
 * the VM: /dev/davinci0, /dev/davinci_manager, /dev/devmm_svm and
 * /dev/hisi_hdc.
 *
 * Several worker processes, each with several threads sharing its open
 * files, issue random calls until the time is up:
 *  - every known ioctl of include/uapi/ with mostly sane arguments and one
 *    thing wrong (a field, a flag, a reserved word), sent to its own node or
 *    to another one;
 *  - any command number of our magic (random nr, size and direction), and
 *    any number at all;
 *  - argument pointers that are NULL, unmapped, in the kernel's half,
 *    misaligned, read-only, inside the SVM window (SIGBUS for the host), or
 *    straddling the end of a page into an unmapped or a PROT_NONE one;
 *  - read, write, mmap (random length, offset, protection, flags), poll and
 *    epoll on every node; io_uring commands, reads and writes;
 *  - device memory allocated, freed and used by tasks; host memory
 *    registered and then unmapped under the card; HDC sessions to every
 *    service with messages of random sizes; files closed and reopened while
 *    other threads use them; children that die with work queued.
 * Meanwhile the parent injects device faults, forces recoveries and kills
 * workers with SIGKILL (respawning them). Afterwards every worker must be
 * gone, the card healthy and working, its HBM all free again, no process
 * left on it, and an HDC echo must still come back.
 *
 *	davinci_fuzz [--seconds N] [--seed S] [--procs P] [--threads T]
 *		     [--no-faults] [--uring cmd|rw|all|none] [SECONDS [SEED]]
 *
 * --uring limits the io_uring operations to URING_CMD or READ/WRITE (for
 * telling which one a failure needs).
 *
 * The seed is printed first. Each worker thread draws from its own
 * generator seeded from (seed, worker, respawn, thread), so with
 * --procs 1 --threads 1 --no-faults a run replays call for call; with more
 * the calls are the same but the scheduler interleaves them.
 */
#define _GNU_SOURCE
#include <liburing.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/wait.h>

#include "davinci_util.h"
#include "vascend_hdc.h"
#include "vascend_hdc_hw.h"

#define PAGE		4096u
#define MIB		(1024u * 1024u)
#define MAX_PROCS	16
#define MAX_THREADS	8
#define BIG_BUF		(1u * MIB)
/*
 * Lengths go past BIG_BUF on purpose (reads of up to 18 MiB, DMA of up to
 * 3 MiB): what follows the buffer is inaccessible and never reused, so the
 * kernel answers EFAULT instead of writing over the fuzzer's own memory.
 */
#define BIG_GUARD	(32u * MIB)
#define KEEP_VAS	16
#define UD_MAX		65536u	/* io_uring submissions a thread checks */

enum node { N_DAVINCI, N_MGR, N_SVM, N_HDC, N_NODES };

static const char * const node_names[N_NODES] = {
	"davinci0", "davinci_manager", "devmm_svm", "hisi_hdc",
};

/* Counters the workers share with the parent (MAP_SHARED). */
struct stats {
	atomic_ullong calls[N_NODES];
	atomic_ullong accepted[N_NODES];	/* returned success */
	atomic_ullong interrupts;		/* signals to threads stuck in a call */
	atomic_ullong uring_bad;		/* completions nobody submitted */
};

static struct stats *stats;
static uint64_t seed;
static int no_faults;
/* --uring: which io_uring operations to issue (bit 0 URING_CMD, bit 1 READ/WRITE). */
static unsigned int uring_ops = 3;

static uint64_t splitmix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/* ---- one worker process: its files, shared by its threads ---- */

static atomic_int node_fd[N_NODES];
static uint8_t *window;			/* the SVM window, once mapped */
static size_t window_len;
static pthread_mutex_t window_lock = PTHREAD_MUTEX_INITIALIZER;
static const uint8_t *rodata;
static atomic_int stop;

/* Per thread. */
struct worker {
	uint64_t rng;
	/*
	 * A page followed by an inaccessible one (PROT_NONE: the kernel's
	 * copy faults there as on an unmapped page). Not a hole: a later
	 * one-page mapping (an io_uring ring) would land in it, and the
	 * kernel's writes past the arena would then be "legal" and corrupt it.
	 */
	uint8_t *arena;
	/*
	 * And a page followed by a real hole (nothing mapped), made after the
	 * rings so they cannot take it; kept free by a PROT_NONE page after
	 * it, and checked before each use.
	 */
	uint8_t *edge;
	uint8_t *big;		/* BIG_BUF bytes */
	uint8_t *reg;		/* 16 pages to register with the card */
	uint64_t vas[KEEP_VAS];	/* device memory this thread holds */
	struct vascend_task tasks[VASCEND_SUBMIT_MAX];
	struct io_uring ring;
	int ring_ok;
	int efd;
	atomic_ullong progress;	/* calls begun: the watchdog's view */
	/* io_uring user_data: each submission its own, each completed once */
	uint64_t ud_next;
	uint8_t ud_done[UD_MAX / 8];
};

static uint64_t rnd(struct worker *w)
{
	w->rng ^= w->rng << 13;
	w->rng ^= w->rng >> 7;
	w->rng ^= w->rng << 17;
	return w->rng;
}

static int one_in(struct worker *w, unsigned int n)
{
	return !(rnd(w) % n);
}

static uint64_t pick(struct worker *w, const uint64_t *v, size_t n)
{
	return v[rnd(w) % n];
}

static int open_node(struct worker *w, enum node n)
{
	static const char * const paths[N_NODES] = {
		"/dev/davinci0", "/dev/" VASCEND_MANAGER_DEV_NAME,
		"/dev/" VASCEND_SVM_DEV_NAME, "/dev/" VASCEND_HDC_DEV_NAME,
	};
	int flags = O_RDWR | O_CLOEXEC;

	/* HDC reads block for a message: mostly do not. */
	if (n == N_HDC ? !one_in(w, 4) : one_in(w, 8))
		flags |= O_NONBLOCK;
	if (one_in(w, 32))
		flags = (flags & ~O_RDWR) | (one_in(w, 2) ? O_RDONLY : O_WRONLY);
	return open(paths[n], flags);
}

static int fd_of(enum node n)
{
	return atomic_load(&node_fd[n]);
}

/* Close a node's file and open a new one, while other threads use it. */
static void reopen(struct worker *w, enum node n)
{
	int fd = open_node(w, n);
	int old = atomic_exchange(&node_fd[n], fd);

	if (old >= 0)
		close(old);
}

static void count(enum node n, long ret)
{
	atomic_fetch_add(&stats->calls[n], 1);
	if (ret >= 0)
		atomic_fetch_add(&stats->accepted[n], 1);
}

static uint8_t *window_addr(struct worker *w)
{
	uint8_t *p;

	pthread_mutex_lock(&window_lock);
	p = window ? window + (rnd(w) % window_len & ~7ull) : NULL;
	pthread_mutex_unlock(&window_lock);
	return p;
}

/* The page an argument straddling a page end uses: the hole or the guard. */
static uint8_t *straddle_page(struct worker *w)
{
	if (w->edge && rnd(w) % 2 &&
	    msync(w->edge + PAGE, PAGE, MS_ASYNC) && errno == ENOMEM)
		return w->edge;
	return w->arena;
}

/* An argument pointer the kernel must refuse (or survive). */
static void *bad_pointer(struct worker *w, size_t size)
{
	switch (rnd(w) % 9) {
	case 0:
		return NULL;
	case 1:
		return (void *)0x1000;
	case 2:
		return (void *)0xffff888000000000ull;	/* the kernel's direct map */
	case 3:
		return (void *)0xffffffff81000000ull;	/* the kernel's text */
	case 4:					/* ends in the guard page */
		return straddle_page(w) + PAGE - (size > 1 ? rnd(w) % size + 1 : 1);
	case 5:
		return (void *)rodata;
	case 6:
		return w->arena + 1 + rnd(w) % 7;	/* misaligned, but mapped */
	case 7:
		return window_addr(w);
	default:
		return (void *)(uintptr_t)rnd(w);
	}
}

/* A device or host address a task might use. */
static uint64_t addr_value(struct worker *w)
{
	static const uint64_t v[] = {
		0, 0x1000, 0x100000, 0x7f0000000000ull, (1ull << 48) - 16, 1ull << 48,
		~0ull, 0x10, 0x8,
	};
	uint64_t va;

	switch (rnd(w) % 6) {
	case 0:
	case 1:
		va = w->vas[rnd(w) % KEEP_VAS];
		if (va)
			return va + (one_in(w, 2) ? 0 : rnd(w) % (2 * MIB));
		return (uintptr_t)w->reg;
	case 2:
		return (uintptr_t)w->reg + rnd(w) % (16 * PAGE);
	case 3:
		return rnd(w);
	default:
		return pick(w, v, ARRAY_LEN(v)) + (rnd(w) % 4) * 8;
	}
}

static void random_task(struct worker *w, struct vascend_task *t)
{
	memset(t, 0, sizeof(*t));
	t->type = one_in(w, 16) ? rnd(w) & 0xff : rnd(w) % 8;
	t->flags = one_in(w, 16) ? rnd(w) : rnd(w) % 2;
	if (one_in(w, 32))
		t->rsvd0 = rnd(w);
	if (one_in(w, 32))
		t->rsvd1 = rnd(w);
	switch (t->type) {
	case VASCEND_TASK_MEMCPY:
		t->u.memcpy.src = addr_value(w);
		t->u.memcpy.dst = addr_value(w);
		t->u.memcpy.len = rnd(w) % 8 ? rnd(w) % 65536 + 1 : rnd(w);
		break;
	case VASCEND_TASK_MEMSET:
		t->u.memset.dst = addr_value(w);
		t->u.memset.len = rnd(w) % 8 ? rnd(w) % 65536 + 1 : rnd(w);
		t->u.memset.value = rnd(w) % 8 ? rnd(w) & 0xff : rnd(w);
		break;
	case VASCEND_TASK_EVENT_RECORD:
	case VASCEND_TASK_NOTIFY:
		t->u.event.addr = addr_value(w) & ~15ull;
		t->u.event.value = rnd(w);
		break;
	case VASCEND_TASK_EVENT_WAIT:
		/* A parked wait that nobody releases: resets and closes end it. */
		t->u.event.addr = addr_value(w) & ~7ull;
		t->u.event.value = rnd(w) % 4;
		break;
	case VASCEND_TASK_KERNEL_LAUNCH:
		t->u.launch.desc = addr_value(w);
		t->u.launch.desc_size = rnd(w) % 4 ? 64 + rnd(w) % 4096 : rnd(w);
		t->u.launch.block_dim = rnd(w) % 64;
		t->u.launch.op_id = rnd(w) % 4 ? rnd(w) % 64 : rnd(w);
		break;
	case VASCEND_TASK_MODEL_EXECUTE:
		t->u.model.model = addr_value(w);
		t->u.model.model_size = rnd(w) % 4 ? rnd(w) % 65536 : rnd(w);
		t->u.model.bindings = addr_value(w);
		t->u.model.num_inputs = rnd(w) % 4;
		t->u.model.num_outputs = rnd(w) % 4;
		t->u.model.block_dim = rnd(w) % 8;
		if (one_in(w, 8))
			t->u.model.flags = rnd(w);
		break;
	default:
		break;
	}
	if (one_in(w, 16))
		t->u.raw[rnd(w) % 7] = rnd(w);
}

struct cmd {
	unsigned long nr;
	enum node node;
};

static const struct cmd cmds[] = {
	{ VASCEND_IOCTL_GET_INFO, N_DAVINCI },
	{ VASCEND_IOCTL_DMA_XFER, N_DAVINCI },
	{ VASCEND_IOCTL_STREAM_CREATE, N_DAVINCI },
	{ VASCEND_IOCTL_STREAM_DESTROY, N_DAVINCI },
	{ VASCEND_IOCTL_STREAM_RESET, N_DAVINCI },
	{ VASCEND_IOCTL_SUBMIT, N_DAVINCI },
	{ VASCEND_IOCTL_SUBMIT, N_DAVINCI },
	{ VASCEND_IOCTL_WAIT, N_DAVINCI },
	{ VASCEND_IOCTL_STREAM_EVENTFD, N_DAVINCI },
	{ VASCEND_IOCTL_GET_OP_TABLE, N_DAVINCI },
	{ VASCEND_IOCTL_MGR_CARDS, N_MGR },
	{ VASCEND_IOCTL_MGR_HEALTH, N_MGR },
	{ VASCEND_IOCTL_MGR_TELEMETRY, N_MGR },
	{ VASCEND_IOCTL_MGR_PROCS, N_MGR },
	{ VASCEND_IOCTL_MGR_RESET, N_MGR },
	{ VASCEND_IOCTL_SVM_ALLOC, N_SVM },
	{ VASCEND_IOCTL_SVM_ALLOC, N_SVM },
	{ VASCEND_IOCTL_SVM_FREE, N_SVM },
	{ VASCEND_IOCTL_SVM_REGISTER, N_SVM },
	{ VASCEND_IOCTL_SVM_UNREGISTER, N_SVM },
	{ VASCEND_IOCTL_SVM_QUERY, N_SVM },
	{ VASCEND_IOCTL_HDC_CONNECT, N_HDC },
	{ VASCEND_IOCTL_HDC_SET_TIMEOUT, N_HDC },
	{ VASCEND_IOCTL_HDC_STATUS, N_HDC },
};

static uint64_t size_value(struct worker *w)
{
	static const uint64_t v[] = {
		0, 1, PAGE - 1, PAGE, PAGE + 1, 2 * MIB - 1, 2 * MIB, 2 * MIB + 1,
		4 * MIB, 64 * MIB, 1ull << 40, ~0ull,
	};

	return rnd(w) % 3 ? pick(w, v, ARRAY_LEN(v)) : rnd(w) % (8 * MIB);
}

static void keep_va(struct worker *w, uint64_t va)
{
	unsigned int i = rnd(w) % KEEP_VAS;
	struct vascend_svm_range r = { .dev_id = 0 };

	if (w->vas[i]) {
		r.addr = w->vas[i];
		ioctl(fd_of(N_SVM), VASCEND_IOCTL_SVM_FREE, &r);
	}
	w->vas[i] = va;
}

/*
 * Fill the argument of @cmd in @a (at least 256 bytes): mostly sane, with
 * one thing wrong or random. Returns where the argument is.
 */
static void *random_arg(struct worker *w, unsigned long cmd, uint8_t *a)
{
	uint32_t *words = (uint32_t *)a;
	unsigned int i, n;

	memset(a, 0, 256);
	if (one_in(w, 8)) {
		for (i = 0; i < 64; i++)
			words[i] = rnd(w);
		if (cmd == VASCEND_IOCTL_MGR_RESET)
			words[0] = 99;
		return a;
	}
	switch (cmd) {
	case VASCEND_IOCTL_STREAM_CREATE: {
		struct vascend_stream_create *c = (void *)a;

		c->depth = rnd(w) % 4 ? 1u << (rnd(w) % 13) : rnd(w);
		break;
	}
	case VASCEND_IOCTL_STREAM_DESTROY:
	case VASCEND_IOCTL_STREAM_RESET: {
		struct vascend_stream_ref *r = (void *)a;

		r->stream_id = rnd(w) % 8;
		break;
	}
	case VASCEND_IOCTL_SUBMIT: {
		struct vascend_submit *s = (void *)a;
		struct vascend_task *t = w->tasks;

		n = rnd(w) % 4 ? rnd(w) % 8 + 1 : rnd(w) % 300;
		for (i = 0; i < n && i < VASCEND_SUBMIT_MAX; i++) {
			if (rnd(w) % 2)
				t[i] = dv_nop();
			else
				random_task(w, &t[i]);
		}
		s->stream_id = rnd(w) % 8;
		s->count = n;
		s->tasks = (uintptr_t)t;
		if (one_in(w, 8))
			s->tasks = (uintptr_t)bad_pointer(w, n * sizeof(*t));
		s->flags = rnd(w) % 4 ? VASCEND_SUBMIT_F_NONBLOCK : rnd(w) % 4;
		break;
	}
	case VASCEND_IOCTL_WAIT: {
		struct vascend_wait *wt = (void *)a;

		wt->stream_id = rnd(w) % 8;
		wt->timeout_ms = rnd(w) % 3;
		wt->seq = rnd(w) % 4 ? 0 : rnd(w) % 1000;
		break;
	}
	case VASCEND_IOCTL_STREAM_EVENTFD: {
		struct vascend_stream_eventfd *e = (void *)a;

		e->stream_id = rnd(w) % 8;
		e->fd = rnd(w) % 2 ? w->efd : (int)(rnd(w) % 12) - 2;
		break;
	}
	case VASCEND_IOCTL_DMA_XFER: {
		struct vascend_dma_xfer *x = (void *)a;

		x->user_addr = rnd(w) % 2 ? (uintptr_t)w->big :
			(uintptr_t)bad_pointer(w, PAGE);
		x->dev_addr = rnd(w) % (128 * MIB);
		x->size = rnd(w) % 2048 + (one_in(w, 8) ? rnd(w) % (2 * BIG_BUF) : 0);
		x->direction = rnd(w) % 4;
		break;
	}
	case VASCEND_IOCTL_GET_OP_TABLE: {
		struct vascend_op_table *o = (void *)a;

		o->count = rnd(w) % 4 ? rnd(w) % 64 : rnd(w);
		o->entries = rnd(w) % 2 ? (uintptr_t)w->big :
			(one_in(w, 2) ? 0 : (uintptr_t)bad_pointer(w, PAGE));
		break;
	}
	case VASCEND_IOCTL_MGR_PROCS: {
		struct vascend_mgr_procs *p = (void *)a;

		p->count = rnd(w) % 8 ? rnd(w) % 8 : rnd(w);
		p->entries = rnd(w) % 2 ? (uintptr_t)w->big : (uintptr_t)bad_pointer(w, PAGE);
		break;
	}
	case VASCEND_IOCTL_MGR_RESET:
		/* Below: a recovery per call, only as a fault, and rarely. */
		break;
	case VASCEND_IOCTL_SVM_ALLOC: {
		struct vascend_svm_alloc *s = (void *)a;

		s->flags = rnd(w) % 8 ? rnd(w) % 3 : rnd(w);
		s->size = size_value(w);
		break;
	}
	case VASCEND_IOCTL_SVM_FREE: {
		struct vascend_svm_range *r = (void *)a;

		i = rnd(w) % KEEP_VAS;
		r->addr = rnd(w) % 4 ? w->vas[i] : addr_value(w);
		if (r->addr == w->vas[i])
			w->vas[i] = 0;
		break;
	}
	case VASCEND_IOCTL_SVM_REGISTER:
	case VASCEND_IOCTL_SVM_UNREGISTER: {
		struct vascend_svm_range *r = (void *)a;

		switch (rnd(w) % 6) {
		case 0:
			r->addr = (uintptr_t)rodata;
			break;
		case 1:
			r->addr = (uintptr_t)w->arena;
			break;
		case 2:
			r->addr = addr_value(w);
			break;
		default:
			r->addr = (uintptr_t)w->reg + (rnd(w) % 16) * PAGE;
			break;
		}
		if (cmd == VASCEND_IOCTL_SVM_REGISTER) {
			r->size = rnd(w) % 4 ? (rnd(w) % 4 + 1) * PAGE : size_value(w);
			r->flags = rnd(w) % 8 ? rnd(w) % 2 : rnd(w);
		}
		break;
	}
	case VASCEND_IOCTL_HDC_CONNECT: {
		struct vascend_hdc_connect *c = (void *)a;

		c->service = rnd(w) % 8 ? rnd(w) % 4 + 1 : rnd(w) % 16;
		c->timeout_ms = rnd(w) % 4 ? rnd(w) % 500 + 1 : 0;
		break;
	}
	case VASCEND_IOCTL_HDC_SET_TIMEOUT: {
		struct vascend_hdc_timeout *t = (void *)a;

		/* 0 is "no limit": rare, a blocking read then waits to the end. */
		t->recv_ms = one_in(w, 32) ? 0 : rnd(w) % 50 + 1;
		t->send_ms = one_in(w, 32) ? 0 : rnd(w) % 50 + 1;
		break;
	}
	default:
		/* GET_INFO, MGR_CARDS/HEALTH/TELEMETRY, SVM_QUERY, HDC_STATUS */
		words[0] = rnd(w) % 4 ? 0 : rnd(w) % 4;	/* dev_id */
		break;
	}
	/* One thing wrong: a flag, a reserved or padding word, anything. */
	if (one_in(w, 8))
		words[rnd(w) % 16] = rnd(w);
	if (cmd == VASCEND_IOCTL_MGR_RESET)
		words[0] = no_faults || !one_in(w, 64) ? 99 : 0;
	return a;
}

/* Where the argument goes: the arena, misaligned, or ending in the guard. */
static void *place_arg(struct worker *w, unsigned long cmd)
{
	size_t size = _IOC_SIZE(cmd);
	uint8_t *base = w->arena, *a;

	switch (rnd(w) % 16) {
	case 0:
		return bad_pointer(w, size);
	case 1:
		/* Part of it past the page: EFAULT, never a partial copy. */
		base = straddle_page(w);
		a = base + PAGE - (size > 1 ? rnd(w) % (size - 1) + 1 : 1);
		break;
	case 2:
		a = w->arena + 1 + rnd(w) % 7;
		break;
	default:
		a = w->arena;
		break;
	}
	/* The fields as far as they fit in the page. */
	if (a >= base + PAGE - 256) {
		uint8_t tmp[256];
		size_t room = base + PAGE - a;

		random_arg(w, cmd, tmp);
		memcpy(a, tmp, room);
		return a;
	}
	return random_arg(w, cmd, a);
}

static void do_ioctl(struct worker *w)
{
	const struct cmd *c = &cmds[rnd(w) % ARRAY_LEN(cmds)];
	enum node n = c->node;
	unsigned long cmd = c->nr;
	void *arg;

	switch (rnd(w) % 16) {
	case 0:
	case 1:			/* any command number of our magic */
		cmd = _IOC(rnd(w) % 4, VASCEND_IOCTL_MAGIC, rnd(w) & 0xff,
			   one_in(w, 2) ? _IOC_SIZE(c->nr) : rnd(w) % 512);
		n = rnd(w) % N_NODES;
		break;
	case 2:			/* a known number with another size or direction */
		cmd = _IOC(rnd(w) % 4, VASCEND_IOCTL_MAGIC, _IOC_NR(c->nr),
			   rnd(w) % 2 ? _IOC_SIZE(c->nr) : rnd(w) % 512);
		break;
	case 3:			/* any number at all */
		cmd = (unsigned long)(uint32_t)rnd(w);
		n = rnd(w) % N_NODES;
		break;
	case 4:			/* the right command on the wrong node */
		n = rnd(w) % N_NODES;
		break;
	default:
		break;
	}
	/* A reset is a fault: with none wanted, no card 0 from stale bytes. */
	if (no_faults && cmd == VASCEND_IOCTL_MGR_RESET)
		arg = random_arg(w, cmd, w->arena);
	else
		arg = place_arg(w, cmd);
	if (cmd == VASCEND_IOCTL_SVM_ALLOC && arg == w->arena) {
		long r = ioctl(fd_of(n), cmd, arg);

		count(n, r);
		if (!r && n == N_SVM)
			keep_va(w, ((struct vascend_svm_alloc *)arg)->va);
		return;
	}
	count(n, ioctl(fd_of(n), cmd, arg));
}

static void do_rw(struct worker *w)
{
	enum node n = rnd(w) % 4 ? N_HDC : rnd(w) % N_NODES;
	size_t len;
	void *buf;
	long r;

	switch (rnd(w) % 8) {
	case 0:
		len = 0;
		break;
	case 1:
		len = rnd(w) % (VASCEND_HDC_MAX_MSG + 2 * MIB);
		break;
	case 2:
		len = rnd(w);
		break;
	default:
		len = rnd(w) % 8192 + 1;
		break;
	}
	switch (rnd(w) % 8) {
	case 0:
		buf = bad_pointer(w, len);
		break;
	case 1:
		buf = straddle_page(w) + PAGE - (len < PAGE ? len / 2 + 1 : 64);
		break;
	default:
		buf = w->big;
		if (len > BIG_BUF && rnd(w) % 2)
			len = BIG_BUF;
		break;
	}
	if (rnd(w) % 2) {
		if (buf == w->big)
			memset(w->big, (int)rnd(w), len < 256 ? len : 256);
		r = write(fd_of(n), buf, len);
	} else {
		r = read(fd_of(n), buf, len);
	}
	count(n, r);
}

static void do_mmap(struct worker *w)
{
	static const uint64_t lens[] = {
		0, PAGE, MIB, 2 * MIB, 3 * MIB, 4 * MIB, 8 * MIB,
	};
	static const int prots[] = {
		PROT_READ | PROT_WRITE, PROT_READ, PROT_WRITE, PROT_NONE,
		PROT_READ | PROT_WRITE | PROT_EXEC,
	};
	enum node n = rnd(w) % 2 ? N_SVM : rnd(w) % N_NODES;
	size_t len = rnd(w) % 8 ? pick(w, lens, ARRAY_LEN(lens)) : rnd(w) % (64 * MIB);
	off_t off = rnd(w) % 4 ? 0 : (off_t)((rnd(w) % 1024) * PAGE);
	int prot = prots[rnd(w) % ARRAY_LEN(prots)];
	int flags = rnd(w) % 4 ? MAP_SHARED : MAP_PRIVATE;
	uint8_t *p;

	if (one_in(w, 16))
		flags |= MAP_POPULATE;
	p = mmap(NULL, len, prot, flags, fd_of(n), off);
	count(n, p == MAP_FAILED ? -1 : 0);
	if (p == MAP_FAILED)
		return;
	pthread_mutex_lock(&window_lock);
	if (n == N_SVM && !window) {
		window = p;
		window_len = len;
		p = NULL;
	}
	pthread_mutex_unlock(&window_lock);
	if (p)
		munmap(p, len);
}

/* Give the window back while device memory lives in it. */
static void drop_window(void)
{
	pthread_mutex_lock(&window_lock);
	if (window)
		munmap(window, window_len);
	window = NULL;
	pthread_mutex_unlock(&window_lock);
}

static void do_poll(struct worker *w)
{
	struct pollfd p[N_NODES];
	unsigned int i;

	if (one_in(w, 4)) {
		struct epoll_event ev, out[4];
		int ep = epoll_create1(EPOLL_CLOEXEC);

		for (i = 0; i < N_NODES; i++) {
			ev.events = (uint32_t)rnd(w) & (EPOLLIN | EPOLLOUT | EPOLLPRI |
							EPOLLHUP | EPOLLET | EPOLLONESHOT);
			ev.data.u32 = i;
			count(i, epoll_ctl(ep, EPOLL_CTL_ADD, fd_of(i), &ev));
		}
		epoll_wait(ep, out, 4, (int)(rnd(w) % 3));
		close(ep);
		return;
	}
	for (i = 0; i < N_NODES; i++) {
		p[i].fd = fd_of(i);
		p[i].events = rnd(w) % 4 ? POLLIN | POLLOUT : (short)rnd(w);
	}
	count(rnd(w) % N_NODES, poll(p, N_NODES, (int)(rnd(w) % 3)));
}

static void do_uring(struct worker *w)
{
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	unsigned int i, n = rnd(w) % 8 + 1;
	enum node node = N_HDC;
	bool cmd = rnd(w) % 2;

	if (!w->ring_ok || !uring_ops)
		return;
	if (!(uring_ops & (cmd ? 1 : 2)))
		cmd = !cmd;
	sqe = io_uring_get_sqe(&w->ring);
	if (!sqe)
		return;
	if (cmd) {
		struct vascend_uring_submit *p;

		for (i = 0; i < n; i++)
			random_task(w, &w->tasks[i]);
		memset(sqe, 0, sizeof(*sqe));
		sqe->opcode = IORING_OP_URING_CMD;
		node = rnd(w) % 4 ? N_DAVINCI : rnd(w) % N_NODES;
		sqe->fd = fd_of(node);
		sqe->cmd_op = rnd(w) % 8 ? VASCEND_URING_CMD_SUBMIT : rnd(w);
		p = (struct vascend_uring_submit *)sqe->cmd;
		p->stream_id = rnd(w) % 8;
		p->count = rnd(w) % 8 ? n : rnd(w);
		p->tasks = rnd(w) % 8 ? (uintptr_t)w->tasks :
			(uintptr_t)bad_pointer(w, n * sizeof(w->tasks[0]));
	} else {
		/* HDC messages through io_uring; nonblocking reads come back. */
		unsigned int len = rnd(w) % 4 ? rnd(w) % 4096 + 1 : rnd(w) % BIG_BUF;

		if (rnd(w) % 2)
			io_uring_prep_write(sqe, fd_of(N_HDC), w->big, len, 0);
		else
			io_uring_prep_read(sqe, fd_of(N_HDC), w->big, len, 0);
	}
	if (w->ud_next + 1 >= UD_MAX) {
		/* Out of ids to check: this thread's ring is done. */
		io_uring_queue_exit(&w->ring);
		w->ring_ok = 0;
		return;
	}
	sqe->user_data = ++w->ud_next;
	io_uring_submit(&w->ring);
	/*
	 * What completed by now: this command at once, or earlier ones. Each
	 * must be one this thread submitted, completed once: a completion
	 * posted twice is a driver bug (and a use after free in the making).
	 */
	for (i = 0; !io_uring_peek_cqe(&w->ring, &cqe); i++) {
		uint64_t ud = cqe->user_data;

		if (!ud || ud > w->ud_next || (w->ud_done[ud / 8] & (1u << (ud % 8))) ||
		    i > VASCEND_SUBMIT_MAX) {
			if (!atomic_fetch_add(&stats->uring_bad, 1)) {
				/* Is the SQE just written still ours (a zeroed one is a NOP)? */
				const struct io_uring_sqe *last = &w->ring.sq.sqes[
					(w->ring.sq.sqe_tail - 1) & *w->ring.sq.kring_mask];

				printf("# io_uring: completion of %llu (res %d, flags 0x%x) after "
				       "%llu submissions, %u in this drain: not submitted, or "
				       "completed before; the last SQE now has opcode %u "
				       "user_data %llu\n", (unsigned long long)ud, cqe->res,
				       cqe->flags, (unsigned long long)w->ud_next, i,
				       last->opcode, (unsigned long long)last->user_data);
			}
			fflush(stdout);	/* workers leave with _exit() */
			if (i > VASCEND_SUBMIT_MAX)
				break;
		} else {
			w->ud_done[ud / 8] |= 1u << (ud % 8);
		}
		count(node, cqe->res);
		io_uring_cqe_seen(&w->ring, cqe);
	}
}

/* A session that works, then random traffic on it. */
static void do_hdc_session(struct worker *w)
{
	struct vascend_hdc_connect c = {
		.service = rnd(w) % 3 + 1,	/* echo, mgmt, log */
		.timeout_ms = 500,
	};
	struct vascend_hdc_timeout t = { .recv_ms = 20, .send_ms = 20 };
	unsigned int i, len;
	int fd = open_node(w, N_HDC);

	if (fd < 0)
		return;
	count(N_HDC, ioctl(fd, VASCEND_IOCTL_HDC_CONNECT, &c));
	count(N_HDC, ioctl(fd, VASCEND_IOCTL_HDC_SET_TIMEOUT, &t));
	for (i = rnd(w) % 4; i; i--) {
		len = rnd(w) % 4 ? rnd(w) % 4096 + 1 : rnd(w) % BIG_BUF + 1;
		memset(w->big, (int)rnd(w), len < 4096 ? len : 4096);
		count(N_HDC, write(fd, w->big, len));
		count(N_HDC, read(fd, w->big, rnd(w) % 2 ? BIG_BUF : rnd(w) % 64));
	}
	/*
	 * Half of them become the session the other threads fuzz; the rest
	 * are closed with messages queued both ways.
	 */
	if (rnd(w) % 2)
		fd = atomic_exchange(&node_fd[N_HDC], fd);
	close(fd);
}

/* Host memory registered with the card, then unmapped under it. */
static void do_unmap_registered(struct worker *w)
{
	struct vascend_svm_range r = { .size = PAGE };
	unsigned int i = rnd(w) % 16;
	uint8_t *p = w->reg + i * PAGE;

	r.addr = (uintptr_t)p;
	count(N_SVM, ioctl(fd_of(N_SVM), VASCEND_IOCTL_SVM_REGISTER, &r));
	if (rnd(w) % 2) {
		struct vascend_task t = dv_memset((uintptr_t)p, PAGE, rnd(w) & 0xff);
		uint32_t id = 0;

		if (!dv_stream_create(fd_of(N_DAVINCI), 4, &id))
			dv_submit(fd_of(N_DAVINCI), id, &t, 1, VASCEND_SUBMIT_F_NONBLOCK, NULL);
	}
	munmap(p, PAGE);
	mmap(p, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
}

/* A child that dies with work queued on its own files. */
static void do_fork(struct worker *w)
{
	pid_t pid = fork();
	unsigned int i;

	if (!pid) {
		struct vascend_hdc_connect c = { .service = VASCEND_HDC_SVC_ECHO };
		int cfd = dv_open(0), hfd = open("/dev/" VASCEND_HDC_DEV_NAME, O_RDWR);
		uint32_t id = 0;

		if (!ioctl(hfd, VASCEND_IOCTL_HDC_CONNECT, &c) &&
		    write(hfd, w->big, rnd(w) % BIG_BUF + 1) < 0)
			_exit(1);
		dv_stream_create(cfd, 8, &id);
		for (i = 0; i < 8; i++)
			random_task(w, &w->tasks[i]);
		dv_submit(cfd, id, w->tasks, 8, 0, NULL);
		_exit(0);
	}
	if (pid > 0) {
		if (rnd(w) % 2)
			kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
}

static void *thread_main(void *arg)
{
	struct worker *w = arg;

	while (!atomic_load(&stop)) {
		unsigned int r = rnd(w) % 100;

		atomic_fetch_add(&w->progress, 1);
		if (r < 50)
			do_ioctl(w);
		else if (r < 60)
			do_rw(w);
		else if (r < 65)
			do_mmap(w);
		else if (r < 71)
			do_poll(w);
		else if (r < 77)
			do_uring(w);
		else if (r < 82)
			dv_stream_create(fd_of(N_DAVINCI), 1u << (rnd(w) % 5 + 1), NULL);
		else if (r < 86)
			do_hdc_session(w);
		else if (r < 90)
			do_unmap_registered(w);
		else if (r < 94)
			reopen(w, rnd(w) % N_NODES);
		else if (r < 95)
			drop_window();
		else if (r < 96)
			do_fork(w);
		else
			do_ioctl(w);
	}
	return NULL;
}

static int worker_init(struct worker *w, uint64_t s)
{
	memset(w, 0, sizeof(*w));
	w->rng = splitmix(s) | 1;
	w->arena = mmap(NULL, 2 * PAGE, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	w->big = mmap(NULL, BIG_BUF + BIG_GUARD, PROT_NONE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	w->reg = mmap(NULL, 16 * PAGE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (w->arena == MAP_FAILED || w->big == MAP_FAILED || w->reg == MAP_FAILED ||
	    mprotect(w->big, BIG_BUF, PROT_READ | PROT_WRITE))
		return -1;
	mprotect(w->arena + PAGE, PAGE, PROT_NONE);
	w->efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	w->ring_ok = !io_uring_queue_init(16, &w->ring, 0);
	w->edge = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);
	if (w->edge == MAP_FAILED) {
		w->edge = NULL;
	} else {
		mprotect(w->edge + 2 * PAGE, PAGE, PROT_NONE);
		munmap(w->edge + PAGE, PAGE);
	}
	return 0;
}

/* One worker process: threads until @t_end, then exit (which closes all). */
static void worker_process(unsigned int idx, unsigned int gen, unsigned int threads,
			   uint64_t t_end)
{
	static struct worker ws[MAX_THREADS];
	unsigned long long seen[MAX_THREADS] = { 0 };
	unsigned int still[MAX_THREADS] = { 0 };
	pthread_t tid[MAX_THREADS];
	struct worker setup;
	unsigned int i, n;

	atomic_store(&stop, 0);
	worker_init(&setup, seed ^ ((uint64_t)idx << 40) ^ ((uint64_t)gen << 20) ^ 0xfff);
	for (i = 0; i < N_NODES; i++)
		atomic_store(&node_fd[i], open_node(&setup, i));
	/* Most workers get an SVM window first, so device memory works. */
	if (rnd(&setup) % 4) {
		window_len = 16 * MIB;
		window = mmap(NULL, window_len, PROT_READ | PROT_WRITE, MAP_SHARED,
			      fd_of(N_SVM), 0);
		if (window == MAP_FAILED)
			window = NULL;
	}
	/*
	 * Every thread's memory is mapped before any thread runs: a mapping
	 * made later could land in a hole a running thread has just checked
	 * and is about to hand the kernel (a fresh io_uring ring did, and got
	 * the kernel's output written into it).
	 */
	for (i = 0; i < threads; i++)
		if (worker_init(&ws[i], seed ^ ((uint64_t)idx << 40) ^ ((uint64_t)gen << 20) ^ i))
			break;
	threads = i;
	for (n = 0; n < threads; n++)
		if (pthread_create(&tid[n], NULL, thread_main, &ws[n]))
			break;
	/*
	 * A thread stuck in one call for 300 ms (a wait on a parked stream
	 * with a random timeout, a read with no limit) gets SIGUSR1, whose
	 * handler has no SA_RESTART: interruptible waits end with EINTR, which
	 * the fuzz wants exercised anyway. Killable-only waits stay until a
	 * reset, a close or SIGKILL ends them.
	 */
	while (dv_now_ns() < t_end) {
		usleep(100000);
		for (i = 0; i < n; i++) {
			unsigned long long p = atomic_load(&ws[i].progress);

			if (p == seen[i] && ++still[i] >= 3) {
				pthread_kill(tid[i], SIGUSR1);
				atomic_fetch_add(&stats->interrupts, 1);
				still[i] = 0;
			} else if (p != seen[i]) {
				seen[i] = p;
				still[i] = 0;
			}
		}
	}
	atomic_store(&stop, 1);
	/* Threads blocked in the kernel are ended by the exit. */
	for (i = 0; i < n; i++) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += 2;
		if (pthread_timedjoin_np(tid[i], NULL, &ts))
			break;
	}
	_exit(0);
}

static void on_sigusr1(int sig)
{
	(void)sig;
}

/* ---- the parent ---- */

static uint64_t prng;

static uint64_t prnd(void)
{
	prng ^= prng << 13;
	prng ^= prng >> 7;
	prng ^= prng << 17;
	return prng;
}

static pid_t spawn(unsigned int idx, unsigned int gen, unsigned int threads, uint64_t t_end)
{
	pid_t pid = fork();

	if (!pid)
		worker_process(idx, gen, threads, t_end);
	return pid;
}

static int inject_fault(void)
{
	static const char * const faults[] = {
		"dma-error", "ecc", "fw-crash", "aicore-hang",
	};
	const char *f = faults[prnd() % ARRAY_LEN(faults)];
	int fd, ok;

	if (prnd() % 4)
		fd = open("/sys/kernel/debug/vascend/davinci0/fault_inject", O_WRONLY);
	else
		fd = open("/sys/kernel/debug/vascend/davinci0/force_recovery", O_WRONLY);
	if (fd < 0)
		return 0;
	ok = write(fd, f, strlen(f)) > 0;
	close(fd);
	return ok;
}

/* Workers killed during the run, reaped at the end. */
static pid_t dying[4096];
static unsigned int ndying;

/* Reap every worker; SIGKILL those still there. 1 if all went in @secs. */
static int reap_all(pid_t *pids, unsigned int n, unsigned int secs)
{
	uint64_t t_end = dv_now_ns() + secs * 1000000000ull;
	unsigned int i, left;

	do {
		for (i = 0, left = 0; i < n; i++) {
			if (pids[i] > 0 && waitpid(pids[i], NULL, WNOHANG) == pids[i])
				pids[i] = 0;
			if (pids[i] > 0) {
				kill(pids[i], SIGKILL);
				left++;
			}
		}
		if (left)
			usleep(50000);
	} while (left && dv_now_ns() < t_end);
	if (left)
		printf("# %u worker(s) did not die within %u s of SIGKILL: a task stuck in the driver\n",
		       left, secs);
	return !left;
}

static uint64_t hbm_free(int svm)
{
	struct vascend_svm_query q = { .dev_id = 0 };

	return dv_ioctl(svm, VASCEND_IOCTL_SVM_QUERY, &q) ? 0 : q.free;
}

static int echo_works(void)
{
	struct vascend_hdc_connect c = { .service = VASCEND_HDC_SVC_ECHO, .timeout_ms = 5000 };
	struct vascend_hdc_timeout t = { .recv_ms = 5000, .send_ms = 5000 };
	char out[100], in[200];
	int fd = open("/dev/" VASCEND_HDC_DEV_NAME, O_RDWR | O_CLOEXEC), ok;

	memset(out, 'e', sizeof(out));
	ok = fd >= 0 && !ioctl(fd, VASCEND_IOCTL_HDC_CONNECT, &c) &&
	     !ioctl(fd, VASCEND_IOCTL_HDC_SET_TIMEOUT, &t) &&
	     write(fd, out, sizeof(out)) == sizeof(out) &&
	     read(fd, in, sizeof(in)) == sizeof(out) && !memcmp(in, out, sizeof(out));
	close(fd);
	return ok;
}

static void usage(void)
{
	fprintf(stderr, "usage: davinci_fuzz [--seconds N] [--seed S] [--procs P] [--threads T]\n"
		"                    [--no-faults] [--uring cmd|rw|all|none] [SECONDS [SEED]]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	unsigned int seconds = 10, procs = 2, threads = 2, positional = 0;
	unsigned int faulted = 0, killed = 0, gen[MAX_PROCS] = { 0 }, i;
	struct vascend_task t[2] = { dv_nop(), dv_nop() };
	struct vascend_mgr_procs mp = { .dev_id = 0 };
	struct vascend_mgr_health h0;
	pid_t pids[MAX_PROCS];
	unsigned long long calls = 0, accepted = 0;
	struct vascend_wait wt = { 0 };
	struct vascend_mgr_proc_entry pe[64];
	uint64_t free0, free1 = 0, t_end;
	int mgr, svm, fd, r = 0, all_nodes = 1, reaped;
	unsigned int j, others = 0;
	uint32_t id = 0;

	seed = dv_now_ns() ^ ((uint64_t)getpid() << 32);
	for (i = 1; i < (unsigned int)argc; i++) {
		if (!strcmp(argv[i], "--seconds") && i + 1 < (unsigned int)argc)
			seconds = strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--seed") && i + 1 < (unsigned int)argc)
			seed = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--procs") && i + 1 < (unsigned int)argc)
			procs = strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--threads") && i + 1 < (unsigned int)argc)
			threads = strtoul(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--no-faults"))
			no_faults = 1;
		else if (!strcmp(argv[i], "--uring") && i + 1 < (unsigned int)argc)
			uring_ops = !strcmp(argv[++i], "cmd") ? 1 : !strcmp(argv[i], "rw") ? 2 :
				    !strcmp(argv[i], "none") ? 0 : 3;
		else if (argv[i][0] != '-' && positional == 0 && ++positional)
			seconds = strtoul(argv[i], NULL, 0);
		else if (argv[i][0] != '-' && positional == 1 && ++positional)
			seed = strtoull(argv[i], NULL, 0);
		else
			usage();
	}
	if (!procs || procs > MAX_PROCS || !threads || threads > MAX_THREADS)
		usage();
	prng = splitmix(seed) | 1;
	printf("# davinci_fuzz: %u s, %u process(es) x %u thread(s)%s, seed 0x%llx "
	       "(replay: davinci_fuzz --seconds %u --seed 0x%llx --procs %u --threads %u%s)\n",
	       seconds, procs, threads, no_faults ? ", no faults" : "",
	       (unsigned long long)seed, seconds, (unsigned long long)seed, procs, threads,
	       no_faults ? " --no-faults" : "");
	fflush(stdout);
	signal(SIGPIPE, SIG_IGN);
	sigaction(SIGUSR1, &(struct sigaction){ .sa_handler = on_sigusr1 }, NULL);
	stats = mmap(NULL, sizeof(*stats), PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	rodata = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	mgr = open("/dev/" VASCEND_MANAGER_DEV_NAME, O_RDWR | O_CLOEXEC);
	svm = open("/dev/" VASCEND_SVM_DEV_NAME, O_RDWR | O_CLOEXEC);
	free0 = hbm_free(svm);
	/* An armed aicore-hang is caught by the watchdog quickly. */
	fd = open("/sys/module/vascend/parameters/hang_timeout_ms", O_WRONLY);
	if (fd >= 0 && write(fd, "1000", 4) != 4)
		printf("# cannot lower hang_timeout_ms\n");
	close(fd);
	if (!TAP_CHECK(stats != MAP_FAILED && rodata != MAP_FAILED && mgr >= 0 && svm >= 0 &&
		       free0, "fuzz: setup (HBM free %llu)", (unsigned long long)free0))
		return tap_done();

	t_end = dv_now_ns() + seconds * 1000000000ull;
	for (i = 0; i < procs; i++)
		pids[i] = spawn(i, 0, threads, t_end);
	/* Faults, recoveries and SIGKILLs while the workers run. */
	while (dv_now_ns() < t_end) {
		usleep(50000);
		if (!no_faults && !(prnd() % 40))
			faulted += inject_fault();
		if (!(prnd() % 30)) {
			i = prnd() % procs;
			kill(pids[i], SIGKILL);
			if (ndying < ARRAY_LEN(dying))
				dying[ndying++] = pids[i];
			else
				waitpid(pids[i], NULL, 0);
			killed++;
			pids[i] = spawn(i, ++gen[i], threads, t_end);
		}
		for (i = 0; i < procs; i++) {
			/* One that ended early (it should not) is started again. */
			if (waitpid(pids[i], NULL, WNOHANG) == pids[i])
				pids[i] = spawn(i, ++gen[i], threads, t_end);
		}
	}
	/* They exit on their own at t_end (+2 s for their threads). */
	usleep(500000);
	reaped = reap_all(pids, procs, 30) && reap_all(dying, ndying, 30);
	for (i = 0; i < N_NODES; i++) {
		calls += atomic_load(&stats->calls[i]);
		accepted += atomic_load(&stats->accepted[i]);
		printf("# %-16s %llu calls, %llu accepted\n", node_names[i],
		       (unsigned long long)atomic_load(&stats->calls[i]),
		       (unsigned long long)atomic_load(&stats->accepted[i]));
		all_nodes &= atomic_load(&stats->accepted[i]) > 0;
	}
	TAP_CHECK(calls > 100 * seconds && all_nodes,
		  "fuzz: %llu random calls (%llu accepted, every node some), %u faults injected, "
		  "%u workers killed, %llu stuck calls interrupted, in %u s", calls, accepted,
		  faulted, killed, (unsigned long long)atomic_load(&stats->interrupts), seconds);
	TAP_CHECK(reaped, "fuzz: every worker is gone within 30 s of SIGKILL");
	TAP_CHECK(!atomic_load(&stats->uring_bad),
		  "fuzz: every io_uring completion was of a submission, once (%llu not)",
		  (unsigned long long)atomic_load(&stats->uring_bad));

	/* The card recovers from what was injected last. */
	h0 = (struct vascend_mgr_health){ .dev_id = 0 };
	for (i = 0; i < 300; i++) {
		if (!dv_ioctl(mgr, VASCEND_IOCTL_MGR_HEALTH, &h0) && h0.state == VASCEND_CARD_OK)
			break;
		usleep(100000);
	}
	TAP_CHECK(h0.state == VASCEND_CARD_OK, "fuzz: the card is healthy (%u recoveries)",
		  h0.reset_count);

	/* What the workers held is released: processes, then HBM. */
	for (i = 0; i < 50; i++) {
		mp.count = ARRAY_LEN(pe);
		mp.entries = (uintptr_t)pe;
		r = dv_ioctl(mgr, VASCEND_IOCTL_MGR_PROCS, &mp);
		others = 0;
		for (j = 0; !r && j < mp.count && j < ARRAY_LEN(pe); j++)
			others += pe[j].pid != getpid();
		free1 = hbm_free(svm);
		if (!r && !others && free1 == free0)
			break;
		usleep(100000);
	}
	TAP_CHECK(!r && !others, "fuzz: no worker is left on the card (%u other process(es), %d)",
		  others, r);
	TAP_CHECK(free1 == free0, "fuzz: all HBM is free again (%llu of %llu bytes)",
		  (unsigned long long)free1, (unsigned long long)free0);

	fd = dv_open(0);
	r = dv_stream_create(fd, 0, &id);
	r = r ? r : dv_submit(fd, id, t, 2, 0, NULL);
	r = r ? r : dv_wait(fd, id, 0, 10000, &wt);
	TAP_CHECK(!r && !wt.status && wt.completed == 2, "fuzz: the card runs work afterwards (%d)",
		  r);
	close(fd);
	TAP_CHECK(echo_works(), "fuzz: an HDC echo session works afterwards");
	close(svm);
	close(mgr);
	return tap_done();
}

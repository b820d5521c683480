// SPDX-License-Identifier: MIT
/*
 * svm_e2e: /dev/devmm_svm inside the VM, through the raw contract
 * (include/uapi/vascend_svm.h): the SVM window, device memory, registered
 * host memory, accounting, isolation between processes, and what the card
 * sees through streams (tasks on registered and device memory, revocation
 * when the host unmaps), kill -9 in ALLOC/REGISTER loops, a card reset and
 * an unbind with memory in use (the second card is unbound and comes back
 * as /dev/davinci2).
 *
 *	svm_e2e HBM_BYTES_OF_CARD0 [HBM_BYTES_OF_CARD1]
 *
 * Card 0 is expected fresh (no other user). Prints TAP.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "davinci_util.h"
#include "vascend_mmu_hw.h"

#define MIB		(1024ull * 1024)
#define WINDOW		(512 * MIB)

static int svm = -1;
static uint8_t *window;
static uint64_t hbm0, hbm1;
static int cards;

static int svm_alloc(uint32_t card, uint32_t flags, uint64_t size,
		     struct vascend_svm_alloc *out)
{
	struct vascend_svm_alloc a = { .dev_id = card, .flags = flags, .size = size };
	int ret = dv_ioctl(svm, VASCEND_IOCTL_SVM_ALLOC, &a);

	if (out)
		*out = a;
	return ret;
}

static uint64_t alloc_va(uint32_t card, uint32_t flags, uint64_t size)
{
	struct vascend_svm_alloc a;

	return svm_alloc(card, flags, size, &a) ? 0 : a.va;
}

static int svm_range(unsigned long cmd, uint32_t card, uint32_t flags,
		     uint64_t addr, uint64_t size)
{
	struct vascend_svm_range r = {
		.dev_id = card, .flags = flags, .addr = addr, .size = size,
	};

	return dv_ioctl(svm, cmd, &r);
}

static int svm_free(uint32_t card, uint64_t va)
{
	return svm_range(VASCEND_IOCTL_SVM_FREE, card, 0, va, 0);
}

static int svm_reg(uint32_t card, void *p, uint64_t size, uint32_t flags)
{
	return svm_range(VASCEND_IOCTL_SVM_REGISTER, card, flags,
			 (uintptr_t)p, size);
}

static int svm_unreg(uint32_t card, void *p)
{
	return svm_range(VASCEND_IOCTL_SVM_UNREGISTER, card, 0, (uintptr_t)p, 0);
}

static struct vascend_svm_query query(uint32_t card)
{
	struct vascend_svm_query q = { .dev_id = card };

	if (dv_ioctl(svm, VASCEND_IOCTL_SVM_QUERY, &q))
		memset(&q, 0xff, sizeof(q));
	return q;
}

/* ---- the card's view, through a stream of card @card ---- */

struct dvs {
	int fd;
	uint32_t id;
};

static int dvs_open(struct dvs *s, unsigned int card)
{
	s->fd = dv_open(card);
	if (s->fd < 0)
		return -errno;
	return dv_stream_create(s->fd, 0, &s->id);
}

static void dvs_close(struct dvs *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}

/* Run one task; 0 and the status of the stream in *status. */
static int dvs_run(struct dvs *s, struct vascend_task t, struct vascend_wait *w)
{
	uint64_t seq;
	int ret;

	t.flags |= VASCEND_TASK_F_IRQ_NOW;
	ret = dv_submit(s->fd, s->id, &t, 1, 0, &seq);
	if (ret)
		return ret;
	ret = dv_wait(s->fd, s->id, seq, 10000, w);
	if (!ret && w->status)
		dv_stream_ref(s->fd, VASCEND_IOCTL_STREAM_RESET, s->id);
	return ret;
}

/* Status of one task (0 success, VASCEND_CQE_STATUS_*, or -errno). */
static int dvs_status(struct dvs *s, struct vascend_task t, uint32_t *info)
{
	struct vascend_wait w;
	int ret = dvs_run(s, t, &w);

	if (ret)
		return ret;
	if (info)
		*info = w.err_info;
	return (int)w.status;
}

static void fill(uint8_t *p, size_t n, uint32_t seed)
{
	size_t i;

	for (i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		p[i] = (uint8_t)(seed >> 16);
	}
}

/* ---- tests ---- */

static void test_validation(void)
{
	struct vascend_svm_alloc a = { .flags = VASCEND_SVM_NORMAL_ONLY, .size = 4096 };
	struct vascend_svm_range r = { .addr = 0x100000, .size = 0x1000 };
	struct vascend_svm_query q = { 0 };

	a.reserved[1] = 1;
	TAP_CHECK(dv_ioctl(svm, VASCEND_IOCTL_SVM_ALLOC, &a) == -EINVAL,
		  "ALLOC: reserved word set: EINVAL");
	a.reserved[1] = 0;
	a.flags = 4;
	TAP_CHECK(dv_ioctl(svm, VASCEND_IOCTL_SVM_ALLOC, &a) == -EINVAL,
		  "ALLOC: flag bit outside the policy mask: EINVAL");
	a.flags = 3;
	TAP_CHECK(dv_ioctl(svm, VASCEND_IOCTL_SVM_ALLOC, &a) == -EINVAL,
		  "ALLOC: undefined policy 3: EINVAL");
	a.flags = 0;
	a.size = 0;
	TAP_CHECK(dv_ioctl(svm, VASCEND_IOCTL_SVM_ALLOC, &a) == -EINVAL,
		  "ALLOC: size 0: EINVAL");
	a.size = VASCEND_SVM_WINDOW_MAX + 1;
	TAP_CHECK(dv_ioctl(svm, VASCEND_IOCTL_SVM_ALLOC, &a) == -EINVAL,
		  "ALLOC: size above any window: EINVAL");
	a.size = 4096;
	a.dev_id = 63;
	TAP_CHECK(dv_ioctl(svm, VASCEND_IOCTL_SVM_ALLOC, &a) == -ENODEV,
		  "ALLOC: no such card: ENODEV");

	r.flags = 1;
	TAP_CHECK(dv_ioctl(svm, VASCEND_IOCTL_SVM_FREE, &r) == -EINVAL,
		  "FREE: flags set: EINVAL");
	r.flags = 0;
	TAP_CHECK(dv_ioctl(svm, VASCEND_IOCTL_SVM_FREE, &r) == -EINVAL,
		  "FREE: size set: EINVAL");
	r.size = 0;
	r.reserved[0] = 1;
	TAP_CHECK(dv_ioctl(svm, VASCEND_IOCTL_SVM_FREE, &r) == -EINVAL,
		  "FREE: reserved word set: EINVAL");
	r.reserved[0] = 0;
	r.addr = 0x100010;
	TAP_CHECK(dv_ioctl(svm, VASCEND_IOCTL_SVM_FREE, &r) == -EINVAL,
		  "FREE: unaligned address: EINVAL");

	r.addr = 0x100000;
	r.size = 0x1000;
	r.flags = 2;
	TAP_CHECK(dv_ioctl(svm, VASCEND_IOCTL_SVM_REGISTER, &r) == -EINVAL,
		  "REGISTER: undefined flag: EINVAL");
	r.flags = 0;
	r.reserved[1] = 7;
	TAP_CHECK(dv_ioctl(svm, VASCEND_IOCTL_SVM_REGISTER, &r) == -EINVAL,
		  "REGISTER: reserved word set: EINVAL");
	r.reserved[1] = 0;
	r.size = 0;
	TAP_CHECK(dv_ioctl(svm, VASCEND_IOCTL_SVM_REGISTER, &r) == -EINVAL,
		  "REGISTER: size 0: EINVAL");
	r.size = 0x1000;
	r.addr = 0x100800;
	TAP_CHECK(dv_ioctl(svm, VASCEND_IOCTL_SVM_REGISTER, &r) == -EINVAL,
		  "REGISTER: unaligned address: EINVAL");
	r.addr = 0x100000;
	r.size = 0x1800;
	TAP_CHECK(dv_ioctl(svm, VASCEND_IOCTL_SVM_REGISTER, &r) == -EINVAL,
		  "REGISTER: size not a page multiple: EINVAL");
	r.addr = (1ull << 48) - 0x1000;
	r.size = 0x2000;
	TAP_CHECK(dv_ioctl(svm, VASCEND_IOCTL_SVM_REGISTER, &r) == -EINVAL,
		  "REGISTER: range past 2^48: EINVAL");
	r.addr = 0x100000;
	r.size = 0;
	r.flags = 1;
	TAP_CHECK(dv_ioctl(svm, VASCEND_IOCTL_SVM_UNREGISTER, &r) == -EINVAL,
		  "UNREGISTER: flags set: EINVAL");
	r.flags = 0;
	r.size = 0x1000;
	TAP_CHECK(dv_ioctl(svm, VASCEND_IOCTL_SVM_UNREGISTER, &r) == -EINVAL,
		  "UNREGISTER: size set: EINVAL");
	r.size = 0;
	r.reserved[0] = 1;
	TAP_CHECK(dv_ioctl(svm, VASCEND_IOCTL_SVM_UNREGISTER, &r) == -EINVAL,
		  "UNREGISTER: reserved word set: EINVAL");
	r.reserved[0] = 0;
	r.addr = 0x100004;
	TAP_CHECK(dv_ioctl(svm, VASCEND_IOCTL_SVM_UNREGISTER, &r) == -EINVAL,
		  "UNREGISTER: unaligned address: EINVAL");

	q.pad = 1;
	TAP_CHECK(dv_ioctl(svm, VASCEND_IOCTL_SVM_QUERY, &q) == -EINVAL,
		  "QUERY: pad set: EINVAL");
	q.pad = 0;
	q.reserved[1] = 1;
	TAP_CHECK(dv_ioctl(svm, VASCEND_IOCTL_SVM_QUERY, &q) == -EINVAL,
		  "QUERY: reserved word set: EINVAL");
	q.reserved[1] = 0;
	q.dev_id = 63;
	TAP_CHECK(dv_ioctl(svm, VASCEND_IOCTL_SVM_QUERY, &q) == -ENODEV,
		  "QUERY: no such card: ENODEV");
	TAP_CHECK(dv_ioctl(svm, _IO(0xd5, 0x5f), NULL) == -ENOTTY,
		  "unknown ioctl number: ENOTTY");
}

static sigjmp_buf bus_jmp;

static void on_sigbus(int sig)
{
	(void)sig;
	siglongjmp(bus_jmp, 1);
}

static void test_window(void)
{
	struct vascend_svm_query q;
	volatile uint8_t *p;
	void *m;
	volatile int got_bus = 0;

	TAP_CHECK(svm_alloc(0, VASCEND_SVM_NORMAL_ONLY, 4096, NULL) == -ENXIO,
		  "ALLOC before any window: ENXIO");
	m = mmap(NULL, MIB, PROT_READ | PROT_WRITE, MAP_SHARED, svm, 0);
	TAP_CHECK(m == MAP_FAILED && errno == EINVAL, "window of 1 MiB: EINVAL");
	m = mmap(NULL, 3 * MIB, PROT_READ | PROT_WRITE, MAP_SHARED, svm, 0);
	TAP_CHECK(m == MAP_FAILED && errno == EINVAL,
		  "window not a multiple of 2 MiB: EINVAL");
	m = mmap(NULL, 4 * MIB, PROT_READ | PROT_WRITE, MAP_SHARED, svm, 4096);
	TAP_CHECK(m == MAP_FAILED && errno == EINVAL, "window at offset 4096: EINVAL");

	window = mmap(NULL, WINDOW, PROT_READ | PROT_WRITE, MAP_SHARED, svm, 0);
	TAP_CHECK(window != MAP_FAILED, "window of %llu MiB mapped",
		  (unsigned long long)(WINDOW / MIB));
	m = mmap(NULL, 4 * MIB, PROT_READ | PROT_WRITE, MAP_SHARED, svm, 0);
	TAP_CHECK(m == MAP_FAILED && errno == EBUSY, "second window: EBUSY");
	q = query(0);
	TAP_CHECK(q.window_base == (uintptr_t)window && q.window_size == WINDOW,
		  "QUERY reports the window (base 0x%llx, 2 MiB aligned: %s)",
		  (unsigned long long)q.window_base,
		  q.window_base % (2 * MIB) ? "no" : "yes");
	TAP_CHECK(munmap(window + 2 * MIB, 2 * MIB) == -1 && errno == EINVAL,
		  "unmapping part of the window: EINVAL");
	m = mremap(window, WINDOW, WINDOW, MREMAP_MAYMOVE | MREMAP_FIXED,
		   window + WINDOW * 2);
	TAP_CHECK(m == MAP_FAILED, "moving the window with mremap fails");
	TAP_CHECK(query(0).window_base == (uintptr_t)window,
		  "the window stays where it was");

	signal(SIGBUS, on_sigbus);
	p = window + 4096;
	if (sigsetjmp(bus_jmp, 1) == 0)
		(void)*p;
	else
		got_bus = 1;
	signal(SIGBUS, SIG_DFL);
	TAP_CHECK(got_bus, "a host read of the window raises SIGBUS");
}

static void test_alloc(void)
{
	struct vascend_svm_query q0 = query(0), q;
	struct vascend_svm_alloc a;
	uint64_t n, h, f1, f5;
	int ret;

	TAP_CHECK(q0.total == hbm0 && q0.free == hbm0 && q0.largest == hbm0 &&
		  q0.proc_hbm == 0, "QUERY of a fresh card: total %llu, all free",
		  (unsigned long long)q0.total);
	n = alloc_va(0, VASCEND_SVM_NORMAL_ONLY, 100);
	TAP_CHECK(n && n >= (uintptr_t)window && n < (uintptr_t)window + WINDOW &&
		  n % 4096 == 0, "NORMAL_ONLY 100 bytes: a page in the window");
	q = query(0);
	TAP_CHECK(q.proc_hbm == 4096 && q.free == hbm0 - 4096,
		  "accounting: 4096 bytes held, free %llu",
		  (unsigned long long)q.free);
	h = alloc_va(0, VASCEND_SVM_HUGE_ONLY, 3 * MIB);
	TAP_CHECK(h && h % (2 * MIB) == 0 && query(0).proc_hbm == 4096 + 4 * MIB,
		  "HUGE_ONLY 3 MiB: 4 MiB at a 2 MiB-aligned address");
	f1 = alloc_va(0, VASCEND_SVM_HUGE_FIRST, MIB);
	TAP_CHECK(f1 && query(0).proc_hbm == 4096 + 5 * MIB,
		  "HUGE_FIRST 1 MiB: normal pages (CANN's 1 MiB rule)");
	f5 = alloc_va(0, VASCEND_SVM_HUGE_FIRST, 5 * MIB);
	TAP_CHECK(f5 && f5 % (2 * MIB) == 0 &&
		  query(0).proc_hbm == 4096 + 11 * MIB,
		  "HUGE_FIRST 5 MiB: 6 MiB of huge pages");
	TAP_CHECK(svm_free(0, h + 4096) == -EINVAL,
		  "FREE inside an allocation: EINVAL");
	TAP_CHECK(svm_free(1, h) == -EINVAL, "FREE naming another card: EINVAL");
	TAP_CHECK(svm_free(0, n) == 0 && svm_free(0, h) == 0 &&
		  svm_free(0, f1) == 0 && svm_free(0, f5) == 0, "FREE of each");
	TAP_CHECK(svm_free(0, n) == -EINVAL, "FREE twice: EINVAL");
	q = query(0);
	TAP_CHECK(q.proc_hbm == 0 && q.free == hbm0 && q.largest == hbm0,
		  "everything back: free %llu, largest %llu",
		  (unsigned long long)q.free, (unsigned long long)q.largest);

	ret = svm_alloc(0, VASCEND_SVM_NORMAL_ONLY, hbm0 + 4096, &a);
	TAP_CHECK(ret == -ENOMEM && a.free == hbm0 && a.largest == hbm0,
		  "ENOMEM above the HBM size, reporting free %llu and largest %llu",
		  (unsigned long long)a.free, (unsigned long long)a.largest);
}

/* HUGE_FIRST falls back to 4 KiB pages; HUGE_ONLY does not. */
static void test_policy_exhaustion(void)
{
	uint64_t vas[1024], small, fb;
	struct vascend_svm_alloc a;
	unsigned int i, n = 0;
	struct vascend_svm_query q;
	int ret;

	small = alloc_va(0, VASCEND_SVM_NORMAL_ONLY, 4096);
	while (n < 1024 && (vas[n] = alloc_va(0, VASCEND_SVM_HUGE_ONLY, 2 * MIB)))
		n++;
	q = query(0);
	TAP_CHECK(small && n == hbm0 / (2 * MIB) - 1 &&
		  q.free == 2 * MIB - 4096 && q.largest == 2 * MIB - 4096,
		  "filled with huge pages: %u blocks, free %llu, largest %llu",
		  n, (unsigned long long)q.free, (unsigned long long)q.largest);
	ret = svm_alloc(0, VASCEND_SVM_HUGE_ONLY, MIB, &a);
	TAP_CHECK(ret == -ENOMEM && a.free == q.free && a.largest == q.largest,
		  "HUGE_ONLY with no 2 MiB block: ENOMEM, free %llu largest %llu",
		  (unsigned long long)a.free, (unsigned long long)a.largest);
	fb = alloc_va(0, VASCEND_SVM_HUGE_FIRST, MIB + MIB / 2);
	TAP_CHECK(fb && fb % 4096 == 0 &&
		  query(0).proc_hbm == 4096 + n * 2 * MIB + MIB + MIB / 2,
		  "HUGE_FIRST 1.5 MiB with no 2 MiB block: 4 KiB pages instead");
	ret = svm_alloc(0, VASCEND_SVM_NORMAL_ONLY, MIB, &a);
	TAP_CHECK(ret == -ENOMEM && a.free == MIB / 2 - 4096,
		  "then NORMAL_ONLY 1 MiB: ENOMEM with %llu free",
		  (unsigned long long)a.free);
	svm_free(0, fb);
	svm_free(0, small);
	for (i = 0; i < n; i++)
		svm_free(0, vas[i]);
	TAP_CHECK(query(0).free == hbm0, "all freed again");
}

static void test_register(void)
{
	size_t sz = 4 * MIB;
	uint8_t *p = dv_pages(sz), *ro;
	struct rlimit rl;
	pid_t pid;
	int st;

	TAP_CHECK(p && svm_reg(0, p, sz, 0) == 0 && query(0).proc_pinned == sz,
		  "REGISTER 4 MiB: accounted as pinned");
	TAP_CHECK(svm_reg(0, p + MIB, MIB, 0) == -EEXIST,
		  "REGISTER overlapping a registration: EEXIST");
	TAP_CHECK(svm_reg(0, window + 2 * MIB, MIB, 0) == -EINVAL,
		  "REGISTER inside the SVM window: EINVAL");
	TAP_CHECK(svm_reg(0, (void *)0x10000, 4096, 0) == -EFAULT,
		  "REGISTER of unmapped memory: EFAULT");
	TAP_CHECK(svm_unreg(0, p + 4096) == -EINVAL,
		  "UNREGISTER not at the start: EINVAL");
	TAP_CHECK(svm_unreg(0, p) == 0 && query(0).proc_pinned == 0,
		  "UNREGISTER: nothing pinned any more");
	TAP_CHECK(svm_unreg(0, p) == -EINVAL, "UNREGISTER twice: EINVAL");

	ro = mmap(NULL, MIB, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE,
		  -1, 0);
	TAP_CHECK(svm_reg(0, ro, MIB, 0) == -EFAULT,
		  "REGISTER of read-only memory for writing: EFAULT");
	TAP_CHECK(svm_reg(0, ro, MIB, VASCEND_SVM_REG_READONLY) == 0 &&
		  svm_unreg(0, ro) == 0, "REGISTER READONLY of read-only memory");
	munmap(ro, MIB);

	/* RLIMIT_MEMLOCK, once CAP_IPC_LOCK is gone. */
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		int fd = open("/dev/" VASCEND_SVM_DEV_NAME, O_RDWR);
		struct vascend_svm_range r = { .addr = (uintptr_t)p, .size = sz };
		int e1, e2;

		rl.rlim_cur = rl.rlim_max = 64 * 1024;
		setrlimit(RLIMIT_MEMLOCK, &rl);
		if (fd < 0 || setuid(65534))
			_exit(3);
		e1 = dv_ioctl(fd, VASCEND_IOCTL_SVM_REGISTER, &r);
		r.size = 32 * 1024;
		e2 = dv_ioctl(fd, VASCEND_IOCTL_SVM_REGISTER, &r);
		_exit(e1 == -ENOMEM && e2 == 0 ? 0 : 1);
	}
	waitpid(pid, &st, 0);
	TAP_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0,
		  "over RLIMIT_MEMLOCK without CAP_IPC_LOCK: ENOMEM; under it: ok");

	munmap(p, sz);
}

/* Tasks on registered and device memory; revocation on munmap. */
static void test_card_view(void)
{
	size_t sz = 4 * MIB;
	uint8_t *src = dv_pages(sz), *dst = dv_pages(sz), *ro = dv_pages(MIB);
	uint64_t dev = alloc_va(0, VASCEND_SVM_HUGE_FIRST, sz);
	uint32_t info = 0;
	struct dvs s;
	int st;

	if (dvs_open(&s, 0)) {
		TAP_CHECK(0, "a stream on card 0 (needed for the card's view)");
		return;
	}
	fill(src, sz, 7);
	memset(dst, 0, sz);
	TAP_CHECK(svm_reg(0, src, sz, 0) == 0 && svm_reg(0, dst, sz, 0) == 0 &&
		  svm_reg(0, ro, MIB, VASCEND_SVM_REG_READONLY) == 0,
		  "registered source, destination and a read-only page");
	TAP_CHECK(dvs_status(&s, dv_memcpy(dev, (uintptr_t)src, sz), NULL) == 0 &&
		  dvs_status(&s, dv_memcpy((uintptr_t)dst, dev, sz), NULL) == 0 &&
		  memcmp(src, dst, sz) == 0,
		  "MEMCPY host -> device -> host through the same pointers");
	TAP_CHECK(dvs_status(&s, dv_memset(dev, MIB, 0x5a), NULL) == 0 &&
		  dvs_status(&s, dv_memcpy((uintptr_t)dst, dev, MIB), NULL) == 0 &&
		  dst[0] == 0x5a && dst[MIB - 1] == 0x5a && dst[MIB] == src[MIB],
		  "MEMSET on device memory, read back by the host");
	st = dvs_status(&s, dv_memcpy((uintptr_t)ro, dev, 4096), &info);
	TAP_CHECK(st == VASCEND_CQE_STATUS_MMU_FAULT &&
		  VASCEND_FAULT_REASON(info) == VASCEND_MMU_FAULT_READ_ONLY,
		  "a task writing READONLY memory faults READ_ONLY (status %d)", st);

	TAP_CHECK(munmap(src, sz) == 0 && query(0).proc_pinned == sz + MIB,
		  "munmap of registered memory: its registration is gone");
	st = dvs_status(&s, dv_memcpy(dev, (uintptr_t)src, 4096), &info);
	TAP_CHECK(st == VASCEND_CQE_STATUS_MMU_FAULT &&
		  VASCEND_FAULT_REASON(info) == VASCEND_MMU_FAULT_NOT_PRESENT,
		  "a task reading the unmapped range faults (status %d)", st);
	TAP_CHECK(svm_unreg(0, src) == -EINVAL,
		  "UNREGISTER of a range the host unmapped: EINVAL");

	TAP_CHECK(svm_free(0, dev) == 0, "FREE of the device memory");
	st = dvs_status(&s, dv_memset(dev, 4096, 1), &info);
	TAP_CHECK(st == VASCEND_CQE_STATUS_MMU_FAULT,
		  "a task on freed device memory faults (status %d)", st);
	svm_unreg(0, dst);
	svm_unreg(0, ro);
	munmap(dst, sz);
	munmap(ro, MIB);
	dvs_close(&s);
}

/*
 * munmap next to a registration, and of part of one. Splitting a VMA inside
 * a 2 MiB slot makes the kernel report the whole slot to MMU notifiers
 * (CLEAR), though only one side goes: a registration whose first page is in
 * that slot must stay (this is how free() of a 4 MB malloc() chunk just
 * below the runtime's bounce buffer broke the next copy). A munmap of part
 * of a registration takes all of it, and only it.
 */
static void test_unmap_neighbours(void)
{
	size_t slot = 2 * MIB, sz = 8 * MIB;
	uint64_t dev = alloc_va(0, VASCEND_SVM_HUGE_FIRST, 2 * MIB);
	uint64_t pinned0 = query(0).proc_pinned;
	uint8_t *raw, *base, *reg, *two;
	uint32_t info = 0;
	struct dvs s;
	int st;

	if (dvs_open(&s, 0)) {
		TAP_CHECK(0, "a stream on card 0 (needed for the unmap checks)");
		return;
	}
	/* One anonymous VMA [base, base + 8 MiB), base 2 MiB aligned. */
	raw = mmap(NULL, sz + slot, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	base = (uint8_t *)(((uintptr_t)raw + slot - 1) & ~(uintptr_t)(slot - 1));
	if (raw != MAP_FAILED) {
		if (base > raw)
			munmap(raw, (size_t)(base - raw));
		munmap(base + sz, (size_t)(raw + slot - base));
		memset(base, 0x11, sz);
	}
	/* The registration starts one page below the first 2 MiB boundary. */
	reg = base + slot - 4096;
	fill(reg, MIB, 21);
	TAP_CHECK(raw != MAP_FAILED && svm_reg(0, reg, MIB, 0) == 0 &&
		  query(0).proc_pinned == pinned0 + MIB,
		  "REGISTER 1 MiB starting a page below a 2 MiB boundary");
	/* Free what lies below it but the page under its first: a VMA split. */
	TAP_CHECK(munmap(base, slot - 8192) == 0 &&
		  query(0).proc_pinned == pinned0 + MIB,
		  "munmap just below the registration (splitting its 2 MiB slot) keeps it");
	st = dvs_status(&s, dv_memcpy(dev, (uintptr_t)reg, MIB), &info);
	TAP_CHECK(st == 0, "a task reads all of it, its first page too (status %d, info 0x%x)",
		  st, info);
	TAP_CHECK(svm_unreg(0, reg) == 0 && query(0).proc_pinned == pinned0,
		  "UNREGISTER of it still works");

	/* Two registrations side by side; unmap the upper half of the lower. */
	two = base + 4 * MIB;
	TAP_CHECK(svm_reg(0, two, MIB, 0) == 0 && svm_reg(0, two + MIB, MIB, 0) == 0 &&
		  query(0).proc_pinned == pinned0 + 2 * MIB,
		  "two adjacent 1 MiB registrations");
	TAP_CHECK(munmap(two + MIB / 2, MIB / 2) == 0 &&
		  query(0).proc_pinned == pinned0 + MIB,
		  "munmap of half of one: that registration is gone, the other stays");
	st = dvs_status(&s, dv_memcpy(dev, (uintptr_t)two, 4096), &info);
	TAP_CHECK(st == VASCEND_CQE_STATUS_MMU_FAULT &&
		  VASCEND_FAULT_REASON(info) == VASCEND_MMU_FAULT_NOT_PRESENT,
		  "a task reading its half the host still maps faults (status %d)", st);
	TAP_CHECK(svm_unreg(0, two) == -EINVAL,
		  "UNREGISTER of the partly unmapped registration: EINVAL");
	st = dvs_status(&s, dv_memcpy(dev, (uintptr_t)two + MIB, MIB), &info);
	TAP_CHECK(st == 0, "a task reads all of the neighbour (status %d, info 0x%x)", st, info);
	TAP_CHECK(svm_unreg(0, two + MIB) == 0 && query(0).proc_pinned == pinned0,
		  "UNREGISTER of the neighbour");

	if (raw != MAP_FAILED)
		munmap(base, sz);
	svm_free(0, dev);
	dvs_close(&s);
}

/* Process B (a child) against A's memory. */
static void test_isolation(void)
{
	uint64_t dev = alloc_va(0, VASCEND_SVM_NORMAL_ONLY, 64 * 1024);
	uint8_t *buf = dv_pages(64 * 1024), *chk = dv_pages(64 * 1024);
	struct dvs s;
	int pfd[2], st;
	pid_t pid;
	char res[8] = { 0 };

	if (dvs_open(&s, 0)) {
		TAP_CHECK(0, "a stream on card 0");
		return;
	}
	fill(buf, 64 * 1024, 99);
	svm_reg(0, buf, 64 * 1024, 0);
	svm_reg(0, chk, 64 * 1024, 0);
	dvs_status(&s, dv_memcpy(dev, (uintptr_t)buf, 64 * 1024), NULL);

	if (pipe(pfd))
		return;
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		struct vascend_svm_range r = { .addr = dev };
		struct dvs b;
		int fd, bfd;
		void *w;

		/* A's file in B's hands. */
		res[0] = dv_ioctl(svm, VASCEND_IOCTL_SVM_FREE, &r) == -EBADF;
		/* B's own file and window. */
		fd = open("/dev/" VASCEND_SVM_DEV_NAME, O_RDWR);
		w = mmap(NULL, 64 * MIB, PROT_NONE, MAP_SHARED, fd, 0);
		res[1] = w != MAP_FAILED;
		res[2] = dv_ioctl(fd, VASCEND_IOCTL_SVM_FREE, &r) == -EINVAL;
		r.size = 64 * 1024;
		res[3] = dv_ioctl(fd, VASCEND_IOCTL_SVM_REGISTER, &r) == -EFAULT;
		bfd = dvs_open(&b, 0);
		res[4] = !bfd && dvs_status(&b, dv_memset(dev, 4096, 0), NULL) ==
				VASCEND_CQE_STATUS_MMU_FAULT;
		res[5] = !bfd && dvs_status(&b, dv_memcpy(dev + 4096, dev, 4096), NULL) ==
				VASCEND_CQE_STATUS_MMU_FAULT;
		if (write(pfd[1], res, sizeof(res)) != sizeof(res))
			_exit(2);
		_exit(0);
	}
	close(pfd[1]);
	if (read(pfd[0], res, sizeof(res)) != sizeof(res))
		memset(res, 0, sizeof(res));
	close(pfd[0]);
	waitpid(pid, &st, 0);
	TAP_CHECK(res[0], "B using A's /dev/devmm_svm file: EBADF");
	TAP_CHECK(res[1], "B maps a window of its own");
	TAP_CHECK(res[2], "B freeing A's device address: EINVAL");
	TAP_CHECK(res[3], "B registering over A's device address: EFAULT");
	TAP_CHECK(res[4], "B's task writing A's device memory faults");
	TAP_CHECK(res[5], "B's task reading A's device memory faults");
	TAP_CHECK(dvs_status(&s, dv_memcpy((uintptr_t)chk, dev, 64 * 1024), NULL) == 0 &&
		  memcmp(chk, buf, 64 * 1024) == 0, "A's data is intact");
	svm_unreg(0, buf);
	svm_unreg(0, chk);
	svm_free(0, dev);
	dvs_close(&s);
}

/* kill -9 in the middle of ALLOC/REGISTER loops leaves the card clean. */
static void test_kill(void)
{
	pid_t pids[4];
	unsigned int i, round;
	int st, all_killed = 1;
	struct vascend_svm_query q;
	uint64_t v;

	for (round = 0; round < 2; round++) {
		fflush(stdout);
		for (i = 0; i < 4; i++) {
			pids[i] = fork();
			if (pids[i] == 0) {
				int fd = open("/dev/" VASCEND_SVM_DEV_NAME, O_RDWR);
				uint8_t *p = dv_pages(8 * MIB);

				svm = fd;
				if (fd < 0 || mmap(NULL, 256 * MIB, PROT_NONE,
						   MAP_SHARED, fd, 0) == MAP_FAILED)
					_exit(1);
				for (;;) {
					uint64_t v = alloc_va(0, i & 1 ? VASCEND_SVM_HUGE_FIRST :
							      VASCEND_SVM_NORMAL_ONLY,
							      (i + 1) * MIB);

					svm_reg(0, p, 8 * MIB, 0);
					if (i & 2 && v)
						svm_free(0, v);
					if (!(i & 2))
						svm_unreg(0, p);
				}
			}
		}
		usleep(300 * 1000 + round * 200 * 1000);
		for (i = 0; i < 4; i++)
			kill(pids[i], SIGKILL);
		for (i = 0; i < 4; i++) {
			waitpid(pids[i], &st, 0);
			all_killed &= WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL;
		}
	}
	TAP_CHECK(all_killed, "8 processes killed with SIGKILL in ALLOC/REGISTER loops");
	q = query(0);
	TAP_CHECK(q.free == hbm0 && q.largest == hbm0,
		  "all their HBM is back: free %llu of %llu",
		  (unsigned long long)q.free, (unsigned long long)hbm0);
	v = alloc_va(0, VASCEND_SVM_HUGE_ONLY, hbm0);
	TAP_CHECK(v, "the whole HBM can be allocated again");
	svm_free(0, v);
}

/* What npu-smi shows: MGR_PROCS. */
static void test_mgr_procs(void)
{
	struct vascend_mgr_proc_entry e[16];
	struct vascend_mgr_procs p = { .dev_id = 0, .count = 16,
				       .entries = (uintptr_t)e };
	uint64_t v = alloc_va(0, VASCEND_SVM_HUGE_ONLY, 2 * MIB);
	uint8_t *h = dv_pages(MIB);
	int fd = open("/dev/" VASCEND_MANAGER_DEV_NAME, O_RDWR), found = 0;
	unsigned int i;

	svm_reg(0, h, MIB, 0);
	if (fd >= 0 && !dv_ioctl(fd, VASCEND_IOCTL_MGR_PROCS, &p)) {
		for (i = 0; i < p.count && i < 16; i++)
			if (e[i].pid == getpid())
				found = e[i].hbm_bytes == 2 * MIB &&
					e[i].pinned_bytes == MIB;
	}
	TAP_CHECK(found, "MGR_PROCS: this process holds 2 MiB of HBM and 1 MiB pinned");
	if (fd >= 0)
		close(fd);
	svm_unreg(0, h);
	svm_free(0, v);
	munmap(h, MIB);
}

/* Two cards: one window; card 1's memory only in card 1's page table. */
static void test_two_cards(void)
{
	uint64_t v0 = alloc_va(0, VASCEND_SVM_NORMAL_ONLY, MIB);
	uint64_t v1 = alloc_va(1, VASCEND_SVM_NORMAL_ONLY, MIB);
	struct dvs s0, s1;

	TAP_CHECK(v0 && v1 && v0 != v1 && v1 >= (uintptr_t)window &&
		  v1 < (uintptr_t)window + WINDOW &&
		  query(1).proc_hbm == MIB && query(1).free == hbm1 - MIB,
		  "card 1's memory in the same window, at its own address");
	if (!dvs_open(&s0, 0) && !dvs_open(&s1, 1)) {
		TAP_CHECK(dvs_status(&s1, dv_memset(v1, MIB, 3), NULL) == 0,
			  "card 1 writes its memory");
		TAP_CHECK(dvs_status(&s0, dv_memset(v1, 4096, 3), NULL) ==
			  VASCEND_CQE_STATUS_MMU_FAULT,
			  "card 0 cannot reach card 1's memory");
		TAP_CHECK(dvs_status(&s1, dv_memset(v0, 4096, 3), NULL) ==
			  VASCEND_CQE_STATUS_MMU_FAULT,
			  "card 1 cannot reach card 0's memory");
		dvs_close(&s0);
		dvs_close(&s1);
	}
	svm_free(0, v0);
	svm_free(1, v1);
}

/* A card reset keeps every address space: contexts come back as they were. */
static void test_reset(void)
{
	uint64_t dev = alloc_va(0, VASCEND_SVM_HUGE_FIRST, 4 * MIB);
	uint8_t *src = dv_pages(4 * MIB), *chk = dv_pages(4 * MIB);
	struct vascend_mgr_health h = { .dev_id = 0 };
	struct vascend_mgr_reset r = { .dev_id = 0 };
	int mgr = open("/dev/" VASCEND_MANAGER_DEV_NAME, O_RDWR), i, ok = 0;
	uint32_t before;
	struct dvs s;

	fill(src, 4 * MIB, 5);
	if (mgr < 0 || dvs_open(&s, 0) || svm_reg(0, src, 4 * MIB, 0) ||
	    svm_reg(0, chk, 4 * MIB, 0) ||
	    dvs_status(&s, dv_memcpy(dev, (uintptr_t)src, 4 * MIB), NULL) ||
	    dv_ioctl(mgr, VASCEND_IOCTL_MGR_HEALTH, &h)) {
		TAP_CHECK(0, "set up for the reset test");
		return;
	}
	dvs_close(&s);
	before = h.reset_count;
	TAP_CHECK(dv_ioctl(mgr, VASCEND_IOCTL_MGR_RESET, &r) == 0, "MGR_RESET of card 0");
	for (i = 0; i < 200 && !ok; i++) {
		usleep(50 * 1000);
		ok = !dv_ioctl(mgr, VASCEND_IOCTL_MGR_HEALTH, &h) &&
		     h.state == VASCEND_CARD_OK && h.reset_count > before;
	}
	TAP_CHECK(ok, "card 0 is back after its reset (reset_count %u)", h.reset_count);
	TAP_CHECK(!dvs_open(&s, 0) &&
		  dvs_status(&s, dv_memcpy((uintptr_t)chk, dev, 4 * MIB), NULL) == 0 &&
		  memcmp(chk, src, 4 * MIB) == 0,
		  "device and registered memory mapped as before the reset");
	dvs_close(&s);
	svm_unreg(0, src);
	svm_unreg(0, chk);
	svm_free(0, dev);
	munmap(src, 4 * MIB);
	munmap(chk, 4 * MIB);
	close(mgr);
}

/* Unbinding a card in use: its calls fail, the other card carries on. */
static void test_unbind(void)
{
	uint64_t v0, v1 = alloc_va(1, VASCEND_SVM_NORMAL_ONLY, MIB);
	uint8_t *h = dv_pages(MIB);
	char link[256], cmd[512];
	const char *bdf;
	ssize_t n;

	n = readlink("/sys/class/vascend/davinci1/device", link, sizeof(link) - 1);
	if (n <= 0 || !v1 || svm_reg(1, h, MIB, 0)) {
		TAP_CHECK(0, "set up for the unbind test");
		return;
	}
	link[n] = 0;
	bdf = strrchr(link, '/') ? strrchr(link, '/') + 1 : link;
	snprintf(cmd, sizeof(cmd),
		 "echo %s > /sys/bus/pci/drivers/vascend/unbind", bdf);
	TAP_CHECK(system(cmd) == 0, "unbind card 1 (%s) while memory is in use", bdf);
	TAP_CHECK(svm_alloc(1, 0, MIB, NULL) == -ENODEV &&
		  dv_ioctl(svm, VASCEND_IOCTL_SVM_QUERY,
			   &(struct vascend_svm_query){ .dev_id = 1 }) == -ENODEV,
		  "ALLOC and QUERY on the unbound card: ENODEV");
	TAP_CHECK(svm_free(1, v1) == 0, "FREE of its memory still releases the address");
	v0 = alloc_va(0, VASCEND_SVM_NORMAL_ONLY, MIB);
	TAP_CHECK(v0 && query(0).free == hbm0 - MIB, "card 0 carries on");
	svm_free(0, v0);
	snprintf(cmd, sizeof(cmd), "echo %s > /sys/bus/pci/drivers/vascend/bind", bdf);
	/* It comes back as a new card: the old one keeps its index while
	 * this process holds its address space. */
	TAP_CHECK(system(cmd) == 0 && !access("/dev/davinci2", F_OK),
		  "bind it again: /dev/davinci2");
	munmap(h, MIB);
}

/* Unmapping the window frees what is in it. */
static void test_window_close(void)
{
	uint64_t v = alloc_va(0, VASCEND_SVM_HUGE_ONLY, 8 * MIB);

	TAP_CHECK(v && query(0).proc_hbm == 8 * MIB, "8 MiB held before munmap");
	TAP_CHECK(munmap(window, WINDOW) == 0, "munmap of the whole window");
	TAP_CHECK(query(0).proc_hbm == 0 && query(0).free == hbm0 &&
		  query(0).window_size == 0,
		  "the window and its device memory are gone");
	window = mmap(NULL, WINDOW, PROT_NONE, MAP_SHARED, svm, 0);
	TAP_CHECK(window != MAP_FAILED && alloc_va(0, 0, MIB),
		  "a new window can be mapped and used");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: svm_e2e HBM0 [HBM1]\n");
		return 2;
	}
	hbm0 = strtoull(argv[1], NULL, 0);
	cards = 1;
	if (argc > 2) {
		hbm1 = strtoull(argv[2], NULL, 0);
		cards = 2;
	}
	svm = open("/dev/" VASCEND_SVM_DEV_NAME, O_RDWR | O_CLOEXEC);
	TAP_CHECK(svm >= 0, "/dev/%s opens", VASCEND_SVM_DEV_NAME);
	if (svm < 0)
		return tap_done();

	test_validation();
	test_window();
	test_alloc();
	test_policy_exhaustion();
	test_register();
	test_card_view();
	test_unmap_neighbours();
	test_isolation();
	test_mgr_procs();
	if (cards > 1)
		test_two_cards();
	test_reset();
	test_kill();
	if (cards > 1)
		test_unbind();
	test_window_close();
	return tap_done();
}

// SPDX-License-Identifier: MIT
/*
 * davinci_recovery: device faults injected through debugfs
 * (/sys/kernel/debug/vascend/davinciN/fault_inject, force_recovery) while
 * another process keeps the card busy, inside the VM. For each fault: the
 * task in flight fails with a status the runtime can map, the card is
 * recovered when (and only when) the fault is fatal, HEALTH and sysfs say
 * so, the failed stream runs again after STREAM_RESET with its memory
 * still mapped, and the bystander process carries on.
 *
 *	davinci_recovery [FAULT]...   (dma-error aicore-hang ecc fw-crash user;
 *				       default: all of them)
 */
#include <signal.h>
#include <sys/wait.h>

#include "davinci_util.h"

static const unsigned int card;
static char dbg[96];

/* Progress of the bystander, in shared memory. */
struct shared {
	volatile uint64_t batches;	/* batches completed successfully */
	volatile uint64_t failures;	/* batches failed by a recovery */
};

static int health(int mgr, struct vascend_mgr_health *h)
{
	*h = (struct vascend_mgr_health){ .dev_id = card };
	return dv_ioctl(mgr, VASCEND_IOCTL_MGR_HEALTH, h);
}

/* Wait until the card has done @count recoveries and is healthy. */
static int wait_recovered(int mgr, uint32_t count, struct vascend_mgr_health *h)
{
	uint64_t t0 = dv_now_ns();

	while (dv_now_ns() - t0 < 30000000000ull) {
		if (!health(mgr, h) && h->reset_count >= count && h->state == VASCEND_CARD_OK)
			return 0;
		usleep(20000);
	}
	return -ETIMEDOUT;
}

/* The other process: NOP batches forever, through whatever happens. */
static void bystander(struct shared *sh)
{
	struct vascend_task t[16];
	struct vascend_wait w;
	uint32_t id = 0;
	int fd, i, r;

	for (i = 0; i < 16; i++)
		t[i] = dv_nop();
	fd = dv_open(card);
	if (fd < 0 || dv_stream_create(fd, 64, &id))
		_exit(2);
	for (;;) {
		r = dv_submit(fd, id, t, 16, 0, NULL);
		if (!r)
			r = dv_wait(fd, id, 0, 30000, &w);
		if (!r && !w.status) {
			sh->batches++;
			continue;
		}
		/* A recovery aborted the batch: reset the stream and go on. */
		sh->failures++;
		dv_stream_ref(fd, VASCEND_IOCTL_STREAM_RESET, id);
		usleep(1000);
	}
}

static int bystander_progresses(struct shared *sh)
{
	uint64_t start = sh->batches, t0 = dv_now_ns();

	while (dv_now_ns() - t0 < 20000000000ull) {
		if (sh->batches >= start + 5)
			return 1;
		usleep(10000);
	}
	return 0;
}

struct ctx {
	int fd, mgr;
	uint32_t id;
	uint64_t dev;		/* device memory */
	uint8_t *host;		/* registered host memory, 64 KiB */
	struct shared *sh;
};

/* After a fault: STREAM_RESET, and the stream's memory tasks work again. */
static void check_stream_runs(struct ctx *c, const char *fault)
{
	struct vascend_task t[2];
	struct vascend_wait w = { 0 };
	int r, ok, i;

	r = dv_stream_ref(c->fd, VASCEND_IOCTL_STREAM_RESET, c->id);
	TAP_CHECK(!r, "%s: STREAM_RESET of the failed stream (%d)", fault, r);
	memset(c->host, 0, 4096);
	t[0] = dv_memset(c->dev, 4096, 0x6b);
	t[1] = dv_memcpy((uintptr_t)c->host, c->dev, 4096);
	r = dv_submit(c->fd, c->id, t, 2, 0, NULL);
	r = r ? r : dv_wait(c->fd, c->id, 0, 10000, &w);
	for (ok = !r && !w.status, i = 0; i < 4096; i++)
		ok &= c->host[i] == 0x6b;
	TAP_CHECK(ok, "%s: the stream runs again on the same device and host memory (r %d, status 0x%x)",
		  fault, r, w.status);
	TAP_CHECK(bystander_progresses(c->sh), "%s: the other process carries on (%llu batches, %llu aborted)",
		  fault, (unsigned long long)c->sh->batches, (unsigned long long)c->sh->failures);
}

static int arm(const char *fault)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/fault_inject", dbg);
	return dv_write_file(path, fault);
}

/* Not fatal: the stream fails, the card is not reset. */
static void fault_dma(struct ctx *c)
{
	struct vascend_mgr_health h0, h1;
	struct vascend_task t = dv_memset(c->dev, 4096, 1);
	struct vascend_wait w = { 0 };
	int r;

	health(c->mgr, &h0);
	r = arm("dma-error");
	r = r ? r : dv_submit(c->fd, c->id, &t, 1, 0, NULL);
	r = r ? r : dv_wait(c->fd, c->id, 0, 10000, &w);
	TAP_CHECK(!r && w.status == VASCEND_CQE_STATUS_DMA_ERROR,
		  "dma-error: the MEMSET fails with DMA_ERROR (r %d, status 0x%x)", r, w.status);
	usleep(300000);
	health(c->mgr, &h1);
	TAP_CHECK(h1.reset_count == h0.reset_count && h1.state == VASCEND_CARD_OK,
		  "dma-error: reported to the stream only, no card reset (%u resets)", h1.reset_count);
	check_stream_runs(c, "dma-error");
}

/* A task hangs: the watchdog recovers the card. */
static void fault_hang(struct ctx *c)
{
	struct vascend_mgr_health h0, h1;
	struct vascend_task t = { .type = VASCEND_TASK_KERNEL_LAUNCH };
	struct vascend_wait w = { 0 };
	uint64_t t0;
	int r;

	t.u.launch.desc = c->dev;
	t.u.launch.desc_size = 64;
	t.u.launch.block_dim = 1;
	t.u.launch.op_id = 1;
	health(c->mgr, &h0);
	dv_write_file("/sys/module/vascend/parameters/hang_timeout_ms", "1500");
	t0 = dv_now_ns();
	r = arm("aicore-hang");
	r = r ? r : dv_submit(c->fd, c->id, &t, 1, 0, NULL);
	r = r ? r : dv_wait(c->fd, c->id, 0, 30000, &w);
	TAP_CHECK(!r && w.status == VASCEND_CQE_STATUS_ABORTED,
		  "aicore-hang: the hung launch ends ABORTED after %llu ms (r %d, status 0x%x)",
		  (unsigned long long)((dv_now_ns() - t0) / 1000000), r, w.status);
	r = wait_recovered(c->mgr, h0.reset_count + 1, &h1);
	TAP_CHECK(!r && h1.last_reset_cause == VASCEND_RESET_CAUSE_HANG,
		  "aicore-hang: the watchdog recovered the card (%u resets, cause %u)",
		  h1.reset_count, h1.last_reset_cause);
	dv_write_file("/sys/module/vascend/parameters/hang_timeout_ms", "10000");
	check_stream_runs(c, "aicore-hang");
}

/* Fatal faults: the work in flight fails, the card is recovered. */
static void fault_fatal(struct ctx *c, const char *fault, uint32_t cause, uint32_t fatal_bit)
{
	struct vascend_mgr_health h0, h1;
	uint64_t *slot = (uint64_t *)(c->host + 8192);
	struct vascend_task t = dv_event(VASCEND_TASK_EVENT_WAIT, (uintptr_t)slot, 1);
	struct vascend_wait w = { 0 };
	int r;

	*slot = 0;
	health(c->mgr, &h0);
	r = dv_submit(c->fd, c->id, &t, 1, 0, NULL);
	usleep(50000);	/* parked */
	r = r ? r : arm(fault);
	r = r ? r : dv_wait(c->fd, c->id, 0, 30000, &w);
	TAP_CHECK(!r && w.status != 0, "%s: the task in flight fails (status 0x%x)", fault, w.status);
	r = wait_recovered(c->mgr, h0.reset_count + 1, &h1);
	TAP_CHECK(!r && h1.last_reset_cause == cause && (h1.fatal_status & fatal_bit),
		  "%s: card recovered (%u resets, cause %u, fatal 0x%x)", fault, h1.reset_count,
		  h1.last_reset_cause, h1.fatal_status);
	check_stream_runs(c, fault);
}

static void fault_user(struct ctx *c)
{
	struct vascend_mgr_health h0, h1;
	char path[128];
	int r;

	health(c->mgr, &h0);
	snprintf(path, sizeof(path), "%s/force_recovery", dbg);
	r = dv_write_file(path, "1");
	health(c->mgr, &h1);
	TAP_CHECK(!r && h1.reset_count == h0.reset_count + 1 && h1.state == VASCEND_CARD_OK &&
		  h1.last_reset_cause == VASCEND_RESET_CAUSE_USER,
		  "user: debugfs force_recovery recovers the card (r %d, %u resets)", r, h1.reset_count);
	check_stream_runs(c, "user");
}

int main(int argc, char **argv)
{
	static const char *all[] = { "dma-error", "aicore-hang", "ecc", "fw-crash", "user" };
	const char **faults = all;
	int nfaults = ARRAY_LEN(all), i, status;
	struct dv_mem m = { .svm = -1 };
	struct ctx c = { 0 };
	pid_t pid;

	if (argc > 1) {
		faults = (const char **)argv + 1;
		nfaults = argc - 1;
	}
	snprintf(dbg, sizeof(dbg), "/sys/kernel/debug/vascend/davinci%u", card);
	c.fd = dv_open(card);
	c.mgr = open("/dev/" VASCEND_MANAGER_DEV_NAME, O_RDWR | O_CLOEXEC);
	if (!TAP_CHECK(c.fd >= 0 && c.mgr >= 0 && !dv_mem_open(&m, 16 << 20),
		       "open /dev/davinci%u, the manager and /dev/devmm_svm", card))
		return tap_done();
	c.host = dv_pages(65536);
	c.dev = dv_mem_alloc(&m, card, 65536);
	if (!TAP_CHECK(c.host && c.dev && !dv_mem_register(&m, card, c.host, 65536) &&
		       !dv_stream_create(c.fd, 64, &c.id), "device and host memory, a stream"))
		return tap_done();

	c.sh = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pid = fork();
	if (!pid)
		bystander(c.sh);
	TAP_CHECK(bystander_progresses(c.sh), "a bystander process keeps the card busy");

	for (i = 0; i < nfaults; i++) {
		if (!strcmp(faults[i], "dma-error"))
			fault_dma(&c);
		else if (!strcmp(faults[i], "aicore-hang"))
			fault_hang(&c);
		else if (!strcmp(faults[i], "ecc"))
			fault_fatal(&c, "ecc", VASCEND_RESET_CAUSE_ECC, 1);
		else if (!strcmp(faults[i], "fw-crash"))
			fault_fatal(&c, "fw-crash", VASCEND_RESET_CAUSE_FW_CRASH, 2);
		else if (!strcmp(faults[i], "user"))
			fault_user(&c);
		else
			TAP_CHECK(0, "unknown fault %s", faults[i]);
	}

	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	TAP_CHECK(WIFSIGNALED(status), "the bystander ran until killed (%llu batches, %llu aborted)",
		  (unsigned long long)c.sh->batches, (unsigned long long)c.sh->failures);
	return tap_done();
}

// SPDX-License-Identifier: MIT
/*
 * davinci_manager: /dev/davinci_manager (include/uapi/vascend_manager.h)
 * and the card's sysfs attributes, inside the VM. Every ioctl's success
 * path and each errno rule; the per-process figures against what this
 * process holds; a forced recovery with MGR_RESET (and EPERM without
 * CAP_SYS_ADMIN).
 *
 *	davinci_manager [CARD]
 */
#include <sys/wait.h>

#include "davinci_util.h"

static unsigned int card;

#define EXPECT_ERR(want, call, ...) do {				\
	int r_ = (call);						\
	TAP_CHECK(r_ == -(want), __VA_ARGS__);				\
	if (r_ != -(want))						\
		printf("#   got %d (%s)\n", r_, strerror(-r_));	\
} while (0)

static int sysfs_read(const char *attr, char *buf, size_t len)
{
	char path[128];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/sys/class/vascend/davinci%u/%s", card, attr);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	if (n && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	return 0;
}

static unsigned long long sysfs_u64(const char *attr)
{
	char buf[64] = "";

	sysfs_read(attr, buf, sizeof(buf));
	return strtoull(buf, NULL, 0);
}

static void test_cards(int mgr)
{
	struct vascend_mgr_cards c;
	unsigned int i;
	int r, rest = 0;

	memset(&c, 0xff, sizeof(c));
	r = dv_ioctl(mgr, VASCEND_IOCTL_MGR_CARDS, &c);
	for (i = c.count; r == 0 && i < VASCEND_MAX_CARDS; i++)
		rest |= c.ids[i];
	TAP_CHECK(!r && c.count >= 1 && c.ids[0] == 0 && !rest && !c.pad && !c.reserved[0],
		  "MGR_CARDS: %u card(s), first id %u, the rest zeroed", c.count, c.ids[0]);
	EXPECT_ERR(EFAULT, dv_ioctl(mgr, VASCEND_IOCTL_MGR_CARDS, (void *)8), "MGR_CARDS: bad pointer is EFAULT");
	EXPECT_ERR(ENOTTY, dv_ioctl(mgr, _IO(0xd5, 0x7f), NULL), "manager: unknown ioctl is ENOTTY");
}

static void test_health(int mgr)
{
	struct vascend_mgr_health h = { .dev_id = card };
	int r;

	r = dv_ioctl(mgr, VASCEND_IOCTL_MGR_HEALTH, &h);
	TAP_CHECK(!r && h.state == VASCEND_CARD_OK && h.fw_status == 2 /* RUNNING */ &&
		  h.reset_count == sysfs_u64("reset_count"),
		  "MGR_HEALTH: state %u, fw_status %u, %u resets (sysfs agrees)", h.state,
		  h.fw_status, h.reset_count);
	h = (struct vascend_mgr_health){ .dev_id = card, .reserved[1] = 1 };
	EXPECT_ERR(EINVAL, dv_ioctl(mgr, VASCEND_IOCTL_MGR_HEALTH, &h), "MGR_HEALTH: reserved is EINVAL");
	h = (struct vascend_mgr_health){ .dev_id = 63 };
	EXPECT_ERR(ENODEV, dv_ioctl(mgr, VASCEND_IOCTL_MGR_HEALTH, &h), "MGR_HEALTH: absent card is ENODEV");
	h = (struct vascend_mgr_health){ .dev_id = 1000 };
	EXPECT_ERR(ENODEV, dv_ioctl(mgr, VASCEND_IOCTL_MGR_HEALTH, &h), "MGR_HEALTH: card 1000 is ENODEV");
	EXPECT_ERR(EFAULT, dv_ioctl(mgr, VASCEND_IOCTL_MGR_HEALTH, (void *)8), "MGR_HEALTH: bad pointer is EFAULT");
}

static void test_telemetry(int mgr, int fd, struct dv_mem *m)
{
	struct vascend_device_info info = { 0 };
	struct vascend_mgr_telemetry t0 = { .dev_id = card }, t1 = { .dev_id = card }, t;
	struct vascend_task nop[64];
	uint64_t dev = 0;
	uint32_t id = 0;
	int r, i;

	for (i = 0; i < 64; i++)
		nop[i] = dv_nop();
	dv_ioctl(fd, VASCEND_IOCTL_GET_INFO, &info);
	r = dv_ioctl(mgr, VASCEND_IOCTL_MGR_TELEMETRY, &t0);
	TAP_CHECK(!r && t0.aicore_count == info.aicore_count && t0.hbm_total == info.hbm_size &&
		  t0.temperature_mc >= 30000 && t0.power_mw > 0 && t0.utilization <= 1000,
		  "MGR_TELEMETRY: %u AI Cores, %llu bytes HBM, %u mC, %u mW, utilization %u",
		  t0.aicore_count, (unsigned long long)t0.hbm_total, t0.temperature_mc,
		  t0.power_mw, t0.utilization);

	if (m->svm >= 0)
		dev = dv_mem_alloc(m, card, 2 << 20);
	dv_stream_create(fd, 0, &id);
	dv_submit(fd, id, nop, 64, 0, NULL);
	dv_wait(fd, id, 0, 5000, NULL);
	r = dv_ioctl(mgr, VASCEND_IOCTL_MGR_TELEMETRY, &t1);
	TAP_CHECK(!r && t1.tasks_completed >= t0.tasks_completed + 64,
		  "MGR_TELEMETRY: tasks_completed %llu -> %llu after 64 NOPs",
		  (unsigned long long)t0.tasks_completed, (unsigned long long)t1.tasks_completed);
	TAP_CHECK(!dev || (t1.hbm_used >= t0.hbm_used + (2 << 20) &&
			   sysfs_u64("hbm_used") == t1.hbm_used),
		  "MGR_TELEMETRY: hbm_used %llu -> %llu with 2 MiB allocated (sysfs agrees)%s",
		  (unsigned long long)t0.hbm_used, (unsigned long long)t1.hbm_used,
		  dev ? "" : " # SKIP no device memory");

	t = (struct vascend_mgr_telemetry){ .dev_id = card, .pad = 1 };
	EXPECT_ERR(EINVAL, dv_ioctl(mgr, VASCEND_IOCTL_MGR_TELEMETRY, &t), "MGR_TELEMETRY: pad is EINVAL");
	t = (struct vascend_mgr_telemetry){ .dev_id = card, .reserved[0] = 1 };
	EXPECT_ERR(EINVAL, dv_ioctl(mgr, VASCEND_IOCTL_MGR_TELEMETRY, &t), "MGR_TELEMETRY: reserved is EINVAL");
	t = (struct vascend_mgr_telemetry){ .dev_id = 63 };
	EXPECT_ERR(ENODEV, dv_ioctl(mgr, VASCEND_IOCTL_MGR_TELEMETRY, &t), "MGR_TELEMETRY: absent card is ENODEV");
}

static void test_procs(int mgr, struct dv_mem *m)
{
	struct vascend_mgr_proc_entry e[8];
	struct vascend_mgr_procs p;
	unsigned int i, mine = ~0u;
	int r;

	memset(e, 0, sizeof(e));
	p = (struct vascend_mgr_procs){ .dev_id = card, .count = 8, .entries = (uintptr_t)e };
	r = dv_ioctl(mgr, VASCEND_IOCTL_MGR_PROCS, &p);
	for (i = 0; !r && i < p.count && i < 8; i++)
		if (e[i].pid == getpid())
			mine = i;
	TAP_CHECK(!r && p.count >= 1 && mine != ~0u, "MGR_PROCS: %u process(es), this one among them",
		  p.count);
	if (mine != ~0u)
		TAP_CHECK(e[mine].streams == 1 &&
			  (m->svm < 0 || e[mine].hbm_bytes >= (2 << 20)),
			  "MGR_PROCS: this process holds %u stream(s) and %llu bytes of HBM",
			  e[mine].streams, (unsigned long long)e[mine].hbm_bytes);
	else
		TAP_CHECK(0, "MGR_PROCS: this process's entry");

	p = (struct vascend_mgr_procs){ .dev_id = card, .count = 0, .entries = 8 };
	r = dv_ioctl(mgr, VASCEND_IOCTL_MGR_PROCS, &p);
	TAP_CHECK(!r && p.count >= 1, "MGR_PROCS: room 0 only counts (%u)", p.count);
	p = (struct vascend_mgr_procs){ .dev_id = card, .count = 8, .entries = 8 };
	EXPECT_ERR(EFAULT, dv_ioctl(mgr, VASCEND_IOCTL_MGR_PROCS, &p), "MGR_PROCS: bad entries pointer is EFAULT");
	p = (struct vascend_mgr_procs){ .dev_id = card, .reserved[1] = 1 };
	EXPECT_ERR(EINVAL, dv_ioctl(mgr, VASCEND_IOCTL_MGR_PROCS, &p), "MGR_PROCS: reserved is EINVAL");
	p = (struct vascend_mgr_procs){ .dev_id = 63 };
	EXPECT_ERR(ENODEV, dv_ioctl(mgr, VASCEND_IOCTL_MGR_PROCS, &p), "MGR_PROCS: absent card is ENODEV");
}

static void test_sysfs(void)
{
	char buf[64];
	int r;

	r = sysfs_read("aicore_count", buf, sizeof(buf));
	TAP_CHECK(!r && atoi(buf) > 0, "sysfs: aicore_count %s", buf);
	r = sysfs_read("hbm_total", buf, sizeof(buf));
	TAP_CHECK(!r && strtoull(buf, NULL, 0) >= (1 << 20), "sysfs: hbm_total %s", buf);
	r = sysfs_read("fw_version", buf, sizeof(buf));
	TAP_CHECK(!r && !strcmp(buf, "1.0.0"), "sysfs: fw_version %s", buf);
	r = sysfs_read("utilization", buf, sizeof(buf));
	TAP_CHECK(!r && atoi(buf) >= 0 && atoi(buf) <= 1000, "sysfs: utilization %s", buf);
	r = sysfs_read("state", buf, sizeof(buf));
	TAP_CHECK(!r && !strcmp(buf, "ok"), "sysfs: state %s", buf);
	r = sysfs_read("hbm_used", buf, sizeof(buf));
	TAP_CHECK(!r, "sysfs: hbm_used %s", buf);
}

static void test_reset(int mgr, int fd)
{
	struct vascend_mgr_health h0 = { .dev_id = card }, h1 = { .dev_id = card };
	struct vascend_mgr_reset rs;
	struct vascend_task t = dv_nop();
	struct vascend_wait w = { 0 };
	char cause[32] = "";
	int r, status = -1;
	uint32_t id = 0;
	pid_t pid;

	rs = (struct vascend_mgr_reset){ .dev_id = card, .flags = 1 };
	EXPECT_ERR(EINVAL, dv_ioctl(mgr, VASCEND_IOCTL_MGR_RESET, &rs), "MGR_RESET: flags is EINVAL");
	rs = (struct vascend_mgr_reset){ .dev_id = card, .reserved[0] = 1 };
	EXPECT_ERR(EINVAL, dv_ioctl(mgr, VASCEND_IOCTL_MGR_RESET, &rs), "MGR_RESET: reserved is EINVAL");
	rs = (struct vascend_mgr_reset){ .dev_id = 63 };
	EXPECT_ERR(ENODEV, dv_ioctl(mgr, VASCEND_IOCTL_MGR_RESET, &rs), "MGR_RESET: absent card is ENODEV");

	pid = fork();
	if (!pid) {
		struct vascend_mgr_reset c = { .dev_id = card };

		if (setuid(65534))
			_exit(3);
		_exit(dv_ioctl(mgr, VASCEND_IOCTL_MGR_RESET, &c) == -EPERM ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	TAP_CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0,
		  "MGR_RESET: EPERM without CAP_SYS_ADMIN (an unprivileged child)");

	dv_stream_create(fd, 0, &id);
	dv_ioctl(mgr, VASCEND_IOCTL_MGR_HEALTH, &h0);
	rs = (struct vascend_mgr_reset){ .dev_id = card };
	r = dv_ioctl(mgr, VASCEND_IOCTL_MGR_RESET, &rs);
	dv_ioctl(mgr, VASCEND_IOCTL_MGR_HEALTH, &h1);
	sysfs_read("last_reset_cause", cause, sizeof(cause));
	TAP_CHECK(!r && h1.reset_count == h0.reset_count + 1 && h1.state == VASCEND_CARD_OK &&
		  h1.last_reset_cause == VASCEND_RESET_CAUSE_USER && !strcmp(cause, "user") &&
		  sysfs_u64("reset_count") == h1.reset_count,
		  "MGR_RESET: card recovered, %u -> %u resets, cause %u (%s)", h0.reset_count,
		  h1.reset_count, h1.last_reset_cause, cause);
	r = dv_submit(fd, id, &t, 1, 0, NULL);
	r = r ? r : dv_wait(fd, id, 0, 5000, &w);
	TAP_CHECK(!r && !w.status, "MGR_RESET: an idle stream runs on after the recovery (%d)", r);
	dv_stream_ref(fd, VASCEND_IOCTL_STREAM_DESTROY, id);
}

int main(int argc, char **argv)
{
	struct dv_mem m = { .svm = -1 };
	int mgr, fd;

	if (argc > 1)
		card = strtoul(argv[1], NULL, 0);
	mgr = open("/dev/" VASCEND_MANAGER_DEV_NAME, O_RDWR | O_CLOEXEC);
	fd = dv_open(card);
	if (!TAP_CHECK(mgr >= 0 && fd >= 0, "open /dev/davinci_manager and /dev/davinci%u", card))
		return tap_done();
	if (dv_mem_open(&m, 16 << 20))
		m.svm = -1;

	test_cards(mgr);
	test_health(mgr);
	test_telemetry(mgr, fd, &m);
	test_procs(mgr, &m);
	test_sysfs();
	test_reset(mgr, fd);
	close(fd);
	close(mgr);
	return tap_done();
}

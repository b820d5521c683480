/* SPDX-License-Identifier: MIT */
/*
 * /dev/hisi_hdc in the VM (include/uapi/vascend_hdc.h): sessions to the
 * card's echo, mgmt, log and file services through the raw ioctls, read,
 * write, poll and io_uring. Prints TAP.
 *
 *   hdc_e2e all DEV AICORES [T1,T2]  every test (or tests T1, T2) on card
 *                             DEV (AICORES AI Cores); the card's hdc-dir
 *                             holds from_host.txt, and the test leaves
 *                             guest_put.bin there for the host
 *   hdc_e2e fwlist DEV        the driver runs a firmware whose service list
 *                             is echo and mgmt only
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "vascend_hdc.h"
#include "vascend_hdc_hw.h"
#include "vascend_hdc_svc.h"
#include "vascend_manager.h"
#include "vascend_queue_hw.h"
#include "../../host/tap.h"

#define HDR_SIZE	32u
#define MIB		(1024u * 1024u)
/* What the host side of tests/e2e/run.sh put into, and expects from, hdc-dir. */
#define HOST_FILE	"from_host.txt"
#define HOST_TEXT	"hello from the host\n"
#define PUT_NAME	"guest_put.bin"
#define PUT_SIZE	(MIB + 123)
#define PUT_SEED	131

static unsigned int dev_id;
static size_t slot_payload;

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* The byte pattern of every message and file here; tests/e2e/run.sh knows it. */
static void fill(uint8_t *p, size_t n, uint32_t seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(i * seed + 7 + (i >> 12));
}

static int check(const uint8_t *p, size_t n, uint32_t seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != (uint8_t)(i * seed + 7 + (i >> 12)))
			return 0;
	return 1;
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n);

	if (!p) {
		perror("malloc");
		exit(2);
	}
	return p;
}

static int hdc_ioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? -errno : 0;
}

static int hdc_open(void)
{
	int fd = open("/dev/" VASCEND_HDC_DEV_NAME, O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		perror("open /dev/" VASCEND_HDC_DEV_NAME);
		exit(2);
	}
	return fd;
}

static int hdc_connect(int fd, uint32_t dev, uint32_t svc)
{
	struct vascend_hdc_connect c = { .dev_id = dev, .service = svc };

	return hdc_ioctl(fd, VASCEND_IOCTL_HDC_CONNECT, &c);
}

/* An open session to @svc on the card, or -errno. */
static int session(uint32_t svc)
{
	int fd = hdc_open(), r = hdc_connect(fd, dev_id, svc);

	if (r) {
		close(fd);
		return r;
	}
	return fd;
}

static int set_timeout(int fd, uint32_t recv_ms, uint32_t send_ms)
{
	struct vascend_hdc_timeout t = { .recv_ms = recv_ms, .send_ms = send_ms };

	return hdc_ioctl(fd, VASCEND_IOCTL_HDC_SET_TIMEOUT, &t);
}

static struct vascend_hdc_session_status status(int fd)
{
	struct vascend_hdc_session_status st;

	memset(&st, 0xff, sizeof(st));
	if (hdc_ioctl(fd, VASCEND_IOCTL_HDC_STATUS, &st))
		st.state = 0xdead;
	return st;
}

static ssize_t xwrite(int fd, const void *buf, size_t n)
{
	ssize_t r = write(fd, buf, n);

	return r < 0 ? -errno : r;
}

static ssize_t xread(int fd, void *buf, size_t n)
{
	ssize_t r = read(fd, buf, n);

	return r < 0 ? -errno : r;
}

/* One message of @len bytes through the echo session @fd, checked. */
static int echo_once(int fd, size_t len, uint32_t seed)
{
	uint8_t *out = xmalloc(len), *in = xmalloc(len);
	ssize_t w, r = -1;

	fill(out, len, seed);
	memset(in, 0, len);
	w = xwrite(fd, out, len);
	if (w == (ssize_t)len)
		r = xread(fd, in, len);
	if (w != (ssize_t)len || r != (ssize_t)len || !check(in, len, seed)) {
		printf("#   echo of %zu bytes: write %zd, read %zd\n", len, w, r);
		r = -1;
	}
	free(out);
	free(in);
	return r == (ssize_t)len;
}

static size_t read_slot_payload(void)
{
	FILE *f = fopen("/sys/module/vascend/parameters/hdc_slot_size", "r");
	unsigned int v = 0;

	if (!f || fscanf(f, "%u", &v) != 1)
		v = 0;
	if (f)
		fclose(f);
	return v > HDR_SIZE ? v - HDR_SIZE : 0;
}

/* ---- the file itself: before CONNECT, argument checks ---- */

static void test_unconnected(void)
{
	struct vascend_hdc_session_status st;
	int fd = hdc_open();
	struct pollfd p = { .fd = fd, .events = POLLIN | POLLOUT };
	char b[4];
	int pr;

	st = status(fd);
	TAP_CHECK(st.state == VASCEND_HDC_STATE_IDLE && !st.queued && !st.credits,
		  "STATUS of a new file: IDLE, nothing queued, no credits");
	TAP_CHECK(xread(fd, b, sizeof(b)) == -ENOTCONN, "read before CONNECT: ENOTCONN");
	TAP_CHECK(xwrite(fd, b, sizeof(b)) == -ENOTCONN, "write before CONNECT: ENOTCONN");
	pr = poll(&p, 1, 0);
	TAP_CHECK(pr == 1 && p.revents == POLLERR,
		  "poll before CONNECT: POLLERR (revents 0x%x)", p.revents);
	close(fd);
}

static void test_arg_checks(void)
{
	struct vascend_hdc_connect c = { .dev_id = dev_id, .service = VASCEND_HDC_SVC_ECHO };
	struct vascend_hdc_timeout t = { 0 };
	int fd = hdc_open();

	c.flags = 1;
	TAP_CHECK(hdc_ioctl(fd, VASCEND_IOCTL_HDC_CONNECT, &c) == -EINVAL,
		  "CONNECT with flags bit 0: EINVAL");
	c.flags = 1u << 31;
	TAP_CHECK(hdc_ioctl(fd, VASCEND_IOCTL_HDC_CONNECT, &c) == -EINVAL,
		  "CONNECT with flags bit 31: EINVAL");
	c.flags = 0;
	c.reserved[0] = 1;
	TAP_CHECK(hdc_ioctl(fd, VASCEND_IOCTL_HDC_CONNECT, &c) == -EINVAL,
		  "CONNECT with reserved[0] set: EINVAL");
	c.reserved[0] = 0;
	c.reserved[1] = 1ull << 63;
	TAP_CHECK(hdc_ioctl(fd, VASCEND_IOCTL_HDC_CONNECT, &c) == -EINVAL,
		  "CONNECT with reserved[1] set: EINVAL");
	c.reserved[1] = 0;
	TAP_CHECK(hdc_ioctl(fd, VASCEND_IOCTL_HDC_CONNECT, (void *)16) == -EFAULT,
		  "CONNECT with a bad pointer: EFAULT");
	c.dev_id = 63;
	TAP_CHECK(hdc_ioctl(fd, VASCEND_IOCTL_HDC_CONNECT, &c) == -ENODEV,
		  "CONNECT to card 63 (absent): ENODEV");
	c.dev_id = 100000;
	TAP_CHECK(hdc_ioctl(fd, VASCEND_IOCTL_HDC_CONNECT, &c) == -ENODEV,
		  "CONNECT to card 100000: ENODEV");

	t.reserved[0] = 1;
	TAP_CHECK(hdc_ioctl(fd, VASCEND_IOCTL_HDC_SET_TIMEOUT, &t) == -EINVAL,
		  "SET_TIMEOUT with reserved[0] set: EINVAL");
	t.reserved[0] = 0;
	t.reserved[1] = 2;
	TAP_CHECK(hdc_ioctl(fd, VASCEND_IOCTL_HDC_SET_TIMEOUT, &t) == -EINVAL,
		  "SET_TIMEOUT with reserved[1] set: EINVAL");
	TAP_CHECK(hdc_ioctl(fd, VASCEND_IOCTL_HDC_SET_TIMEOUT, NULL) == -EFAULT,
		  "SET_TIMEOUT with a NULL pointer: EFAULT");
	TAP_CHECK(hdc_ioctl(fd, VASCEND_IOCTL_HDC_STATUS, (void *)16) == -EFAULT,
		  "STATUS with a bad pointer: EFAULT");
	TAP_CHECK(hdc_ioctl(fd, _IO(0xd5, 0x9f), NULL) == -ENOTTY,
		  "unknown ioctl 0x9f: ENOTTY");
	TAP_CHECK(hdc_ioctl(fd, _IOW(0xd5, 0x80, uint32_t), &c) == -ENOTTY,
		  "CONNECT's number with the wrong size: ENOTTY");
	/* Nothing above connected the file. */
	TAP_CHECK(hdc_connect(fd, dev_id, VASCEND_HDC_SVC_ECHO) == 0,
		  "CONNECT after the refused arguments works");
	close(fd);
}

static void test_refused(void)
{
	struct vascend_hdc_session_status st;
	int fd = hdc_open(), r;

	r = hdc_connect(fd, dev_id, 0);
	st = status(fd);
	TAP_CHECK(r == -ECONNREFUSED && st.state == VASCEND_HDC_STATE_IDLE &&
		  st.close_reason == VASCEND_HDC_ERR_NO_SERVICE,
		  "CONNECT to service 0: ECONNREFUSED, IDLE, reason NO_SERVICE (%d, %u, %u)",
		  r, st.state, st.close_reason);
	r = hdc_connect(fd, dev_id, 99);
	TAP_CHECK(r == -ECONNREFUSED, "CONNECT to unknown service 99: ECONNREFUSED (%d)", r);
	r = hdc_connect(fd, dev_id, 0xffffffffu);
	TAP_CHECK(r == -ECONNREFUSED, "CONNECT to service 0xffffffff: ECONNREFUSED (%d)", r);
	/* A refused file may try again. */
	r = hdc_connect(fd, dev_id, VASCEND_HDC_SVC_ECHO);
	TAP_CHECK(!r, "the same file then connects to echo (%d)", r);
	r = hdc_connect(fd, dev_id, VASCEND_HDC_SVC_ECHO);
	TAP_CHECK(r == -EISCONN, "a second CONNECT: EISCONN (%d)", r);
	close(fd);
}

/* ---- echo: sizes, EMSGSIZE, timeouts, O_NONBLOCK, poll ---- */

static void test_echo(void)
{
	struct vascend_hdc_session_status st;
	size_t pm = slot_payload;
	int fd = session(VASCEND_HDC_SVC_ECHO);
	uint8_t small[100], big[100];
	double t0;
	ssize_t r;
	int i, ok, pr;

	TAP_CHECK(fd >= 0, "CONNECT to echo (%d)", fd);
	if (fd < 0)
		return;
	st = status(fd);
	TAP_CHECK(st.state == VASCEND_HDC_STATE_OPEN && st.credits == 8 &&
		  !st.queued && !st.next_len && !st.close_reason,
		  "STATUS: OPEN, 8 credits, nothing queued (state %u credits %u)",
		  st.state, st.credits);
	set_timeout(fd, 20000, 20000);

	TAP_CHECK(pm >= 224, "slot payload from hdc_slot_size: %zu bytes", pm);
	TAP_CHECK(echo_once(fd, 1, 3), "echo of 1 byte");
	TAP_CHECK(echo_once(fd, pm - 1, 5), "echo of one slot less a byte (%zu)", pm - 1);
	TAP_CHECK(echo_once(fd, pm, 7), "echo of exactly one slot (%zu bytes)", pm);
	TAP_CHECK(echo_once(fd, pm + 1, 9), "echo of one slot and a byte (%zu)", pm + 1);
	TAP_CHECK(echo_once(fd, 3 * pm, 11), "echo of three slots (%zu)", 3 * pm);
	TAP_CHECK(echo_once(fd, 5 * MIB, 13), "echo of 5 MiB, both ways checked");
	TAP_CHECK(echo_once(fd, 5 * MIB + 17, 17), "echo of 5 MiB + 17");
	TAP_CHECK(echo_once(fd, VASCEND_HDC_MAX_MSG, 19), "echo of 16 MiB (VASCEND_HDC_MAX_MSG)");

	uint8_t *huge = xmalloc(VASCEND_HDC_MAX_MSG + 1);
	r = xwrite(fd, huge, VASCEND_HDC_MAX_MSG + 1);
	TAP_CHECK(r == -EMSGSIZE, "write of 16 MiB + 1: EMSGSIZE (%zd)", r);
	free(huge);
	TAP_CHECK(xwrite(fd, small, 0) == -EINVAL, "write of 0 bytes: EINVAL");

	/* EMSGSIZE on read: the message stays, STATUS says how big. */
	fill(big, sizeof(big), 23);
	TAP_CHECK(xwrite(fd, big, sizeof(big)) == sizeof(big), "write of 100 bytes");
	t0 = now_ms();
	while (status(fd).queued == 0 && now_ms() - t0 < 10000)
		usleep(1000);
	st = status(fd);
	TAP_CHECK(st.queued == 1 && st.next_len == 100,
		  "STATUS: 1 queued, next_len 100 (%u, %u)", st.queued, st.next_len);
	r = xread(fd, small, 50);
	TAP_CHECK(r == -EMSGSIZE, "read into 50 bytes: EMSGSIZE (%zd)", r);
	r = xread(fd, small, 0);
	TAP_CHECK(r == -EMSGSIZE, "read into 0 bytes: EMSGSIZE (%zd)", r);
	memset(small, 0, sizeof(small));
	r = xread(fd, small, sizeof(small));
	TAP_CHECK(r == 100 && check(small, 100, 23),
		  "read into 100 bytes then returns the message whole (%zd)", r);

	/* Many in flight: answers in order. */
	ok = 1;
	for (i = 0; i < 8; i++) {
		fill(big, 40 + i, 100 + i);
		ok &= xwrite(fd, big, 40 + i) == 40 + i;
	}
	for (i = 0; i < 8; i++)
		ok &= xread(fd, big, sizeof(big)) == 40 + i && check(big, 40 + i, 100 + i);
	TAP_CHECK(ok, "8 messages in flight come back in order");

	/* Timeouts and O_NONBLOCK with nothing coming. */
	set_timeout(fd, 300, 0);
	t0 = now_ms();
	r = xread(fd, small, sizeof(small));
	t0 = now_ms() - t0;
	TAP_CHECK(r == -ETIMEDOUT && t0 >= 250 && t0 < 5000,
		  "read with nothing coming, recv_ms 300: ETIMEDOUT after %.0f ms (%zd)", t0, r);
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	r = xread(fd, small, sizeof(small));
	TAP_CHECK(r == -EAGAIN, "O_NONBLOCK read with nothing queued: EAGAIN (%zd)", r);
	r = xwrite(fd, "x", 1);
	TAP_CHECK(r == 1, "O_NONBLOCK write with a credit: sent (%zd)", r);
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	set_timeout(fd, 10000, 10000);
	TAP_CHECK(xread(fd, small, sizeof(small)) == 1, "its echo");

	/* poll: writable with credits, readable once the echo is back. */
	struct pollfd p = { .fd = fd, .events = POLLIN | POLLOUT };
	pr = poll(&p, 1, 0);
	TAP_CHECK(pr == 1 && p.revents == POLLOUT,
		  "poll: POLLOUT only while nothing is queued (0x%x)", p.revents);
	xwrite(fd, "ping", 4);
	p.events = POLLIN;
	pr = poll(&p, 1, 10000);
	TAP_CHECK(pr == 1 && (p.revents & POLLIN),
		  "poll: POLLIN once the echo is queued (0x%x)", p.revents);
	TAP_CHECK(xread(fd, small, sizeof(small)) == 4, "and read returns it");
	close(fd);
}

/* ---- flow control: a reader that does not read ---- */

static void test_flow_control(void)
{
	int a = session(VASCEND_HDC_SVC_ECHO), b = session(VASCEND_HDC_SVC_ECHO);
	struct vascend_hdc_session_status st;
	uint8_t buf[1000];
	int n = 0, ok = 1, i, pr;
	ssize_t r = 0;
	double t0;

	TAP_CHECK(a >= 0 && b >= 0, "two echo sessions (%d, %d)", a, b);
	if (a < 0 || b < 0)
		return;
	set_timeout(a, 10000, 500);
	while (n < 200) {
		fill(buf, sizeof(buf), 1000 + n);
		t0 = now_ms();
		r = xwrite(a, buf, sizeof(buf));
		if (r != sizeof(buf))
			break;
		n++;
	}
	t0 = now_ms() - t0;
	TAP_CHECK(r == -ETIMEDOUT && t0 >= 400,
		  "session A, never read: writes block, then ETIMEDOUT after %.0f ms (%zd)",
		  t0, r);
	TAP_CHECK(n >= 8 && n <= 64,
		  "A got %d messages in before the credits ran out (8..64)", n);
	st = status(a);
	/* The driver grants each session a window of 4 messages. */
	TAP_CHECK(st.state == VASCEND_HDC_STATE_OPEN && st.credits == 0 &&
		  st.queued == 4,
		  "A's STATUS: open, 0 credits, 4 echoes queued (the window) (%u, %u, %u)",
		  st.state, st.credits, st.queued);
	struct pollfd p = { .fd = a, .events = POLLOUT };
	pr = poll(&p, 1, 100);
	TAP_CHECK(pr == 0, "A: no POLLOUT without credits (0x%x)", p.revents);
	fcntl(a, F_SETFL, fcntl(a, F_GETFL) | O_NONBLOCK);
	TAP_CHECK(xwrite(a, buf, 10) == -EAGAIN, "A, O_NONBLOCK write without credit: EAGAIN");
	fcntl(a, F_SETFL, fcntl(a, F_GETFL) & ~O_NONBLOCK);

	set_timeout(b, 10000, 10000);
	TAP_CHECK(echo_once(b, 4096, 77) && echo_once(b, 2 * MIB, 78),
		  "session B keeps working meanwhile (4 KiB, 2 MiB)");

	for (i = 0; i < n; i++) {
		r = xread(a, buf, sizeof(buf));
		ok &= r == sizeof(buf) && check(buf, sizeof(buf), 1000 + i);
	}
	TAP_CHECK(ok, "A then reads all %d echoes, in order", n);
	TAP_CHECK(echo_once(a, 1000, 99), "and A's writes go through again");
	close(a);
	close(b);
}

/*
 * ---- the card closes a session ----
 *
 * The device buffers at most 32 MiB per session. 16 MiB echoes that are
 * never read: 4 reach the driver (its window), 2 more wait in the device,
 * and the next one does not fit: the device closes the session with
 * VASCEND_HDC_ERR_TOO_BIG.
 */
static void test_device_close(void)
{
	const size_t len = VASCEND_HDC_MAX_MSG;
	uint8_t *b = xmalloc(len);
	struct vascend_hdc_session_status st;
	int fd = session(VASCEND_HDC_SVC_ECHO), n = 0, got = 0, ok = 1, pr;
	struct pollfd p;
	ssize_t r = 0;
	double t0;

	TAP_CHECK(fd >= 0, "device close: an echo session (%d)", fd);
	if (fd < 0)
		goto out;
	set_timeout(fd, 20000, 20000);
	fill(b, len, 29);
	while (n < 12) {
		r = xwrite(fd, b, len);
		if (r != (ssize_t)len)
			break;
		n++;
	}
	TAP_CHECK(r == -EPIPE && n >= 6 && n <= 9,
		  "16 MiB messages never read: %d sent, then EPIPE (%zd)", n, r);
	t0 = now_ms();
	while (status(fd).state != VASCEND_HDC_STATE_CLOSED && now_ms() - t0 < 10000)
		usleep(1000);
	st = status(fd);
	TAP_CHECK(st.state == VASCEND_HDC_STATE_CLOSED &&
		  st.close_reason == VASCEND_HDC_ERR_TOO_BIG,
		  "the card closed the session: CLOSED, reason TOO_BIG (%u, %u)",
		  st.state, st.close_reason);
	p.fd = fd;
	p.events = POLLIN | POLLOUT;
	pr = poll(&p, 1, 0);
	TAP_CHECK(pr == 1 && (p.revents & POLLHUP) && (p.revents & POLLIN) &&
		  !(p.revents & POLLOUT), "poll: POLLHUP and POLLIN, no POLLOUT (0x%x)",
		  p.revents);
	while ((r = xread(fd, b, len)) > 0) {
		ok &= r == (ssize_t)len && check(b, len, 29);
		got++;
	}
	TAP_CHECK(ok && got == 4 && r == 0,
		  "read: the 4 echoes that arrived before the close, then 0 (%d, %zd)",
		  got, r);
	close(fd);
out:
	free(b);
}

/* ---- mgmt ---- */

static void test_mgmt(unsigned int aicores)
{
	struct vascend_hdc_mgmt_req req = { .cmd = VASCEND_HDC_MGMT_IDENTIFY };
	struct {
		struct vascend_hdc_mgmt_reply h;
		union {
			struct vascend_identify id;
			struct vascend_telemetry tm;
		};
	} rep;
	int fd = session(VASCEND_HDC_SVC_MGMT);
	ssize_t r;

	TAP_CHECK(fd >= 0, "CONNECT to mgmt (%d)", fd);
	if (fd < 0)
		return;
	set_timeout(fd, 10000, 10000);
	xwrite(fd, &req, sizeof(req));
	r = xread(fd, &rep, sizeof(rep));
	TAP_CHECK(r == (ssize_t)(sizeof(rep.h) + sizeof(rep.id)) &&
		  rep.h.cmd == VASCEND_HDC_MGMT_IDENTIFY && rep.h.status == 0 &&
		  rep.id.aicore_count == aicores && rep.id.hdc_service_count == 4 &&
		  rep.id.fw_version == 0x010000,
		  "mgmt IDENTIFY: %zd bytes, %u AI Cores, %u services, firmware 0x%x",
		  r, rep.id.aicore_count, rep.id.hdc_service_count, rep.id.fw_version);
	req.cmd = VASCEND_HDC_MGMT_TELEMETRY;
	xwrite(fd, &req, sizeof(req));
	r = xread(fd, &rep, sizeof(rep));
	TAP_CHECK(r == (ssize_t)(sizeof(rep.h) + sizeof(rep.tm)) && rep.h.status == 0 &&
		  rep.tm.temperature_mc > 0,
		  "mgmt TELEMETRY: %zd bytes, %u mC", r, rep.tm.temperature_mc);
	req.cmd = 99;
	xwrite(fd, &req, sizeof(req));
	r = xread(fd, &rep, sizeof(rep));
	TAP_CHECK(r == sizeof(rep.h) && rep.h.cmd == 99 &&
		  rep.h.status == -VASCEND_HDC_EINVAL,
		  "mgmt unknown cmd 99: -EINVAL, header only (%zd, %d)", r, rep.h.status);
	xwrite(fd, "123456789012", 12);
	r = xread(fd, &rep, sizeof(rep));
	TAP_CHECK(r == sizeof(rep.h) && rep.h.status == -VASCEND_HDC_EINVAL,
		  "mgmt request of the wrong size: -EINVAL (%zd, %d)", r, rep.h.status);
	close(fd);
}

/* ---- log ---- */

static int log_line_ok(const uint8_t *m, ssize_t n, struct vascend_hdc_log_line *l)
{
	ssize_t i;

	if (n <= (ssize_t)sizeof(*l) || n > (ssize_t)sizeof(*l) + 159)
		return 0;
	memcpy(l, m, sizeof(*l));
	for (i = sizeof(*l); i < n; i++)
		if (m[i] < 0x20 || m[i] > 0x7e)
			return 0;
	return 1;
}

static void test_log(void)
{
	struct vascend_hdc_session_status st;
	struct vascend_hdc_log_line l;
	int fd = session(VASCEND_HDC_SVC_LOG), other, lines = 0, ok = 1, found = 0;
	uint32_t last_seq = 0;
	uint8_t m[256];
	ssize_t r;

	TAP_CHECK(fd >= 0, "CONNECT to log (%d)", fd);
	if (fd < 0)
		return;
	st = status(fd);
	TAP_CHECK(st.state == VASCEND_HDC_STATE_OPEN && st.credits == 0,
		  "log session: open, 0 credits (it takes no data) (%u)", st.credits);
	set_timeout(fd, 1000, 300);
	/* The backlog: at least the refusals of test_refused(). */
	while ((r = xread(fd, m, sizeof(m))) > 0) {
		ok &= log_line_ok(m, r, &l) && (!lines || l.seq > last_seq);
		last_seq = l.seq;
		lines++;
	}
	TAP_CHECK(lines >= 3 && ok && r == -ETIMEDOUT,
		  "log backlog: %d well-formed lines, seq increasing, then ETIMEDOUT", lines);

	/* A new device event arrives as a new line. */
	other = hdc_open();
	hdc_connect(other, dev_id, 77);
	close(other);
	set_timeout(fd, 5000, 300);
	while ((r = xread(fd, m, sizeof(m) - 1)) > 0) {
		m[r] = 0;
		if (log_line_ok(m, r, &l) && strstr((char *)m + sizeof(l), "refused")) {
			found = 1;
			break;
		}
	}
	TAP_CHECK(found && l.seq > last_seq, "a refused CONNECT shows up as a new log line");

	r = xwrite(fd, "x", 1);
	TAP_CHECK(r == -ETIMEDOUT, "write to log (no credits), send_ms 300: ETIMEDOUT (%zd)", r);
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	TAP_CHECK(xwrite(fd, "x", 1) == -EAGAIN, "O_NONBLOCK write to log: EAGAIN");
	close(fd);
}

/* ---- file ---- */

static void file_req(int fd, uint32_t op, const char *name, uint64_t size)
{
	struct vascend_hdc_file_req q;

	memset(&q, 0, sizeof(q));
	q.op = op;
	q.name_len = name ? strlen(name) : 0;
	q.size = size;
	if (name)
		memcpy(q.name, name, q.name_len);
	xwrite(fd, &q, sizeof(q));
}

static ssize_t file_reply(int fd, struct vascend_hdc_file_reply *rep, void *buf,
			  size_t n)
{
	ssize_t r = xread(fd, buf, n);

	memset(rep, 0xff, sizeof(*rep));
	if (r >= (ssize_t)sizeof(*rep))
		memcpy(rep, buf, sizeof(*rep));
	return r;
}

static void test_file(void)
{
	struct vascend_hdc_file_reply rep;
	const size_t big = 2 * MIB;
	uint8_t *data = xmalloc(PUT_SIZE), *buf = xmalloc(big);
	int fd = session(VASCEND_HDC_SVC_FILE), ok, i, seen_put = 0, seen_host = 0;
	size_t got, chunk_max = 0;
	ssize_t r;

	TAP_CHECK(fd >= 0, "CONNECT to file (%d)", fd);
	if (fd < 0)
		goto out;
	set_timeout(fd, 20000, 20000);

	/* PUT: the device answers PUT_READY, then PUT once all data is in. */
	fill(data, PUT_SIZE, PUT_SEED);
	file_req(fd, VASCEND_HDC_FILE_PUT, PUT_NAME, PUT_SIZE);
	r = file_reply(fd, &rep, buf, big);
	TAP_CHECK(r == sizeof(rep) && rep.op == VASCEND_HDC_FILE_PUT_READY &&
		  rep.status == 0 && rep.size == PUT_SIZE,
		  "file PUT %s of %u bytes: PUT_READY (%zd, op %u, status %d)",
		  PUT_NAME, PUT_SIZE, r, rep.op, rep.status);
	ok = xwrite(fd, data, 1000) == 1000;
	ok &= xwrite(fd, data + 1000, 512 * 1024) == 512 * 1024;
	ok &= xwrite(fd, data + 1000 + 512 * 1024, PUT_SIZE - 1000 - 512 * 1024) ==
	      PUT_SIZE - 1000 - 512 * 1024;
	r = file_reply(fd, &rep, buf, big);
	TAP_CHECK(ok && r == sizeof(rep) && rep.op == VASCEND_HDC_FILE_PUT &&
		  rep.status == 0 && rep.size == PUT_SIZE,
		  "file PUT: data in 3 messages, then PUT status 0, %llu bytes",
		  (unsigned long long)rep.size);

	/* GET it back: {status, size}, then the data in chunks of <= 256 KiB. */
	file_req(fd, VASCEND_HDC_FILE_GET, PUT_NAME, 0);
	r = file_reply(fd, &rep, buf, big);
	TAP_CHECK(r == sizeof(rep) && rep.op == VASCEND_HDC_FILE_GET &&
		  rep.status == 0 && rep.size == PUT_SIZE,
		  "file GET %s: status 0, %llu bytes follow", PUT_NAME,
		  (unsigned long long)rep.size);
	memset(data, 0, PUT_SIZE);
	for (got = 0; got < PUT_SIZE; got += r) {
		r = xread(fd, data + got, PUT_SIZE - got);
		if (r <= 0)
			break;
		if ((size_t)r > chunk_max)
			chunk_max = r;
	}
	TAP_CHECK(got == PUT_SIZE && check(data, PUT_SIZE, PUT_SEED) &&
		  chunk_max <= VASCEND_HDC_FILE_CHUNK,
		  "file GET: the data round-trips (%zu bytes, chunks <= %zu)", got, chunk_max);

	/* The host's file. */
	file_req(fd, VASCEND_HDC_FILE_GET, HOST_FILE, 0);
	r = file_reply(fd, &rep, buf, big);
	ok = r == sizeof(rep) && rep.status == 0 && rep.size == strlen(HOST_TEXT);
	if (ok) {
		r = xread(fd, buf, big);
		ok = r == (ssize_t)strlen(HOST_TEXT) && !memcmp(buf, HOST_TEXT, r);
	}
	TAP_CHECK(ok, "file GET %s: what the host wrote into hdc-dir", HOST_FILE);

	/* LIST sees both. */
	file_req(fd, VASCEND_HDC_FILE_LIST, NULL, 0);
	r = file_reply(fd, &rep, buf, big);
	ok = r >= (ssize_t)sizeof(rep) && rep.status == 0 &&
	     r == (ssize_t)(sizeof(rep) + rep.size * sizeof(struct vascend_hdc_file_entry));
	for (i = 0; ok && i < (int)rep.size; i++) {
		struct vascend_hdc_file_entry *e =
			(void *)(buf + sizeof(rep) + i * sizeof(*e));

		if (e->name_len == strlen(PUT_NAME) && !memcmp(e->name, PUT_NAME, e->name_len))
			seen_put = e->size == PUT_SIZE;
		if (e->name_len == strlen(HOST_FILE) && !memcmp(e->name, HOST_FILE, e->name_len))
			seen_host = 1;
	}
	TAP_CHECK(ok && seen_put && seen_host,
		  "file LIST: %llu entries, %s with its size and %s among them",
		  (unsigned long long)rep.size, PUT_NAME, HOST_FILE);

	/* DELETE, and GET of what is gone. */
	file_req(fd, VASCEND_HDC_FILE_PUT, "tmp.bin", 3);
	file_reply(fd, &rep, buf, big);
	xwrite(fd, "abc", 3);
	file_reply(fd, &rep, buf, big);
	ok = rep.op == VASCEND_HDC_FILE_PUT && rep.status == 0;
	file_req(fd, VASCEND_HDC_FILE_DELETE, "tmp.bin", 0);
	r = file_reply(fd, &rep, buf, big);
	TAP_CHECK(ok && r == sizeof(rep) && rep.op == VASCEND_HDC_FILE_DELETE && rep.status == 0,
		  "file PUT then DELETE tmp.bin: status 0 (%d)", rep.status);
	file_req(fd, VASCEND_HDC_FILE_GET, "tmp.bin", 0);
	file_reply(fd, &rep, buf, big);
	TAP_CHECK(rep.status == -VASCEND_HDC_ENOENT, "file GET of a deleted file: -ENOENT (%d)",
		  rep.status);
	file_req(fd, VASCEND_HDC_FILE_GET, "../etc", 0);
	file_reply(fd, &rep, buf, big);
	TAP_CHECK(rep.status == -VASCEND_HDC_EINVAL, "file GET ../etc: -EINVAL (%d)", rep.status);
	close(fd);
out:
	free(data);
	free(buf);
}

/* ---- io_uring ---- */

static void test_uring(void)
{
	const size_t n = 64 * 1024;
	uint8_t *out = xmalloc(n), *in = xmalloc(n);
	struct io_uring_cqe *cqe;
	struct io_uring_sqe *sqe;
	struct io_uring ring;
	int fd = session(VASCEND_HDC_SVC_ECHO), r, i, ok;

	TAP_CHECK(fd >= 0, "io_uring: CONNECT to echo (%d)", fd);
	r = io_uring_queue_init(16, &ring, 0);
	TAP_CHECK(!r, "io_uring_queue_init (%d)", r);
	if (fd < 0 || r)
		goto out;
	set_timeout(fd, 20000, 20000);

	fill(out, n, 41);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_write(sqe, fd, out, n, 0);
	io_uring_submit(&ring);
	r = io_uring_wait_cqe(&ring, &cqe);
	TAP_CHECK(!r && cqe->res == (int)n, "IORING_OP_WRITE of 64 KiB: res %d", r ? r : cqe->res);
	if (!r)
		io_uring_cqe_seen(&ring, cqe);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_read(sqe, fd, in, n, 0);
	io_uring_submit(&ring);
	r = io_uring_wait_cqe(&ring, &cqe);
	TAP_CHECK(!r && cqe->res == (int)n && check(in, n, 41),
		  "IORING_OP_READ gets the echo: res %d, data checked", r ? r : cqe->res);
	if (!r)
		io_uring_cqe_seen(&ring, cqe);

	/* A READ waiting for a message: completes when the echo arrives. */
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_read(sqe, fd, in, n, 0);
	io_uring_submit(&ring);
	usleep(100000);
	TAP_CHECK(io_uring_peek_cqe(&ring, &cqe) == -EAGAIN,
		  "IORING_OP_READ with nothing queued stays pending");
	fill(out, 5000, 43);
	xwrite(fd, out, 5000);
	r = io_uring_wait_cqe(&ring, &cqe);
	TAP_CHECK(!r && cqe->res == 5000 && check(in, 5000, 43),
		  "and completes with the echo of a write(): res %d", r ? r : cqe->res);
	if (!r)
		io_uring_cqe_seen(&ring, cqe);

	/* A too small READ: -EMSGSIZE, the message stays. */
	xwrite(fd, out, 1000);
	usleep(100000);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_read(sqe, fd, in, 500, 0);
	io_uring_submit(&ring);
	r = io_uring_wait_cqe(&ring, &cqe);
	TAP_CHECK(!r && cqe->res == -EMSGSIZE, "IORING_OP_READ into 500 bytes of 1000: -EMSGSIZE (%d)",
		  r ? r : cqe->res);
	if (!r)
		io_uring_cqe_seen(&ring, cqe);
	TAP_CHECK(xread(fd, in, n) == 1000, "the message is then read whole");

	/* A linked batch: four writes, then four reads, in order. */
	for (i = 0; i < 4; i++) {
		sqe = io_uring_get_sqe(&ring);
		io_uring_prep_write(sqe, fd, out + i * 1024, 1000 + i, 0);
		sqe->flags |= IOSQE_IO_LINK;
	}
	for (i = 0; i < 4; i++) {
		sqe = io_uring_get_sqe(&ring);
		/* Exactly the message's size: a short read would break the link. */
		io_uring_prep_read(sqe, fd, in + i * 2048, 1000 + i, 0);
		sqe->user_data = 100 + i;
		if (i < 3)
			sqe->flags |= IOSQE_IO_LINK;
	}
	io_uring_submit(&ring);
	ok = 1;
	for (i = 0; i < 8; i++) {
		r = io_uring_wait_cqe(&ring, &cqe);
		if (r) {
			ok = 0;
			break;
		}
		if (cqe->user_data >= 100)
			ok &= cqe->res == (int)(1000 + cqe->user_data - 100);
		else
			ok &= cqe->res > 0;
		io_uring_cqe_seen(&ring, cqe);
	}
	for (i = 0; i < 4; i++)
		ok &= !memcmp(in + i * 2048, out + i * 1024, 1000 + i);
	TAP_CHECK(ok, "io_uring: 4 linked writes and 4 linked reads, in order");
	io_uring_queue_exit(&ring);
out:
	if (fd >= 0)
		close(fd);
	free(out);
	free(in);
}

/* ---- many sessions; closing ---- */

static void test_sessions(void)
{
	int fds[VASCEND_HDC_MAX_SESSIONS + 1], i, n = 0, extra, r;
	struct vascend_hdc_session_status st;

	for (i = 0; i < VASCEND_HDC_MAX_SESSIONS; i++) {
		fds[i] = session(VASCEND_HDC_SVC_ECHO);
		if (fds[i] >= 0)
			n++;
		else
			printf("#   session %d: CONNECT failed: %s\n", i, strerror(-fds[i]));
	}
	TAP_CHECK(n == VASCEND_HDC_MAX_SESSIONS, "%d sessions open at once", n);
	extra = hdc_open();
	r = hdc_connect(extra, dev_id, VASCEND_HDC_SVC_ECHO);
	st = status(extra);
	TAP_CHECK(r == -ECONNREFUSED && st.close_reason == VASCEND_HDC_ERR_TOO_MANY,
		  "session 65: ECONNREFUSED, reason TOO_MANY (%d, %u)", r, st.close_reason);
	close(fds[0]);
	r = hdc_connect(extra, dev_id, VASCEND_HDC_SVC_ECHO);
	TAP_CHECK(!r, "after one close() the card takes a session again (%d)", r);
	fds[0] = extra;
	set_timeout(fds[17], 10000, 10000);
	TAP_CHECK(echo_once(fds[17], 100, 5), "one of the 64 echoes");
	for (i = 0; i < VASCEND_HDC_MAX_SESSIONS; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	n = 0;
	for (i = 0; i < 3 * VASCEND_HDC_MAX_SESSIONS; i++) {
		r = session(VASCEND_HDC_SVC_ECHO);
		if (r >= 0) {
			n++;
			close(r);
		}
	}
	TAP_CHECK(n == 3 * VASCEND_HDC_MAX_SESSIONS,
		  "%d sessions opened and closed one after another (close frees them)", n);
}

/* ---- kill -9 in the middle of transfers ---- */

static void child_writer(void)
{
	size_t len = VASCEND_HDC_MAX_MSG;
	uint8_t *b = xmalloc(len);
	int fd = session(VASCEND_HDC_SVC_ECHO);

	fill(b, len, 3);
	for (;;) {
		xwrite(fd, b, len);
		xread(fd, b, len);
	}
}

static void child_writer_only(void)
{
	size_t len = 5 * MIB;
	uint8_t *b = xmalloc(len);
	int fd = session(VASCEND_HDC_SVC_ECHO);

	for (;;)
		xwrite(fd, b, len);
}

static void test_kill(void)
{
	static const int delays_ms[] = { 5, 40, 150, 400, 900 };
	void (*const kinds[])(void) = { child_writer, child_writer_only };
	int k, d, status_, ok = 1, fd;
	pid_t pid;

	for (k = 0; k < 2; k++) {
		for (d = 0; d < (int)(sizeof(delays_ms) / sizeof(delays_ms[0])); d++) {
			pid = fork();
			if (!pid) {
				kinds[k]();
				_exit(0);
			}
			usleep(delays_ms[d] * 1000);
			kill(pid, SIGKILL);
			waitpid(pid, &status_, 0);
			ok &= WIFSIGNALED(status_) && WTERMSIG(status_) == SIGKILL;
		}
	}
	TAP_CHECK(ok, "10 processes killed with SIGKILL mid-transfer (16 MiB and 5 MiB messages)");
	fd = session(VASCEND_HDC_SVC_ECHO);
	TAP_CHECK(fd >= 0, "after the kills: CONNECT to echo (%d)", fd);
	if (fd >= 0) {
		set_timeout(fd, 20000, 20000);
		TAP_CHECK(echo_once(fd, 5 * MIB, 61), "after the kills: echo of 5 MiB");
		close(fd);
	}
}

/* ---- a card reset ends every session with ERR_RESET ---- */

static void test_reset(void)
{
	struct vascend_mgr_reset rs = { .dev_id = dev_id };
	struct vascend_hdc_session_status st;
	int fd = session(VASCEND_HDC_SVC_ECHO), mgr, r, pr;
	struct pollfd p;
	uint8_t b[16];
	double t0;

	TAP_CHECK(fd >= 0, "reset: an echo session (%d)", fd);
	if (fd < 0)
		return;
	set_timeout(fd, 10000, 10000);
	xwrite(fd, "queued", 6);
	t0 = now_ms();
	while (status(fd).queued == 0 && now_ms() - t0 < 10000)
		usleep(1000);

	mgr = open("/dev/davinci_manager", O_RDWR | O_CLOEXEC);
	r = mgr < 0 ? -errno : hdc_ioctl(mgr, VASCEND_IOCTL_MGR_RESET, &rs);
	TAP_CHECK(!r, "MGR_RESET of the card (%d)", r);
	if (mgr >= 0)
		close(mgr);

	t0 = now_ms();
	while (status(fd).state != VASCEND_HDC_STATE_CLOSED && now_ms() - t0 < 10000)
		usleep(1000);
	st = status(fd);
	TAP_CHECK(st.state == VASCEND_HDC_STATE_CLOSED &&
		  st.close_reason == VASCEND_HDC_ERR_RESET && st.queued == 1,
		  "after the reset: CLOSED, reason ERR_RESET, the message still queued (%u, %u, %u)",
		  st.state, st.close_reason, st.queued);
	p.fd = fd;
	p.events = POLLIN | POLLOUT;
	pr = poll(&p, 1, 0);
	TAP_CHECK(pr == 1 && (p.revents & POLLHUP) && !(p.revents & POLLOUT),
		  "poll: POLLHUP, no POLLOUT (0x%x)", p.revents);
	TAP_CHECK(xread(fd, b, sizeof(b)) == 6 && !memcmp(b, "queued", 6),
		  "read returns what was queued before the reset");
	TAP_CHECK(xread(fd, b, sizeof(b)) == 0, "then 0: end of the session");
	TAP_CHECK(xwrite(fd, b, 4) == -EPIPE, "write: EPIPE");
	TAP_CHECK(hdc_connect(fd, dev_id, VASCEND_HDC_SVC_ECHO) == -EISCONN,
		  "CONNECT on the closed file: EISCONN");
	close(fd);
	fd = session(VASCEND_HDC_SVC_ECHO);
	TAP_CHECK(fd >= 0, "a new session after the reset (%d)", fd);
	if (fd >= 0) {
		set_timeout(fd, 20000, 20000);
		TAP_CHECK(echo_once(fd, 3 * MIB, 67), "echoes 3 MiB");
		close(fd);
	}
}

/* ---- the firmware's service list ---- */

static void test_fwlist(void)
{
	struct vascend_hdc_session_status st;
	int fd, r;

	fd = hdc_open();
	r = hdc_connect(fd, dev_id, VASCEND_HDC_SVC_LOG);
	st = status(fd);
	TAP_CHECK(r == -ECONNREFUSED && st.close_reason == VASCEND_HDC_ERR_NO_SERVICE,
		  "firmware without log: CONNECT to log refused, NO_SERVICE (%d, %u)",
		  r, st.close_reason);
	r = hdc_connect(fd, dev_id, VASCEND_HDC_SVC_FILE);
	TAP_CHECK(r == -ECONNREFUSED, "firmware without file: CONNECT to file refused (%d)", r);
	close(fd);
	fd = session(VASCEND_HDC_SVC_ECHO);
	TAP_CHECK(fd >= 0, "echo, which it lists, works (%d)", fd);
	if (fd >= 0) {
		set_timeout(fd, 10000, 10000);
		TAP_CHECK(echo_once(fd, 1000, 71), "and echoes");
		close(fd);
	}
}

static unsigned int aicores;

static void test_mgmt_cores(void)
{
	test_mgmt(aicores);
}

static const struct {
	const char *name;
	void (*fn)(void);
} tests[] = {
	{ "unconnected", test_unconnected },
	{ "arg_checks", test_arg_checks },
	{ "refused", test_refused },
	{ "echo", test_echo },
	{ "flow_control", test_flow_control },
	{ "device_close", test_device_close },
	{ "mgmt", test_mgmt_cores },
	{ "log", test_log },
	{ "file", test_file },
	{ "uring", test_uring },
	{ "sessions", test_sessions },
	{ "kill", test_kill },
	{ "reset", test_reset },
};

/* Whether @name is in the comma-separated @only (NULL: everything is). */
static int selected(const char *only, const char *name)
{
	size_t n = strlen(name);
	const char *p;

	if (!only)
		return 1;
	for (p = only; p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL)
		if (!strncmp(p, name, n) && (p[n] == ',' || !p[n]))
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	const char *only = NULL;
	size_t i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	if (argc < 3) {
		fprintf(stderr, "usage: %s all DEV AICORES | fwlist DEV\n", argv[0]);
		return 2;
	}
	dev_id = strtoul(argv[2], NULL, 0);
	slot_payload = read_slot_payload();
	if (!strcmp(argv[1], "fwlist")) {
		test_fwlist();
		return tap_done();
	}
	if (strcmp(argv[1], "all") || argc < 4) {
		fprintf(stderr, "usage: %s all DEV AICORES | fwlist DEV\n", argv[0]);
		return 2;
	}
	aicores = strtoul(argv[3], NULL, 0);
	/* A comma-separated list of test names runs only those, in order. */
	if (argc > 4)
		only = argv[4];

	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
		if (selected(only, tests[i].name))
			tests[i].fn();
	return tap_done();
}

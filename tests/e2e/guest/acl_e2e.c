// SPDX-License-Identifier: MIT
/*
 * acl_e2e: every runtime API's success path on the real device, in the VM,
 * through the real libascendcl, libascend_hal and driver. TAP.
 *
 *   acl_e2e AICORES HBM_BYTES SOC [CARDS]
 *
 * Card 0 has AICORES AI Cores, HBM_BYTES of HBM and SoC SOC; CARDS (default
 * 1) cards are present (with two, device-to-device copies between them).
 * Covers aclInit with a JSON config, devices, run mode, SoC name, contexts
 * per thread (the implicit default context), streams, events (record,
 * synchronize, query, elapsed time, aclrtStreamWaitEvent across streams),
 * every allocation policy, aclrtMemcpy/aclrtMemcpyAsync of every kind from
 * pageable, pinned and small buffers with destMax checks, aclrtMemset(Async),
 * aclrtGetMemInfo, callbacks with a report thread, aclGetRecentErrMsg,
 * several threads each with their own context and stream, ordering on one
 * stream, the log file under ASCEND_PROCESS_LOG_PATH, and what npu-smi
 * shows about the card and this process.
 */
#include <dirent.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "acl/acl.h"
#include "tap.h"

#define MiB (1024u * 1024u)
#define LOG_DIR "/tmp/acl_e2e_log"
#define CONFIG "/tmp/acl_e2e_config.json"
#define THREADS 4

static unsigned int want_aicores, n_cards = 1;
static unsigned long long want_hbm;
static const char *want_soc;

#define OK(call, ...) TAP_CHECK((call) == ACL_SUCCESS, __VA_ARGS__)

static void fill(uint8_t *p, size_t n, unsigned int seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)(i * 131 + seed + (i >> 12));
}

static int same(const uint8_t *p, size_t n, unsigned int seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != (uint8_t)(i * 131 + seed + (i >> 12)))
			return 0;
	return 1;
}

static int all_bytes(const uint8_t *p, size_t n, uint8_t v)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] != v)
			return 0;
	return 1;
}

/* ---- init, devices, run mode ---- */

static void init_and_devices(aclrtContext *main_ctx)
{
	int32_t major = 0, minor = 0, patch = 0, dev = -1;
	aclrtRunMode mode = ACL_DEVICE;
	const char *soc;
	uint32_t count = 0;
	FILE *f;

	/* CANN reads these at aclInit */
	setenv("ASCEND_PROCESS_LOG_PATH", LOG_DIR, 1);
	setenv("ASCEND_GLOBAL_LOG_LEVEL", "1", 1);
	f = fopen(CONFIG, "w");
	if (f) {
		fputs("{\n  \"err_msg_mode\": \"1\",\n  \"dump\": { \"dump_list\": [] }\n}\n", f);
		fclose(f);
	}
	OK(aclInit(CONFIG), "aclInit with a JSON config file");
	TAP_CHECK(aclInit(NULL) == ACL_ERROR_REPEAT_INITIALIZE, "aclInit twice: REPEAT_INITIALIZE");
	OK(aclrtGetVersion(&major, &minor, &patch), "aclrtGetVersion: %d.%d.%d", major, minor,
	   patch);
	OK(aclrtGetRunMode(&mode), "aclrtGetRunMode");
	TAP_CHECK(mode == ACL_HOST, "the run mode is ACL_HOST");
	OK(aclrtGetDeviceCount(&count), "aclrtGetDeviceCount");
	TAP_CHECK(count == n_cards, "%u device(s), as QEMU was given (%u)", count, n_cards);
	soc = aclrtGetSocName();
	TAP_CHECK(soc && !strcmp(soc, want_soc), "aclrtGetSocName before any device: %s",
		  soc ? soc : "(null)");
	TAP_CHECK(aclrtGetDevice(&dev) == ACL_ERROR_RT_CONTEXT_NULL,
		  "no current device before aclrtSetDevice");
	OK(aclrtSetDevice(0), "aclrtSetDevice(0)");
	OK(aclrtGetDevice(&dev), "aclrtGetDevice");
	TAP_CHECK(dev == 0, "the current device is 0");
	OK(aclrtGetCurrentContext(main_ctx), "aclrtSetDevice made an implicit context current");
	OK(aclrtSetDevice(0), "aclrtSetDevice(0) again (counted)");
	OK(aclrtResetDevice(0), "one aclrtResetDevice leaves the device set");
	OK(aclrtGetDevice(&dev), "still a current device");
	soc = aclrtGetSocName();
	TAP_CHECK(soc && !strcmp(soc, want_soc), "aclrtGetSocName: %s", soc ? soc : "(null)");
}

/* ---- memory ---- */

static void mem_info(void)
{
	size_t free0 = 0, total = 0, free1 = 0, ddr_free = 1, ddr_total = 1;
	void *p = NULL;

	OK(aclrtGetMemInfo(ACL_HBM_MEM, &free0, &total), "aclrtGetMemInfo(ACL_HBM_MEM)");
	TAP_CHECK(total == want_hbm && free0 <= total,
		  "HBM total %zu is the card's %llu, free %zu", total, want_hbm, free0);
	OK(aclrtMalloc(&p, 8 * MiB, ACL_MEM_MALLOC_HUGE_FIRST), "aclrtMalloc 8 MiB");
	OK(aclrtGetMemInfo(ACL_HBM_MEM_NORMAL, &free1, &total), "aclrtGetMemInfo(ACL_HBM_MEM_NORMAL)");
	TAP_CHECK(free0 - free1 >= 8 * MiB && free0 - free1 < 12 * MiB,
		  "free HBM went down by the allocation (%zu bytes)", free0 - free1);
	OK(aclrtGetMemInfo(ACL_DDR_MEM, &ddr_free, &ddr_total), "aclrtGetMemInfo(ACL_DDR_MEM)");
	TAP_CHECK(!ddr_free && !ddr_total, "the card has no DDR: 0 of 0");
	OK(aclrtFree(p), "aclrtFree");
	/* a freed device pointer is no host memory: refused, not touched */
	TAP_CHECK(aclrtMemset(p, 8 * MiB, 0, 4096) == ACL_ERROR_RT_PARAM_INVALID,
		  "aclrtMemset of the freed pointer: ACL_ERROR_RT_PARAM_INVALID");
	TAP_CHECK(aclrtMemcpy(&ddr_free, sizeof(ddr_free), p, sizeof(ddr_free), ACL_MEMCPY_DEFAULT) ==
		  ACL_ERROR_RT_PARAM_INVALID, "a DEFAULT copy from it: ACL_ERROR_RT_PARAM_INVALID");
	OK(aclrtGetMemInfo(ACL_HBM_MEM, &free1, &total), "aclrtGetMemInfo after the free");
	TAP_CHECK(free1 == free0, "the free gave it back (%zu == %zu)", free1, free0);
}

static void policies(void)
{
	static const struct {
		aclrtMemMallocPolicy p;
		const char *name;
	} pol[] = {
		{ ACL_MEM_MALLOC_HUGE_FIRST, "HUGE_FIRST" },
		{ ACL_MEM_MALLOC_HUGE_ONLY, "HUGE_ONLY" },
		{ ACL_MEM_MALLOC_NORMAL_ONLY, "NORMAL_ONLY" },
		{ ACL_MEM_MALLOC_HUGE_FIRST_P2P, "HUGE_FIRST_P2P" },
		{ ACL_MEM_MALLOC_HUGE_ONLY_P2P, "HUGE_ONLY_P2P" },
		{ ACL_MEM_MALLOC_NORMAL_ONLY_P2P, "NORMAL_ONLY_P2P" },
	};
	size_t n = 3 * MiB + 77, i;
	uint8_t *a = malloc(n), *b = malloc(n);
	void *d = NULL;

	for (i = 0; i < sizeof(pol) / sizeof(pol[0]); i++) {
		d = NULL;
		fill(a, n, (unsigned int)i);
		memset(b, 0, n);
		OK(aclrtMalloc(&d, n, pol[i].p), "aclrtMalloc %zu bytes, ACL_MEM_MALLOC_%s", n,
		   pol[i].name);
		TAP_CHECK(d && aclrtMemcpy(d, n, a, n, ACL_MEMCPY_HOST_TO_DEVICE) == ACL_SUCCESS &&
			  aclrtMemcpy(b, n, d, n, ACL_MEMCPY_DEVICE_TO_HOST) == ACL_SUCCESS &&
			  same(b, n, (unsigned int)i),
			  "%s memory holds what was copied in", pol[i].name);
		OK(aclrtFree(d), "aclrtFree (%s)", pol[i].name);
	}
	OK(aclrtMallocAlign32(&d, 1000, ACL_MEM_MALLOC_HUGE_FIRST), "aclrtMallocAlign32");
	TAP_CHECK(((uintptr_t)d & 31) == 0, "32-byte aligned");
	OK(aclrtFree(d), "free it");
	OK(aclrtMallocCached(&d, 1000, ACL_MEM_MALLOC_HUGE_FIRST), "aclrtMallocCached");
	OK(aclrtFree(d), "free it");
	free(a);
	free(b);
}

/* Every kind of aclrtMemcpy for @n bytes from/to host buffers @h1 / @h2 (pageable or pinned). */
static void memcpy_kinds(const char *what, uint8_t *h1, uint8_t *h2, size_t n, unsigned int seed)
{
	void *d1 = NULL, *d2 = NULL;

	if (aclrtMalloc(&d1, n, ACL_MEM_MALLOC_HUGE_FIRST) ||
	    aclrtMalloc(&d2, n, ACL_MEM_MALLOC_HUGE_FIRST)) {
		TAP_CHECK(0, "%s: two device buffers of %zu bytes", what, n);
		return;
	}
	fill(h1, n, seed);
	memset(h2, 0, n);
	OK(aclrtMemcpy(h2, n, h1, n, ACL_MEMCPY_HOST_TO_HOST), "%s H2H", what);
	TAP_CHECK(same(h2, n, seed), "%s H2H data", what);
	memset(h2, 0, n);
	OK(aclrtMemcpy(d1, n, h1, n, ACL_MEMCPY_HOST_TO_DEVICE), "%s H2D", what);
	OK(aclrtMemcpy(d2, n, d1, n, ACL_MEMCPY_DEVICE_TO_DEVICE), "%s D2D", what);
	OK(aclrtMemcpy(h2, n, d2, n, ACL_MEMCPY_DEVICE_TO_HOST), "%s D2H", what);
	TAP_CHECK(same(h2, n, seed), "%s H2D, D2D, D2H bring the data back", what);

	fill(h1, n, seed + 1);
	memset(h2, 0, n);
	OK(aclrtMemcpy(d1, n, h1, n, ACL_MEMCPY_HOST_TO_BUF_TO_DEVICE), "%s HOST_TO_BUF_TO_DEVICE",
	   what);
	OK(aclrtMemcpy(d2, n, d1, n, ACL_MEMCPY_INNER_DEVICE_TO_DEVICE), "%s INNER_DEVICE_TO_DEVICE",
	   what);
	OK(aclrtMemcpy(h2, n, d2, n, ACL_MEMCPY_DEFAULT), "%s DEFAULT (device to host)", what);
	TAP_CHECK(same(h2, n, seed + 1), "%s data through the other kinds", what);

	fill(h1, n, seed + 2);
	memset(h2, 0, n);
	OK(aclrtMemcpy(d1, n, h1, n, ACL_MEMCPY_DEFAULT), "%s DEFAULT (host to device)", what);
	OK(aclrtMemcpy(d2, n, d1, n, ACL_MEMCPY_DEFAULT), "%s DEFAULT (device to device)", what);
	OK(aclrtMemcpy(h2, n, d2, n, ACL_MEMCPY_DEVICE_TO_HOST), "%s D2H", what);
	TAP_CHECK(same(h2, n, seed + 2), "%s data through DEFAULT", what);

	/* destMax is checked before anything moves */
	memset(h2, 0x5a, n);
	TAP_CHECK(aclrtMemcpy(h2, n - 1, d2, n, ACL_MEMCPY_DEVICE_TO_HOST) ==
		  ACL_ERROR_RT_PARAM_INVALID && all_bytes(h2, n, 0x5a),
		  "%s count > destMax: ACL_ERROR_RT_PARAM_INVALID, nothing copied", what);
	TAP_CHECK(aclrtMemcpy(d1, n - 1, h1, n, ACL_MEMCPY_HOST_TO_DEVICE) ==
		  ACL_ERROR_RT_PARAM_INVALID, "%s H2D count > destMax refused", what);
	/* a copy into the middle of an allocation, part of it */
	memset(h2, 0, n);
	OK(aclrtMemcpy((uint8_t *)d1 + n / 2, n - n / 2, h1, n - n / 2, ACL_MEMCPY_HOST_TO_DEVICE),
	   "%s H2D to an interior pointer", what);
	OK(aclrtMemcpy(h2, n, (uint8_t *)d1 + n / 2, n - n / 2, ACL_MEMCPY_DEVICE_TO_HOST),
	   "%s D2H from it", what);
	TAP_CHECK(same(h2, n - n / 2, seed + 2), "%s interior data", what);
	aclrtFree(d1);
	aclrtFree(d2);
}

/* A device-to-device copy within one allocation moves like memmove, both ways. */
static void overlapping(void)
{
	size_t n = 4 * MiB, len = 3 * MiB, dist = 64 * 1024 + 8;
	uint8_t *h = malloc(n), *want = malloc(n);
	uint8_t *d = NULL;

	if (aclrtMalloc((void **)&d, n, ACL_MEM_MALLOC_HUGE_FIRST)) {
		TAP_CHECK(0, "4 MiB for the overlapping copies");
		return;
	}
	fill(want, n, 61);
	aclrtMemcpy(d, n, want, n, ACL_MEMCPY_HOST_TO_DEVICE);
	OK(aclrtMemcpy(d + dist, n - dist, d, len, ACL_MEMCPY_DEVICE_TO_DEVICE),
	   "D2D onto an overlapping range higher up");
	memmove(want + dist, want, len);
	aclrtMemcpy(h, n, d, n, ACL_MEMCPY_DEVICE_TO_HOST);
	TAP_CHECK(!memcmp(h, want, n), "the card moved it as memmove does");
	OK(aclrtMemcpy(d, n, d + dist + 5, len, ACL_MEMCPY_DEVICE_TO_DEVICE),
	   "D2D onto an overlapping range lower down");
	memmove(want, want + dist + 5, len);
	aclrtMemcpy(h, n, d, n, ACL_MEMCPY_DEVICE_TO_HOST);
	TAP_CHECK(!memcmp(h, want, n), "moved as memmove does");
	aclrtFree(d);
	free(h);
	free(want);
}

static void copies(void)
{
	size_t big = 8 * MiB + 3, small = 4099;
	uint8_t *a = malloc(big), *b = malloc(big);
	void *pa = NULL, *pb = NULL;
	const char *msg;

	memcpy_kinds("pageable 4099 B:", a, b, small, 1);
	memcpy_kinds("pageable 8 MiB+3:", a, b, big, 2);
	OK(aclrtMallocHost(&pa, big), "aclrtMallocHost 8 MiB+3");
	OK(aclrtMallocHost(&pb, big), "aclrtMallocHost again");
	if (pa && pb)
		memcpy_kinds("pinned 8 MiB+3:", pa, pb, big, 3);
	/* aclGetRecentErrMsg: the last failure of this thread (destMax above), then nothing */
	aclrtMemcpy(b, 10, a, 11, ACL_MEMCPY_HOST_TO_HOST);
	msg = aclGetRecentErrMsg();
	TAP_CHECK(msg && strstr(msg, "aclrtMemcpy") && strstr(msg, "destMax"),
		  "aclGetRecentErrMsg names the call and the cause: %s", msg ? msg : "(null)");
	TAP_CHECK(aclGetRecentErrMsg() == NULL, "read once, the message is gone");
	OK(aclrtFreeHost(pa), "aclrtFreeHost");
	OK(aclrtFreeHost(pb), "aclrtFreeHost");
	free(a);
	free(b);
}

/*
 * free() of a large malloc'd buffer the runtime pinned for a copy: glibc
 * munmaps the chunk, and the kernel's notice of that spans the 2 MiB around
 * its end, where the bounce buffer may start. Copies through the bounce
 * buffer after it must still work (each size's chunk lands elsewhere).
 */
static void free_after_copy(void)
{
	static const size_t sizes[] = { 4000000, 3 * MiB + 5, 6 * MiB + 1, 4000000 };
	uint8_t small[1000], back[1000];
	bool ok = true, data = true;
	void *d = NULL, *d2 = NULL;
	const char *msg;
	unsigned int i;

	if (aclrtMalloc(&d, 6 * MiB + 1, ACL_MEM_MALLOC_HUGE_FIRST) ||
	    aclrtMalloc(&d2, sizeof(small), ACL_MEM_MALLOC_HUGE_FIRST)) {
		TAP_CHECK(0, "free after copy: device buffers");
		return;
	}
	fill(small, sizeof(small), 40);
	/* the bounce buffer exists before the large buffers */
	ok = !aclrtMemcpy(d2, sizeof(small), small, sizeof(small), ACL_MEMCPY_HOST_TO_DEVICE);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]) && ok; i++) {
		uint8_t *h = malloc(sizes[i]);

		if (!h) {
			ok = false;
			break;
		}
		fill(h, sizes[i], 41 + i);
		ok = !aclrtMemcpy(d, sizes[i], h, sizes[i], ACL_MEMCPY_HOST_TO_DEVICE);
		free(h);
		fill(small, sizeof(small), 50 + i);
		memset(back, 0, sizeof(back));
		ok = ok && !aclrtMemcpy(d2, sizeof(small), small, sizeof(small),
					ACL_MEMCPY_HOST_TO_DEVICE) &&
		     !aclrtMemcpy(back, sizeof(back), d2, sizeof(back), ACL_MEMCPY_DEVICE_TO_HOST);
		data = data && same(back, sizeof(back), 50 + i);
	}
	msg = ok ? "" : aclGetRecentErrMsg();
	TAP_CHECK(ok, "small copies after free() of large buffers copied from (%u of %zu rounds) %s",
		  i, sizeof(sizes) / sizeof(sizes[0]), msg ? msg : "");
	TAP_CHECK(ok && data, "small copies after free() of large buffers carry the data");
	aclrtFree(d);
	aclrtFree(d2);
}

static void memsets(void)
{
	size_t n = 5 * MiB + 1;
	uint8_t *h = malloc(n);
	aclrtStream s = NULL;
	void *d = NULL;

	OK(aclrtMalloc(&d, n, ACL_MEM_MALLOC_HUGE_FIRST), "aclrtMalloc for memset");
	OK(aclrtMemset(d, n, 0xa5, n), "aclrtMemset 5 MiB+1 to 0xa5");
	memset(h, 0, n);
	aclrtMemcpy(h, n, d, n, ACL_MEMCPY_DEVICE_TO_HOST);
	TAP_CHECK(all_bytes(h, n, 0xa5), "the device memory reads 0xa5");
	OK(aclrtMemset(d, n, 0x1ff, 100), "aclrtMemset the first 100 bytes with 0x1ff");
	aclrtMemcpy(h, n, d, n, ACL_MEMCPY_DEVICE_TO_HOST);
	TAP_CHECK(all_bytes(h, 100, 0xff) && all_bytes(h + 100, n - 100, 0xa5),
		  "only the low byte, only 100 bytes");
	TAP_CHECK(aclrtMemset(d, 10, 0, 11) == ACL_ERROR_RT_PARAM_INVALID,
		  "count > maxCount: ACL_ERROR_RT_PARAM_INVALID");
	OK(aclrtCreateStream(&s), "a stream for aclrtMemsetAsync");
	OK(aclrtMemsetAsync(d, n, 0x3c, n, s), "aclrtMemsetAsync");
	OK(aclrtSynchronizeStream(s), "synchronize");
	aclrtMemcpy(h, n, d, n, ACL_MEMCPY_DEVICE_TO_HOST);
	TAP_CHECK(all_bytes(h, n, 0x3c), "the device memory reads 0x3c");
	OK(aclrtMemset(h, n, 0x11, n), "aclrtMemset of host memory");
	TAP_CHECK(all_bytes(h, n, 0x11), "host memory set");
	aclrtDestroyStream(s);
	aclrtFree(d);
	free(h);
}

/* ---- asynchronous copies, streams, events ---- */

static void async_copies(void)
{
	size_t n = 6 * MiB + 5, small = 3000;
	uint8_t *a = malloc(n), *b = malloc(n), *c = malloc(n);
	void *d1 = NULL, *d2 = NULL, *pin = NULL;
	aclrtStreamStatus st = ACL_STREAM_STATUS_RESERVED;
	aclrtStream s = NULL, s2 = NULL;

	OK(aclrtCreateStream(&s), "aclrtCreateStream");
	OK(aclrtCreateStreamWithConfig(&s2, 0, ACL_STREAM_FAST_LAUNCH), "aclrtCreateStreamWithConfig");
	aclrtMalloc(&d1, n, ACL_MEM_MALLOC_HUGE_FIRST);
	aclrtMalloc(&d2, n, ACL_MEM_MALLOC_HUGE_FIRST);
	aclrtMallocHost(&pin, n);
	fill(a, n, 7);
	memset(b, 0, n);
	memset(c, 0, n);
	OK(aclrtMemcpyAsync(d1, n, a, n, ACL_MEMCPY_HOST_TO_DEVICE, s), "async H2D (pageable, pinned on the fly)");
	OK(aclrtMemcpyAsync(d2, n, d1, n, ACL_MEMCPY_DEVICE_TO_DEVICE, s), "async D2D");
	OK(aclrtMemcpyAsync(b, n, d2, n, ACL_MEMCPY_DEVICE_TO_HOST, s), "async D2H (pageable)");
	OK(aclrtMemcpyAsync(pin, n, d2, n, ACL_MEMCPY_DEFAULT, s), "async DEFAULT D2H into pinned");
	OK(aclrtMemcpyAsync(c, n, pin, n, ACL_MEMCPY_HOST_TO_HOST, s), "async H2H, in stream order");
	OK(aclrtSynchronizeStream(s), "aclrtSynchronizeStream");
	TAP_CHECK(same(b, n, 7) && same(pin, n, 7) && same(c, n, 7),
		  "the data went H2D, D2D, D2H, D2H (pinned), H2H in order");
	OK(aclrtStreamQuery(s, &st), "aclrtStreamQuery");
	TAP_CHECK(st == ACL_STREAM_STATUS_COMPLETE, "an idle stream is complete");

	/* small ones go through staging buffers */
	fill(a, small, 9);
	memset(b, 0, small);
	OK(aclrtMemcpyAsync(d1, n, a, small, ACL_MEMCPY_HOST_TO_DEVICE, s2), "small async H2D");
	memset(a, 0, small);	/* the runtime took the data at the call */
	OK(aclrtMemcpyAsync(b, n, d1, small, ACL_MEMCPY_DEVICE_TO_HOST, s2), "small async D2H");
	OK(aclrtSynchronizeStreamWithTimeout(s2, 10000), "aclrtSynchronizeStreamWithTimeout");
	TAP_CHECK(same(b, small, 9), "small async copies: the data arrived at the synchronize");
	TAP_CHECK(aclrtMemcpyAsync(b, small - 1, d1, small, ACL_MEMCPY_DEVICE_TO_HOST, s2) ==
		  ACL_ERROR_RT_PARAM_INVALID, "async count > destMax refused");
	/* the default stream (NULL) */
	fill(a, small, 11);
	OK(aclrtMemcpyAsync(d1, n, a, small, ACL_MEMCPY_HOST_TO_DEVICE, NULL),
	   "async H2D on the default stream");
	OK(aclrtMemcpyAsync(b, n, d1, small, ACL_MEMCPY_DEVICE_TO_HOST, NULL), "and back");
	OK(aclrtSynchronizeStream(NULL), "synchronize the default stream");
	TAP_CHECK(same(b, small, 11), "the default stream carried them");
	/* the remaining kinds, asynchronously */
	fill(a, n, 13);
	memset(b, 0, n);
	OK(aclrtMemcpyAsync(d1, n, a, n, ACL_MEMCPY_HOST_TO_BUF_TO_DEVICE, s),
	   "async HOST_TO_BUF_TO_DEVICE");
	OK(aclrtMemcpyAsync(d2, n, d1, n, ACL_MEMCPY_INNER_DEVICE_TO_DEVICE, s),
	   "async INNER_DEVICE_TO_DEVICE");
	OK(aclrtMemcpyAsync(b, n, d2, n, ACL_MEMCPY_DEVICE_TO_HOST, s), "async D2H");
	OK(aclrtSynchronizeStream(s), "synchronize");
	TAP_CHECK(same(b, n, 13), "the data went through them");
	OK(aclrtSynchronizeDevice(), "aclrtSynchronizeDevice");
	OK(aclrtDestroyStream(s), "aclrtDestroyStream");
	OK(aclrtDestroyStream(s2), "aclrtDestroyStream (with config)");
	s2 = NULL;
	OK(aclrtCreateStream(&s2), "another stream");
	OK(aclrtMemsetAsync(d1, n, 0, n, s2), "work on it");
	OK(aclrtDestroyStreamForce(s2), "aclrtDestroyStreamForce");
	aclrtFreeHost(pin);
	aclrtFree(d1);
	aclrtFree(d2);
	free(a);
	free(b);
	free(c);
}

/* Several tasks on one stream run in submission order. */
static void stream_order(void)
{
	size_t n = 4 * MiB;
	void *x = NULL, *y = NULL, *z = NULL;
	uint8_t *h = malloc(n);
	aclrtStream s = NULL;
	int i, ok = 1;

	aclrtCreateStream(&s);
	aclrtMalloc(&x, n, ACL_MEM_MALLOC_HUGE_FIRST);
	aclrtMalloc(&y, n, ACL_MEM_MALLOC_HUGE_FIRST);
	aclrtMalloc(&z, n, ACL_MEM_MALLOC_HUGE_FIRST);
	for (i = 0; i < 8; i++) {
		ok &= !aclrtMemsetAsync(x, n, 1 + i, n, s);
		ok &= !aclrtMemcpyAsync(y, n, x, n, ACL_MEMCPY_DEVICE_TO_DEVICE, s);
		ok &= !aclrtMemsetAsync(x, n, 0x80 + i, n, s);
		ok &= !aclrtMemcpyAsync(z, n, x, n, ACL_MEMCPY_DEVICE_TO_DEVICE, s);
	}
	TAP_CHECK(ok, "32 memset/memcpy tasks queued on one stream");
	OK(aclrtSynchronizeStream(s), "and run");
	aclrtMemcpy(h, n, y, n, ACL_MEMCPY_DEVICE_TO_HOST);
	ok = all_bytes(h, n, 8);
	aclrtMemcpy(h, n, z, n, ACL_MEMCPY_DEVICE_TO_HOST);
	TAP_CHECK(ok && all_bytes(h, n, 0x87), "each copy saw the memset queued right before it");
	aclrtDestroyStream(s);
	aclrtFree(x);
	aclrtFree(y);
	aclrtFree(z);
	free(h);
}

static void events(void)
{
	size_t n = 16 * MiB;
	aclrtEventRecordedStatus rs = ACL_EVENT_RECORDED_STATUS_NOT_READY;
	aclrtEventStatus es = ACL_EVENT_STATUS_RESERVED;
	aclrtEvent e0 = NULL, e1 = NULL, e2 = NULL;
	aclrtStream a = NULL, b = NULL;
	void *x = NULL, *y = NULL, *pin = NULL;
	uint8_t *h = malloc(n);
	float ms = -1;
	int round, ok = 1;

	OK(aclrtCreateEvent(&e0), "aclrtCreateEvent");
	OK(aclrtCreateEventWithFlag(&e1, ACL_EVENT_TIME_LINE), "aclrtCreateEventWithFlag(TIME_LINE)");
	OK(aclrtCreateEventWithFlag(&e2, ACL_EVENT_SYNC), "aclrtCreateEventWithFlag(SYNC)");
	aclrtCreateStream(&a);
	aclrtCreateStream(&b);
	aclrtMalloc(&x, n, ACL_MEM_MALLOC_HUGE_FIRST);
	aclrtMalloc(&y, n, ACL_MEM_MALLOC_HUGE_FIRST);
	aclrtMallocHost(&pin, n);
	fill(pin, n, 21);

	/* elapsed time around a 16 MiB copy */
	OK(aclrtRecordEvent(e0, a), "aclrtRecordEvent (start)");
	aclrtMemcpyAsync(x, n, pin, n, ACL_MEMCPY_HOST_TO_DEVICE, a);
	OK(aclrtRecordEvent(e1, a), "aclrtRecordEvent (end)");
	OK(aclrtSynchronizeEvent(e1), "aclrtSynchronizeEvent");
	OK(aclrtQueryEventStatus(e1, &rs), "aclrtQueryEventStatus");
	TAP_CHECK(rs == ACL_EVENT_RECORDED_STATUS_COMPLETE, "the event is complete");
	/* deprecated in CANN, still offered: programs use it */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
	OK(aclrtQueryEvent(e0, &es), "aclrtQueryEvent");
#pragma GCC diagnostic pop
	TAP_CHECK(es == ACL_EVENT_STATUS_COMPLETE, "so is the start event");
	OK(aclrtEventElapsedTime(&ms, e0, e1), "aclrtEventElapsedTime");
	TAP_CHECK(ms > 0 && ms < 10000, "a 16 MiB copy took %.3f ms on the device clock", ms);
	OK(aclrtSynchronizeEventWithTimeout(e0, 1000), "aclrtSynchronizeEventWithTimeout");

	/*
	 * Across streams: b waits for a's copy before reading x. Without the
	 * wait, b's D2D would often see x's previous contents (a is busy with
	 * a 16 MiB copy when b is submitted).
	 */
	for (round = 0; round < 4; round++) {
		fill(pin, n, 30 + round);
		ok &= !aclrtMemsetAsync(x, n, 0, n, a);
		ok &= !aclrtMemcpyAsync(x, n, pin, n, ACL_MEMCPY_HOST_TO_DEVICE, a);
		ok &= !aclrtRecordEvent(e2, a);
		ok &= !aclrtStreamWaitEvent(b, e2);
		ok &= !aclrtMemcpyAsync(y, n, x, n, ACL_MEMCPY_DEVICE_TO_DEVICE, b);
		ok &= !aclrtSynchronizeStream(b);
		aclrtMemcpy(h, n, y, n, ACL_MEMCPY_DEVICE_TO_HOST);
		ok &= same(h, n, 30 + round);
		ok &= !aclrtResetEvent(e2, a);
	}
	TAP_CHECK(ok, "aclrtStreamWaitEvent: 4 rounds, stream b's copy always saw stream a's data");
	OK(aclrtSynchronizeStream(a), "synchronize a");
	OK(aclrtDestroyEvent(e0), "aclrtDestroyEvent");
	aclrtDestroyEvent(e1);
	aclrtDestroyEvent(e2);
	aclrtDestroyStream(a);
	aclrtDestroyStream(b);
	aclrtFree(x);
	aclrtFree(y);
	aclrtFreeHost(pin);
	free(h);
}

/* ---- callbacks ---- */

static atomic_bool report_stop;
static atomic_int cb_order[4], cb_count;
static pthread_t report_tid;

static void *report_thread(void *arg)
{
	aclrtContext ctx = arg;

	aclrtSetCurrentContext(ctx);
	while (!atomic_load(&report_stop))
		if (aclrtProcessReport(100) == ACL_ERROR_THREAD_NOT_SUBSCRIBE)
			usleep(1000);	/* before the subscription and after it */
	return NULL;
}

static void cb_record(void *data)
{
	int slot = atomic_fetch_add(&cb_count, 1);

	if (slot < 4)
		atomic_store(&cb_order[slot], (int)(intptr_t)data);
}

static void cb_write(void *data)
{
	/* a blocking callback: the stream's next copy must read this */
	usleep(20000);
	memset(data, 0x77, 4096);
	cb_record((void *)(intptr_t)3);
}

static void callbacks(aclrtContext ctx)
{
	aclrtStream s = NULL;
	void *pin = NULL, *d = NULL;
	uint8_t *h = malloc(4096);

	aclrtCreateStream(&s);
	aclrtMallocHost(&pin, 4096);
	aclrtMalloc(&d, 4096, ACL_MEM_MALLOC_HUGE_FIRST);
	memset(pin, 0, 4096);
	atomic_store(&report_stop, false);
	if (pthread_create(&report_tid, NULL, report_thread, ctx)) {
		TAP_CHECK(0, "a report thread");
		return;
	}
	OK(aclrtSubscribeReport((uint64_t)report_tid, s), "aclrtSubscribeReport");
	OK(aclrtLaunchCallback(cb_record, (void *)(intptr_t)1, ACL_CALLBACK_NO_BLOCK, s),
	   "aclrtLaunchCallback (no block)");
	OK(aclrtLaunchCallback(cb_record, (void *)(intptr_t)2, ACL_CALLBACK_BLOCK, s),
	   "aclrtLaunchCallback (block)");
	OK(aclrtLaunchCallback(cb_write, pin, ACL_CALLBACK_BLOCK, s),
	   "aclrtLaunchCallback (block, writes a pinned buffer)");
	aclrtMemcpyAsync(d, 4096, pin, 4096, ACL_MEMCPY_HOST_TO_DEVICE, s);
	aclrtMemcpyAsync(h, 4096, d, 4096, ACL_MEMCPY_DEVICE_TO_HOST, s);
	OK(aclrtSynchronizeStream(s), "synchronize the stream with callbacks");
	TAP_CHECK(all_bytes(h, 4096, 0x77),
		  "the copy after a blocking callback read what the callback wrote");
	TAP_CHECK(atomic_load(&cb_count) == 3 && cb_order[0] == 1 && cb_order[1] == 2 &&
		  cb_order[2] == 3, "three callbacks ran on the report thread, in order (%d: %d %d %d)",
		  atomic_load(&cb_count), cb_order[0], cb_order[1], cb_order[2]);
	OK(aclrtUnSubscribeReport((uint64_t)report_tid, s), "aclrtUnSubscribeReport");
	atomic_store(&report_stop, true);
	pthread_join(report_tid, NULL);
	aclrtDestroyStream(s);
	aclrtFreeHost(pin);
	aclrtFree(d);
	free(h);
}

/*
 * Work that cannot finish yet: a blocking callback nobody processes holds
 * the stream, so every query and timed wait must say "not yet" until this
 * thread runs it.
 */
static void not_ready(void)
{
	aclrtEventRecordedStatus rs = ACL_EVENT_RECORDED_STATUS_COMPLETE;
	aclrtStreamStatus ss = ACL_STREAM_STATUS_COMPLETE;
	uint64_t me = (uint64_t)pthread_self();
	aclrtEvent e = NULL, ex = NULL, n0 = NULL, n2 = NULL;
	aclrtStream s = NULL, s2 = NULL;
	float ms = -1;
	aclError ret;

	atomic_store(&cb_count, 0);
	aclrtCreateStream(&s);
	aclrtCreateEvent(&e);
	OK(aclrtSubscribeReport(me, s), "subscribe this thread");
	OK(aclrtLaunchCallback(cb_record, (void *)(intptr_t)5, ACL_CALLBACK_BLOCK, s),
	   "a blocking callback, not processed yet");
	OK(aclrtRecordEvent(e, s), "an event after it");
	/* an event destroyed with its record queued: its slot is not handed on early */
	aclrtCreateStream(&s2);
	OK(aclrtCreateEvent(&ex), "one more event");
	OK(aclrtRecordEvent(ex, s), "recorded behind the callback too");
	OK(aclrtDestroyEvent(ex), "destroyed with its record queued");
	OK(aclrtCreateEvent(&n2), "a new event");
	OK(aclrtCreateEvent(&n0), "and another");
	OK(aclrtRecordEvent(n0, s2), "both recorded on another stream");
	OK(aclrtRecordEvent(n2, s2), "back to back");
	OK(aclrtSynchronizeStream(s2), "and complete");
	ret = aclrtEventElapsedTime(&ms, n0, n2);
	TAP_CHECK(ret == ACL_SUCCESS && ms >= 0 && ms < 50, "%.3f ms apart", ms);
	TAP_CHECK(aclrtSynchronizeStreamWithTimeout(s, 50) == ACL_ERROR_RT_STREAM_SYNC_TIMEOUT,
		  "aclrtSynchronizeStreamWithTimeout(50 ms): ACL_ERROR_RT_STREAM_SYNC_TIMEOUT");
	OK(aclrtStreamQuery(s, &ss), "aclrtStreamQuery");
	TAP_CHECK(ss == ACL_STREAM_STATUS_NOT_READY, "the stream is not ready");
	OK(aclrtQueryEventStatus(e, &rs), "aclrtQueryEventStatus");
	TAP_CHECK(rs == ACL_EVENT_RECORDED_STATUS_NOT_READY, "the event is not ready");
	TAP_CHECK(aclrtSynchronizeEventWithTimeout(e, 20) == ACL_ERROR_RT_EVENT_SYNC_TIMEOUT,
		  "aclrtSynchronizeEventWithTimeout(20 ms): ACL_ERROR_RT_EVENT_SYNC_TIMEOUT");
	usleep(100000);
	OK(aclrtProcessReport(2000), "aclrtProcessReport runs the callback");
	TAP_CHECK(atomic_load(&cb_count) == 1 && cb_order[0] == 5, "it ran, with its data");
	OK(aclrtSynchronizeEvent(e), "now the event completes");
	ms = -1;
	ret = aclrtEventElapsedTime(&ms, n0, n2);
	TAP_CHECK(ret == ACL_SUCCESS && ms >= 0 && ms < 50,
		  "the destroyed event's late record did not touch the new ones (%.3f ms apart)", ms);
	aclrtDestroyEvent(n0);
	aclrtDestroyEvent(n2);
	aclrtDestroyStream(s2);
	OK(aclrtStreamQuery(s, &ss), "aclrtStreamQuery");
	TAP_CHECK(ss == ACL_STREAM_STATUS_COMPLETE, "and the stream is complete");
	OK(aclrtUnSubscribeReport(me, s), "unsubscribe");
	aclrtDestroyEvent(e);
	aclrtDestroyStream(s);
}

/* aclFinalize gives everything back; aclInit starts again from nothing. */
static void reinit(void)
{
	size_t n = 1 * MiB + 1;
	uint8_t *a = malloc(n), *b = malloc(n);
	void *d = NULL;

	fill(a, n, 51);
	memset(b, 0, n);
	OK(aclInit(NULL), "aclInit again after aclFinalize");
	OK(aclrtSetDevice(0), "aclrtSetDevice");
	OK(aclrtMalloc(&d, n, ACL_MEM_MALLOC_HUGE_FIRST), "aclrtMalloc");
	TAP_CHECK(d && !aclrtMemcpy(d, n, a, n, ACL_MEMCPY_HOST_TO_DEVICE) &&
		  !aclrtMemcpy(b, n, d, n, ACL_MEMCPY_DEVICE_TO_HOST) && same(b, n, 51),
		  "a round trip works in the second life");
	OK(aclrtFree(d), "aclrtFree");
	OK(aclrtResetDevice(0), "aclrtResetDevice");
	OK(aclFinalize(), "aclFinalize");
	free(a);
	free(b);
}

/* ---- threads ---- */

struct worker {
	int idx;
	aclrtContext shared;	/* the main thread's default context */
	int ok_ctx_null, ok_create, ok_copies, ok_destroy, ok_shared;
};

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	size_t n = 1 * MiB + 13 * (size_t)w->idx;
	uint8_t *a = malloc(n), *b = malloc(n);
	aclrtContext ctx = NULL, cur = NULL;
	aclrtStream s = NULL;
	void *d = NULL;
	int32_t dev = -1;
	int i, ok = 1;

	/* a new thread has no current context: contexts are per thread */
	w->ok_ctx_null = aclrtGetDevice(&dev) == ACL_ERROR_RT_CONTEXT_NULL;
	w->ok_create = !aclrtCreateContext(&ctx, 0) && !aclrtGetCurrentContext(&cur) && cur == ctx &&
		       !aclrtCreateStream(&s) && !aclrtMalloc(&d, n, ACL_MEM_MALLOC_HUGE_FIRST);
	for (i = 0; i < 10 && w->ok_create; i++) {
		fill(a, n, (unsigned int)(w->idx * 16 + i));
		memset(b, 0, n);
		ok &= !aclrtMemcpyAsync(d, n, a, n, ACL_MEMCPY_HOST_TO_DEVICE, s);
		ok &= !aclrtMemcpyAsync(b, n, d, n, ACL_MEMCPY_DEVICE_TO_HOST, s);
		ok &= !aclrtSynchronizeStream(s);
		ok &= same(b, n, (unsigned int)(w->idx * 16 + i));
	}
	w->ok_copies = ok && w->ok_create;
	w->ok_destroy = !aclrtFree(d) && !aclrtDestroyStream(s) && !aclrtDestroyContext(ctx);
	/* the main thread's context can be shared */
	w->ok_shared = !aclrtSetCurrentContext(w->shared) && !aclrtGetDevice(&dev) && dev == 0 &&
		       !aclrtMemcpy(b, n, a, n, ACL_MEMCPY_HOST_TO_HOST);
	free(a);
	free(b);
	return NULL;
}

static void threads(aclrtContext main_ctx)
{
	struct worker w[THREADS];
	pthread_t t[THREADS];
	int i, started = 0, c0 = 1, c1 = 1, c2 = 1, c3 = 1, c4 = 1;

	for (i = 0; i < THREADS; i++) {
		memset(&w[i], 0, sizeof(w[i]));
		w[i].idx = i;
		w[i].shared = main_ctx;
		started += !pthread_create(&t[i], NULL, worker_main, &w[i]);
	}
	TAP_CHECK(started == THREADS, "%d threads started", THREADS);
	for (i = 0; i < started; i++) {
		pthread_join(t[i], NULL);
		c0 &= w[i].ok_ctx_null;
		c1 &= w[i].ok_create;
		c2 &= w[i].ok_copies;
		c3 &= w[i].ok_destroy;
		c4 &= w[i].ok_shared;
	}
	TAP_CHECK(c0, "threads: no current context in a new thread");
	TAP_CHECK(c1, "threads: each created its own context (made current), stream and memory");
	TAP_CHECK(c2, "threads: 10 async round trips each, concurrently, data intact");
	TAP_CHECK(c3, "threads: each freed its memory, stream and context");
	TAP_CHECK(c4, "threads: the main thread's context works in each thread too");
}

static void contexts(aclrtContext main_ctx)
{
	aclrtContext c = NULL, cur = NULL;
	int32_t dev = -1;

	OK(aclrtCreateContext(&c, 0), "aclrtCreateContext");
	OK(aclrtGetCurrentContext(&cur), "aclrtGetCurrentContext");
	TAP_CHECK(cur == c, "the new context is current");
	OK(aclrtGetDevice(&dev), "its device");
	TAP_CHECK(dev == 0, "device 0");
	OK(aclrtSetCurrentContext(main_ctx), "aclrtSetCurrentContext back to the default");
	OK(aclrtDestroyContext(c), "aclrtDestroyContext");
	OK(aclrtGetCurrentContext(&cur), "the default context is still current");
	TAP_CHECK(cur == main_ctx, "it is the same context");
}

/* Two cards: copies between them and each with its own memory. */
static void two_cards(void)
{
	size_t n = 2 * MiB + 9;
	uint8_t *a = malloc(n), *b = malloc(n);
	void *d0 = NULL, *d1 = NULL;
	int32_t dev = -1;

	fill(a, n, 41);
	memset(b, 0, n);
	aclrtMalloc(&d0, n, ACL_MEM_MALLOC_HUGE_FIRST);
	OK(aclrtSetDevice(1), "aclrtSetDevice(1)");
	OK(aclrtGetDevice(&dev), "aclrtGetDevice");
	TAP_CHECK(dev == 1, "device 1 is current");
	OK(aclrtMalloc(&d1, n, ACL_MEM_MALLOC_HUGE_FIRST), "memory on device 1");
	aclrtMemcpy(d0, n, a, n, ACL_MEMCPY_HOST_TO_DEVICE);
	OK(aclrtMemcpy(d1, n, d0, n, ACL_MEMCPY_INTER_DEVICE_TO_DEVICE),
	   "INTER_DEVICE_TO_DEVICE from card 0 to card 1");
	OK(aclrtMemcpy(b, n, d1, n, ACL_MEMCPY_DEVICE_TO_HOST), "D2H from card 1");
	TAP_CHECK(same(b, n, 41), "card 1 holds what card 0 had");
	{
		aclrtStream s = NULL;

		fill(a, n, 42);
		memset(b, 0, n);
		aclrtMemcpy(d1, n, a, n, ACL_MEMCPY_HOST_TO_DEVICE);
		OK(aclrtCreateStream(&s), "a stream on card 1");
		OK(aclrtMemcpyAsync(d0, n, d1, n, ACL_MEMCPY_INTER_DEVICE_TO_DEVICE, s),
		   "async INTER_DEVICE_TO_DEVICE from card 1 to card 0");
		OK(aclrtSynchronizeStream(s), "synchronize");
		aclrtMemcpy(b, n, d0, n, ACL_MEMCPY_DEVICE_TO_HOST);
		TAP_CHECK(same(b, n, 42), "card 0 holds what card 1 had");
		aclrtDestroyStream(s);
	}
	aclrtFree(d1);
	aclrtFree(d0);
	{
		/* more than one MEMCPY task can move (64 MiB): the copy is split */
		size_t big = 80 * MiB + 3;
		uint8_t *x = malloc(big), *y = malloc(big);
		void *db = NULL;

		if (x && y && !aclrtMalloc(&db, big, ACL_MEM_MALLOC_HUGE_FIRST)) {
			fill(x, big, 43);
			memset(y, 0, big);
			OK(aclrtMemcpy(db, big, x, big, ACL_MEMCPY_HOST_TO_DEVICE), "80 MiB+3 H2D");
			OK(aclrtMemcpy(y, big, db, big, ACL_MEMCPY_DEVICE_TO_HOST), "80 MiB+3 D2H");
			TAP_CHECK(same(y, big, 43), "80 MiB+3 came back intact");
			aclrtFree(db);
		} else {
			TAP_CHECK(0, "80 MiB on card 1 (it needs 128 MiB of HBM)");
		}
		free(x);
		free(y);
	}
	OK(aclrtResetDevice(1), "aclrtResetDevice(1)");
	TAP_CHECK(aclrtGetDevice(&dev) == ACL_ERROR_RT_CONTEXT_NULL,
		  "device 1's context went with it: no current device");
	OK(aclrtSetDevice(0), "back to device 0 (one more count)");
	OK(aclrtResetDevice(0), "and that count dropped: device 0 stays set and current");
	OK(aclrtGetDevice(&dev), "aclrtGetDevice");
	TAP_CHECK(dev == 0, "device 0 is current");
	free(a);
	free(b);
}

/* ---- npu-smi ---- */

static char *run_cmd(const char *cmd)
{
	static char buf[16384];
	size_t len = 0, n;
	FILE *p = popen(cmd, "r");

	buf[0] = '\0';
	if (!p)
		return buf;
	while ((n = fread(buf + len, 1, sizeof(buf) - 1 - len, p)) > 0)
		len += n;
	buf[len] = '\0';
	pclose(p);
	return buf;
}

static void npu_smi(void)
{
	char row[160], want[64];
	const char *chip = strncmp(want_soc, "Ascend", 6) ? want_soc : want_soc + 6;
	void *d = NULL;
	char *out;

	OK(aclrtMalloc(&d, 8 * MiB, ACL_MEM_MALLOC_HUGE_FIRST), "8 MiB for npu-smi to see");
	out = run_cmd("npu-smi info 2>&1");
	printf("# npu-smi info:\n");
	{
		char *l, *save = NULL, copy[16384];

		snprintf(copy, sizeof(copy), "%s", out);
		for (l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
			printf("#   %s\n", l);
	}
	snprintf(row, sizeof(row), "| 0     %-19.19s | OK            |", chip);
	TAP_CHECK(strstr(out, row) != NULL, "npu-smi info: card 0 is %s, health OK", chip);
	snprintf(want, sizeof(want), "8    / %-14llu|", want_hbm >> 20);
	TAP_CHECK(strstr(out, want) != NULL, "npu-smi info: HBM use 8 MB of the card's %llu MB",
		  want_hbm >> 20);
	snprintf(row, sizeof(row), "| 0       0                 | %-13d | acl_e2e                  | 8                       |",
		 (int)getpid());
	TAP_CHECK(strstr(out, row) != NULL, "npu-smi info: this process holds 8 MB on card 0");
	out = run_cmd("npu-smi info -t common -i 0 2>&1");
	snprintf(want, sizeof(want), "\tAicore Count                   : %u\n", want_aicores);
	TAP_CHECK(strstr(out, want) != NULL, "npu-smi info -t common -i 0: %u AI Cores",
		  want_aicores);
	out = run_cmd("npu-smi info -l 2>&1");
	snprintf(want, sizeof(want), "\tTotal Count                    : %u\n", n_cards);
	TAP_CHECK(strstr(out, want) != NULL, "npu-smi info -l: %u card(s)", n_cards);
	aclrtFree(d);
	out = run_cmd("npu-smi info 2>&1");
	snprintf(row, sizeof(row), "| 0       0                 | %-13d | acl_e2e                  | 0                       |",
		 (int)getpid());
	TAP_CHECK(strstr(out, row) != NULL,
		  "npu-smi info: after the free, this process still uses card 0 (its streams), 0 MB");
	if (n_cards > 1)
		TAP_CHECK(strstr(out, "No running processes found in NPU 1") != NULL,
			  "npu-smi info: card 1, reset by this process, is not in use");
}

/* ---- the log file ---- */

static void log_file(void)
{
	char dir[256], path[512], prefix[64], line[2048];
	int found = 0, init_line = 0, err_line = 0;
	struct dirent *de;
	FILE *f;
	DIR *dp;

	snprintf(dir, sizeof(dir), "%s/debug/plog", LOG_DIR);
	snprintf(prefix, sizeof(prefix), "plog-%d_", (int)getpid());
	dp = opendir(dir);
	while (dp && (de = readdir(dp))) {
		if (strncmp(de->d_name, prefix, strlen(prefix)))
			continue;
		found++;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		f = fopen(path, "r");
		while (f && fgets(line, sizeof(line), f)) {
			init_line |= strstr(line, "[INFO] ASCENDCL(") && strstr(line, "aclInit: initialized");
			err_line |= !strncmp(line, "[ERROR] ASCENDCL(", 17) && strstr(line, "destMax");
		}
		if (f)
			fclose(f);
	}
	if (dp)
		closedir(dp);
	TAP_CHECK(found == 1, "one log file %s/%s<time>.log under ASCEND_PROCESS_LOG_PATH (%d)", dir,
		  prefix, found);
	TAP_CHECK(init_line, "it has aclInit's INFO line in CANN's format");
	TAP_CHECK(err_line, "and the ERROR line of the destMax failure");
	snprintf(dir, sizeof(dir), "%s/run/plog", LOG_DIR);
	dp = opendir(dir);
	found = 0;
	while (dp && (de = readdir(dp)))
		found += !strncmp(de->d_name, prefix, strlen(prefix));
	if (dp)
		closedir(dp);
	TAP_CHECK(found == 1, "and a run log next to it (%s)", dir);
}

int main(int argc, char **argv)
{
	aclrtContext main_ctx = NULL;
	int32_t dev = -1;

	if (argc < 4) {
		fprintf(stderr, "usage: acl_e2e AICORES HBM_BYTES SOC [CARDS]\n");
		return 2;
	}
	want_aicores = (unsigned int)strtoul(argv[1], NULL, 0);
	want_hbm = strtoull(argv[2], NULL, 0);
	want_soc = argv[3];
	if (argc > 4)
		n_cards = (unsigned int)strtoul(argv[4], NULL, 0);
	setvbuf(stdout, NULL, _IOLBF, 0);

	init_and_devices(&main_ctx);
	mem_info();
	policies();
	copies();
	free_after_copy();
	overlapping();
	memsets();
	async_copies();
	stream_order();
	events();
	callbacks(main_ctx);
	not_ready();
	contexts(main_ctx);
	threads(main_ctx);
	if (n_cards > 1)
		two_cards();
	npu_smi();
	OK(aclrtSynchronizeDevice(), "aclrtSynchronizeDevice at the end");
	OK(aclrtResetDevice(0), "aclrtResetDevice(0)");
	TAP_CHECK(aclrtGetDevice(&dev) == ACL_ERROR_RT_CONTEXT_NULL,
		  "after the reset there is no current device");
	OK(aclFinalize(), "aclFinalize");
	TAP_CHECK(aclFinalize() == ACL_ERROR_REPEAT_FINALIZE, "aclFinalize twice: REPEAT_FINALIZE");
	log_file();
	reinit();
	return tap_done();
}

// SPDX-License-Identifier: MIT
/*
 * acl_hello: the smallest complete AscendCL program. It brings up every
 * device in turn the way CANN applications do (aclInit, aclrtSetDevice, an
 * explicit context and a stream), asks the runtime what it knows about the
 * device, and tears everything down again in reverse order.
 *
 * It checks what it is told: the current device and context are the ones it
 * set, the run mode is ACL_HOST (the program runs on the host, not on the
 * card's own CPU), a fresh stream is idle and synchronises, and the device
 * reports some free memory. Last line "RESULT: PASS" (exit 0) or
 * "RESULT: FAIL" (exit 1).
 */
#include <inttypes.h>
#include <stdio.h>

#include "acl/acl.h"

#define ACL_CHECK(call)                                                              \
	do {                                                                         \
		aclError ret_ = (call);                                              \
		if (ret_ != ACL_SUCCESS) {                                           \
			const char *msg_ = aclGetRecentErrMsg();                     \
			fprintf(stderr, "%s:%d: %s failed: error %d%s%s\n", __FILE__, \
				__LINE__, #call, ret_, msg_ ? ": " : "", msg_ ? msg_ : ""); \
			return 0;                                                    \
		}                                                                    \
	} while (0)

#define EXPECT(cond, ...)                                     \
	do {                                                  \
		if (!(cond)) {                                \
			fprintf(stderr, "check failed: " __VA_ARGS__); \
			fputc('\n', stderr);                  \
			return 0;                             \
		}                                             \
	} while (0)

/* Resources of one device, created by init_resource, freed by destroy_resource. */
struct resource {
	int32_t device_id;
	aclrtContext context;
	aclrtStream stream;
};

static int init_resource(struct resource *r, int32_t dev)
{
	r->device_id = dev;
	r->context = NULL;
	r->stream = NULL;
	ACL_CHECK(aclrtSetDevice(dev));
	ACL_CHECK(aclrtCreateContext(&r->context, dev));
	ACL_CHECK(aclrtCreateStream(&r->stream));
	return 1;
}

/* Frees what init_resource got, in reverse, however far it got. */
static int destroy_resource(struct resource *r)
{
	int ok = 1;

	if (r->stream && aclrtDestroyStream(r->stream) != ACL_SUCCESS) {
		fprintf(stderr, "aclrtDestroyStream failed\n");
		ok = 0;
	}
	if (r->context && aclrtDestroyContext(r->context) != ACL_SUCCESS) {
		fprintf(stderr, "aclrtDestroyContext failed\n");
		ok = 0;
	}
	if (aclrtResetDevice(r->device_id) != ACL_SUCCESS) {
		fprintf(stderr, "aclrtResetDevice(%d) failed\n", (int)r->device_id);
		ok = 0;
	}
	return ok;
}

/* Ask the runtime about device r->device_id and check its answers. */
static int hello(const struct resource *r)
{
	aclrtContext current = NULL;
	aclrtRunMode mode = ACL_DEVICE;
	aclrtStreamStatus status = ACL_STREAM_STATUS_NOT_READY;
	size_t free_mem = 0, total_mem = 0;
	int32_t dev = -1;
	const char *soc;

	ACL_CHECK(aclrtGetDevice(&dev));
	EXPECT(dev == r->device_id, "aclrtGetDevice says %d, expected %d", (int)dev,
	       (int)r->device_id);
	ACL_CHECK(aclrtGetCurrentContext(&current));
	EXPECT(current == r->context, "the current context is not the one just created");
	ACL_CHECK(aclrtGetRunMode(&mode));
	EXPECT(mode == ACL_HOST, "run mode %d, expected ACL_HOST", (int)mode);
	soc = aclrtGetSocName();
	EXPECT(soc && *soc, "aclrtGetSocName returned nothing");
	ACL_CHECK(aclrtGetMemInfo(ACL_HBM_MEM, &free_mem, &total_mem));
	EXPECT(total_mem > 0 && free_mem <= total_mem, "memory info %zu free of %zu", free_mem,
	       total_mem);

	ACL_CHECK(aclrtStreamQuery(r->stream, &status));
	EXPECT(status == ACL_STREAM_STATUS_COMPLETE, "a new stream is not idle");
	ACL_CHECK(aclrtSynchronizeStream(r->stream));
	ACL_CHECK(aclrtSynchronizeDevice());

	printf("hello from device %d: SoC %s, %zu of %zu MiB HBM free, run mode ACL_HOST\n",
	       (int)dev, soc, free_mem >> 20, total_mem >> 20);
	return 1;
}

static int run(void)
{
	int32_t major = 0, minor = 0, patch = 0;
	uint32_t count = 0, dev;
	int ok = 1;

	ACL_CHECK(aclrtGetVersion(&major, &minor, &patch));
	ACL_CHECK(aclrtGetDeviceCount(&count));
	printf("AscendCL %d.%d.%d, %" PRIu32 " device(s)\n", (int)major, (int)minor, (int)patch,
	       count);
	EXPECT(count > 0, "no device");

	for (dev = 0; dev < count; dev++) {
		struct resource r;

		if (!init_resource(&r, (int32_t)dev) || !hello(&r))
			ok = 0;
		if (!destroy_resource(&r))
			ok = 0;
	}
	return ok;
}

int main(void)
{
	int ok;

	if (aclInit(NULL) != ACL_SUCCESS) {
		const char *msg = aclGetRecentErrMsg();

		fprintf(stderr, "aclInit failed%s%s\n", msg ? ": " : "", msg ? msg : "");
		printf("RESULT: FAIL\n");
		return 1;
	}
	ok = run();
	if (aclFinalize() != ACL_SUCCESS) {
		fprintf(stderr, "aclFinalize failed\n");
		ok = 0;
	}
	printf("RESULT: %s\n", ok ? "PASS" : "FAIL");
	return ok ? 0 : 1;
}

// SPDX-License-Identifier: MIT
/*
 * An AscendCL program that lives outside the tree: built only against an
 * installed prefix (`make install PREFIX=...`), with
 *   cc prog.c -I<prefix>/include -L<prefix>/lib -lascendcl
 * or with pkg-config's flags. It checks that the headers' version matches
 * the library's, then copies 1 MiB to device 0 and back. The host suite
 * runs it on fake cards, the e2e suite in the VM on a real one. Last line
 * "RESULT: PASS" (exit 0) or "RESULT: FAIL" (exit 1).
 */
#include <stdio.h>
#include <string.h>

#include <acl/acl.h>

#define SIZE (1024 * 1024)

static int check(aclError ret, const char *call)
{
	if (ret != ACL_SUCCESS) {
		const char *msg = aclGetRecentErrMsg();

		fprintf(stderr, "%s failed: error %d%s%s\n", call, ret, msg ? ": " : "", msg ? msg : "");
		return 0;
	}
	return 1;
}

#define CHECK(call) check((call), #call)

static int roundtrip(void)
{
	static unsigned char src[SIZE], dst[SIZE];
	void *dev = NULL;
	int ok, i;

	for (i = 0; i < SIZE; i++)
		src[i] = (unsigned char)(i * 7 + (i >> 9));
	memset(dst, 0, sizeof(dst));
	if (!CHECK(aclrtMalloc(&dev, SIZE, ACL_MEM_MALLOC_HUGE_FIRST)))
		return 0;
	ok = CHECK(aclrtMemcpy(dev, SIZE, src, SIZE, ACL_MEMCPY_HOST_TO_DEVICE)) &&
	     CHECK(aclrtMemcpy(dst, SIZE, dev, SIZE, ACL_MEMCPY_DEVICE_TO_HOST)) &&
	     memcmp(src, dst, SIZE) == 0;
	ok &= CHECK(aclrtFree(dev));
	return ok;
}

int main(void)
{
	int32_t major = -1, minor = -1, patch = -1;
	uint32_t count = 0;
	int ok;

	if (!CHECK(aclInit(NULL))) {
		printf("RESULT: FAIL\n");
		return 1;
	}
	ok = CHECK(aclrtGetVersion(&major, &minor, &patch)) && major == ACL_MAJOR_VERSION &&
	     minor == ACL_MINOR_VERSION && patch == ACL_PATCH_VERSION;
	printf("headers %d.%d.%d, library %d.%d.%d\n", ACL_MAJOR_VERSION, ACL_MINOR_VERSION,
	       ACL_PATCH_VERSION, (int)major, (int)minor, (int)patch);
	ok = ok && CHECK(aclrtGetDeviceCount(&count)) && count > 0 && CHECK(aclrtSetDevice(0));
	if (ok) {
		printf("device 0 of %u: %s\n", count, aclrtGetSocName());
		ok = roundtrip();
		printf("1 MiB host -> device -> host: %s\n", ok ? "intact" : "BROKEN");
		ok &= CHECK(aclrtResetDevice(0));
	}
	ok &= CHECK(aclFinalize());
	printf("RESULT: %s\n", ok ? "PASS" : "FAIL");
	return ok ? 0 : 1;
}

// SPDX-License-Identifier: MIT
/*
 * A device pointer used after aclrtFree (or after its device was reset) is
 * no host memory: copies and fills that would have treated it as host
 * memory (DEFAULT and HOST_TO_HOST copies, aclrtMemset) refuse it with
 * ACL_ERROR_RT_PARAM_INVALID and say why, instead of the process faulting
 * on the device memory window. Host memory still works.
 */
#include "acl_test.h"

#define LEN 4096

int main(void)
{
	static uint8_t host[LEN], other[LEN];
	aclrtStream s = NULL;
	void *dev = NULL, *base;
	const char *m;
	uint64_t size;
	uint32_t id;

	FAKE_CARDS(16 * MiB, 0);
	if (aclInit(NULL) || aclrtSetDevice(0) || aclrtCreateStream(&s) ||
	    aclrtMalloc(&dev, LEN, ACL_MEM_MALLOC_HUGE_FIRST))
		bail_out("setting up");
	TAP_CHECK(halVascendMemLookup(dev, &base, &size, &id) == DRV_ERROR_NONE && base == dev,
		  "a live allocation is found");
	TAP_CHECK(halVascendMemLookup(host, NULL, NULL, NULL) == DRV_ERROR_INVALID_VALUE,
		  "host memory: DRV_ERROR_INVALID_VALUE");
	TAP_CHECK(aclrtFree(dev) == ACL_SUCCESS, "aclrtFree");
	TAP_CHECK(halVascendMemLookup(dev, NULL, NULL, NULL) == DRV_ERROR_NOT_EXIST &&
		  str_has(halVascendLastErrorMsg(), "in the device memory window but in no live allocation"),
		  "the freed pointer: DRV_ERROR_NOT_EXIST (%s)", halVascendLastErrorMsg());

	TAP_CHECK(aclrtMemset(dev, LEN, 0, LEN) == ACL_ERROR_RT_PARAM_INVALID,
		  "aclrtMemset of a freed pointer: ACL_ERROR_RT_PARAM_INVALID, no fault");
	m = take_msg();
	TAP_CHECK(str_has(m, "aclrtMemset: devPtr") && str_has(m, "no longer allocated"),
		  "the message says why: %s", m ? m : "(null)");
	TAP_CHECK(aclrtMemsetAsync(dev, LEN, 0, LEN, s) == ACL_ERROR_RT_PARAM_INVALID,
		  "aclrtMemsetAsync of it: refused");
	TAP_CHECK(aclrtMemcpy(host, LEN, dev, LEN, ACL_MEMCPY_DEFAULT) == ACL_ERROR_RT_PARAM_INVALID,
		  "DEFAULT copy from it: refused");
	m = take_msg();
	TAP_CHECK(str_has(m, "src") && str_has(m, "no longer allocated"), "naming src: %s",
		  m ? m : "(null)");
	TAP_CHECK(aclrtMemcpy(dev, LEN, host, LEN, ACL_MEMCPY_HOST_TO_HOST) ==
		  ACL_ERROR_RT_PARAM_INVALID, "HOST_TO_HOST copy into it: refused");
	TAP_CHECK(aclrtMemcpyAsync(host, LEN, dev, LEN, ACL_MEMCPY_DEFAULT, s) ==
		  ACL_ERROR_RT_PARAM_INVALID, "async DEFAULT copy from it: refused");

	memset(host, 0x5c, LEN);
	TAP_CHECK(aclrtMemcpy(other, LEN, host, LEN, ACL_MEMCPY_DEFAULT) == ACL_SUCCESS &&
		  other[0] == 0x5c && other[LEN - 1] == 0x5c, "host to host with DEFAULT still works");
	TAP_CHECK(aclrtMemset(other, LEN, 1, LEN) == ACL_SUCCESS && other[LEN - 1] == 1,
		  "and aclrtMemset of host memory");

	/* after a reset the device's memory is gone too */
	TAP_CHECK(aclrtMalloc(&dev, LEN, ACL_MEM_MALLOC_HUGE_FIRST) == ACL_SUCCESS, "a new allocation");
	TAP_CHECK(aclrtDestroyStream(s) == ACL_SUCCESS && aclrtResetDevice(0) == ACL_SUCCESS &&
		  aclrtSetDevice(0) == ACL_SUCCESS && aclrtMalloc(&base, LEN, 0) == ACL_SUCCESS,
		  "reset the device, set it again, allocate (keeps the window mapped)");
	if (base != dev)
		TAP_CHECK(aclrtMemset(dev, LEN, 0, LEN) == ACL_ERROR_RT_PARAM_INVALID,
			  "a pointer from before the reset: refused");
	else
		TAP_CHECK(aclrtMemset(dev, LEN, 0, LEN) == ACL_SUCCESS,
			  "the address was handed out again: a live allocation");
	TAP_CHECK(aclrtFree(base) == ACL_SUCCESS && aclrtResetDevice(0) == ACL_SUCCESS &&
		  aclFinalize() == ACL_SUCCESS, "clean up");
	return tap_done();
}

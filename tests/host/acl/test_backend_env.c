// SPDX-License-Identifier: MIT
/*
 * Picking the HAL backend from VASCEND_HAL_BACKEND, and the fake cards'
 * own variables, as a test or a demo run on a machine without a card does.
 */
#include <errno.h>
#include <stdlib.h>

#include "acl_test.h"

int main(void)
{
	struct halVascendDeviceInfo info;
	uint32_t ids[HAL_VASCEND_MAX_DEVICES], n = 0;
	const char *m;

	unsetenv(HAL_BACKEND_ENV);
	TAP_CHECK(hal_os() == &hal_os_linux, "unset: the real backend");
	setenv(HAL_BACKEND_ENV, "linux", 1);
	TAP_CHECK(hal_os_reselect() == 0 && hal_os() == &hal_os_linux, "\"linux\": the real backend");

	setenv(HAL_BACKEND_ENV, "fake", 1);
	setenv(HAL_FAKE_DEVICES_ENV, "1,3", 1);
	setenv(HAL_FAKE_HBM_MB_ENV, "8", 1);
	TAP_CHECK(hal_os_reselect() == 0 && hal_os() == &hal_os_fake, "\"fake\": the fake backend");
	TAP_CHECK(drvGetDevNum(&n) == DRV_ERROR_NONE && n == 2 &&
		  drvGetDevIDs(ids, n) == DRV_ERROR_NONE && ids[0] == 1 && ids[1] == 3,
		  "its cards come from " HAL_FAKE_DEVICES_ENV " (1,3)");
	TAP_CHECK(halVascendGetInfo(3, &info) == DRV_ERROR_NONE && info.hbmSize == 8 * MiB,
		  "with " HAL_FAKE_HBM_MB_ENV " of HBM each");

	CHECK_RET(aclInit(NULL), ACL_SUCCESS);
	CHECK_RET(aclrtGetDeviceCount(&n), ACL_SUCCESS);
	TAP_CHECK(n == 2, "AscendCL sees them");
	CHECK_RET(aclrtSetDevice(3), ACL_SUCCESS);
	TAP_CHECK(hal_os_reselect() == -EBUSY, "no switching while a device is open");
	CHECK_RET(aclrtResetDevice(3), ACL_SUCCESS);

	setenv(HAL_FAKE_DEVICES_ENV, "0,x", 1);
	TAP_CHECK(hal_fake_configure_from_env() == -EINVAL, "a malformed device list is refused");
	setenv(HAL_FAKE_DEVICES_ENV, "0,64", 1);
	TAP_CHECK(hal_fake_configure_from_env() == -EINVAL, "so is an id past the limit");
	setenv(HAL_FAKE_DEVICES_ENV, "2,2", 1);
	TAP_CHECK(hal_fake_configure_from_env() == -EINVAL, "and a duplicate");

	setenv(HAL_BACKEND_ENV, "bogus", 1);
	TAP_CHECK(hal_os_reselect() == 0 && hal_os() == NULL, "an unknown backend selects none");
	TAP_CHECK(drvGetDevNum(&n) == DRV_ERROR_CONFIG_READ_FAIL, "the HAL refuses to work");
	CHECK_RET(aclrtGetDeviceCount(&n), ACL_ERROR_RT_DRV_INTERNAL_ERROR);
	m = take_msg();
	TAP_CHECK(str_is(m, "aclrtGetDeviceCount: cannot count devices: HAL: VASCEND_HAL_BACKEND=bogus "
			    "names no backend (use \"linux\" or \"fake\")"),
		  "and says why: %s", m ? m : "NULL");
	CHECK_RET(aclFinalize(), ACL_SUCCESS);
	return tap_done();
}

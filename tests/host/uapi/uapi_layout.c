// SPDX-License-Identifier: MIT
/*
 * Invariants of the two contracts in include/uapi/: every struct has the
 * size and field offsets it is documented with, no hidden padding (so 32- and
 * 64-bit userspace, the kernel and the device agree byte for byte), and the
 * ioctl numbers encode the struct sizes. Compile-time checks fail the build;
 * the runtime ones print TAP.
 */
#include <stddef.h>
#include <string.h>

#include "vascend_davinci.h"
#include "vascend_fw.h"
#include "vascend_hw.h"
#include "../tap.h"

#define FIELD_END(type, f) (offsetof(type, f) + sizeof(((type *)0)->f))

_Static_assert(sizeof(struct vascend_fw_header) == 64, "fw header is 64 bytes");
_Static_assert(sizeof(struct vascend_fw_section) == 8, "fw section header is 8 bytes");
_Static_assert(offsetof(struct vascend_fw_header, crc32) == 16, "crc32 at 16");
_Static_assert(FIELD_END(struct vascend_fw_header, reserved) == 64, "no tail padding");
_Static_assert(sizeof(struct vascend_device_info) == 112, "device_info is 112 bytes");
_Static_assert(offsetof(struct vascend_device_info, soc_name) == 48, "soc_name at 48");
_Static_assert(FIELD_END(struct vascend_device_info, reserved) ==
		       sizeof(struct vascend_device_info), "no tail padding");
_Static_assert(sizeof(struct vascend_dma_xfer) == 48, "dma_xfer is 48 bytes");
_Static_assert(FIELD_END(struct vascend_dma_xfer, reserved) ==
		       sizeof(struct vascend_dma_xfer), "no tail padding");
_Static_assert(sizeof(struct vascend_device_info) % 8 == 0, "8-byte multiple");
_Static_assert(sizeof(struct vascend_dma_xfer) % 8 == 0, "8-byte multiple");

/* Sum of the field sizes equals the struct size: no padding anywhere. */
#define SUM_DEVICE_INFO                                                        \
	(4 * 4 + 8 + 8 + 4 + 2 + 2 + 1 + 1 + 6 + VASCEND_SOC_NAME_MAX + 4 * 8)
#define SUM_DMA_XFER (8 * 3 + 4 + 4 + 2 * 8)
#define SUM_FW_HEADER (4 + 2 + 2 + 4 * 5 + 9 * 4)

int main(void)
{
	TAP_CHECK(SUM_DEVICE_INFO == sizeof(struct vascend_device_info),
		  "vascend_device_info has no implicit padding (%zu bytes)",
		  sizeof(struct vascend_device_info));
	TAP_CHECK(SUM_DMA_XFER == sizeof(struct vascend_dma_xfer),
		  "vascend_dma_xfer has no implicit padding (%zu bytes)",
		  sizeof(struct vascend_dma_xfer));
	TAP_CHECK(SUM_FW_HEADER == sizeof(struct vascend_fw_header),
		  "vascend_fw_header has no implicit padding (%zu bytes)",
		  sizeof(struct vascend_fw_header));
	TAP_CHECK(_IOC_SIZE(VASCEND_IOCTL_GET_INFO) == sizeof(struct vascend_device_info) &&
			  _IOC_DIR(VASCEND_IOCTL_GET_INFO) == _IOC_READ,
		  "GET_INFO encodes a read of the info struct");
	TAP_CHECK(_IOC_SIZE(VASCEND_IOCTL_DMA_XFER) == sizeof(struct vascend_dma_xfer) &&
			  _IOC_DIR(VASCEND_IOCTL_DMA_XFER) == _IOC_WRITE,
		  "DMA_XFER encodes a write of the xfer struct");
	TAP_CHECK(_IOC_NR(VASCEND_IOCTL_GET_INFO) != _IOC_NR(VASCEND_IOCTL_DMA_XFER),
		  "ioctl numbers are distinct");
	TAP_CHECK(!memcmp(&(unsigned int){ VASCEND_FW_MAGIC }, "VAFW", 4),
		  "firmware magic reads VAFW in memory order");
	TAP_CHECK(!memcmp(&(unsigned int){ VASCEND_HW_MAGIC }, "ASCN", 4),
		  "device magic reads ASCN in memory order");
	TAP_CHECK(VASCEND_FW_VERSION(1, 2, 3) == 0x10203 &&
			  VASCEND_FW_VERSION_MAJOR(0x10203) == 1 &&
			  VASCEND_FW_VERSION_MINOR(0x10203) == 2 &&
			  VASCEND_FW_VERSION_PATCH(0x10203) == 3,
		  "firmware version encoding round-trips");
	TAP_CHECK((VASCEND_DMA_MAX_LEN & (VASCEND_DMA_MAX_LEN - 1)) == 0 &&
			  VASCEND_FW_MAX_SIZE >= 4096,
		  "limits are sane (DMA max a power of two, firmware max >= 4 KiB)");
	TAP_CHECK(VASCEND_REG_SOC_NAME + VASCEND_SOC_NAME_LEN <= 0x300 &&
			  VASCEND_REG_DMA_SEQ < 0x1000,
		  "register blocks do not overlap and stay in page 0");
	TAP_CHECK(VASCEND_SOC_NAME_LEN == VASCEND_SOC_NAME_MAX,
		  "device and ioctl agree on the SoC name length");
	return tap_done();
}

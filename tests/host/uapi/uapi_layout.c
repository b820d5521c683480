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
#include "vascend_hdc.h"
#include "vascend_hdc_hw.h"
#include "vascend_manager.h"
#include "vascend_svm.h"
#include "vascend_hw.h"
#include "vascend_mmu_hw.h"
#include "vascend_op.h"
#include "vascend_queue_hw.h"
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

_Static_assert(sizeof(struct vascend_sqe) == VASCEND_SQE_SIZE, "SQE is 64 bytes");
_Static_assert(sizeof(struct vascend_cqe) == VASCEND_CQE_SIZE, "CQE is 64 bytes");
_Static_assert(offsetof(struct vascend_sqe, u) == 8, "SQE arguments at 8");
_Static_assert(sizeof(((struct vascend_sqe *)0)->u) == 56, "SQE arguments fill 56 bytes");
_Static_assert(FIELD_END(struct vascend_sqe, u.queue.coalesce_usecs) == 40,
	       "CREATE_QUEUE arguments packed");
_Static_assert(FIELD_END(struct vascend_sqe, u.hdc.rsvd2) == 48, "HDC_SETUP arguments packed");
_Static_assert(FIELD_END(struct vascend_cqe, rsvd) == 64, "CQE packed");
_Static_assert(offsetof(struct vascend_cqe, result) == 16, "CQE result at 16");
_Static_assert(sizeof(struct vascend_event_slot) == 16, "event slot is 16 bytes");
_Static_assert(sizeof(struct vascend_identify) <= 4096, "identify fits a page");
_Static_assert(FIELD_END(struct vascend_identify, rsvd) == sizeof(struct vascend_identify),
	       "identify has no tail padding");
_Static_assert(sizeof(struct vascend_telemetry) == 96, "telemetry is 96 bytes");
_Static_assert(sizeof(struct vascend_op_entry) == 32, "op entry is 32 bytes");
_Static_assert(sizeof(struct vascend_fw_op) == sizeof(struct vascend_op_entry),
	       "firmware op and GET_OP_TABLE entry agree");
_Static_assert(sizeof(struct vascend_fw_hdc_service) == 32, "fw HDC service is 32 bytes");
_Static_assert(sizeof(struct vascend_hdc_msg_hdr) == 32, "HDC header is 32 bytes");
_Static_assert(sizeof(struct vascend_hdc_status) == 64, "HDC status is 64 bytes");
_Static_assert(sizeof(struct vascend_tensor_desc) == 96, "tensor desc is 96 bytes");
_Static_assert(sizeof(struct vascend_op_attr) == 48, "op attr is 48 bytes");
_Static_assert(sizeof(struct vascend_op_desc) == 64, "op desc header is 64 bytes");
_Static_assert(FIELD_END(struct vascend_op_desc, rsvd) == 64, "op desc packed");

/* User <-> kernel (1.1): every struct a multiple of 8, no tail padding. */
#define PACKED_U(type, last)                                                   \
	_Static_assert(sizeof(struct type) % 8 == 0 &&                         \
			       FIELD_END(struct type, last) == sizeof(struct type), \
		       #type " is packed")
PACKED_U(vascend_stream_create, reserved);
PACKED_U(vascend_stream_ref, reserved);
PACKED_U(vascend_task, u);
PACKED_U(vascend_submit, reserved);
PACKED_U(vascend_wait, reserved);
PACKED_U(vascend_stream_eventfd, reserved);
PACKED_U(vascend_uring_submit, tasks);
PACKED_U(vascend_svm_alloc, reserved);
PACKED_U(vascend_svm_range, reserved);
PACKED_U(vascend_svm_query, reserved);
PACKED_U(vascend_mgr_cards, reserved);
PACKED_U(vascend_mgr_health, reserved);
PACKED_U(vascend_mgr_telemetry, reserved);
PACKED_U(vascend_mgr_proc_entry, pinned_bytes);
PACKED_U(vascend_mgr_procs, reserved);
PACKED_U(vascend_mgr_reset, reserved);
PACKED_U(vascend_hdc_connect, reserved);
PACKED_U(vascend_hdc_timeout, reserved);
PACKED_U(vascend_hdc_session_status, reserved);
_Static_assert(sizeof(struct vascend_task) == 64, "task is 64 bytes");
_Static_assert(sizeof(struct vascend_uring_submit) == 16,
	       "io_uring payload fits a plain SQE's 16-byte command area");
_Static_assert(offsetof(struct vascend_task, u) == offsetof(struct vascend_sqe, u) &&
		       sizeof(((struct vascend_task *)0)->u) == sizeof(((struct vascend_sqe *)0)->u),
	       "task arguments lay out as the SQE's");

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
	TAP_CHECK(VASCEND_DOORBELL_HDC + VASCEND_DOORBELL_STRIDE <= VASCEND_REGS_BAR_SIZE &&
			  VASCEND_DOORBELL_BASE >= 0x1000,
		  "every doorbell page, HDC's included, is inside BAR0 and off page 0");
	TAP_CHECK(VASCEND_PT_INDEX(0xffffffffffffULL, 3) == 511 &&
			  VASCEND_PT_INDEX(1ULL << 21, 1) == 1 &&
			  VASCEND_PT_INDEX(0x1000ULL, 0) == 1,
		  "page-table index macro walks VA bits 47:12 in four levels");
	TAP_CHECK((VASCEND_PTE_RSVD_MASK & (VASCEND_PTE_VALID | VASCEND_PTE_WRITE |
					   VASCEND_PTE_LARGE | VASCEND_PTE_HBM |
					   VASCEND_PTE_ADDR_MASK)) == 0,
		  "PTE reserved mask excludes every defined bit");
	TAP_CHECK(!memcmp(&(unsigned int){ VASCEND_OP_DESC_MAGIC }, "VOPD", 4),
		  "op descriptor magic reads VOPD in memory order");
	TAP_CHECK(VASCEND_MAX_XFER_LEN % VASCEND_PAGE_SIZE == 0 &&
			  VASCEND_HDC_MAX_MSG % VASCEND_HDC_MAX_SLOT == 0,
		  "transfer and message limits are page/slot multiples");
	{
		/* Every ioctl of every node has a distinct number. */
		unsigned int nrs[] = {
			_IOC_NR(VASCEND_IOCTL_GET_INFO), _IOC_NR(VASCEND_IOCTL_DMA_XFER),
			_IOC_NR(VASCEND_IOCTL_STREAM_CREATE), _IOC_NR(VASCEND_IOCTL_STREAM_DESTROY),
			_IOC_NR(VASCEND_IOCTL_STREAM_RESET), _IOC_NR(VASCEND_IOCTL_SUBMIT),
			_IOC_NR(VASCEND_IOCTL_WAIT), _IOC_NR(VASCEND_IOCTL_STREAM_EVENTFD),
			_IOC_NR(VASCEND_IOCTL_SVM_ALLOC), _IOC_NR(VASCEND_IOCTL_SVM_FREE),
			_IOC_NR(VASCEND_IOCTL_SVM_REGISTER), _IOC_NR(VASCEND_IOCTL_SVM_UNREGISTER),
			_IOC_NR(VASCEND_IOCTL_SVM_QUERY), _IOC_NR(VASCEND_IOCTL_MGR_CARDS),
			_IOC_NR(VASCEND_IOCTL_MGR_HEALTH), _IOC_NR(VASCEND_IOCTL_MGR_TELEMETRY),
			_IOC_NR(VASCEND_IOCTL_MGR_PROCS), _IOC_NR(VASCEND_IOCTL_MGR_RESET),
			_IOC_NR(VASCEND_IOCTL_HDC_CONNECT), _IOC_NR(VASCEND_IOCTL_HDC_SET_TIMEOUT),
			_IOC_NR(VASCEND_IOCTL_HDC_STATUS),
		};
		unsigned int i, j, dup = 0, n = sizeof(nrs) / sizeof(nrs[0]);

		for (i = 0; i < n; i++)
			for (j = i + 1; j < n; j++)
				dup += nrs[i] == nrs[j];
		TAP_CHECK(dup == 0, "all %u ioctl numbers are distinct", n);
	}
	TAP_CHECK(_IOC_TYPE(VASCEND_IOCTL_SVM_ALLOC) == VASCEND_IOCTL_MAGIC &&
			  _IOC_TYPE(VASCEND_IOCTL_MGR_CARDS) == VASCEND_IOCTL_MAGIC &&
			  _IOC_TYPE(VASCEND_IOCTL_HDC_CONNECT) == VASCEND_IOCTL_MAGIC,
		  "every node uses the one ioctl magic");
	TAP_CHECK(VASCEND_SVM_HUGE_FIRST == 0 && VASCEND_SVM_HUGE_ONLY == 1 &&
			  VASCEND_SVM_NORMAL_ONLY == 2,
		  "SVM policies have aclrtMemMallocPolicy's numbers");
	TAP_CHECK(VASCEND_TASK_MEMCPY == VASCEND_OP_MEMCPY &&
			  VASCEND_TASK_KERNEL_LAUNCH == VASCEND_OP_KERNEL_LAUNCH &&
			  VASCEND_TASK_NOTIFY == VASCEND_OP_NOTIFY,
		  "task types have the device opcodes' numbers");
	return tap_done();
}

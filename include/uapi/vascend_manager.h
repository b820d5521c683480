/* SPDX-License-Identifier: (GPL-2.0-only WITH Linux-syscall-note) OR MIT */
/*
 * vascend user <-> kernel contract for /dev/davinci_manager: which cards
 * exist, what they are, how they are doing, and who uses their memory (what
 * npu-smi shows). Reading needs no privilege; forcing a reset needs
 * CAP_SYS_ADMIN.
 *
 * All ioctls use the same magic as vascend_davinci.h, numbers 0x60..0x7f.
 */
#ifndef _UAPI_VASCEND_MANAGER_H
#define _UAPI_VASCEND_MANAGER_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define VASCEND_MANAGER_DEV_NAME	"davinci_manager"
#define VASCEND_MAX_CARDS		64

/**
 * struct vascend_mgr_cards - VASCEND_IOCTL_MGR_CARDS
 * @count: out: cards present
 * @pad: zero
 * @ids: out: their ids (N of /dev/davinciN), ascending; the rest zero
 * @reserved: zero
 */
struct vascend_mgr_cards {
	__u32 count;
	__u32 pad;
	__u32 ids[VASCEND_MAX_CARDS];
	__u64 reserved[2];
};

/* struct vascend_mgr_health.state */
#define VASCEND_CARD_OK			0
#define VASCEND_CARD_RESETTING		1	/* recovery in progress */
#define VASCEND_CARD_DEAD		2	/* recovery failed: rebind the driver */

/**
 * struct vascend_mgr_health - VASCEND_IOCTL_MGR_HEALTH
 * @dev_id: card
 * @state: out: VASCEND_CARD_*
 * @fw_status: out: VASCEND_FW_STATUS_* (vascend_hw.h)
 * @fatal_status: out: last VASCEND_FATAL_* bits seen
 * @reset_count: out: recoveries since the driver bound the card
 * @last_reset_cause: out: VASCEND_RESET_CAUSE_* of the last one
 * @reserved: zero
 */
struct vascend_mgr_health {
	__u32 dev_id;
	__u32 state;
	__u32 fw_status;
	__u32 fatal_status;
	__u32 reset_count;
	__u32 last_reset_cause;
	__u64 reserved[2];
};

/* Why the driver reset a card. */
#define VASCEND_RESET_CAUSE_NONE	0
#define VASCEND_RESET_CAUSE_HANG	1	/* a task outlived the watchdog */
#define VASCEND_RESET_CAUSE_DMA		2	/* DMA error */
#define VASCEND_RESET_CAUSE_ECC		3	/* uncorrectable HBM error */
#define VASCEND_RESET_CAUSE_FW_CRASH	4
#define VASCEND_RESET_CAUSE_USER	5	/* MGR_RESET or the debugfs knob */

/**
 * struct vascend_mgr_telemetry - VASCEND_IOCTL_MGR_TELEMETRY (the card's
 *	admin TELEMETRY answer plus the driver's view)
 * @dev_id: card
 * @utilization: out: AI Core utilisation, per mille
 * @temperature_mc: out: millidegrees Celsius
 * @power_mw: out: milliwatts
 * @aicore_count: out
 * @pad: zero
 * @hbm_total: out: bytes
 * @hbm_used: out: bytes allocated through /dev/devmm_svm, all processes
 * @aicore_busy_ns: out: since the card's last reset
 * @tasks_completed: out: since the card's last reset
 * @reserved: zero
 */
struct vascend_mgr_telemetry {
	__u32 dev_id;
	__u32 utilization;
	__u32 temperature_mc;
	__u32 power_mw;
	__u32 aicore_count;
	__u32 pad;
	__u64 hbm_total;
	__u64 hbm_used;
	__u64 aicore_busy_ns;
	__u64 tasks_completed;
	__u64 reserved[2];
};

/**
 * struct vascend_mgr_proc_entry - one process's use of a card
 * @pid: process id (thread group), in the caller's pid namespace
 * @streams: streams it holds
 * @hbm_bytes: device memory it holds
 * @pinned_bytes: host memory it registered
 */
struct vascend_mgr_proc_entry {
	__s32 pid;
	__u32 streams;
	__u64 hbm_bytes;
	__u64 pinned_bytes;
};

/**
 * struct vascend_mgr_procs - VASCEND_IOCTL_MGR_PROCS
 * @dev_id: card
 * @count: in: entries room at @entries; out: processes using the card (may
 *	be more than the room: only the room is filled)
 * @entries: user pointer to struct vascend_mgr_proc_entry[@count]
 * @reserved: zero
 */
struct vascend_mgr_procs {
	__u32 dev_id;
	__u32 count;
	__u64 entries;
	__u64 reserved[2];
};

/**
 * struct vascend_mgr_reset - VASCEND_IOCTL_MGR_RESET (CAP_SYS_ADMIN)
 * @dev_id: card to recover now, as after a fault
 * @flags: zero
 * @reserved: zero
 */
struct vascend_mgr_reset {
	__u32 dev_id;
	__u32 flags;
	__u64 reserved[2];
};

#define VASCEND_IOCTL_MGR_CARDS \
	_IOR(0xd5, 0x60, struct vascend_mgr_cards)
#define VASCEND_IOCTL_MGR_HEALTH \
	_IOWR(0xd5, 0x61, struct vascend_mgr_health)
#define VASCEND_IOCTL_MGR_TELEMETRY \
	_IOWR(0xd5, 0x62, struct vascend_mgr_telemetry)
#define VASCEND_IOCTL_MGR_PROCS \
	_IOWR(0xd5, 0x63, struct vascend_mgr_procs)
#define VASCEND_IOCTL_MGR_RESET \
	_IOW(0xd5, 0x64, struct vascend_mgr_reset)

#endif /* _UAPI_VASCEND_MANAGER_H */

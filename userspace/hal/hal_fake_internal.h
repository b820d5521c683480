/* SPDX-License-Identifier: MIT */
/*
 * State of the fake backend shared by its files: hal_os_fake.c (cards,
 * fds, dispatch, manager, HDC), hal_fake_mem.c (SVM window, device memory,
 * registrations) and hal_fake_exec.c (streams and tasks).
 *
 * Everything below is protected by fake_lock, a recursive mutex (a launch
 * hook runs with it held and calls hal_fake_dev_ptr); fake_cond is
 * broadcast whenever tasks complete or room appears in a ring.
 */
#ifndef VASCEND_HAL_FAKE_INTERNAL_H
#define VASCEND_HAL_FAKE_INTERNAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "ascend_hal.h"
#include "hal_fake.h"
#include "vascend_davinci.h"

#define FAKE_MAX_FDS		256
/* Fake fds are far above what a test process opens, so they stand out. */
#define FAKE_FD_BASE		0x40000
#define FAKE_MAX_CALLS		24	/* distinct requests counted per card */
#define FAKE_MAX_BLOCKS		4096	/* device allocations per card */
#define FAKE_MAX_REGS		1024	/* registrations, all cards */
#define FAKE_HDC_QUEUE		8	/* echo messages held per session */
#define FAKE_TASK_TYPES		(VASCEND_TASK_MODEL_EXECUTE + 1)	/* types counted */

enum fake_node { NODE_DAVINCI, NODE_SVM, NODE_MGR, NODE_HDC };

struct fake_block {
	uint64_t off;	/* in the card's HBM */
	uint64_t size;
};

struct fake_card {
	bool present;
	struct hal_fake_card cfg;
	char soc_name[VASCEND_SOC_NAME_MAX];
	uint8_t *hbm;
	struct fake_block *blocks;	/* sorted by off */
	unsigned int n_blocks;
	struct {
		unsigned long req;
		unsigned int n;
	} calls[FAKE_MAX_CALLS];
	unsigned long fail_req;		/* 0: any */
	int fail_err;
	unsigned int fail_times;
	int open_err;
	unsigned int open_fail_times;
	uint8_t fail_task_type;
	uint32_t fail_task_status;
	uint64_t fail_task_result;
	unsigned int fail_task_times;
	unsigned long tasks_run[FAKE_TASK_TYPES];
	uint32_t reset_count;
};

struct fake_stream {
	bool used;
	uint32_t card;
	uint32_t depth;
	struct vascend_task *ring;	/* depth entries; seq s lives at s % depth */
	uint64_t submitted;		/* last seq queued */
	uint64_t completed;		/* last seq completed (failed ones too) */
	uint32_t status;		/* first failure, until reset */
	uint32_t err_info;
	uint64_t err_seq;
	uint64_t err_result;
	uint64_t start_ts;		/* of task @completed */
	uint64_t end_ts;
	int efd;			/* eventfd to signal, -1 none */
};

struct fake_msg {
	uint8_t *data;
	uint32_t len;
};

struct fake_fd {
	bool used;
	enum fake_node node;
	uint32_t card;			/* davinci: the card; hdc: once connected */
	struct fake_stream *streams;	/* davinci: VASCEND_STREAMS_PER_FILE, index = id - 1 */
	/* hdc */
	uint32_t hdc_state;
	struct fake_msg msgs[FAKE_HDC_QUEUE];
	unsigned int n_msgs;
};

struct fake_reg {
	uint64_t addr;
	uint64_t size;
	uint32_t card;
	bool readonly;
};

extern pthread_mutex_t fake_lock;
extern pthread_cond_t fake_cond;
extern struct fake_card fake_cards[HAL_VASCEND_MAX_DEVICES];
extern struct fake_fd fake_fds[FAKE_MAX_FDS];

/* hal_fake_mem.c: the SVM node's state. */
extern uint64_t fake_win_base, fake_win_size;
extern struct fake_reg fake_regs[FAKE_MAX_REGS];
extern unsigned int fake_n_regs;

int fake_svm_ioctl(unsigned long req, void *arg);
int fake_svm_mmap(uint64_t len, void **addr);
int fake_svm_munmap(void *addr, uint64_t len);
/* Free every allocation of every card (window gone or cards replaced). */
void fake_mem_drop_all(void);
uint64_t fake_card_hbm_used(uint32_t card);
uint64_t fake_card_pinned(uint32_t card);
/* Host pointer for [@va, @va + @len) as card @card sees it, or NULL; *@reason on failure. */
void *fake_xlate(uint32_t card, uint64_t va, uint64_t len, bool write, uint32_t *reason);

/* hal_fake_exec.c: streams. */
int fake_stream_ioctl(struct fake_fd *f, unsigned long req, void *arg);
void fake_streams_free(struct fake_fd *f);
/* Abort every stream of @card with unfinished tasks (a card reset). */
void fake_streams_abort_card(uint32_t card);
unsigned int fake_card_streams(uint32_t card);
uint64_t fake_now_ns(void);

#endif /* VASCEND_HAL_FAKE_INTERNAL_H */

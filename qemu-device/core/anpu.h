/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ascend-npu device core: the guest-visible behaviour of the vascend NPU
 * (include/uapi/vascend_hw.h, vascend_queue_hw.h, vascend_mmu_hw.h,
 * vascend_op.h, vascend_fw.h) in plain C11, free of QEMU headers so it can
 * be unit-tested and fuzzed on the host.
 *
 * The core never blocks and never touches memory by itself: everything
 * outside its own state goes through struct anpu_ops, which the QEMU glue
 * (hw/misc/ascend_npu.c) or a test harness provides. Register accesses only
 * latch values; work is requested with ops->kick() and done later by
 * anpu_process(), outside the register access. Heavy work (data movement,
 * AI Core compute) is cut into jobs (anpu_job.h) that the environment runs
 * on other threads and hands back with anpu_job_done().
 *
 * Threading: the core's state is not thread-safe. The caller serialises
 * anpu_reg_read/write, anpu_process, anpu_timer, anpu_job_done,
 * anpu_fault_arm and anpu_reset (QEMU runs them all under the BQL); only
 * anpu_job_run() runs elsewhere.
 */
#ifndef ANPU_H
#define ANPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "anpu_ctx.h"
#include "anpu_hdc.h"
#include "anpu_job.h"
#include "anpu_limits.h"
#include "anpu_log.h"
#include "anpu_mmu.h"
#include "anpu_queue.h"
#include "anpu_telemetry.h"
#include "vascend_hw.h"
#include "vascend_queue_hw.h"

#define ANPU_HBM_MIN            (1ULL << 20)
/* q35's 64-bit PCI hole is 32 GiB by default: leave room for a second card. */
#define ANPU_HBM_MAX            (16ULL << 30)

/* Size of the DMA bounce buffer: bytes moved per host memory callback. */
#define ANPU_DMA_CHUNK          (64U << 10)

/* ops->timer_arm() with this cancels the timer. */
#define ANPU_TIMER_OFF          UINT64_MAX

/* What the device is; fixed at creation. */
struct anpu_config {
    uint32_t aicores;
    uint32_t msix_vectors;
    uint64_t hbm_size;
    /* NUL-padded ASCII, as VASCEND_REG_SOC_NAME shows it. */
    char soc_name[VASCEND_SOC_NAME_LEN];
    /* HDC file service: directory (NULL: none) and size limit. */
    const char *hdc_dir;
    uint64_t hdc_file_max;
    /* Run every op's reference path instead of its fast path (ops=). */
    bool ops_reference;
};

/* Something worth a trace point; the glue maps each kind to one event. */
enum anpu_trace_kind {
    ANPU_TRACE_FW_BOOT,         /* x addr, a size */
    ANPU_TRACE_FW_DONE,         /* a status, b fw_version, s build info */
    ANPU_TRACE_DMA_START,       /* x host, y hbm, a len, b ctrl */
    ANPU_TRACE_DMA_DONE,        /* a status, b seq */
    ANPU_TRACE_ADMIN,           /* a opcode, b task_id, c status, x result */
    ANPU_TRACE_QUEUE_CREATE,    /* a qid, b ctx, c depth, d vector */
    ANPU_TRACE_QUEUE_DELETE,    /* a qid */
    ANPU_TRACE_CTX_CREATE,      /* a ctx, x pt_root */
    ANPU_TRACE_CTX_DELETE,      /* a ctx */
    ANPU_TRACE_TASK,            /* a qid, b op, c task, d status, x result */
    ANPU_TRACE_MMU_FAULT,       /* a qid, b info, x va */
    ANPU_TRACE_FAULT_ARMED,     /* a code, s name */
    ANPU_TRACE_FAULT_FIRED,     /* a code, s name */
    ANPU_TRACE_FATAL,           /* a FATAL_STATUS */
    ANPU_TRACE_RESET,           /* s why */
};

struct anpu_trace {
    enum anpu_trace_kind kind;
    uint32_t a, b, c, d;
    uint64_t x, y;
    const char *s;
};

/*
 * Services the core needs from its environment. @opaque is passed back
 * unchanged. The memory callbacks return 0 on success, -1 when the access
 * failed (unmapped address, bus mastering off, ...). Only now_ns() may be
 * called from a worker thread; the others are called from the core's
 * thread.
 */
struct anpu_ops {
    /* Read @len bytes of guest (bus) memory at @addr into @buf. */
    int (*host_read)(void *opaque, uint64_t addr, void *buf, uint64_t len);
    /* Write @len bytes from @buf to guest (bus) memory at @addr. */
    int (*host_write)(void *opaque, uint64_t addr, const void *buf,
                      uint64_t len);
    /*
     * Host pointer to HBM bytes [@offset, @offset + @len), or NULL when the
     * range is not inside device memory. The core checks the range first;
     * the callback must check again. Stays valid as long as the device.
     */
    uint8_t *(*hbm_map)(void *opaque, uint64_t offset, uint64_t len);
    /*
     * Map guest RAM at bus address @addr for direct access from any
     * thread: a host pointer to *@len bytes (shortened to what is
     * contiguous), or NULL when @addr is not RAM. Undone by ram_unmap()
     * with the same pointer and length.
     */
    uint8_t *(*ram_map)(void *opaque, uint64_t addr, uint64_t *len,
                        bool is_write);
    void (*ram_unmap)(void *opaque, uint8_t *host, uint64_t len,
                      bool is_write);
    /* Send MSI-X message @vector (the cause is already in IRQ_STATUS). */
    void (*raise_irq)(void *opaque, unsigned int vector);
    /* Arrange for anpu_process() to run soon, outside the current access. */
    void (*kick)(void *opaque);
    /* Report a guest programming mistake (one line, no newline). */
    void (*guest_error)(void *opaque, const char *msg);
    /* A monotonic clock in nanoseconds; thread-safe. */
    uint64_t (*now_ns)(void *opaque);
    /*
     * Call anpu_timer() once now_ns() >= @when, replacing any earlier
     * request; ANPU_TIMER_OFF cancels.
     */
    void (*timer_arm)(void *opaque, uint64_t when);
    /* Run @job with anpu_job_run(), then hand it to anpu_job_done(). */
    void (*submit_job)(void *opaque, struct anpu_job *job);
    /* Optional: report @ev to a trace backend. */
    void (*trace)(void *opaque, const struct anpu_trace *ev);
};

/* A DMA command as latched when the guest wrote START. */
struct anpu_dma_cmd {
    uint64_t host;
    uint64_t dev;
    uint32_t len;
    uint32_t ctrl;
    /* The firmware was running when START was written. */
    bool booted;
};

/* One entry of the running firmware's op table. */
struct anpu_op_slot {
    uint32_t op_id;
    uint32_t version;
    char name[24];
    const struct anpu_op_impl *impl;
};

struct anpu {
    struct anpu_config cfg;
    const struct anpu_ops *ops;
    void *opaque;

    /* Registers (see vascend_hw.h for meaning). */
    uint32_t scratch;
    uint32_t irq_status;
    uint64_t fw_addr;
    uint32_t fw_size;
    uint32_t fw_status;
    uint32_t fw_version;
    /* Build-info string of the running image (truncated). */
    char fw_build_info[64];
    uint64_t dma_host;
    uint64_t dma_dev;
    uint32_t dma_len;
    uint32_t dma_status;
    uint32_t dma_seq;
    uint32_t clock_hi_latch;
    uint64_t aq_sq_base;
    uint64_t aq_cq_base;
    uint32_t aq_depth;
    uint32_t aq_ctrl;
    uint32_t aq_status;
    uint32_t fatal_status;
    uint64_t ecc_addr;
    uint32_t fault_armed;

    /* now_ns() at the last reset: the device clock counts from here. */
    uint64_t clock_base;

    /* Work requested by a doorbell, done by anpu_process(). */
    bool fw_pending;
    uint64_t fw_cmd_addr;           /* FW_ADDR and FW_SIZE, latched */
    uint32_t fw_cmd_size;
    bool dma_pending;
    struct anpu_dma_cmd dma_cmd;
    /* RESET written while work was pending: applied after that work. */
    bool reset_pending;
    /* AQ_CTRL.ENABLE cleared: applied once the jobs are back. */
    bool aq_disable_pending;
    /* A doorbell or event completed: parked queues look again. */
    bool wait_recheck;
    /* Armed fault that fires now (ECC, firmware crash). */
    bool fault_pending;
    /* ECC error: IO queues stay stopped until DEVICE_RESET. */
    bool ecc_stopped;
    /* An admin command waits for IO jobs to drain: start no IO task. */
    bool io_frozen;

    /* What the running firmware enables. */
    struct anpu_op_slot *op_table;
    uint32_t op_count;
    uint32_t hdc_services[ANPU_FW_MAX_SERVICES];
    uint32_t hdc_service_count;

    /* Queue pairs: [0] the admin queue, then the IO queues. */
    struct anpu_queue queues[ANPU_MAX_QUEUES];
    uint32_t io_queues;
    struct anpu_ctx *ctxs[ANPU_MAX_CONTEXTS];
    uint32_t contexts;

    /* Jobs handed to the environment and not back yet. */
    uint32_t jobs_out;
    /* Tasks started since power-on (struct anpu_task.seq). */
    uint64_t task_seq;
    /* Coalescing timer as armed (ANPU_TIMER_OFF: none), device clock. */
    uint64_t timer_when;
    /* Bytes of validated model images the contexts' caches hold. */
    uint64_t model_cache_bytes;

    struct anpu_telemetry tele;
    struct anpu_mmu_env mmu_env;
    struct anpu_log log;
    struct anpu_hdc hdc;

    uint8_t bounce[ANPU_DMA_CHUNK];
};

/*
 * Check @cfg (NULL-terminated @why set on failure, for the caller to report)
 * and return whether a device can be built from it.
 */
bool anpu_config_check(const struct anpu_config *cfg, const char **why);

/* Set up @d in its power-on state. @cfg must have passed anpu_config_check. */
void anpu_init(struct anpu *d, const struct anpu_config *cfg,
               const struct anpu_ops *ops, void *opaque);

/*
 * Power-on state now, dropping pending work (device or bus reset). Jobs
 * still out are orphaned: anpu_job_done() frees them without effect.
 */
void anpu_reset(struct anpu *d);

/*
 * Free what the device holds (after the environment handed back every
 * job). @d may be initialised again afterwards.
 */
void anpu_fini(struct anpu *d);

/* 32-bit register access at byte offset @off of BAR0. Never blocks. */
uint32_t anpu_reg_read(struct anpu *d, uint64_t off);
void anpu_reg_write(struct anpu *d, uint64_t off, uint32_t val);

/*
 * Do the work the doorbells asked for; raises the interrupts. Bounded: when
 * more is ready it calls ops->kick() again.
 */
void anpu_process(struct anpu *d);

/* The ops->timer_arm() deadline passed. */
void anpu_timer(struct anpu *d);

/* A job the environment ran is back (see anpu_job.h). */
void anpu_job_done(struct anpu *d, struct anpu_job *job);

/* True while anpu_process() has something to do. */
bool anpu_work_pending(const struct anpu *d);

/* Internal helpers shared by the core's files. */
void anpu_guest_error(struct anpu *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void anpu_trace(struct anpu *d, enum anpu_trace_kind kind, uint32_t a,
                uint32_t b, uint32_t c, uint32_t dd, uint64_t x, uint64_t y,
                const char *s);
void anpu_raise(struct anpu *d, uint32_t cause, unsigned int vector);
void anpu_log_event(struct anpu *d, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif /* ANPU_H */

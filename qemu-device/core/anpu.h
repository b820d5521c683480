/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ascend-npu device core: the guest-visible behaviour of the vascend NPU
 * (include/uapi/vascend_hw.h) in plain C11, free of QEMU headers so it can be
 * unit-tested and fuzzed on the host.
 *
 * The core never blocks and never touches memory by itself: everything
 * outside its own state goes through struct anpu_ops, which the QEMU glue
 * (hw/misc/ascend_npu.c) or a test harness provides. Register accesses only
 * latch values; work (firmware boot, DMA) is requested with ops->kick() and
 * done later by anpu_process(), outside the register access. The core is not
 * thread-safe: the caller serialises anpu_reg_read/write, anpu_process and
 * anpu_reset (QEMU runs them all under the BQL).
 */
#ifndef ANPU_H
#define ANPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vascend_hw.h"

#define ANPU_AICORES_MIN        1
#define ANPU_AICORES_MAX        64
#define ANPU_HBM_MIN            (1ULL << 20)
/* q35's 64-bit PCI hole is 32 GiB by default: leave room for a second card. */
#define ANPU_HBM_MAX            (16ULL << 30)
/* Vectors implemented; reported in VASCEND_REG_MSIX_COUNT. */
#define ANPU_MSIX_VECTORS       8

/* Room for the explanation of a refusal (firmware image, DMA command). */
#define ANPU_WHY_LEN            128

/* Size of the DMA bounce buffer: bytes moved per host memory callback. */
#define ANPU_DMA_CHUNK          (64U << 10)

/* What the device is; fixed at creation. */
struct anpu_config {
    uint32_t aicores;
    uint32_t msix_vectors;
    uint64_t hbm_size;
    /* NUL-padded ASCII, as VASCEND_REG_SOC_NAME shows it. */
    char soc_name[VASCEND_SOC_NAME_LEN];
};

/*
 * Services the core needs from its environment. @opaque is passed back
 * unchanged. The memory callbacks return 0 on success, -1 when the access
 * failed (unmapped address, bus mastering off, ...).
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
     * the callback must check again.
     */
    uint8_t *(*hbm_map)(void *opaque, uint64_t offset, uint64_t len);
    /* Send MSI-X message @vector (the cause is already in IRQ_STATUS). */
    void (*raise_irq)(void *opaque, unsigned int vector);
    /* Arrange for anpu_process() to run soon, outside the current access. */
    void (*kick)(void *opaque);
    /* Report a guest programming mistake (one line, no newline). */
    void (*guest_error)(void *opaque, const char *msg);
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
    /* Build-info string of the running image (truncated), for tracing. */
    char fw_build_info[64];
    uint64_t dma_host;
    uint64_t dma_dev;
    uint32_t dma_len;
    uint32_t dma_status;
    uint32_t dma_seq;

    /* Work requested by a doorbell, done by anpu_process(). */
    bool fw_pending;
    uint64_t fw_cmd_addr;           /* FW_ADDR and FW_SIZE, latched */
    uint32_t fw_cmd_size;
    bool dma_pending;
    struct anpu_dma_cmd dma_cmd;
    /* RESET written while work was pending: applied after that work. */
    bool reset_pending;

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

/* Power-on state now, dropping pending work (device or bus reset). */
void anpu_reset(struct anpu *d);

/* 32-bit register access at byte offset @off of BAR0. Never blocks. */
uint32_t anpu_reg_read(struct anpu *d, uint64_t off);
void anpu_reg_write(struct anpu *d, uint64_t off, uint32_t val);

/* Do the work the doorbells asked for; raises the interrupts. */
void anpu_process(struct anpu *d);

/* True while anpu_process() has something to do. */
bool anpu_work_pending(const struct anpu *d);

#endif /* ANPU_H */

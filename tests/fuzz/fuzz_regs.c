// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz target: the device as the guest CPU sees it. The input is a program
 * of BAR0 register and doorbell accesses (registers, the 64 queue doorbell
 * pages, the HDC page, reserved space), writes to guest memory (rings,
 * firmware images, HDC slots), and the environment's side: bottom-half
 * runs, job completions in any order, the clock and its timer, FLR, failing
 * DMA. Everything runs on this thread, deterministically.
 *
 * Invariants: those of fuzz_harness.h (memory, mappings, writes only where
 * the guest pointed the device, bookkeeping after every bottom half, no
 * missed wakeup), and at the end every job back and every mapping undone.
 *
 * Input: one config byte, then steps of an opcode byte and its operands
 * (see the switch); reading past the end gives zeroes.
 */
#include "fuzz_harness.h"
#include "vascend_fw.h"

#define RAM_SIZE        (256U << 10)
#define HBM_SIZE        (1U << 20)
#define MAX_STEPS       2000

static const uint32_t regs[] = {
    VASCEND_REG_MAGIC, VASCEND_REG_VERSION, VASCEND_REG_CAPS_LO,
    VASCEND_REG_CAPS_HI, VASCEND_REG_AICORE_COUNT, VASCEND_REG_MSIX_COUNT,
    VASCEND_REG_HBM_SIZE_LO, VASCEND_REG_HBM_SIZE_HI, VASCEND_REG_SCRATCH,
    VASCEND_REG_STATUS, VASCEND_REG_IRQ_STATUS, VASCEND_REG_RESET,
    VASCEND_REG_MAX_QUEUES, VASCEND_REG_MAX_QUEUE_DEPTH,
    VASCEND_REG_MAX_CONTEXTS, VASCEND_REG_DOORBELL_BASE,
    VASCEND_REG_CLOCK_LO, VASCEND_REG_CLOCK_HI, VASCEND_REG_AQ_SQ_BASE_LO,
    VASCEND_REG_AQ_SQ_BASE_HI, VASCEND_REG_AQ_CQ_BASE_LO,
    VASCEND_REG_AQ_CQ_BASE_HI, VASCEND_REG_AQ_DEPTH, VASCEND_REG_AQ_CTRL,
    VASCEND_REG_AQ_STATUS, VASCEND_REG_FATAL_STATUS,
    VASCEND_REG_ECC_ADDR_LO, VASCEND_REG_ECC_ADDR_HI,
    VASCEND_REG_FAULT_INJECT, VASCEND_REG_FW_ADDR_LO,
    VASCEND_REG_FW_ADDR_HI, VASCEND_REG_FW_SIZE, VASCEND_REG_FW_CTRL,
    VASCEND_REG_FW_STATUS, VASCEND_REG_FW_VERSION, VASCEND_REG_SOC_NAME,
    VASCEND_REG_SOC_NAME + 28, VASCEND_REG_DMA_HOST_LO,
    VASCEND_REG_DMA_HOST_HI, VASCEND_REG_DMA_DEV_LO, VASCEND_REG_DMA_DEV_HI,
    VASCEND_REG_DMA_LEN, VASCEND_REG_DMA_CTRL, VASCEND_REG_DMA_STATUS,
    VASCEND_REG_DMA_SEQ,
};
#define NREGS   (sizeof(regs) / sizeof(regs[0]))

/* Registers that take a bus address (written _LO then _HI). */
static const uint32_t addr_regs[] = {
    VASCEND_REG_FW_ADDR_LO, VASCEND_REG_DMA_HOST_LO,
    VASCEND_REG_AQ_SQ_BASE_LO, VASCEND_REG_AQ_CQ_BASE_LO,
};

static struct fz_mem mem;
static struct fz_dev fd;
static struct img im;

/* A naturally aligned BAR0 offset: a named register, a doorbell, or any. */
static uint64_t pick_off(struct fin *in)
{
    uint8_t sel = fin_u8(in);

    if (sel < NREGS) {
        return regs[sel];
    }
    if (sel < NREGS + 2 * (ANPU_MAX_QUEUES + 1)) {
        sel -= NREGS;
        return VASCEND_DOORBELL(sel >> 1) + (sel & 1) * 4;
    }
    return fin_u32(in) & (VASCEND_REGS_BAR_SIZE - 4);
}

/* A firmware image from the input, sealed so it gets past the CRC. */
static void input_image(struct fin *in, struct img *out)
{
    uint8_t data[1024];
    uint32_t n, k, type, size;

    n = fin_u8(in);
    img_start(out, n & 0x80 ? fin_u32(in) : TEST_FW_VERSION);
    for (k = 0; k < (n & 7); k++) {
        type = fin_u8(in) % 5;
        size = fin_u16(in) % sizeof(data);
        fin_bytes(in, data, size);
        if (out->len + 8 + ((size + 7) & ~7U) > IMG_CAP) {
            break;
        }
        img_add(out, type, data, size);
    }
    img_seal(out);
}

static void write_sqe(struct fin *in, bool ring)
{
    unsigned int qid = fin_u8(in) % ANPU_MAX_QUEUES;
    struct anpu_queue *q = &fd.dev.queues[qid];
    uint8_t sqe[VASCEND_SQE_SIZE];
    uint64_t addr;

    fin_bytes(in, sqe, sizeof(sqe));
    if (!q->exists) {
        return;
    }
    addr = q->sq_base + (uint64_t)q->sq_tail * VASCEND_SQE_SIZE;
    if (fz_in_ram(&mem, addr, sizeof(sqe))) {
        fz_mem_write(&mem, addr, sqe, sizeof(sqe));
    }
    if (ring) {
        fz_wr(&fd, VASCEND_DOORBELL(qid) + VASCEND_DB_SQ_TAIL,
              (q->sq_tail + 1) & (q->depth - 1));
    }
}

static void write_hdc_slot(struct fin *in)
{
    const struct anpu_hdc *h = &fd.dev.hdc;
    uint8_t slot[32 + 256];
    uint32_t len = 32 + fin_u8(in);
    uint64_t addr;

    fin_bytes(in, slot, len);
    if (!h->up) {
        return;
    }
    addr = h->h2d_base +
           (uint64_t)(h->h2d_tail & (h->slot_count - 1)) * h->slot_size;
    if (fz_in_ram(&mem, addr, len)) {
        fz_mem_write(&mem, addr, slot, len);
    }
    fz_wr(&fd, VASCEND_DOORBELL_HDC + VASCEND_HDC_DB_H2D_TAIL,
          h->h2d_tail + 1);
}

static void doorbell(struct fin *in)
{
    uint8_t sel = fin_u8(in);
    unsigned int qid = (sel >> 1) % (ANPU_MAX_QUEUES + 1);
    const struct anpu_queue *q = &fd.dev.queues[qid % ANPU_MAX_QUEUES];
    uint32_t val = fin_u8(in);

    if (qid == ANPU_MAX_QUEUES) {
        /* HDC: relative to the latched values, or anything. */
        if (sel & 1) {
            val += fd.dev.hdc.d2h_head;
        } else {
            val += fd.dev.hdc.h2d_tail;
        }
        if (val & 0x80) {
            val = fin_u32(in);
        }
        fz_wr(&fd, VASCEND_DOORBELL_HDC + (sel & 1) * 4, val);
        return;
    }
    if (val & 0x80) {
        val = fin_u32(in);
    } else {
        val += (sel & 1) ? q->cq_head : q->sq_tail;
        val &= q->depth ? q->depth - 1 : 0;
    }
    fz_wr(&fd, VASCEND_DOORBELL(qid) + (sel & 1) * 4, val);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fin in = { data, size };
    struct anpu_config cfg;
    unsigned int steps;
    uint64_t addr;
    uint32_t v;
    uint8_t buf[256], op;

    if (!mem.ram) {
        fz_mem_init(&mem, RAM_SIZE, HBM_SIZE);
    }
    /* Config byte: AI Cores (bits 2:0), scheduling (4:3), clock (7:5). */
    op = fin_u8(&in);
    fz_config(&cfg, 1 + op % 8, HBM_SIZE);
    fz_dev_init(&fd, &mem, &cfg);
    fd.sched = (op >> 3 & 3) * 0x9e3779b9U;
    fd.clock_step = (op >> 5) * 250;
    for (steps = 0; steps < MAX_STEPS && fin_more(&in); steps++) {
        op = fin_u8(&in);
        switch ((op & 0x7f) % 18) {
        case 0:
            addr = pick_off(&in);
            fz_wr(&fd, addr, fin_u32(&in));
            break;
        case 1:
            v = fin_u8(&in);
            addr = FZ_GUEST_BASE + fin_u32(&in) % RAM_SIZE;
            fz_wr64(&fd, addr_regs[v % 4], v & 0x80 ? addr & ~0xfffULL : addr);
            break;
        case 2:
            fz_rd(&fd, pick_off(&in));
            break;
        case 3:
            if (fd.bh) {
                fz_bh(&fd);
            }
            break;
        case 4:
            fz_run_jobs(&fd, 1 + fin_u8(&in) % 8);
            break;
        case 5:
            fz_settle(&fd);
            break;
        case 6:
            fd.clock += fin_u32(&in);
            fz_timer_check(&fd);
            break;
        case 7:
            addr = FZ_GUEST_BASE + fin_u32(&in) % RAM_SIZE;
            v = 1 + fin_u8(&in);
            fin_bytes(&in, buf, v);
            if (fz_in_ram(&mem, addr, v)) {
                fz_mem_write(&mem, addr, buf, v);
            }
            break;
        case 8:
            if (fin_u8(&in) & 1) {
                input_image(&in, &im);
            } else {
                fz_fw_standard(&im);
            }
            addr = FZ_GUEST_BASE +
                   (fin_u16(&in) * 8ULL) % (RAM_SIZE - im.len);
            fz_fw_boot(&fd, &im, addr);
            break;
        case 9:
        case 10:
            write_sqe(&in, (op & 0x7f) % 18 == 10);
            break;
        case 11:
            v = fin_u8(&in) % ANPU_MAX_QUEUES;
            if (fd.dev.queues[v].exists && fz_verbose()) {
                const struct anpu_queue *q = &fd.dev.queues[v];
                uint32_t i;

                for (i = q->cq_head; i != q->cq_tail;
                     i = (i + 1) & (q->depth - 1)) {
                    const struct vascend_cqe *c = (const void *)
                        (mem.ram + (q->cq_base - FZ_GUEST_BASE) + 64 * i);

                    if (fz_in_ram(&mem, q->cq_base + 64 * i, 64)) {
                        FZ_LOG("cqe q%u task %u status 0x%x result 0x%llx\n",
                               v, c->task_id, c->status,
                               (unsigned long long)c->result);
                    }
                }
            }
            if (fd.dev.queues[v].exists) {
                fz_wr(&fd, VASCEND_DOORBELL(v) + VASCEND_DB_CQ_HEAD,
                      fd.dev.queues[v].cq_tail);
            }
            break;
        case 12:
            fz_flr(&fd);
            break;
        case 13:
            v = fin_u8(&in);
            mem.fail_read = v & 1;
            mem.fail_write = v & 2;
            mem.block = (v >> 2) ? 512ULL << (v >> 5) : 0;
            break;
        case 14:
            write_hdc_slot(&in);
            break;
        case 15:
            fz_wr(&fd, VASCEND_DOORBELL_HDC + VASCEND_HDC_DB_D2H_HEAD,
                  fd.dev.hdc.d2h_tail);
            break;
        case 16:
            doorbell(&in);
            break;
        default:
            if (fd.timer_when != ANPU_TIMER_OFF) {
                if (fd.clock < fd.timer_when) {
                    fd.clock = fd.timer_when;
                }
                fz_timer_check(&fd);
            }
            break;
        }
    }
    mem.fail_read = mem.fail_write = false;
    fz_settle(&fd);
    fz_probe_idle(&fd);
    fz_dev_finish(&fd);
    return 0;
}

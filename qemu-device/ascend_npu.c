/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ascend-npu: the vascend virtual Huawei Ascend NPU, QEMU glue.
 *
 * What the guest sees is specified by include/uapi/vascend_*.h in the
 * vascend repository and implemented by the device core in ascend-npu/
 * (plain C, no QEMU headers, unit-tested on the host). This file only binds
 * that core to QEMU: PCI identity and BARs, MSI-X, DMA through the PCI
 * bus-master address space, the bottom half that runs the core's state
 * machine, the worker threads that run its jobs, the coalescing timer,
 * properties and tracing.
 *
 * Usage:
 *   -device ascend-npu[,aicores=N][,hbm=SIZE][,soc=NAME][,hdc-dir=DIR]
 *                     [,hdc-file-max=SIZE][,ops=fast|reference]
 *
 * Properties:
 *   aicores=N       AI Cores (VASCEND_REG_AICORE_COUNT), 1..64, default 8.
 *                   The device runs jobs on min(N, 8) worker threads.
 *   hbm=SIZE        Device memory (HBM), exposed as BAR2. A power of two
 *                   from 1M to 16G, default 256M. Host memory is only used
 *                   as the guest touches it.
 *   soc=NAME        SoC name in VASCEND_REG_SOC_NAME: 1 to 31 printable
 *                   ASCII characters, default "Ascend910B3".
 *   hdc-dir=DIR     Directory of the HDC file service; unset: the service
 *                   refuses every request.
 *   hdc-file-max=SIZE
 *                   Largest file the HDC file service accepts, default 64M.
 *   ops=MODE        How the operator library runs KERNEL_LAUNCH and
 *                   MODEL_EXECUTE: "fast" (default: the OpenBLAS and
 *                   oneDNN paths where an op has one) or "reference" (every
 *                   op's plain reference loops, to compare against).
 *   inject-fault=NAME
 *                   Only at run time, with qom-set: arm one fault,
 *                   "aicore-hang", "dma-error", "ecc" or "fw-crash"
 *                   ("none" disarms); qom-get reads the armed one.
 *
 * PCI function: vendor 0x19e5, device 0xd5a0 (subsystem the same),
 * revision 0x01, class 0x1200, PCIe endpoint with FLR. BAR0: registers and
 * one doorbell page per queue plus HDC's (512 KiB), naturally aligned 32-bit
 * accesses only. BAR2: HBM, 64-bit prefetchable RAM. BAR4: MSI-X table and
 * PBA, ANPU_MSIX_VECTORS (8) vectors. No INTx.
 *
 * Threading: register accesses never do work: they latch values and
 * schedule a bottom half, which runs the core's state machine (rings,
 * contexts, completions, interrupts) under the BQL. The core cuts heavy work
 * (data movement, AI Core compute) into jobs, which a pool of worker threads
 * runs without the BQL; a finished job goes back through the bottom half.
 * The bottom half is guarded by the device's reentrancy guard, so a DMA or
 * an MSI aimed at the device's own BARs cannot re-enter it. A reset
 * (RESET register, FLR, system reset) cancels the jobs and waits the
 * bounded time it takes a worker to notice. Guest mistakes are logged with
 * -d guest_errors and traced (-trace 'ascend_npu_*').
 *
 * Migration is not supported yet: the device is marked unmigratable.
 */

#include "qemu/osdep.h"
#include "qapi/error.h"
#include "qemu/log.h"
#include "qemu/main-loop.h"
#include "qemu/module.h"
#include "qemu/thread.h"
#include "qemu/timer.h"
#include "qemu/units.h"
#include "hw/pci/msix.h"
#include "hw/pci/pci_device.h"
#include "hw/pci/pcie.h"
#include "hw/qdev-properties.h"
#include "migration/vmstate.h"
#include "system/dma.h"
#include "trace.h"

#include "ascend-npu/anpu.h"
#include "ascend-npu/anpu_fault.h"
#include "ascend-npu/anpu_job.h"
#include "ascend-npu/anpu_oplib.h"

#define TYPE_ASCEND_NPU "ascend-npu"
OBJECT_DECLARE_SIMPLE_TYPE(AscendNpuState, ASCEND_NPU)

#define ASCEND_NPU_PCIE_CAP_OFFSET  0x80
#define ASCEND_NPU_DEFAULT_SOC      "Ascend910B3"
#define ASCEND_NPU_DEFAULT_OPS      "fast"
#define ASCEND_NPU_MAX_THREADS      8

struct AscendNpuState {
    PCIDevice parent_obj;

    MemoryRegion regs;
    MemoryRegion hbm;
    /* Runs the core: job completions, timer, anpu_process(). */
    QEMUBH *bh;
    /* Interrupt coalescing deadline (QEMU_CLOCK_VIRTUAL). */
    QEMUTimer *timer;
    bool timer_fired;
    struct anpu core;

    /* The worker pool. */
    QemuThread *threads;
    unsigned int nthreads;
    /* Protects todo, done, running and stopping. */
    QemuMutex pool_lock;
    /* Signalled when a job is queued or the pool stops: wakes one worker. */
    QemuCond pool_cond;
    /*
     * Signalled when the last running job finishes, for quiesce only: a
     * broadcast on pool_cond per finished job would wake every idle worker.
     */
    QemuCond idle_cond;
    struct anpu_job *todo;
    struct anpu_job **todo_tail;
    struct anpu_job *done;
    struct anpu_job **done_tail;
    unsigned int running;
    bool stopping;

    /* Properties */
    uint32_t aicores;
    uint64_t hbm_size;
    char *soc;
    char *hdc_dir;
    uint64_t hdc_file_max;
    char *ops;
};

static void job_append(struct anpu_job ***tail, struct anpu_job *job)
{
    job->env_next = NULL;
    **tail = job;
    *tail = &job->env_next;
}

/* Take a whole job list (under pool_lock). */
static struct anpu_job *job_take_all(struct anpu_job **head,
                                     struct anpu_job ***tail)
{
    struct anpu_job *list = *head;

    *head = NULL;
    *tail = head;
    return list;
}

static int ascend_npu_host_read(void *opaque, uint64_t addr, void *buf,
                                uint64_t len)
{
    AscendNpuState *s = opaque;

    return pci_dma_read(PCI_DEVICE(s), addr, buf, len) == MEMTX_OK ? 0 : -1;
}

static int ascend_npu_host_write(void *opaque, uint64_t addr,
                                 const void *buf, uint64_t len)
{
    AscendNpuState *s = opaque;

    return pci_dma_write(PCI_DEVICE(s), addr, buf, len) == MEMTX_OK ? 0 : -1;
}

static uint8_t *ascend_npu_hbm_map(void *opaque, uint64_t offset,
                                   uint64_t len)
{
    AscendNpuState *s = opaque;
    uint64_t size = memory_region_size(&s->hbm);

    if (offset > size || len > size - offset) {
        return NULL;
    }
    return (uint8_t *)memory_region_get_ram_ptr(&s->hbm) + offset;
}

/*
 * Direct access to guest RAM through the bus-master address space (so an
 * IOMMU and the bus-master enable bit apply). Anything that is not RAM the
 * device may access directly (MMIO, ROM for writes) is refused rather than
 * bounced: the caller turns that into an MMU fault.
 */
static uint8_t *ascend_npu_ram_map(void *opaque, uint64_t addr,
                                   uint64_t *len, bool is_write)
{
    AscendNpuState *s = opaque;
    AddressSpace *as = pci_get_address_space(PCI_DEVICE(s));
    MemTxAttrs attrs = MEMTXATTRS_UNSPECIFIED;
    MemoryRegion *mr;
    hwaddr xlat, plen = *len;
    dma_addr_t dlen = *len;
    void *p;

    RCU_READ_LOCK_GUARD();
    mr = address_space_translate(as, addr, &xlat, &plen, is_write, attrs);
    if (!memory_access_is_direct(mr, is_write, attrs)) {
        return NULL;
    }
    p = dma_memory_map(as, addr, &dlen, is_write ? DMA_DIRECTION_FROM_DEVICE
                       : DMA_DIRECTION_TO_DEVICE, attrs);
    if (!p || !dlen) {
        return NULL;
    }
    *len = dlen;
    return p;
}

static void ascend_npu_ram_unmap(void *opaque, uint8_t *host, uint64_t len,
                                 bool is_write)
{
    AscendNpuState *s = opaque;

    /* Marks written pages dirty and drops TCG's code translated from them. */
    dma_memory_unmap(pci_get_address_space(PCI_DEVICE(s)), host, len,
                     is_write ? DMA_DIRECTION_FROM_DEVICE :
                     DMA_DIRECTION_TO_DEVICE, len);
}

static void ascend_npu_raise_irq(void *opaque, unsigned int vector)
{
    AscendNpuState *s = opaque;
    PCIDevice *pdev = PCI_DEVICE(s);
    bool enabled = msix_enabled(pdev);

    trace_ascend_npu_irq(vector, s->core.irq_status, enabled);
    if (enabled && vector < ANPU_MSIX_VECTORS) {
        msix_notify(pdev, vector);
    }
}

static void ascend_npu_kick(void *opaque)
{
    AscendNpuState *s = opaque;

    qemu_bh_schedule(s->bh);
}

static void ascend_npu_guest_error(void *opaque, const char *msg)
{
    PCIDevice *pdev = PCI_DEVICE(opaque);

    trace_ascend_npu_guest_error(msg);
    qemu_log_mask(LOG_GUEST_ERROR, "ascend-npu %02x:%02x.%x: %s\n",
                  pci_dev_bus_num(pdev), PCI_SLOT(pdev->devfn),
                  PCI_FUNC(pdev->devfn), msg);
}

/* Any thread: the device clock's source. */
static uint64_t ascend_npu_now_ns(void *opaque)
{
    return qemu_clock_get_ns(QEMU_CLOCK_VIRTUAL);
}

static void ascend_npu_timer_arm(void *opaque, uint64_t when)
{
    AscendNpuState *s = opaque;

    if (when == ANPU_TIMER_OFF) {
        timer_del(s->timer);
    } else {
        timer_mod(s->timer, when);
    }
}

/* The deadline passed: let the bottom half (reentrancy guard) handle it. */
static void ascend_npu_timer_cb(void *opaque)
{
    AscendNpuState *s = opaque;

    s->timer_fired = true;
    qemu_bh_schedule(s->bh);
}

static void ascend_npu_submit_job(void *opaque, struct anpu_job *job)
{
    AscendNpuState *s = opaque;

    qemu_mutex_lock(&s->pool_lock);
    job_append(&s->todo_tail, job);
    qemu_cond_signal(&s->pool_cond);
    qemu_mutex_unlock(&s->pool_lock);
}

static void ascend_npu_trace(void *opaque, const struct anpu_trace *ev)
{
    switch (ev->kind) {
    case ANPU_TRACE_FW_BOOT:
        trace_ascend_npu_fw_boot(ev->x, ev->a);
        break;
    case ANPU_TRACE_FW_DONE:
        trace_ascend_npu_fw_done(ev->a, ev->b, ev->s);
        break;
    case ANPU_TRACE_DMA_START:
        trace_ascend_npu_dma_start(ev->x, ev->y, ev->a, ev->b);
        break;
    case ANPU_TRACE_DMA_DONE:
        trace_ascend_npu_dma_done(ev->a, ev->b);
        break;
    case ANPU_TRACE_ADMIN:
        trace_ascend_npu_admin(ev->a, ev->b, ev->c, ev->x);
        break;
    case ANPU_TRACE_QUEUE_CREATE:
        trace_ascend_npu_queue_create(ev->a, ev->b, ev->c, ev->d);
        break;
    case ANPU_TRACE_QUEUE_DELETE:
        trace_ascend_npu_queue_delete(ev->a);
        break;
    case ANPU_TRACE_CTX_CREATE:
        trace_ascend_npu_ctx_create(ev->a, ev->x);
        break;
    case ANPU_TRACE_CTX_DELETE:
        trace_ascend_npu_ctx_delete(ev->a);
        break;
    case ANPU_TRACE_TASK:
        trace_ascend_npu_task(ev->a, ev->b, ev->c, ev->d, ev->x);
        break;
    case ANPU_TRACE_MMU_FAULT:
        trace_ascend_npu_mmu_fault(ev->a, ev->x, ev->b);
        break;
    case ANPU_TRACE_FAULT_ARMED:
        trace_ascend_npu_fault_armed(ev->s);
        break;
    case ANPU_TRACE_FAULT_FIRED:
        trace_ascend_npu_fault_fired(ev->s);
        break;
    case ANPU_TRACE_FATAL:
        trace_ascend_npu_fatal(ev->a);
        break;
    case ANPU_TRACE_RESET:
        trace_ascend_npu_reset(ev->s);
        break;
    }
}

static const struct anpu_ops ascend_npu_core_ops = {
    .host_read = ascend_npu_host_read,
    .host_write = ascend_npu_host_write,
    .hbm_map = ascend_npu_hbm_map,
    .ram_map = ascend_npu_ram_map,
    .ram_unmap = ascend_npu_ram_unmap,
    .raise_irq = ascend_npu_raise_irq,
    .kick = ascend_npu_kick,
    .guest_error = ascend_npu_guest_error,
    .now_ns = ascend_npu_now_ns,
    .timer_arm = ascend_npu_timer_arm,
    .submit_job = ascend_npu_submit_job,
    .trace = ascend_npu_trace,
};

/* A worker: runs jobs without the BQL, hands them back to the BH. */
static void *ascend_npu_worker(void *opaque)
{
    AscendNpuState *s = opaque;
    struct anpu_job *job;

    qemu_mutex_lock(&s->pool_lock);
    while (!s->stopping) {
        job = s->todo;
        if (!job) {
            qemu_cond_wait(&s->pool_cond, &s->pool_lock);
            continue;
        }
        s->todo = job->env_next;
        if (!s->todo) {
            s->todo_tail = &s->todo;
        }
        s->running++;
        qemu_mutex_unlock(&s->pool_lock);

        trace_ascend_npu_job_start(job->kind, job->core);
        anpu_job_run(job);
        trace_ascend_npu_job_end(job->kind, job->core, job->stopped);

        qemu_mutex_lock(&s->pool_lock);
        s->running--;
        job_append(&s->done_tail, job);
        if (!s->running) {
            qemu_cond_broadcast(&s->idle_cond);
        }
        qemu_bh_schedule(s->bh);
    }
    qemu_mutex_unlock(&s->pool_lock);
    return NULL;
}

/* Hand every finished job back to the core (BQL held). */
static void ascend_npu_deliver(AscendNpuState *s)
{
    struct anpu_job *job, *next;

    qemu_mutex_lock(&s->pool_lock);
    job = job_take_all(&s->done, &s->done_tail);
    qemu_mutex_unlock(&s->pool_lock);
    for (; job; job = next) {
        next = job->env_next;
        anpu_job_done(&s->core, job);
    }
}

static void ascend_npu_bh(void *opaque)
{
    AscendNpuState *s = opaque;

    ascend_npu_deliver(s);
    if (s->timer_fired) {
        s->timer_fired = false;
        anpu_timer(&s->core);
    }
    anpu_process(&s->core);
}

/*
 * After the core cancelled its jobs: wait for the ones running (they stop
 * at their next chunk) so nothing writes guest memory after the reset, and
 * let the queued ones go back unrun. The core frees them all later.
 */
static void ascend_npu_quiesce(AscendNpuState *s)
{
    struct anpu_job *job, *next;

    qemu_mutex_lock(&s->pool_lock);
    while (s->running) {
        qemu_cond_wait(&s->idle_cond, &s->pool_lock);
    }
    job = job_take_all(&s->todo, &s->todo_tail);
    for (; job; job = next) {
        next = job->env_next;
        job_append(&s->done_tail, job);
    }
    qemu_mutex_unlock(&s->pool_lock);
}

static uint64_t ascend_npu_mmio_read(void *opaque, hwaddr addr,
                                     unsigned size)
{
    AscendNpuState *s = opaque;
    uint32_t val = anpu_reg_read(&s->core, addr);

    trace_ascend_npu_mmio_read(addr, val);
    return val;
}

static void ascend_npu_mmio_write(void *opaque, hwaddr addr, uint64_t val,
                                  unsigned size)
{
    AscendNpuState *s = opaque;

    trace_ascend_npu_mmio_write(addr, val);
    anpu_reg_write(&s->core, addr, val);
}

/* The contract allows naturally aligned 32-bit accesses only. */
static const MemoryRegionOps ascend_npu_mmio_ops = {
    .read = ascend_npu_mmio_read,
    .write = ascend_npu_mmio_write,
    .endianness = DEVICE_LITTLE_ENDIAN,
    .valid = {
        .min_access_size = 4,
        .max_access_size = 4,
        .unaligned = false,
    },
    .impl = {
        .min_access_size = 4,
        .max_access_size = 4,
    },
};

static void ascend_npu_start_pool(AscendNpuState *s)
{
    char name[32];
    unsigned int i;

    s->nthreads = MIN(s->aicores, ASCEND_NPU_MAX_THREADS);
    s->threads = g_new0(QemuThread, s->nthreads);
    for (i = 0; i < s->nthreads; i++) {
        snprintf(name, sizeof(name), "ascend-npu-w%u", i);
        qemu_thread_create(&s->threads[i], name, ascend_npu_worker, s,
                           QEMU_THREAD_JOINABLE);
    }
}

static void ascend_npu_stop_pool(AscendNpuState *s)
{
    unsigned int i;

    qemu_mutex_lock(&s->pool_lock);
    s->stopping = true;
    qemu_cond_broadcast(&s->pool_cond);
    qemu_mutex_unlock(&s->pool_lock);
    for (i = 0; i < s->nthreads; i++) {
        qemu_thread_join(&s->threads[i]);
    }
    g_free(s->threads);
    s->threads = NULL;
    s->nthreads = 0;
}

static void ascend_npu_realize(PCIDevice *pdev, Error **errp)
{
    AscendNpuState *s = ASCEND_NPU(pdev);
    struct anpu_config cfg = {
        .aicores = s->aicores,
        .msix_vectors = ANPU_MSIX_VECTORS,
        .hbm_size = s->hbm_size,
        .hdc_dir = s->hdc_dir,
        .hdc_file_max = s->hdc_file_max,
    };
    const char *why;
    unsigned int v;

    if (!s->soc || strlen(s->soc) >= sizeof(cfg.soc_name)) {
        error_setg(errp, "soc must be 1 to %zu characters",
                   sizeof(cfg.soc_name) - 1);
        return;
    }
    memcpy(cfg.soc_name, s->soc, strlen(s->soc));
    if (!anpu_config_check(&cfg, &why)) {
        error_setg(errp, "%s", why);
        return;
    }
    if (s->hdc_dir && !g_file_test(s->hdc_dir, G_FILE_TEST_IS_DIR)) {
        error_setg(errp, "hdc-dir %s is not a directory", s->hdc_dir);
        return;
    }
    if (!g_strcmp0(s->ops, "reference")) {
        cfg.ops_reference = true;
    } else if (g_strcmp0(s->ops, "fast")) {
        error_setg(errp, "ops must be \"fast\" or \"reference\", not \"%s\"",
                   s->ops ? s->ops : "");
        return;
    }
    /*
     * The library's ops and the model runner join the engine's built-in
     * ops before the first device exists (idempotent), so the firmware's
     * op table is checked against all of them.
     */
    anpu_oplib_register();
    trace_ascend_npu_ops(s->ops);

    if (pcie_endpoint_cap_init(pdev, ASCEND_NPU_PCIE_CAP_OFFSET) < 0) {
        error_setg(errp, "cannot add the PCIe capability");
        return;
    }
    pcie_cap_flr_init(pdev);

    memory_region_init_io(&s->regs, OBJECT(s), &ascend_npu_mmio_ops, s,
                          "ascend-npu-regs", VASCEND_REGS_BAR_SIZE);
    pci_register_bar(pdev, VASCEND_BAR_REGS, PCI_BASE_ADDRESS_SPACE_MEMORY,
                     &s->regs);

    if (!memory_region_init_ram(&s->hbm, OBJECT(s), "ascend-npu-hbm",
                                s->hbm_size, errp)) {
        goto err_pcie;
    }
    pci_register_bar(pdev, VASCEND_BAR_HBM,
                     PCI_BASE_ADDRESS_SPACE_MEMORY |
                     PCI_BASE_ADDRESS_MEM_TYPE_64 |
                     PCI_BASE_ADDRESS_MEM_PREFETCH, &s->hbm);

    if (msix_init_exclusive_bar(pdev, ANPU_MSIX_VECTORS, VASCEND_BAR_MSIX,
                                errp)) {
        goto err_hbm;
    }
    /* Every vector may fire: declare them all used (see msix_notify). */
    for (v = 0; v < ANPU_MSIX_VECTORS; v++) {
        msix_vector_use(pdev, v);
    }

    s->bh = qemu_bh_new_guarded(ascend_npu_bh, s,
                                &DEVICE(s)->mem_reentrancy_guard);
    s->timer = timer_new_ns(QEMU_CLOCK_VIRTUAL, ascend_npu_timer_cb, s);
    qemu_mutex_init(&s->pool_lock);
    qemu_cond_init(&s->pool_cond);
    qemu_cond_init(&s->idle_cond);
    s->todo_tail = &s->todo;
    s->done_tail = &s->done;
    s->stopping = false;
    anpu_init(&s->core, &cfg, &ascend_npu_core_ops, s);
    ascend_npu_start_pool(s);
    return;

err_hbm:
    vmstate_unregister_ram(&s->hbm, DEVICE(s));
err_pcie:
    pcie_cap_exit(pdev);
}

static void ascend_npu_exit(PCIDevice *pdev)
{
    AscendNpuState *s = ASCEND_NPU(pdev);
    struct anpu_job *job, *next;

    ascend_npu_stop_pool(s);
    /* Orphan what is left, then hand every job back so the core frees it. */
    anpu_reset(&s->core);
    job = job_take_all(&s->todo, &s->todo_tail);
    for (; job; job = next) {
        next = job->env_next;
        anpu_job_done(&s->core, job);
    }
    ascend_npu_deliver(s);
    anpu_fini(&s->core);

    timer_free(s->timer);
    s->timer = NULL;
    qemu_bh_delete(s->bh);
    s->bh = NULL;
    qemu_cond_destroy(&s->pool_cond);
    qemu_cond_destroy(&s->idle_cond);
    qemu_mutex_destroy(&s->pool_lock);
    msix_unuse_all_vectors(pdev);
    msix_uninit_exclusive_bar(pdev);
    vmstate_unregister_ram(&s->hbm, DEVICE(s));
    pcie_cap_exit(pdev);
}

/* System reset, bus reset and FLR. */
static void ascend_npu_reset(DeviceState *dev)
{
    AscendNpuState *s = ASCEND_NPU(dev);

    trace_ascend_npu_reset("device");
    if (!s->bh) {
        return;
    }
    anpu_reset(&s->core);
    ascend_npu_quiesce(s);
    timer_del(s->timer);
    s->timer_fired = false;
    /* The cancelled jobs go back to the core, which frees them. */
    qemu_bh_schedule(s->bh);
}

/* Config space: PCI's own handling, then FLR (Device Control bit 15). */
static void ascend_npu_write_config(PCIDevice *pdev, uint32_t addr,
                                    uint32_t val, int len)
{
    pci_default_write_config(pdev, addr, val, len);
    pcie_cap_flr_write_config(pdev, addr, val, len);
}

static char *ascend_npu_get_fault(Object *obj, Error **errp)
{
    AscendNpuState *s = ASCEND_NPU(obj);

    return g_strdup(anpu_fault_name(s->bh ? s->core.fault_armed :
                                    VASCEND_FAULT_NONE));
}

static void ascend_npu_set_fault(Object *obj, const char *value,
                                 Error **errp)
{
    AscendNpuState *s = ASCEND_NPU(obj);
    int code = anpu_fault_parse(value);

    if (code < 0) {
        error_setg(errp, "inject-fault: '%s' is not one of none, "
                   "aicore-hang, dma-error, ecc, fw-crash", value);
        return;
    }
    if (!s->bh) {
        /* The machine's first reset would disarm it anyway. */
        error_setg(errp, "inject-fault is for a running device (qom-set)");
        return;
    }
    anpu_fault_arm(&s->core, code);
}

static void ascend_npu_instance_init(Object *obj)
{
    AscendNpuState *s = ASCEND_NPU(obj);

    /* A string property has no static default; the setter frees this. */
    s->soc = g_strdup(ASCEND_NPU_DEFAULT_SOC);
    s->ops = g_strdup(ASCEND_NPU_DEFAULT_OPS);
    object_property_add_str(obj, "inject-fault", ascend_npu_get_fault,
                            ascend_npu_set_fault);
    object_property_set_description(obj, "inject-fault",
                                    "arm a fault: none, aicore-hang, "
                                    "dma-error, ecc, fw-crash");
}

static const Property ascend_npu_props[] = {
    DEFINE_PROP_UINT32("aicores", AscendNpuState, aicores, 8),
    DEFINE_PROP_SIZE("hbm", AscendNpuState, hbm_size, 256 * MiB),
    DEFINE_PROP_STRING("soc", AscendNpuState, soc),
    DEFINE_PROP_STRING("hdc-dir", AscendNpuState, hdc_dir),
    DEFINE_PROP_SIZE("hdc-file-max", AscendNpuState, hdc_file_max, 64 * MiB),
    DEFINE_PROP_STRING("ops", AscendNpuState, ops),
};

static const VMStateDescription ascend_npu_vmstate = {
    .name = TYPE_ASCEND_NPU,
    .unmigratable = 1,
};

static void ascend_npu_class_init(ObjectClass *klass, void *data)
{
    DeviceClass *dc = DEVICE_CLASS(klass);
    PCIDeviceClass *k = PCI_DEVICE_CLASS(klass);

    k->realize = ascend_npu_realize;
    k->exit = ascend_npu_exit;
    k->config_write = ascend_npu_write_config;
    k->vendor_id = VASCEND_PCI_VENDOR_ID;
    k->device_id = VASCEND_PCI_DEVICE_ID;
    k->revision = VASCEND_PCI_REVISION;
    k->class_id = VASCEND_PCI_CLASS;
    k->subsystem_vendor_id = VASCEND_PCI_VENDOR_ID;
    k->subsystem_id = VASCEND_PCI_DEVICE_ID;

    dc->desc = "vascend virtual Huawei Ascend NPU";
    set_bit(DEVICE_CATEGORY_MISC, dc->categories);
    device_class_set_props(dc, ascend_npu_props);
    device_class_set_legacy_reset(dc, ascend_npu_reset);
    dc->vmsd = &ascend_npu_vmstate;
}

static const TypeInfo ascend_npu_info = {
    .name = TYPE_ASCEND_NPU,
    .parent = TYPE_PCI_DEVICE,
    .instance_size = sizeof(AscendNpuState),
    .instance_init = ascend_npu_instance_init,
    .class_init = ascend_npu_class_init,
    .interfaces = (InterfaceInfo[]) {
        { INTERFACE_PCIE_DEVICE },
        { }
    },
};

static void ascend_npu_register_types(void)
{
    type_register_static(&ascend_npu_info);
}

type_init(ascend_npu_register_types)

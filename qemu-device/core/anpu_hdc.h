/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * HDC, the host-device message channel (include/uapi/vascend_hdc_hw.h): two
 * rings of slots in guest memory, sessions to services on the device, flow
 * control by credits, messages larger than a slot in fragments.
 *
 * Like the rest of the core this never blocks and reaches guest memory only
 * through struct anpu_hdc_env: the rings and the status block, nothing else.
 * Doorbell writes only latch values; anpu_hdc_process(), called by the
 * device's bottom half, does the work, a bounded amount per call. Memory is
 * bounded too: messages are buffered only up to anpu_hdc_env.mem_max bytes
 * in all (half of it for one session). Not thread-safe: the caller
 * serialises every entry point (QEMU: the BQL).
 *
 * The services (echo, mgmt, log, file) live in anpu_hdc_<name>.c, behind
 * struct anpu_hdc_service (anpu_hdc_svc.h).
 */
#ifndef ANPU_HDC_H
#define ANPU_HDC_H

#include <stdbool.h>
#include <stdint.h>

#include "anpu_log.h"
#include "vascend_hdc_hw.h"
#include "vascend_queue_hw.h"

/* Buffered message bytes, all sessions, when anpu_hdc_env.mem_max is 0. */
#define ANPU_HDC_MEM_MAX_DEFAULT    (64ULL << 20)
/* Credits a host may have granted a session and the device not yet used. */
#define ANPU_HDC_MAX_CREDITS        65536
/* Per anpu_hdc_process() call: h2d slots consumed, d2h slots produced. */
#define ANPU_HDC_BATCH_SLOTS        64
/* Per anpu_hdc_process() call: bytes of file I/O, all sessions. */
#define ANPU_HDC_IO_BUDGET          (1U << 20)
/* Messages waiting for the host in one session (back-pressure beyond). */
#define ANPU_HDC_OUT_MAX            4
/* CLOSEs for sessions that never opened (refused CONNECTs) not yet sent. */
#define ANPU_HDC_REFUSALS           16
/* Ids the device closed whose late messages are dropped quietly. */
#define ANPU_HDC_ZOMBIES            64

struct anpu_hdc_service;

/* What HDC needs from the device; filled in by the caller of anpu_hdc_init. */
struct anpu_hdc_env {
    void *opaque;
    /* Guest (bus) memory; 0 on success, -1 when the access failed. */
    int (*host_read)(void *opaque, uint64_t addr, void *buf, uint64_t len);
    int (*host_write)(void *opaque, uint64_t addr, const void *buf,
                      uint64_t len);
    void (*raise_irq)(void *opaque, unsigned int vector);
    uint64_t (*now_ns)(void *opaque);
    /* For the mgmt service; NULL: it answers -EOPNOTSUPP. */
    void (*identify)(void *opaque, struct vascend_identify *out);
    void (*telemetry)(void *opaque, struct vascend_telemetry *out);
    /* A guest programming mistake, one line without newline. */
    void (*guest_error)(void *opaque, const char *msg);
    /* The device log: HDC adds its events, the log service streams it. */
    struct anpu_log *log;
    /* The file service's directory; NULL: it refuses every request. */
    const char *file_dir;
    /* Largest file a PUT may create, bytes. */
    uint64_t file_max;
    /* Vectors the device has; HDC_SETUP's vector must be below. */
    unsigned int msix_vectors;
    /* Bytes of messages buffered, all sessions; 0: the default. */
    uint64_t mem_max;
};

/*
 * A whole message, either direction. @pos is how far its consumer got: the
 * reassembly (bytes received), the service (bytes used) or the d2h
 * fragmenter (bytes sent).
 */
struct anpu_hdc_msg {
    struct anpu_hdc_msg *next;
    uint32_t len;
    uint32_t pos;
    uint8_t data[];
};

struct anpu_hdc_session {
    uint32_t id;                    /* the host's id; 0: slot free */
    const struct anpu_hdc_service *svc;
    bool accept_pending;            /* ACCEPT not sent yet */
    bool closing;                   /* CLOSE queued: the session is over */
    uint32_t close_reason;
    uint32_t host_credits;          /* DATA messages the host may still send */
    uint32_t dev_credits;           /* DATA messages the device may send */
    uint32_t credit_return;         /* credits for the next CREDIT message */
    struct anpu_hdc_msg *rx;        /* host message being reassembled */
    struct anpu_hdc_msg *in_head;   /* whole host messages for the service */
    struct anpu_hdc_msg *in_tail;
    unsigned int in_count;
    struct anpu_hdc_msg *out_head;  /* for the host; head may be part-sent */
    struct anpu_hdc_msg *out_tail;
    unsigned int out_count;
    uint64_t bytes;                 /* buffered in rx, in and out */
    void *priv;                     /* the service's state */
};

struct anpu_hdc {
    struct anpu_hdc_env env;
    uint32_t services;              /* bit n: service type n is offered */

    /* Set up by HDC_SETUP; @up false otherwise. */
    bool up;
    /* Guest memory failed under us: nothing more until teardown. */
    bool broken;
    uint64_t h2d_base;
    uint64_t d2h_base;
    uint64_t status_addr;
    uint32_t slot_count;
    uint32_t slot_size;
    unsigned int vector;

    /* Free-running indices (vascend_hdc_hw.h). */
    uint32_t h2d_tail;              /* doorbell: host produced up to here */
    uint32_t h2d_head;              /* device consumed up to here */
    uint32_t d2h_head;              /* doorbell: host consumed up to here */
    uint32_t d2h_tail;              /* device produced up to here */
    uint32_t pub_h2d_head;          /* as last written to the status block */
    uint32_t pub_d2h_tail;

    bool log_pending;               /* anpu_hdc_log_notify() since last run */
    bool again;                     /* last process call ran out of budget */
    struct anpu_hdc_session sessions[VASCEND_HDC_MAX_SESSIONS];
    unsigned int rr;                /* next session to serve first */
    struct {
        uint32_t session;
        uint32_t reason;
    } refusals[ANPU_HDC_REFUSALS];
    unsigned int refusal_head;
    unsigned int refusal_count;
    /*
     * Ids the device closed or refused, newest last: the host may have sent
     * more for them before it saw the CLOSE, which is dropped without a
     * word instead of drawing a CLOSE each. Forgotten when the id connects
     * again or ANPU_HDC_ZOMBIES newer ones push it out.
     */
    uint32_t zombies[ANPU_HDC_ZOMBIES];
    unsigned int zombie_next;

    uint64_t mem_max;
    uint64_t bytes;                 /* buffered message bytes, all sessions */
    uint64_t bytes_peak;            /* highest @bytes since init */
    uint64_t io_budget;             /* file I/O left in this process call */
    uint32_t tmp_seq;               /* makes the file service's temp names */
};

void anpu_hdc_init(struct anpu_hdc *h, const struct anpu_hdc_env *env);
/* Free everything (sessions, buffers, files) for good; no CLOSE sent. */
void anpu_hdc_fini(struct anpu_hdc *h);

/*
 * The services the firmware runs (its HDC_SERVICES section), replacing any
 * earlier list; called at boot. Types HDC does not implement are ignored.
 */
void anpu_hdc_set_services(struct anpu_hdc *h, const uint32_t *types,
                           unsigned int n);

/*
 * Admin HDC_SETUP / HDC_TEARDOWN; return a VASCEND_CQE_STATUS_*. SETUP
 * while set up is BUSY; TEARDOWN when not set up succeeds. Teardown closes
 * every session without a CLOSE (the rings are gone).
 */
uint16_t anpu_hdc_setup(struct anpu_hdc *h, const struct vascend_sqe *sqe);
uint16_t anpu_hdc_teardown(struct anpu_hdc *h);
/* Device reset: as teardown, and the services are forgotten too. */
void anpu_hdc_reset(struct anpu_hdc *h);

/*
 * BAR0 access to the HDC doorbell page (offset within the page). Writes only
 * latch (bad values are ignored and reported); the caller then schedules
 * anpu_hdc_process(). Reads return the latched values.
 */
void anpu_hdc_db_write(struct anpu_hdc *h, uint32_t off, uint32_t val);
uint32_t anpu_hdc_db_read(struct anpu_hdc *h, uint32_t off);

/*
 * Do pending work: consume h2d slots, run the services, produce d2h slots,
 * publish the status block and raise the vector. At most
 * ANPU_HDC_BATCH_SLOTS slots each way and ANPU_HDC_IO_BUDGET bytes of file
 * I/O per call; returns true when more work remains (call again soon).
 */
bool anpu_hdc_process(struct anpu_hdc *h);

/*
 * True when anpu_hdc_process() has something to do: doorbell work, new log
 * lines, output the d2h ring has room for, or work the last call left
 * (it returned true). False while everything waits for the host.
 */
bool anpu_hdc_work_pending(const struct anpu_hdc *h);

/* New device log lines were added: the log service should stream them. */
void anpu_hdc_log_notify(struct anpu_hdc *h);

/* Sessions open (ACCEPTed or about to be), for telemetry and tests. */
unsigned int anpu_hdc_session_count(const struct anpu_hdc *h);

#endif /* ANPU_HDC_H */

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Random traffic against the HDC transport and its services (fixed seeds,
 * run under ASan and UBSan): random slot headers and payloads, well-formed
 * requests to every service, bad doorbells, teardown and reset at any
 * moment, failing guest memory, random HDC_SETUP commands. The device must
 * never crash, never touch memory outside its rings, never break the
 * protocol towards the host, and never buffer more than its limit.
 */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <unistd.h>

#include "test_hdc_host.h"

#define FUZZ_MEM_MAX    (8U << 20)
#define FUZZ_IDS        24          /* session ids 1..FUZZ_IDS-1 */
/*
 * Ids below TRACKED get only what a driver would send (CONNECT through
 * host_connect, CREDIT as it reads, never CLOSE) plus garbage DATA, so the
 * fake host can check the device's credit accounting for them; the others
 * get anything.
 */
#define TRACKED         12

static uint64_t rng_state;

static uint32_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 11);
}

static uint32_t below(uint32_t n)
{
    return n ? rnd() % n : 0;
}

static char dir[64];
static const char *const names[] = { "a", "b.bin", "c-1", "..", "x/y", "" };

/* A header that is right more often than not, wrong in one random way. */
static void random_slot(struct host *h, uint8_t *payload)
{
    static const uint32_t totals[] = {
        0, 1, 100, 4096, 65536, 1 << 20, VASCEND_HDC_MAX_MSG,
        VASCEND_HDC_MAX_MSG + 1, 0xffffffff,
    };
    struct vascend_hdc_msg_hdr hdr;
    uint32_t max = h->slot_size - HDR;

    memset(&hdr, 0, sizeof(hdr));
    hdr.session = below(8) ? 1 + below(FUZZ_IDS - 1) : rnd();
    hdr.type = below(10) ? 1 + below(5) : rnd();
    if (hdr.session < TRACKED && hdr.type != VASCEND_HDC_MSG_DATA) {
        hdr.session += TRACKED;
    }
    switch (hdr.type) {
    case VASCEND_HDC_MSG_CONNECT:
        hdr.arg = below(6);
        hdr.credits = below(10) ? below(16) : rnd();
        break;
    case VASCEND_HDC_MSG_CREDIT:
        hdr.credits = below(10) ? 1 + below(8) : rnd();
        break;
    case VASCEND_HDC_MSG_CLOSE:
        hdr.arg = below(9);
        break;
    case VASCEND_HDC_MSG_DATA:
        hdr.flags = below(10) ? below(4) : rnd();
        hdr.len = below(10) ? 1 + below(max) : rnd() % (2 * max + 2);
        if (hdr.flags & VASCEND_HDC_F_FIRST) {
            hdr.total_len = below(3) ? hdr.len + below(3 * max) :
                            totals[below(9)];
        }
        break;
    }
    if (!below(20)) {
        switch (below(5)) {
        case 0: hdr.rsvd = rnd(); break;
        case 1: hdr.flags = rnd(); break;
        case 2: hdr.arg = rnd(); break;
        case 3: hdr.total_len = rnd(); break;
        default: hdr.len = rnd(); break;
        }
    }
    pattern(payload, max, rnd());
    h2d_raw(h, &hdr, payload, hdr.len <= max ? hdr.len : max);
}

/* A well-formed request for whatever service session @id may have. */
static void random_request(struct host *h, uint8_t *buf)
{
    uint32_t id = 1 + below(FUZZ_IDS - 1), len;
    struct vascend_hdc_file_req rq;
    struct vascend_hdc_mgmt_req mq;

    switch (below(4)) {
    case 0:
        len = below(4) ? 1 + below(3000) : 1 + below(300000);
        pattern(buf, len, rnd());
        host_send(h, id, buf, len);
        break;
    case 1:
        mq.cmd = below(4);
        mq.rsvd = !below(10);
        host_send(h, id, &mq, sizeof(mq));
        break;
    default:
        memset(&rq, 0, sizeof(rq));
        rq.op = below(6);
        snprintf(rq.name, sizeof(rq.name), "%s", names[below(6)]);
        rq.name_len = strlen(rq.name);
        rq.size = rq.op == VASCEND_HDC_FILE_PUT ? below(20000) : 0;
        host_send(h, id, &rq, sizeof(rq));
        if (rq.op == VASCEND_HDC_FILE_PUT && below(2)) {
            len = 1 + below(20000);
            host_send(h, id, buf, len);
        }
        break;
    }
}

static void restart(struct host *h, bool reset)
{
    static const uint32_t all[] = { 1, 2, 3, 4, 7, 0xffffffff };
    struct vascend_sqe q;
    unsigned int i;

    if (reset) {
        anpu_hdc_reset(&h->hdc);
        anpu_hdc_set_services(&h->hdc, all, 1 + below(6));
    } else {
        anpu_hdc_teardown(&h->hdc);
    }
    for (i = 0; i < HOST_SESSIONS; i++) {
        hsess_clear(&h->s[i]);
        h->s[i].untracked = i >= TRACKED;
    }
    h->h2d_tail = h->d2h_head = 0;
    h->fail_read = h->fail_write = false;
    sqe_hdc(&q, h->slot_count, h->slot_size);
    anpu_hdc_setup(&h->hdc, &q);
}

static void rm_dir_files(const char *d)
{
    char path[512];
    struct dirent *de;
    DIR *dp = opendir(d);

    while (dp && (de = readdir(dp))) {
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
            snprintf(path, sizeof(path), "%s/%s", d, de->d_name);
            unlink(path);
        }
    }
    if (dp) {
        closedir(dp);
    }
}

static void fuzz_traffic(uint64_t seed, unsigned int iters, uint32_t count,
                         uint32_t size)
{
    struct host *h = host_new_env(count, size, dir, FUZZ_MEM_MAX);
    uint8_t *buf = malloc(300000);
    unsigned int i, bad_mem = 0, bad_sessions = 0, first_bad = 0;
    uint32_t id;

    rng_state = seed;
    h->quiet = true;
    for (i = TRACKED; i < HOST_SESSIONS; i++) {
        h->s[i].untracked = true;
    }
    h->env.file_max = 64 << 10;
    h->hdc.env.file_max = 64 << 10;
    for (i = 0; i < iters; i++) {
        switch (below(40)) {
        case 0:
            restart(h, below(2));
            break;
        case 1:
            anpu_hdc_db_write(&h->hdc, below(3) * 4, rnd());
            break;
        case 2:
            h->fail_read = !below(4);
            h->fail_write = !below(4);
            ring(h);
            anpu_hdc_process(&h->hdc);
            h->fail_read = h->fail_write = false;
            if (h->hdc.broken) {
                restart(h, false);
            }
            break;
        case 3:
            anpu_log_add(&h->log, i, "fuzz line %u", i);
            anpu_hdc_log_notify(&h->hdc);
            break;
        case 4:
        case 5:
            /* A driver connects ids it does not have open. */
            id = 1 + below(TRACKED - 1);
            if (!S(h, id)->accepted) {
                host_connect(h, id, 1 + below(4), below(9));
            }
            break;
        case 6:
        case 7:
        case 8:
        case 9:
            random_request(h, buf);
            break;
        default:
            random_slot(h, buf);
            break;
        }
        if (below(4) == 0) {
            pump(h);
        } else if (below(2)) {
            ring(h);
            anpu_hdc_process(&h->hdc);
        }
        if (h->violations && !first_bad) {
            printf("# first violation at step %u\n", i);
            first_bad = i;
        }
        if (h->hdc.bytes > FUZZ_MEM_MAX && !bad_mem++) {
            first_bad = i;
        }
        if (anpu_hdc_session_count(&h->hdc) > VASCEND_HDC_MAX_SESSIONS &&
            !bad_sessions++) {
            first_bad = i;
        }
    }
    pump(h);
    TAP_CHECK(bad_mem == 0 && h->hdc.bytes_peak <= FUZZ_MEM_MAX,
              "seed %llu, %u x %u slots, %u steps: buffered bytes never above "
              "the limit (peak %llu, first bad step %u)",
              (unsigned long long)seed, count, size, iters,
              (unsigned long long)h->hdc.bytes_peak, first_bad);
    TAP_CHECK(bad_sessions == 0, "never more than %u sessions",
              VASCEND_HDC_MAX_SESSIONS);
    TAP_CHECK(h->violations == 0,
              "the device never broke the protocol (%u: %s)", h->violations,
              h->last_violation);
    TAP_CHECK(h->stray == 0, "never touched memory outside its rings (%u)",
              h->stray);
    TAP_CHECK(h->errors > 0, "the garbage was noticed (%u guest errors)",
              h->errors);
    anpu_hdc_teardown(&h->hdc);
    TAP_CHECK(h->hdc.bytes == 0 && anpu_hdc_session_count(&h->hdc) == 0,
              "teardown frees everything");
    host_free(h);
    free(buf);
    rm_dir_files(dir);
}

/* Random HDC_SETUP commands: accepted ones meet every rule. */
static void fuzz_setup(uint64_t seed, unsigned int iters)
{
    struct host *h = host_new(0, 0);
    unsigned int i, accepted = 0, wrong = 0;
    struct vascend_sqe q;
    uint64_t ring;
    uint16_t st;

    rng_state = seed;
    h->quiet = true;
    for (i = 0; i < iters; i++) {
        sqe_hdc(&q, 64, 4096);
        switch (below(8)) {
        case 0: q.u.hdc.slot_count = below(2) ? 1U << below(14) : rnd(); break;
        case 1: q.u.hdc.slot_size = below(2) ? 1U << below(18) : rnd(); break;
        case 2: q.u.hdc.h2d_base = (uint64_t)rnd() << below(40); break;
        case 3: q.u.hdc.d2h_base = (uint64_t)rnd() << below(40); break;
        case 4: q.u.hdc.status_addr = (uint64_t)rnd() << below(40); break;
        case 5: q.u.hdc.vector = below(20); break;
        case 6: q.u.raw[below(7)] = (uint64_t)rnd() << 32 | rnd(); break;
        default: break;
        }
        h->stray = 0;
        st = anpu_hdc_setup(&h->hdc, &q);
        if (st != VASCEND_CQE_STATUS_SUCCESS) {
            continue;
        }
        accepted++;
        ring = (uint64_t)q.u.hdc.slot_count * q.u.hdc.slot_size;
        if (q.u.hdc.slot_count < 2 || q.u.hdc.slot_count > 4096 ||
            (q.u.hdc.slot_count & (q.u.hdc.slot_count - 1)) ||
            q.u.hdc.slot_size < 256 || q.u.hdc.slot_size > 65536 ||
            (q.u.hdc.slot_size & (q.u.hdc.slot_size - 1)) ||
            (q.u.hdc.h2d_base | q.u.hdc.d2h_base) & 4095 ||
            q.u.hdc.status_addr & 63 || q.u.hdc.vector >= HOST_VECTORS ||
            q.u.hdc.rsvd || q.u.hdc.rsvd2 || q.u.raw[5] || q.u.raw[6] ||
            q.u.hdc.h2d_base + ring < q.u.hdc.h2d_base ||
            (q.u.hdc.h2d_base < q.u.hdc.d2h_base + ring &&
             q.u.hdc.d2h_base < q.u.hdc.h2d_base + ring)) {
            wrong++;
        }
        anpu_hdc_teardown(&h->hdc);
    }
    TAP_CHECK(wrong == 0 && accepted > 0,
              "seed %llu: %u random HDC_SETUPs, %u accepted, each valid (%u "
              "not)", (unsigned long long)seed, iters, accepted, wrong);
    host_free(h);
}

int main(void)
{
    snprintf(dir, sizeof(dir), "/tmp/vascend-hdc-fuzz-XXXXXX");
    if (!mkdtemp(dir)) {
        printf("Bail out! mkdtemp\n");
        return 1;
    }
    fuzz_setup(1, 20000);
    fuzz_traffic(0x5eed0001, 20000, 64, 256);
    fuzz_traffic(0x5eed0002, 20000, 8, 4096);
    fuzz_traffic(0x5eed0003, 10000, 2, 65536);
    rm_dir_files(dir);
    TAP_CHECK(rmdir(dir) == 0, "fuzz directory removed");
    return tap_done();
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * HDC transport of the ascend-npu core: HDC_SETUP validation, doorbells,
 * sessions (connect, accept, refusals, close), reassembly and fragmenting
 * (echo of 1 byte to 5 MiB), interleaving, credits both ways, every kind of
 * malformed message, memory limits, teardown and reset mid-message, and
 * guest memory failures.
 */
#include "test_hdc_host.h"

#define PAYLOAD(h)      ((h)->slot_size - HDR)

static void check_clean(struct host *h, const char *what)
{
    TAP_CHECK(h->violations == 0 && h->stray == 0,
              "%s: device kept to the protocol and its rings (%u violations, "
              "%u stray accesses)", what, h->violations, h->stray);
}

/* Echo @len bytes over session @id; returns whether they came back equal. */
static bool echo_ok(struct host *h, uint32_t id, uint32_t len, uint32_t seed)
{
    uint8_t *buf = malloc(len), *got;
    uint32_t got_len;
    bool ok;

    pattern(buf, len, seed);
    host_send(h, id, buf, len);
    pump(h);
    got = host_recv(h, id, &got_len);
    ok = got && got_len == len && !memcmp(got, buf, len);
    free(got);
    free(buf);
    return ok;
}

static bool log_has(struct host *h, const char *needle)
{
    uint64_t seq;

    for (seq = anpu_log_first_seq(&h->log); seq < anpu_log_next_seq(&h->log);
         seq++) {
        if (strstr(anpu_log_get(&h->log, seq)->text, needle)) {
            return true;
        }
    }
    return false;
}

static void test_setup(void)
{
    struct host *h = host_new(0, 0);
    struct vascend_sqe q;
    unsigned int errs;
    uint16_t st;
    static const struct {
        const char *what;
        int field;
        uint64_t val;
    } bad[] = {
        { "slot_count 0", 0, 0 },
        { "slot_count 1", 0, 1 },
        { "slot_count 3", 0, 3 },
        { "slot_count 8192", 0, 8192 },
        { "slot_size 128", 1, 128 },
        { "slot_size 384", 1, 384 },
        { "slot_size 128 KiB", 1, 131072 },
        { "h2d_base not 4 KiB aligned", 2, G_H2D + 0x800 },
        { "d2h_base not 4 KiB aligned", 3, G_D2H + 0x40 },
        { "status_addr not 64-byte aligned", 4, G_STATUS + 8 },
        { "vector 8 of 8", 5, HOST_VECTORS },
        { "rsvd", 6, 1 },
        { "rsvd2", 7, 1 },
        { "unused word 5", 8, 1 },
        { "unused word 6", 9, 1 },
        { "rings overlap", 3, G_H2D + 0x1000 },
        { "status block inside a ring", 4, G_D2H + 0x40 },
        { "ring wraps the address space", 2, 0xfffffffffffff000ULL },
    };
    size_t i;

    memset(h->mem, 0xa5, G_SIZE);
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        sqe_hdc(&q, 64, 4096);
        switch (bad[i].field) {
        case 0: q.u.hdc.slot_count = bad[i].val; break;
        case 1: q.u.hdc.slot_size = bad[i].val; break;
        case 2: q.u.hdc.h2d_base = bad[i].val; break;
        case 3: q.u.hdc.d2h_base = bad[i].val; break;
        case 4: q.u.hdc.status_addr = bad[i].val; break;
        case 5: q.u.hdc.vector = bad[i].val; break;
        case 6: q.u.hdc.rsvd = bad[i].val; break;
        case 7: q.u.hdc.rsvd2 = bad[i].val; break;
        case 8: q.u.raw[5] = bad[i].val; break;
        default: q.u.raw[6] = bad[i].val; break;
        }
        errs = h->errors;
        st = anpu_hdc_setup(&h->hdc, &q);
        TAP_CHECK(st == VASCEND_CQE_STATUS_INVALID_FIELD &&
                  h->errors == errs + 1 && !h->hdc.up,
                  "HDC_SETUP with %s: INVALID_FIELD and a guest error "
                  "(status 0x%x)", bad[i].what, st);
    }
    TAP_CHECK(h->mem[G_STATUS - G_BASE] == 0xa5 && h->stray == 0,
              "refused setups wrote nothing");

    sqe_hdc(&q, 2, VASCEND_HDC_MIN_SLOT);
    q.u.hdc.vector = HOST_VECTORS - 1;
    st = anpu_hdc_setup(&h->hdc, &q);
    TAP_CHECK(st == VASCEND_CQE_STATUS_SUCCESS && h->hdc.up,
              "smallest rings, last vector: accepted (0x%x)", st);
    TAP_CHECK(host_status(h).h2d_head == 0 && host_status(h).d2h_tail == 0 &&
              host_status(h).rsvd[13] == 0,
              "setup published a zeroed status block");
    st = anpu_hdc_setup(&h->hdc, &q);
    TAP_CHECK(st == VASCEND_CQE_STATUS_BUSY, "second HDC_SETUP: BUSY (0x%x)",
              st);
    TAP_CHECK(anpu_hdc_teardown(&h->hdc) == VASCEND_CQE_STATUS_SUCCESS &&
              !h->hdc.up, "teardown");
    TAP_CHECK(anpu_hdc_teardown(&h->hdc) == VASCEND_CQE_STATUS_SUCCESS,
              "teardown when not set up succeeds");
    sqe_hdc(&q, VASCEND_HDC_MAX_SLOTS, VASCEND_HDC_MAX_SLOT);
    q.u.hdc.d2h_base = G_H2D + (1ULL << 28);
    q.u.hdc.status_addr = G_STATUS;
    q.u.hdc.h2d_base = G_H2D + (2ULL << 28);
    st = anpu_hdc_setup(&h->hdc, &q);
    TAP_CHECK(st == VASCEND_CQE_STATUS_SUCCESS,
              "largest rings (4096 x 64 KiB) accepted (0x%x)", st);
    anpu_hdc_teardown(&h->hdc);

    h->fail_write = true;
    sqe_hdc(&q, 64, 4096);
    st = anpu_hdc_setup(&h->hdc, &q);
    TAP_CHECK(st == VASCEND_CQE_STATUS_DMA_ERROR && !h->hdc.up,
              "unwritable status block: DMA_ERROR, not set up (0x%x)", st);
    h->fail_write = false;
    host_free(h);
}

static void test_connect(void)
{
    struct host *h = host_new(64, 4096);

    TAP_CHECK(host_connect(h, 1, VASCEND_HDC_SVC_ECHO, 4),
              "CONNECT to echo: ACCEPT");
    TAP_CHECK(S(h, 1)->send_credits == 8 && S(h, 1)->accepts == 1,
              "ACCEPT grants 8 credits (%u)", S(h, 1)->send_credits);
    TAP_CHECK(anpu_hdc_session_count(&h->hdc) == 1, "one session open");
    TAP_CHECK(h->irqs[HOST_VECTOR] > 0 && h->irqs[0] == 0,
              "the setup's vector was raised (%u), no other",
              h->irqs[HOST_VECTOR]);
    TAP_CHECK(host_status(h).h2d_head == h->h2d_tail &&
              host_status(h).d2h_tail == h->d2h_head,
              "status block: h2d head %u, d2h tail %u",
              host_status(h).h2d_head, host_status(h).d2h_tail);
    TAP_CHECK(echo_ok(h, 1, 1, 1), "echo of 1 byte");
    host_close(h, 1);
    TAP_CHECK(anpu_hdc_session_count(&h->hdc) == 0 && S(h, 1)->closes == 0,
              "host CLOSE: session gone, nothing answered");
    TAP_CHECK(host_connect(h, 1, VASCEND_HDC_SVC_ECHO, 4) &&
              echo_ok(h, 1, 10, 2), "the id can be used again");
    host_close(h, 1);
    h2d_ctl(h, 1, VASCEND_HDC_MSG_CLOSE, 0, 0);
    pump(h);
    TAP_CHECK(S(h, 1)->closes == 0 && h->errors == 0,
              "CLOSE of a closed session: ignored quietly");
    check_clean(h, "connect");
    host_free(h);
}

static void test_refusals(void)
{
    struct host *h = host_new(64, 4096);
    uint32_t only_echo = VASCEND_HDC_SVC_ECHO;
    unsigned int i;
    bool all = true;

    anpu_hdc_set_services(&h->hdc, &only_echo, 1);
    TAP_CHECK(!host_connect(h, 2, VASCEND_HDC_SVC_MGMT, 1) &&
              S(h, 2)->close_reason == VASCEND_HDC_ERR_NO_SERVICE,
              "CONNECT to a service the firmware does not offer: "
              "ERR_NO_SERVICE (%u)", S(h, 2)->close_reason);
    TAP_CHECK(!host_connect(h, 3, 99, 1) &&
              S(h, 3)->close_reason == VASCEND_HDC_ERR_NO_SERVICE,
              "CONNECT to unknown service 99: ERR_NO_SERVICE");
    TAP_CHECK(!host_connect(h, 4, 0xffffffff, 1) &&
              S(h, 4)->close_reason == VASCEND_HDC_ERR_NO_SERVICE,
              "CONNECT to service 0xffffffff: ERR_NO_SERVICE");
    TAP_CHECK(log_has(h, "refused"), "refusals are in the device log");

    for (i = 1; i <= VASCEND_HDC_MAX_SESSIONS; i++) {
        all &= host_connect(h, i, VASCEND_HDC_SVC_ECHO, 1);
    }
    TAP_CHECK(all && anpu_hdc_session_count(&h->hdc) == 64,
              "64 sessions open");
    TAP_CHECK(!host_connect(h, 65, VASCEND_HDC_SVC_ECHO, 1) &&
              S(h, 65)->close_reason == VASCEND_HDC_ERR_TOO_MANY,
              "65th: ERR_TOO_MANY (%u)", S(h, 65)->close_reason);
    host_close(h, 7);
    TAP_CHECK(host_connect(h, 65, VASCEND_HDC_SVC_ECHO, 1),
              "after one closes, a new one opens");
    TAP_CHECK(echo_ok(h, 64, 100, 3) && echo_ok(h, 65, 100, 4),
              "the 64th and the newest session both echo");

    /* Duplicate id: the host lost track; both sides drop the id. */
    h2d_ctl(h, 10, VASCEND_HDC_MSG_CONNECT, VASCEND_HDC_SVC_ECHO, 1);
    pump(h);
    TAP_CHECK(S(h, 10)->closed &&
              S(h, 10)->close_reason == VASCEND_HDC_ERR_SESSION &&
              anpu_hdc_session_count(&h->hdc) == 63,
              "CONNECT with an open id: CLOSE ERR_SESSION, session dropped "
              "(%u open)", anpu_hdc_session_count(&h->hdc));

    /* Many refusals at once: more than the device queues. */
    for (i = 0; i < 3 * ANPU_HDC_REFUSALS; i++) {
        h2d_ctl(h, 100 + i, VASCEND_HDC_MSG_CONNECT, 77, 0);
    }
    pump(h);
    all = true;
    for (i = 0; i < 3 * ANPU_HDC_REFUSALS; i++) {
        all &= S(h, 100 + i)->closes == 1 &&
               S(h, 100 + i)->close_reason == VASCEND_HDC_ERR_NO_SERVICE;
    }
    TAP_CHECK(all, "%u refusals in a row each answered once",
              3 * ANPU_HDC_REFUSALS);
    check_clean(h, "refusals");
    host_free(h);
}

static void test_echo_sizes(void)
{
    struct host *h = host_new(64, 4096);
    uint32_t big = 5U << 20;

    host_connect(h, 1, VASCEND_HDC_SVC_ECHO, 8);
    TAP_CHECK(echo_ok(h, 1, PAYLOAD(h), 5),
              "echo of exactly one slot's payload (%u bytes)", PAYLOAD(h));
    TAP_CHECK(echo_ok(h, 1, PAYLOAD(h) + 1, 6),
              "echo of one slot + 1 byte (two fragments)");
    TAP_CHECK(echo_ok(h, 1, 3 * PAYLOAD(h), 7), "echo of 3 full fragments");
    TAP_CHECK(echo_ok(h, 1, big, 8), "echo of 5 MiB, fragmented both ways");
    TAP_CHECK(h->hdc.bytes == 0 && h->hdc.bytes_peak >= big &&
              h->hdc.bytes_peak <= ANPU_HDC_MEM_MAX_DEFAULT,
              "buffers freed; peak %llu bytes",
              (unsigned long long)h->hdc.bytes_peak);
    TAP_CHECK(echo_ok(h, 1, VASCEND_HDC_MAX_MSG, 9),
              "echo of the largest message (16 MiB)");
    check_clean(h, "echo sizes");
    host_free(h);

    h = host_new(2, VASCEND_HDC_MIN_SLOT);
    host_connect(h, 9, VASCEND_HDC_SVC_ECHO, 8);
    TAP_CHECK(echo_ok(h, 9, 100000, 10),
              "100000 bytes through two 256-byte slots");
    check_clean(h, "tiny ring");
    host_free(h);
}

static struct vascend_hdc_msg_hdr data_hdr(uint32_t id, uint16_t flags,
                                           uint32_t len, uint32_t total)
{
    struct vascend_hdc_msg_hdr hdr;

    memset(&hdr, 0, sizeof(hdr));
    hdr.session = id;
    hdr.type = VASCEND_HDC_MSG_DATA;
    hdr.flags = flags;
    hdr.len = len;
    hdr.total_len = total;
    return hdr;
}

static void test_interleave(void)
{
    struct host *h = host_new(64, 256);
    uint8_t a[600], b[400], *got;
    struct vascend_hdc_msg_hdr hdr;
    uint32_t len, p = 256 - HDR;
    bool ok;

    pattern(a, sizeof(a), 11);
    pattern(b, sizeof(b), 12);
    host_connect(h, 1, VASCEND_HDC_SVC_ECHO, 8);
    host_connect(h, 2, VASCEND_HDC_SVC_ECHO, 8);
    hdr = data_hdr(1, VASCEND_HDC_F_FIRST, p, sizeof(a));
    h2d_raw(h, &hdr, a, p);
    hdr = data_hdr(2, VASCEND_HDC_F_FIRST, p, sizeof(b));
    h2d_raw(h, &hdr, b, p);
    hdr = data_hdr(1, 0, p, 0);
    h2d_raw(h, &hdr, a + p, p);
    hdr = data_hdr(2, VASCEND_HDC_F_LAST, sizeof(b) - p, 0);
    h2d_raw(h, &hdr, b + p, sizeof(b) - p);
    hdr = data_hdr(1, VASCEND_HDC_F_LAST, sizeof(a) - 2 * p, 0);
    h2d_raw(h, &hdr, a + 2 * p, sizeof(a) - 2 * p);
    pump(h);
    got = host_recv(h, 1, &len);
    ok = got && len == sizeof(a) && !memcmp(got, a, len);
    free(got);
    got = host_recv(h, 2, &len);
    ok &= got && len == sizeof(b) && !memcmp(got, b, len);
    free(got);
    TAP_CHECK(ok, "interleaved fragments of two sessions reassembled");
    check_clean(h, "interleave");
    host_free(h);
}

static void test_flow_control(void)
{
    struct host *h = host_new(64, 4096);
    uint8_t msg[100];
    unsigned int sent = 0, i;
    bool ok = true;

    pattern(msg, sizeof(msg), 13);
    /* The device holds replies until the host grants a credit. */
    host_connect(h, 1, VASCEND_HDC_SVC_ECHO, 0);
    S(h, 1)->manual_credit = true;
    host_send(h, 1, msg, sizeof(msg));
    pump(h);
    TAP_CHECK(S(h, 1)->nmsgs == 0 && h->violations == 0,
              "no credit: the echo is held");
    h2d_ctl(h, 1, VASCEND_HDC_MSG_CREDIT, 0, 1);
    S(h, 1)->granted++;
    pump(h);
    TAP_CHECK(S(h, 1)->nmsgs == 1, "one credit: the echo arrives");

    /* A stalled session: sends all its credits allow, reads nothing. */
    while (S(h, 1)->send_credits) {
        host_send(h, 1, msg, sizeof(msg));
        sent++;
        pump(h);
    }
    TAP_CHECK(sent == 8 + ANPU_HDC_OUT_MAX && !S(h, 1)->closed,
              "a host that does not read gets %u messages in before the "
              "device stops returning credits", sent);
    /* Meanwhile another session runs freely. */
    host_connect(h, 2, VASCEND_HDC_SVC_ECHO, 8);
    for (i = 0; i < 100; i++) {
        ok &= echo_ok(h, 2, 1000 + i, i);
    }
    TAP_CHECK(ok, "a stalled session does not stop another (100 echoes)");
    /* One message more than the credits allow. */
    host_send(h, 1, msg, sizeof(msg));
    pump(h);
    TAP_CHECK(S(h, 1)->closed &&
              S(h, 1)->close_reason == VASCEND_HDC_ERR_NO_CREDIT,
              "message without a credit: CLOSE ERR_NO_CREDIT (%u)",
              S(h, 1)->close_reason);
    TAP_CHECK(h->hdc.bytes == 0 && anpu_hdc_session_count(&h->hdc) == 1,
              "the closed session's buffers are freed");
    TAP_CHECK(echo_ok(h, 2, 10, 99), "the other session still works");

    /* Credits returned as the service consumes, and then replies flow. */
    host_connect(h, 3, VASCEND_HDC_SVC_ECHO, 0);
    S(h, 3)->manual_credit = true;
    for (i = 0; i < 8; i++) {
        host_send(h, 3, msg, sizeof(msg));
    }
    pump(h);
    TAP_CHECK(S(h, 3)->send_credits == ANPU_HDC_OUT_MAX,
              "credits come back for the %u messages the service took (%u)",
              ANPU_HDC_OUT_MAX, S(h, 3)->send_credits);
    h2d_ctl(h, 3, VASCEND_HDC_MSG_CREDIT, 0, 100);
    S(h, 3)->granted += 100;
    pump(h);
    TAP_CHECK(S(h, 3)->nmsgs == 8 && S(h, 3)->send_credits == 8,
              "granted credits: all 8 echoes arrive and all credits are "
              "back (%u, %u)", S(h, 3)->nmsgs, S(h, 3)->send_credits);
    check_clean(h, "flow control");
    host_free(h);
}

struct bad_case {
    const char *what;
    struct vascend_hdc_msg_hdr hdr;
    uint32_t reason;
    bool open_first;                /* a FIRST of 3 slots was sent before */
};

static void test_malformed(void)
{
    struct host *h = host_new(64, 256);
    const uint32_t p = 256 - HDR;
    uint8_t buf[256];
    struct bad_case cases[] = {
        { "DATA with an unknown flag", data_hdr(1, 3 | 4, 10, 10),
          VASCEND_HDC_ERR_PROTOCOL, false },
        { "DATA with arg set", data_hdr(1, 3, 10, 10),
          VASCEND_HDC_ERR_PROTOCOL, false },
        { "DATA with credits set", data_hdr(1, 3, 10, 10),
          VASCEND_HDC_ERR_PROTOCOL, false },
        { "DATA with rsvd set", data_hdr(1, 3, 10, 10),
          VASCEND_HDC_ERR_PROTOCOL, false },
        { "DATA of 0 bytes", data_hdr(1, 3, 0, 0),
          VASCEND_HDC_ERR_PROTOCOL, false },
        { "DATA longer than the slot", data_hdr(1, 3, p + 1, p + 1),
          VASCEND_HDC_ERR_PROTOCOL, false },
        { "FIRST with total_len 0", data_hdr(1, 1, 10, 0),
          VASCEND_HDC_ERR_PROTOCOL, false },
        { "FIRST above VASCEND_HDC_MAX_MSG",
          data_hdr(1, 1, 10, VASCEND_HDC_MAX_MSG + 1),
          VASCEND_HDC_ERR_TOO_BIG, false },
        { "FIRST while a message is open", data_hdr(1, 1, 10, 100),
          VASCEND_HDC_ERR_PROTOCOL, true },
        { "fragment without FIRST", data_hdr(1, 0, 10, 0),
          VASCEND_HDC_ERR_PROTOCOL, false },
        { "LAST without FIRST", data_hdr(1, 2, 10, 0),
          VASCEND_HDC_ERR_PROTOCOL, false },
        { "middle fragment with total_len", data_hdr(1, 0, 10, 3 * p),
          VASCEND_HDC_ERR_PROTOCOL, true },
        { "FIRST|LAST shorter than total_len", data_hdr(1, 3, 10, 20),
          VASCEND_HDC_ERR_PROTOCOL, false },
        { "LAST before the total", data_hdr(1, 2, 10, 0),
          VASCEND_HDC_ERR_PROTOCOL, true },
        { "fragment past the announced total", data_hdr(1, 0, p, 0),
          VASCEND_HDC_ERR_PROTOCOL, true },
        { "message complete without LAST", data_hdr(1, 1, 10, 10),
          VASCEND_HDC_ERR_PROTOCOL, false },
        { "ACCEPT from the host", data_hdr(1, 0, 0, 0),
          VASCEND_HDC_ERR_PROTOCOL, false },
        { "unknown type 9", data_hdr(1, 0, 0, 0),
          VASCEND_HDC_ERR_PROTOCOL, false },
        { "CREDIT of 0", data_hdr(1, 0, 0, 0),
          VASCEND_HDC_ERR_PROTOCOL, false },
        { "CREDIT with a payload", data_hdr(1, 0, 4, 0),
          VASCEND_HDC_ERR_PROTOCOL, false },
        { "CREDIT past the maximum", data_hdr(1, 0, 0, 0),
          VASCEND_HDC_ERR_PROTOCOL, false },
    };
    struct vascend_hdc_msg_hdr first;
    unsigned int i, errs;
    bool ok;

    cases[1].hdr.arg = 1;
    cases[2].hdr.credits = 1;
    cases[3].hdr.rsvd = 1;
    cases[16].hdr.type = VASCEND_HDC_MSG_ACCEPT;
    cases[17].hdr.type = 9;
    cases[18].hdr.type = VASCEND_HDC_MSG_CREDIT;
    cases[19].hdr.type = VASCEND_HDC_MSG_CREDIT;
    cases[19].hdr.credits = 1;
    cases[20].hdr.type = VASCEND_HDC_MSG_CREDIT;
    cases[20].hdr.credits = ANPU_HDC_MAX_CREDITS;
    /* Case 14: after a FIRST of p bytes, 2p more is past 2.5p. */
    pattern(buf, sizeof(buf), 14);
    host_connect(h, 2, VASCEND_HDC_SVC_ECHO, 8);
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        host_connect(h, 1, VASCEND_HDC_SVC_ECHO, 8);
        if (cases[i].open_first) {
            first = data_hdr(1, VASCEND_HDC_F_FIRST, p,
                             i == 14 ? p + p / 2 : 3 * p);
            h2d_raw(h, &first, buf, p);
        }
        errs = h->errors;
        h2d_raw(h, &cases[i].hdr, buf, cases[i].hdr.len <= p ?
                cases[i].hdr.len : p);
        pump(h);
        ok = S(h, 1)->closed && S(h, 1)->close_reason == cases[i].reason &&
             anpu_hdc_session_count(&h->hdc) == 1;
        TAP_CHECK(ok && h->errors > errs,
                  "%s: CLOSE reason %u (got %s %u), guest error logged",
                  cases[i].what, cases[i].reason,
                  S(h, 1)->closed ? "CLOSE" : "nothing",
                  S(h, 1)->close_reason);
    }
    TAP_CHECK(echo_ok(h, 2, 1000, 15),
              "a bystander session survived all of them");
    TAP_CHECK(S(h, 2)->closes == 0, "and was never closed");
    TAP_CHECK(log_has(h, "protocol error"),
              "protocol errors are in the device log");

    errs = h->errors;
    first = data_hdr(40, VASCEND_HDC_F_FIRST | VASCEND_HDC_F_LAST, 1, 1);
    h2d_raw(h, &first, buf, 1);
    pump(h);
    TAP_CHECK(S(h, 40)->closed &&
              S(h, 40)->close_reason == VASCEND_HDC_ERR_SESSION &&
              h->errors > errs,
              "DATA for a session that is not open: CLOSE ERR_SESSION");
    h2d_ctl(h, 41, VASCEND_HDC_MSG_CREDIT, 0, 1);
    pump(h);
    TAP_CHECK(S(h, 41)->close_reason == VASCEND_HDC_ERR_SESSION,
              "CREDIT for a session that is not open: CLOSE ERR_SESSION");

    errs = h->errors;
    first = data_hdr(0, VASCEND_HDC_F_FIRST | VASCEND_HDC_F_LAST, 1, 1);
    h2d_raw(h, &first, buf, 1);
    pump(h);
    TAP_CHECK(h->errors == errs + 1 && S(h, 0)->closes == 0,
              "session 0: ignored with a guest error");

    first = data_hdr(42, 0, 4, 0);
    first.type = VASCEND_HDC_MSG_CONNECT;
    first.arg = VASCEND_HDC_SVC_ECHO;
    h2d_raw(h, &first, buf, 4);
    first.session = 43;
    first.len = 0;
    first.credits = ANPU_HDC_MAX_CREDITS + 1;
    h2d_raw(h, &first, buf, 0);
    first.session = 44;
    first.credits = 0;
    first.rsvd = 1;
    h2d_raw(h, &first, buf, 0);
    pump(h);
    TAP_CHECK(S(h, 42)->close_reason == VASCEND_HDC_ERR_PROTOCOL &&
              S(h, 43)->close_reason == VASCEND_HDC_ERR_PROTOCOL &&
              S(h, 44)->close_reason == VASCEND_HDC_ERR_PROTOCOL &&
              !S(h, 42)->accepts && !S(h, 43)->accepts && !S(h, 44)->accepts,
              "CONNECT with a payload, too many credits or rsvd: refused "
              "with ERR_PROTOCOL");
    check_clean(h, "malformed");
    host_free(h);
}

static void test_doorbells(void)
{
    struct host *h = host_new(0, 0);
    struct vascend_sqe q;
    unsigned int errs;

    errs = h->errors;
    anpu_hdc_db_write(&h->hdc, VASCEND_HDC_DB_H2D_TAIL, 1);
    TAP_CHECK(h->errors == errs + 1 && !anpu_hdc_process(&h->hdc) &&
              h->stray == 0, "doorbell before setup: ignored, reported");
    sqe_hdc(&q, 64, 4096);
    anpu_hdc_setup(&h->hdc, &q);
    TAP_CHECK(anpu_hdc_db_read(&h->hdc, VASCEND_HDC_DB_H2D_TAIL) == 0,
              "H2D_TAIL reads 0 after setup");

    errs = h->errors;
    anpu_hdc_db_write(&h->hdc, VASCEND_HDC_DB_H2D_TAIL, 65);
    TAP_CHECK(h->errors == errs + 1 &&
              anpu_hdc_db_read(&h->hdc, VASCEND_HDC_DB_H2D_TAIL) == 0,
              "H2D_TAIL 65 slots past the head of a 64-slot ring: ignored");
    anpu_hdc_db_write(&h->hdc, VASCEND_HDC_DB_H2D_TAIL, 0xffffffff);
    TAP_CHECK(h->errors == errs + 2 &&
              anpu_hdc_db_read(&h->hdc, VASCEND_HDC_DB_H2D_TAIL) == 0,
              "H2D_TAIL behind the head: ignored");
    anpu_hdc_db_write(&h->hdc, VASCEND_HDC_DB_D2H_HEAD, 1);
    TAP_CHECK(h->errors == errs + 3 &&
              anpu_hdc_db_read(&h->hdc, VASCEND_HDC_DB_D2H_HEAD) == 0,
              "D2H_HEAD past the device's tail: ignored");
    anpu_hdc_db_write(&h->hdc, 0x8, 1);
    TAP_CHECK(h->errors == errs + 4 && anpu_hdc_db_read(&h->hdc, 0x8) == 0,
              "write to a reserved doorbell offset: ignored, reads 0");

    /* A full ring of CONNECTs at once is fine. */
    for (uint32_t i = 1; i <= 64; i++) {
        h2d_ctl(h, i, VASCEND_HDC_MSG_CONNECT, VASCEND_HDC_SVC_ECHO, 1);
    }
    anpu_hdc_db_write(&h->hdc, VASCEND_HDC_DB_H2D_TAIL, 64);
    TAP_CHECK(h->errors == errs + 4 &&
              anpu_hdc_db_read(&h->hdc, VASCEND_HDC_DB_H2D_TAIL) == 64,
              "H2D_TAIL exactly a ring ahead: accepted");
    TAP_CHECK(anpu_hdc_work_pending(&h->hdc), "work pending after it");
    anpu_hdc_process(&h->hdc);
    TAP_CHECK(host_status(h).h2d_head == 64 &&
              host_status(h).d2h_tail == 64,
              "one call consumed 64 slots and produced 64 ACCEPTs (%u/%u)",
              host_status(h).h2d_head, host_status(h).d2h_tail);
    anpu_hdc_db_write(&h->hdc, VASCEND_HDC_DB_D2H_HEAD, 10);
    anpu_hdc_db_write(&h->hdc, VASCEND_HDC_DB_D2H_HEAD, 5);
    TAP_CHECK(anpu_hdc_db_read(&h->hdc, VASCEND_HDC_DB_D2H_HEAD) == 10 &&
              h->errors == errs + 5, "D2H_HEAD moving back: ignored");
    drain(h);
    TAP_CHECK(S(h, 64)->accepted && S(h, 1)->accepted, "all accepted");
    check_clean(h, "doorbells");
    host_free(h);
}

static void test_budget(void)
{
    struct host *h = host_new(256, 4096);
    unsigned int calls = 0;
    uint8_t *buf = malloc(1 << 20);

    host_connect(h, 1, VASCEND_HDC_SVC_ECHO, 8);
    /* 200 slots waiting: one call does at most ANPU_HDC_BATCH_SLOTS. */
    pattern(buf, 1 << 20, 20);
    for (uint32_t i = 0; i < 200; i++) {
        uint16_t fl = i == 0 ? VASCEND_HDC_F_FIRST :
                      i == 199 ? VASCEND_HDC_F_LAST : 0;
        struct vascend_hdc_msg_hdr hdr =
            data_hdr(1, fl, 4096 - HDR, i == 0 ? 200 * (4096 - HDR) : 0);
        memcpy(slot_ptr(h, G_H2D, h->h2d_tail), &hdr, sizeof(hdr));
        memcpy(slot_ptr(h, G_H2D, h->h2d_tail) + HDR, buf + i * 64, 4096 - HDR);
        h->h2d_tail++;
    }
    ring(h);
    TAP_CHECK(anpu_hdc_process(&h->hdc) &&
              host_status(h).h2d_head == ANPU_HDC_BATCH_SLOTS + 1,
              "one call consumes a bounded batch and says there is more "
              "(head %u)", host_status(h).h2d_head);
    while (anpu_hdc_process(&h->hdc) && calls < 100) {
        calls++;
    }
    TAP_CHECK(host_status(h).h2d_head == h->h2d_tail,
              "further calls finish it (%u)", calls);
    pump(h);
    TAP_CHECK(S(h, 1)->nmsgs == 1 && S(h, 1)->msgs[0].len == 200 * (4096 - HDR),
              "and the message comes back");
    free(buf);
    check_clean(h, "budget");
    host_free(h);
}

static void test_memory_limit(void)
{
    struct host *h = host_new_env(64, 4096, NULL, 1 << 20);
    uint8_t *buf = calloc(1, 1 << 20);

    host_connect(h, 1, VASCEND_HDC_SVC_ECHO, 8);
    host_send(h, 1, buf, 600 << 10);
    pump(h);
    TAP_CHECK(S(h, 1)->close_reason == VASCEND_HDC_ERR_TOO_BIG,
              "a message above half the limit: ERR_TOO_BIG (%u)",
              S(h, 1)->close_reason);
    host_connect(h, 2, VASCEND_HDC_SVC_ECHO, 0);
    host_connect(h, 3, VASCEND_HDC_SVC_ECHO, 0);
    host_connect(h, 4, VASCEND_HDC_SVC_ECHO, 8);
    host_send(h, 2, buf, 400 << 10);
    host_send(h, 3, buf, 400 << 10);
    pump(h);
    TAP_CHECK(!S(h, 2)->closed && !S(h, 3)->closed &&
              h->hdc.bytes == 800 << 10,
              "two sessions hold 400 KiB each (%llu buffered)",
              (unsigned long long)h->hdc.bytes);
    host_send(h, 4, buf, 400 << 10);
    pump(h);
    TAP_CHECK(S(h, 4)->close_reason == VASCEND_HDC_ERR_TOO_BIG &&
              h->hdc.bytes_peak <= 1 << 20,
              "a third beyond the total: ERR_TOO_BIG; peak %llu <= limit",
              (unsigned long long)h->hdc.bytes_peak);
    TAP_CHECK(log_has(h, "no room"), "and the device log says why");
    host_close(h, 2);
    TAP_CHECK(h->hdc.bytes == 400 << 10, "closing frees its buffers");
    free(buf);
    check_clean(h, "memory limit");
    host_free(h);
}

static void test_teardown_reset(void)
{
    struct host *h = host_new(64, 256);
    struct vascend_hdc_msg_hdr hdr = data_hdr(1, VASCEND_HDC_F_FIRST, 200,
                                              1000);
    uint8_t buf[256] = { 0 };
    struct vascend_sqe q;
    unsigned int i;

    host_connect(h, 1, VASCEND_HDC_SVC_ECHO, 8);
    host_connect(h, 2, VASCEND_HDC_SVC_MGMT, 8);
    h2d_raw(h, &hdr, buf, 200);
    pump(h);
    TAP_CHECK(h->hdc.bytes == 1000, "a message half received (%llu)",
              (unsigned long long)h->hdc.bytes);
    anpu_hdc_teardown(&h->hdc);
    TAP_CHECK(anpu_hdc_session_count(&h->hdc) == 0 && h->hdc.bytes == 0,
              "teardown mid-message: sessions and buffers gone");
    TAP_CHECK(!anpu_hdc_process(&h->hdc), "nothing to do after teardown");
    /* The driver sets up again from index 0. */
    for (i = 0; i < HOST_SESSIONS; i++) {
        hsess_clear(&h->s[i]);
    }
    h->h2d_tail = h->d2h_head = 0;
    sqe_hdc(&q, 64, 256);
    TAP_CHECK(anpu_hdc_setup(&h->hdc, &q) == VASCEND_CQE_STATUS_SUCCESS,
              "setup again");
    TAP_CHECK(host_connect(h, 1, VASCEND_HDC_SVC_ECHO, 8) &&
              echo_ok(h, 1, 700, 30), "the same id works afresh");

    h2d_raw(h, &hdr, buf, 200);
    pump(h);
    anpu_hdc_reset(&h->hdc);
    TAP_CHECK(!h->hdc.up && h->hdc.bytes == 0 && h->hdc.services == 0,
              "reset mid-message: down, buffers freed, services forgotten");
    for (i = 0; i < HOST_SESSIONS; i++) {
        hsess_clear(&h->s[i]);
    }
    h->h2d_tail = h->d2h_head = 0;
    anpu_hdc_setup(&h->hdc, &q);
    TAP_CHECK(!host_connect(h, 1, VASCEND_HDC_SVC_ECHO, 8) &&
              S(h, 1)->close_reason == VASCEND_HDC_ERR_NO_SERVICE,
              "after reset, until the firmware lists them, no service");
    check_clean(h, "teardown");
    host_free(h);
}

static void test_dma_failure(void)
{
    struct host *h = host_new(64, 4096);
    struct vascend_sqe q;
    unsigned int errs = h->errors;

    host_connect(h, 1, VASCEND_HDC_SVC_ECHO, 8);
    h->fail_read = true;
    h2d_ctl(h, 2, VASCEND_HDC_MSG_CONNECT, VASCEND_HDC_SVC_ECHO, 1);
    ring(h);
    TAP_CHECK(!anpu_hdc_process(&h->hdc) && h->hdc.broken &&
              h->errors > errs, "unreadable h2d ring: HDC stops, reported");
    TAP_CHECK(!anpu_hdc_process(&h->hdc) && !anpu_hdc_work_pending(&h->hdc),
              "and stays stopped");
    h->fail_read = false;
    anpu_hdc_teardown(&h->hdc);
    for (unsigned int i = 0; i < HOST_SESSIONS; i++) {
        hsess_clear(&h->s[i]);
    }
    h->h2d_tail = h->d2h_head = 0;
    sqe_hdc(&q, 64, 4096);
    anpu_hdc_setup(&h->hdc, &q);
    TAP_CHECK(host_connect(h, 1, VASCEND_HDC_SVC_ECHO, 8) &&
              echo_ok(h, 1, 5000, 40), "teardown and setup recover");
    h->fail_write = true;
    host_send(h, 1, "x", 1);
    ring(h);
    anpu_hdc_process(&h->hdc);
    TAP_CHECK(h->hdc.broken, "unwritable d2h ring: HDC stops");
    h->fail_write = false;
    host_free(h);
}

int main(void)
{
    test_setup();
    test_connect();
    test_refusals();
    test_echo_sizes();
    test_interleave();
    test_flow_control();
    test_malformed();
    test_doorbells();
    test_budget();
    test_memory_limit();
    test_teardown_reset();
    test_dma_failure();
    return tap_done();
}

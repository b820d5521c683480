// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Fuzz target: the HDC transport and its services (anpu_hdc*.c) on their
 * own, as tests/host/device/test_hdc_fuzz.c drives them but with the input
 * choosing: HDC_SETUP fields, raw h2d slots and well-formed ones (CONNECT,
 * DATA messages in fragments, CREDIT, CLOSE, file and mgmt requests),
 * doorbells, when the device runs, when the host drains d2h and returns
 * credits, device log lines, failing guest memory, teardown and reset. The
 * file service works in a fresh directory per input, removed afterwards.
 *
 * Invariants, checked as the device does each access (in its order):
 *   - it reads only the h2d slot at its head, and only while the host has
 *     produced it; it writes only the d2h slot at its tail while the ring
 *     has room, and the status block; nothing else;
 *   - every d2h slot is well formed, and per session: ACCEPT before data,
 *     fragments in order with LAST exactly at total_len, no DATA message
 *     without a credit the host granted, log lines printable;
 *   - buffered bytes never above the limit, never more than 64 sessions;
 *   - once anpu_hdc_work_pending() says idle, anpu_hdc_process() moves no
 *     index (a missed wakeup would strand that work in QEMU);
 *   - teardown frees every byte and session; nothing leaks (ASan).
 */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <unistd.h>

#include <sys/stat.h>

#include "anpu_hdc.h"
#include "anpu_hdc_svc.h"
#include "anpu_log.h"
#include "fuzz_harness.h"
#include "vascend_hdc_svc.h"

#define RAM_SIZE        (1U << 20)
#define G_H2D           FZ_GUEST_BASE
#define G_D2H           (FZ_GUEST_BASE + 0x40000)
#define G_STATUS        (FZ_GUEST_BASE + 0x80000)
#define HDR             32U
#define IDS             256         /* session ids the host model tracks */
#define VECTORS         8
#define MAX_STEPS       300

struct sess {
    bool accepted;                  /* the device sent ACCEPT, no CLOSE */
    int64_t avail;                  /* DATA messages the device may start */
    uint32_t svc;                   /* of the last CONNECT */
    bool in_msg;                    /* a d2h message is part received */
    uint32_t total, got;
    uint8_t line[sizeof(struct vascend_hdc_log_line) + ANPU_LOG_LINE_MAX];
    uint32_t owed;                  /* whole messages read, credit not sent */
};

static struct fz_mem mem;
static struct anpu_hdc hdc;
static struct anpu_hdc_env env;
static struct anpu_log log_ring;
static struct sess sess[IDS];
static char dir[64];
static uint64_t now;

/* The accepted setup: where the device may go. */
static bool up;
static uint64_t h2d, d2h, status_addr;
static uint32_t count, size;
/* The host's side of the rings. */
static uint32_t h2d_tail, d2h_head;

static bool within(uint64_t a, uint64_t len, uint64_t base, uint64_t n)
{
    return a >= base && a - base <= n && len <= n - (a - base);
}

static uint64_t slot_addr(uint64_t base, uint32_t idx)
{
    return base + (uint64_t)(idx & (count - 1)) * size;
}

/* A slot header the device consumed: what it means for the host model. */
static FZ_NOCOV void consumed(const struct vascend_hdc_msg_hdr *m)
{
    struct sess *s;

    if (m->session >= IDS || !m->session) {
        return;
    }
    s = &sess[m->session];
    switch (m->type) {
    case VASCEND_HDC_MSG_CONNECT:
        if (!s->accepted) {
            s->avail = m->credits;
            s->svc = m->arg;
        }
        break;
    case VASCEND_HDC_MSG_CREDIT:
        s->avail += m->credits;
        break;
    case VASCEND_HDC_MSG_CLOSE:
        /* Whatever the device had for the id is gone without a word. */
        s->accepted = false;
        s->in_msg = false;
        break;
    default:
        break;
    }
}

/* A d2h slot the device just published (header written last). */
static FZ_NOCOV void produced(const struct vascend_hdc_msg_hdr *m,
                               const uint8_t *data)
{
    struct sess *s = m->session < IDS ? &sess[m->session] : NULL;
    uint32_t i, n;

    FZ_LOG("d2h session %u type %u flags %u len %u total %u arg %u "
           "credits %u\n", m->session, m->type, m->flags, m->len,
           m->total_len, m->arg, m->credits);
    FZ_CHECK(m->session && !m->rsvd && m->len <= size - HDR &&
             m->type >= VASCEND_HDC_MSG_ACCEPT &&
             m->type <= VASCEND_HDC_MSG_CLOSE,
             "bad d2h header: session %u type %u len %u", m->session,
             m->type, m->len);
    if (m->type != VASCEND_HDC_MSG_DATA) {
        FZ_CHECK(!m->len && !m->flags && !m->total_len,
                 "d2h type %u with len/flags/total_len", m->type);
    }
    switch (m->type) {
    case VASCEND_HDC_MSG_ACCEPT:
        FZ_CHECK(!m->arg && (m->credits == 0 || m->credits == 8),
                 "ACCEPT arg %u credits %u", m->arg, m->credits);
        if (s) {
            FZ_CHECK(!s->accepted, "second ACCEPT for session %u",
                     m->session);
            s->accepted = true;
            s->in_msg = false;
        }
        break;
    case VASCEND_HDC_MSG_CLOSE:
        FZ_CHECK(!m->credits && m->arg <= VASCEND_HDC_ERR_RESET,
                 "CLOSE credits %u reason %u", m->credits, m->arg);
        if (s) {
            s->accepted = false;
            s->in_msg = false;
        }
        break;
    case VASCEND_HDC_MSG_CREDIT:
        FZ_CHECK(!m->arg && m->credits, "CREDIT arg %u credits %u", m->arg,
                 m->credits);
        FZ_CHECK(!s || s->accepted, "CREDIT for session %u, not open",
                 m->session);
        break;
    default:
        FZ_CHECK(!m->arg && !m->credits && m->len &&
                 !(m->flags & ~(VASCEND_HDC_F_FIRST | VASCEND_HDC_F_LAST)),
                 "DATA header: arg %u credits %u len %u flags 0x%x", m->arg,
                 m->credits, m->len, m->flags);
        FZ_CHECK(!(m->flags & VASCEND_HDC_F_FIRST) == !m->total_len &&
                 m->total_len <= VASCEND_HDC_MAX_MSG,
                 "DATA total_len %u flags 0x%x", m->total_len, m->flags);
        if (!s) {
            break;
        }
        FZ_CHECK(s->accepted, "DATA for session %u, not open", m->session);
        if (m->flags & VASCEND_HDC_F_FIRST) {
            FZ_CHECK(!s->in_msg, "FIRST inside a message of session %u",
                     m->session);
            FZ_CHECK(s->avail > 0, "DATA message for session %u without a "
                     "credit", m->session);
            s->avail--;
            s->in_msg = true;
            s->total = m->total_len;
            s->got = 0;
        }
        FZ_CHECK(s->in_msg && m->len <= s->total - s->got,
                 "fragment of session %u overruns its message", m->session);
        if (s->svc == VASCEND_HDC_SVC_LOG &&
            s->got + m->len <= sizeof(s->line)) {
            memcpy(s->line + s->got, data, m->len);
        }
        s->got += m->len;
        FZ_CHECK(!(m->flags & VASCEND_HDC_F_LAST) == (s->got != s->total),
                 "LAST flag wrong for session %u (%u of %u)", m->session,
                 s->got, s->total);
        if (s->got == s->total) {
            s->in_msg = false;
            s->owed++;
            if (s->svc == VASCEND_HDC_SVC_LOG) {
                n = sizeof(struct vascend_hdc_log_line);
                FZ_CHECK(s->total > n && s->total <= sizeof(s->line),
                         "log line of %u bytes", s->total);
                for (i = n; i < s->total; i++) {
                    FZ_CHECK(s->line[i] >= 0x20 && s->line[i] <= 0x7e,
                             "log line byte 0x%02x", s->line[i]);
                }
            }
        }
        break;
    }
}

static int read_cb(void *opaque, uint64_t addr, void *buf, uint64_t len)
{
    uint64_t slot;
    int r;

    (void)opaque;
    FZ_CHECK(up, "HDC read 0x%llx while not set up",
             (unsigned long long)addr);
    slot = slot_addr(h2d, hdc.h2d_head);
    FZ_CHECK(hdc.h2d_head != hdc.h2d_tail &&
             (uint32_t)(hdc.h2d_tail - hdc.h2d_head) <= count &&
             within(addr, len, slot, size),
             "HDC read 0x%llx+%llu: not the produced h2d slot at head %u "
             "(tail %u)", (unsigned long long)addr, (unsigned long long)len,
             hdc.h2d_head, hdc.h2d_tail);
    r = fz_mem_read_cb(&mem, addr, buf, len);
    if (!r && addr == slot && len == HDR) {
        consumed(buf);
    }
    return r;
}

static int write_cb(void *opaque, uint64_t addr, const void *buf,
                    uint64_t len)
{
    uint64_t slot;
    int r;

    (void)opaque;
    FZ_CHECK(up, "HDC write 0x%llx while not set up",
             (unsigned long long)addr);
    if (addr == status_addr && len == sizeof(struct vascend_hdc_status)) {
        return fz_mem_write_cb(&mem, addr, buf, len);
    }
    slot = slot_addr(d2h, hdc.d2h_tail);
    FZ_CHECK((uint32_t)(hdc.d2h_tail - hdc.d2h_head) < count &&
             within(addr, len, slot, size),
             "HDC write 0x%llx+%llu: not the free d2h slot at tail %u "
             "(head %u)", (unsigned long long)addr, (unsigned long long)len,
             hdc.d2h_tail, hdc.d2h_head);
    r = fz_mem_write_cb(&mem, addr, buf, len);
    if (!r && addr == slot && len == HDR) {
        /* The payload went first: it is in memory now. */
        produced(buf, fz_in_ram(&mem, slot + HDR, size - HDR) ?
                 mem.ram + (slot + HDR - FZ_GUEST_BASE) : NULL);
    }
    return r;
}

static void irq_cb(void *opaque, unsigned int vector)
{
    (void)opaque;
    FZ_CHECK(vector < VECTORS, "HDC vector %u", vector);
}

static uint64_t now_cb(void *opaque)
{
    (void)opaque;
    return now;
}

static void identify_cb(void *opaque, struct vascend_identify *id)
{
    (void)opaque;
    memset(id, 0, sizeof(*id));
    id->hw_version = 0x10001;
    id->msix_count = VECTORS;
}

static void telemetry_cb(void *opaque, struct vascend_telemetry *t)
{
    (void)opaque;
    memset(t, 0, sizeof(*t));
    t->timestamp = now;
}

static void error_cb(void *opaque, const char *msg)
{
    (void)opaque;
    FZ_CHECK(fz_one_line(msg, 1024), "HDC guest error is not one printable "
             "line: \"%s\"", msg);
}

static struct vascend_hdc_status status_block(void)
{
    struct vascend_hdc_status st;

    memset(&st, 0, sizeof(st));
    if (up) {
        fz_mem_read_cb(&mem, status_addr, &st, sizeof(st));
    }
    return st;
}

static void ring(void)
{
    anpu_hdc_db_write(&hdc, VASCEND_HDC_DB_H2D_TAIL, h2d_tail);
}

static FZ_NOCOV void check_hdc(void)
{
    FZ_CHECK(hdc.bytes <= hdc.mem_max && hdc.bytes_peak <= hdc.mem_max,
             "HDC buffers %llu bytes, the limit is %llu",
             (unsigned long long)hdc.bytes,
             (unsigned long long)hdc.mem_max);
    FZ_CHECK(anpu_hdc_session_count(&hdc) <= VASCEND_HDC_MAX_SESSIONS,
             "%u HDC sessions", anpu_hdc_session_count(&hdc));
    FZ_CHECK((uint32_t)(hdc.h2d_tail - hdc.h2d_head) <= hdc.slot_count ||
             !hdc.up, "h2d head %u passed the tail %u", hdc.h2d_head,
             hdc.h2d_tail);
}

/* The device's bottom half: only when HDC says it has work. */
static bool process(bool force)
{
    bool more = false;

    if (force || anpu_hdc_work_pending(&hdc)) {
        more = anpu_hdc_process(&hdc);
    }
    check_hdc();
    return more;
}

/* Consume what the device published; returns slots taken. */
static unsigned int drain(void)
{
    uint32_t tail = status_block().d2h_tail, n = 0;

    if (!up || hdc.broken) {
        return 0;
    }
    FZ_CHECK((uint32_t)(tail - d2h_head) <= count,
             "published d2h tail %u is %u past the host's head", tail,
             tail - d2h_head);
    n = tail - d2h_head;
    d2h_head = tail;
    if (n) {
        anpu_hdc_db_write(&hdc, VASCEND_HDC_DB_D2H_HEAD, d2h_head);
    }
    return n;
}

static bool h2d_room_at(uint32_t head)
{
    return up && !hdc.broken && (uint32_t)(h2d_tail - head) < count;
}

static bool h2d_room(void)
{
    return h2d_room_at(status_block().h2d_head);
}

static void put_slot(const struct vascend_hdc_msg_hdr *m, const void *payload,
                     uint32_t len);

/* Return the credits the host's reader owes, one CREDIT per session. */
static void pay_credits(void)
{
    uint32_t head = status_block().h2d_head;
    struct vascend_hdc_msg_hdr m;
    unsigned int i;

    for (i = 1; i < IDS && h2d_room_at(head); i++) {
        if (!sess[i].owed || !sess[i].accepted) {
            continue;
        }
        memset(&m, 0, sizeof(m));
        m.session = i;
        m.type = VASCEND_HDC_MSG_CREDIT;
        m.credits = sess[i].owed;
        sess[i].owed = 0;
        put_slot(&m, NULL, 0);
    }
}

/* Ring, run, drain, pay: until the device is idle (bounded). */
static void pump(bool credits)
{
    unsigned int i;
    bool more;

    for (i = 0; i < 2000; i++) {
        ring();
        more = process(false);
        more |= drain() > 0;
        if (credits) {
            pay_credits();
        }
        if (!more && !anpu_hdc_work_pending(&hdc)) {
            return;
        }
    }
    fz_fail("HDC never went idle");
}

/* Write one h2d slot at the host's tail (pumping while the ring is full). */
static void put_slot(const struct vascend_hdc_msg_hdr *m, const void *payload,
                     uint32_t len)
{
    unsigned int tries;
    uint64_t a;

    for (tries = 0; tries < 4 && up && !h2d_room(); tries++) {
        ring();
        process(false);
        drain();
    }
    if (!h2d_room()) {
        return;
    }
    a = slot_addr(h2d, h2d_tail);
    if (len > size - HDR) {
        len = size - HDR;
    }
    if (fz_in_ram(&mem, a, HDR + len)) {
        fz_mem_write(&mem, a, m, HDR);
        if (len) {
            fz_mem_write(&mem, a + HDR, payload, len);
        }
    }
    h2d_tail++;
}

/* A session id: mostly a few, sometimes up to 240, rarely anything. */
static uint32_t in_id(struct fin *in)
{
    uint8_t b = fin_u8(in);

    if (b < 0xc0) {
        return 1 + b % 15;
    }
    return b < 0xf8 ? 1 + fin_u8(in) : fin_u32(in);
}

static void ctl(uint32_t id, uint16_t type, uint32_t arg, uint32_t credits)
{
    struct vascend_hdc_msg_hdr m;

    memset(&m, 0, sizeof(m));
    m.session = id;
    m.type = type;
    m.arg = arg;
    m.credits = credits;
    put_slot(&m, NULL, 0);
}

/* One DATA message in as many fragments as it takes. */
static void send_msg(uint32_t id, const uint8_t *data, uint32_t len)
{
    struct vascend_hdc_msg_hdr m;
    uint32_t off = 0, n, max = size - HDR;

    do {
        n = len - off < max ? len - off : max;
        memset(&m, 0, sizeof(m));
        m.session = id;
        m.type = VASCEND_HDC_MSG_DATA;
        m.len = n;
        if (!off) {
            m.flags |= VASCEND_HDC_F_FIRST;
            m.total_len = len;
        }
        if (off + n == len) {
            m.flags |= VASCEND_HDC_F_LAST;
        }
        put_slot(&m, data + off, n);
        off += n;
    } while (off < len && up);
}

static void setup(struct fin *in)
{
    struct vascend_sqe q;
    uint8_t b = fin_u8(in), sl;

    memset(&q, 0, sizeof(q));
    q.opcode = VASCEND_ADMIN_HDC_SETUP;
    if (b & 0x80) {
        fin_bytes(in, &q.u, sizeof(q.u));
        if (b & 0x40) {
            q.u.hdc.h2d_base = FZ_GUEST_BASE + (q.u.hdc.h2d_base % RAM_SIZE);
            q.u.hdc.d2h_base = FZ_GUEST_BASE + (q.u.hdc.d2h_base % RAM_SIZE);
            q.u.hdc.status_addr = FZ_GUEST_BASE +
                                  (q.u.hdc.status_addr % RAM_SIZE);
        }
    } else {
        sl = 8 + (b & 0xf) % 9;
        q.u.hdc.h2d_base = G_H2D;
        q.u.hdc.d2h_base = G_D2H;
        q.u.hdc.status_addr = G_STATUS;
        q.u.hdc.slot_size = 1U << sl;
        q.u.hdc.slot_count = 1U << (1 + fin_u8(in) % (18 - sl));
        q.u.hdc.vector = (b >> 4) & 7;
    }
    if (!hdc.up) {
        /* Where the device may go if it accepts: status written at once. */
        up = true;
        h2d = q.u.hdc.h2d_base;
        d2h = q.u.hdc.d2h_base;
        status_addr = q.u.hdc.status_addr;
        count = q.u.hdc.slot_count;
        size = q.u.hdc.slot_size;
    }
    if (anpu_hdc_setup(&hdc, &q) == VASCEND_CQE_STATUS_SUCCESS) {
        FZ_CHECK(hdc.up && count >= 2 && count <= VASCEND_HDC_MAX_SLOTS &&
                 !(count & (count - 1)) && size >= VASCEND_HDC_MIN_SLOT &&
                 size <= VASCEND_HDC_MAX_SLOT && !(size & (size - 1)) &&
                 !(h2d & 4095) && !(d2h & 4095) && !(status_addr & 63) &&
                 q.u.hdc.vector < VECTORS &&
                 !within(status_addr, 1, h2d, (uint64_t)count * size) &&
                 !within(d2h, 1, h2d, (uint64_t)count * size) &&
                 !within(h2d, 1, d2h, (uint64_t)count * size),
                 "HDC_SETUP accepted %u x %u at 0x%llx/0x%llx/0x%llx",
                 count, size, (unsigned long long)h2d,
                 (unsigned long long)d2h, (unsigned long long)status_addr);
        h2d_tail = d2h_head = 0;
        memset(sess, 0, sizeof(sess));
    } else if (!hdc.up) {
        up = false;
    }
}

static void restart(bool reset, struct fin *in)
{
    uint32_t types[8];
    unsigned int n, i;

    if (reset) {
        anpu_hdc_reset(&hdc);
        n = fin_u8(in) % 8;
        for (i = 0; i < n; i++) {
            types[i] = fin_u8(in) % 7;
        }
        anpu_hdc_set_services(&hdc, types, n);
    } else {
        anpu_hdc_teardown(&hdc);
    }
    FZ_CHECK(hdc.bytes == 0 && anpu_hdc_session_count(&hdc) == 0,
             "teardown left %llu bytes, %u sessions",
             (unsigned long long)hdc.bytes, anpu_hdc_session_count(&hdc));
    up = false;
    memset(sess, 0, sizeof(sess));
}

/* Names a request may carry; "sub" .. "big" exist with cfg bit 7. */
static const char *const names[] = {
    "a", "b.bin", "c-1", "..", ".", "x/y", "", "#hdc-put.1.1", "A_z.9",
    "a\nb", "sub", "fifo", "link", "big",
};

static void file_req(struct fin *in)
{
    struct vascend_hdc_file_req rq;
    uint32_t id = in_id(in);
    uint8_t op = fin_u8(in), nb = fin_u8(in), b = fin_u8(in);
    uint8_t data[512];
    uint32_t n;

    memset(&rq, 0, sizeof(rq));
    rq.op = op % 6;
    if (nb & 0x80) {
        rq.name_len = fin_u8(in);
        fin_bytes(in, rq.name, rq.name_len);
    } else {
        snprintf(rq.name, sizeof(rq.name), "%s",
                 names[nb % (sizeof(names) / sizeof(names[0]))]);
        rq.name_len = strlen(rq.name);
    }
    if (rq.op == VASCEND_HDC_FILE_PUT) {
        rq.size = b & 0x10 ? fin_u32(in) : fin_u16(in);
    }
    if (b & 0x40) {
        ((uint8_t *)&rq)[fin_u16(in) % sizeof(rq)] = fin_u8(in);
    }
    send_msg(id, (const uint8_t *)&rq, sizeof(rq));
    if (rq.op == VASCEND_HDC_FILE_PUT && rq.size && (b & 0x20)) {
        n = 1 + fin_u16(in) % sizeof(data);
        fin_bytes(in, data, n);
        send_msg(id, data, n);
    }
}

/* What a real directory holds besides files: the service must cope. */
static void fixtures(void)
{
    static uint8_t big[300 << 10];
    char path[512];
    FILE *fp;

    snprintf(path, sizeof(path), "%s/sub", dir);
    mkdir(path, 0755);
    snprintf(path, sizeof(path), "%s/fifo", dir);
    mkfifo(path, 0644);
    snprintf(path, sizeof(path), "%s/link", dir);
    if (symlink("/etc/hostname", path)) {
        abort();
    }
    snprintf(path, sizeof(path), "%s/big", dir);
    fp = fopen(path, "wb");
    if (!fp || fwrite(big, 1, sizeof(big), fp) != sizeof(big) || fclose(fp)) {
        abort();
    }
}

static void rm_dir(void)
{
    char path[512];
    struct dirent *de;
    DIR *dp = opendir(dir);

    while (dp && (de = readdir(dp))) {
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
            snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
            if (unlink(path)) {
                rmdir(path);
            }
        }
    }
    if (dp) {
        closedir(dp);
    }
    rmdir(dir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
    static const uint32_t all[] = { 1, 2, 3, 4 };
    static const uint64_t mem_max[] = { 0, 1 << 20, 256 << 10, 64 << 10 };
    struct fin in = { data, len };
    struct vascend_hdc_msg_hdr m;
    uint8_t buf[4096], b;
    unsigned int steps;
    uint32_t id, n;

    if (!mem.ram) {
        fz_mem_init(&mem, RAM_SIZE, 4096);
    }
    /* The file service's directory: on tmpfs when there is one (fast). */
    snprintf(dir, sizeof(dir), "%s/vascend-fuzz-hdc-XXXXXX",
             access("/dev/shm", W_OK) ? "/tmp" : "/dev/shm");
    if (!mkdtemp(dir)) {
        abort();
    }
    b = fin_u8(&in);
    memset(&env, 0, sizeof(env));
    env.host_read = read_cb;
    env.host_write = write_cb;
    env.raise_irq = irq_cb;
    env.now_ns = now_cb;
    env.identify = b & 0x10 ? NULL : identify_cb;
    env.telemetry = b & 0x10 ? NULL : telemetry_cb;
    env.guest_error = error_cb;
    env.log = &log_ring;
    env.file_dir = b & 0x20 ? NULL : dir;
    env.file_max = 64 << 10;
    env.msix_vectors = VECTORS;
    env.mem_max = mem_max[b & 3];
    if (b & 0x80) {
        fixtures();
    }
    anpu_log_init(&log_ring);
    anpu_hdc_init(&hdc, &env);
    anpu_hdc_set_services(&hdc, all, 4);
    up = false;
    now = 1000;
    memset(sess, 0, sizeof(sess));
    if (!(b & 0x40)) {
        /* A channel up from the start: 64 slots of 1 KiB. */
        struct fin def = { (const uint8_t *)"\x02\x05", 2 };

        setup(&def);
    }

    for (steps = 0; steps < MAX_STEPS && fin_more(&in); steps++) {
        b = fin_u8(&in);
        switch ((b & 0x7f) % 20) {
        case 0:
            setup(&in);
            break;
        case 1:
            restart(b & 0x80, &in);
            break;
        case 2:
        case 3:
            memset(&m, 0, sizeof(m));
            m.session = in_id(&in);
            m.type = fin_u8(&in);
            if (m.type >= 0x80) {
                m.type = 1 + m.type % 5;
            }
            m.flags = fin_u8(&in) & (b & 0x80 ? 0xff : 3);
            m.len = fin_u16(&in);
            m.total_len = b & 0x40 ? fin_u32(&in) : m.len;
            m.arg = fin_u8(&in) % 8;
            m.credits = fin_u8(&in);
            if (b & 0x20) {
                fin_bytes(&in, &m, sizeof(m));
            }
            n = m.len < sizeof(buf) ? m.len : sizeof(buf);
            fin_bytes(&in, buf, n);
            put_slot(&m, buf, n);
            break;
        case 4:
            id = in_id(&in);
            n = fin_u8(&in);
            ctl(id, VASCEND_HDC_MSG_CONNECT, n % 6, b & 0x80 ? fin_u32(&in) :
                fin_u8(&in) % 16);
            break;
        case 5:
        case 6:
            id = in_id(&in);
            n = b & 0x80 ? 1 + fin_u16(&in) % sizeof(buf) : 1 + fin_u8(&in);
            fin_bytes(&in, buf, n < 64 ? n : 64);
            memset(buf + (n < 64 ? n : 64), b, n > 64 ? n - 64 : 0);
            send_msg(id, buf, n);
            break;
        case 7:
            file_req(&in);
            break;
        case 8:
            id = in_id(&in);
            memset(buf, 0, 16);
            buf[0] = fin_u8(&in) % 4;
            buf[4] = b & 0x80;
            send_msg(id, buf, b & 0x40 ? 1 + fin_u8(&in) % 16 :
                     sizeof(struct vascend_hdc_mgmt_req));
            break;
        case 9:
            id = in_id(&in);
            ctl(id, VASCEND_HDC_MSG_CREDIT, 0, b & 0x80 ? fin_u32(&in) :
                fin_u8(&in));
            break;
        case 10:
            ctl(in_id(&in), VASCEND_HDC_MSG_CLOSE, fin_u8(&in) % 9, 0);
            break;
        case 11:
            ring();
            break;
        case 12:
            n = fin_u8(&in);
            anpu_hdc_db_write(&hdc, (n & 3) * 4, n & 0x80 ? fin_u32(&in) :
                              (n & 4 ? d2h_head : h2d_tail) + fin_u8(&in) -
                              128);
            /*
             * The host wrote it: it skipped d2h slots unread, or handed
             * over h2d slots it never filled. Its own indices follow.
             */
            d2h_head = anpu_hdc_db_read(&hdc, VASCEND_HDC_DB_D2H_HEAD);
            id = anpu_hdc_db_read(&hdc, VASCEND_HDC_DB_H2D_TAIL);
            if ((uint32_t)(id - h2d_tail) <= count) {
                h2d_tail = id;
            }
            break;
        case 13:
            drain();
            if (b & 0x80) {
                pay_credits();
            }
            break;
        case 14:
        case 15:
            process(b & 0x80);
            break;
        case 16:
            pump(!(b & 0x80));
            break;
        case 17:
            n = fin_u8(&in) % 200;
            fin_bytes(&in, buf, n);
            buf[n] = '\0';
            anpu_log_add(&log_ring, now, "%s", (const char *)buf);
            /* Or a flood, more than the ring keeps. */
            for (id = 0; (b & 0x80) && id < 4U * n; id++) {
                anpu_log_add(&log_ring, now, "line %u", id);
            }
            anpu_hdc_log_notify(&hdc);
            break;
        case 18:
            n = fin_u8(&in);
            mem.fail_read = n & 1;
            mem.fail_write = n & 2;
            ring();
            process(true);
            mem.fail_read = mem.fail_write = false;
            if (hdc.broken) {
                restart(false, &in);
            }
            break;
        default:
            now += fin_u32(&in);
            break;
        }
    }
    mem.fail_read = mem.fail_write = false;
    pump(true);
    if (up && !hdc.broken) {
        /* Idle means idle: nothing may move without a reason. */
        uint32_t a = hdc.h2d_head, z = hdc.d2h_tail;

        FZ_CHECK(!anpu_hdc_work_pending(&hdc), "pump left work pending");
        anpu_hdc_process(&hdc);
        FZ_CHECK(hdc.h2d_head == a && hdc.d2h_tail == z,
                 "missed wakeup: HDC moved (h2d %u->%u, d2h %u->%u) while "
                 "it said it had nothing to do", a, hdc.h2d_head, z,
                 hdc.d2h_tail);
    }
    restart(false, &in);
    anpu_hdc_fini(&hdc);
    fz_mem_reset(&mem);
    rm_dir();
    return 0;
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * HDC services of the ascend-npu core, through the transport: mgmt
 * (identify, telemetry, bad requests), log (backlog, live lines, drops,
 * the device log ring itself) and file (put/get/list/delete in a temporary
 * directory, name attacks, symbolic links, the size limit, interrupted
 * PUTs, files that are not regular).
 */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test_hdc_host.h"

/* The payload layouts of vascend_hdc_svc.h: no hidden padding. */
_Static_assert(sizeof(struct vascend_hdc_mgmt_req) == 8, "mgmt request");
_Static_assert(sizeof(struct vascend_hdc_mgmt_reply) == 8, "mgmt reply");
_Static_assert(sizeof(struct vascend_hdc_log_line) == 16, "log line header");
_Static_assert(sizeof(struct vascend_hdc_file_req) == 272, "file request");
_Static_assert(sizeof(struct vascend_hdc_file_reply) == 24, "file reply");
_Static_assert(sizeof(struct vascend_hdc_file_entry) == 272, "file entry");

static void check_clean(struct host *h, const char *what)
{
    TAP_CHECK(h->violations == 0 && h->stray == 0,
              "%s: device kept to the protocol and its rings (%u violations, "
              "%u stray accesses)", what, h->violations, h->stray);
}

/* ---- mgmt ---- */

static bool mgmt_call(struct host *h, uint32_t id, const void *req,
                      uint32_t len, struct vascend_hdc_mgmt_reply *rep,
                      void *body, uint32_t body_len, uint32_t *got_len)
{
    uint8_t *got;
    uint32_t n;

    host_send(h, id, req, len);
    pump(h);
    got = host_recv(h, id, &n);
    *got_len = n;
    if (!got || n < sizeof(*rep)) {
        free(got);
        return false;
    }
    memcpy(rep, got, sizeof(*rep));
    if (body && n == sizeof(*rep) + body_len) {
        memcpy(body, got + sizeof(*rep), body_len);
    }
    free(got);
    return true;
}

static void test_mgmt(void)
{
    struct host *h = host_new(64, 256);
    struct vascend_hdc_mgmt_req rq = { VASCEND_HDC_MGMT_IDENTIFY, 0 };
    struct vascend_hdc_mgmt_reply rep;
    struct vascend_identify id;
    struct vascend_telemetry tm;
    uint8_t nine[9] = { 1 };
    uint32_t n;
    bool ok;

    h->id.hw_version = 0x00010001;
    h->id.fw_version = 0x010203;
    h->id.aicore_count = 8;
    h->id.hdc_service_count = 4;
    snprintf(h->id.soc_name, sizeof(h->id.soc_name), "Ascend910B3");
    h->tm.timestamp = 123456789;
    h->tm.temperature_mc = 45000;
    h->tm.tasks_completed = 77;
    host_connect(h, 1, VASCEND_HDC_SVC_MGMT, 8);
    memset(&id, 0, sizeof(id));
    ok = mgmt_call(h, 1, &rq, sizeof(rq), &rep, &id, sizeof(id), &n);
    TAP_CHECK(ok && rep.cmd == VASCEND_HDC_MGMT_IDENTIFY && rep.status == 0 &&
              n == sizeof(rep) + sizeof(id) && !memcmp(&id, &h->id, sizeof(id)),
              "IDENTIFY: status 0 and the device's identify (%u bytes, "
              "fragmented)",
              n);
    rq.cmd = VASCEND_HDC_MGMT_TELEMETRY;
    ok = mgmt_call(h, 1, &rq, sizeof(rq), &rep, &tm, sizeof(tm), &n);
    TAP_CHECK(ok && rep.cmd == VASCEND_HDC_MGMT_TELEMETRY && rep.status == 0 &&
              n == sizeof(rep) + sizeof(tm) && !memcmp(&tm, &h->tm, sizeof(tm)),
              "TELEMETRY: status 0 and the device's telemetry");
    rq.cmd = 77;
    ok = mgmt_call(h, 1, &rq, sizeof(rq), &rep, NULL, 0, &n);
    TAP_CHECK(ok && rep.cmd == 77 && rep.status == -VASCEND_HDC_EINVAL &&
              n == sizeof(rep), "unknown cmd: -EINVAL, header only");
    rq.cmd = VASCEND_HDC_MGMT_IDENTIFY;
    rq.rsvd = 1;
    ok = mgmt_call(h, 1, &rq, sizeof(rq), &rep, NULL, 0, &n);
    TAP_CHECK(ok && rep.status == -VASCEND_HDC_EINVAL && n == sizeof(rep),
              "rsvd set: -EINVAL");
    ok = mgmt_call(h, 1, &rq, 4, &rep, NULL, 0, &n);
    TAP_CHECK(ok && rep.cmd == 1 && rep.status == -VASCEND_HDC_EINVAL,
              "short request: -EINVAL");
    ok = mgmt_call(h, 1, nine, sizeof(nine), &rep, NULL, 0, &n);
    TAP_CHECK(ok && rep.status == -VASCEND_HDC_EINVAL, "long request: -EINVAL");
    ok = mgmt_call(h, 1, nine, 1, &rep, NULL, 0, &n);
    TAP_CHECK(ok && rep.cmd == 0 && rep.status == -VASCEND_HDC_EINVAL,
              "1-byte request: -EINVAL, cmd 0");

    /* Pipelined: answers in order. */
    rq.rsvd = 0;
    for (uint32_t i = 0; i < 6; i++) {
        rq.cmd = i % 2 ? VASCEND_HDC_MGMT_TELEMETRY : VASCEND_HDC_MGMT_IDENTIFY;
        host_send(h, 1, &rq, sizeof(rq));
    }
    pump(h);
    ok = S(h, 1)->nmsgs == 6;
    for (uint32_t i = 0; ok && i < 6; i++) {
        memcpy(&rep, S(h, 1)->msgs[i].data, sizeof(rep));
        ok = rep.cmd == (i % 2 ? 2U : 1U) && rep.status == 0;
    }
    TAP_CHECK(ok, "six pipelined requests answered in order");

    h->hdc.env.identify = NULL;
    host_connect(h, 2, VASCEND_HDC_SVC_MGMT, 8);
    rq.cmd = VASCEND_HDC_MGMT_IDENTIFY;
    ok = mgmt_call(h, 2, &rq, sizeof(rq), &rep, NULL, 0, &n);
    TAP_CHECK(ok && rep.status == -VASCEND_HDC_EOPNOTSUPP && n == sizeof(rep),
              "no identify callback: -EOPNOTSUPP");
    check_clean(h, "mgmt");
    host_free(h);
}

/* ---- log ---- */

static bool log_msg(struct host *h, uint32_t id, unsigned int i,
                    struct vascend_hdc_log_line *hdr, char *text)
{
    struct hmsg *m;

    if (i >= S(h, id)->nmsgs) {
        return false;
    }
    m = &S(h, id)->msgs[i];
    if (m->len < sizeof(*hdr) || m->len - sizeof(*hdr) >= ANPU_LOG_LINE_MAX) {
        return false;
    }
    memcpy(hdr, m->data, sizeof(*hdr));
    memcpy(text, m->data + sizeof(*hdr), m->len - sizeof(*hdr));
    text[m->len - sizeof(*hdr)] = '\0';
    return true;
}

static void add_line(struct host *h, const char *fmt, int n)
{
    h->now += 1000;
    anpu_log_add(&h->log, h->now, fmt, n);
    anpu_hdc_log_notify(&h->hdc);
}

static void test_log_ring(void)
{
    struct anpu_log *l = calloc(1, sizeof(*l));
    const struct anpu_log_line *line;
    char big[400];
    unsigned int i;

    anpu_log_init(l);
    TAP_CHECK(anpu_log_first_seq(l) == 0 && anpu_log_next_seq(l) == 0 &&
              !anpu_log_get(l, 0), "empty log");
    anpu_log_add(l, 5, "boot %d\n", 1);
    line = anpu_log_get(l, 0);
    TAP_CHECK(line && !strcmp(line->text, "boot 1") && line->len == 6 &&
              line->timestamp_ns == 5, "a line, newline dropped");
    anpu_log_add(l, 6, "a\nb\tc\x1b[2Jd");
    TAP_CHECK(!strcmp(anpu_log_get(l, 1)->text, "ab c [2Jd"),
              "control characters cannot forge lines (\"%s\")",
              anpu_log_get(l, 1)->text);
    anpu_log_add(l, 7, "%s", "");
    TAP_CHECK(!strcmp(anpu_log_get(l, 2)->text, "-"), "empty line stored as -");
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    anpu_log_add(l, 8, "%s", big);
    TAP_CHECK(anpu_log_get(l, 3)->len == ANPU_LOG_LINE_MAX - 1,
              "long line cut at %u bytes", ANPU_LOG_LINE_MAX - 1);
    for (i = 0; i < ANPU_LOG_LINES; i++) {
        anpu_log_add(l, 100 + i, "line %u", i);
    }
    TAP_CHECK(anpu_log_next_seq(l) == ANPU_LOG_LINES + 4 &&
              anpu_log_first_seq(l) == 4 && !anpu_log_get(l, 3) &&
              !strcmp(anpu_log_get(l, 4)->text, "line 0"),
              "the ring keeps the newest %u lines", ANPU_LOG_LINES);
    free(l);
}

static void test_log(void)
{
    struct host *h = host_new(64, 256);
    struct vascend_hdc_log_line hdr;
    char text[ANPU_LOG_LINE_MAX];
    uint64_t first, lost;
    unsigned int i, kept;
    bool ok = true;

    add_line(h, "firmware booted %d", 1);
    add_line(h, "queue %d created", 2);
    add_line(h, "fault %d", 3);
    host_connect(h, 1, VASCEND_HDC_SVC_LOG, 16);
    TAP_CHECK(S(h, 1)->send_credits == 0,
              "LOG grants no credits (it takes no data)");
    for (i = 0; i < 3; i++) {
        ok &= log_msg(h, 1, i, &hdr, text) && hdr.seq == i &&
              hdr.flags == 0 && hdr.timestamp_ns == 1000 * (i + 1);
    }
    TAP_CHECK(ok && S(h, 1)->nmsgs == 3 && log_msg(h, 1, 2, &hdr, text) &&
              !strcmp(text, "fault 3"),
              "connect: the backlog, one message per line, seq and time");
    add_line(h, "live line %d", 4);
    pump(h);
    TAP_CHECK(S(h, 1)->nmsgs == 4 && log_msg(h, 1, 3, &hdr, text) &&
              hdr.seq == 3 && !strcmp(text, "live line 4"),
              "a new line is streamed as it is added");

    /* Another host reads nothing for a while. */
    host_connect_manual(h, 2, VASCEND_HDC_SVC_LOG, 0);
    first = anpu_log_first_seq(&h->log);
    for (i = 0; i < 300; i++) {
        add_line(h, "burst %d", i);
        pump(h);
    }
    TAP_CHECK(S(h, 2)->nmsgs == 0, "no credit: nothing sent");
    TAP_CHECK(S(h, 1)->nmsgs == 4 + 300,
              "the reading session got all 300 (%u)", S(h, 1)->nmsgs);
    lost = anpu_log_first_seq(&h->log) - first;
    kept = anpu_log_next_seq(&h->log) - anpu_log_first_seq(&h->log);
    h2d_ctl(h, 2, VASCEND_HDC_MSG_CREDIT, 0, 1000);
    S(h, 2)->granted += 1000;
    pump(h);
    snprintf(text, sizeof(text), "%llu lines dropped",
             (unsigned long long)lost);
    ok = log_msg(h, 2, 0, &hdr, text + 64) &&
         hdr.flags == VASCEND_HDC_LOG_F_DROPPED &&
         hdr.seq == anpu_log_first_seq(&h->log) - 1 && !strcmp(text, text + 64);
    TAP_CHECK(ok, "credit back: first a \"%s\" notice (seq of the last lost "
              "line)", text);
    ok = S(h, 2)->nmsgs == 1 + kept;
    for (i = 0; ok && i < kept; i++) {
        ok = log_msg(h, 2, 1 + i, &hdr, text) &&
             hdr.seq == anpu_log_first_seq(&h->log) + i && hdr.flags == 0;
    }
    TAP_CHECK(ok, "then the %u lines the ring kept, in order", kept);

    /* Credits limit what is sent; the rest waits in the device log. */
    host_connect_manual(h, 3, VASCEND_HDC_SVC_LOG, 5);
    TAP_CHECK(S(h, 3)->nmsgs == 5, "5 credits: 5 lines (%u)", S(h, 3)->nmsgs);
    add_line(h, "x %d", 0);
    pump(h);
    TAP_CHECK(S(h, 3)->nmsgs == 5 && h->hdc.bytes == 0,
              "and no more; nothing buffered meanwhile");

    host_connect(h, 4, VASCEND_HDC_SVC_LOG, 5);
    host_send(h, 4, "hi", 2);
    pump(h);
    TAP_CHECK(S(h, 4)->closed &&
              S(h, 4)->close_reason == VASCEND_HDC_ERR_PROTOCOL,
              "DATA to the log service: CLOSE ERR_PROTOCOL");
    check_clean(h, "log");
    host_free(h);
}

/* ---- file ---- */

static char dir[64], outside[64];

static void file_req(struct vascend_hdc_file_req *rq, uint32_t op,
                     const char *name, uint64_t size)
{
    memset(rq, 0, sizeof(*rq));
    rq->op = op;
    rq->size = size;
    if (name) {
        rq->name_len = strlen(name);
        memcpy(rq->name, name, rq->name_len < 256 ? rq->name_len : 256);
    }
}

/* Pop one reply of session @id; false when none or malformed. */
static bool file_reply(struct host *h, uint32_t id,
                       struct vascend_hdc_file_reply *rep)
{
    uint32_t n;
    uint8_t *got = host_recv(h, id, &n);
    bool ok = got && n >= sizeof(*rep);

    if (ok) {
        memcpy(rep, got, sizeof(*rep));
        ok = !rep->rsvd;
    }
    free(got);
    return ok;
}

/* One request without data; its first reply's status (or 1000 if none). */
static int32_t file_call(struct host *h, uint32_t id, uint32_t op,
                         const char *name, uint64_t size,
                         struct vascend_hdc_file_reply *rep)
{
    struct vascend_hdc_file_req rq;

    file_req(&rq, op, name, size);
    host_send(h, id, &rq, sizeof(rq));
    pump(h);
    return file_reply(h, id, rep) ? rep->status : 1000;
}

/* PUT @len bytes of @data in messages of @piece; final status. */
static int32_t file_put(struct host *h, uint32_t id, const char *name,
                        const uint8_t *data, uint32_t len, uint32_t piece)
{
    struct vascend_hdc_file_reply rep;
    int32_t st = file_call(h, id, VASCEND_HDC_FILE_PUT, name, len, &rep);
    uint32_t off, n;

    if (st || rep.op != VASCEND_HDC_FILE_PUT_READY || rep.size != len) {
        return st ? st : 1001;
    }
    for (off = 0; off < len; off += n) {
        n = len - off < piece ? len - off : piece;
        host_send(h, id, data + off, n);
        pump(h);
    }
    pump(h);
    if (!file_reply(h, id, &rep) || rep.op != VASCEND_HDC_FILE_PUT) {
        return 1002;
    }
    return rep.status || rep.size == len ? rep.status : 1003;
}

/* GET into a malloc'd buffer; status, *len bytes. */
static int32_t file_get(struct host *h, uint32_t id, const char *name,
                        uint8_t **out, uint64_t *len)
{
    struct vascend_hdc_file_reply rep;
    int32_t st = file_call(h, id, VASCEND_HDC_FILE_GET, name, 0, &rep);
    uint64_t off = 0;
    uint8_t *buf, *got;
    uint32_t n;

    *out = NULL;
    *len = 0;
    if (st) {
        return st;
    }
    buf = malloc(rep.size + 1);
    while (off < rep.size && (got = host_recv(h, id, &n))) {
        if (n > VASCEND_HDC_FILE_CHUNK || n > rep.size - off) {
            free(got);
            break;
        }
        memcpy(buf + off, got, n);
        off += n;
        free(got);
    }
    *out = buf;
    *len = off;
    return off == rep.size ? 0 : 1004;
}

/* "@d/@name" in one of four static buffers, so two fit in one call. */
static char *path_of(const char *d, const char *name)
{
    static char p[4][512];
    static unsigned int n;
    char *r = p[n++ % 4];

    snprintf(r, sizeof(p[0]), "%s/%s", d, name);
    return r;
}

static bool file_equals(const char *path, const uint8_t *data, size_t len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf = malloc(len + 1);
    bool ok = f && buf && fread(buf, 1, len + 1, f) == len &&
              !memcmp(buf, data, len);

    if (f) {
        fclose(f);
    }
    free(buf);
    return ok;
}

static void write_file(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");

    if (!f || fwrite(data, 1, len, f) != len) {
        printf("Bail out! cannot write %s\n", path);
        exit(1);
    }
    fclose(f);
}

/* Entries in @d other than "." and ".."; *tmp counts '#' temp files. */
static unsigned int dir_count(const char *d, unsigned int *tmp)
{
    DIR *dp = opendir(d);
    struct dirent *de;
    unsigned int n = 0;

    *tmp = 0;
    while (dp && (de = readdir(dp))) {
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..")) {
            n++;
            *tmp += de->d_name[0] == '#';
        }
    }
    if (dp) {
        closedir(dp);
    }
    return n;
}

static void test_file_roundtrip(void)
{
    struct host *h = host_new_env(64, 4096, dir, 0);
    struct vascend_hdc_file_reply rep;
    struct vascend_hdc_file_entry ent[3];
    uint8_t *data = malloc(600 << 10), *got;
    uint32_t n;
    uint64_t len;
    unsigned int tmp;
    uint8_t *list;
    int32_t st;

    pattern(data, 600 << 10, 50);
    host_connect(h, 1, VASCEND_HDC_SVC_FILE, 8);
    st = file_put(h, 1, "model.om", data, 600 << 10, 100 << 10);
    TAP_CHECK(st == 0, "PUT of 600 KiB in 100 KiB messages: status %d", st);
    TAP_CHECK(file_equals(path_of(dir, "model.om"), data, 600 << 10),
              "the file on disk holds the data");
    TAP_CHECK(dir_count(dir, &tmp) == 1 && tmp == 0,
              "no temporary file left behind");
    st = file_put(h, 1, "model.om", data + 1, 1000, 1000);
    TAP_CHECK(st == 0 && file_equals(path_of(dir, "model.om"), data + 1, 1000),
              "PUT of an existing name replaces it");
    st = file_put(h, 1, "model.om", data, 600 << 10, 600 << 10);
    TAP_CHECK(st == 0, "PUT as one 600 KiB message");
    st = file_put(h, 1, "empty_-.A9", data, 0, 1);
    TAP_CHECK(st == 0 && file_equals(path_of(dir, "empty_-.A9"), data, 0),
              "PUT of an empty file (READY, then the final answer)");

    st = file_get(h, 1, "model.om", &got, &len);
    TAP_CHECK(st == 0 && len == 600 << 10 && !memcmp(got, data, len),
              "GET returns the same 600 KiB in chunks (%d)", st);
    free(got);
    st = file_get(h, 1, "empty_-.A9", &got, &len);
    TAP_CHECK(st == 0 && len == 0, "GET of an empty file: size 0, no data");
    free(got);
    st = file_call(h, 1, VASCEND_HDC_FILE_GET, "nothere", 0, &rep);
    TAP_CHECK(st == -VASCEND_HDC_ENOENT, "GET of a missing file: -ENOENT (%d)",
              st);

    /* Things LIST must leave out. */
    mkdir(path_of(dir, "subdir"), 0755);
    symlink("model.om", path_of(dir, "alias"));
    write_file(path_of(dir, "#hdc-put.1.1"), "x", 1);
    write_file(path_of(dir, "bad name"), "x", 1);
    st = file_call(h, 1, VASCEND_HDC_FILE_LIST, NULL, 0, &rep);
    TAP_CHECK(st == 0 && rep.op == VASCEND_HDC_FILE_LIST && rep.size == 2 &&
              rep.flags == 0, "LIST: 2 entries (%d, %llu)", st,
              (unsigned long long)rep.size);
    /* file_call consumed the reply; look at a fresh one for the entries. */
    {
        struct vascend_hdc_file_req rq;

        file_req(&rq, VASCEND_HDC_FILE_LIST, NULL, 0);
        host_send(h, 1, &rq, sizeof(rq));
        pump(h);
        list = host_recv(h, 1, &n);
    }
    TAP_CHECK(list && n == sizeof(rep) + 2 * sizeof(ent[0]),
              "LIST answer: header + 2 entries (%u bytes)", n);
    if (list && n == sizeof(rep) + 2 * sizeof(ent[0])) {
        memcpy(ent, list + sizeof(rep), 2 * sizeof(ent[0]));
        TAP_CHECK(!strcmp(ent[0].name, "empty_-.A9") && ent[0].size == 0 &&
                  ent[0].name_len == 10 && !strcmp(ent[1].name, "model.om") &&
                  ent[1].size == 600 << 10 && !ent[1].rsvd,
                  "sorted names and sizes; no link, directory, temp or "
                  "invalid name");
    } else {
        TAP_CHECK(0, "LIST entries");
    }
    free(list);

    st = file_call(h, 1, VASCEND_HDC_FILE_DELETE, "empty_-.A9", 0, &rep);
    TAP_CHECK(st == 0 && access(path_of(dir, "empty_-.A9"), F_OK) != 0,
              "DELETE removes the file");
    st = file_call(h, 1, VASCEND_HDC_FILE_DELETE, "empty_-.A9", 0, &rep);
    TAP_CHECK(st == -VASCEND_HDC_ENOENT, "DELETE again: -ENOENT (%d)", st);
    st = file_call(h, 1, VASCEND_HDC_FILE_DELETE, "subdir", 0, &rep);
    TAP_CHECK(st == -VASCEND_HDC_EISDIR || st == -VASCEND_HDC_EPERM,
              "DELETE of a directory fails (%d)", st);
    st = file_call(h, 1, VASCEND_HDC_FILE_GET, "subdir", 0, &rep);
    TAP_CHECK(st == -VASCEND_HDC_EISDIR, "GET of a directory: -EISDIR (%d)",
              st);
    mkfifo(path_of(dir, "fifo"), 0644);
    st = file_call(h, 1, VASCEND_HDC_FILE_GET, "fifo", 0, &rep);
    TAP_CHECK(st == -VASCEND_HDC_EINVAL,
              "GET of a FIFO: -EINVAL, without blocking (%d)", st);
    unlink(path_of(dir, "fifo"));
    unlink(path_of(dir, "alias"));
    unlink(path_of(dir, "#hdc-put.1.1"));
    unlink(path_of(dir, "bad name"));
    rmdir(path_of(dir, "subdir"));
    unlink(path_of(dir, "model.om"));
    check_clean(h, "file round trip");
    free(data);
    host_free(h);
}

/* @s with anything unprintable as '?', for TAP lines. */
static const char *printable(const char *str)
{
    static char buf[64];
    size_t i;

    for (i = 0; str[i] && i < sizeof(buf) - 1; i++) {
        buf[i] = str[i] >= 0x20 && str[i] < 0x7f ? str[i] : '?';
    }
    buf[i] = '\0';
    return buf;
}

static void test_file_names(void)
{
    struct host *h = host_new_env(64, 4096, dir, 0);
    struct vascend_hdc_file_reply rep;
    struct vascend_hdc_file_req rq;
    static const char *const bad[] = {
        "../x", "a/b", "/etc/passwd", ".", "..", "a b", "x\\y", "caf\xc3\xa9",
        "-\n-",
    };
    char long_name[301];
    unsigned int i, tmp;
    int32_t st;
    bool ok = true;

    host_connect(h, 1, VASCEND_HDC_SVC_FILE, 8);
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        st = file_call(h, 1, VASCEND_HDC_FILE_PUT, bad[i], 1, &rep);
        ok = st == -VASCEND_HDC_EINVAL && rep.op == VASCEND_HDC_FILE_PUT;
        st = file_call(h, 1, VASCEND_HDC_FILE_GET, bad[i], 0, &rep);
        ok &= st == -VASCEND_HDC_EINVAL;
        st = file_call(h, 1, VASCEND_HDC_FILE_DELETE, bad[i], 0, &rep);
        ok &= st == -VASCEND_HDC_EINVAL;
        TAP_CHECK(ok, "bad name %u (\"%s\"): PUT, GET and DELETE refused "
                  "with -EINVAL", i, printable(bad[i]));
    }
    st = file_call(h, 1, VASCEND_HDC_FILE_PUT, "", 1, &rep);
    TAP_CHECK(st == -VASCEND_HDC_EINVAL, "empty name: -EINVAL (%d)", st);
    memset(long_name, 'a', 300);
    long_name[300] = '\0';
    file_req(&rq, VASCEND_HDC_FILE_PUT, long_name, 1);
    rq.name_len = 300;
    host_send(h, 1, &rq, sizeof(rq));
    pump(h);
    TAP_CHECK(file_reply(h, 1, &rep) &&
              rep.status == -VASCEND_HDC_ENAMETOOLONG,
              "300-byte name: -ENAMETOOLONG (%d)", rep.status);
    long_name[255] = '\0';
    st = file_put(h, 1, long_name, (const uint8_t *)"z", 1, 1);
    TAP_CHECK(st == 0, "255-byte name: fine (%d)", st);
    unlink(path_of(dir, long_name));
    file_req(&rq, VASCEND_HDC_FILE_GET, "ok", 0);
    rq.name[5] = 'x';
    host_send(h, 1, &rq, sizeof(rq));
    pump(h);
    TAP_CHECK(file_reply(h, 1, &rep) && rep.status == -VASCEND_HDC_EINVAL,
              "bytes after name_len not zero: -EINVAL");
    file_req(&rq, VASCEND_HDC_FILE_GET, "ok", 0);
    rq.name_len = 3;
    host_send(h, 1, &rq, sizeof(rq));
    pump(h);
    TAP_CHECK(file_reply(h, 1, &rep) && rep.status == -VASCEND_HDC_EINVAL,
              "a NUL inside the name: -EINVAL");
    TAP_CHECK(access(path_of(outside, "x"), F_OK) != 0 &&
              dir_count(dir, &tmp) == 0,
              "nothing was created, inside or outside the directory");

    /* Malformed requests. */
    st = file_call(h, 1, 9, "ok", 0, &rep);
    TAP_CHECK(st == -VASCEND_HDC_EINVAL && rep.op == 9, "unknown op: -EINVAL");
    st = file_call(h, 1, VASCEND_HDC_FILE_LIST, "ok", 0, &rep);
    TAP_CHECK(st == -VASCEND_HDC_EINVAL, "LIST with a name: -EINVAL");
    st = file_call(h, 1, VASCEND_HDC_FILE_GET, "ok", 5, &rep);
    TAP_CHECK(st == -VASCEND_HDC_EINVAL, "GET with a size: -EINVAL");
    host_send(h, 1, &rq, 10);
    pump(h);
    TAP_CHECK(file_reply(h, 1, &rep) && rep.status == -VASCEND_HDC_EINVAL &&
              rep.op == VASCEND_HDC_FILE_GET, "short request: -EINVAL");
    check_clean(h, "file names");
    host_free(h);
}

static void test_file_links_limits(void)
{
    struct host *h = host_new_env(64, 4096, dir, 0);
    struct vascend_hdc_file_reply rep;
    uint8_t *data = calloc(1, (1 << 20) + 1), *got;
    unsigned int tmp;
    uint64_t len;
    int32_t st;

    host_connect(h, 1, VASCEND_HDC_SVC_FILE, 8);
    write_file(path_of(outside, "secret"), "secret", 6);
    symlink(path_of(outside, "secret"), path_of(dir, "evil"));
    st = file_get(h, 1, "evil", &got, &len);
    TAP_CHECK(st == -VASCEND_HDC_ELOOP, "GET of a planted symlink: -ELOOP "
              "(%d), not followed", st);
    free(got);
    st = file_put(h, 1, "evil", (const uint8_t *)"pwned", 5, 5);
    TAP_CHECK(st == 0 && file_equals(path_of(outside, "secret"),
                                     (const uint8_t *)"secret", 6),
              "PUT onto the symlink replaces the link, the target is intact");
    symlink(path_of(outside, "secret"), path_of(dir, "evil2"));
    st = file_call(h, 1, VASCEND_HDC_FILE_DELETE, "evil2", 0, &rep);
    TAP_CHECK(st == 0 && access(path_of(outside, "secret"), F_OK) == 0,
              "DELETE of a symlink removes the link only");
    unlink(path_of(dir, "evil"));

    st = file_call(h, 1, VASCEND_HDC_FILE_PUT, "huge", (1 << 20) + 1, &rep);
    TAP_CHECK(st == -VASCEND_HDC_EFBIG && rep.op == VASCEND_HDC_FILE_PUT &&
              dir_count(dir, &tmp) == 0,
              "PUT above hdc-file-max: -EFBIG at once, nothing written (%d)",
              st);
    st = file_call(h, 1, VASCEND_HDC_FILE_PUT, "huge", UINT64_MAX, &rep);
    TAP_CHECK(st == -VASCEND_HDC_EFBIG, "PUT of 2^64-1 bytes: -EFBIG");
    pattern(data, 1 << 20, 60);
    st = file_put(h, 1, "max", data, 1 << 20, 1 << 20);
    TAP_CHECK(st == 0 && file_equals(path_of(dir, "max"), data, 1 << 20),
              "PUT of exactly hdc-file-max bytes works");
    unlink(path_of(dir, "max"));

    /* More data than announced. */
    st = file_call(h, 1, VASCEND_HDC_FILE_PUT, "over", 10, &rep);
    host_send(h, 1, data, 20);
    pump(h);
    TAP_CHECK(st == 0 && file_reply(h, 1, &rep) &&
              rep.status == -VASCEND_HDC_EINVAL && dir_count(dir, &tmp) == 0,
              "PUT with more data than announced: -EINVAL, no file");

    /* Interrupted PUTs leave nothing. */
    st = file_call(h, 1, VASCEND_HDC_FILE_PUT, "part", 1000, &rep);
    host_send(h, 1, data, 500);
    pump(h);
    TAP_CHECK(st == 0 && dir_count(dir, &tmp) == 1 && tmp == 1,
              "half a PUT: only a temporary file exists");
    host_close(h, 1);
    TAP_CHECK(dir_count(dir, &tmp) == 0, "CLOSE mid-PUT removes it");
    host_connect(h, 2, VASCEND_HDC_SVC_FILE, 8);
    st = file_call(h, 2, VASCEND_HDC_FILE_PUT, "part", 1000, &rep);
    host_send(h, 2, data, 500);
    pump(h);
    anpu_hdc_teardown(&h->hdc);
    TAP_CHECK(st == 0 && dir_count(dir, &tmp) == 0 &&
              access(path_of(dir, "part"), F_OK) != 0,
              "teardown mid-PUT leaves no file");
    check_clean(h, "links and limits");
    host_free(h);
    free(data);
}

static void test_file_errors(void)
{
    struct host *h = host_new_env(64, 4096, dir, 0);
    uint8_t *data = calloc(1, 200000);
    struct vascend_hdc_file_reply rep;
    struct rlimit old, lim;
    unsigned int tmp, i;
    char name[32];
    int32_t st;

    host_connect(h, 1, VASCEND_HDC_SVC_FILE, 8);
    /* The disk fills up part-way: the PUT fails, the rest is swallowed. */
    signal(SIGXFSZ, SIG_IGN);
    getrlimit(RLIMIT_FSIZE, &old);
    lim = old;
    lim.rlim_cur = 100000;
    setrlimit(RLIMIT_FSIZE, &lim);
    st = file_put(h, 1, "full", data, 200000, 50000);
    setrlimit(RLIMIT_FSIZE, &old);
    TAP_CHECK(st == -VASCEND_HDC_EFBIG && dir_count(dir, &tmp) == 0,
              "write error mid-PUT: final status -EFBIG after all the data, "
              "no file (%d)", st);
    TAP_CHECK(file_put(h, 1, "after", data, 10, 10) == 0,
              "the session goes on with the next request");
    unlink(path_of(dir, "after"));

    mkdir(path_of(dir, "d"), 0755);
    write_file(path_of(dir, "d/inner"), "x", 1);
    st = file_put(h, 1, "d", data, 10, 10);
    TAP_CHECK(st < 0 && st != 1002 && dir_count(dir, &tmp) == 1 && tmp == 0,
              "PUT onto a non-empty directory: error %d, temp removed", st);
    unlink(path_of(dir, "d/inner"));
    rmdir(path_of(dir, "d"));

    for (i = 0; i <= VASCEND_HDC_FILE_LIST_MAX; i++) {
        snprintf(name, sizeof(name), "f%05u", i);
        write_file(path_of(dir, name), "", 0);
    }
    st = file_call(h, 1, VASCEND_HDC_FILE_LIST, NULL, 0, &rep);
    TAP_CHECK(st == 0 && rep.size == VASCEND_HDC_FILE_LIST_MAX &&
              rep.flags == VASCEND_HDC_FILE_F_TRUNCATED,
              "LIST of %u files: %llu entries, TRUNCATED",
              VASCEND_HDC_FILE_LIST_MAX + 1, (unsigned long long)rep.size);
    for (i = 0; i <= VASCEND_HDC_FILE_LIST_MAX; i++) {
        snprintf(name, sizeof(name), "f%05u", i);
        unlink(path_of(dir, name));
    }
    check_clean(h, "file errors");
    host_free(h);
    free(data);
}

static void test_file_big_get(void)
{
    struct host *h = host_new_env(16, 65536, dir, 0);
    uint32_t big = 5U << 20;
    uint8_t *data = malloc(big), *got;
    uint64_t len;
    int32_t st;

    pattern(data, big, 70);
    write_file(path_of(dir, "big"), data, big);
    host_connect(h, 1, VASCEND_HDC_SVC_FILE, 4);
    st = file_get(h, 1, "big", &got, &len);
    TAP_CHECK(st == 0 && len == big && !memcmp(got, data, big),
              "GET of 5 MiB through 16 x 64 KiB slots and 4 credits");
    TAP_CHECK(h->hdc.bytes_peak <= ANPU_HDC_OUT_MAX * VASCEND_HDC_FILE_CHUNK +
              4096, "at most %u chunks buffered (peak %llu)", ANPU_HDC_OUT_MAX,
              (unsigned long long)h->hdc.bytes_peak);
    free(got);
    unlink(path_of(dir, "big"));
    check_clean(h, "big GET");
    host_free(h);
    free(data);
}

static void test_file_nodir(void)
{
    struct host *h = host_new_env(64, 4096, NULL, 0);
    struct vascend_hdc_file_reply rep;
    int32_t st;

    host_connect(h, 1, VASCEND_HDC_SVC_FILE, 8);
    st = file_call(h, 1, VASCEND_HDC_FILE_LIST, NULL, 0, &rep);
    TAP_CHECK(st == -VASCEND_HDC_EACCES, "no hdc-dir: LIST -EACCES (%d)", st);
    st = file_call(h, 1, VASCEND_HDC_FILE_PUT, "a", 1, &rep);
    TAP_CHECK(st == -VASCEND_HDC_EACCES, "no hdc-dir: PUT -EACCES");
    host_free(h);

    h = host_new_env(64, 4096, "/nonexistent/vascend-hdc", 0);
    host_connect(h, 1, VASCEND_HDC_SVC_FILE, 8);
    st = file_call(h, 1, VASCEND_HDC_FILE_GET, "a", 0, &rep);
    TAP_CHECK(st == -VASCEND_HDC_EACCES, "missing hdc-dir: GET -EACCES (%d)",
              st);
    host_free(h);
}

int main(void)
{
    snprintf(dir, sizeof(dir), "/tmp/vascend-hdc-XXXXXX");
    snprintf(outside, sizeof(outside), "/tmp/vascend-hdc-out-XXXXXX");
    if (!mkdtemp(dir) || !mkdtemp(outside)) {
        printf("Bail out! mkdtemp\n");
        return 1;
    }
    test_mgmt();
    test_log_ring();
    test_log();
    test_file_roundtrip();
    test_file_names();
    test_file_links_limits();
    test_file_errors();
    test_file_big_get();
    test_file_nodir();
    unlink(path_of(outside, "secret"));
    rmdir(outside);
    TAP_CHECK(rmdir(dir) == 0, "the test directory is empty at the end");
    return tap_done();
}

/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * HDC file service (vascend_hdc_svc.h): PUT, GET, LIST and DELETE of files
 * in one flat directory of the host running QEMU (property hdc-dir).
 *
 * Every name comes from the guest: it is checked against a strict alphabet
 * and only ever used relative to a directory descriptor, with O_NOFOLLOW,
 * so nothing outside the directory can be named or reached through a link.
 * A PUT writes a temporary file whose name no request can spell ('#' is not
 * in the alphabet) and renames it into place once complete. File I/O is
 * done in pieces of at most FILE_IO_CHUNK bytes against the process call's
 * budget (anpu_hdc.io_budget), so a large file never stalls the device.
 */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "anpu_hdc_svc.h"
#include "vascend_hdc_svc.h"

#define FILE_IO_CHUNK       (256U << 10)
/* Directory entries LIST looks at before it gives up (truncated). */
#define FILE_SCAN_MAX       65536
#define TMP_NAME_LEN        64
#define TMP_TRIES           8
#define LIST_REPLY_MAX \
    (sizeof(struct vascend_hdc_file_reply) + \
     VASCEND_HDC_FILE_LIST_MAX * sizeof(struct vascend_hdc_file_entry))

_Static_assert(VASCEND_HDC_FILE_CHUNK <= VASCEND_HDC_MAX_MSG, "GET chunk");
_Static_assert(LIST_REPLY_MAX <= VASCEND_HDC_MAX_MSG, "LIST answer size");

enum file_phase {
    PHASE_IDLE,                     /* next message is a request */
    PHASE_PUT,                      /* next messages are a PUT's data */
    PHASE_PUT_DISCARD,              /* same, but the PUT failed already */
    PHASE_GET,                      /* sending a file */
};

struct file_state {
    int dirfd;                      /* -1: no directory, requests refused */
    int fd;                         /* file of the PUT or GET, else -1 */
    enum file_phase phase;
    uint64_t size;                  /* PUT: bytes announced; GET: file size */
    uint64_t done;                  /* PUT: bytes received; GET: bytes queued */
    int32_t status;                 /* PUT_DISCARD: the final answer */
    char name[VASCEND_HDC_FILE_NAME_MAX + 1];
    char tmp[TMP_NAME_LEN];         /* PUT: the temporary file */
};

/* What one step of work did. */
enum step {
    STEP_DONE,                      /* progress; go on */
    STEP_WAIT,                      /* blocked on credits, room or budget */
    STEP_GONE,                      /* the session failed: stop at once */
};

/* The contract's errno values, whatever the host's numbering. */
static int32_t wire_errno(int e)
{
    switch (e) {
    case EPERM:
        return -VASCEND_HDC_EPERM;
    case ENOENT:
        return -VASCEND_HDC_ENOENT;
    case E2BIG:
        return -VASCEND_HDC_E2BIG;
    case ENOMEM:
        return -VASCEND_HDC_ENOMEM;
    case EACCES:
        return -VASCEND_HDC_EACCES;
    case EBUSY:
        return -VASCEND_HDC_EBUSY;
    case EEXIST:
        return -VASCEND_HDC_EEXIST;
    case ENOTDIR:
        return -VASCEND_HDC_ENOTDIR;
    case EISDIR:
        return -VASCEND_HDC_EISDIR;
    case EINVAL:
        return -VASCEND_HDC_EINVAL;
    case EFBIG:
        return -VASCEND_HDC_EFBIG;
    case ENOSPC:
        return -VASCEND_HDC_ENOSPC;
    case EROFS:
        return -VASCEND_HDC_EROFS;
    case ENAMETOOLONG:
        return -VASCEND_HDC_ENAMETOOLONG;
    case ELOOP:
    case EMLINK:                    /* O_NOFOLLOW on a link, some BSDs */
        return -VASCEND_HDC_ELOOP;
    default:
        return -VASCEND_HDC_EIO;
    }
}

static bool name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

/* A NUL-terminated name as it may appear in the directory. */
static bool valid_name(const char *name)
{
    size_t i, n = strlen(name);

    if (n == 0 || n > VASCEND_HDC_FILE_NAME_MAX || !strcmp(name, ".") ||
        !strcmp(name, "..")) {
        return false;
    }
    for (i = 0; i < n; i++) {
        if (!name_char(name[i])) {
            return false;
        }
    }
    return true;
}

/* Check a request's name; on success @out holds it NUL-terminated. */
static int32_t request_name(const struct vascend_hdc_file_req *rq, char *out)
{
    uint32_t i;

    if (rq->name_len > VASCEND_HDC_FILE_NAME_MAX) {
        return -VASCEND_HDC_ENAMETOOLONG;
    }
    for (i = rq->name_len; i < sizeof(rq->name); i++) {
        if (rq->name[i]) {
            return -VASCEND_HDC_EINVAL;
        }
    }
    memcpy(out, rq->name, rq->name_len);
    out[rq->name_len] = '\0';
    /* valid_name() sees up to a NUL: one inside name_len is caught here. */
    if (strlen(out) != rq->name_len || !valid_name(out)) {
        return -VASCEND_HDC_EINVAL;
    }
    return 0;
}

static void spend(struct anpu_hdc *h, uint64_t bytes)
{
    h->io_budget -= bytes < h->io_budget ? bytes : h->io_budget;
}

/* Queue an answer; room was checked. False: the session failed. */
static bool reply(struct anpu_hdc *h, struct anpu_hdc_session *s, uint32_t op,
                  int32_t status, uint64_t size, uint32_t flags)
{
    struct vascend_hdc_file_reply rep;
    struct anpu_hdc_msg *m = anpu_hdc_msg_new(h, s, sizeof(rep));

    if (!m) {
        anpu_hdc_fail(h, s, VASCEND_HDC_ERR_SERVICE);
        return false;
    }
    memset(&rep, 0, sizeof(rep));
    rep.op = op;
    rep.status = status;
    rep.size = size;
    rep.flags = flags;
    memcpy(m->data, &rep, sizeof(rep));
    anpu_hdc_send(h, s, m);
    return true;
}

/* Drop the PUT's temporary file. */
static void put_abort(struct file_state *st)
{
    if (st->fd >= 0) {
        close(st->fd);
        st->fd = -1;
        unlinkat(st->dirfd, st->tmp, 0);
    }
}

/* All data is in: put the file in place and answer. */
static enum step put_finish(struct anpu_hdc *h, struct anpu_hdc_session *s,
                            struct file_state *st)
{
    int32_t status = st->status;
    uint64_t size = st->size;

    if (st->phase != PHASE_PUT_DISCARD) {
        status = 0;
        if (close(st->fd)) {
            status = wire_errno(errno);
        } else if (renameat(st->dirfd, st->tmp, st->dirfd, st->name)) {
            status = wire_errno(errno);
        }
        st->fd = -1;
        if (status) {
            unlinkat(st->dirfd, st->tmp, 0);
        }
    }
    if (status) {
        anpu_hdc_log(h, "hdc: file PUT %s failed (%d)", st->name, status);
        size = 0;
    }
    st->phase = PHASE_IDLE;
    return reply(h, s, VASCEND_HDC_FILE_PUT, status, size, 0) ?
           STEP_DONE : STEP_GONE;
}

static enum step do_put(struct anpu_hdc *h, struct anpu_hdc_session *s,
                        struct file_state *st, uint64_t size)
{
    unsigned int i;
    int err = EEXIST;

    if (size > h->env.file_max) {
        return reply(h, s, VASCEND_HDC_FILE_PUT, -VASCEND_HDC_EFBIG, 0, 0) ?
               STEP_DONE : STEP_GONE;
    }
    for (i = 0; i < TMP_TRIES && err == EEXIST; i++) {
        snprintf(st->tmp, sizeof(st->tmp), "#hdc-put.%ld.%u",
                 (long)getpid(), ++h->tmp_seq);
        st->fd = openat(st->dirfd, st->tmp,
                        O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                        0644);
        err = st->fd < 0 ? errno : 0;
    }
    if (st->fd < 0) {
        return reply(h, s, VASCEND_HDC_FILE_PUT, wire_errno(err), 0, 0) ?
               STEP_DONE : STEP_GONE;
    }
    if (!reply(h, s, VASCEND_HDC_FILE_PUT_READY, 0, size, 0)) {
        return STEP_GONE;
    }
    st->phase = PHASE_PUT;
    st->size = size;
    st->done = 0;
    st->status = 0;
    return size ? STEP_DONE : put_finish(h, s, st);
}

static enum step do_get(struct anpu_hdc *h, struct anpu_hdc_session *s,
                        struct file_state *st)
{
    struct stat sb;
    int32_t status = 0;

    st->fd = openat(st->dirfd, st->name,
                    O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (st->fd < 0) {
        status = wire_errno(errno);
    } else if (fstat(st->fd, &sb)) {
        status = wire_errno(errno);
    } else if (!S_ISREG(sb.st_mode)) {
        status = S_ISDIR(sb.st_mode) ? -VASCEND_HDC_EISDIR :
                                       -VASCEND_HDC_EINVAL;
    }
    if (status) {
        if (st->fd >= 0) {
            close(st->fd);
            st->fd = -1;
        }
        return reply(h, s, VASCEND_HDC_FILE_GET, status, 0, 0) ?
               STEP_DONE : STEP_GONE;
    }
    st->size = sb.st_size;
    st->done = 0;
    st->phase = PHASE_GET;
    return reply(h, s, VASCEND_HDC_FILE_GET, 0, st->size, 0) ?
           STEP_DONE : STEP_GONE;
}

static int entry_cmp(const void *a, const void *b)
{
    return strcmp(((const struct vascend_hdc_file_entry *)a)->name,
                  ((const struct vascend_hdc_file_entry *)b)->name);
}

static enum step do_list(struct anpu_hdc *h, struct anpu_hdc_session *s,
                         struct file_state *st)
{
    struct vascend_hdc_file_entry *ents;
    struct vascend_hdc_file_reply rep;
    struct anpu_hdc_msg *m;
    uint32_t count = 0, flags = 0, scanned = 0;
    struct dirent *de;
    struct stat sb;
    DIR *dir;
    int fd;

    fd = openat(st->dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    dir = fd >= 0 ? fdopendir(fd) : NULL;
    if (!dir) {
        int32_t status = wire_errno(errno);

        if (fd >= 0) {
            close(fd);
        }
        return reply(h, s, VASCEND_HDC_FILE_LIST, status, 0, 0) ?
               STEP_DONE : STEP_GONE;
    }
    ents = calloc(VASCEND_HDC_FILE_LIST_MAX, sizeof(*ents));
    if (!ents) {
        closedir(dir);
        return reply(h, s, VASCEND_HDC_FILE_LIST, -VASCEND_HDC_ENOMEM, 0, 0) ?
               STEP_DONE : STEP_GONE;
    }
    while ((de = readdir(dir))) {
        if (++scanned > FILE_SCAN_MAX) {
            flags |= VASCEND_HDC_FILE_F_TRUNCATED;
            break;
        }
        if (!valid_name(de->d_name) ||
            fstatat(st->dirfd, de->d_name, &sb, AT_SYMLINK_NOFOLLOW) ||
            !S_ISREG(sb.st_mode)) {
            continue;
        }
        if (count == VASCEND_HDC_FILE_LIST_MAX) {
            flags |= VASCEND_HDC_FILE_F_TRUNCATED;
            break;
        }
        ents[count].size = sb.st_size;
        ents[count].name_len = strlen(de->d_name);
        memcpy(ents[count].name, de->d_name, ents[count].name_len);
        count++;
    }
    closedir(dir);
    qsort(ents, count, sizeof(*ents), entry_cmp);
    m = anpu_hdc_msg_new(h, s, sizeof(rep) + count * sizeof(*ents));
    if (!m) {
        free(ents);
        anpu_hdc_fail(h, s, VASCEND_HDC_ERR_SERVICE);
        return STEP_GONE;
    }
    memset(&rep, 0, sizeof(rep));
    rep.op = VASCEND_HDC_FILE_LIST;
    rep.size = count;
    rep.flags = flags;
    memcpy(m->data, &rep, sizeof(rep));
    memcpy(m->data + sizeof(rep), ents, count * sizeof(*ents));
    free(ents);
    anpu_hdc_send(h, s, m);
    spend(h, m->len);
    return STEP_DONE;
}

/* The message at the head of the input is a request: answer it. */
static enum step request(struct anpu_hdc *h, struct anpu_hdc_session *s,
                         struct file_state *st)
{
    struct anpu_hdc_msg *m = anpu_hdc_in_peek(s);
    struct vascend_hdc_file_req rq;
    uint32_t op = 0, len = m->len;
    int32_t status = 0;

    memset(&rq, 0, sizeof(rq));
    memcpy(&rq, m->data, len < sizeof(rq) ? len : sizeof(rq));
    if (len >= sizeof(rq.op)) {
        op = rq.op;
    }
    /* Room for every answer: LIST's, or two (a PUT of nothing). */
    if (op == VASCEND_HDC_FILE_LIST ?
        !anpu_hdc_out_room(h, s, 1, LIST_REPLY_MAX) :
        !anpu_hdc_out_room(h, s, 2,
                           2 * sizeof(struct vascend_hdc_file_reply))) {
        return STEP_WAIT;
    }
    anpu_hdc_in_done(h, s);
    if (len != sizeof(rq)) {
        status = -VASCEND_HDC_EINVAL;
    } else if (op == VASCEND_HDC_FILE_LIST) {
        if (rq.name_len || rq.size || rq.name[0] ||
            memcmp(rq.name, rq.name + 1, sizeof(rq.name) - 1)) {
            status = -VASCEND_HDC_EINVAL;
        }
    } else if (op == VASCEND_HDC_FILE_PUT || op == VASCEND_HDC_FILE_GET ||
               op == VASCEND_HDC_FILE_DELETE) {
        status = request_name(&rq, st->name);
        if (!status && op != VASCEND_HDC_FILE_PUT && rq.size) {
            status = -VASCEND_HDC_EINVAL;
        }
    } else {
        status = -VASCEND_HDC_EINVAL;
    }
    if (!status && st->dirfd < 0) {
        status = -VASCEND_HDC_EACCES;
    }
    if (status) {
        return reply(h, s, op, status, 0, 0) ? STEP_DONE : STEP_GONE;
    }
    spend(h, 1);
    switch (op) {
    case VASCEND_HDC_FILE_PUT:
        return do_put(h, s, st, rq.size);
    case VASCEND_HDC_FILE_GET:
        return do_get(h, s, st);
    case VASCEND_HDC_FILE_LIST:
        return do_list(h, s, st);
    default:
        status = unlinkat(st->dirfd, st->name, 0) ? wire_errno(errno) : 0;
        return reply(h, s, op, status, 0, 0) ? STEP_DONE : STEP_GONE;
    }
}

static bool write_all(int fd, const uint8_t *buf, size_t len, int *err)
{
    ssize_t n;

    while (len) {
        n = write(fd, buf, len);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            *err = n < 0 ? errno : EIO;
            return false;
        }
        buf += n;
        len -= n;
    }
    return true;
}

/* One piece of a PUT's data. */
static enum step put_data(struct anpu_hdc *h, struct anpu_hdc_session *s,
                          struct file_state *st)
{
    struct anpu_hdc_msg *m = anpu_hdc_in_peek(s);
    uint64_t left = st->size - st->done;
    uint32_t n;
    int err;

    if (!m) {
        return STEP_WAIT;
    }
    if (m->pos == 0 && m->len > left) {
        if (!anpu_hdc_out_room(h, s, 1,
                               sizeof(struct vascend_hdc_file_reply))) {
            return STEP_WAIT;
        }
        put_abort(st);
        anpu_hdc_log(h, "hdc: file PUT %s: %u bytes sent where %llu were "
                     "left", st->name, m->len, (unsigned long long)left);
        anpu_hdc_in_done(h, s);
        st->phase = PHASE_IDLE;
        return reply(h, s, VASCEND_HDC_FILE_PUT, -VASCEND_HDC_EINVAL, 0, 0) ?
               STEP_DONE : STEP_GONE;
    }
    n = m->len - m->pos;
    if (n > FILE_IO_CHUNK) {
        n = FILE_IO_CHUNK;
    }
    if (n > h->io_budget) {
        n = h->io_budget;
    }
    /* The piece that completes the PUT needs room for the answer. */
    if (st->done + n == st->size &&
        !anpu_hdc_out_room(h, s, 1, sizeof(struct vascend_hdc_file_reply))) {
        return STEP_WAIT;
    }
    if (st->phase == PHASE_PUT &&
        !write_all(st->fd, m->data + m->pos, n, &err)) {
        put_abort(st);
        st->status = wire_errno(err);
        st->phase = PHASE_PUT_DISCARD;
    }
    m->pos += n;
    st->done += n;
    spend(h, n);
    if (m->pos == m->len) {
        anpu_hdc_in_done(h, s);
    }
    return st->done == st->size ? put_finish(h, s, st) : STEP_DONE;
}

/* One message of a GET's data. */
static enum step get_data(struct anpu_hdc *h, struct anpu_hdc_session *s,
                          struct file_state *st)
{
    uint64_t left = st->size - st->done;
    uint32_t n = left < VASCEND_HDC_FILE_CHUNK ? left : VASCEND_HDC_FILE_CHUNK;
    struct anpu_hdc_msg *m;
    size_t got = 0;
    ssize_t r;

    if (n && !anpu_hdc_out_room(h, s, 1, n)) {
        return STEP_WAIT;
    }
    m = n ? anpu_hdc_msg_new(h, s, n) : NULL;
    if (n && !m) {
        anpu_hdc_fail(h, s, VASCEND_HDC_ERR_SERVICE);
        return STEP_GONE;
    }
    while (got < n) {
        r = pread(st->fd, m->data + got, n - got, st->done + got);
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r <= 0) {
            break;
        }
        got += r;
    }
    if (got < n) {
        anpu_hdc_log(h, "hdc: file GET %s: the file shrank or failed at %llu "
                     "of %llu bytes", st->name,
                     (unsigned long long)(st->done + got),
                     (unsigned long long)st->size);
        anpu_hdc_msg_free(h, s, m);
        anpu_hdc_fail(h, s, VASCEND_HDC_ERR_SERVICE);
        return STEP_GONE;
    }
    if (m) {
        anpu_hdc_send(h, s, m);
    }
    st->done += n;
    spend(h, n);
    if (st->done == st->size) {
        close(st->fd);
        st->fd = -1;
        st->phase = PHASE_IDLE;
    }
    return STEP_DONE;
}

static bool file_run(struct anpu_hdc *h, struct anpu_hdc_session *s)
{
    struct file_state *st = s->priv;
    bool progress = false;
    enum step r;

    while (h->io_budget) {
        switch (st->phase) {
        case PHASE_IDLE:
            r = anpu_hdc_in_peek(s) ? request(h, s, st) : STEP_WAIT;
            break;
        case PHASE_PUT:
        case PHASE_PUT_DISCARD:
            r = put_data(h, s, st);
            break;
        default:
            r = get_data(h, s, st);
            break;
        }
        if (r == STEP_GONE) {
            return true;
        }
        if (r == STEP_WAIT) {
            break;
        }
        progress = true;
    }
    return progress;
}

static uint32_t file_open(struct anpu_hdc *h, struct anpu_hdc_session *s)
{
    struct file_state *st = calloc(1, sizeof(*st));

    if (!st) {
        return VASCEND_HDC_ERR_SERVICE;
    }
    st->fd = -1;
    st->dirfd = -1;
    if (h->env.file_dir) {
        st->dirfd = open(h->env.file_dir,
                         O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (st->dirfd < 0) {
            anpu_hdc_log(h, "hdc: file service: cannot open its directory "
                         "(errno %d)", errno);
        }
    }
    s->priv = st;
    return 0;
}

static void file_close(struct anpu_hdc *h, struct anpu_hdc_session *s)
{
    struct file_state *st = s->priv;

    (void)h;
    if (st->phase == PHASE_PUT) {
        put_abort(st);
    } else if (st->fd >= 0) {
        close(st->fd);
    }
    if (st->dirfd >= 0) {
        close(st->dirfd);
    }
    free(st);
    s->priv = NULL;
}

const struct anpu_hdc_service anpu_hdc_svc_file = {
    .type = VASCEND_HDC_SVC_FILE,
    .name = "file",
    .host_credits = 8,
    .open = file_open,
    .run = file_run,
    .close = file_close,
};

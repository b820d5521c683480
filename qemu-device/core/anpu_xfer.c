/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * ascend-npu device core: data movement over segment lists. memmove rather
 * than memcpy: two device addresses may map the same host bytes, which the
 * guest may do on purpose and the device must survive.
 */
#include <string.h>

#include "anpu_xfer.h"

bool anpu_xfer_cancelled(const int *cancel)
{
    return __atomic_load_n(cancel, __ATOMIC_RELAXED) != 0;
}

bool anpu_xfer_copy(const struct anpu_xlate *dst,
                    const struct anpu_xlate *src, const int *cancel)
{
    unsigned int i = 0, j = 0;
    uint64_t oi = 0, oj = 0, since = 0, n;

    while (i < src->nsegs && j < dst->nsegs) {
        n = src->segs[i].len - oi;
        if (n > dst->segs[j].len - oj) {
            n = dst->segs[j].len - oj;
        }
        if (n > ANPU_XFER_CHUNK - since) {
            n = ANPU_XFER_CHUNK - since;
        }
        memmove(dst->segs[j].host + oj, src->segs[i].host + oi, n);
        oi += n;
        oj += n;
        since += n;
        if (oi == src->segs[i].len) {
            i++;
            oi = 0;
        }
        if (oj == dst->segs[j].len) {
            j++;
            oj = 0;
        }
        if (since == ANPU_XFER_CHUNK) {
            since = 0;
            if (anpu_xfer_cancelled(cancel)) {
                return false;
            }
        }
    }
    return true;
}

bool anpu_xfer_fill(const struct anpu_xlate *dst, uint8_t byte,
                    const int *cancel)
{
    unsigned int i;
    uint64_t off, n;

    for (i = 0; i < dst->nsegs; i++) {
        for (off = 0; off < dst->segs[i].len; off += n) {
            n = dst->segs[i].len - off;
            if (n > ANPU_XFER_CHUNK) {
                n = ANPU_XFER_CHUNK;
            }
            memset(dst->segs[i].host + off, byte, n);
            if (anpu_xfer_cancelled(cancel)) {
                return false;
            }
        }
    }
    return true;
}

bool anpu_xfer_gather(uint8_t *buf, const struct anpu_xlate *src,
                      const int *cancel)
{
    unsigned int i;
    uint64_t off = 0;

    for (i = 0; i < src->nsegs; i++) {
        memcpy(buf + off, src->segs[i].host, src->segs[i].len);
        off += src->segs[i].len;
        if (anpu_xfer_cancelled(cancel)) {
            return false;
        }
    }
    return true;
}

bool anpu_xfer_scatter(const struct anpu_xlate *dst, const uint8_t *buf,
                       const int *cancel)
{
    unsigned int i;
    uint64_t off = 0;

    for (i = 0; i < dst->nsegs; i++) {
        memcpy(dst->segs[i].host, buf + off, dst->segs[i].len);
        off += dst->segs[i].len;
        if (anpu_xfer_cancelled(cancel)) {
            return false;
        }
    }
    return true;
}

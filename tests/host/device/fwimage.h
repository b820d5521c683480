/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Builds vascend firmware images for the tests, written from
 * include/uapi/vascend_fw.h alone (independent of firmware/ and of the
 * device core), with a bitwise CRC-32 the core's table version is checked
 * against.
 */
#ifndef VASCEND_TEST_DEVICE_FWIMAGE_H
#define VASCEND_TEST_DEVICE_FWIMAGE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "vascend_fw.h"

#define IMG_CAP         (64U << 10)
#define IMG_HDR         64
/* Header field offsets, from the struct layout in vascend_fw.h. */
#define OFF_MAGIC       0
#define OFF_FORMAT      4
#define OFF_HDR_SIZE    6
#define OFF_FW_VERSION  8
#define OFF_IMAGE_SIZE  12
#define OFF_CRC         16
#define OFF_COUNT       20
#define OFF_FLAGS       24
#define OFF_RESERVED    28

struct img {
    uint8_t buf[IMG_CAP];
    size_t len;
};

static inline uint32_t crc32_bitwise(const uint8_t *p, size_t len)
{
    uint32_t crc = 0xffffffffU;
    int k;

    while (len--) {
        crc ^= *p++;
        for (k = 0; k < 8; k++) {
            crc = (crc >> 1) ^ (0xedb88320U & -(crc & 1));
        }
    }
    return ~crc;
}

static inline void put32(uint8_t *p, uint32_t v)
{
    p[0] = v;
    p[1] = v >> 8;
    p[2] = v >> 16;
    p[3] = v >> 24;
}

static inline uint32_t get32(const uint8_t *p)
{
    return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline void put16(uint8_t *p, uint16_t v)
{
    p[0] = v;
    p[1] = v >> 8;
}

/* A header with no sections yet. */
static inline void img_start(struct img *im, uint32_t fw_version)
{
    memset(im, 0, sizeof(*im));
    put32(im->buf + OFF_MAGIC, VASCEND_FW_MAGIC);
    put16(im->buf + OFF_FORMAT, VASCEND_FW_FORMAT_VERSION);
    put16(im->buf + OFF_HDR_SIZE, IMG_HDR);
    put32(im->buf + OFF_FW_VERSION, fw_version);
    im->len = IMG_HDR;
}

/* Append a section (header, data, zero padding to 8) and count it. */
static inline void img_add(struct img *im, uint32_t type, const void *data,
                    uint32_t size)
{
    uint32_t padded = (size + 7) & ~7U;

    put32(im->buf + im->len, type);
    put32(im->buf + im->len + 4, size);
    memcpy(im->buf + im->len + 8, data, size);
    im->len += 8 + padded;
    put32(im->buf + OFF_COUNT, get32(im->buf + OFF_COUNT) + 1);
}

/* Set image_size to the current length and seal the CRC. */
static inline void img_seal(struct img *im)
{
    put32(im->buf + OFF_IMAGE_SIZE, (uint32_t)im->len);
    put32(im->buf + OFF_CRC, 0);
    put32(im->buf + OFF_CRC, crc32_bitwise(im->buf, im->len));
}

/* Recompute only the CRC (after deliberately corrupting a field). */
static inline void img_reseal_crc(struct img *im)
{
    put32(im->buf + OFF_CRC, 0);
    put32(im->buf + OFF_CRC, crc32_bitwise(im->buf, im->len));
}

/* A version the device runs (major VASCEND_FW_SUPPORTED_MAJOR). */
#define TEST_FW_V1      VASCEND_FW_VERSION(1, 0, 1)

#define TEST_BUILD_INFO "vascend test image 1.2.3"
#define TEST_FW_VERSION VASCEND_FW_VERSION(1, 2, 3)

/* The reference valid image: one build-info section. */
static inline void img_valid(struct img *im)
{
    img_start(im, TEST_FW_VERSION);
    img_add(im, VASCEND_FW_SECT_BUILD_INFO, TEST_BUILD_INFO,
            sizeof(TEST_BUILD_INFO));
    img_seal(im);
}

#endif /* VASCEND_TEST_DEVICE_FWIMAGE_H */

/* SPDX-License-Identifier: MIT */
/*
 * CRC-32C (Castagnoli, reflected polynomial 0x82f63b78), slicing by 8:
 * the .om checksum. CRC-32C("123456789") = 0xe3069283.
 */
#include <pthread.h>
#include <string.h>

#include "om.h"

static uint32_t crc_table[8][256];

static void crc_init(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++) {
            c = (c >> 1) ^ (0x82f63b78u & (0u - (c & 1)));
        }
        crc_table[0][i] = c;
    }
    for (uint32_t i = 0; i < 256; i++) {
        for (int t = 1; t < 8; t++) {
            uint32_t c = crc_table[t - 1][i];
            crc_table[t][i] = (c >> 8) ^ crc_table[0][c & 0xff];
        }
    }
}

uint32_t om_crc32c(uint32_t crc, const void *buf, size_t len)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    const uint8_t *p = buf;

    pthread_once(&once, crc_init);
    crc = ~crc;
    /* slicing by 8: weights sections are megabytes */
    while (len >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        w ^= crc;
        crc = crc_table[7][w & 0xff] ^ crc_table[6][(w >> 8) & 0xff] ^
              crc_table[5][(w >> 16) & 0xff] ^ crc_table[4][(w >> 24) & 0xff] ^
              crc_table[3][(w >> 32) & 0xff] ^ crc_table[2][(w >> 40) & 0xff] ^
              crc_table[1][(w >> 48) & 0xff] ^ crc_table[0][w >> 56];
        p += 8;
        len -= 8;
    }
    while (len--) {
        crc = (crc >> 8) ^ crc_table[0][(crc ^ *p++) & 0xff];
    }
    return ~crc;
}

uint32_t om_file_checksum(const void *buf, size_t len)
{
    const size_t at = offsetof(struct om_header, checksum);
    static const uint8_t zero[4];
    uint32_t c;

    if (len < at + 4) {
        return om_crc32c(0, buf, len);
    }
    c = om_crc32c(0, buf, at);
    c = om_crc32c(c, zero, 4);
    return om_crc32c(c, (const uint8_t *)buf + at + 4, len - at - 4);
}

/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * CRC-32 (IEEE 802.3, reflected, polynomial 0xedb88320), the value zlib's
 * crc32() computes, as the firmware header's crc32 field needs it.
 */
#ifndef ANPU_CRC32_H
#define ANPU_CRC32_H

#include <stddef.h>
#include <stdint.h>

/*
 * Continue CRC @crc (0 to start) over @len bytes at @buf; returns the
 * updated CRC, so a buffer can be checksummed in pieces.
 */
uint32_t anpu_crc32(uint32_t crc, const void *buf, size_t len);

#endif /* ANPU_CRC32_H */

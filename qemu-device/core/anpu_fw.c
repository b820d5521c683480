/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 *
 * Firmware image validation. The image comes from the guest, so every field
 * is distrusted: offsets are checked against what is left of the image
 * before they are used, never by adding to a pointer first.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "anpu_crc32.h"
#include "anpu_engine.h"
#include "anpu_fw.h"
#include "vascend_fw.h"
#include "vascend_hdc_hw.h"
#include "vascend_hw.h"

#define FW_HDR_SIZE     sizeof(struct vascend_fw_header)
#define FW_SECT_SIZE    sizeof(struct vascend_fw_section)
#define FW_FIELD(f)     offsetof(struct vascend_fw_header, f)

/* The layout below is read by offset; make sure it is the one published. */
_Static_assert(sizeof(struct vascend_fw_header) == 64, "fw header size");
_Static_assert(sizeof(struct vascend_fw_section) == 8, "fw section size");
_Static_assert(offsetof(struct vascend_fw_header, crc32) == 16,
               "crc32 offset");
_Static_assert(sizeof(struct vascend_fw_op) == 32, "fw op entry size");
_Static_assert(sizeof(struct vascend_fw_hdc_service) == 32,
               "fw service entry size");

/* Both list sections are arrays of 32-byte entries: id, version, name. */
#define FW_ENTRY_SIZE   32
#define FW_NAME_OFF     8
#define FW_NAME_LEN     24

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}

static uint16_t le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static void __attribute__((format(printf, 3, 4)))
refuse(struct anpu_fw_result *res, uint32_t status, const char *fmt, ...)
{
    va_list ap;

    res->status = status;
    res->fw_version = 0;
    res->build_info[0] = '\0';
    res->ops = NULL;
    res->op_count = 0;
    res->service_count = 0;
    va_start(ap, fmt);
    vsnprintf(res->why, sizeof(res->why), fmt, ap);
    va_end(ap);
}

bool anpu_fw_check_size(uint32_t size, struct anpu_fw_result *res)
{
    if (size < FW_HDR_SIZE) {
        refuse(res, VASCEND_FW_STATUS_ERR_SIZE,
               "image size %u is smaller than the %zu byte header",
               size, FW_HDR_SIZE);
        return false;
    }
    if (size > VASCEND_FW_MAX_SIZE) {
        refuse(res, VASCEND_FW_STATUS_ERR_SIZE,
               "image size %u is above the limit of %u", size,
               VASCEND_FW_MAX_SIZE);
        return false;
    }
    return true;
}

/* CRC-32 of the image with the header's crc32 field taken as zero. */
static uint32_t image_crc(const uint8_t *img, size_t len)
{
    static const uint8_t zero[4];
    uint32_t crc;

    crc = anpu_crc32(0, img, FW_FIELD(crc32));
    crc = anpu_crc32(crc, zero, sizeof(zero));
    return anpu_crc32(crc, img + FW_FIELD(crc32) + 4,
                      len - FW_FIELD(crc32) - 4);
}

/*
 * Build info: ASCII up to the first NUL, nothing but NULs after it, and a
 * NUL before the end of the data.
 */
static bool build_info_ok(const uint8_t *data, uint32_t size)
{
    const uint8_t *nul = memchr(data, 0, size);
    uint32_t i;

    if (!nul) {
        return false;
    }
    for (i = 0; i < size; i++) {
        if (data + i < nul ? data[i] > 0x7f : data[i] != 0) {
            return false;
        }
    }
    return true;
}

/* A name field: not empty, NUL-terminated, nothing but NULs after. */
static bool name_ok(const uint8_t *name)
{
    const uint8_t *nul = memchr(name, 0, FW_NAME_LEN);
    size_t i;

    if (!nul || nul == name) {
        return false;
    }
    for (i = nul - name; i < FW_NAME_LEN; i++) {
        if (name[i]) {
            return false;
        }
    }
    return true;
}

/* HDC services the device can run (vascend_hdc_hw.h). */
static bool service_known(uint32_t type)
{
    return type >= VASCEND_HDC_SVC_ECHO && type <= VASCEND_HDC_SVC_FILE;
}

/*
 * The entries of an op table or service list: well formed (ERR_SECTION),
 * no repeated id or name (ERR_SECTION), each one something the device has
 * (ERR_MISMATCH), checked entry by entry in that order.
 */
static bool check_list(const uint8_t *data, uint32_t size, uint32_t sect,
                       bool ops, uint32_t max, struct anpu_fw_result *res)
{
    const char *what = ops ? "op table" : "HDC service list";
    const struct anpu_op_impl *impl;
    uint32_t n = size / FW_ENTRY_SIZE, i, j, id, version;
    const uint8_t *e, *name;

    if (size % FW_ENTRY_SIZE || n > max) {
        refuse(res, VASCEND_FW_STATUS_ERR_SECTION,
               "section %u: %s of %u bytes is not 0..%u entries of %u",
               sect, what, size, max, FW_ENTRY_SIZE);
        return false;
    }
    for (i = 0; i < n; i++) {
        e = data + i * FW_ENTRY_SIZE;
        id = le32(e);
        version = le32(e + 4);
        name = e + FW_NAME_OFF;
        if (!id || !version || !name_ok(name)) {
            refuse(res, VASCEND_FW_STATUS_ERR_SECTION,
                   "section %u: %s entry %u has a zero id or version or a "
                   "bad name", sect, what, i);
            return false;
        }
        for (j = 0; j < i; j++) {
            if (le32(data + j * FW_ENTRY_SIZE) == id ||
                (ops && !memcmp(data + j * FW_ENTRY_SIZE + FW_NAME_OFF,
                                name, FW_NAME_LEN))) {
                refuse(res, VASCEND_FW_STATUS_ERR_SECTION,
                       "section %u: %s entry %u repeats entry %u", sect,
                       what, i, j);
                return false;
            }
        }
        if (ops) {
            impl = anpu_engine_find_op((const char *)name);
            /* A library op keeps its own id: models name ops by it. */
            if (impl && impl->version == version && impl->op_id &&
                impl->op_id != id) {
                refuse(res, VASCEND_FW_STATUS_ERR_MISMATCH,
                       "section %u: op '%s' has id %u, not %u", sect,
                       (const char *)name, impl->op_id, id);
                return false;
            }
            if (!impl || impl->version != version) {
                refuse(res, VASCEND_FW_STATUS_ERR_MISMATCH,
                       "section %u: op '%s' version %u (id %u) is not one "
                       "the device implements", sect, (const char *)name,
                       version, id);
                return false;
            }
        } else {
            if (!service_known(id)) {
                refuse(res, VASCEND_FW_STATUS_ERR_MISMATCH,
                       "section %u: HDC service type %u ('%s') is not one "
                       "the device runs", sect, id, (const char *)name);
                return false;
            }
            res->services[i] = id;
        }
    }
    if (ops) {
        res->op_count = n;
    } else {
        res->service_count = n;
    }
    return true;
}

static void walk_sections(const uint8_t *img, size_t len, uint32_t count,
                          struct anpu_fw_result *res)
{
    size_t off = FW_HDR_SIZE;
    const uint8_t *info = NULL, *ops = NULL, *services = NULL;
    uint32_t i, type, size, padded, j;

    for (i = 0; i < count; i++) {
        if (len - off < FW_SECT_SIZE) {
            refuse(res, VASCEND_FW_STATUS_ERR_SECTION,
                   "section %u header at offset %zu is past the image end",
                   i, off);
            return;
        }
        type = le32(img + off);
        size = le32(img + off + 4);
        off += FW_SECT_SIZE;
        /* size <= len - off <= VASCEND_FW_MAX_SIZE: padding cannot wrap. */
        if (size > len - off) {
            refuse(res, VASCEND_FW_STATUS_ERR_SECTION,
                   "section %u (type %u, %u bytes) overruns the image", i,
                   type, size);
            return;
        }
        padded = (size + VASCEND_FW_ALIGN - 1) & ~(VASCEND_FW_ALIGN - 1);
        if (padded > len - off) {
            refuse(res, VASCEND_FW_STATUS_ERR_SECTION,
                   "section %u padding overruns the image", i);
            return;
        }
        for (j = size; j < padded; j++) {
            if (img[off + j]) {
                refuse(res, VASCEND_FW_STATUS_ERR_SECTION,
                       "section %u padding is not zero", i);
                return;
            }
        }
        switch (type) {
        case VASCEND_FW_SECT_BUILD_INFO:
            if (info) {
                refuse(res, VASCEND_FW_STATUS_ERR_SECTION,
                       "section %u is a second build-info section", i);
                return;
            }
            if (!build_info_ok(img + off, size)) {
                refuse(res, VASCEND_FW_STATUS_ERR_SECTION,
                       "section %u build-info is not NUL-terminated ASCII",
                       i);
                return;
            }
            info = img + off;
            break;
        case VASCEND_FW_SECT_OP_TABLE:
            if (ops) {
                refuse(res, VASCEND_FW_STATUS_ERR_SECTION,
                       "section %u is a second op table", i);
                return;
            }
            ops = img + off;
            if (!check_list(ops, size, i, true, ANPU_FW_MAX_OPS, res)) {
                return;
            }
            break;
        case VASCEND_FW_SECT_HDC_SERVICES:
            if (services) {
                refuse(res, VASCEND_FW_STATUS_ERR_SECTION,
                       "section %u is a second HDC service list", i);
                return;
            }
            services = img + off;
            if (!check_list(services, size, i, false, ANPU_FW_MAX_SERVICES,
                            res)) {
                return;
            }
            break;
        default:
            refuse(res, VASCEND_FW_STATUS_ERR_SECTION,
                   "section %u has unknown type %u", i, type);
            return;
        }
        off += padded;
    }
    if (off != len) {
        refuse(res, VASCEND_FW_STATUS_ERR_SECTION,
               "%zu bytes after the last section (sections end at %zu)",
               len - off, off);
        return;
    }
    if (!info) {
        refuse(res, VASCEND_FW_STATUS_ERR_SECTION,
               "no build-info section");
        return;
    }
    snprintf(res->build_info, sizeof(res->build_info), "%s",
             (const char *)info);
    res->ops = res->op_count ? ops : NULL;
}

void anpu_fw_validate(const uint8_t *img, size_t len,
                      struct anpu_fw_result *res)
{
    uint32_t v, crc, count;
    size_t i;

    memset(res, 0, sizeof(*res));
    if (len > VASCEND_FW_MAX_SIZE) {
        refuse(res, VASCEND_FW_STATUS_ERR_SIZE,
               "image size %zu is above the limit of %u", len,
               VASCEND_FW_MAX_SIZE);
        return;
    }
    if (!anpu_fw_check_size(len, res)) {
        return;
    }
    v = le32(img + FW_FIELD(magic));
    if (v != VASCEND_FW_MAGIC) {
        refuse(res, VASCEND_FW_STATUS_ERR_MAGIC,
               "magic 0x%08x is not 0x%08x", v, VASCEND_FW_MAGIC);
        return;
    }
    v = le16(img + FW_FIELD(format_version));
    if (v != VASCEND_FW_FORMAT_VERSION) {
        refuse(res, VASCEND_FW_STATUS_ERR_FORMAT,
               "format version %u is not %u", v, VASCEND_FW_FORMAT_VERSION);
        return;
    }
    v = le16(img + FW_FIELD(header_size));
    if (v != FW_HDR_SIZE) {
        refuse(res, VASCEND_FW_STATUS_ERR_FORMAT,
               "header size %u is not %zu", v, FW_HDR_SIZE);
        return;
    }
    v = le32(img + FW_FIELD(flags));
    if (v) {
        refuse(res, VASCEND_FW_STATUS_ERR_RESERVED,
               "flags 0x%08x are not zero", v);
        return;
    }
    for (i = FW_FIELD(reserved); i < FW_HDR_SIZE; i += 4) {
        v = le32(img + i);
        if (v) {
            refuse(res, VASCEND_FW_STATUS_ERR_RESERVED,
                   "reserved word at offset %zu is 0x%08x, not zero", i, v);
            return;
        }
    }
    v = le32(img + FW_FIELD(image_size));
    if (v != len) {
        refuse(res, VASCEND_FW_STATUS_ERR_SIZE,
               "header image_size %u disagrees with FW_SIZE %zu", v, len);
        return;
    }
    crc = le32(img + FW_FIELD(crc32));
    v = image_crc(img, len);
    if (v != crc) {
        refuse(res, VASCEND_FW_STATUS_ERR_CHECKSUM,
               "CRC-32 is 0x%08x, header says 0x%08x", v, crc);
        return;
    }
    v = le32(img + FW_FIELD(fw_version));
    if (VASCEND_FW_VERSION_MAJOR(v) != VASCEND_FW_SUPPORTED_MAJOR) {
        refuse(res, VASCEND_FW_STATUS_ERR_VERSION,
               "firmware major version %u is not the supported %u",
               VASCEND_FW_VERSION_MAJOR(v), VASCEND_FW_SUPPORTED_MAJOR);
        return;
    }
    count = le32(img + FW_FIELD(section_count));
    if (count > VASCEND_FW_MAX_SECTIONS) {
        refuse(res, VASCEND_FW_STATUS_ERR_SECTION,
               "%u sections, more than the limit of %u", count,
               VASCEND_FW_MAX_SECTIONS);
        return;
    }
    walk_sections(img, len, count, res);
    if (res->status) {
        return;
    }
    res->status = VASCEND_FW_STATUS_RUNNING;
    res->fw_version = le32(img + FW_FIELD(fw_version));
}

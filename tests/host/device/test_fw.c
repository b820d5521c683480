// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Firmware image validation and the boot protocol of the ascend-npu core:
 * a valid image runs, each kind of corruption is refused with its status.
 */
#include "anpu_crc32.h"
#include "anpu_fw.h"
#include "fwimage.h"
#include "harness.h"
#include "vascend_hdc_hw.h"

static struct img im;

static void expect(const char *what, uint32_t status, const char *why_has)
{
    struct anpu_fw_result res;

    anpu_fw_validate(im.buf, im.len, &res);
    TAP_CHECK(res.status == status && (!why_has || strstr(res.why, why_has)),
              "%s: status 0x%02x (want 0x%02x) why \"%s\"", what, res.status,
              status, res.why);
}

static void test_crc32(void)
{
    static const char check[] = "123456789";
    uint8_t buf[1000];
    uint32_t crc;
    size_t i;

    TAP_CHECK(anpu_crc32(0, check, 9) == 0xcbf43926,
              "CRC-32 of \"123456789\" is 0xcbf43926 (got 0x%08x)",
              anpu_crc32(0, check, 9));
    TAP_CHECK(anpu_crc32(0, NULL, 0) == 0, "CRC-32 of nothing is 0");
    for (i = 0; i < sizeof(buf); i++) {
        buf[i] = (uint8_t)(i * 131 + 7);
    }
    crc = anpu_crc32(0, buf, 300);
    crc = anpu_crc32(crc, buf + 300, sizeof(buf) - 300);
    TAP_CHECK(crc == crc32_bitwise(buf, sizeof(buf)),
              "piecewise CRC-32 matches a bitwise reference (0x%08x)", crc);
}

static void test_valid(void)
{
    struct anpu_fw_result res;

    img_valid(&im);
    anpu_fw_validate(im.buf, im.len, &res);
    TAP_CHECK(res.status == VASCEND_FW_STATUS_RUNNING,
              "valid image accepted (0x%02x %s)", res.status, res.why);
    TAP_CHECK(res.fw_version == TEST_FW_VERSION,
              "fw_version 0x%06x reported", res.fw_version);
    TAP_CHECK(strcmp(res.build_info, TEST_BUILD_INFO) == 0,
              "build info \"%s\" reported", res.build_info);

    /* A build-info whose size is a multiple of 8 (no padding). */
    img_start(&im, TEST_FW_V1);
    img_add(&im, VASCEND_FW_SECT_BUILD_INFO, "1234567", 8);
    img_seal(&im);
    expect("build-info without padding", VASCEND_FW_STATUS_RUNNING, NULL);
    /* NUL padding inside the build-info data is fine. */
    img_start(&im, TEST_FW_V1);
    img_add(&im, VASCEND_FW_SECT_BUILD_INFO, "abc\0\0\0\0\0\0", 9);
    img_seal(&im);
    expect("build-info with trailing NULs", VASCEND_FW_STATUS_RUNNING, NULL);
}

static void test_header_corruption(void)
{
    int i;

    img_valid(&im);
    put32(im.buf + OFF_MAGIC, 0x57464157);
    img_reseal_crc(&im);
    expect("bad magic", VASCEND_FW_STATUS_ERR_MAGIC, "magic");

    img_valid(&im);
    put16(im.buf + OFF_FORMAT, 2);
    img_reseal_crc(&im);
    expect("format version 2", VASCEND_FW_STATUS_ERR_FORMAT, "format");

    img_valid(&im);
    put16(im.buf + OFF_FORMAT, 0);
    img_reseal_crc(&im);
    expect("format version 0", VASCEND_FW_STATUS_ERR_FORMAT, "format");

    img_valid(&im);
    put16(im.buf + OFF_HDR_SIZE, 72);
    img_reseal_crc(&im);
    expect("header_size 72", VASCEND_FW_STATUS_ERR_FORMAT, "header size");

    img_valid(&im);
    put32(im.buf + OFF_FLAGS, 1);
    img_reseal_crc(&im);
    expect("flags non-zero", VASCEND_FW_STATUS_ERR_RESERVED, "flags");

    for (i = 0; i < 9; i += 8) {
        img_valid(&im);
        put32(im.buf + OFF_RESERVED + 4 * i, 0x100);
        img_reseal_crc(&im);
        expect(i ? "reserved[8] non-zero" : "reserved[0] non-zero",
               VASCEND_FW_STATUS_ERR_RESERVED, "reserved");
    }
}

static void test_size_corruption(void)
{
    struct anpu_fw_result res;

    img_valid(&im);
    put32(im.buf + OFF_IMAGE_SIZE, (uint32_t)im.len + 8);
    img_reseal_crc(&im);
    expect("image_size larger than FW_SIZE", VASCEND_FW_STATUS_ERR_SIZE,
           "image_size");

    img_valid(&im);
    put32(im.buf + OFF_IMAGE_SIZE, (uint32_t)im.len - 8);
    img_reseal_crc(&im);
    expect("image_size smaller than FW_SIZE", VASCEND_FW_STATUS_ERR_SIZE,
           "image_size");

    img_valid(&im);
    anpu_fw_validate(im.buf, 63, &res);
    TAP_CHECK(res.status == VASCEND_FW_STATUS_ERR_SIZE,
              "63 bytes (less than a header) refused: 0x%02x", res.status);

    TAP_CHECK(!anpu_fw_check_size(VASCEND_FW_MAX_SIZE + 1, &res) &&
              res.status == VASCEND_FW_STATUS_ERR_SIZE,
              "FW_SIZE above VASCEND_FW_MAX_SIZE refused before fetching");
    TAP_CHECK(anpu_fw_check_size(VASCEND_FW_MAX_SIZE, &res),
              "FW_SIZE of exactly VASCEND_FW_MAX_SIZE may be fetched");
    TAP_CHECK(!anpu_fw_check_size(0, &res) &&
              res.status == VASCEND_FW_STATUS_ERR_SIZE,
              "FW_SIZE 0 refused before fetching");
}

static void test_checksum(void)
{
    img_valid(&im);
    im.buf[im.len - 20] ^= 0x01;
    expect("one data bit flipped", VASCEND_FW_STATUS_ERR_CHECKSUM, "CRC");

    img_valid(&im);
    put32(im.buf + OFF_CRC, get32(im.buf + OFF_CRC) + 1);
    expect("crc32 field off by one", VASCEND_FW_STATUS_ERR_CHECKSUM, "CRC");

    img_valid(&im);
    put32(im.buf + OFF_FW_VERSION, 0x020000);
    expect("fw_version changed after sealing",
           VASCEND_FW_STATUS_ERR_CHECKSUM, "CRC");
}

static void test_sections(void)
{
    static const uint8_t blob[16] = { 1, 2, 3 };
    uint32_t n;

    img_start(&im, TEST_FW_V1);
    img_seal(&im);
    expect("no sections at all", VASCEND_FW_STATUS_ERR_SECTION, "no build-info");

    img_start(&im, TEST_FW_V1);
    img_add(&im, VASCEND_FW_SECT_BUILD_INFO, "a", 2);
    img_add(&im, VASCEND_FW_SECT_BUILD_INFO, "b", 2);
    img_seal(&im);
    expect("duplicate build-info", VASCEND_FW_STATUS_ERR_SECTION, "second");

    img_start(&im, TEST_FW_V1);
    img_add(&im, VASCEND_FW_SECT_BUILD_INFO, TEST_BUILD_INFO,
            sizeof(TEST_BUILD_INFO));
    img_add(&im, 7, blob, sizeof(blob));
    img_seal(&im);
    expect("unknown section type 7", VASCEND_FW_STATUS_ERR_SECTION,
           "unknown type 7");

    img_start(&im, TEST_FW_V1);
    img_add(&im, 0, blob, sizeof(blob));
    img_seal(&im);
    expect("section type 0", VASCEND_FW_STATUS_ERR_SECTION, "unknown type 0");

    /* Section size pointing past the image. */
    img_valid(&im);
    put32(im.buf + IMG_HDR + 4, (uint32_t)im.len);
    img_reseal_crc(&im);
    expect("section size overruns the image", VASCEND_FW_STATUS_ERR_SECTION,
           "overruns the image");

    img_valid(&im);
    put32(im.buf + IMG_HDR + 4, 0xffffffff);
    img_reseal_crc(&im);
    expect("section size 0xffffffff", VASCEND_FW_STATUS_ERR_SECTION,
           "overruns");

    /* Data fits but its padding would not: cut the image inside it. */
    img_start(&im, TEST_FW_V1);
    img_add(&im, VASCEND_FW_SECT_BUILD_INFO, "abc", 4);
    im.len -= 4;
    img_seal(&im);
    expect("padding past the image end", VASCEND_FW_STATUS_ERR_SECTION,
           "padding overruns");

    /* One section claimed more than present. */
    img_valid(&im);
    put32(im.buf + OFF_COUNT, 2);
    img_reseal_crc(&im);
    expect("section_count beyond the sections present",
           VASCEND_FW_STATUS_ERR_SECTION, "past the image end");

    img_valid(&im);
    put32(im.buf + OFF_COUNT, VASCEND_FW_MAX_SECTIONS + 1);
    img_reseal_crc(&im);
    expect("section_count above the limit", VASCEND_FW_STATUS_ERR_SECTION,
           "limit");

    /* Bytes after the last section. */
    img_valid(&im);
    im.len += 8;
    img_seal(&im);
    expect("8 bytes after the last section", VASCEND_FW_STATUS_ERR_SECTION,
           "after the last section");

    img_valid(&im);
    n = sizeof(TEST_BUILD_INFO);
    im.buf[IMG_HDR + 8 + n] = 0xaa;           /* first padding byte */
    img_reseal_crc(&im);
    expect("non-zero padding", VASCEND_FW_STATUS_ERR_SECTION,
           "padding is not zero");

    img_start(&im, TEST_FW_V1);
    img_add(&im, VASCEND_FW_SECT_BUILD_INFO, "no-nul", 6);
    img_seal(&im);
    expect("build-info without NUL", VASCEND_FW_STATUS_ERR_SECTION,
           "NUL-terminated");

    img_start(&im, TEST_FW_V1);
    img_add(&im, VASCEND_FW_SECT_BUILD_INFO, "ab\0cd", 6);
    img_seal(&im);
    expect("build-info with text after the NUL",
           VASCEND_FW_STATUS_ERR_SECTION, "NUL-terminated");

    img_start(&im, TEST_FW_V1);
    img_add(&im, VASCEND_FW_SECT_BUILD_INFO, "caf\xc3\xa9", 6);
    img_seal(&im);
    expect("build-info not ASCII", VASCEND_FW_STATUS_ERR_SECTION, "ASCII");

    img_start(&im, TEST_FW_V1);
    img_add(&im, VASCEND_FW_SECT_BUILD_INFO, "", 0);
    img_seal(&im);
    expect("empty build-info", VASCEND_FW_STATUS_ERR_SECTION,
           "NUL-terminated");
}

/* An image with build info and the given op table / service entries. */
static void img_lists(const struct vascend_fw_op *ops, size_t nops,
                      const struct vascend_fw_hdc_service *svcs, size_t nsvcs)
{
    img_start(&im, TEST_FW_V1);
    img_add(&im, VASCEND_FW_SECT_BUILD_INFO, TEST_BUILD_INFO,
            sizeof(TEST_BUILD_INFO));
    if (ops) {
        img_add(&im, VASCEND_FW_SECT_OP_TABLE, ops, nops * sizeof(*ops));
    }
    if (svcs) {
        img_add(&im, VASCEND_FW_SECT_HDC_SERVICES, svcs,
                nsvcs * sizeof(*svcs));
    }
    img_seal(&im);
}

static struct vascend_fw_op op(uint32_t id, uint32_t version,
                               const char *name)
{
    struct vascend_fw_op o;

    memset(&o, 0, sizeof(o));
    o.op_id = id;
    o.version = version;
    memcpy(o.name, name, strnlen(name, sizeof(o.name)));
    return o;
}

static struct vascend_fw_hdc_service svc(uint32_t type, const char *name)
{
    struct vascend_fw_hdc_service v;

    memset(&v, 0, sizeof(v));
    v.type = type;
    v.version = 1;
    memcpy(v.name, name, strlen(name));
    return v;
}

static void test_lists(void)
{
    struct vascend_fw_op ops[3];
    struct vascend_fw_hdc_service svcs[17];
    struct anpu_fw_result res;
    int i;

    ops[0] = op(7, 1, "TestVectorAdd");
    svcs[0] = svc(VASCEND_HDC_SVC_ECHO, "echo");
    svcs[1] = svc(VASCEND_HDC_SVC_FILE, "file");
    img_lists(ops, 1, svcs, 2);
    anpu_fw_validate(im.buf, im.len, &res);
    TAP_CHECK(res.status == VASCEND_FW_STATUS_RUNNING && res.op_count == 1 &&
              res.ops && get32(res.ops) == 7 && res.service_count == 2 &&
              res.services[0] == VASCEND_HDC_SVC_ECHO &&
              res.services[1] == VASCEND_HDC_SVC_FILE,
              "op table and service list parsed (%s)", res.why);
    img_lists(ops, 0, svcs, 0);
    anpu_fw_validate(im.buf, im.len, &res);
    TAP_CHECK(res.status == VASCEND_FW_STATUS_RUNNING && !res.op_count &&
              !res.ops && !res.service_count,
              "empty lists are lists of nothing");

    img_start(&im, TEST_FW_V1);
    img_add(&im, VASCEND_FW_SECT_BUILD_INFO, "x", 2);
    img_add(&im, VASCEND_FW_SECT_OP_TABLE, ops, 31);
    img_seal(&im);
    expect("op table of 31 bytes", VASCEND_FW_STATUS_ERR_SECTION, "entries");
    ops[0] = op(0, 1, "TestVectorAdd");
    img_lists(ops, 1, NULL, 0);
    expect("op id 0", VASCEND_FW_STATUS_ERR_SECTION, "zero id");
    ops[0] = op(7, 0, "TestVectorAdd");
    img_lists(ops, 1, NULL, 0);
    expect("op version 0", VASCEND_FW_STATUS_ERR_SECTION, "zero id");
    ops[0] = op(7, 1, "");
    img_lists(ops, 1, NULL, 0);
    expect("empty op name", VASCEND_FW_STATUS_ERR_SECTION, "bad name");
    ops[0] = op(7, 1, "ABCDEFGHIJKLMNOPQRSTUVWX");
    img_lists(ops, 1, NULL, 0);
    expect("op name of 24 characters (no NUL)", VASCEND_FW_STATUS_ERR_SECTION,
           "bad name");
    ops[0] = op(7, 1, "TestVectorAdd");
    ops[0].name[20] = 'x';
    img_lists(ops, 1, NULL, 0);
    expect("junk after the name's NUL", VASCEND_FW_STATUS_ERR_SECTION,
           "bad name");
    ops[0] = op(7, 1, "TestVectorAdd");
    ops[1] = op(7, 1, "Other");
    img_lists(ops, 2, NULL, 0);
    expect("op id twice", VASCEND_FW_STATUS_ERR_SECTION, "repeats");
    ops[1] = op(8, 1, "TestVectorAdd");
    img_lists(ops, 2, NULL, 0);
    expect("op name twice", VASCEND_FW_STATUS_ERR_SECTION, "repeats");
    ops[1] = op(8, 1, "NoSuchOp");
    img_lists(ops, 2, NULL, 0);
    expect("an op the device lacks", VASCEND_FW_STATUS_ERR_MISMATCH,
           "NoSuchOp");
    ops[0] = op(7, 2, "TestVectorAdd");
    img_lists(ops, 1, NULL, 0);
    expect("an op version the device lacks", VASCEND_FW_STATUS_ERR_MISMATCH,
           "version 2");
    ops[0] = op(7, 1, "TestVectorAdd");
    img_start(&im, TEST_FW_V1);
    img_add(&im, VASCEND_FW_SECT_BUILD_INFO, "x", 2);
    img_add(&im, VASCEND_FW_SECT_OP_TABLE, ops, sizeof(ops[0]));
    img_add(&im, VASCEND_FW_SECT_OP_TABLE, ops, sizeof(ops[0]));
    img_seal(&im);
    expect("two op tables", VASCEND_FW_STATUS_ERR_SECTION, "second op table");

    svcs[0] = svc(0, "zero");
    img_lists(NULL, 0, svcs, 1);
    expect("service type 0", VASCEND_FW_STATUS_ERR_SECTION, "zero id");
    svcs[0] = svc(5, "five");
    img_lists(NULL, 0, svcs, 1);
    expect("service type 5", VASCEND_FW_STATUS_ERR_MISMATCH, "type 5");
    svcs[0] = svc(VASCEND_HDC_SVC_LOG, "log");
    svcs[1] = svc(VASCEND_HDC_SVC_LOG, "log2");
    img_lists(NULL, 0, svcs, 2);
    expect("service type twice", VASCEND_FW_STATUS_ERR_SECTION, "repeats");
    for (i = 0; i < 17; i++) {
        svcs[i] = svc(100 + i, "s");
    }
    img_lists(NULL, 0, svcs, 17);
    expect("17 services", VASCEND_FW_STATUS_ERR_SECTION, "entries");
    svcs[0] = svc(VASCEND_HDC_SVC_LOG, "log");
    img_start(&im, TEST_FW_V1);
    img_add(&im, VASCEND_FW_SECT_BUILD_INFO, "x", 2);
    img_add(&im, VASCEND_FW_SECT_HDC_SERVICES, svcs, sizeof(svcs[0]));
    img_add(&im, VASCEND_FW_SECT_HDC_SERVICES, svcs, sizeof(svcs[0]));
    img_seal(&im);
    expect("two service lists", VASCEND_FW_STATUS_ERR_SECTION, "second");

    img_start(&im, VASCEND_FW_VERSION(2, 0, 0));
    img_add(&im, VASCEND_FW_SECT_BUILD_INFO, "x", 2);
    img_seal(&im);
    expect("major version 2", VASCEND_FW_STATUS_ERR_VERSION, "major");
    img_start(&im, VASCEND_FW_VERSION(0, 9, 9));
    img_add(&im, VASCEND_FW_SECT_BUILD_INFO, "x", 2);
    img_seal(&im);
    expect("major version 0", VASCEND_FW_STATUS_ERR_VERSION, "major");
    img_start(&im, VASCEND_FW_VERSION(1, 255, 255));
    img_add(&im, VASCEND_FW_SECT_BUILD_INFO, "x", 2);
    img_seal(&im);
    expect("version 1.255.255", VASCEND_FW_STATUS_RUNNING, NULL);
}

/* Place the image in guest memory at @off and ring the boot doorbell. */
static void boot(struct env *e, uint64_t off, uint32_t size)
{
    memcpy(e->guest + off, im.buf, im.len);
    wr64(e, VASCEND_REG_FW_ADDR_LO, GUEST_BASE + off);
    wr(e, VASCEND_REG_FW_SIZE, size);
    wr(e, VASCEND_REG_FW_CTRL, VASCEND_FW_CTRL_BOOT);
}

static void test_boot_protocol(void)
{
    struct env *e = env_new();
    unsigned int errors;

    img_valid(&im);
    boot(e, 0x2000, im.len);
    TAP_CHECK(e->kicks == 1, "BOOT schedules work");
    TAP_CHECK(rd(e, VASCEND_REG_FW_STATUS) == VASCEND_FW_STATUS_BOOTING,
              "FW_STATUS is BOOTING until the work runs");
    TAP_CHECK(e->host_reads == 0 && e->irqs[VASCEND_MSIX_VEC_ADMIN] == 0,
              "nothing is read or raised inside the register write");
    env_process(e);
    TAP_CHECK(rd(e, VASCEND_REG_FW_STATUS) == VASCEND_FW_STATUS_RUNNING,
              "valid image runs (0x%02x)", rd(e, VASCEND_REG_FW_STATUS));
    TAP_CHECK(rd(e, VASCEND_REG_FW_VERSION) == TEST_FW_VERSION,
              "FW_VERSION is the image's");
    TAP_CHECK(rd(e, VASCEND_REG_STATUS) & VASCEND_STATUS_FW_RUNNING,
              "STATUS.FW_RUNNING set");
    TAP_CHECK(e->irqs[VASCEND_MSIX_VEC_ADMIN] == 1 &&
              e->irqs[VASCEND_MSIX_VEC_DMA] == 0,
              "admin vector raised once");
    TAP_CHECK(rd(e, VASCEND_REG_IRQ_STATUS) == VASCEND_IRQ_FW_BOOT,
              "IRQ_STATUS.FW_BOOT set");
    TAP_CHECK(strcmp(e->dev.fw_build_info, TEST_BUILD_INFO) == 0,
              "build info kept for tracing");

    errors = e->errors;
    boot(e, 0x2000, im.len);
    TAP_CHECK(e->kicks == 1 && e->errors == errors + 1 &&
              rd(e, VASCEND_REG_FW_STATUS) == VASCEND_FW_STATUS_RUNNING,
              "BOOT while running is ignored and logged");

    wr(e, VASCEND_REG_RESET, VASCEND_RESET_MAGIC);
    TAP_CHECK(rd(e, VASCEND_REG_FW_STATUS) == VASCEND_FW_STATUS_OFF &&
              rd(e, VASCEND_REG_FW_VERSION) == 0,
              "reset stops the firmware");

    /* Corrupt image: refused, reported, and a new boot is allowed. */
    im.buf[im.len - 12] ^= 0x40;
    boot(e, 0x2000, im.len);
    boot(e, 0x2000, im.len);
    TAP_CHECK(e->kicks == 2, "BOOT while booting is ignored");
    env_process(e);
    TAP_CHECK(rd(e, VASCEND_REG_FW_STATUS) == VASCEND_FW_STATUS_ERR_CHECKSUM,
              "corrupt image refused with ERR_CHECKSUM");
    TAP_CHECK(VASCEND_FW_STATUS_IS_ERROR(rd(e, VASCEND_REG_FW_STATUS)) &&
              !(rd(e, VASCEND_REG_STATUS) & VASCEND_STATUS_FW_RUNNING) &&
              rd(e, VASCEND_REG_FW_VERSION) == 0,
              "refused image does not run");
    TAP_CHECK(e->irqs[VASCEND_MSIX_VEC_ADMIN] == 2,
              "a refusal raises the admin vector too");
    TAP_CHECK(strstr(e->last_error, "CRC") != NULL,
              "refusal logged as a guest error (%s)", e->last_error);

    img_valid(&im);
    boot(e, 0x2000, im.len);
    env_process(e);
    TAP_CHECK(rd(e, VASCEND_REG_FW_STATUS) == VASCEND_FW_STATUS_RUNNING,
              "boot after a refusal succeeds");
    env_free(e);
}

static void test_boot_dma_and_size(void)
{
    struct env *e = env_new();

    img_valid(&im);
    e->fail_host_read = 1;
    boot(e, 0, im.len);
    env_process(e);
    TAP_CHECK(rd(e, VASCEND_REG_FW_STATUS) == VASCEND_FW_STATUS_ERR_DMA,
              "unreadable image: ERR_DMA (0x%02x)",
              rd(e, VASCEND_REG_FW_STATUS));
    e->fail_host_read = 0;

    /* Image placed so that it runs off the end of guest memory. */
    memcpy(e->guest + GUEST_SIZE - 32, im.buf, 32);
    wr64(e, VASCEND_REG_FW_ADDR_LO, GUEST_BASE + GUEST_SIZE - 32);
    wr(e, VASCEND_REG_FW_SIZE, im.len);
    wr(e, VASCEND_REG_FW_CTRL, VASCEND_FW_CTRL_BOOT);
    env_process(e);
    TAP_CHECK(rd(e, VASCEND_REG_FW_STATUS) == VASCEND_FW_STATUS_ERR_DMA,
              "image beyond guest memory: ERR_DMA");

    e->host_reads = 0;
    boot(e, 0, VASCEND_FW_MAX_SIZE + 1);
    env_process(e);
    TAP_CHECK(rd(e, VASCEND_REG_FW_STATUS) == VASCEND_FW_STATUS_ERR_SIZE &&
              e->host_reads == 0,
              "FW_SIZE above the limit: ERR_SIZE without a DMA read");

    boot(e, 0, 16);
    env_process(e);
    TAP_CHECK(rd(e, VASCEND_REG_FW_STATUS) == VASCEND_FW_STATUS_ERR_SIZE &&
              e->host_reads == 0, "FW_SIZE 16: ERR_SIZE");

    boot(e, 0, im.len + 8);
    env_process(e);
    TAP_CHECK(rd(e, VASCEND_REG_FW_STATUS) == VASCEND_FW_STATUS_ERR_SIZE,
              "FW_SIZE larger than image_size: ERR_SIZE");

    wr(e, VASCEND_REG_FW_CTRL, VASCEND_FW_CTRL_BOOT | 0x100);
    TAP_CHECK(rd(e, VASCEND_REG_FW_STATUS) == VASCEND_FW_STATUS_ERR_SIZE &&
              strstr(e->last_error, "reserved"),
              "FW_CTRL with reserved bits is ignored and logged");
    wr(e, VASCEND_REG_FW_CTRL, 0);
    TAP_CHECK(!anpu_work_pending(&e->dev), "FW_CTRL 0 does nothing");

    /* The latched address is used, not one written after BOOT. */
    boot(e, 0x8000, im.len);
    wr64(e, VASCEND_REG_FW_ADDR_LO, 0);
    env_process(e);
    TAP_CHECK(rd(e, VASCEND_REG_FW_STATUS) == VASCEND_FW_STATUS_RUNNING,
              "address latched at BOOT");
    env_free(e);
}

int main(void)
{
    test_crc32();
    test_valid();
    test_header_corruption();
    test_size_corruption();
    test_checksum();
    test_sections();
    test_lists();
    test_boot_protocol();
    test_boot_dma_and_size();
    return tap_done();
}

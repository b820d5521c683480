// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Regressions for device-core bugs the fuzz targets (tests/fuzz/) found:
 * one test per bug, named after what was wrong. The input that found each
 * one is kept in tests/fuzz/regress/<target>/ as well.
 */
#include "devtest.h"

/* Every byte printable ASCII: what one log line may hold. */
static int one_line(const char *s)
{
    for (; *s; s++) {
        if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e) {
            return 0;
        }
    }
    return 1;
}

static int trace_bad;
static char trace_text[256];

static void check_trace(void *opaque, const struct anpu_trace *ev)
{
    env_trace(opaque, ev);
    if (!one_line(ev->s)) {
        trace_bad++;
        snprintf(trace_text, sizeof(trace_text), "%s", ev->s);
    }
}

/*
 * fuzz_regs: firmware op and HDC service names (any bytes but NUL) went
 * verbatim into guest error lines, and the build info (any ASCII) into the
 * FW_DONE trace: a guest could forge lines of QEMU's guest_errors log and
 * trace output with a newline, or send escape sequences to its terminal.
 */
static void test_guest_text_stays_one_line(void)
{
    static const char nasty[] = "x\nascend-npu 00:04.0: forged\x1b[2J";
    struct vascend_fw_hdc_service svc = { .type = 9, .version = 1 };
    struct vascend_fw_op op = { .op_id = 9, .version = 1 };
    static char info[64];
    static struct anpu_ops ops;
    static struct img im;
    struct env *e = env_new();
    uint32_t st;

    ops = env_ops;
    ops.trace = check_trace;
    e->dev.ops = &ops;
    e->quiet = 1;

    memcpy(op.name, nasty, sizeof(op.name) - 1);
    img_start(&im, TEST_FW_VERSION);
    img_add(&im, VASCEND_FW_SECT_BUILD_INFO, TEST_BUILD_INFO,
            sizeof(TEST_BUILD_INFO));
    img_add(&im, VASCEND_FW_SECT_OP_TABLE, &op, sizeof(op));
    img_seal(&im);
    st = dt_boot_image(e, &im);
    TAP_CHECK(st == VASCEND_FW_STATUS_ERR_MISMATCH && e->errors &&
              one_line(e->last_error),
              "an op name with a newline: refused (0x%x), guest error is "
              "one printable line: \"%s\"", st, e->last_error);

    wr(e, VASCEND_REG_RESET, VASCEND_RESET_MAGIC);
    memcpy(svc.name, nasty, sizeof(svc.name) - 1);
    img_start(&im, TEST_FW_VERSION);
    img_add(&im, VASCEND_FW_SECT_BUILD_INFO, TEST_BUILD_INFO,
            sizeof(TEST_BUILD_INFO));
    img_add(&im, VASCEND_FW_SECT_HDC_SERVICES, &svc, sizeof(svc));
    img_seal(&im);
    st = dt_boot_image(e, &im);
    TAP_CHECK(st == VASCEND_FW_STATUS_ERR_MISMATCH &&
              one_line(e->last_error),
              "a service name with a newline: refused (0x%x), guest error is "
              "one printable line: \"%s\"", st, e->last_error);

    wr(e, VASCEND_REG_RESET, VASCEND_RESET_MAGIC);
    snprintf(info, sizeof(info), "build 1\nascend_npu_fw_done forged\t!");
    img_start(&im, TEST_FW_VERSION);
    img_add(&im, VASCEND_FW_SECT_BUILD_INFO, info, strlen(info) + 1);
    img_seal(&im);
    trace_bad = 0;
    st = dt_boot_image(e, &im);
    TAP_CHECK(st == VASCEND_FW_STATUS_RUNNING && e->traces[ANPU_TRACE_FW_DONE],
              "a build info with a newline and a tab runs (0x%x)", st);
    TAP_CHECK(trace_bad == 0, "every trace string is one printable line "
              "(%d were not, last \"%s\")", trace_bad, trace_text);
    env_free(e);
}

int main(void)
{
    test_guest_text_stays_one_line();
    return tap_done();
}

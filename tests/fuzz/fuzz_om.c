// SPDX-License-Identifier: MIT
/*
 * Fuzz target: the .om parser (userspace/om). A model file comes from the
 * user, and on the device from guest memory: every byte is untrusted.
 * om_parse() must return a status for any input without reading outside
 * it (each input gets a matching checksum first); for an accepted file
 * everything the view points at must be inside the buffer (walked here,
 * so ASan sees any escape) and consistent.
 */
#define _POSIX_C_SOURCE 200809L   /* posix_memalign */

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "om.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The op table's families (0x01..0x0a), ids below 0x20 within each. */
static const char *op_check(void *arg, uint32_t id, uint32_t nin,
                            uint32_t nout)
{
    (void)arg;
    (void)nin;
    (void)nout;
    return (id >> 8) >= 1 && (id >> 8) <= 0x0a && (id & 0xff) < 0x20 &&
           id < 0x10000 ? NULL : "unknown op id";
}

static volatile uint8_t sink;

static void touch(const void *p, uint64_t n)
{
    const uint8_t *b = p;

    if (n) {
        sink ^= b[0] ^ b[n - 1];
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct om_parse_opts opts = { .op_check = op_check };
    struct om_view v;
    struct om_error err;
    /* exactly @size bytes, 64-byte aligned as om_read_file() gives: ASan
     * sees any read past the end */
    uint8_t *buf = NULL;
    int rc;

    if (posix_memalign((void **)&buf, 64, size ? size : 1)) {
        return 0;
    }
    memcpy(buf, data, size);
    /* A CRC is a wall a fuzzer does not climb: fix the checksum of each
     * input so the checks behind it get fuzzed (tests/host/models checks
     * the checksum itself). */
    if (size >= OM_HEADER_SIZE) {
        uint32_t sum = om_file_checksum(buf, size);
        memcpy(buf + offsetof(struct om_header, checksum), &sum, 4);
    }
    rc = om_parse(buf, size, &opts, &v, &err);
    if (rc != OM_OK) {
        if (rc != OM_E_FILE && rc != OM_E_MODEL && rc != OM_E_NOMEM) {
            abort();
        }
        if (!memchr(err.msg, 0, sizeof(err.msg)) || !err.msg[0]) {
            abort();
        }
        free(buf);
        return 0;
    }
    for (uint32_t i = 0; i < v.hdr->num_inputs + v.hdr->num_outputs; i++) {
        const struct om_io *io = &v.inputs[i];
        touch(om_str(&v, io->name_off), strlen(om_str(&v, io->name_off)));
        if (v.tensors[io->tensor].size != io->size) {
            abort();
        }
    }
    for (uint32_t i = 0; i < v.hdr->num_tensors; i++) {
        const struct om_tensor *t = om_root(&v, &v.tensors[i]);
        if (t->placement == OM_PLACE_WEIGHT) {
            if (t->offset > v.weights_size ||
                t->size > v.weights_size - t->offset) {
                abort();
            }
            touch(v.weights + t->offset, t->size);
        } else if (t->placement == OM_PLACE_WORKSPACE &&
                   t->offset + t->size > v.hdr->workspace_size) {
            abort();
        }
    }
    for (uint32_t i = 0; i < v.hdr->num_tasks; i++) {
        const struct om_task *t = &v.tasks[i];
        const uint32_t *ops = om_task_operands(&v, t);
        touch(om_str(&v, t->name_off), strlen(om_str(&v, t->name_off)));
        for (uint32_t k = 0; k < (uint32_t)t->num_inputs + t->num_outputs;
             k++) {
            if (ops[k] != OM_NO_TENSOR) {
                touch(&v.tensors[ops[k]], sizeof(struct om_tensor));
            }
        }
        for (uint32_t k = 0; k < t->attr_count; k++) {
            const struct om_attr *a = &v.attrs[t->attr_first + k];
            touch(v.attr_data + a->data_off, a->data_size);
            touch(om_str(&v, a->name_off), strlen(om_str(&v, a->name_off)));
        }
    }
    free(buf);
    return 0;
}

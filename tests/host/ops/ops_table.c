/* SPDX-License-Identifier: MIT */
/*
 * Print the operator table as markdown (docs/ops.md is made from it), or
 * as firmware op-table lines "op_id version name" with --fw.
 */
#include <stdio.h>
#include <string.h>

#include "aop.h"

int main(int argc, char **argv)
{
    bool fw = argc > 1 && strcmp(argv[1], "--fw") == 0;

    if (!fw) {
        printf("| id | CANN name | more CANN names | ONNX | version | dtypes "
               "| attributes | fast path |\n");
        printf("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
    }
    for (size_t i = 0; i < aop_op_count(); i++) {
        const struct aop_op_info *op = aop_op_at(i);
        if (fw) {
            printf("0x%04x %u %s\n", op->id, op->version, op->cann);
            continue;
        }
        printf("| 0x%04x | %s | %s | %s | %u | %s | %s | %s |\n", op->id,
               op->cann, op->cann_alt[0] ? op->cann_alt : "-",
               op->onnx[0] ? op->onnx : "-", op->version, op->dtypes,
               op->attrs, op->fast);
    }
    return 0;
}

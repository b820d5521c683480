// SPDX-License-Identifier: MIT
/* npu-smi: vascend's cards and who uses them, as CANN's npu-smi shows them. */
#include <stdio.h>

#include "npu_smi.h"

int main(int argc, char **argv)
{
	return npu_smi_main(argc, argv, stdout, stderr);
}

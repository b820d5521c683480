/* SPDX-License-Identifier: MIT */
/*
 * npu-smi: what vascend's cards are and who uses them, in the layout of
 * CANN's npu-smi so people (and scripts that parse it) find what they
 * expect. Three parts: collect (the HAL's /dev/davinci_manager calls into
 * plain structs), format (structs to CANN's tables, no I/O but a FILE), and
 * the command line.
 */
#ifndef VASCEND_NPU_SMI_H
#define VASCEND_NPU_SMI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define NPU_SMI_NAME_MAX	32
#define NPU_SMI_MAX_CARDS	64
/* What this tool reports as its own version (CANN prints its driver release there). */
#define NPU_SMI_VERSION		"1.0.0"

struct npu_smi_proc {
	int32_t pid;
	char name[NPU_SMI_NAME_MAX];	/* /proc/<pid>/comm, "-" when unreadable */
	uint64_t hbm_bytes;
	uint64_t pinned_bytes;
	uint32_t streams;
};

struct npu_smi_card {
	uint32_t id;			/* N of /dev/davinciN */
	char soc[NPU_SMI_NAME_MAX];	/* e.g. Ascend910B3 */
	uint32_t state;			/* HAL_VASCEND_CARD_* */
	uint32_t fatal_status;
	uint32_t reset_count;
	uint32_t power_mw;
	uint32_t temperature_mc;
	uint32_t utilization;		/* AI Core, per mille */
	uint32_t aicores;
	uint64_t hbm_total;
	uint64_t hbm_used;
	uint64_t tasks_completed;
	uint32_t fw_version;		/* major << 16 | minor << 8 | patch */
	uint32_t uapi_version;		/* major << 16 | minor */
	uint32_t pci_domain;
	uint8_t pci_bus, pci_devfn;
	uint32_t nprocs;
	struct npu_smi_proc *procs;	/* malloc'd, nprocs of them */
};

/*
 * Every card the driver manages, ascending, into @cards (room for @len);
 * *@n = how many. On failure returns the HAL's drvError_t (nonzero) and
 * leaves the reason in @err. Free with npu_smi_free.
 */
int npu_smi_collect(struct npu_smi_card *cards, uint32_t len, uint32_t *n, char *err,
		    size_t errlen);
void npu_smi_free(struct npu_smi_card *cards, uint32_t n);

/* `npu-smi info`: the card table, then the process table. */
void npu_smi_print_info(FILE *out, const struct npu_smi_card *cards, uint32_t n);
/* `npu-smi info -l`: one block per card. */
void npu_smi_print_list(FILE *out, const struct npu_smi_card *cards, uint32_t n);
/* `npu-smi info -t common -i ID`: one card's figures, one per line. */
void npu_smi_print_common(FILE *out, const struct npu_smi_card *card);

/* CANN's health words: OK, Warning (recovering, or recovered from a fault), Critical. */
const char *npu_smi_health(const struct npu_smi_card *card);

/*
 * Why the manager node could not be opened, for the user: whether the
 * vascend module is loaded (libkmod). @err is the errno of the open.
 */
const char *npu_smi_driver_hint(int err);

/* The whole command line; returns the exit status. */
int npu_smi_main(int argc, char **argv, FILE *out, FILE *errout);

#endif /* VASCEND_NPU_SMI_H */

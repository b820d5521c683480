// SPDX-License-Identifier: MIT
/*
 * npu-smi's tables, column for column as CANN's npu-smi prints them (98
 * characters wide, the same headers and separators), so scripts written
 * for CANN's output parse ours. vascend cards have no DDR and no huge page
 * pool: those columns read "0 / 0", as CANN prints them for HBM-only cards.
 * Fields are cut to their column's width rather than breaking the table.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

#include "ascend_hal.h"

#include "npu_smi.h"

#define MIB	(1024ull * 1024)

static const char title_rule[] =
	"+------------------------------------------------------------------------------------------------+";
static const char rule[] =
	"+---------------------------+---------------+----------------------------------------------------+";
static const char double_rule[] =
	"+===========================+===============+====================================================+";

/* Used amounts round up (a process holding anything shows at least 1), totals down. */
static uint64_t mb_up(uint64_t bytes)
{
	return (bytes + MIB - 1) / MIB;
}

static uint64_t mb_down(uint64_t bytes)
{
	return bytes / MIB;
}

/* CANN names the chip without the family prefix: Ascend910B3 -> 910B3. */
static const char *chip_name(const struct npu_smi_card *c)
{
	return strncmp(c->soc, "Ascend", 6) || !c->soc[6] ? c->soc : c->soc + 6;
}

const char *npu_smi_health(const struct npu_smi_card *c)
{
	switch (c->state) {
	case HAL_VASCEND_CARD_OK:
		return "OK";
	case HAL_VASCEND_CARD_RESETTING:
		return "Warning";
	case HAL_VASCEND_CARD_DEAD:
		return "Critical";
	default:
		return "Unknown";
	}
}

static void card_rows(FILE *out, const struct npu_smi_card *c)
{
	char bus[20];

	snprintf(bus, sizeof(bus), "%04X:%02X:%02X.%X", c->pci_domain & 0xffff, c->pci_bus,
		 c->pci_devfn >> 3, c->pci_devfn & 7);
	fprintf(out, "| %-5u %-19.19s | %-13.13s | %-11.1f %-17u %-5u/ %-14u|\n", c->id,
		chip_name(c), npu_smi_health(c), c->power_mw / 1000.0, c->temperature_mc / 1000,
		0u, 0u);
	fprintf(out, "| %-25u | %-13.13s | %-11u %-5u/ %-11u%-5" PRIu64 "/ %-14" PRIu64 "|\n", 0u,
		bus, (c->utilization + 5) / 10, 0u, 0u, mb_up(c->hbm_used), mb_down(c->hbm_total));
}

static void proc_rows(FILE *out, const struct npu_smi_card *c)
{
	char line[96];
	uint32_t i;

	if (!c->nprocs) {
		snprintf(line, sizeof(line), "No running processes found in NPU %u", c->id);
		fprintf(out, "| %-95s|\n", line);
	}
	for (i = 0; i < c->nprocs; i++)
		fprintf(out, "| %-7u %-17u | %-13d | %-24.24s | %-23" PRIu64 " |\n", c->id, 0u,
			(int)c->procs[i].pid, c->procs[i].name, mb_up(c->procs[i].hbm_bytes));
	fprintf(out, "%s\n", double_rule);
}

void npu_smi_print_info(FILE *out, const struct npu_smi_card *cards, uint32_t n)
{
	char drv[24] = "-";
	uint32_t i;

	/* CANN prints its driver's release after "Version:": ours is the uapi the driver speaks */
	if (n)
		snprintf(drv, sizeof(drv), "%u.%u", cards[0].uapi_version >> 16,
			 cards[0].uapi_version & 0xffff);
	fprintf(out, "%s\n| npu-smi %-25sVersion: %-53s|\n%s\n", title_rule, NPU_SMI_VERSION, drv,
		rule);
	fprintf(out, "| NPU   Name                | Health        | Power(W)    Temp(C)           "
		"Hugepages-Usage(page)|\n");
	fprintf(out, "| Chip                      | Bus-Id        | AICore(%%)   Memory-Usage(MB)  "
		"HBM-Usage(MB)        |\n");
	fprintf(out, "%s\n", double_rule);
	for (i = 0; i < n; i++) {
		card_rows(out, &cards[i]);
		fprintf(out, "%s\n", double_rule);
	}
	fprintf(out, "%s\n", rule);
	fprintf(out, "| NPU     Chip              | Process id    | Process name             | "
		"Process memory(MB)      |\n");
	fprintf(out, "%s\n", double_rule);
	for (i = 0; i < n; i++)
		proc_rows(out, &cards[i]);
}

static void kv(FILE *out, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void kv(FILE *out, const char *key, const char *fmt, ...)
{
	va_list ap;

	fprintf(out, "\t%-31s: ", key);
	va_start(ap, fmt);
	vfprintf(out, fmt, ap);
	va_end(ap);
	fputc('\n', out);
}

void npu_smi_print_list(FILE *out, const struct npu_smi_card *cards, uint32_t n)
{
	uint32_t i;

	kv(out, "Total Count", "%u", n);
	for (i = 0; i < n; i++) {
		fputc('\n', out);
		kv(out, "NPU ID", "%u", cards[i].id);
		kv(out, "Product Name", "%s", cards[i].soc);
		kv(out, "Chip Count", "%u", 1u);
	}
}

void npu_smi_print_common(FILE *out, const struct npu_smi_card *c)
{
	kv(out, "NPU ID", "%u", c->id);
	kv(out, "Chip Count", "%u", 1u);
	fputc('\n', out);
	kv(out, "Chip ID", "%u", 0u);
	kv(out, "Memory Usage Rate(%)", "%u", 0u);
	kv(out, "HBM Usage Rate(%)", "%" PRIu64,
	   c->hbm_total ? (c->hbm_used * 100 + c->hbm_total - 1) / c->hbm_total : 0);
	kv(out, "Aicore Usage Rate(%)", "%u", (c->utilization + 5) / 10);
	kv(out, "Aicore Count", "%u", c->aicores);
	kv(out, "HBM Capacity(MB)", "%" PRIu64, mb_down(c->hbm_total));
	kv(out, "Temperature(C)", "%u", c->temperature_mc / 1000);
	kv(out, "NPU Real-time Power(W)", "%.1f", c->power_mw / 1000.0);
	kv(out, "Health", "%s", npu_smi_health(c));
	kv(out, "Chip Name", "%s", c->soc);
	kv(out, "Firmware Version", "%u.%u.%u", c->fw_version >> 16, (c->fw_version >> 8) & 0xff,
	   c->fw_version & 0xff);
	kv(out, "Reset Count", "%u", c->reset_count);
	kv(out, "Tasks Completed", "%" PRIu64, c->tasks_completed);
}

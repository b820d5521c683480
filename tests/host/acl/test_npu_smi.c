// SPDX-License-Identifier: MIT
/*
 * npu-smi: the tables against CANN's layout (canned figures that a public
 * CANN npu-smi printed, row for row), then the whole command on fake cards
 * (the HAL's manager node: telemetry, per-process memory), its command
 * line errors, and the message when the driver is not there.
 */
#include <errno.h>
#include <unistd.h>

#include "acl_test.h"
#include "npu_smi.h"

/* Run npu-smi with @args into @out / @err (malloc'd); returns its exit status. */
static int run(char **out, char **err, int argc, char **argv)
{
	size_t olen = 0, elen = 0;
	FILE *o = open_memstream(out, &olen), *e = open_memstream(err, &elen);
	int rc;

	if (!o || !e)
		bail_out("open_memstream");
	rc = npu_smi_main(argc, argv, o, e);
	fclose(o);
	fclose(e);
	return rc;
}

#define RUN(out, err, ...)                                                    \
	({                                                                    \
		char *argv_[] = { "npu-smi", __VA_ARGS__ };                   \
		run(out, err, (int)ARRAY_SIZE(argv_), argv_);                \
	})

static char *format_info(const struct npu_smi_card *cards, uint32_t n)
{
	size_t len = 0;
	char *buf = NULL;
	FILE *f = open_memstream(&buf, &len);

	npu_smi_print_info(f, cards, n);
	fclose(f);
	return buf;
}

/* Rows as CANN's npu-smi 25.0 printed them for two 910B2C cards (public sample output). */
static void cann_layout(void)
{
	struct npu_smi_proc p0[2] = {
		{ .pid = 6513, .name = "rayWorkerDict", .hbm_bytes = 617ull << 20 },
		{ .pid = 33776, .name = "VLLMWorker_TP", .hbm_bytes = 31747ull << 20 },
	};
	struct npu_smi_card c[2] = {
		{ .id = 0, .soc = "Ascend910B2C", .power_mw = 118600, .temperature_mc = 47300,
		  .utilization = 60, .hbm_used = 35738ull << 20, .hbm_total = 65536ull << 20,
		  .pci_bus = 0x6b, .pci_devfn = 0x02 << 3, .uapi_version = 0x10001,
		  .nprocs = 2, .procs = p0 },
		{ .id = 1, .soc = "Ascend910B2C", .power_mw = 143200, .temperature_mc = 49000,
		  .utilization = 110, .hbm_used = 35761ull << 20, .hbm_total = 65536ull << 20,
		  .pci_bus = 0x65, .pci_devfn = 0x02 << 3 },
	};
	static const char *const want[] = {
		"+------------------------------------------------------------------------------------------------+",
		"| npu-smi 1.0.0                    Version: 1.1                                                  |",
		"+---------------------------+---------------+----------------------------------------------------+",
		"| NPU   Name                | Health        | Power(W)    Temp(C)           Hugepages-Usage(page)|",
		"| Chip                      | Bus-Id        | AICore(%)   Memory-Usage(MB)  HBM-Usage(MB)        |",
		"+===========================+===============+====================================================+",
		"| 0     910B2C              | OK            | 118.6       47                0    / 0             |",
		"| 0                         | 0000:6B:02.0  | 6           0    / 0          35738/ 65536         |",
		"+===========================+===============+====================================================+",
		"| 1     910B2C              | OK            | 143.2       49                0    / 0             |",
		"| 0                         | 0000:65:02.0  | 11          0    / 0          35761/ 65536         |",
		"+===========================+===============+====================================================+",
		"+---------------------------+---------------+----------------------------------------------------+",
		"| NPU     Chip              | Process id    | Process name             | Process memory(MB)      |",
		"+===========================+===============+====================================================+",
		"| 0       0                 | 6513          | rayWorkerDict            | 617                     |",
		"| 0       0                 | 33776         | VLLMWorker_TP            | 31747                   |",
		"+===========================+===============+====================================================+",
		"| No running processes found in NPU 1                                                            |",
		"+===========================+===============+====================================================+",
	};
	char *text = format_info(c, 2), *line, *save = NULL;
	unsigned int i = 0, bad = 0;

	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save), i++) {
		if (i >= ARRAY_SIZE(want) || strcmp(line, want[i])) {
			if (!bad)
				printf("# line %u: got  '%s'\n# line %u: want '%s'\n", i + 1, line, i + 1,
				       i < ARRAY_SIZE(want) ? want[i] : "(nothing)");
			bad++;
		}
	}
	TAP_CHECK(!bad && i == ARRAY_SIZE(want),
		  "npu-smi info prints CANN's table byte for byte (%u lines, %u differ)", i, bad);
	free(text);

	/* a long name is cut to its column, a dead card says so */
	snprintf(c[0].soc, sizeof(c[0].soc), "AscendAVeryLongChipNameIndeed");
	c[0].state = HAL_VASCEND_CARD_DEAD;
	c[1].state = HAL_VASCEND_CARD_RESETTING;
	text = format_info(c, 2);
	TAP_CHECK(strstr(text, "| 0     AVeryLongChipNameIn | Critical      |") &&
		  strstr(text, "| 1     910B2C              | Warning       |"),
		  "long names are cut to the column; dead is Critical, recovering is Warning");
	free(text);
}

static void on_fake_cards(void)
{
	struct hal_fake_card cards[2] = {
		{ .id = 0, .hbm_size = 64 * MiB, .soc_name = "Ascend310P3" },
		{ .id = 2, .hbm_size = 128 * MiB },
	};
	char *out = NULL, *err = NULL, row[128], name[32];
	void *mem = NULL;
	int rc;

	use_fake_card_list(cards, 2);
	rc = RUN(&out, &err, "info");
	TAP_CHECK(rc == 0 && !*err, "npu-smi info on two idle cards: exit %d, stderr '%s'", rc, err);
	TAP_CHECK(strstr(out, "| 0     310P3               | OK            | 15.0        40     ") &&
		  strstr(out, "| 2     vascend-fake        | OK            |"),
		  "each card's chip name, health, power and temperature from the manager node");
	TAP_CHECK(strstr(out, "| 0                         | 0000:01:00.0  | 0           0    / 0          0    / 64            |") &&
		  strstr(out, "/ 128           |"),
		  "bus id, AI Core use and HBM total per card");
	TAP_CHECK(strstr(out, "| No running processes found in NPU 0 ") &&
		  strstr(out, "| No running processes found in NPU 2 "),
		  "no process uses either card");
	free(out);
	free(err);

	/* this process takes 3 MiB of card 2 */
	TAP_CHECK(halMemAlloc(&mem, 3 * MiB, HAL_VASCEND_MEM_FLAG(2, HAL_VASCEND_MEM_NORMAL_ONLY)) ==
		  DRV_ERROR_NONE, "3 MiB on card 2");
	rc = RUN(&out, &err, "info");
	{
		FILE *f = fopen("/proc/self/comm", "r");

		if (!f || !fgets(name, sizeof(name), f))
			snprintf(name, sizeof(name), "?");
		if (f)
			fclose(f);
		name[strcspn(name, "\n")] = '\0';
	}
	snprintf(row, sizeof(row), "| 2       0                 | %-13d | %-24.24s | 3                       |",
		 (int)getpid(), name);
	TAP_CHECK(rc == 0 && strstr(out, row), "the process table has this process on card 2: %s",
		  row);
	TAP_CHECK(strstr(out, "0    / 0          3    / 128           |"),
		  "card 2's HBM use is 3 MB");
	TAP_CHECK(strstr(out, "| No running processes found in NPU 0 ") &&
		  !strstr(out, "No running processes found in NPU 2"), "card 0 still has none");
	free(out);
	free(err);

	rc = RUN(&out, &err, "info", "-l");
	TAP_CHECK(rc == 0 && str_is(out, "\tTotal Count                    : 2\n\n"
			       "\tNPU ID                         : 0\n"
			       "\tProduct Name                   : Ascend310P3\n"
			       "\tChip Count                     : 1\n\n"
			       "\tNPU ID                         : 2\n"
			       "\tProduct Name                   : vascend-fake\n"
			       "\tChip Count                     : 1\n"),
		  "npu-smi info -l lists both cards in CANN's key : value layout");
	free(out);
	free(err);

	rc = RUN(&out, &err, "info", "-t", "common", "-i", "2");
	TAP_CHECK(rc == 0 && strstr(out, "\tAicore Count                   : 8\n") &&
		  strstr(out, "\tHBM Capacity(MB)               : 128\n") &&
		  strstr(out, "\tHBM Usage Rate(%)              : 3\n") &&
		  strstr(out, "\tNPU ID                         : 2\n"),
		  "npu-smi info -t common -i 2: AI Cores, HBM, use");
	free(out);
	free(err);

	rc = RUN(&out, &err, "info", "-t", "common", "-i", "1");
	TAP_CHECK(rc == 1 && str_is(err, "npu-smi: no card 1 (the cards are: 0 2)\n"),
		  "a card that does not exist: exit 1, the cards there are named (exit %d)", rc);
	free(out);
	free(err);
	halMemFree(mem);
	halVascendSvmRelease();
}

static void command_line(void)
{
	char *out = NULL, *err = NULL;
	int rc;

	rc = run(&out, &err, 1, (char *[]){ "npu-smi", NULL });
	TAP_CHECK(rc == 2 && strstr(err, "Usage: npu-smi info"), "no command: usage, exit 2");
	free(out);
	free(err);
	rc = RUN(&out, &err, "--help");
	TAP_CHECK(rc == 0 && strstr(out, "Usage: npu-smi info") && !*err, "--help: usage, exit 0");
	free(out);
	free(err);
	rc = RUN(&out, &err, "set");
	TAP_CHECK(rc == 2 && strstr(err, "npu-smi: unknown command"), "unknown command: exit 2");
	free(out);
	free(err);
	rc = RUN(&out, &err, "info", "-x");
	TAP_CHECK(rc == 2 && strstr(err, "unknown or incomplete option -x"), "unknown option");
	free(out);
	free(err);
	rc = RUN(&out, &err, "info", "-t", "common");
	TAP_CHECK(rc == 2 && strstr(err, "-t common needs -i ID"), "-t common without -i");
	free(out);
	free(err);
	rc = RUN(&out, &err, "info", "-t", "board", "-i", "0");
	TAP_CHECK(rc == 2 && strstr(err, "unknown -t type"), "an unknown -t type");
	free(out);
	free(err);
	rc = RUN(&out, &err, "info", "-t", "common", "-i", "x1");
	TAP_CHECK(rc == 2 && strstr(err, "-i needs a card id"), "a bad card id");
	free(out);
	free(err);
}

static void driver_missing(void)
{
	char *out = NULL, *err = NULL;
	int rc;

	/* the real backend on a host without the driver: no manager node */
	if (access("/dev/davinci_manager", F_OK) == 0 || hal_os_set(&hal_os_linux)) {
		TAP_CHECK(1, "# SKIP this host has /dev/davinci_manager");
		out = calloc(1, 1);
		err = calloc(1, 1);
	} else {
		rc = RUN(&out, &err, "info");
		TAP_CHECK(rc == 1 && !*out &&
			  strstr(err, "npu-smi: cannot read the cards: /dev/davinci_manager: "
				 "No such file or directory\nnpu-smi: ") &&
			  strstr(err, "vascend driver"),
			  "no driver: exit 1, the node, and libkmod's word on the module");
	}
	free(out);
	free(err);
	TAP_CHECK(strstr(npu_smi_driver_hint(EACCES), "no permission"), "EACCES: a permission hint");
	TAP_CHECK(npu_smi_driver_hint(EINVAL) == NULL, "EINVAL: no driver hint");
	/* on the build host the module is not loaded */
	TAP_CHECK(strstr(npu_smi_driver_hint(ENOENT), "vascend driver"),
		  "ENOENT: libkmod's word on the module: %s", npu_smi_driver_hint(ENOENT));
}

int main(void)
{
	cann_layout();
	on_fake_cards();
	command_line();
	driver_missing();
	return tap_done();
}

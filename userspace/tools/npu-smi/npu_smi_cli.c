// SPDX-License-Identifier: MIT
/*
 * npu-smi's command line:
 *   npu-smi info                      the card table and the process table
 *   npu-smi info -l                   one block per card
 *   npu-smi info -t common -i ID      one card's figures
 * Exit status 0, 1 when the cards cannot be read (with why), 2 for a bad
 * command line.
 */
#include <errno.h>
#include <libkmod.h>
#include <stdlib.h>
#include <string.h>

#include "ascend_hal.h"

#include "npu_smi.h"

#define DRIVER_MODULE	"vascend"

const char *npu_smi_driver_hint(int err)
{
	struct kmod_module *mod = NULL;
	const char *hint;
	struct kmod_ctx *ctx;
	int state;

	if (err == EACCES || err == EPERM)
		return "no permission to open it (run as root, or ask for access to "
		       "/dev/davinci_manager)";
	if (err != ENOENT && err != ENODEV && err != ENXIO)
		return NULL;
	ctx = kmod_new(NULL, NULL);
	if (!ctx)
		return "is the vascend driver loaded? (modprobe vascend)";
	hint = "is the vascend driver loaded? (modprobe vascend)";
	if (kmod_module_new_from_name(ctx, DRIVER_MODULE, &mod) == 0) {
		state = kmod_module_get_initstate(mod);
		if (state < 0)
			hint = "the vascend driver is not loaded: load it with `modprobe vascend`";
		else if (state == KMOD_MODULE_LIVE)
			hint = "the vascend driver is loaded but offers no /dev/davinci_manager "
			       "(check dmesg)";
		else
			hint = "the vascend driver is still loading or unloading: try again";
		kmod_module_unref(mod);
	}
	kmod_unref(ctx);
	return hint;
}

static void usage(FILE *f)
{
	fprintf(f, "Usage: npu-smi info [-l | -t common -i ID]\n"
		"  info                    every card (name, health, power, temperature,\n"
		"                          AI Core use, memory, bus id) and the processes\n"
		"                          using them\n"
		"  info -l                 the cards, one block each\n"
		"  info -t common -i ID    the figures of card ID\n");
}

static int bad_usage(FILE *err, const char *what)
{
	fprintf(err, "npu-smi: %s\n", what);
	usage(err);
	return 2;
}

static int parse_id(const char *s, uint32_t *id)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || v >= NPU_SMI_MAX_CARDS || s[0] == '-')
		return -1;
	*id = (uint32_t)v;
	return 0;
}

int npu_smi_main(int argc, char **argv, FILE *out, FILE *err)
{
	struct npu_smi_card cards[NPU_SMI_MAX_CARDS];
	enum { INFO, LIST, COMMON } mode = INFO;
	const char *hint, *type = NULL, *idarg = NULL;
	char why[512];
	uint32_t n = 0, id = 0, i;
	int a, ret, rc = 0;

	if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		usage(argc < 2 ? err : out);
		return argc < 2 ? 2 : 0;
	}
	if (strcmp(argv[1], "info"))
		return bad_usage(err, "unknown command (only `info` is offered)");
	for (a = 2; a < argc; a++) {
		if (!strcmp(argv[a], "-l")) {
			mode = LIST;
		} else if (!strcmp(argv[a], "-t") && a + 1 < argc) {
			type = argv[++a];
		} else if (!strcmp(argv[a], "-i") && a + 1 < argc) {
			idarg = argv[++a];
		} else {
			fprintf(err, "npu-smi: unknown or incomplete option %s\n", argv[a]);
			usage(err);
			return 2;
		}
	}
	if (type) {
		if (strcmp(type, "common"))
			return bad_usage(err, "unknown -t type (only `common` is offered)");
		if (mode == LIST)
			return bad_usage(err, "-l and -t do not go together");
		if (!idarg)
			return bad_usage(err, "-t common needs -i ID");
		mode = COMMON;
	} else if (idarg) {
		return bad_usage(err, "-i goes with -t common");
	}
	if (idarg && parse_id(idarg, &id))
		return bad_usage(err, "-i needs a card id (0..63)");

	ret = npu_smi_collect(cards, NPU_SMI_MAX_CARDS, &n, why, sizeof(why));
	if (ret) {
		fprintf(err, "npu-smi: cannot read the cards: %s\n", why);
		hint = npu_smi_driver_hint(halVascendLastErrno());
		if (hint)
			fprintf(err, "npu-smi: %s\n", hint);
		return 1;
	}
	switch (mode) {
	case INFO:
		npu_smi_print_info(out, cards, n);
		break;
	case LIST:
		npu_smi_print_list(out, cards, n);
		break;
	case COMMON:
		for (i = 0; i < n && cards[i].id != id; i++)
			;
		if (i == n) {
			fprintf(err, "npu-smi: no card %u (the cards are:", id);
			for (i = 0; i < n; i++)
				fprintf(err, " %u", cards[i].id);
			fprintf(err, "%s)\n", n ? "" : " none");
			rc = 1;
			break;
		}
		npu_smi_print_common(out, &cards[i]);
		break;
	}
	npu_smi_free(cards, n);
	return rc;
}

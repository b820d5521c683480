// SPDX-License-Identifier: MIT
/*
 * What npu-smi shows, gathered through libascend_hal: the manager node's
 * card list, health, telemetry and per-process use, and each card's own
 * description (SoC, PCI address, firmware). Process names come from
 * /proc/<pid>/comm, as CANN's tool shows them.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ascend_hal.h"

#include "npu_smi.h"

static void proc_name(int32_t pid, char *name, size_t len)
{
	char path[64];
	ssize_t n;
	int fd;

	snprintf(name, len, "-");
	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, name, len - 1);
	close(fd);
	if (n <= 0) {
		snprintf(name, len, "-");
		return;
	}
	name[n] = '\0';
	name[strcspn(name, "\n")] = '\0';
}

/* The processes using card @c (the driver may report more than asked: ask again). */
static drvError_t collect_procs(struct npu_smi_card *c)
{
	struct halVascendProc *hp = NULL;
	uint32_t count = 0, room = 0, i;
	drvError_t drv;

	for (;;) {
		drv = halVascendMgrProcs(c->id, hp, room, &count);
		if (drv) {
			free(hp);
			return drv;
		}
		if (count <= room)
			break;
		free(hp);
		room = count + 4;	/* a few more may have started meanwhile */
		hp = calloc(room, sizeof(*hp));
		if (!hp)
			return DRV_ERROR_OUT_OF_MEMORY;
	}
	c->nprocs = 0;
	if (count) {
		c->procs = calloc(count, sizeof(*c->procs));
		if (!c->procs) {
			free(hp);
			return DRV_ERROR_OUT_OF_MEMORY;
		}
	}
	for (i = 0; i < count; i++) {
		struct npu_smi_proc *p = &c->procs[c->nprocs];

		/*
		 * The driver keeps a process's context on a card for as long as
		 * its SVM file is open; one that holds nothing there any more (it
		 * reset the device) is not using the card.
		 */
		if (!hp[i].streams && !hp[i].hbmBytes && !hp[i].pinnedBytes)
			continue;
		c->nprocs++;
		p->pid = hp[i].pid;
		p->hbm_bytes = hp[i].hbmBytes;
		p->pinned_bytes = hp[i].pinnedBytes;
		p->streams = hp[i].streams;
		proc_name(p->pid, p->name, sizeof(p->name));
	}
	free(hp);
	return DRV_ERROR_NONE;
}

static drvError_t collect_card(struct npu_smi_card *c)
{
	struct halVascendDeviceInfo info;
	struct halVascendTelemetry t;
	struct halVascendHealth h;
	drvError_t drv;

	drv = halVascendMgrHealth(c->id, &h);
	if (drv)
		return drv;
	c->state = h.state;
	c->fatal_status = h.fatalStatus;
	c->reset_count = h.resetCount;
	/* a card under recovery answers no telemetry: show what the driver knows */
	if (h.state == HAL_VASCEND_CARD_OK) {
		drv = halVascendMgrTelemetry(c->id, &t);
		if (drv)
			return drv;
		c->power_mw = t.powerMw;
		c->temperature_mc = t.temperatureMc;
		c->utilization = t.utilization;
		c->aicores = t.aicoreCount;
		c->hbm_total = t.hbmTotal;
		c->hbm_used = t.hbmUsed;
		c->tasks_completed = t.tasksCompleted;
	}
	snprintf(c->soc, sizeof(c->soc), "-");
	if (!halVascendGetInfo(c->id, &info)) {
		snprintf(c->soc, sizeof(c->soc), "%s", info.socName);
		c->fw_version = info.fwVersion;
		c->uapi_version = info.uapiVersion;
		c->pci_domain = info.pciDomain;
		c->pci_bus = info.pciBus;
		c->pci_devfn = info.pciDevfn;
		if (!c->aicores)
			c->aicores = info.aicoreCount;
		if (!c->hbm_total)
			c->hbm_total = info.hbmSize;
	}
	return collect_procs(c);
}

int npu_smi_collect(struct npu_smi_card *cards, uint32_t len, uint32_t *n, char *err,
		    size_t errlen)
{
	uint32_t ids[NPU_SMI_MAX_CARDS], count = 0, i;
	drvError_t drv;

	*n = 0;
	drv = halVascendMgrCards(ids, NPU_SMI_MAX_CARDS, &count);
	if (drv) {
		snprintf(err, errlen, "%s", halVascendLastErrorMsg());
		return (int)drv;
	}
	if (count > len)
		count = len;
	if (count > NPU_SMI_MAX_CARDS)
		count = NPU_SMI_MAX_CARDS;
	for (i = 0; i < count; i++) {
		memset(&cards[i], 0, sizeof(cards[i]));
		cards[i].id = ids[i];
		drv = collect_card(&cards[i]);
		if (drv) {
			snprintf(err, errlen, "%s", drv == DRV_ERROR_OUT_OF_MEMORY ?
				 "out of memory" : halVascendLastErrorMsg());
			npu_smi_free(cards, i + 1);
			return (int)drv;
		}
	}
	*n = count;
	return 0;
}

void npu_smi_free(struct npu_smi_card *cards, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++) {
		free(cards[i].procs);
		cards[i].procs = NULL;
		cards[i].nprocs = 0;
	}
}

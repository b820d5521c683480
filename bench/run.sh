#!/usr/bin/env bash
# make bench: every benchmark, one line per figure:
#   BENCH name=<id> value=<number> unit=<unit> ref=<reference> ratio=<number>
# Each ratio compares with a reference measured in the same process or VM on
# this machine (above 1: faster than the reference). Logs in build/bench/.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
. "$top/scripts/lib.sh"
out=$VASCEND_BUILD/bench
mkdir -p "$out"
failed=0

# emit LOG: the BENCH lines of a run; a run without any counts as a failure.
emit() {
	grep -E '^BENCH ' "$1" || { echo "vascend: bench: no figures; log: $1" >&2; failed=1; }
}

if [ -f "$top/bench/devcore/Makefile" ]; then
	step "device core (host)" >&2
	make -s -C "$top/bench/devcore" run O="$out/devcore" >"$out/devcore.log" 2>&1 ||
		failed=1
	emit "$out/devcore.log"
fi

step "operators (host)" >&2
make -s -C "$top/bench/ops" run O="$out/ops" >"$out/ops.log" 2>&1 || failed=1
emit "$out/ops.log"

step "models (host)" >&2
make -s -C "$top/bench/models" run O="$out/models" >"$out/models.log" 2>&1 || failed=1
emit "$out/models.log"

step "in the VM" >&2
make -s -C "$top" all >"$out/build.log" 2>&1 || die "make all failed" "$out/build.log"
make -s -C "$top/bench/vm" O="$out/vm" ACL_LIB="$VASCEND_BUILD/userspace/lib" \
	>"$out/vm-build.log" 2>&1 || die "building the VM benchmarks failed" "$out/vm-build.log"
# vm_bench NAME PROGRAM [ARGS]: boot the VM, run one benchmark program there.
vm_bench() {
	local name=$1 prog=$2
	shift 2
	"$top/scripts/vm.sh" --quiet --log "$out/$name.serial.log" --timeout 600 \
		--file "$out/vm/$prog" --cmd "./$prog $*" || failed=1
	tr -d '\r' <"$out/$name.serial.log" >"$out/$name.log"
	emit "$out/$name.log"
}
# aclrtMemcpy through the runtime vs the guest's memcpy.
vm_bench vm-acl acl_memcpy_bench
# One tiny single op: aclopExecuteV2 + synchronize vs the raw HAL submission.
vm_bench vm-acl-op acl_op_bench
# NOP tasks: io_uring batches vs one ioctl at a time; submit-to-completion latency.
vm_bench vm-davinci davinci_submit_bench 3
# SVM: 64 MiB H2D MEMCPY tasks from pinned vs pageable host memory.
vm_bench vm-svm svm_h2d_bench
# Real models: aclmdlExecute in the VM (a card with 2 AI Cores) against
# onnxruntime-node on the host with 2 threads, both medians of 200 runs on
# the same seeded inputs (bench/models/prepare_vm.sh, tests/e2e/guest/mdl_e2e.c).
mdl=$out/vm-models
if "$top/bench/models/prepare_vm.sh" "$mdl" 2 bench 200 >"$out/vm-models-prepare.log" 2>&1; then
	mdl_files=()
	for f in "$mdl"/*.om "$mdl"/*_input_*.bin; do
		mdl_files+=(--file "$f")
	done
	"$top/scripts/vm.sh" --quiet --log "$out/vm-models.serial.log" --timeout 600 \
		--card "aicores=2,hbm=64M" --file "$VASCEND_BUILD/tests/e2e/bin/mdl_e2e" "${mdl_files[@]}" \
		--cmd "./mdl_e2e bench blazeface blazeface.om blazeface 200 $(cat "$mdl/blazeface.ort_s") 2 &&
		       ./mdl_e2e bench alexa alexa.om alexa 200 $(cat "$mdl/alexa.ort_s") 2" || failed=1
	tr -d '\r' <"$out/vm-models.serial.log" >"$out/vm-models.log"
	emit "$out/vm-models.log"
else
	echo "vascend: bench: preparing the models failed; log: $out/vm-models-prepare.log" >&2
	failed=1
fi
exit $failed

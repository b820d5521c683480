#!/usr/bin/env bash
# Pack the guest's base initramfs: busybox, the vascend module (installed under
# /lib/modules/<release>/extra and registered with depmod), the firmware
# images, the userspace libraries, and programs with the shared libraries they
# need. The per-run command is appended later by scripts/vm.sh.
#
# Usage: initramfs.sh --out FILE --release REL --module KO --firmware DIR
#                     --libs DIR [--bin FILE]... [--tree DIR]...
# --tree DIR: a staged root (e.g. `make install DESTDIR=DIR PREFIX=/usr`)
# copied over the image as it is, with the shared libraries its programs need.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

out= release= module= firmware= libs=
bins=() trees=()
while [ $# -gt 0 ]; do
	case $1 in
	--out) out=$2 ;;
	--release) release=$2 ;;
	--module) module=$2 ;;
	--firmware) firmware=$2 ;;
	--libs) libs=$2 ;;
	--bin) bins+=("$2") ;;
	--tree) trees+=("$2") ;;
	*) die "initramfs.sh: unknown argument $1" ;;
	esac
	shift 2
done
for v in out release module firmware libs; do
	[ -n "${!v}" ] || die "initramfs.sh: --$v is required"
done

busybox=/bin/busybox
[ -x "$busybox" ] && "$busybox" --list >/dev/null 2>&1 ||
	die "busybox (busybox-static) is not installed: run scripts/deps.sh guest"
ldd "$busybox" >/dev/null 2>&1 &&
	die "$busybox is dynamically linked: install busybox-static"

root=$(mktemp -d "${TMPDIR:-/tmp}/vascend-initramfs.XXXXXX")
trap 'rm -rf "$root"' EXIT

mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,usr/lib,etc/vascend,proc,sys,dev,tmp,root}
cp "$busybox" "$root/bin/busybox"
for applet in $("$busybox" --list); do
	[ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
done
install -m 0755 "$VASCEND_TOP/scripts/guest/init" "$root/init"
echo 'root:x:0:0:root:/root:/bin/sh' >"$root/etc/passwd"
echo 'root:x:0:' >"$root/etc/group"

# The module, where modprobe looks, with the index depmod builds.
moddir=$root/lib/modules/$release/extra
mkdir -p "$moddir"
cp "$module" "$moddir/"
# Only our module is in this tree; empty indexes keep depmod from warning.
touch "$moddir/../modules.order" "$moddir/../modules.builtin" \
	"$moddir/../modules.builtin.modinfo"
depmod -b "$root" "$release" || die "depmod for $release failed"

mkdir -p "$root/lib/firmware/vascend"
cp -r "$firmware"/. "$root/lib/firmware/vascend/"

cp -a "$libs"/*.so* "$root/usr/lib/"

for b in "${bins[@]}"; do
	[ -f "$b" ] || die "initramfs.sh: program $b does not exist"
	cp "$b" "$root/usr/bin/"
	copy_deps "$root" "$b" "$libs"
done
for t in "${trees[@]}"; do
	[ -d "$t" ] || die "initramfs.sh: tree $t does not exist"
	cp -a "$t"/. "$root/"
	while IFS= read -r -d '' f; do
		copy_deps "$root" "$f" "$libs"
	done < <(find "$t" -type f -perm -u+x -print0)
done
for l in "$libs"/*.so; do
	copy_deps "$root" "$l" "$libs"
done

mkdir -p "$(dirname "$out")"
(cd "$root" && find . -print0 | LC_ALL=C sort -z |
	cpio --null -o -H newc --owner=0:0 --quiet | gzip -1) >"$out.tmp" ||
	die "packing the initramfs failed"
mv "$out.tmp" "$out"

#!/usr/bin/env bash
# Provide the guest kernel: install its headers (to build the module) and
# extract its vmlinuz into the cache. Prints two lines: KERNEL_RELEASE=... and
# KERNEL_IMAGE=... for the Makefile.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

abi=$(guest_kernel_abi)
release=$abi-$KERNEL_FLAVOUR
dir=$VASCEND_CACHE/kernel/$release

if [ ! -d "/usr/src/linux-headers-$release" ]; then
	EXTRA_PKGS=() "$VASCEND_TOP/scripts/deps.sh" host >&2
	step "installing guest kernel headers linux-headers-$release" >&2
	DEBIAN_FRONTEND=noninteractive run_logged "$VASCEND_CACHE/logs/kernel-headers.log" \
		"installing linux-headers-$release" \
		as_root apt-get install -y -q --no-install-recommends "linux-headers-$release"
fi

if [ ! -f "$dir/vmlinuz" ]; then
	step "fetching guest kernel linux-image-$release" >&2
	rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
	# The signed and unsigned images carry the same kernel; take whichever exists.
	pkg=linux-image-$release
	apt-cache show "$pkg" >/dev/null 2>&1 || pkg=$pkg-unsigned
	(cd "$dir.tmp" && run_logged "$dir.tmp/download.log" "downloading $pkg" \
		apt-get download "$pkg")
	dpkg-deb --fsys-tarfile "$dir.tmp"/"$pkg"_*.deb |
		tar -x -C "$dir.tmp" "./boot/vmlinuz-$release" ||
		die "extracting vmlinuz from $pkg failed"
	mv "$dir.tmp/boot/vmlinuz-$release" "$dir.tmp/vmlinuz"
	rm -rf "$dir.tmp/boot" "$dir.tmp"/*.deb
	rm -rf "$dir" && mv "$dir.tmp" "$dir"
fi
echo "KERNEL_RELEASE=$release"
echo "KERNEL_IMAGE=$dir/vmlinuz"

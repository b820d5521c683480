#!/usr/bin/env bash
# Install the Debian packages a build step needs, only those missing, quietly.
# Usage: scripts/deps.sh GROUP...   (groups: host qemu guest kunit fuzz headers61 sparse ops models)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

SOURCES=/etc/apt/sources.list.d/vascend.sources

# Packages per group. NAME/SUITE installs NAME from that suite only (backports
# must never be pulled in wholesale: it drags linux-libc-dev and friends along).
# g++: the AscendCL headers' C++ compile test (tests/host/headers).
pkgs_host="gcc g++ libc6-dev make pkgconf python3 xz-utils zlib1g-dev
	libjson-c-dev libkmod-dev liburing-dev"	# the runtime: aclInit's JSON, the driver check, io_uring
pkgs_qemu="python3-venv ninja-build libglib2.0-dev zlib1g-dev ccache seabios
	lib32gcc-12-dev meson/bookworm-backports python3-pycotap/bookworm-backports
	libopenblas-dev libdnnl-dev"	# the operator library the device links
pkgs_guest="busybox-static cpio kmod liburing-dev"	# liburing: the guest io_uring tests and benches (static)
pkgs_kunit="build-essential bc flex bison"
pkgs_fuzz="clang-14 libclang-rt-14-dev"
pkgs_headers61="linux-headers-amd64"	# bookworm's 6.1 headers: make -C kernel check-6.1
pkgs_sparse="sparse"			# make -C kernel C=2: the driver stays sparse clean
# The operator library (qemu-device/ops), its ONNX reader and their tests/benches.
pkgs_ops="libopenblas-dev libdnnl-dev libonnx-testdata libonnx-dev protobuf-c-compiler
	libprotobuf-c-dev"
# The model converter's tests (tests/host/models): onnx.helper builds small
# models. Node 20 and npm (nodesource, on the machine) run onnxruntime-node,
# fetched from npm at test time: not installed from Debian (its npm conflicts).
pkgs_models="python3-onnx python3-numpy"

# apt sources: bookworm-backports (deb) for meson and the 6.12 kernel, and a
# trixie deb-src line for QEMU 10.0's source. Never a trixie deb line: it would
# upgrade glibc under the host.
ensure_sources() {
	if [ ! -f "$SOURCES" ]; then
		step "adding apt sources: bookworm-backports (deb), trixie (deb-src) -> $SOURCES"
		as_root tee "$SOURCES" >/dev/null <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
		apt_update
	fi
}

APT_UPDATED=0
apt_update() {
	[ "$APT_UPDATED" -eq 1 ] && return 0
	step "apt-get update"
	run_logged "$VASCEND_CACHE/logs/apt-update.log" "apt-get update" \
		as_root apt-get update -q
	APT_UPDATED=1
}

# installed NAME [SUITE]: true when NAME is installed (from SUITE when given).
installed() {
	local name=$1 suite=${2:-}
	dpkg-query -W -f='${Status}' "$name" 2>/dev/null | grep -q 'install ok installed' ||
		return 1
	[ -z "$suite" ] && return 0
	# From the right suite: some source line under the installed (***) version names it.
	apt-cache policy "$name" 2>/dev/null | awk -v s="$suite" '
		/^ (\*\*\*|   ) [^ ]/ { cur = ($1 == "***"); next }
		cur && index($0, s) { found = 1 }
		END { exit !found }'
}

main() {
	local group missing=() p name suite
	[ $# -gt 0 ] || set -- host
	ensure_sources
	for group in "$@"; do
		local var="pkgs_$group"
		[ -n "${!var+x}" ] || die "unknown package group '$group'"
		for p in ${!var}; do
			name=${p%/*}
			suite=; [ "$p" != "$name" ] && suite=${p#*/}
			installed "$name" "$suite" || missing+=("$p")
		done
	done
	for p in "${EXTRA_PKGS[@]:-}"; do
		[ -n "$p" ] && ! installed "${p%/*}" && missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	step "installing Debian packages: ${missing[*]}"
	apt_update
	DEBIAN_FRONTEND=noninteractive INITRD=No run_logged \
		"$VASCEND_CACHE/logs/apt-install.log" "installing ${missing[*]}" \
		as_root apt-get install -y -q --no-install-recommends "${missing[@]}"
}

EXTRA_PKGS=()
main "$@"

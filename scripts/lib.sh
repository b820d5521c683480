# Shared helpers for vascend's build and run scripts. Source it; do not run it.
# shellcheck shell=bash

VASCEND_TOP=${VASCEND_TOP:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
# Slow things (QEMU objects, downloads, the guest kernel) live outside the clone,
# keyed by version, so a fresh clone reuses them and `make clean` keeps them.
VASCEND_CACHE=${VASCEND_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vascend}
# Per-clone build products.
VASCEND_BUILD=${VASCEND_BUILD:-$VASCEND_TOP/build}

# shellcheck source=versions.env
. "$VASCEND_TOP/scripts/versions.env"

step() { printf '==> %s\n' "$*"; }
note() { printf '    %s\n' "$*"; }

# die MESSAGE [LOG]: one clear line naming the failed step, and where to look.
die() {
	printf 'vascend: error: %s\n' "$1" >&2
	if [ -n "${2:-}" ]; then
		printf 'vascend: log: %s (last lines below)\n' "$2" >&2
		[ -f "$2" ] && tail -n 20 "$2" | sed 's/^/    | /' >&2
	fi
	exit 1
}

# run_logged LOG DESCRIPTION CMD...: run quietly into LOG, die with its tail on failure.
run_logged() {
	local log=$1 what=$2
	shift 2
	mkdir -p "$(dirname "$log")"
	if ! "$@" >"$log" 2>&1; then
		die "$what failed" "$log"
	fi
}

as_root() {
	if [ "$(id -u)" -eq 0 ]; then
		"$@"
	elif command -v sudo >/dev/null 2>&1; then
		sudo "$@"
	else
		die "need root to run: $* (run as root or install sudo)"
	fi
}

# hash_files FILE...: one short hash over the contents of the given files.
hash_files() {
	cat "$@" | sha256sum | cut -c1-16
}

# pick_version PATTERN PINNED: PINNED when apt knows a package named by PATTERN
# with it (PATTERN holds @ where the version goes), else the newest version of
# the same series that apt knows, announced on stderr.
pick_version() {
	local pattern=$1 pinned=$2 name regex newest
	name=${pattern//@/$pinned}
	if apt-cache show "$name" >/dev/null 2>&1; then
		printf '%s\n' "$pinned"
		return 0
	fi
	regex="^${pattern//./\\.}\$"
	regex=${regex//+/\\+}
	regex=${regex//@/(${3:?series regex})}
	newest=$(apt-cache pkgnames | grep -oE "$regex" | sed -E "s/$regex/\\1/" |
		sort -V | tail -n 1)
	[ -n "$newest" ] || die "no package matching $pattern on the mirror (pinned $pinned)"
	printf 'vascend: note: pinned %s is gone from the mirror; using %s\n' \
		"$name" "${pattern//@/$newest}" >&2
	printf '%s\n' "$newest"
}

# guest_kernel_abi: the kernel ABI to use (pinned, or its newest replacement).
guest_kernel_abi() {
	pick_version "linux-headers-@-$KERNEL_FLAVOUR" "$KERNEL_ABI" \
		"${KERNEL_SERIES//./\\.}\\.[0-9]+\\+deb12"
}

# copy_deps ROOT ELF [OWN_LIBS]: copy the shared libraries ELF needs into ROOT
# at the paths ldd names, except those in OWN_LIBS (shipped separately).
# Not an ELF program: nothing to do.
copy_deps() {
	local root=$1 elf=$2 own=${3:-/nonexistent} lib
	for lib in $(LD_LIBRARY_PATH=$own ldd "$elf" 2>/dev/null |
		grep -oE '/[^ ]+' | grep -v "^$own/"); do
		[ -e "$root$lib" ] && continue
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
}

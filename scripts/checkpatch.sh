#!/usr/bin/env bash
# Run the kernel's checkpatch.pl --strict on the driver.
# Usage: scripts/checkpatch.sh [FILE...]   (default: kernel/*.[ch] and kernel/tests/*.c, not *.mod.c)
#
# checkpatch.pl and its data files (spelling.txt, const_structs.checkpatch)
# come from Debian's linux-source-$KERNEL_SERIES package: fetched once with
# `apt-get download`, only those three files extracted, and cached under
# $VASCEND_CACHE/checkpatch/<package version>/. Exits non-zero when any file
# has an error, a warning or a check.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

PKG=linux-source-$KERNEL_SERIES
DATA=(checkpatch.pl spelling.txt const_structs.checkpatch)
BASE=$VASCEND_CACHE/checkpatch

# The version apt would install, else the newest one already cached.
pick_checkpatch_version() {
	local ver
	ver=$(apt-cache policy "$PKG" 2>/dev/null | awk '/Candidate:/ { print $2 }')
	if [ -z "$ver" ] || [ "$ver" = "(none)" ]; then
		ver=$(find "$BASE" -mindepth 2 -maxdepth 2 -name checkpatch.pl 2>/dev/null |
			sed "s|^$BASE/||; s|/checkpatch.pl\$||" | sort -V | tail -n 1)
		[ -n "$ver" ] || die "apt knows no $PKG and none is cached (run apt-get update)"
	fi
	printf '%s\n' "$ver"
}

fetch_checkpatch() {
	local ver=$1 dir=$2 tmp f members=()
	step "fetching checkpatch.pl from $PKG $ver"
	mkdir -p "$BASE"
	tmp=$(mktemp -d "$BASE/.fetch.XXXXXX")
	# shellcheck disable=SC2064 # expand $tmp now: it is local
	trap "rm -rf '$tmp'" EXIT
	(cd "$tmp" && run_logged "$VASCEND_CACHE/logs/checkpatch-download.log" \
		"apt-get download $PKG=$ver" apt-get download "$PKG=$ver")
	for f in "${DATA[@]}"; do
		members+=("$PKG/scripts/$f")
	done
	# The .deb holds one big source tarball; stream it and keep three files.
	# The last tar stops reading once it has all three, so the writers
	# before it die of SIGPIPE: judge by the files, not the pipe's status.
	dpkg-deb --fsys-tarfile "$tmp"/"$PKG"_*.deb 2>/dev/null |
		tar -xO "./usr/src/$PKG.tar.xz" 2>/dev/null |
		tar -xJ -C "$tmp" --occurrence=1 "${members[@]}" || true
	mkdir -p "$dir.tmp"
	for f in "${DATA[@]}"; do
		[ -f "$tmp/$PKG/scripts/$f" ] ||
			die "extracting scripts/$f from $PKG $ver failed"
		mv "$tmp/$PKG/scripts/$f" "$dir.tmp/$f"
	done
	chmod +x "$dir.tmp/checkpatch.pl"
	rm -rf "$dir" && mv "$dir.tmp" "$dir"
	rm -rf "$tmp"
	trap - EXIT
}

main() {
	local ver dir f files=()
	ver=$(pick_checkpatch_version)
	dir=$BASE/$ver
	local have=1
	for f in "${DATA[@]}"; do
		[ -f "$dir/$f" ] || have=0
	done
	[ "$have" -eq 1 ] || fetch_checkpatch "$ver" "$dir"

	if [ $# -gt 0 ]; then
		files=("$@")
	else
		cd "$VASCEND_TOP"
		# Skip kbuild's generated *.mod.c.
		for f in kernel/*.c kernel/*.h kernel/tests/*.c; do
			[[ $f == *.mod.c ]] || files+=("$f")
		done
	fi
	for f in "${files[@]}"; do
		[ -f "$f" ] || die "no such file: $f"
	done
	# checkpatch.pl finds spelling.txt and const_structs.checkpatch beside
	# itself; it prints a "total:" line per file and fails on any finding.
	if ! perl "$dir/checkpatch.pl" --strict --no-tree --show-types \
		--color=never -f "${files[@]}"; then
		die "checkpatch.pl --strict found problems in ${files[*]}"
	fi
	printf 'checkpatch: %d files clean (checkpatch.pl --strict from %s %s)\n' \
		"${#files[@]}" "$PKG" "$ver"
}

main "$@"

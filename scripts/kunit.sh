#!/usr/bin/env bash
# Run the driver's KUnit suites (kernel/tests/) under UML with the kernel's own
# kunit_tool, and print the results as TAP: "ok N - suite.case" per test case
# (a parameterised case gives one line per parameter: suite.case.param), then
# the plan. Exits 0 only when every test ran and passed.
#
# Usage: scripts/kunit.sh [--cold] [FILTER_GLOB]
#   FILTER_GLOB   run only matching suites/cases ('vascend_hdc_frame*', 'suite.case')
#   --cold        drop this configuration's cached build first (a cold build)
#
# How it works (docs/driver.md, "KUnit"):
#   - the source is Debian's linux-source-$KERNEL_SERIES (.deb cached in
#     $VASCEND_CACHE/kunit/dl/), unpacked once per clone into
#     $VASCEND_BUILD/kunit/linux-<version>/ (1.7 GB, never cached);
#   - kernel/tests/Kbuild, Kconfig, .kunitconfig, kernel/tests/*.c, every
#     kernel/*.[ch] and include/uapi/vascend_*.h are linked into
#     drivers/misc/vascend_kunit/ of that tree, which drivers/misc sources;
#     Kbuild picks what is compiled;
#   - the build directory is <tree>/.kunit (inside the tree, so kbuild uses
#     relative paths and the directory works in any tree at any path); between
#     runs it is kept in $VASCEND_CACHE/kunit/build/<arch>-<source version>-
#     gcc<version>-<kunitconfig hash>/ (about 90 MB).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

PKG=linux-source-$KERNEL_SERIES
ARCH=um
KBASE=$VASCEND_CACHE/kunit
DL=$KBASE/dl
CACHE=$KBASE/build
LOGS=$VASCEND_BUILD/kunit
TESTS=$VASCEND_TOP/kernel/tests
KUNITCONFIG=$TESTS/.kunitconfig
LINKDIR=drivers/misc/vascend_kunit
PY=/usr/bin/python3
# Build directories kept in the cache (the newest ones).
KEEP_BUILDS=4

usage() {
	sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"
	exit "${1:-0}"
}

# The version apt would install, else the newest .deb already cached.
pick_source_version() {
	local ver
	ver=$(apt-cache policy "$PKG" 2>/dev/null | awk '/Candidate:/ { print $2 }')
	if [ -z "$ver" ] || [ "$ver" = "(none)" ]; then
		ver=$(find "$DL" -maxdepth 1 -name "${PKG}_*_all.deb" 2>/dev/null |
			sed "s|^.*/${PKG}_||; s|_all\\.deb\$||" | sort -V | tail -n 1)
		[ -n "$ver" ] || die "apt knows no $PKG and none is cached (run apt-get update)"
	fi
	printf '%s\n' "$ver"
}

# fetch_source VERSION: the .deb in $DL (apt-get download, once).
fetch_source() {
	local ver=$1 deb tmp
	deb=$DL/${PKG}_${ver}_all.deb
	[ -f "$deb" ] && return 0
	step "fetching $PKG $ver (about 150 MB, once)"
	mkdir -p "$DL"
	tmp=$(mktemp -d "$DL/.fetch.XXXXXX")
	# shellcheck disable=SC2064 # expand $tmp now: it is local
	trap "rm -rf '$tmp'" EXIT
	(cd "$tmp" && run_logged "$VASCEND_CACHE/logs/kunit-download.log" \
		"apt-get download $PKG=$ver" apt-get download "$PKG=$ver")
	mv "$tmp"/"${PKG}"_*.deb "$deb"
	rm -rf "$tmp"
	trap - EXIT
	# Older versions are of no further use.
	find "$DL" -maxdepth 1 -name "${PKG}_*_all.deb" ! -path "$deb" -delete
}

# unpack_source VERSION TREE: a pristine tree at TREE (about 12-25 s).
unpack_source() {
	local ver=$1 tree=$2 tmp
	step "unpacking $PKG $ver into $tree"
	rm -rf "$tree" "$tree.tmp"
	mkdir -p "$tree.tmp"
	# The .deb holds one source tarball; stream it out and unpack it.
	if ! dpkg-deb --fsys-tarfile "$DL/${PKG}_${ver}_all.deb" |
		tar -xO "./usr/src/$PKG.tar.xz" | tar -xJ -C "$tree.tmp"; then
		rm -rf "$tree.tmp"
		die "unpacking $PKG $ver failed (disk full? about 1.7 GB needed)"
	fi
	tmp=$tree.tmp/$PKG
	[ -f "$tmp/tools/testing/kunit/kunit.py" ] ||
		die "$PKG $ver has no tools/testing/kunit/kunit.py"
	mv "$tmp" "$tree"
	rmdir "$tree.tmp"
	touch "$tree/.vascend-unpacked"
}

# link_driver TREE: drivers/misc/vascend_kunit/ mirrors the driver, idempotently.
link_driver() {
	local tree=$1 dir f
	dir=$tree/$LINKDIR
	mkdir -p "$dir/include/uapi"
	# Drop the old links (files removed from kernel/ must disappear too).
	find "$dir" -type l -delete
	for f in "$VASCEND_TOP"/kernel/*.c "$VASCEND_TOP"/kernel/*.h; do
		[[ $f == *.mod.c ]] || ln -s "$f" "$dir/"
	done
	for f in "$TESTS"/*.c "$TESTS"/*.h "$TESTS"/Kbuild "$TESTS"/Kconfig \
		"$KUNITCONFIG"; do
		[ -e "$f" ] && ln -sf "$f" "$dir/"
	done
	ln -s "$VASCEND_TOP"/include/uapi/vascend_*.h "$dir/include/uapi/"
	# Hook the directory into drivers/misc, once.
	grep -q '^source "drivers/misc/vascend_kunit/Kconfig"' \
		"$tree/drivers/misc/Kconfig" ||
		printf '\nsource "drivers/misc/vascend_kunit/Kconfig"\n' \
			>>"$tree/drivers/misc/Kconfig"
	grep -q '^obj-y += vascend_kunit/' "$tree/drivers/misc/Makefile" ||
		printf 'obj-y += vascend_kunit/\n' >>"$tree/drivers/misc/Makefile"
}

# KTAP (as kunit_tool parsed it into --json) -> TAP lines and the plan.
json_to_tap() {
	"$PY" - "$1" <<'PY'
import json, sys

n = 0
failed = 0

def emit(ok, name):
    global n, failed
    n += 1
    if not ok:
        failed += 1
    print(("ok" if ok else "not ok") + " %d - %s" % (n, name))

def walk(group, prefix):
    for case in group.get("test_cases", []):
        status = case["status"]
        name = prefix + case["name"]
        if status == "SKIP":
            print("ok %d - %s # SKIP" % (n + 1, name))
            globals()["n"] += 1
        else:
            emit(status == "PASS", name + ("" if status in ("PASS", "FAIL")
                                            else " (%s)" % status))
    for sub in group.get("sub_groups", []):
        walk(sub, prefix + sub["name"] + ".")

with open(sys.argv[1]) as f:
    top = json.load(f)
for suite in top.get("sub_groups", []):
    walk(suite, suite["name"] + ".")
# Cases kunit_tool could not place in a suite (a crash before any suite).
walk({"test_cases": top.get("test_cases", [])}, "")
print("1..%d" % n)
sys.exit(1 if failed or n == 0 else 0)
PY
}

main() {
	local cold=0 filter="" ver gccver key tree build entry seed t0 rc json
	while [ $# -gt 0 ]; do
		case $1 in
		--cold) cold=1 ;;
		-h|--help) usage 0 ;;
		-*) printf 'kunit.sh: unknown option %s\n' "$1" >&2; usage 2 >&2 ;;
		*) [ -z "$filter" ] || usage 2 >&2; filter=$1 ;;
		esac
		shift
	done
	t0=$(date +%s)

	"$VASCEND_TOP/scripts/deps.sh" host kunit
	[ -x "$PY" ] || die "no $PY (Debian's python3 runs kunit_tool)"
	ver=$(pick_source_version)
	fetch_source "$ver"

	gccver=$(gcc -dumpfullversion 2>/dev/null || gcc -dumpversion)
	key=$ARCH-${ver//[^A-Za-z0-9.+-]/_}-gcc$gccver-$(hash_files "$KUNITCONFIG")
	entry=$CACHE/$key
	mkdir -p "$CACHE" "$LOGS"

	# One run per clone at a time (the tree), one per configuration at a
	# time (its cached build directory, which moves into the tree).
	exec 8>"$LOGS/.lock"
	flock 8
	exec 9>"$entry.lock"
	flock 9

	tree=$LOGS/linux-$ver
	[ -f "$tree/.vascend-unpacked" ] || unpack_source "$ver" "$tree"
	# Trees of other versions are 1.7 GB each: drop them.
	find "$LOGS" -mindepth 1 -maxdepth 1 -name 'linux-*' ! -path "$tree" \
		-exec rm -rf {} +
	link_driver "$tree"

	build=$tree/.kunit
	[ "$cold" -eq 1 ] && rm -rf "$entry" "$build"
	if [ -d "$entry" ]; then
		rm -rf "$build"
		mv "$entry" "$build"
		note "build directory: cached ($entry)"
	elif [ -d "$build" ] && [ "$(cat "$build/.vascend-key" 2>/dev/null)" = "$key" ]; then
		note "build directory: left in the tree by an interrupted run"
	else
		rm -rf "$build"
		# Another configuration of the same source and compiler is a far
		# better start than nothing: kbuild rebuilds what differs.
		seed=$(find "$CACHE" -mindepth 1 -maxdepth 1 -type d \
			-name "$ARCH-${ver//[^A-Za-z0-9.+-]/_}-gcc$gccver-*" \
			-printf '%T@ %p\n' 2>/dev/null | sort -rn | head -n 1 | cut -d' ' -f2-)
		if [ -n "$seed" ]; then
			cp -a "$seed" "$build"
			note "build directory: seeded from $seed"
		else
			note "build directory: none cached, cold build (about 5 min on 2 cores)"
		fi
	fi
	mkdir -p "$build"
	printf '%s\n' "$key" >"$build/.vascend-key"
	# Whatever happens next, the build directory goes back to the cache.
	# shellcheck disable=SC2064 # expand the paths now
	trap "rm -rf '$entry'; mv '$build' '$entry'; touch '$entry'" EXIT

	step "building the KUnit kernel (ARCH=$ARCH, $PKG $ver, gcc $gccver)"
	if ! (cd "$tree" && "$PY" tools/testing/kunit/kunit.py build \
		--arch="$ARCH" --build_dir=.kunit --kunitconfig="$KUNITCONFIG" \
		--jobs="$(nproc)") >"$LOGS/build.log" 2>&1; then
		# The compiler's errors (or kunit_tool's complaint), not make's noise.
		grep -E 'error:|ERROR:|not in the generated|No rule to make' \
			"$LOGS/build.log" | head -n 20 | sed 's/^/    | /' >&2 || true
		die "KUnit kernel build failed (kunit.py build, $PKG $ver, gcc $gccver); log: $LOGS/build.log"
	fi

	step "running the KUnit suites"
	json=$LOGS/results.json
	rm -f "$json" "$build/test.log"
	rc=0
	# --kunitconfig here too, or exec drops kunit_tool's default one into
	# the build directory.
	(cd "$tree" && "$PY" tools/testing/kunit/kunit.py exec --arch="$ARCH" \
		--build_dir=.kunit --kunitconfig="$KUNITCONFIG" --json="$json" \
		--timeout=300 ${filter:+"$filter"}) \
		>"$LOGS/exec.log" 2>&1 || rc=$?
	[ -f "$build/test.log" ] && cp "$build/test.log" "$LOGS/test.log"
	if [ ! -s "$json" ]; then
		tail -n 20 "$LOGS/exec.log" | sed 's/^/    | /' >&2
		die "KUnit ran no tests (kunit.py exec exited $rc); KTAP in $LOGS/test.log" \
			"$LOGS/exec.log"
	fi
	json_to_tap "$json" || rc=1
	printf '# kunit: %s s in all; logs and KTAP (test.log) in %s\n' \
		"$(($(date +%s) - t0))" "$LOGS"

	# Keep the newest few configurations.
	find "$CACHE" -mindepth 1 -maxdepth 1 -type d ! -path "$entry" \
		-printf '%T@ %p\n' | sort -rn | tail -n +"$KEEP_BUILDS" |
		cut -d' ' -f2- | xargs -r rm -rf
	return "$rc"
}

main "$@"

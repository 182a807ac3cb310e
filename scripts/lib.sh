# shellcheck shell=bash disable=SC2034
# Common settings for the harness scripts; sourced, never run.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD=${BUILD:-$ROOT/build}
CACHE=${CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/devdax-compound}
export CCACHE_DIR=${CCACHE_DIR:-$CACHE/ccache}

BASE_VERSION=5.10.223
BASE_DEB_VERSION=5.10.223-1
BASE_TARBALL=linux_${BASE_VERSION}.orig.tar.xz
BASE_SIZE=122005648
BASE_SHA256=5272175427d036677539b9ef88a6bc30e455aca2d4fe9a942b2926ef7967ad20

# The git tree that base + series expand into; base is tagged "base".
TREE=$BUILD/linux
# A worktree of the tag "base", so both kernels exist side by side.
BASE_TREE=$BUILD/linux-base

die() { echo "error: $*" >&2; exit 1; }
log() { echo "== $*" >&2; }

# Print the usage text: the comment block after the shebang.
usage() {
	sed -n '2,/^[^#]/{/^#/!q;s/^# \{0,1\}//;p}' "$0"
}

# Handle -h/--help for scripts that take no other options.
std_opts() {
	case "${1:-}" in
	-h|--help) usage; exit 0 ;;
	esac
}

# Tree for a kernel kind: base, series, debug or notest.
tree_of() {
	case "$1" in
	base) echo "$BASE_TREE" ;;
	series) echo "$TREE" ;;
	debug) echo "$BUILD/linux-debug" ;;
	notest) echo "$BUILD/linux-notest" ;;
	*) die "unknown kernel kind '$1' (base, series, debug or notest)" ;;
	esac
}

# Number of patches in the series (0 when patches/ is empty).
series_count() {
	if [ -f "$ROOT/patches/series" ]; then
		grep -cv '^[[:space:]]*\(#\|$\)' "$ROOT/patches/series" || true
	else
		echo 0
	fi
}

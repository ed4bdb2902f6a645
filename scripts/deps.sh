#!/usr/bin/env bash
# Install the Debian packages the build and the test suite need, when
# missing (`make deps`; `make check` runs it first).  Safe to run
# repeatedly; does nothing on a machine that has them.  Plain `make` never
# runs it: a build only reports what is missing.
#
#   libzstd-dev, zlib1g-dev   reading and writing .zst and .gz (build)
#   clang, libclang-rt-N-dev  the clang build and the libFuzzer targets
#   valgrind                  vmlab record runs programs under lackey
#   pkg-config                the install test builds the API example
#   librsvg2-bin              rsvg-convert: the tests render every SVG plot
#   libxml2-utils             xmllint: the tests check SVG is well-formed XML
#   parallel                  GNU parallel: the tests run sweep shards with it
#                             as docs/cluster.md does across hosts
#   chromium                  headless Chromium: the tests open vmlab report's
#                             HTML page in a real browser and screenshot it
#   bsdutils                  script(1): the tests give vmlab a terminal to
#                             see its progress line
#   python3                   the tests' checkers (tests/tools/*.py: SVG and
#                             PNG, JSON well-formedness); a minimal Debian 12
#                             has no Python
set -euo pipefail

[ $# -eq 0 ] || { echo "usage: scripts/deps.sh" >&2; exit 2; }

need=()
[ -f /usr/include/zstd.h ] || need+=(libzstd-dev)
[ -f /usr/include/zlib.h ] || need+=(zlib1g-dev)
command -v valgrind >/dev/null 2>&1 || need+=(valgrind)
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
command -v rsvg-convert >/dev/null 2>&1 || need+=(librsvg2-bin)
command -v xmllint >/dev/null 2>&1 || need+=(libxml2-utils)
# moreutils also ships a 'parallel'; GNU's says so in --version.
parallel --version 2>/dev/null | grep -q 'GNU parallel' || need+=(parallel)
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v script >/dev/null 2>&1 || need+=(bsdutils)
command -v python3 >/dev/null 2>&1 || need+=(python3)
if command -v clang >/dev/null 2>&1; then
	ver=$(clang -dumpversion | cut -d. -f1)
else
	need+=(clang)
	ver=$(apt-cache depends clang 2>/dev/null | sed -n 's/.*Depends: clang-\([0-9]*\)$/\1/p' | head -1)
	ver=${ver:-14}  # Debian 12's default clang
fi
ls /usr/lib/llvm-"$ver"/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a \
	>/dev/null 2>&1 || need+=("libclang-rt-$ver-dev")
[ ${#need[@]} -eq 0 ] && exit 0

echo "deps: installing ${need[*]}" >&2
sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq "${need[@]}" >/dev/null

#!/usr/bin/env bash
# Regenerate docs/thrashing.md's curve: examples/thrash.vms under VMS
# with 1 to 12 copies, without load control, with Denning's working-set
# rule, and with VMS's swapper instead.
#
#   docs/results/thrashing/make.sh [BUILD]   (run from anywhere)
#
# Writes thrashing.csv, thrashing.svg (none and ws) and swapper.csv here.
set -euo pipefail
cd "$(dirname "$0")/../../.."
build=${1:-build}
VMLAB=$build/vmlab
out=docs/results/thrashing
[ -x "$VMLAB" ] || { echo "make.sh: build $VMLAB first" >&2; exit 1; }
"$VMLAB" run --system vms,rss=200 --memory 512k --copies 1..12 \
	--svg "$out/thrashing.svg" examples/thrash.vms >"$out/thrashing.csv"
"$VMLAB" run --system vms,rss=200,swapper=on,freelim=128 --memory 512k \
	--copies 1..12 --load-control none examples/thrash.vms >"$out/swapper.csv"
# Page-fault frequency, on the job as it is and on one ten times as long
# (300 passes), where the first burst of thrashing weighs less.
"$VMLAB" run --system vms,rss=200 --memory 512k --copies 1..12 \
	--load-control pff examples/thrash.vms >"$out/pff.csv"
long=$(mktemp)
trap 'rm -f "$long"' EXIT
sed 's/^  repeat 30$/  repeat 300/' examples/thrash.vms >"$long"
"$VMLAB" run --system vms,rss=200 --memory 512k --copies 1..12 \
	--load-control none,ws,pff "$long" >"$out/long.csv"

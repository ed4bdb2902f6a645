#!/usr/bin/env bash
# Regenerate the plots and tables of docs/results.md: for each classic
# trace (../shared/traces/classic, 4 KiB pages), every policy this build
# has ('vmlab sweep -p all', the registry that 'vmlab list policies'
# shows) at 40 log-spaced sizes from 1 frame to the trace's distinct pages,
# plus the exact one-pass LRU and OPT curves from 'vmlab mrc'.
#
#   docs/results/make.sh [BUILD]      (run from anywhere; default build)
#
# Writes docs/results/NAME-classic.svg and NAME-modern.svg (miss ratio by
# size, a line per policy, log-scale frames; OPT and LRU on both as
# references), NAME-mrc.svg (exact LRU and OPT at every size), NAME.csv
# (the sweep's numbers for every policy) and NAME-anomalies.txt.  The reading in
# results.md is written by hand: re-read it when the numbers change.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:-build}
VMLAB=$build/vmlab
out=docs/results
traces=../shared/traces/classic
[ -x "$VMLAB" ] || { echo "make.sh: build $VMLAB first" >&2; exit 1; }

classic=opt,fifo,random,lru,mru,clock,esc,aging
modern=opt,lru,twoq,arc,car,lirs,clockpro,lru-k,s3fifo,sieve,gclock,ws,wsclock,pff
rm -f "$out"/*.svg
for t in gcc swim bzip sixpack; do
	trace=$traces/$t.trace.gz
	pages=$("$VMLAB" mrc -p lru -f 1 --json "$trace" |
		grep -o '"distinct_pages": *[0-9]*' | grep -o '[0-9]*$')
	echo "make.sh: $t ($pages pages)" >&2
	"$VMLAB" sweep -p all -f "1..$pages/40" --csv "$trace" >"$out/$t.csv"
	"$VMLAB" sweep -p "$classic" -f "1..$pages/40" \
		--svg "$out/$t-classic.svg" --log-x \
		--title "$t.trace: miss ratio by memory size, classic policies" \
		"$trace" >/dev/null
	"$VMLAB" sweep -p "$modern" -f "1..$pages/40" \
		--svg "$out/$t-modern.svg" --log-x \
		--title "$t.trace: miss ratio by memory size, modern policies" \
		"$trace" >/dev/null
	"$VMLAB" sweep -p all -f "1..$pages/40" --belady "$trace" \
		>"$out/$t-anomalies.txt"
	"$VMLAB" mrc -p lru,opt --svg "$out/$t-mrc.svg" --log-x \
		--title "$t.trace: exact LRU and OPT curves at every size" \
		"$trace" >"$out/$t-mrc.txt"
done
echo "make.sh: done; policies: $(cut -d, -f1 "$out/gcc.csv" | sed 1d | uniq | tr '\n' ' ')" >&2

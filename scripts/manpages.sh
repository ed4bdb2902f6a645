#!/usr/bin/env bash
# Generate the manual pages from the built program's own help, so a page
# says exactly what `vmlab --help` or `vmlab help CMD` says and cannot
# drift from it (make man; make install puts them in share/man/man1):
#
#   scripts/manpages.sh VMLAB OUTDIR VERSION
#
# writes OUTDIR/vmlab.1 from `VMLAB --help` and OUTDIR/vmlab-CMD.1 from
# `VMLAB help CMD` for every command that --help lists.  The help text is
# kept line for line: its "usage:" lines become SYNOPSIS, a line such as
# "Options:" becomes a section heading, and every other line is set as is
# (no filling), escaped for roff.  tests/cli/install.sh turns the pages back
# into text and compares them with the help.
set -euo pipefail
vmlab=$1 out=$2 version=$3
mkdir -p "$out"

# page NAME SUMMARY < help text > roff
page() {
	awk -v name="$1" -v summary="$2" -v version="$version" '
	function esc(s) {
		gsub(/\\/, "\\e", s)
		gsub(/-/, "\\-", s)
		if (s ~ /^[.'"'"']/) s = "\\&" s
		return s
	}
	BEGIN {
		up = toupper(name)
		printf ".TH %s 1 \"\" \"vmlab %s\" \"vmlab manual\"\n", up, version
		print ".nh"
		printf ".SH NAME\n%s \\- %s\n", esc(name), esc(summary)
		state = "start"
	}
	state == "start" && /^usage: / {
		print ".SH SYNOPSIS\n.nf"
		print esc(substr($0, 8))
		state = "usage"
		next
	}
	state == "usage" && /^       / { print esc(substr($0, 8)); next }
	state == "usage" || state == "start" {
		print ".fi\n.SH DESCRIPTION\n.nf"
		state = "body"
		if ($0 == "") next
	}
	/^[A-Z][A-Za-z ,\/()-]*:$/ {
		print ".fi\n.SH " esc(toupper(substr($0, 1, length($0) - 1))) "\n.nf"
		next
	}
	{ print esc($0) }
	END { print ".fi" }
	'
}

see_also() { # the other pages
	echo ".SH SEE ALSO"
	local p i pages=()
	for p in vmlab "${cmds[@]/#/vmlab-}"; do
		[ "$p" = "$1" ] || pages+=("$p")
	done
	for i in "${!pages[@]}"; do # "a (1)," ... "z (1)"
		printf '.BR %s (1)' "${pages[$i]//-/\\-}"
		[ "$i" -eq $((${#pages[@]} - 1)) ] && echo || echo ,
	done
}

overview=$("$vmlab" --help)
cmds=()
sums=()
while IFS= read -r line; do
	name=$(awk '{print $1}' <<<"$line")
	[ "$name" = help ] && continue
	cmds+=("$name")
	sums+=("$(sed 's/^ *[^ ]* *//' <<<"$line")")
done < <(sed -n '/^Commands:$/,/^$/p' <<<"$overview" | grep '^  [a-z]')

rm -f "$out"/vmlab.1 "$out"/vmlab-*.1
{ page vmlab "simulate virtual-memory systems on memory-reference traces" \
	<<<"$overview"; see_also vmlab; } >"$out/vmlab.1"
for i in "${!cmds[@]}"; do
	c=${cmds[$i]}
	{ "$vmlab" help "$c" | page "vmlab-$c" "${sums[$i]}"; see_also "vmlab-$c"; } \
		>"$out/vmlab-$c.1"
done

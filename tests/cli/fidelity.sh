#!/usr/bin/env bash
# vmlab fidelity: its command line refused with exit 2 where it is wrong,
# exit 2 without root, and - where this machine lets it (root and a
# memory cgroup controller) - one small real run: the live kernel's major
# faults against the linux system's prediction, which must be within 10%
# (docs/fidelity.md).  Where the machine cannot, the real run reports
# itself SKIP, not PASS.
set -u
. tests/lib.sh

t_ok "help fidelity" "$VMLAB" help fidelity
t_status "--limit 0 refused" 2 "--limit: expected MiB values" \
	"$VMLAB" fidelity --limit 0
t_status "--readahead maybe refused" 2 "--readahead: expected on or off" \
	"$VMLAB" fidelity --readahead maybe
t_status "--pattern must be a generator" 2 "--pattern: expected a generator" \
	"$VMLAB" fidelity --pattern zipf
t_status "--pattern and --sequence refused together" 2 "not both" \
	"$VMLAB" fidelity --pattern gen:loop --sequence x.pages
t_status "--file-size too small" 2 "--file-size: expected a multiple of 4k" \
	"$VMLAB" fidelity --file-size 1k
t_status "--runs 0 refused" 2 "--runs: expected 1 to 15" \
	"$VMLAB" fidelity --runs 0

# The advice key of a script's map: only normal or random.
printf 'vmlab-script 1\nfile f pages=4\nprogram p\n  map 0x10000 file=f advice=often\nend\nspawn p\n' >"$TMP/bad.vms"
t_status "advice=often refused" 2 "expected advice=normal or random" \
	"$VMLAB" run --system linux "$TMP/bad.vms"

if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	cp "$VMLAB" "$TMP/vmlab-copy" && chmod 755 "$TMP" "$TMP/vmlab-copy"
	t_status "without root: exit 2, saying so" 2 "needs root" \
		setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$TMP/vmlab-copy" fidelity --limit 4
fi

if [ "$(id -u)" != 0 ]; then
	echo "SKIP fidelity real run: needs root"
elif [ ! -w /sys/fs/cgroup/memory/memory.limit_in_bytes ] &&
     ! grep -qw memory /sys/fs/cgroup/cgroup.subtree_control 2>/dev/null; then
	echo "SKIP fidelity real run: no memory cgroup controller"
else
	if "$VMLAB" fidelity --file-size 16m --limit 6 --runs 1 --refs 30000 \
		--pattern gen:hotscan,hot=0.2,scanrefs=0.1 --json >"$TMP/f.json" 2>"$TMP/f.err"; then
		k=$(json_get kernel_major_faults "$TMP/f.json")
		p=$(json_get predicted_major_faults "$TMP/f.json")
		c=$(json_get charged_pages "$TMP/f.json")
		t_eq "fidelity: the kernel faulted" 1 "$([ "${k:-0}" -gt 1000 ] && echo 1)"
		t_eq "fidelity: some memory charged besides the file" 1 \
			"$([ "${c:-0}" -gt 0 ] && [ "${c:-0}" -lt 1536 ] && echo 1)"
		t_eq "fidelity: linux within 10% of the kernel ($p vs $k)" 1 \
			"$(awk -v p="${p:-0}" -v k="${k:-1}" 'BEGIN { d = (p - k) / k; if (d < 0) d = -d; print (d <= 0.10) ? 1 : 0 }')"
		# scanrefs= is not refs=: --refs still sets the length.
		t_eq "fidelity: --refs beside a key ending in refs" 30000 \
			"$(json_get references "$TMP/f.json")"
		t_eq "fidelity json: the runs listed" 1 \
			"$(grep -c '"kernel_major_faults_runs": \[[0-9]*\]' "$TMP/f.json")"
	else
		fail "fidelity real run" "$(head -c 300 "$TMP/f.err")"
	fi
fi

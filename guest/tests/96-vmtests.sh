#!/bin/sh
# The kernel's own vm selftests, whole: tools/testing/selftests/vm/
# run_vmtests of this kernel's tree, as the tree ships it, with every
# program it runs built by scripts/mkinitramfs. One TAP line per program
# run_vmtests runs (its "running X" banner and the [PASS]/[FAIL]/[SKIP]
# that follows). Every program must pass on both kernels: the host then
# compares the two lists (scripts/check), so a result that differs
# between base and series is a failure even where both are skips. On the
# series run_vmtests also runs dax_gup on a 2M device (DAX_DEVICE), then
# unbinds and binds it again under a timeout (a leaked reference hangs
# the unbind).
#
# A boot of its own, NVDIMM only (run_vmtests reserves huge pages and
# compaction_test locks most of free memory), with five-level paging:
# va_128TBswitch of 5.10 expects the 128 TiB switch that only la57 has
# and fails on every four-level machine.
# boot: -N -5
#
# shellcheck source=guest/lib/tap.sh
. /opt/lib/tap.sh
# shellcheck source=guest/lib/dax.sh
. /opt/lib/dax.sh

vm=/opt/vm
if [ ! -x "$vm/run_vmtests" ]; then
	skip "run_vmtests" "the vm selftests are not in the initramfs"
	exit 0
fi

dev=
if [ -e "$vm/dax_gup" ]; then
	nfit_reset >/dev/null
	dev=$(ns_create nfit 2M mem 3G)
	[ -n "$dev" ] || not_ok "run_vmtests: 2M device for dax_gup created"
fi

# run_vmtests works in its directory (./huge, ./prog); on a tmpfs copy so
# that the initramfs stays as it was.
work=/tmp/vmtests
rm -rf "$work"
cp -a "$vm" "$work"
cd "$work" || exit 1
log=/tmp/vmtests.log
# every line with the uptime at which it came: how long each program took
DAX_DEVICE=${dev:+/dev/$dev} PATH="$work:$PATH" bash ./run_vmtests 2>&1 |
	while IFS= read -r l; do echo "$(cut -d' ' -f1 /proc/uptime) $l"; done >"$log"
cd / || exit 1

# One line per verdict: VERDICT SECONDS NAME, the name from the last
# "running X" banner before it (dax_gup's rebind has a banner of its own).
awk '
	{ t = $1; sub(/^[^ ]* /, "") }
	/^running / { name = substr($0, 9); sub(/ *\(.*$/, "", name); t0 = t; next }
	/^unbinding and binding / { name = "dax_gup: unbind and bind again"; t0 = t; next }
	/^\[(PASS|FAIL|SKIP)\]/ {
		if (name == "") name = "(unnamed)"
		printf "%s %d %s\n", substr($0, 2, 4), t - t0, name
		name = ""
	}
' "$log" >/tmp/vmtests.results

n=0
while read -r verdict secs name; do
	n=$((n + 1))
	case "$verdict" in
	PASS) ok "run_vmtests: $name ($secs s)" ;;
	SKIP) skip "run_vmtests: $name ($secs s)" "skipped by the test itself" ;;
	*)
		not_ok "run_vmtests: $name ($secs s)"
		# the lines the failing program printed
		awk -v n="$name" '
			{ sub(/^[^ ]* /, "") }
			/^running / { on = index($0, n) > 0; next }
			on { print "#   " $0 }
		' "$log" | grep -v '^#   ---' | tail -15
		;;
	esac
done </tmp/vmtests.results
if [ "$n" = 0 ]; then
	not_ok "run_vmtests: printed a verdict"
	sed 's/^/#   /' "$log" | tail -20
fi
# Both kernels list their verdicts in one line for the host to compare
# (dax_gup exists on the series only).
diag "vmtests-results: $(grep -v ' dax_gup' /tmp/vmtests.results | cut -d' ' -f1,3- | tr ' \n' ':,')"
if [ -n "$dev" ]; then
	ns_destroy "$dev"
fi
rm -rf "$work"
true

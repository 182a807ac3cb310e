#!/bin/sh
# The series' kselftest for device-dax (tools/testing/selftests/vm/
# dax_gup.c): pin in every gup_benchmark mode over whole, mid-compound
# and single-compound ranges, O_DIRECT into the mapping, fork. Run on
# each kind of device; its own TAP is folded into one line per device.
# shellcheck source=guest/lib/tap.sh
. /opt/lib/tap.sh
# shellcheck source=guest/lib/dax.sh
. /opt/lib/dax.sh

if ! command -v dax_gup >/dev/null; then
	skip "dax_gup selftest" "not in this kernel's tree"
	exit 0
fi
# O_DIRECT needs a real block filesystem: ext2 on a ram disk.
mkdir -p /mnt/odirect
mke2fs -q /dev/ram0 >/dev/null 2>&1 && mount -t ext2 /dev/ram0 /mnt/odirect

# run_selftest WHAT DEV
run_selftest() {
	if [ -z "$2" ]; then
		not_ok "$1: device created"
		return
	fi
	out=$(DAX_DEVICE="/dev/$2" DAX_TMPDIR=/mnt/odirect dax_gup 2>&1)
	rc=$?
	pass=$(echo "$out" | grep -c '^ok ')
	fail=$(echo "$out" | grep -c '^not ok ')
	if [ "$rc" = 0 ] && [ "$fail" = 0 ] && [ "$pass" -gt 0 ]; then
		ok "$1: dax_gup selftest ($pass ok, $(echo "$out" | grep -c '# SKIP') skipped)"
	else
		not_ok "$1: dax_gup selftest (exit $rc, $fail failed)"
		echo "$out" | grep -E '^not ok|^# ' | head -20 | sed 's/^/#   /'
	fi
}

nfit_reset >/dev/null
for spec in 4K:mem 2M:mem 1G:mem 2M:dev; do
	align=${spec%:*} map=${spec#*:}
	dev=$(ns_create nfit "$align" "$map" 3G)
	run_selftest "nfit align=$align map=$map" "$dev"
	ns_destroy "$dev"
done
hmem_reset
dev=$(hmem_create 1G 2G)
run_selftest "hmem align=1G" "$dev"
hmem_reset
umount /mnt/odirect 2>/dev/null
true

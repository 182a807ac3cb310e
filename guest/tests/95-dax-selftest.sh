#!/bin/sh
# The series' kselftest for device-dax (tools/testing/selftests/vm/
# dax_gup.c): pin in every gup_benchmark mode over whole, mid-compound
# and single-compound ranges, O_DIRECT into the mapping, fork, munmap
# racing gup. Run on each kind of device; its own TAP is folded into one
# line per device, then the device must unbind and bind again.
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
	# A page or pgmap reference that gup leaked makes the unbind wait
	# forever (the boot's timeout then fails the run); after a clean
	# run the device comes back.
	drv=/sys/bus/dax/drivers/device_dax
	if echo "$2" >"$drv/unbind" && echo "$2" >"$drv/bind" && [ -c "/dev/$2" ]; then
		ok "$1: the device unbinds and binds again after dax_gup"
	else
		not_ok "$1: the device unbinds and binds again after dax_gup"
	fi
}

on_devices run_selftest nfit:4K:mem nfit:2M:mem nfit:1G:mem nfit:2M:dev hmem:1G:mem
umount /mnt/odirect 2>/dev/null
true

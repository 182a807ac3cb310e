#!/bin/sh
# mmap() of a device at a file offset that is not a multiple of the
# device align: a fault maps the whole aligned block behind the address,
# so such a mapping cannot show the data at its offset and the series
# refuses it with EINVAL. Offsets that are multiples of the align map
# exactly the device from there (daxmap offset stamps every 4K page with
# its device offset first and reads back +0 and +align-4K).
# The base kernel accepts the misaligned offsets and maps the aligned
# block that holds them (wrong data): those cases are skipped there.
# shellcheck source=guest/lib/tap.sh
. /opt/lib/tap.sh
# shellcheck source=guest/lib/dax.sh
. /opt/lib/dax.sh

# offset_tests ALIGN A DEV
offset_tests() {
	if [ "$(dax_size "$3")" -lt $((3 * $2)) ]; then
		not_ok "align=$1: device holds three units ($(dax_size "$3") bytes)"
		return
	fi
	for off in 4096 1048576 $(($2 - 4096)); do
		what="align=$1: mmap at file offset $off fails with EINVAL"
		out=$(daxmap offset "/dev/$3" "$2" "$off" 2>&1)
		if [ "$KIND" = base ] && [ "$out" != einval ]; then
			skip "$what" "base accepts misaligned offsets ($out)"
		else
			is "$out" einval "$what"
		fi
	done
	for off in "$2" $((2 * $2)); do
		is "$(daxmap offset "/dev/$3" "$2" "$off" 2>&1)" "mapped ok" \
			"align=$1: mmap at file offset $off shows the device from that offset"
	done
}

on_aligned offset_tests

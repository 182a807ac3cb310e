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

nfit_reset >/dev/null
# A 1G device loses its first GiB to the info block: a 4G namespace
# leaves the three units that offset 2G needs.
for spec in 2M:3G 1G:4G; do
	align=${spec%:*}
	a=$(bytes "$align")
	dev=$(ns_create nfit "$align" mem "${spec#*:}")
	if [ -z "$dev" ]; then
		not_ok "align=$align: device created"
		continue
	fi
	if [ "$(dax_size "$dev")" -lt $((3 * a)) ]; then
		not_ok "align=$align: device holds three units ($(dax_size "$dev") bytes)"
		ns_destroy "$dev"
		continue
	fi
	for off in 4096 1048576 $((a - 4096)); do
		what="align=$align: mmap at file offset $off fails with EINVAL"
		out=$(daxmap offset "/dev/$dev" "$a" "$off" 2>&1)
		if [ "$KIND" = base ] && [ "$out" != einval ]; then
			skip "$what" "base accepts misaligned offsets ($out)"
		else
			is "$out" einval "$what"
		fi
	done
	for off in "$a" $((2 * a)); do
		is "$(daxmap offset "/dev/$dev" "$a" "$off" 2>&1)" "mapped ok" \
			"align=$align: mmap at file offset $off shows the device from that offset"
	done
	ns_destroy "$dev"
done

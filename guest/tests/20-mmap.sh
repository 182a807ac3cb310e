#!/bin/sh
# Data written through one MAP_SHARED mapping reads back through a
# second one; MAP_PRIVATE is refused; the kernel maps the device with
# pages of its align (smaps KernelPageSize).
# shellcheck source=guest/lib/tap.sh
. /opt/lib/tap.sh
# shellcheck source=guest/lib/dax.sh
. /opt/lib/dax.sh

# mmap_tests WHAT DEV ALIGN
mmap_tests() {
	if [ -z "$2" ]; then
		not_ok "$1: device created"
		return
	fi
	a=$(bytes "$3")
	# Enough to cross compound boundaries, small enough for TCG.
	size=$((a * 2))
	[ "$size" -lt $((64 * 1024 * 1024)) ] && size=$((64 * 1024 * 1024))
	[ "$size" -gt "$(dax_size "$2")" ] && size=$(dax_size "$2")
	check "$1: data written via one mapping reads back via another" \
		daxmap data "/dev/$2" "$size" "$a"
	check "$1: MAP_PRIVATE is refused with EINVAL" daxmap private "/dev/$2" "$a"
	[ "$a" -gt 4096 ] &&
		check "$1: mmap at an offset or length not a multiple of the align fails" \
			daxmap unaligned "/dev/$2" "$a"
	is "$(daxmap pagesize "/dev/$2" "$size" "$a")" $((a / 1024)) \
		"$1: smaps KernelPageSize is the align in kB"
}

nfit_reset >/dev/null
for align in 4K 2M 1G; do
	for map in mem dev; do
		dev=$(ns_create nfit "$align" "$map" 3G)
		mmap_tests "nfit align=$align map=$map" "$dev" "$align"
		ns_destroy "$dev"
	done
done
dev=$(ns_create e820 2M mem)
mmap_tests "e820 align=2M map=mem" "$dev" 2M
ns_destroy "$dev"

hmem_reset
for align in 2M 1G; do
	dev=$(hmem_create "$align" 2G)
	mmap_tests "hmem align=$align" "$dev" "$align"
	hmem_reset
done

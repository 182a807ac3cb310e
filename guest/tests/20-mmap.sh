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

on_devices mmap_tests nfit:4K:mem nfit:4K:dev nfit:2M:mem nfit:2M:dev \
	nfit:1G:mem nfit:1G:dev e820:2M:mem hmem:2M:mem hmem:1G:mem

#!/bin/sh
# The memmap counters of /proc/vmstat (series). nr_memmap_boot_pages is
# the memmap of the boot memory: 512 pages (32768 struct pages of 64
# bytes) per 128M section that holds RAM, which are the sections of
# /sys/devices/system/memory while no memory is hot-added.
# nr_memmap_pages counts the pages behind the vmemmap of added memory,
# page tables not included: enabling a --map=mem device raises it by the
# distinct pages the page-table walk finds behind the vmemmap of the
# device's range (its own vmemmap pages and, first on its node and
# order, the shared tails), a --map=dev device by those of its pages
# that are not on the device (the altmap holds the rest); disabling the
# device takes exactly as many back. All counts are exact.
# shellcheck source=guest/lib/tap.sh
. /opt/lib/tap.sh
# shellcheck source=guest/lib/dax.sh
. /opt/lib/dax.sh

if ! grep -q '^nr_memmap_pages ' /proc/vmstat; then
	if [ "$KIND" = base ]; then
		skip "memmap counters" "the base kernel has none"
	else
		not_ok "/proc/vmstat has nr_memmap_pages"
	fi
	exit 0
fi
if ! pageinfo_load; then
	skip "memmap counters" "test module not in the initramfs"
	exit 0
fi

vmstat_of() { sed -n "s/^$1 //p" /proc/vmstat; }

hmem_reset
bs=$((0x$(cat /sys/devices/system/memory/block_size_bytes)))
blocks=$(find /sys/devices/system/memory -maxdepth 1 -name 'memory[0-9]*' | wc -l)
sections=$((blocks * bs / 134217728))
is "$(vmstat_of nr_memmap_boot_pages)" $((sections * 512)) \
	"nr_memmap_boot_pages: 512 pages for each of the $sections boot sections"

# counter_tests WHAT DEV ALIGN MAP
counter_tests() {
	case "$1" in
	hmem*)
		off="daxctl disable-device $2" on="daxctl enable-device $2"
		start=$(($(dax_start_pfn "$2") * 4096)) size=$(dax_size "$2") ;;
	*)
		ns=$(ns_of_dax "$2")
		off="ndctl disable-namespace $ns" on="ndctl enable-namespace $ns"
		start=$(nd_start "$ns") size=$(nd_size "$ns") ;;
	esac
	$off >/dev/null || { not_ok "$1: disabled"; return; }
	c0=$(vmstat_of nr_memmap_pages)
	$on >/dev/null || { not_ok "$1: enabled again"; return; }
	c1=$(vmstat_of nr_memmap_pages)
	# the pgmap spans the namespace (info block included) or, for hmem,
	# the device
	if [ "$4" = dev ]; then
		want=$(vmemmap_of $((start / 4096)) $((size / 4096)) |
			awk -v lo=$((start)) -v hi=$((start + size)) '
			function hex(s,   i, n) {
				s = tolower(substr(s, 3)); n = 0
				for (i = 1; i <= length(s); i++)
					n = n * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
				return n
			}
			/ phys=/ { split($2, kv, "="); p = hex(kv[2])
				    if ((p < lo || p >= hi) && !(p in seen)) { seen[p] = 1; n++ } }
			END { print n + 0 }')
		what="pages of its memmap outside the device"
	else
		want=$(vmemmap_of $((start / 4096)) $((size / 4096)) summary | field distinct)
		what="distinct pages behind its vmemmap"
	fi
	is "$((c1 - c0))" "$want" "$1: enabling adds the $want $what to nr_memmap_pages"
	$off >/dev/null
	is "$(vmstat_of nr_memmap_pages)" "$c0" "$1: disabling takes them back"
	$on >/dev/null || not_ok "$1: enabled again"
}

on_devices counter_tests nfit:4K:mem nfit:2M:mem nfit:1G:mem nfit:2M:dev \
	e820:1G:mem hmem:2M:mem

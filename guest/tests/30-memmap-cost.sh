#!/bin/sh
# Struct-page memory of a --map=mem namespace, seen as the drop of free
# memory when the namespace is enabled. The base kernel spends exactly
# 64 bytes (one struct page) per 4K page at every align. The series
# keeps one 4K vmemmap page per 2M or 1G compound page, mapped by 4K
# PTEs, and maps the rest of each compound page's memmap to one
# read-only page of tails per node and order: at 2M one PTE table page
# per 2M of vmemmap (per 128M of memory), at 1G one table of its own per
# compound page and one table shared by all. From the page-table walk
# (exact): at most 12.7 % of the base figure for 2M, at most 8 MiB per
# TiB for 1G, PTE tables included, the shared page and table (once per
# node and order, not per TiB) aside.
#
# Free memory is read with free_kb (per-cpu free lists counted, caches
# and empty slabs dropped; MemFree alone wanders by +-500 kB), and each
# figure is the median of three disable/enable cycles.
# shellcheck source=guest/lib/tap.sh
. /opt/lib/tap.sh
# shellcheck source=guest/lib/dax.sh
. /opt/lib/dax.sh

if ! pageinfo_load; then
	skip "struct-page memory" "test module not in the initramfs"
	exit 0
fi
# Everything else the enable allocates (device structs, sysfs, percpu
# refs, upper page-table levels) is lost in the spread of free_kb: over
# 27 single enables on both kernels at 4K, 2M and 1G the drop was
# between 156 kB below and 132 kB above the struct pages and their PTE
# tables. The bound is twice the worst of those; one vmemmap page more
# per 2M page would be 6 MiB here (the page-table walk in 80-vmemmap.sh
# counts the pages exactly).
MIN_KB=-320
MAX_KB=320

# full_kb SIZE_BYTES: one 64-byte struct page per 4K page.
full_kb() {
	echo $(($1 * 64 / 4096 / 1024))
}

# expected_kb SIZE_BYTES ALIGN_BYTES: struct-page kB this kernel spends:
# 4 kB per compound page; at 2M a 4 kB PTE table per 128M and the
# shared tails, at 1G a table of its own per compound page and the
# shared tails and table.
expected_kb() {
	if [ "$(expected_order "$2")" = 0 ]; then
		full_kb "$1"
	elif [ "$2" -ge 1073741824 ]; then
		echo $(($1 * 8 / $2 + 8))
	else
		echo $(($1 * 4 / $2 + $1 * 4 / (128 * 1024 * 1024) + 4))
	fi
}

ns=$(e820_namespace)
for align in 4K 2M 1G; do
	dev=$(ns_create e820 "$align" mem)
	if [ -z "$dev" ]; then
		not_ok "e820 align=$align: device created"
		continue
	fi
	# The memmap covers the pgmap: on base the whole namespace, info
	# block and padding included (the label-less e820 namespace spans
	# its region); with the series only the device's data.
	if [ "$KIND" = base ]; then
		size=$(ndctl list -R -r "$(region_of e820)" | json size)
	else
		size=$(dax_size "$dev")
	fi
	costs=
	for _ in 1 2 3; do
		cost=$(enable_cost ns "$ns")
		costs="$costs ${cost%% *}"
		us=${cost#* }
		diag "e820 align=$align: memmap of $size bytes, free memory drop ${cost%% *} kB, enable ${us%% *} us"
	done
	# shellcheck disable=SC2086 # a list of numbers
	used=$(median $costs)
	dmesg | grep 'memmap_init_zone_device' | tail -1 | sed 's/^/# /'
	a=$(bytes "$align")
	want=$(expected_kb "$size" "$a")
	extra=$((used - want))
	if [ "$extra" -ge "$MIN_KB" ] && [ "$extra" -le "$MAX_KB" ]; then
		ok "e820 align=$align map=mem: struct-page memory on enable is $want kB + $extra kB"
	else
		not_ok "e820 align=$align map=mem: struct-page memory on enable is $want kB + $MIN_KB..$MAX_KB kB"
		diag "  got $used kB (median of$costs), $extra kB more than the struct pages"
	fi
	if [ "$(expected_order "$a")" != 0 ]; then
		# exact, from the page-table walk of the device's memmap: its
		# own vmemmap pages and PTE tables, less the shared tails
		# (and at 1G the shared table), which serve the whole node
		S=$(dax_start_pfn "$dev")
		npfn=$(($(dax_size "$dev") / 4096))
		sum=$(vmemmap_of "$S" "$npfn" summary)
		shared=1
		[ "$a" -ge 1073741824 ] && shared=2
		own=$(($(echo "$sum" | field distinct) + $(echo "$sum" | field pte_tables) - shared))
		base=$((npfn * 64 / 4096))
		if [ "$a" -ge 1073741824 ]; then
			# KiB per GiB is MiB per TiB
			per_tib=$((own * 4 * 262144 / npfn))
			is "$((per_tib <= 8 ? 1 : 0))" 1 "e820 align=$align: $own pages for $npfn pfns, $per_tib MiB of memmap per TiB (at most 8)"
		else
			pm=$((own * 10000 / base))
			is "$((pm <= 1270 ? 1 : 0))" 1 "e820 align=$align: $own pages for $npfn pfns, $pm/10000 of the base kernel's $base (at most 12.7 %)"
		fi
	fi
done
ns_destroy_all

#!/bin/sh
# Struct-page memory of a --map=mem namespace, seen as the drop of free
# memory when the namespace is enabled. The base kernel spends exactly
# 64 bytes (one struct page) per 4K page at every align. The series
# keeps two 4K vmemmap pages per 2M or 1G compound page, mapped by 4K
# PTEs: one PTE table page per 2M of vmemmap (per 128M of memory). That
# must be at most 26 % of the base figure for 2M and at most 1 % for 1G.
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

# expected_kb SIZE_BYTES ALIGN_BYTES: struct-page kB this kernel spends.
expected_kb() {
	if [ "$(expected_order "$2")" = 0 ]; then
		full_kb "$1"
	else
		echo $(($1 * 8 / $2 + $1 * 4 / (128 * 1024 * 1024)))
	fi
}

ns=$(e820_namespace)
for align in 4K 2M 1G; do
	dev=$(ns_create e820 "$align" mem)
	if [ -z "$dev" ]; then
		not_ok "e820 align=$align: device created"
		continue
	fi
	# The memmap covers the whole namespace, info block and padding
	# included: the label-less e820 namespace spans its region.
	size=$(ndctl list -R -r "$(region_of e820)" | json size)
	costs=
	for _ in 1 2 3; do
		cost=$(enable_cost ns "$ns")
		costs="$costs ${cost%% *}"
		us=${cost#* }
		diag "e820 align=$align: namespace $size bytes, free memory drop ${cost%% *} kB, enable ${us%% *} us"
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
		pct=$((a == 1073741824 ? 1 : 26))
		full=$(full_kb "$size")
		if [ $((used * 100)) -le $((full * pct)) ]; then
			ok "e820 align=$align: $used kB is at most $pct % of the base kernel's $full kB"
		else
			not_ok "e820 align=$align: $used kB is at most $pct % of the base kernel's $full kB"
		fi
	fi
done
ns_destroy_all

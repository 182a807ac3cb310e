#!/bin/sh
# Struct-page memory of a --map=mem namespace, seen as the MemFree drop
# when the namespace is enabled. The base kernel spends exactly 64 bytes
# (one struct page) per 4K page at every align. The series keeps two 4K
# vmemmap pages per 2M or 1G compound page, mapped by 4K PTEs: one PTE
# table page per 2M of vmemmap (per 128M of memory). That must be at
# most 26 % of the base figure for 2M and at most 1 % for 1G.
# shellcheck source=guest/lib/tap.sh
. /opt/lib/tap.sh
# shellcheck source=guest/lib/dax.sh
. /opt/lib/dax.sh

# Allowance for everything else the enable allocates and frees (device
# structs, upper page-table levels, per-cpu page lists): 1 MiB, seen to
# move by up to +-520 kB between runs. The percentage bounds below are
# the tight claim.
TOL_KB=1024

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
	cost=$(enable_cost ns "$ns")
	used=${cost% *}
	diag "e820 align=$align: namespace $size bytes, MemFree drop ${used:-?} kB, enable ${cost#* } ms"
	dmesg | grep 'memmap_init_zone_device' | tail -1 | sed 's/^/# /'
	a=$(bytes "$align")
	within "$used" "$(expected_kb "$size" "$a")" "$TOL_KB" \
		"e820 align=$align map=mem: struct-page memory on enable, kB"
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

#!/bin/sh
# Struct-page memory of a --map=mem namespace, seen as the MemFree drop
# when the namespace is enabled. The base kernel spends exactly 64 bytes
# (one struct page) per 4K page at every align.
# shellcheck source=guest/lib/tap.sh
. /opt/lib/tap.sh
# shellcheck source=guest/lib/dax.sh
. /opt/lib/dax.sh

# Allowance for everything else the enable allocates (device structs,
# the page tables that map the vmemmap, per-cpu lists): 1 MiB.
TOL_KB=1024

# expected_kb SIZE_BYTES ALIGN_BYTES: struct-page kB this kernel spends.
expected_kb() {
	echo $(($1 * 64 / 4096 / 1024))
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
	within "$used" "$(expected_kb "$size" "$(bytes "$align")")" "$TOL_KB" \
		"e820 align=$align map=mem: struct-page memory on enable, kB"
done
ns_destroy_all

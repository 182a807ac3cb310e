#!/bin/sh
# The demo: create devdax devices at each align and map on each kind of
# dax memory and print, per device, the struct-page memory measured as
# the drop of free memory on enable against the 64 B per 4K page a plain
# memmap costs, the distinct vmemmap pages (test module), and the
# enable time.
# shellcheck source=guest/lib/dax.sh
. /opt/lib/dax.sh
pageinfo_load || true

row() { printf '| %-7s | %-5s | %-5s | %-4s | %8s | %10s | %10s | %6s | %9s | %9s |\n' "$@"; }
echo "DEMO kernel $(uname -r)"
row device where align map "size MiB" "memmap kB" "64B/4K kB" ratio "vmemmap" "enable ms"
row ------- ----- ----- ---- -------- ---------- ---------- ------ --------- ---------

# report DEV WHERE ALIGN MAP START_BYTES SIZE_BYTES COST: the memmap
# covers the whole namespace (START, SIZE), info block included.
report() {
	used=${7%% *} us=${7#* }
	ms=$((${us%% *} / 1000))
	full=$(($6 * 64 / 4096 / 1024))
	ratio=$(awk -v u="$used" -v f="$full" 'BEGIN { printf "%.3f", u / f }')
	vm=-
	if [ -d "$PAGEINFO" ]; then
		vm=$(vmemmap_of $(($5 / 4096)) $(($6 / 4096)) summary | sed -n 's/.*distinct=\([0-9]*\).*/\1/p')
	fi
	row "$1" "$2" "$3" "$4" $(($6 / 1048576)) "$used" "$full" "$ratio" "$vm" "$ms"
}


ns=$(e820_namespace)
region=$(region_of e820)
for map in mem dev; do
	for align in 4K 2M 1G; do
		dev=$(ns_create e820 "$align" "$map") || continue
		report "$dev" e820 "$align" "$map" "$(nd_start "$region")" "$(nd_size "$region")" \
			"$(enable_cost ns "$ns")"
	done
done
ns_destroy_all

nfit_reset >/dev/null
for align in 4K 2M 1G; do
	dev=$(ns_create nfit "$align" mem 4G) || continue
	ns=$(ns_of_dax "$dev")
	report "$dev" nfit "$align" mem "$(nd_start "$ns")" "$(bytes 4G)" "$(enable_cost ns "$ns")"
	ns_destroy "$dev"
done

hmem_reset
for align in 2M 1G; do
	dev=$(hmem_create "$align" 2G) || continue
	report "$dev" hmem "$align" mem "$(cat "/sys/bus/dax/devices/$dev/resource")" \
		"$(dax_size "$dev")" "$(enable_cost dax "$dev")"
	hmem_reset
done
echo "memmap kB: drop of free memory on enable (per-cpu lists counted); 64B/4K kB: what one struct page per"
echo "4K page costs (--map=dev puts the memmap in the device: ~0 from RAM);"
echo "vmemmap: distinct physical pages backing the memmap of the namespace."

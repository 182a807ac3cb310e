#!/bin/sh
# Benchmark scenarios, run by scripts/bench in each kernel. Prints one
# machine-readable line per sample:
#   BENCH <scenario> <align> <map> <metric> <value>
# Arguments: "main [REPEATS]" or "scale".
# shellcheck source=guest/lib/dax.sh
. /opt/lib/dax.sh
pageinfo_load || true
what=${1:-main}
reps=${2:-5}

b() { echo "BENCH $*"; }

# memmap_samples ALIGN MAP: struct-page memory and enable time of the
# e820 namespace, $reps disable/enable cycles.
memmap_samples() {
	ns=$(e820_namespace)
	ns_create e820 "$1" "$2" >/dev/null || { b memmap "$1" "$2" create_failed 1; return; }
	i=0
	while [ "$i" -lt "$reps" ]; do
		dmesg -c >/dev/null
		cost=$(enable_cost ns "$ns") || { b memmap "$1" "$2" enable_failed 1; return; }
		b memmap "$1" "$2" memfree_kb "${cost% *}"
		b memmap "$1" "$2" enable_ms "${cost#* }"
		init=$(dmesg | sed -n 's/.*memmap_init_zone_device initialised [0-9]* pages in \([0-9]*\)ms.*/\1/p' | tail -1)
		[ -z "$init" ] || b memmap "$1" "$2" init_ms "$init"
		i=$((i + 1))
	done
	if [ -d "$PAGEINFO" ]; then
		# the memmap of the whole namespace, which spans the region
		region=$(region_of e820)
		s=$(vmemmap_of $(($(nd_start "$region") / 4096)) $(($(nd_size "$region") / 4096)) summary)
		b memmap "$1" "$2" vmemmap_pages "$(echo "$s" | sed 's/.* distinct=\([0-9]*\).*/\1/')"
		b memmap "$1" "$2" pte_tables "$(echo "$s" | sed 's/.* pte_tables=\([0-9]*\).*/\1/')"
	fi
}

# gup_samples ALIGN: gup_benchmark get/put per mode and batch size.
gup_samples() {
	dev=$(ns_create e820 "$1" mem) || return
	for mode in -a -u -b -L; do
		for n in 512 1; do
			gup_benchmark -f "/dev/$dev" -S -m 1024 -n "$n" -r "$reps" $mode 2>&1 |
				sed -n "s/^Time: get:\([0-9]*\) put:\([0-9]*\) us.*/BENCH gup$mode-n$n $1 mem get_us \1\nBENCH gup$mode-n$n $1 mem put_us \2/p"
		done
	done
}

case "$what" in
main)
	for map in mem dev; do
		for align in 4K 2M 1G; do
			memmap_samples "$align" "$map"
		done
	done
	for align in 4K 2M 1G; do
		gup_samples "$align"
	done
	ns_destroy_all
	;;
scale)
	# One huge label-less NVDIMM namespace, 1G align, memmap in RAM.
	ns=$(ndctl list -N -i -r "$(region_of ACPI.NFIT)" | json dev)
	size=$(ndctl list -R -r "$(region_of ACPI.NFIT)" | json size)
	b scale 1G mem region_bytes "$size"
	b scale 1G mem memtotal_kb "$(memtotal_kb)"
	settle
	before=$(memfree_kb)
	t0=$(now_ms)
	if out=$(ndctl create-namespace -f -e "$ns" -m devdax -a 1G -M mem 2>&1); then
		t1=$(now_ms)
		settle
		b scale 1G mem enabled 1
		b scale 1G mem memfree_kb $((before - $(memfree_kb)))
		b scale 1G mem enable_ms $((t1 - t0))
		dev=$(echo "$out" | json chardev)
		daxmap data "/dev/$dev" "$(bytes 2G)" "$(bytes 1G)" >/dev/null 2>&1 &&
			b scale 1G mem data_ok 1
		ndctl destroy-namespace -f "$ns" >/dev/null 2>&1 && b scale 1G mem destroyed 1
	else
		b scale 1G mem enabled 0
		echo "$out" | tail -2 | sed 's/^/# /'
	fi
	;;
esac
true

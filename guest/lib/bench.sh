#!/bin/sh
# Benchmark scenarios, run by scripts/bench in each kernel. Prints one
# machine-readable line per sample:
#   BENCH <scenario> <align> <map> <metric> <value>
# Arguments: "main,REPEATS", "big,REPEATS", "insn,REPEATS" or "scale";
# "control,REPEATS,MIB[,on]", "fsdax,REPEATS" and "gup,REPEATS,ALIGN" run
# one part of main.
# shellcheck source=guest/lib/dax.sh
. /opt/lib/dax.sh
pageinfo_load || true
what=${1:-main}
reps=${2:-3}
cmb=${3:-1024}	# MiB of anonymous memory the control rows pin

b() { echo "BENCH $*"; }

# init_ms: the kernel's own memmap_init_zone_device time of the last
# enable (jiffies resolution), when it printed one ("initialised N pages
# in T ms" on base, "initialised W struct pages for N pfns in T ms" on
# the series).
init_ms() {
	_i=$(dmesg | sed -n 's/.*memmap_init_zone_device initialised .* in \([0-9]*\)ms.*/\1/p' | tail -1)
	[ -z "$_i" ] || b "$@" init_ms "$_i"
}

# memmap_samples ALIGN MAP: struct-page memory and enable time of the
# e820 namespace, $reps disable/enable cycles.
memmap_samples() {
	ns=$(e820_namespace)
	ns_create e820 "$1" "$2" >/dev/null || { b memmap "$1" "$2" create_failed 1; return; }
	i=0
	while [ "$i" -lt "$reps" ]; do
		dmesg -c >/dev/null
		cost=$(enable_cost ns "$ns") || { b memmap "$1" "$2" enable_failed 1; return; }
		b memmap "$1" "$2" free_kb "${cost%% *}"
		b memmap "$1" "$2" enable_us "$(echo "$cost" | cut -d' ' -f2)"
		b memmap "$1" "$2" cal_us "${cost##* }"
		init_ms memmap "$1" "$2"
		i=$((i + 1))
	done
	if [ -d "$PAGEINFO" ]; then
		# the memmap of the namespace, which spans the region
		region=$(region_of e820)
		s=$(vmemmap_of $(($(nd_start "$region") / 4096)) $(($(nd_size "$region") / 4096)) summary)
		b memmap "$1" "$2" vmemmap_pages "$(echo "$s" | sed 's/.* distinct=\([0-9]*\).*/\1/')"
		b memmap "$1" "$2" pte_tables "$(echo "$s" | sed 's/.* pte_tables=\([0-9]*\).*/\1/')"
		# mapped vmemmap pages: 64 pfns described each (the series
		# describes only the device's data, base the whole region)
		b memmap "$1" "$2" vmemmap_mapped "$(echo "$s" | sed 's/.* pages=\([0-9]*\).*/\1/')"
	fi
}

# gup SCENARIO ALIGN MAP gup_benchmark-ARGS...: get/put us per sample
# and the host-speed reference around it (gupcal, guest/src/cal.h);
# $reps samples unless ARGS has its own -r.
gup() {
	_sc=$1 _al=$2 _mp=$3
	shift 3
	gupcal -r "$reps" "$@" 2>&1 |
		sed -n "s/^Time: get:\([0-9]*\) put:\([0-9]*\) us cal:\([0-9]*\) us.*/BENCH $_sc $_al $_mp get_us \1\nBENCH $_sc $_al $_mp put_us \2\nBENCH $_sc $_al $_mp cal_us \3/p"
}

# gup_samples ALIGN: every mode and batch size on a 1 GiB device window.
gup_samples() {
	dev=$(ns_create e820 "$1" mem) || return
	for mode in -a -u -b -L; do
		for n in 512 1; do
			gup "gup$mode-n$n" "$1" mem -f "/dev/$dev" -S -m 1024 -n "$n" "$mode"
		done
	done
}

# fsdax_samples: gup_benchmark on a 1 GiB file of ext4 -o dax over a 2 GiB
# fsdax NFIT namespace (2M align, PMD faults where the extents allow):
# the series changes __gup_device_huge(), which fsdax PMD pins take too.
# FOLL_LONGTERM is refused on fsdax, so no -L.
fsdax_samples() {
	nfit_reset >/dev/null
	out=$(ndctl create-namespace -r "$(region_of ACPI.NFIT)" -m fsdax -M mem -a 2M -s 2G) ||
		{ b fsdax 2M mem create_failed 1; return; }
	blk=/dev/$(echo "$out" | json blockdev)
	mkdir -p /mnt/fsdax
	if /usr/sbin/mke2fs -q -F -t ext4 -b 4096 "$blk" >/dev/null 2>&1 &&
		mount -t ext4 -o dax "$blk" /mnt/fsdax && fallocate -l 1G /mnt/fsdax/f; then
		for mode in -a -u -b; do
			gup "fsdax$mode-n512" 2M ext4 -f /mnt/fsdax/f -S -m 1024 -n 512 "$mode"
		done
	else
		b fsdax 2M ext4 mount_failed 1
	fi
	umount /mnt/fsdax 2>/dev/null
	ndctl destroy-namespace -f all >/dev/null 2>&1
}

# Kernel functions the enable of a namespace is timed in (test module
# "timing", kretprobes), outermost first: the dax probe, memremap_pages()
# and inside it the hot-add (arch_add_memory(), per section
# sparse_add_section() and the vmemmap population), the zone resize
# and the memmap init.
TIMED="dev_dax_probe memremap_pages arch_add_memory sparse_add_section
__populate_section_memmap vmemmap_populate move_pfn_range_to_zone
memmap_init_zone_device"

# timed_enable SCENARIO ALIGN MAP NAMESPACE: enable NAMESPACE, print its
# wall time and the time spent in each of TIMED (us, summed over calls).
timed_enable() {
	_t=$PAGEINFO/timing
	[ -e "$_t" ] && echo "$TIMED" >"$_t"
	dmesg -c >/dev/null
	_us=$(elapsed -c ndctl enable-namespace "$4") || return 1
	b "$1" "$2" "$3" enable_us "${_us% *}"
	b "$1" "$2" "$3" cal_us "${_us#* }"
	init_ms "$1" "$2" "$3"
	[ -e "$_t" ] || return 0
	sed -n 's/^\([^ ]*\) calls=[0-9]* ns=\([0-9]*\)$/\1 \2/p' "$_t" |
		while read -r _fn _ns; do
			b "$1" "$2" "$3" "t_${_fn}_us" $((_ns / 1000))
		done
	echo >"$_t"
}

# controls: gup-fast get and put_page put on anonymous 4K pages (-T)
# and THP (-t), paths the series does not change. Five times the samples
# of the other rows: a sample costs milliseconds next to the seconds of
# faulting the memory in. The THP rows take one page per call (-n 1):
# a whole PMD per call made a get of about 1 ms, which scattered by
# +-10 % from one sample to the next and put one pair of a run at 0.80.
# They run with no device-dax device at all (the boot's hmem device is
# removed first, and the series' shared-tail key, which goes off a
# second later, waited for). "controls on":
# the same rows (control-on-*) while a 2M hmem device exists, whose
# deduplicated memmap turns the key on: what every compound_head() of
# the system then pays. The key's state is recorded (series only).
controls() {
	_p=control _hd=
	hmem_reset
	if [ "${1:-}" = on ]; then
		_p=control-on
		_hd=$(hmem_create 2M 512M) || b "$_p" 2M hmem create_failed 1
	elif [ -e "$PAGEINFO/shared_key" ]; then
		shared_key_off >/dev/null || true
	fi
	[ -e "$PAGEINFO/shared_key" ] && b "$_p" - - shared_key "$(cat "$PAGEINFO/shared_key")"
	gup "$_p-u-n512" 4K anon -m "$cmb" -n 512 -u -T -r $((reps * 5))
	gup "$_p-u-n1" 2M thp -m "$cmb" -n 1 -u -t -r $((reps * 5))
	[ -z "$_hd" ] || hmem_reset
}

case "$what" in
control)
	controls "${4:-}"
	;;
fsdax)
	fsdax_samples
	;;
gup)
	gup_samples "${3:-4K}"
	;;
main)
	# Controls first, before any namespace work, whose vmemmap
	# allocations leave the free lists in a different order on each
	# kernel (after it, the series' 4K anonymous gup-fast ran at 19 or
	# at 25-33 ms depending on the boot, base at 17-21 ms).
	controls
	for map in mem dev; do
		for align in 4K 2M 1G; do
			memmap_samples "$align" "$map"
		done
	done
	for align in 4K 2M 1G; do
		gup_samples "$align"
	done
	ns_destroy_all
	fsdax_samples
	;;
insn)
	# Under QEMU -icount (scripts/boot -I) the guest clock counts
	# executed instructions: the gup rows of main, and nothing else,
	# as instruction counts (1 us = 1000 instructions), and the
	# controls once more with the shared-tail key on.
	controls
	controls on
	for align in 4K 2M 1G; do
		gup_samples "$align"
	done
	ns_destroy_all
	fsdax_samples
	;;
big)
	# A 64 GiB namespace on the 65 GiB NVDIMM, --map=mem, 2M and 1G.
	nfit_reset >/dev/null
	for align in 2M 1G; do
		dev=$(ns_create nfit "$align" mem 64G) || { b enable64 "$align" mem create_failed 1; continue; }
		ns=$(ns_of_dax "$dev")
		b enable64 "$align" mem bytes "$(dax_size "$dev")"
		i=0
		while [ "$i" -lt "$reps" ]; do
			ndctl disable-namespace "$ns" >/dev/null 2>&1
			settle
			timed_enable enable64 "$align" mem "$ns" || { b enable64 "$align" mem enable_failed 1; break; }
			i=$((i + 1))
		done
		ns_destroy "$dev"
	done
	;;
scale)
	# One huge label-less NVDIMM namespace, 1G align, memmap in RAM.
	ns=$(ndctl list -N -i -r "$(region_of ACPI.NFIT)" | json dev)
	size=$(ndctl list -R -r "$(region_of ACPI.NFIT)" | json size)
	b scale 1G mem region_bytes "$size"
	b scale 1G mem memtotal_kb "$(memtotal_kb)"
	before=$(avail_kb)
	t0=$(now_ms)
	out=$(ndctl create-namespace -f -e "$ns" -m devdax -a 1G -M mem 2>&1)
	t1=$(now_ms)
	dev=$(echo "$out" | json chardev)
	# ndctl can report success when the namespace was reconfigured but
	# the dax device failed to probe (base: -ENOMEM for the memmap; its
	# character device then still exists): enabled means the device is
	# bound to its driver and data written through it reads back.
	if [ -n "$dev" ] && [ -e "/sys/bus/dax/devices/$dev/driver" ] &&
		daxmap data "/dev/$dev" "$(bytes 2G)" "$(bytes 1G)" >/dev/null 2>&1; then
		b scale 1G mem enabled 1
		b scale 1G mem free_kb $((before - $(avail_kb)))
		b scale 1G mem enable_ms $((t1 - t0))
		b scale 1G mem data_ok 1
	else
		b scale 1G mem enabled 0
		b scale 1G mem free_kb $((before - $(avail_kb)))
		{ echo "$out"; dmesg | grep -E 'probe of .* failed|alloc failure'; } | tail -3 | sed 's/^/# /'
	fi
	ndctl destroy-namespace -f "$ns" >/dev/null 2>&1 && b scale 1G mem destroyed 1
	;;
esac
true

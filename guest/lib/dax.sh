# shellcheck shell=sh
# Helpers for the guest tests: find the three kinds of dax memory
# (ACPI NFIT NVDIMM, e820 legacy pmem, hmem soft-reserved), create and
# destroy devices on them, read memory figures.

# Kernel kind from the local version: base, series or debug.
KIND=${KIND:-$(uname -r | sed 's/.*-//')}

# Bytes of a size with a K/M/G suffix.
bytes() {
	case "$1" in
	*K) echo $((${1%K} * 1024)) ;;
	*M) echo $((${1%M} * 1024 * 1024)) ;;
	*G) echo $((${1%G} * 1024 * 1024 * 1024)) ;;
	*) echo "$1" ;;
	esac
}

# Value of "key":value (string or number) in JSON on stdin, first match.
json() {
	grep -o "\"$1\":[^,}]*" | head -1 | sed 's/^[^:]*://; s/"//g'
}

# Region device of an ndctl bus provider (ACPI.NFIT or e820).
region_of() {
	ndctl list -R -b "$1" | json dev
}

# NFIT region with fresh labels, so namespaces can be carved with -s.
nfit_reset() {
	# Labels let several namespaces share the region (create -s SIZE).
	ndctl disable-region all >/dev/null &&
		ndctl init-labels -f all >/dev/null &&
		ndctl enable-region all >/dev/null
}

# Create a devdax namespace; print its dax device (e.g. dax0.1).
#   ns_create nfit|e820 ALIGN MAP [SIZE]
ns_create() {
	case "$1" in
	nfit) out=$(ndctl create-namespace -r "$(region_of ACPI.NFIT)" -m devdax \
		-a "$2" -M "$3" ${4:+-s "$4"}) ;;
	e820) out=$(ndctl create-namespace -f -e "$(e820_namespace)" -m devdax \
		-a "$2" -M "$3") ;;
	*) return 2 ;;
	esac || return 1
	echo "$out" | json chardev
}

# The single label-less namespace of the e820 region.
e820_namespace() {
	ndctl list -N -i -r "$(region_of e820)" | json dev
}

# Namespace that holds dax device $1: the nd_dax parent names it.
ns_of_dax() {
	cat "$(readlink -f "/sys/bus/dax/devices/$1")/../namespace"
}

# Destroy the namespace of dax device $1 (an e820 one goes back to raw).
ns_destroy() {
	ndctl destroy-namespace -f "$(ns_of_dax "$1")" >/dev/null 2>&1
}

# Destroy every namespace on every region.
ns_destroy_all() {
	ndctl destroy-namespace -f all >/dev/null 2>&1
	true
}

# hmem: the dax region id of /platform/hmem.N.
hmem_region() {
	daxctl list -R | sed -n '/"path":".*hmem/{n;s/.*"id":\([0-9]*\).*/\1/p;}'
}

# Free the hmem region: disable and shrink every device on it.
hmem_reset() {
	_hr=$(hmem_region)
	for _hd in $(daxctl list -r "$_hr" -D -i | grep -o '"chardev":"[^"]*"' | sed 's/.*:"//; s/"//'); do
		daxctl reconfigure-device -m devdax -f "$_hd" >/dev/null 2>&1
		daxctl disable-device "$_hd" >/dev/null 2>&1
		daxctl destroy-device "$_hd" >/dev/null 2>&1
	done
	true
}

# Create a dynamic dax device on the hmem region; print its name.
#   hmem_create ALIGN SIZE
hmem_create() {
	daxctl create-device -r "$(hmem_region)" -a "$1" -s "$2" 2>/dev/null | json chardev
}

# Start and size in bytes of nd device $1 (a namespace or region).
nd_start() { echo $(($(cat "/sys/bus/nd/devices/$1/resource"))); }
nd_size() { cat "/sys/bus/nd/devices/$1/size"; }

# Size in bytes and align of a dax device, from sysfs.
dax_size() { cat "/sys/bus/dax/devices/$1/size"; }
dax_align() { cat "/sys/bus/dax/devices/$1/align"; }

# First pfn of a dax device (its first range).
dax_start_pfn() {
	start=$(cat "/sys/bus/dax/devices/$1/resource")
	echo $((start / 4096))
}

memfree_kb() { sed -n 's/^MemFree: *\([0-9]*\) kB/\1/p' /proc/meminfo; }
memtotal_kb() { sed -n 's/^MemTotal: *\([0-9]*\) kB/\1/p' /proc/meminfo; }

# Drop caches so that MemFree moves only with what the test does.
settle() {
	sync
	echo 3 >/proc/sys/vm/drop_caches
}

# Free memory in kB, without the noise of MemFree: caches dropped, empty
# slabs handed back, and the pages on the per-cpu free lists counted as
# free (test module "free"; MemFree leaves them out and wanders by
# +-500 kB with them). Needs pageinfo_load. What is left is at most
# +-156 kB (measured: guest/tests/30-memmap-cost.sh, 90-cycles.sh).
free_kb() {
	settle
	# Reading "free" waits for pending RCU frees, so the slabs they
	# empty are empty before the shrink.
	cat "$PAGEINFO/free" >/dev/null
	for _s in /sys/kernel/slab/*/shrink; do
		[ -e "$_s" ] && echo 1 >"$_s"
	done
	sed -n 's/.* total=\([0-9]*\).*/\1/p' "$PAGEINFO/free" | awk '{ print $1 * 4 }'
}

# Hold N more pages in the test module (0: give them all back), so a
# leak test can show it sees a leak of that size.
leak_pages() { echo "$1" >"$PAGEINFO/leak"; }

# Milliseconds since boot (10 ms resolution).
now_ms() { awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime; }

PAGEINFO=/sys/kernel/debug/dax_pageinfo

# Load the test module; false when it is not in this initramfs.
pageinfo_load() {
	[ -d "$PAGEINFO" ] || insmod /opt/kmod/dax_pageinfo.ko 2>/dev/null
	[ -d "$PAGEINFO" ]
}

# pageinfo START NR [stride=S]: one line per pfn (guest/kmod/README.md).
pageinfo() {
	echo "$1 $2${3:+ $3}" >"$PAGEINFO/pages" && cat "$PAGEINFO/pages"
}

# vmemmap START NR [summary]: the pages backing the struct pages.
vmemmap_of() {
	echo "$1 $2${3:+ $3}" >"$PAGEINFO/vmemmap" && cat "$PAGEINFO/vmemmap"
}

# log2 of a power of two (busybox awk has no math).
log2() {
	_l=0
	while [ $((1 << _l)) -lt "$1" ]; do _l=$((_l + 1)); done
	echo "$_l"
}

# Compound order this kernel uses for a device of align $1 (bytes): the
# series describes align > 4K as compound pages, the base kernel never.
expected_order() {
	if [ "$KIND" = base ] || [ "$1" -le 4096 ]; then
		echo 0
	else
		echo $(($(log2 "$1") - 12))
	fi
}

# Free memory in kB: free_kb when the test module is loaded, else the
# (noisier) MemFree after dropping caches.
avail_kb() {
	if [ -d "$PAGEINFO" ]; then
		free_kb
	else
		settle
		memfree_kb
	fi
}

# Enable cost of a disabled-then-enabled device: prints "KB US CAL", the
# drop of avail_kb in kB, the wall time of the enable in us and the
# host-speed reference measured around it (elapsed -c, guest/src/cal.h).
#   enable_cost ns NAMESPACE | enable_cost dax DAXDEV
enable_cost() {
	case "$1" in
	ns) off="ndctl disable-namespace $2" on="ndctl enable-namespace $2" ;;
	dax) off="daxctl disable-device $2" on="daxctl enable-device $2" ;;
	esac
	$off >/dev/null 2>&1 || return 1
	before=$(avail_kb)
	# shellcheck disable=SC2086 # $on is a command line
	us=$(elapsed -c $on) || return 1
	echo "$((before - $(avail_kb))) $us"
}

# on_devices FUNC SPEC...: for each SPEC "where:align:map" (where is
# nfit, e820 or hmem; hmem devices are dynamic and take map "mem"),
# create the device (3G on NFIT, the whole e820 region, 2G of hmem),
# call FUNC "WHAT" DEV ALIGN MAP, then destroy it. A device that cannot
# be created is a failed test.
on_devices() {
	_od_fn=$1
	shift
	nfit_reset >/dev/null
	hmem_reset
	for _od_spec; do
		_od_w=${_od_spec%%:*}
		_od_r=${_od_spec#*:}
		_od_a=${_od_r%%:*}
		_od_m=${_od_r#*:}
		_od_what="$_od_w align=$_od_a map=$_od_m"
		case "$_od_w" in
		nfit) _od_dev=$(ns_create nfit "$_od_a" "$_od_m" 3G) ;;
		e820) _od_dev=$(ns_create e820 "$_od_a" "$_od_m") ;;
		hmem) _od_dev=$(hmem_create "$_od_a" 2G) ;;
		esac
		if [ -z "$_od_dev" ]; then
			not_ok "$_od_what: device created"
			continue
		fi
		"$_od_fn" "$_od_what" "$_od_dev" "$_od_a" "$_od_m"
		case "$_od_w" in
		hmem) hmem_reset ;;
		*) ns_destroy "$_od_dev" ;;
		esac
	done
}

# on_aligned FUNC: on a fresh NFIT region, a 2M --map=mem device on a 3G
# namespace and a 1G one on a 4G namespace (the 1G device loses its first
# GiB to the info block: three 1G units are left); call FUNC ALIGN
# ALIGN_BYTES DEV for each, then destroy its namespace (FUNC may disable
# and re-enable it). A device that cannot be created is a failed test.
on_aligned() {
	nfit_reset >/dev/null
	for _oa in 2M:3G 1G:4G; do
		_oa_al=${_oa%:*}
		_oa_dev=$(ns_create nfit "$_oa_al" mem "${_oa#*:}")
		if [ -z "$_oa_dev" ]; then
			not_ok "align=$_oa_al: device created"
			continue
		fi
		_oa_ns=$(ns_of_dax "$_oa_dev")
		"$1" "$_oa_al" "$(bytes "$_oa_al")" "$_oa_dev"
		ndctl destroy-namespace -f "$_oa_ns" >/dev/null 2>&1
	done
}

# field NAME: the value of NAME=VALUE in the first line on stdin that
# has one (lines of space-separated NAME=VALUE words).
field() {
	tr ' ' '\n' | sed -n "s/^$1=//p" | head -1
}

# pgmap_check START NR: check that every reader of page->pgmap gives the
# pfn's own dev_pagemap, tails through their head (test module "pgmap");
# prints "checked=N tails=T mismatch=M [first_pfn=P check=C ...]".
pgmap_check() {
	echo "$1 $2" >"$PAGEINFO/pgmap" && cat "$PAGEINFO/pgmap"
}

# layout_check START NR ORDER: pgmap_check plus the struct-page layout of
# compound pages of ORDER for every pfn (test module "pgmap ... order=");
# prints "checked=N tails=T order=O heads=H busy=B hwpoison=P mismatch=M
# [first_pfn=P check=C]". busy: heads mapped or pinned.
layout_check() {
	echo "$1 $2 order=$3" >"$PAGEINFO/pgmap" && cat "$PAGEINFO/pgmap"
}

# refbias PFN N: hold N extra references on the compound head of PFN (0:
# none), so a test can put a head's refcount near INT_MAX; prints
# "pfn=P head_pfn=H bias=N refcount=R". A device whose head holds a bias
# cannot be disabled: set it back to 0 first (unloading drops it too).
refbias() {
	echo "$1 $2" >"$PAGEINFO/refbias" && cat "$PAGEINFO/refbias"
}

# kmsg_mark TEXT puts a marker line in the kernel log; dmesg_since TEXT
# prints the log after the last marker TEXT (all of it if there is none),
# so a test reads only what its own step made the kernel log.
kmsg_mark() {
	echo "dax-test: $1" >/dev/kmsg 2>/dev/null
	true
}
dmesg_since() {
	dmesg | awk -v m="dax-test: $1" '
	{ line[NR] = $0 }
	substr($0, length($0) - length(m) + 1) == m { from = NR }
	END { for (i = from + 1; i <= NR; i++) print line[i] }'
}

# shared_key_off: wait up to 30 s for compound_head()'s shared-tail
# static key (series) to go off, which it does a second after the last
# deduplicated memmap went; print the seconds waited, fail if it stayed
# on.
shared_key_off() {
	_k=0
	until [ "$(cat "$PAGEINFO/shared_key")" = 0 ]; do
		if [ "$_k" -ge 30 ]; then
			echo "$_k"
			return 1
		fi
		sleep 1
		_k=$((_k + 1))
	done
	echo "$_k"
}

# wait_line FILE PID WORD: wait up to 60 s for a line with WORD in FILE,
# the output of background process PID (a daxmap holding pages until
# its fifo closes); fails at once when PID exits first.
wait_line() {
	_w=0
	until grep -q "$3" "$1"; do
		if [ "$_w" -ge 60 ] || ! kill -0 "$2" 2>/dev/null; then
			grep -q "$3" "$1"
			return
		fi
		sleep 1
		_w=$((_w + 1))
	done
}

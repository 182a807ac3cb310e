#!/bin/sh
# Allocation failure during enable. A device-dax enable allocates the
# vmemmap of its struct pages (with the series: the unique pages, the
# shared tail pages and 4K PTE tables), KASAN shadow page tables, the
# pgmap's per-cpu reference and driver objects. Binding the device with
# the N-th page allocation of the binding task failing, for N = 1, 2, ...
# until a bind needs fewer than N allocations, every failure point of the
# enable is hit once:
#  - the bind fails with an error (or, if the allocation had a fallback,
#    succeeds with the exact layout),
#  - the device is left unbound, with no vmemmap page of its range still
#    mapped (no section half-added),
#  - the next bind works: after the sweep an enable without injection
#    gives the exact memmap (every pfn's layout, 1 distinct vmemmap page
#    per compound page) and data written through the device reads back,
#  - free memory is back within 512 kB once the device is unbound again
#    (free_kb scatters by +-156 kB; a page lost per failed point over the
#    ~260 points of the 2M sweep is ~1 MiB, and so was the memmap of the
#    device when the sweep forgot to unbind it after the last, successful
#    bind: its vmemmap pages and PTE tables, 968-1156 kB in four runs
#    with the two-page layout. The 1G sweep has a few tens of
#    points at most, too few for a total to see a page per point: its
#    per-point vmemmap walk is the check there.) Not on the
#    sanitizer kernel: KASAN's quarantine and stack depot hold memory for
#    the new allocation and failure paths.
# The injection is the task's own fail-nth (CONFIG_FAULT_INJECTION, with
# fail_page_alloc's filters opened to every order and gfp mask): only the
# subshell that writes the bind file fails, nothing else in the guest.
# The base kernel oopses at the first point (x86 maps the new memory
# into the direct map with page tables it does not check for NULL) and
# keeps the sections added before a failure: the series fixes both, the
# sweep runs on the series and the sanitizer kernel.
# shellcheck source=guest/lib/tap.sh
. /opt/lib/tap.sh
# shellcheck source=guest/lib/dax.sh
. /opt/lib/dax.sh

F=/sys/kernel/debug/fail_page_alloc
BIND=/sys/bus/dax/drivers/device_dax/bind
# More points than any sweep needs (a 2M device of 256M: about 300):
# a sweep that does not end by then is a failure, not an endless loop.
MAX_POINTS=1500
TOL_KB=512

if [ "$KIND" = base ]; then
	skip "allocation failure during enable" "base oopses at the first failed direct-map page table (fixed by the series)"
	exit 0
fi
if [ ! -d "$F" ] || [ ! -e /proc/thread-self/fail-nth ]; then
	skip "allocation failure during enable" "no fault injection in this kernel (configs/lean.config has it)"
	exit 0
fi
if ! pageinfo_load; then
	skip "allocation failure during enable" "test module not in the initramfs"
	exit 0
fi
for _k in ignore-gfp-wait ignore-gfp-highmem; do echo N >"$F/$_k"; done
echo 0 >"$F/min-order"
# one line per injected failure, no stack dump
echo 1 >"$F/verbose"

# bind_nth DEV N: bind DEV to device_dax with the N-th page allocation of
# the writing task failing; prints "RC LEFT": the write's status and 0
# when the failure was injected (the allocations ran out before N else).
# A read of fail-nth that fails was failed by the injection itself (the
# bind did not reach N): also 0. The counter is cleared before the
# result goes into the pipe, whose buffer is a page allocation too.
bind_nth() {
	(
		echo "$2" >/proc/thread-self/fail-nth
		_rc=0
		echo "$1" >"$BIND" 2>/dev/null || _rc=1
		_left=0
		read -r _left </proc/thread-self/fail-nth 2>/dev/null
		echo 0 >/proc/thread-self/fail-nth 2>/dev/null
		echo "$_rc ${_left:-0}"
	)
}

bound() { [ -e "/sys/bus/dax/devices/$1/driver" ]; }

# The /proc/meminfo counters a lost page could hide in, "Name kB" lines
MEMINFO_KEYS='^(Slab|SUnreclaim|KernelStack|PageTables|VmallocUsed|Percpu|AnonPages|Shmem):'
meminfo_snap() { grep -E "$MEMINFO_KEYS" /proc/meminfo | awk '{ print $1, $2 }'; }

# summary_of DEV FIELD: FIELD of the vmemmap walk over DEV's pfns
summary_of() {
	vmemmap_of "$(dax_start_pfn "$1")" $(($(dax_size "$1") / 4096)) summary | field "$2"
}

# sweep ALIGN DEV
sweep() {
	_al=$1 _dev=$2
	_a=$(bytes "$_al")
	_S=$(dax_start_pfn "$_dev")
	_npfn=$(($(dax_size "$_dev") / 4096))
	_order=$(expected_order "$_a")
	_ncomp=$((_npfn >> _order))
	daxctl disable-device "$_dev" >/dev/null 2>&1
	if bound "$_dev"; then
		not_ok "align=$_al: device disabled for the sweep"
		return
	fi
	_free0=$(free_kb)
	_mi0=$(meminfo_snap)
	_n=1 _failed=0 _tolerated=0 _noerr="" _left_bound="" _mapped="" _badlayout=""
	while [ "$_n" -le "$MAX_POINTS" ]; do
		_r=$(bind_nth "$_dev" "$_n")
		_rc=${_r% *}
		[ "${_r#* }" = 0 ] || break
		if bound "$_dev"; then
			# the allocation had a fallback: the enable must be whole
			_tolerated=$((_tolerated + 1))
			[ "$_rc" = 0 ] || _noerr=${_noerr:-$_n}
			_l=$(layout_check "$_S" "$_npfn" "$_order")
			[ "$(echo "$_l" | field mismatch)" = 0 ] || _badlayout=${_badlayout:-"$_n: $_l"}
			daxctl disable-device "$_dev" >/dev/null 2>&1
		else
			_failed=$((_failed + 1))
			[ "$_rc" != 0 ] || _noerr=${_noerr:-$_n}
		fi
		if bound "$_dev"; then
			_left_bound=${_left_bound:-$_n}
			daxctl disable-device "$_dev" >/dev/null 2>&1
		fi
		_p=$(summary_of "$_dev" pages)
		[ "$_p" = 0 ] || _mapped=${_mapped:-"$_n ($_p vmemmap pages)"}
		_n=$((_n + 1))
	done
	# the bind that needed fewer than N allocations has bound the device
	bound "$_dev" && daxctl disable-device "$_dev" >/dev/null 2>&1
	diag "align=$_al: $((_n - 1)) failure points, $_failed enables failed, $_tolerated succeeded anyway"
	if [ "$_n" -gt "$MAX_POINTS" ]; then
		not_ok "align=$_al: the sweep ends (an enable needs fewer than $MAX_POINTS page allocations)"
		return
	fi
	is "$_failed" "$((_n - 1 - _tolerated))" "align=$_al: the sweep reached the enable's allocations ($((_n - 1)) points)"
	is "${_noerr:-none}" none "align=$_al: an enable that failed returned an error, one that worked returned none"
	is "${_left_bound:-none}" none "align=$_al: a device whose enable failed is left unbound"
	is "${_mapped:-none}" none "align=$_al: no vmemmap page of the range is left mapped after a failed enable"
	is "${_badlayout:-none}" none "align=$_al: an enable that survived a failed allocation has the exact layout"
	_lost=$((_free0 - $(free_kb)))
	# where the memory went: the counters that moved over the sweep
	diag "align=$_al: meminfo change over the sweep (kB): $(meminfo_snap |
		awk -v before="$_mi0" 'BEGIN { n = split(before, b, "\n")
			for (i = 1; i <= n; i++) { split(b[i], f, " "); v[f[1]] = f[2] } }
			$2 != v[$1] { printf "%s %+d ", $1, $2 - v[$1] }')"
	if [ "$KIND" = debug ]; then
		skip "align=$_al: free memory after the sweep (lost $_lost kB)" "KASAN's quarantine and stack depot hold memory for the new failure paths"
	else
		within "$_lost" 0 "$TOL_KB" "align=$_al: free memory after the sweep within $TOL_KB kB of before (lost $_lost kB)"
	fi
	check "align=$_al: daxctl enables the device after the sweep" daxctl enable-device "$_dev"
	_l=$(layout_check "$_S" "$_npfn" "$_order")
	is "$(echo "$_l" | field mismatch)" 0 "align=$_al: every pfn has the compound layout of order $_order ($_l)"
	if [ "$_order" -gt 0 ]; then
		is "$(summary_of "$_dev" distinct)" $((_ncomp + 1)) \
			"align=$_al: 1 distinct vmemmap page per compound page ($_ncomp) and the shared tails"
	fi
	check "align=$_al: data written through the device reads back" \
		daxmap data "/dev/$_dev" "$(dax_size "$_dev")" "$_al"
}

nfit_reset >/dev/null
# 512M: the range spans sections, so a failure in a later one finds the
# earlier ones populated; ~260 failure points (one per vmemmap page of
# its own, PTE table and page-table level, the shared page of tails)
dev=$(ns_create nfit 2M mem 512M)
if [ -n "$dev" ]; then sweep 2M "$dev"; else not_ok "align=2M: device created"; fi
ns_destroy_all
# a 3G namespace keeps two 1G pages after its info block: the second
# finds the shared page of tails and PTE table that the first made
dev=$(ns_create nfit 1G mem 3G)
if [ -n "$dev" ]; then sweep 1G "$dev"; else not_ok "align=1G: device created"; fi
ns_destroy_all

#!/bin/sh
# Teardown balances: enable/disable cycles and align changes of one
# e820 namespace give back every page they take. A vmemmap page or PTE
# table that is not freed shows here as lost memory; one freed too
# early shows as "bad page" in the log, which the runner checks.
#
# Free memory is read with free_kb (guest/lib/dax.sh: per-cpu free lists
# counted, caches and empty slabs dropped), every STEP cycles over
# CYCLES cycles after WARMUP warm-up cycles, and the leak per cycle is
# the least-squares slope through those 13 readings. Single readings
# scatter by up to 156 kB with nothing leaking (slab fragmentation left
# by each cycle), and after a busy suite free memory can creep up while
# caches drain. Measured over 11 runs on base, series and the debug
# kernel, idle and loaded: slopes -2.04..+0.19 kB per cycle with no
# leak, 4.02..4.85 with one page (4 kB) leaked per cycle on purpose.
# MAX_SLOPE, 2 kB (half a page) per cycle, sits between the two, about
# 2 kB per cycle from the worst of either; the injected leak is run in
# every check, so a measurement that could no longer see it turns red.
# A single difference of two readings may lose at most TOL_KB, twice
# the largest scatter. It is one-sided: free memory that grows over the
# cycles (caches draining after a busy suite: one base run gained 380 kB
# over 120 cycles, slope -1.6 kB per cycle) is no teardown defect, and a
# leak of a page per cycle loses 480 kB.
# shellcheck source=guest/lib/tap.sh
. /opt/lib/tap.sh
# shellcheck source=guest/lib/dax.sh
. /opt/lib/dax.sh

if ! pageinfo_load; then
	skip "enable/disable cycles" "test module not in the initramfs"
	exit 0
fi
WARMUP=10
CYCLES=120
STEP=10
MAX_SLOPE=2
TOL_KB=320

# measure NS [LEAK]: warm up, then CYCLES enable/disable cycles of NS
# (with LEAK, the test module holds LEAK more pages per cycle), reading
# free_kb every STEP cycles. Prints "FAILURES LOST_KB SLOPE": the kB
# lost from the first reading to the last and the least-squares slope
# of the kB lost per cycle (3 decimals).
measure() {
	_f=0 _i=0
	while [ "$_i" -lt "$WARMUP" ]; do
		ndctl enable-namespace "$1" >/dev/null 2>&1 && ndctl disable-namespace "$1" >/dev/null 2>&1
		_i=$((_i + 1))
	done
	_i=0
	_pts="0 $(free_kb)"
	while [ "$_i" -lt "$CYCLES" ]; do
		ndctl enable-namespace "$1" >/dev/null 2>&1 || _f=$((_f + 1))
		ndctl disable-namespace "$1" >/dev/null 2>&1 || _f=$((_f + 1))
		[ -z "${2:-}" ] || leak_pages "$2"
		_i=$((_i + 1))
		[ $((_i % STEP)) = 0 ] && _pts="$_pts
$_i $(free_kb)"
	done
	echo "$_pts" | tr '\n' ' ' | sed 's/^/# free_kb by cycle: /' >&2
	echo >&2
	echo "$_pts" | awk -v f="$_f" '
		{ x[NR] = $1; y[NR] = $2; sx += $1; sy += $2 }
		END {
			mx = sx / NR; my = sy / NR
			for (i = 1; i <= NR; i++) { sxy += (x[i] - mx) * (y[i] - my); sxx += (x[i] - mx) * (x[i] - mx) }
			printf "%d %d %.3f\n", f, y[1] - y[NR], -sxy / sxx
		}'
}

# slope_ok SLOPE: true when SLOPE (kB per cycle, a number) is at most
# MAX_SLOPE.
slope_ok() {
	case "$1" in
	'' | *[!0-9.-]*) return 2 ;;
	esac
	awk -v s="$1" -v m="$MAX_SLOPE" 'BEGIN { exit !(s + 0 <= m + 0) }'
}

ns=$(e820_namespace)
dev=$(ns_create e820 2M mem)
ndctl disable-namespace "$ns" >/dev/null
# shellcheck disable=SC2046 # three numbers
set -- $(measure "$ns")
diag "e820 2M: $CYCLES cycles lost $2 kB, slope $3 kB per cycle"
is "$1" 0 "e820 2M: $CYCLES enable/disable cycles succeed"
# after the cycles, every pfn of the device has its layout
if ndctl enable-namespace "$ns" >/dev/null 2>&1; then
	res=$(layout_check "$(dax_start_pfn "$dev")" $(($(dax_size "$dev") / 4096)) "$(expected_order 2097152)")
	case "$res" in
	*" mismatch=0"*) ok "e820 2M: after $CYCLES cycles every pfn has its layout ($res)" ;;
	*) not_ok "e820 2M: after $CYCLES cycles every pfn has its layout"; diag "  $res" ;;
	esac
	ndctl disable-namespace "$ns" >/dev/null
else
	not_ok "e820 2M: enabled after the cycles"
fi
if slope_ok "$3"; then
	ok "e820 2M: memory lost per enable/disable cycle is at most $MAX_SLOPE kB ($3)"
else
	not_ok "e820 2M: memory lost per enable/disable cycle is at most $MAX_SLOPE kB ($3)"
fi
at_most "$2" "$TOL_KB" "e820 2M: kB lost over $CYCLES enable/disable cycles"

# The same with one page held per cycle: the slope check must turn red.
# shellcheck disable=SC2046
set -- $(measure "$ns" 1)
leak_pages 0
diag "e820 2M, 1 page leaked per cycle: $CYCLES cycles lost $2 kB, slope $3 kB per cycle"
if slope_ok "$3" || [ $? = 2 ]; then
	not_ok "e820 2M: an injected leak of 1 page (4 kB) per cycle is seen (slope $3, bound $MAX_SLOPE)"
else
	ok "e820 2M: an injected leak of 1 page (4 kB) per cycle is seen (slope $3 > $MAX_SLOPE)"
fi

# Align changes: reconfiguring the namespace replaces its seed devices
# and their sysfs nodes, so the first round warms up, the second is
# measured.
fails=0
for round in warm-up measured; do
	[ "$round" = measured ] && f0=$(free_kb)
	for align in 1G 4K 2M 1G; do
		dev=$(ns_create e820 "$align" mem) || fails=$((fails + 1))
		ndctl disable-namespace "$ns" >/dev/null 2>&1
	done
done
is "$fails" 0 "e820: align changes 1G, 4K, 2M, 1G succeed (twice)"
at_most $((f0 - $(free_kb))) "$TOL_KB" "e820: kB lost over a round of align changes"
ndctl enable-namespace "$ns" >/dev/null 2>&1
check "e820: data round trip after the cycles" daxmap data "/dev/$dev" "$(bytes 2G)" "$(bytes 1G)"
ns_destroy_all

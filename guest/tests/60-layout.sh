#!/bin/sh
# Struct-page layout of device-dax memory, read through the test module:
# on the series, align 2M/1G memory is compound pages of that order
# (heads where the align says, tails pointing at their head with
# refcount 0); 4K devices and the base kernel have order-0 pages with
# refcount 1. After a fault the page that stands for the mapping (the
# head, or every page on base) carries the mapping and its file offset.
# shellcheck source=guest/lib/tap.sh
. /opt/lib/tap.sh
# shellcheck source=guest/lib/dax.sh
. /opt/lib/dax.sh

if ! pageinfo_load; then
	skip "struct-page layout" "test module not in the initramfs"
	exit 0
fi

# check_layout WHAT: pageinfo lines on stdin; O order, S data start pfn.
# Prints "ok N" or the first offending line.
check_layout() {
	awk -v o="$O" -v nr=$((1 << O)) '
	function bad(why) { print why ": " $0; exit 1 }
	{
		for (i = 1; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
		p = f["pfn"]; h = p - p % nr
		if (!("head" in f)) bad("unreadable")
		if (f["zone_device"] != 1) bad("not ZONE_DEVICE")
		if (f["order"] != o) bad("order")
		if (f["head_pfn"] != h) bad("head_pfn")
		if (o == 0) {
			if (f["head"] != 0 || f["tail"] != 0) bad("compound flags on order 0")
			if (f["refcount"] != 1) bad("idle refcount")
		} else if (p == h) {
			if (f["head"] != 1 || f["tail"] != 0) bad("head flags")
			if (f["refcount"] != 1) bad("idle head refcount")
		} else {
			if (f["head"] != 0 || f["tail"] != 1) bad("tail flags")
			if (f["refcount"] != 0) bad("tail refcount")
		}
		n++
	}
	END { if (n == 0) { print "no lines"; exit 1 } print "ok " n }'
}

# layout_tests WHAT DEV ALIGN
layout_tests() {
	a=$(bytes "$3")
	O=$(expected_order "$a")
	S=$(dax_start_pfn "$2")
	npfn=$(($(dax_size "$2") / 4096))
	nr=$((1 << O))
	# Every pfn of the first 64 MiB, then for every compound page its
	# head, second and last pfn, then 64 random pfns.
	first=$((npfn < 16384 ? npfn : 16384))
	res=$(pageinfo "$S" "$first" | check_layout)
	case "$res" in ok*) ok "$1: every pfn of the first $first ($res)" ;;
	*) not_ok "$1: every pfn of the first $first"; diag "  $res" ;; esac

	stride=$((nr > 1 ? nr : 512))
	res=$(for o in 0 1 $((stride - 1)); do
		pageinfo $((S + o)) $((npfn / stride)) "stride=$stride"; done | check_layout)
	case "$res" in ok*) ok "$1: head, second and last pfn of every compound page ($res)" ;;
	*) not_ok "$1: head, second and last pfn of every compound page"; diag "  $res" ;; esac

	res=$(r=$$; i=0; while [ $i -lt 64 ]; do
		r=$(((r * 1103515245 + 12345) % 2147483648))
		pageinfo $((S + r % npfn)) 1; i=$((i + 1)); done | check_layout)
	case "$res" in ok*) ok "$1: 64 random pfns ($res)" ;;
	*) not_ok "$1: 64 random pfns"; diag "  $res" ;; esac

	# Fault the first two align-sized units in; the mapping and file
	# offset live on the head (on every 4K page of the base kernel).
	daxmap data "/dev/$2" $((2 * a)) "$a" >/dev/null
	line=$(pageinfo $((S + nr)) 1)
	idx=$(echo "$line" | sed 's/.* index=\([0-9]*\).*/\1/')
	map=$(echo "$line" | sed 's/.* mapping=\([0-9a-fx]*\).*/\1/')
	if [ "$map" != 0x0 ] && [ "$idx" = "$nr" ]; then
		ok "$1: after a fault the head of the second unit has mapping $map and index $nr"
	else
		not_ok "$1: after a fault the head of the second unit has a mapping and index $nr"
		diag "  $line"
	fi
	if [ "$O" = 0 ] && [ "$a" -gt 4096 ]; then
		line=$(pageinfo $((S + a / 4096 + 1)) 1)
		case "$line" in
		*" mapping=0x0 "*) not_ok "$1: order-0 kernel sets the mapping on every 4K page"; diag "  $line" ;;
		*) ok "$1: order-0 kernel sets the mapping on every 4K page" ;;
		esac
	fi
}

on_devices layout_tests nfit:4K:mem nfit:4K:dev nfit:2M:mem nfit:2M:dev \
	nfit:1G:mem nfit:1G:dev e820:1G:mem hmem:2M:mem hmem:1G:mem

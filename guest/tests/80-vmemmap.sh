#!/bin/sh
# Which physical pages back the vmemmap of a device, from a walk of the
# kernel page tables (test module). With the series and no altmap, a
# compound page of 2M or 1G keeps two vmemmap pages of its own (head
# page, first tail page) and every later vmemmap page of it maps that
# tail page, read-only; base kernels, 4K devices and --map=dev keep one
# vmemmap page per 64 struct pages.
# shellcheck source=guest/lib/tap.sh
. /opt/lib/tap.sh
# shellcheck source=guest/lib/dax.sh
. /opt/lib/dax.sh

if ! pageinfo_load; then
	skip "vmemmap layout" "test module not in the initramfs"
	exit 0
fi

# vmemmap_tests WHAT DEV ALIGN MAP
vmemmap_tests() {
	a=$(bytes "$3")
	S=$(dax_start_pfn "$2")
	npfn=$(($(dax_size "$2") / 4096))
	nr=$((a / 4096))
	# vmemmap pages per compound page (64 struct pages per 4K page)
	V=$((nr / 64))
	[ "$V" -lt 1 ] && V=1
	ncomp=$((npfn / nr))
	dedup=0
	[ "$(expected_order "$a")" -gt 0 ] && [ "$4" = mem ] && [ "$V" -gt 2 ] && dedup=1
	out=$(vmemmap_of "$S" "$npfn")
	summary=$(echo "$out" | tail -1)
	pages=$(echo "$summary" | sed 's/.* pages=\([0-9]*\).*/\1/')
	distinct=$(echo "$summary" | sed 's/.* distinct=\([0-9]*\).*/\1/')
	is "$pages" $((npfn / 64)) "$1: vmemmap pages mapped for $npfn struct pages"
	# The series' memmap init says how many struct pages it wrote: with
	# deduplication those of the distinct vmemmap pages (64 each), else
	# one per pfn it initialised. Its pfns are those of the pgmap, which
	# with --map=mem also covers the info block's reservation before
	# the device's first pfn.
	line=$(dmesg | grep 'memmap_init_zone_device initialised' | tail -1)
	case "$line" in
	*"struct pages for"*)
		written=$(echo "$line" | sed 's/.* initialised \([0-9]*\) struct pages for \([0-9]*\) pfns.*/\1/')
		pfns=$(echo "$line" | sed 's/.* initialised \([0-9]*\) struct pages for \([0-9]*\) pfns.*/\2/')
		if [ "$dedup" = 1 ]; then
			all=$(vmemmap_of $((S - (pfns - npfn))) "$pfns" summary | sed 's/.* distinct=\([0-9]*\).*/\1/')
			is "$written" $((all * 64)) "$1: memmap init wrote the struct pages of the distinct vmemmap pages only ($pfns pfns)"
		else
			is "$written" "$pfns" "$1: memmap init wrote one struct page per pfn"
		fi
		;;
	*)
		if [ "$KIND" = base ]; then
			skip "$1: memmap init counts the struct pages it wrote" "base kernel: counts pfns"
		else
			not_ok "$1: memmap init says how many struct pages it wrote"
			diag "  got '$line'"
		fi
		;;
	esac
	if [ "$dedup" = 1 ]; then
		is "$distinct" $((2 * ncomp)) "$1: 2 distinct vmemmap pages per compound page ($ncomp)"
		res=$(echo "$out" | grep '^vaddr=' | awk -v v="$V" '
		{ split($2, kv, "="); p = kv[2]; j = NR - 1; k = int(j / v); j = j % v }
		j == 0 { head = p; next }
		j == 1 { tail = p; if (tail == head) { print "page " k ": tail page is the head page"; exit 1 } next }
		p != tail { print "page " k ": vmemmap page " j " maps " p ", not the tail page " tail; exit 1 }
		END { print "ok" }')
		is "$res" ok "$1: every vmemmap page past the second of a compound page maps its tail page"
		# the series maps those aliases read-only, its own two pages not
		res=$(echo "$out" | grep '^vaddr=' | awk -v v="$V" '
		{ j = (NR - 1) % v; want = (j >= 2) ? "ro=1" : "ro=0" }
		$NF != want { print "page " int((NR - 1) / v) ": vmemmap page " j " has " $NF ", want " want; exit 1 }
		END { print "ok" }')
		is "$res" ok "$1: the shared tail page is read-only where it is mapped again, writable where it is its own"
	else
		is "$distinct" "$pages" "$1: every vmemmap page is distinct"
		res=$(echo "$out" | grep '^vaddr=' | awk '$NF != "ro=0" { print $0; exit 1 } END { print "ok" }')
		is "$res" ok "$1: every vmemmap page is writable"
	fi
}

on_devices vmemmap_tests nfit:4K:mem nfit:4K:dev nfit:2M:mem nfit:2M:dev \
	nfit:1G:mem nfit:1G:dev e820:2M:mem e820:1G:mem hmem:2M:mem hmem:1G:mem

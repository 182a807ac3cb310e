#!/bin/sh
# Which physical pages back the vmemmap of a device, from a walk of the
# kernel page tables (test module). With the series and no altmap, a
# compound page of 2M or 1G keeps one vmemmap page of its own (head and
# first 63 tails), writable; every later vmemmap page of it maps one page
# of tails that all compound pages of the node and order share,
# read-only. A PTE table that maps nothing but that page (7 of the 8 of
# a 1G page) is one table shared by all 1G pages of the node. Base
# kernels, 4K devices and --map=dev keep one vmemmap page per 64 struct
# pages.
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
			# every distinct page but the shared tails
			all=$(vmemmap_of $((S - (pfns - npfn))) "$pfns" summary | sed 's/.* distinct=\([0-9]*\).*/\1/')
			is "$written" $(((all - 1) * 64)) "$1: memmap init wrote the struct pages of each compound page's own vmemmap page only ($pfns pfns)"
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
		is "$distinct" $((ncomp + 1)) "$1: 1 distinct vmemmap page per compound page ($ncomp) and 1 shared"
		# page 0 of every compound page is its own and writable; all
		# the others map one page, read-only
		res=$(echo "$out" | grep '^vaddr=' | awk -v v="$V" '
		{ split($2, kv, "="); p = kv[2]; j = (NR - 1) % v; k = int((NR - 1) / v) }
		j == 0 && $NF != "ro=0" { print "page " k ": own vmemmap page has " $NF; exit 1 }
		j == 0 { if (p in own) { print "page " k ": own vmemmap page " p " also used by page " own[p]; exit 1 } own[p] = k; next }
		$NF != "ro=1" { print "page " k ": vmemmap page " j " has " $NF ", want ro=1"; exit 1 }
		shared == "" { shared = p }
		p != shared { print "page " k ": vmemmap page " j " maps " p ", not the shared tails " shared; exit 1 }
		END { for (p in own) if (p == shared) { print "shared tails " p " are a compound page'"'"'s own page"; exit 1 }
		      print "ok" }')
		is "$res" ok "$1: every vmemmap page past the first of a compound page maps the shared tails, read-only"
		# PTE tables: 2M compound pages share them with their
		# neighbours (64 per table); a 1G page has a table of its own
		# for its first 2M of vmemmap and the shared one for the 7 others
		tables=$(echo "$summary" | sed 's/.* pte_tables=\([0-9]*\).*/\1/')
		if [ "$V" -ge 1024 ]; then
			want=$((ncomp + 1))
		else
			# the PMDs (2 MiB of vmemmap each) the range touches
			want=$((((S + npfn) * 64 - 1) / 2097152 - S * 64 / 2097152 + 1))
		fi
		is "$tables" "$want" "$1: $want PTE tables map the memmap of $ncomp compound pages"
	else
		is "$distinct" "$pages" "$1: every vmemmap page is distinct"
		res=$(echo "$out" | grep '^vaddr=' | awk '$NF != "ro=0" { print $0; exit 1 } END { print "ok" }')
		is "$res" ok "$1: every vmemmap page is writable"
	fi
}

on_devices vmemmap_tests nfit:4K:mem nfit:4K:dev nfit:2M:mem nfit:2M:dev \
	nfit:1G:mem nfit:1G:dev e820:2M:mem e820:1G:mem hmem:2M:mem hmem:1G:mem

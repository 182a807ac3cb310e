#!/bin/sh
# page->pgmap read through the compound head: in a compound devmap page
# the pgmap word of a tail holds its compound_head, so page_pgmap() and
# the ZONE_DEVICE predicates built on it (is_device_private_page(),
# is_pci_p2pdma_page()) must go through the head. The test module checks
# every pfn of a device: the pgmap the page gives is the one
# get_dev_pagemap() finds for the pfn, and each predicate says the same
# for the page as for its head. (page_is_devmap_managed() takes a head:
# its callers, the put paths, look the head up first.) On the base
# kernel (order-0 pages, no tails) the raw word is right by construction;
# the check then shows that the module reads what the kernel reads.
# shellcheck source=guest/lib/tap.sh
. /opt/lib/tap.sh
# shellcheck source=guest/lib/dax.sh
. /opt/lib/dax.sh

if ! pageinfo_load; then
	skip "pgmap of compound tails" "test module not in the initramfs"
	exit 0
fi

# pgmap_tests WHAT DEV ALIGN
pgmap_tests() {
	a=$(bytes "$3")
	per=$((1 << $(expected_order "$a")))
	S=$(dax_start_pfn "$2")
	# The whole device: a walk of the struct pages, well under a second
	# per GiB under TCG, and it covers every compound page.
	nr=$(($(dax_size "$2") / 4096))
	if [ "$nr" -lt $((2 * a / 4096)) ]; then
		not_ok "$1: device holds at least two units ($nr pfns)"
		return
	fi
	# The device starts on a head and is a whole number of units: all
	# but one pfn of each compound page is a tail (none on base).
	tails=$((nr - nr / per))
	t0=$(now_ms)
	out=$(pgmap_check "$S" "$nr" 2>&1)
	ms=$(($(now_ms) - t0))
	is "$out" "checked=$nr tails=$tails mismatch=0" \
		"$1: all $nr pfns give the device's pgmap, tails the same answers as their head ($ms ms)"
}

# A range that is not device memory is refused, not reported as checked.
if echo "256 1" >"$PAGEINFO/pgmap" 2>/dev/null; then
	not_ok "pgmap refuses a System RAM pfn"
else
	ok "pgmap refuses a System RAM pfn"
fi

on_devices pgmap_tests nfit:2M:mem nfit:2M:dev nfit:1G:mem hmem:1G:mem

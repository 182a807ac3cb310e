#!/bin/sh
# What the deduplicated memmaps of several devices share (series): every
# 2M or 1G --map=mem compound page of a node maps, past its first
# vmemmap page, one read-only page of tails per order (T), and the PMDs
# of a 1G page's vmemmap past its first 2M point to one PTE table per
# node and order (S), whose entries all map T read-only. Two devices of
# one order use the same T and S, a device of another order its own T.
# Tearing down the devices in any order leaves the others exact (every
# pfn's layout, the same T and S, data round trip), and the next device
# made after all are gone gets the same layout again, also a 1G device
# whose namespace does not start on a 1G boundary.
# shellcheck source=guest/lib/tap.sh
. /opt/lib/tap.sh
# shellcheck source=guest/lib/dax.sh
. /opt/lib/dax.sh

if [ "$KIND" = base ]; then
	skip "shared tails and PTE tables" "the base kernel has a full memmap"
	exit 0
fi
if ! pageinfo_load; then
	skip "shared tails and PTE tables" "test module not in the initramfs"
	exit 0
fi

# line DEV N: the vmemmap walk line of vmemmap page N of device DEV
line() {
	_s=$(dax_start_pfn "$1")
	vmemmap_of $((_s + $2 * 64)) 64 | head -1
}
# tails DEV: phys of the page behind vmemmap page 1 (the first shared)
tails() { line "$1" 1 | field phys; }
# shared_table DEV: the PTE table that maps vmemmap page 512 (2nd PMD)
shared_table() { line "$1" 512 | field table; }

# exact DEV ALIGN WHAT: every pfn's layout, and the device's shared
# pages are still T (and S)
exact() {
	_s=$(dax_start_pfn "$1")
	_n=$(($(dax_size "$1") / 4096))
	_o=$(expected_order "$(bytes "$2")")
	_l=$(layout_check "$_s" "$_n" "$_o")
	is "$(echo "$_l" | field mismatch)" 0 "$3: every pfn of $1 has its order-$_o layout ($_l)"
	check "$3: data written through $1 reads back" \
		daxmap data "/dev/$1" "$(dax_size "$1")" "$2"
}

# key: compound_head()'s shared-tail static key, on while a page of
# shared tails exists (kernels without a deduplicated memmap run
# compound_head() behind a no-op). The last page going only queues the
# key's switch-off, a second later, so that a device created meanwhile
# rewrites no code: key_off waits for it (shared_key_off, up to 30 s).
key() { cat "$PAGEINFO/shared_key"; }
key_off() {
	if _w=$(shared_key_off); then
		ok "$1 (after $_w s)"
	else
		not_ok "$1: still on after $_w s"
	fi
}

# nothing deduplicated anywhere: no hmem device, no namespace
hmem_reset
ns_destroy_all
nfit_reset >/dev/null
key_off "no deduplicated memmap: the shared-tail key is off"
a=$(ns_create nfit 1G mem 2G)
b=$(ns_create nfit 1G mem 2G)
c=$(ns_create nfit 2M mem 512M)
if [ -z "$a" ] || [ -z "$b" ] || [ -z "$c" ]; then
	not_ok "two 1G and a 2M device created (got '$a' '$b' '$c')"
	ns_destroy_all
	exit 0
fi

is "$(key)" 1 "with deduplicated memmaps the shared-tail key is on"
ta=$(tails "$a")
tb=$(tails "$b")
tc=$(tails "$c")
sa=$(shared_table "$a")
sb=$(shared_table "$b")
own=$(line "$a" 0 | field table)
diag "T: 1G $ta $tb, 2M $tc; S: $sa $sb; first table of $a: $own"
isnt "$ta" "" "the walk finds the page behind the tails of $a"
isnt "$sa" "" "the walk finds the PTE table of the second PMD of $a"
is "$tb" "$ta" "the two 1G devices map the same page of tails"
isnt "$tc" "$ta" "the 2M device maps another page of tails"
is "$(line "$a" 1 | field ro)" 1 "the page of tails is mapped read-only"
is "$sb" "$sa" "the two 1G devices share the PTE table of their all-tail PMDs"
isnt "$own" "$sa" "a 1G page's first PMD has a PTE table of its own"
# all 512 entries of S map T, read-only (PMD 1 of device a)
res=$(vmemmap_of $(($(dax_start_pfn "$a") + 512 * 64)) $((512 * 64)) |
	awk -v t="$ta" -v s="$sa" '
	/^vaddr=/ { n++; if ($0 !~ " phys=" t " " || $0 !~ " table=" s " " || $NF != "ro=1") { print "entry " n ": " $0; exit 1 } }
	END { if (n != 512) { print n " entries"; exit 1 } print "ok" }')
is "$res" ok "every entry of the shared PTE table maps the tails read-only"

# a 1G device goes first, then the 2M one: the other 1G keeps T and S
ns_destroy "$a"
is "$(tails "$b")" "$ta" "after $a is destroyed, $b still maps the same tails"
is "$(shared_table "$b")" "$sa" "after $a is destroyed, $b still uses the shared PTE table"
exact "$b" 1G "after $a is destroyed"
ns_destroy "$c"
exact "$b" 1G "after $c is destroyed"
is "$(key)" 1 "the key stays on while $b maps shared tails"
ns_destroy "$b"
key_off "the last deduplicated memmap gone: the key goes off again"

# all gone: a new 1G and a new 2M device, created in the other order,
# have the same layout (whatever pages T and S are now). The 1G
# namespace now starts 512M into the region, off a 1G boundary: its
# data, which nd_pfn aligns, still makes 1G compound pages.
c=$(ns_create nfit 2M mem 512M)
a=$(ns_create nfit 1G mem 2G)
if [ -n "$a" ] && [ -n "$c" ]; then
	nss=$(nd_start "$(ns_of_dax "$a")")
	is "$((nss % 1073741824 != 0))" 1 "the new 1G namespace starts off a 1G boundary ($nss)"
	is "$(($(dax_start_pfn "$a") % 262144))" 0 "its data starts on one"
	isnt "$(tails "$c")" "$(tails "$a")" "new devices: 2M and 1G map different tails"
	for d in "$a" "$c"; do
		sum=$(vmemmap_of "$(dax_start_pfn "$d")" $(($(dax_size "$d") / 4096)) summary)
		al=$(dax_align "$d")
		ncomp=$(($(dax_size "$d") / al))
		is "$(echo "$sum" | field distinct)" $((ncomp + 1)) "new $d: one vmemmap page per compound page ($ncomp) and the tails"
	done
	exact "$a" 1G "new devices"
	exact "$c" 2M "new devices"
	is "$(key)" 1 "new devices: the key is on again"
else
	not_ok "devices created again after all were destroyed"
fi
ns_destroy_all
key_off "all destroyed: the key goes off"


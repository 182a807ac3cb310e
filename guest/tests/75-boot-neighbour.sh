#!/bin/sh
# Device memory that shares a 128M memory section with boot RAM: an e820
# pmem range at 4112M (memmap=240M!4112M) leaves 4096M-4112M of the
# section 4096M-4224M to the kernel as RAM and ends with the next
# section at 4352M, so that one holds no RAM (ndctl wants the size in
# 16M steps); the boot populated the memmap of the first section
# in full (PMD-mapped). A 2M --map=mem devdax
# device on it has compound pages in that early section and in the next,
# hot-added one. In the early section the vmemmap is the boot's and every
# struct page must be written in full (nothing there can be
# deduplicated); in the next section the series keeps one vmemmap page
# per compound page and maps the shared tails. Data, gup and teardown
# must work on both sides.
# boot: -N -e memmap=240M!4112M
# shellcheck source=guest/lib/tap.sh
. /opt/lib/tap.sh
# shellcheck source=guest/lib/dax.sh
. /opt/lib/dax.sh

SECTION_PFNS=32768	# 128M
if ! grep -q 'memmap=240M!4112M' /proc/cmdline; then
	skip "device memory next to boot memory" "needs the boot of its '# boot:' line"
	exit 0
fi
if ! pageinfo_load; then
	skip "device memory next to boot memory" "test module not in the initramfs"
	exit 0
fi
ns=$(e820_namespace)
if ! out=$(ndctl create-namespace -f -e "$ns" -m devdax -a 2M -M mem 2>&1); then
	not_ok "2M devdax on the e820 range at 4112M"
	echo "$out" | sed 's/^/#   /'
	exit 0
fi
dev=$(echo "$out" | json chardev)
S=$(dax_start_pfn "$dev")
n=$(($(dax_size "$dev") / 4096))
edge=$(((S / SECTION_PFNS + 1) * SECTION_PFNS))	# first pfn of the next section
na=$((edge - S)) nb=$((S + n - edge))
if [ $((S % SECTION_PFNS)) -ne 0 ] && [ "$na" -gt 0 ] && [ "$nb" -gt 0 ]; then
	ok "2M devdax on the e820 range at 4112M: $na pfns in the early section, $nb in the next"
else
	not_ok "2M devdax on the e820 range at 4112M straddles the end of the early section (start pfn $S, $n pfns)"
	exit 0
fi
O=$(expected_order 2097152)
res=$(layout_check "$S" "$n" "$O")
case "$res" in
*" busy=0 hwpoison=0 mismatch=0") ok "every pfn on both sides has its order-$O layout ($res)" ;;
*) not_ok "every pfn on both sides has its order-$O layout"; diag "  $res" ;;
esac

# summary FIELD START NR: FIELD of the vmemmap walk summary
summary() { vmemmap_of "$2" "$3" summary | field "$1"; }
a_pages=$((na / 64))
is "$(summary distinct "$S" "$na")" "$a_pages" \
	"early section: the boot's memmap, one vmemmap page per 64 struct pages ($a_pages)"
pmd=$(vmemmap_of "$S" "$na" | grep -c ' level=pmd ')
is "$pmd" "$a_pages" "early section: all of it still mapped by the boot's PMD leaves"
want=$((nb / 64))
# one own vmemmap page per compound page, and the shared tails
[ "$O" -gt 0 ] && want=$((nb / 512 + 1))
is "$(summary distinct "$edge" "$nb")" "$want" \
	"next section: $want distinct vmemmap pages for $((nb / 512)) compound pages"

check "data written through the device reads back on both sides" \
	daxmap data "/dev/$dev" "$(dax_size "$dev")" 2M
# A pin of the last compound page before the section end and of the first
# after it: the head holds the pins while they last (base: each order-0
# page holds GUP_PIN_COUNTING_BIAS), and is back to its idle 1 after.
held=$((1 + 512))
[ "$O" = 0 ] && held=$((1 + 1024))
for off in $(((na - 512) * 4096)) $((na * 4096)); do
	out=$(daxmap gup "/dev/$dev" "$(dax_size "$dev")" 2M pin-fast "$off" 512 2>&1)
	is "$out" "ret=512 held_refcount=$held after_refcount=1" \
		"pin-fast of the 512 pages at device offset $off"
done
check "the device can be disabled" ndctl disable-namespace "$ns"
check "and enabled again" ndctl enable-namespace "$ns"
res=$(layout_check "$S" "$n" "$O")
case "$res" in
*" mismatch=0") ok "re-enabled: every pfn has its layout ($res)" ;;
*) not_ok "re-enabled: every pfn has its layout"; diag "  $res" ;;
esac
check "the namespace can be destroyed" ndctl destroy-namespace -f "$ns"

#!/bin/sh
# MADV_HWPOISON on device-dax mappings: the process gets SIGBUS
# BUS_MCEERR_AR/AO at the poisoned address with si_addr_lsb =
# log2(align), the kernel logs that it recovered the pfn, and the
# poisoned device can still be disabled and destroyed.
#
# Per align (2M, 1G) the poisoned subpage is the head of a compound page,
# a tail whose struct page shares the vmemmap page of the head, and a
# tail in a vmemmap page that the series deduplicates (struct page 323:
# vmemmap page 5 of the compound page, one all compound pages of the
# device share). Then through a mapping that starts at file offset ALIGN,
# so that the kernel has to go from the poisoned tail to the process and
# the address through the mapping's vm_pgoff. Afterwards every pfn of the
# device must still have its layout (the test module walks all of them):
# PG_hwpoison on the heads of the poisoned compound pages only (on base,
# order-0 pages: on each poisoned page), no tail with a flag or reference
# of its own, nothing left mapped; and data written through the device
# reads back in every unit.
# shellcheck source=guest/lib/tap.sh
. /opt/lib/tap.sh
# shellcheck source=guest/lib/dax.sh
. /opt/lib/dax.sh

# recovered WHAT MARK PFN: the log after marker MARK says that
# memory_failure() recovered PFN (mm/memory-failure.c action_result()).
recovered() {
	_line="Memory failure: $(printf '0x%x' "$3"): recovery action for dax page: Recovered"
	if dmesg_since "$2" | grep -qF "$_line"; then
		ok "$1: the kernel log says \"$_line\""
	else
		not_ok "$1: the kernel log says \"$_line\""
		dmesg_since "$2" | grep 'Memory failure' | tail -5 | sed 's/^/#   /'
	fi
}

# poison WHAT DEV ALIGN OFF [MAPOFF]: map 2 units of DEV from file offset
# MAPOFF (default 0), MADV_HWPOISON the 4K page at OFF in the mapping;
# SIGBUS must name that address with si_addr_lsb log2(ALIGN), and the
# log must say the pfn was recovered.
poison() {
	_a=$(bytes "$3")
	_lsb=$(log2 "$_a")
	_mo=${5:-0}
	_mark="70-hwpoison $1 pid=$$"
	kmsg_mark "$_mark"
	_out=$(daxmap hwpoison "/dev/$2" $((2 * _a)) "$_a" "$4" "$_mo" 2>&1)
	case "$_out" in
	"sigbus "*" addr_off=$4 lsb=$_lsb") ok "$1: SIGBUS at its address with si_addr_lsb $_lsb ($_out)" ;;
	*) not_ok "$1: SIGBUS at its address with si_addr_lsb $_lsb"; diag "  $_out (want addr_off=$4 lsb=$_lsb)" ;;
	esac
	recovered "$1" "$_mark" $(($(dax_start_pfn "$2") + (_mo + $4) / 4096))
}

# poison_tests ALIGN ALIGN_BYTES DEV (on_aligned: at least three units)
poison_tests() {
	a=$2
	dev=$3
	O=$(expected_order "$a")
	shared=$((5 * 64 + 3))
	poison "align=$1: head of unit 0" "$dev" "$1" 0
	poison "align=$1: tail 5 of unit 0 (vmemmap page of the head)" "$dev" "$1" $((5 * 4096))
	poison "align=$1: tail $shared of unit 1 (deduplicated vmemmap page)" "$dev" "$1" \
		$((a + shared * 4096))
	poison "align=$1: mapped from file offset $a, tail $((a / 16384 + 2)) of unit 1" "$dev" "$1" \
		$((a / 4 + 8192)) "$a"

	# Two compound pages took the poison (base: four 4K pages).
	want=2
	[ "$O" = 0 ] && want=4
	S=$(dax_start_pfn "$dev")
	n=$(($(dax_size "$dev") / 4096))
	res=$(layout_check "$S" "$n" "$O" 2>&1)
	case "$res" in
	*" busy=0 hwpoison=$want mismatch=0") ok "align=$1: every pfn keeps its order-$O layout, PG_hwpoison on $want heads only ($res)" ;;
	*) not_ok "align=$1: every pfn keeps its order-$O layout, PG_hwpoison on $want heads only"; diag "  $res" ;;
	esac
	check "align=$1: data written through the poisoned device reads back in every unit" \
		daxmap data "/dev/$dev" "$(dax_size "$dev")" "$a"

	ns=$(ns_of_dax "$dev")
	check "align=$1: the poisoned device can be disabled" ndctl disable-namespace "$ns"
	check "align=$1: and enabled again" ndctl enable-namespace "$ns"
	res=$(layout_check "$S" "$n" "$O" 2>&1)
	case "$res" in
	*" busy=0 hwpoison=0 mismatch=0") ok "align=$1: re-enabled, every pfn has a fresh layout ($res)" ;;
	*) not_ok "align=$1: re-enabled, every pfn has a fresh layout"; diag "  $res" ;;
	esac
}

if ! pageinfo_load; then
	skip "hwpoison" "test module not in the initramfs"
	exit 0
fi
on_aligned poison_tests

#!/bin/sh
# An NVDIMM at 32 TiB guest-physical: the memmap of its pages starts
# 512 GiB into the vmemmap (64 bytes per 4K page), in a top-level (PGD)
# entry that no memory at boot needed, so the enable of a device creates
# that entry. x86 copies the kernel's top-level entries into each
# process's table at fork and relies on sync_global_pgds() for entries
# added later: a process that existed before the enable must still reach
# the device's struct pages when gup-fast walks them in its context. It
# is started before the namespace exists (daxmap gupwait), then maps and
# pins a compound page; a process started afterwards too.
# boot: -N -A 32768 -e nokaslr
# shellcheck source=guest/lib/tap.sh
. /opt/lib/tap.sh
# shellcheck source=guest/lib/dax.sh
. /opt/lib/dax.sh

if ! grep -q nokaslr /proc/cmdline; then
	skip "NVDIMM at 32 TiB" "needs the boot of its '# boot:' line"
	exit 0
fi
if ! pageinfo_load; then
	skip "NVDIMM at 32 TiB" "test module not in the initramfs"
	exit 0
fi
# pgd_index PFN: top-level page-table slot of PFN's struct page
pgd_index() {
	_v=$(vmemmap_of "$1" 1 | sed -n 's/^vaddr=\(0x[0-9a-f]*\).*/\1/p' | head -1)
	echo $(((_v >> 39) & 511))
}
fifo=/tmp/far.fifo
# far_tests ALIGN ALIGN_BYTES: a fresh device of ALIGN on the far NVDIMM
far_tests() {
	a=$2
	O=$(expected_order "$a")
	nr=512
	held=$((1 + nr))
	[ "$O" = 0 ] && held=$((1 + 1024))
	region=$(region_of ACPI.NFIT)
	rpfn=$(($(nd_start "$region") / 4096))
	line=$(vmemmap_of "$rpfn" 1 | head -1)
	case "$line" in
	*unmapped*) ok "align=$1: before the enable, the memmap of the region at pfn $rpfn is not mapped ($line)" ;;
	*) not_ok "align=$1: before the enable, the memmap of the region at pfn $rpfn is not mapped"; diag "  $line" ;;
	esac
	slot=$(pgd_index "$rpfn") boot=$(pgd_index 0)
	if [ "$slot" != "$boot" ]; then
		ok "align=$1: it lies in PGD slot $slot, the boot memory's in $boot"
	else
		not_ok "align=$1: the region's memmap lies in a PGD slot of its own (both in $slot)"
	fi

	rm -f "$fifo"
	mkfifo "$fifo"
	# read-write open: does not wait for a writer, so daxmap runs now
	daxmap gupwait $((2 * a)) "$a" pin-fast 0 "$nr" <>"$fifo" >/tmp/far.out 2>&1 &
	early=$!
	# the enable must come after daxmap's exec, or its mm is not older
	_w=0
	while ! tr '\0' ' ' <"/proc/$early/cmdline" 2>/dev/null | grep -q gupwait && [ "$_w" -lt 10 ]; do
		sleep 1
		_w=$((_w + 1))
	done
	dev=$(ns_create nfit "$1" mem 4G)
	if [ -z "$dev" ]; then
		not_ok "align=$1: device created at 32 TiB"
		kill "$early" 2>/dev/null
		return
	fi
	S=$(dax_start_pfn "$dev")
	ok "align=$1: device $dev created at pfn $S ($((S * 4096 >> 40)) TiB)"
	echo "/dev/$dev" >"$fifo"
	wait "$early"
	is "$(cat /tmp/far.out)" "ret=$nr held_refcount=$held after_refcount=1" \
		"align=$1: a process started before the enable pins and unpins $nr pages"
	out=$(daxmap gup "/dev/$dev" $((2 * a)) "$a" pin-fast "$a" "$nr" 2>&1)
	is "$out" "ret=$nr held_refcount=$held after_refcount=1" \
		"align=$1: a process started after it too"
	check "align=$1: data written through the device reads back" \
		daxmap data "/dev/$dev" $((2 * a)) "$a"
	n=$(($(dax_size "$dev") / 4096))
	res=$(layout_check "$S" "$n" "$O")
	case "$res" in
	*" busy=0 hwpoison=0 mismatch=0") ok "align=$1: every pfn has its order-$O layout ($res)" ;;
	*) not_ok "align=$1: every pfn has its order-$O layout"; diag "  $res" ;;
	esac
	is "$(vmemmap_of "$S" "$n" summary | field unmapped)" 0 "align=$1: the whole memmap is mapped"
	rm -f "$fifo"
	check "align=$1: the namespace can be destroyed" ndctl destroy-namespace -f "$(ns_of_dax "$dev")"
}
nfit_reset >/dev/null
for al in 2M 1G; do
	far_tests "$al" "$(bytes "$al")"
done

#!/bin/sh
# MADV_HWPOISON on device-dax mappings: the process gets SIGBUS
# BUS_MCEERR_AR/AO with si_addr_lsb = log2(align), the kernel logs that
# it recovered the pfn, and the poisoned device can still be disabled and
# destroyed. Also through a mapping that starts at file offset ALIGN, so
# that the kernel has to go from the poisoned tail page to the process
# and the address through the mapping's vm_pgoff.
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

nfit_reset >/dev/null
for align in 2M 1G; do
	a=$(bytes "$align")
	lsb=$(log2 "$a")
	dev=$(ns_create nfit "$align" mem 3G)
	if [ -z "$dev" ]; then
		not_ok "align=$align: device created"
		continue
	fi
	S=$(dax_start_pfn "$dev")
	# Poison a 4K page in the middle of the second unit.
	off=$((a + a / 2 + 4096))
	mark="70-hwpoison align=$align mapoff=0 pid=$$"
	kmsg_mark "$mark"
	out=$(daxmap hwpoison "/dev/$dev" $((2 * a)) "$a" "$off" 2>&1)
	case "$out" in
	"sigbus "*" lsb=$lsb") ok "align=$align: MADV_HWPOISON raises SIGBUS with si_addr_lsb $lsb ($out)" ;;
	*) not_ok "align=$align: MADV_HWPOISON raises SIGBUS with si_addr_lsb $lsb"; diag "  $out" ;;
	esac
	recovered "align=$align" "$mark" $((S + off / 4096))

	# The second unit again, mapped on its own from file offset ALIGN
	# (a 3G namespace of align 1G has only two units). Another tail page
	# of it: device-dax maps a unit whatever earlier poison it took.
	poff=$((a / 4 + 8192))
	mark="70-hwpoison align=$align mapoff=$a pid=$$"
	kmsg_mark "$mark"
	out=$(daxmap hwpoison "/dev/$dev" "$a" "$a" "$poff" "$a" 2>&1)
	what="align=$align: mapped from file offset $a, MADV_HWPOISON of a tail page raises SIGBUS at its address with si_addr_lsb $lsb"
	case "$out" in
	"sigbus "*" addr_off=$poff lsb=$lsb") ok "$what ($out)" ;;
	*) not_ok "$what"; diag "  $out (want addr_off=$poff lsb=$lsb)" ;;
	esac
	recovered "align=$align mapoff=$a" "$mark" $((S + (a + poff) / 4096))

	ns=$(ns_of_dax "$dev")
	check "align=$align: the poisoned device can be disabled" ndctl disable-namespace "$ns"
	check "align=$align: and destroyed" ndctl destroy-namespace -f "$ns"
done

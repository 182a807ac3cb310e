#!/bin/sh
# MADV_HWPOISON on device-dax mappings: the process gets SIGBUS
# BUS_MCEERR_AR/AO with si_addr_lsb = log2(align), the kernel survives,
# and the poisoned device can still be disabled and destroyed.
# shellcheck source=guest/lib/tap.sh
. /opt/lib/tap.sh
# shellcheck source=guest/lib/dax.sh
. /opt/lib/dax.sh

nfit_reset >/dev/null
for align in 2M 1G; do
	a=$(bytes "$align")
	lsb=$(log2 "$a")
	dev=$(ns_create nfit "$align" mem 3G)
	if [ -z "$dev" ]; then
		not_ok "align=$align: device created"
		continue
	fi
	# Poison a 4K page in the middle of the second unit.
	off=$((a + a / 2 + 4096))
	out=$(daxmap hwpoison "/dev/$dev" $((2 * a)) "$a" "$off" 2>&1)
	case "$out" in
	"sigbus "*" lsb=$lsb") ok "align=$align: MADV_HWPOISON raises SIGBUS with si_addr_lsb $lsb ($out)" ;;
	*) not_ok "align=$align: MADV_HWPOISON raises SIGBUS with si_addr_lsb $lsb"; diag "  $out" ;;
	esac
	ns=$(ns_of_dax "$dev")
	check "align=$align: the poisoned device can be disabled" ndctl disable-namespace "$ns"
	check "align=$align: and destroyed" ndctl destroy-namespace -f "$ns"
done

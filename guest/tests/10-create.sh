#!/bin/sh
# devdax creation at every align and map on each kind of dax memory:
# the device exists with the requested align and a size that is a
# non-zero multiple of it, and goes away on destroy.
# shellcheck source=guest/lib/tap.sh
. /opt/lib/tap.sh
# shellcheck source=guest/lib/dax.sh
. /opt/lib/dax.sh

# verify WHERE ALIGN MAP DEV
verify() {
	what="$1 devdax align=$2 map=$3"
	if [ -z "$4" ]; then
		not_ok "$what: created"
		return
	fi
	a=$(bytes "$2")
	size=$(dax_size "$4")
	is "$(dax_align "$4")" "$a" "$what: $4 has align $a"
	if [ -c "/dev/$4" ] && [ "$size" -gt 0 ] && [ $((size % a)) = 0 ]; then
		ok "$what: /dev/$4 is a char device of $size bytes, a multiple of the align"
	else
		not_ok "$what: /dev/$4 is a char device of a non-zero multiple of the align (size $size)"
	fi
}

nfit_reset || not_ok "nfit: labels initialised"
for map in mem dev; do
	for align in 4K 2M 1G; do
		# With --map=dev and 1G the memmap reservation costs a whole 1G.
		dev=$(ns_create nfit "$align" "$map" 2G)
		verify nfit "$align" "$map" "$dev"
		ns_destroy "$dev"
		check "nfit devdax align=$align map=$map: $dev gone after destroy" test ! -e "/dev/$dev"

		dev=$(ns_create e820 "$align" "$map")
		verify e820 "$align" "$map" "$dev"
	done
done
ns_destroy_all

hmem_reset
for align in 2M 1G; do
	dev=$(hmem_create "$align" 1G)
	verify hmem "$align" dynamic "$dev"
	daxctl disable-device "$dev" >/dev/null 2>&1
	check "hmem devdax align=$align: destroy $dev" daxctl destroy-device "$dev"
done

# Bad input is refused and loses nothing.
before=$(ndctl list -N -r "$(region_of ACPI.NFIT)" | grep -c '"dev"')
if ndctl create-namespace -r "$(region_of ACPI.NFIT)" -m devdax -a 3M -s 1G >/dev/null 2>&1; then
	not_ok "nfit: align 3M is refused"
else
	ok "nfit: align 3M is refused"
fi
is "$(ndctl list -N -r "$(region_of ACPI.NFIT)" | grep -c '"dev"')" "$before" \
	"nfit: a refused create leaves the namespaces as they were"
# A 1G align the namespace cannot hold: the info block at its start
# leaves less than one aligned GiB in a 1G namespace. The kernel says so,
# ndctl fails and takes the namespace back: the capacity is free again.
avail=$(ndctl list -R -r "$(region_of ACPI.NFIT)" | json available_size)
kmsg_mark 10-align
if ndctl create-namespace -r "$(region_of ACPI.NFIT)" -m devdax -a 1G -M mem -s 1G >/dev/null 2>&1; then
	not_ok "nfit: a 1G namespace at align 1G is refused"
else
	ok "nfit: a 1G namespace at align 1G is refused"
fi
if dmesg_since 10-align | grep -q "unable to satisfy requested alignment"; then
	ok "nfit: the kernel log says the namespace cannot satisfy the align"
else
	not_ok "nfit: the kernel log says the namespace cannot satisfy the align"
fi
is "$(ndctl list -R -r "$(region_of ACPI.NFIT)" | json available_size):$(ndctl list -N -r "$(region_of ACPI.NFIT)" | grep -c '"dev"')" \
	"$avail:$before" "nfit: after the refusal the region has its capacity and namespaces as before"
if daxctl create-device -r "$(hmem_region)" -a 2M -s 3M >/dev/null 2>&1; then
	not_ok "hmem: a size that is not a multiple of the align is refused"
else
	ok "hmem: a size that is not a multiple of the align is refused"
fi
hmem_reset

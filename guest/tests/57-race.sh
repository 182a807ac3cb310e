#!/bin/sh
# Threads racing on one compound page: four threads for 20 s, two mapping
# the first unit of a device afresh, write-faulting it, O_DIRECT-reading
# into it from a ram disk and unmapping it, two O_DIRECT-writing from a
# shared mapping of the same unit (daxmap race). Every transfer's data is
# checked; afterwards the head's refcount and pincount (series: the one
# head of the 2M/1G page; base: the first 4K page) are back where they
# were before, so no pin was lost or dropped twice, and the device
# disables (a leaked reference would make that wait for ever).
# shellcheck source=guest/lib/tap.sh
. /opt/lib/tap.sh
# shellcheck source=guest/lib/dax.sh
. /opt/lib/dax.sh

if ! pageinfo_load; then
	skip "threads racing on one compound page" "test module not in the initramfs"
	exit 0
fi
[ -b /dev/ram0 ] || { not_ok "ram disk /dev/ram0 for O_DIRECT"; exit 0; }
# race_tests ALIGN A DEV
race_tests() {
	pfn=$(dax_start_pfn "$3")
	before=$(pageinfo "$pfn" 1 | sed 's/.*\(refcount=[0-9]* pincount=[-0-9]*\).*/\1/')
	what="align=$1: 4 threads fault, pin and unmap the first compound page for 20 s"
	if out=$(daxmap race "/dev/$3" "$1" /dev/ram0 20 2>&1); then
		ok "$what ($out; head $before)"
	else
		not_ok "$what"
		diag "  $out"
	fi
	after=$(pageinfo "$pfn" 1 | sed 's/.*\(refcount=[0-9]* pincount=[-0-9]*\).*/\1/')
	is "$after" "$before" "align=$1: head refcount and pincount back to where they were"
	check "align=$1: the device disables afterwards" \
		timeout 60 ndctl disable-namespace "$(ns_of_dax "$3")"
}

on_aligned race_tests

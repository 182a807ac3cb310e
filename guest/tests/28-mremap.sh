#!/bin/sh
# mremap() of device-dax mappings: a shrink or a partial move that would
# split the mapping off the device align fails with EINVAL and leaves the
# mapping as it was; a whole mapping, faulted in with PMDs (2M) or PUDs
# (1G), moves to another aligned address with its data.
# The base kernel takes a 1G device-dax PUD for a bad entry ("bad pud" in
# the log, mapping dropped), and moves part of a mapping although the
# VMA cannot be split there (mremap "succeeds", both ranges stay
# mapped): skipped there.
# shellcheck source=guest/lib/tap.sh
. /opt/lib/tap.sh
# shellcheck source=guest/lib/dax.sh
. /opt/lib/dax.sh

# mremap_tests ALIGN A DEV
mremap_tests() {
	what="align=$1: mremap refuses an unaligned shrink and moves the whole mapping with its data"
	if [ "$KIND" = base ]; then
		skip "$what" "base 5.10 mremap drops a 1G PUD and accepts partial moves"
		return
	fi
	kmsg_mark "28-mremap $1"
	check "$what" daxmap mremap "/dev/$3" $((2 * $2)) "$2"
	is "$(dmesg_since "28-mremap $1" | grep -c -E 'bad p[mu]d|WARNING|BUG')" 0 \
		"align=$1: no bad pmd/pud or warning in the log"
}

on_aligned mremap_tests

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

nfit_reset >/dev/null
for spec in 2M:3G 1G:4G; do
	align=${spec%:*}
	a=$(bytes "$align")
	what="align=$align: mremap refuses an unaligned shrink and moves the whole mapping with its data"
	if [ "$KIND" = base ]; then
		skip "$what" "base 5.10 mremap drops a 1G PUD and accepts partial moves"
		continue
	fi
	dev=$(ns_create nfit "$align" mem "${spec#*:}")
	if [ -z "$dev" ]; then
		not_ok "align=$align: device created"
		continue
	fi
	kmsg_mark "28-mremap $align"
	check "$what" daxmap mremap "/dev/$dev" $((2 * a)) "$a"
	is "$(dmesg_since "28-mremap $align" | grep -c -E 'bad p[mu]d|WARNING|BUG')" 0 \
		"align=$align: no bad pmd/pud or warning in the log"
	ns_destroy "$dev"
done

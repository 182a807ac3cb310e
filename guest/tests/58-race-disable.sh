#!/bin/sh
# gup-fast racing the teardown of the device it pins: three processes pin
# and release the first compound page of a 2M and a 1G device over and
# over with gup_benchmark (two with get_user_pages_fast, one with
# pin_user_pages_fast, a fresh mapping each run) while the namespace is
# disabled and enabled again, for 60 s. A run that fails because the
# device went away under it is expected; a hang, a splat, or a page or
# pgmap reference that a gup racing the teardown took and never gave
# back is not: every disable has to complete (a leaked reference makes
# it wait for ever, and the boot's timeout then fails the run), the
# device must still carry data afterwards, and the final disable must
# complete too. gup_benchmark opens its file with O_CREAT: it gets the
# device through an inherited descriptor, or a run that came while the
# device was away would leave a regular file in its place in /dev.
# Skipped on base: there an open() that races the unbind gets a file
# with no device behind it and the mmap() after it oopses in
# check_vma() (the series' patch 3 refuses such an open).
# shellcheck source=guest/lib/tap.sh
. /opt/lib/tap.sh
# shellcheck source=guest/lib/dax.sh
. /opt/lib/dax.sh

if [ "$KIND" = base ]; then
	skip "gup-fast racing disable/enable" "base kernel: an open() racing the unbind oopses in check_vma()"
	exit 0
fi

SECS=60
now() { cut -d. -f1 /proc/uptime; }

# race_disable ALIGN ALIGN_BYTES DEV
race_disable() {
	ns=$(ns_of_dax "$3")
	end=$(($(now) + SECS))
	runs=/tmp/race-disable.runs
	: >"$runs"
	for mode in -u -a -u; do
		(
			while [ "$(now)" -lt "$end" ]; do
				if gup_benchmark -f /proc/self/fd/3 -S -m $(($2 >> 20)) -n 512 "$mode" -r 5 \
					3<"/dev/$3" >/dev/null 2>&1; then
					echo "$mode" >>"$runs"
				else
					usleep 100000
				fi
			done
		) &
	done
	cycles=0 failed=
	while [ "$(now)" -lt "$end" ]; do
		if ! timeout 120 ndctl disable-namespace "$ns" >/dev/null 2>&1; then
			failed="disable of cycle $cycles"
			break
		fi
		if ! ndctl enable-namespace "$ns" >/dev/null 2>&1; then
			failed="enable of cycle $cycles"
			break
		fi
		cycles=$((cycles + 1))
	done
	wait
	check "align=$1: /dev/$3 is still the device's character node" test -c "/dev/$3"
	# the race needs gup to have run between the disables
	n=$(wc -l <"$runs")
	if [ "$n" -gt 0 ]; then
		ok "align=$1: $n gup_benchmark runs pinned the device between the disables"
	else
		not_ok "align=$1: no gup_benchmark run pinned the device between the disables"
	fi
	if [ -z "$failed" ] && [ "$cycles" -gt 0 ]; then
		ok "align=$1: $cycles disable/enable cycles under gup-fast for $SECS s, each completed"
	else
		not_ok "align=$1: disable/enable cycles under gup-fast for $SECS s (${failed:-no cycle})"
	fi
	check "align=$1: data round trip on the device afterwards" \
		daxmap data "/dev/$3" "$2" "$2"
	check "align=$1: the final disable completes" \
		timeout 120 ndctl disable-namespace "$ns"
}

on_aligned race_disable

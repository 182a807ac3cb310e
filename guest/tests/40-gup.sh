#!/bin/sh
# get_user_pages and pin_user_pages on device-dax at each align, through
# gup_benchmark: every mode completes the whole range without a kernel
# warning (the runner checks the log after each test file).
# shellcheck source=guest/lib/tap.sh
. /opt/lib/tap.sh
# shellcheck source=guest/lib/dax.sh
. /opt/lib/dax.sh

nfit_reset >/dev/null
for align in 4K 2M 1G; do
	dev=$(ns_create nfit "$align" mem 2G)
	if [ -z "$dev" ]; then
		not_ok "nfit align=$align: device created"
		continue
	fi
	mb=$(($(dax_size "$dev") / 1024 / 1024))
	[ "$mb" -gt 1024 ] && mb=1024
	for mode in -a -u -b -U -L; do
		for w in "" -w; do
			out=$(gup_benchmark -f "/dev/$dev" -S -m "$mb" -n 512 -r 1 $mode $w 2>&1)
			case "$out" in
			*truncated*) not_ok "align=$align gup_benchmark $mode $w -n 512: whole range" ;;
			Time:*) ok "align=$align gup_benchmark $mode $w -n 512: whole range ($out)" ;;
			*) not_ok "align=$align gup_benchmark $mode $w -n 512: $out" ;;
			esac
		done
	done
	ns_destroy "$dev"
done

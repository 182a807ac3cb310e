#!/bin/sh
# get_user_pages and pin_user_pages on device-dax at each align, through
# gup_benchmark: every mode completes the whole range without a kernel
# warning (the runner checks the log after each test file), and the
# refcount and pincount of the pages that carry the references are back
# to exactly their values before, whatever the batch size; after all
# modes every pfn of the device still has its layout (test module).
# shellcheck source=guest/lib/tap.sh
. /opt/lib/tap.sh
# shellcheck source=guest/lib/dax.sh
. /opt/lib/dax.sh

pi=0
pageinfo_load && pi=1

# refs S NR: refcount and pincount of the first 4 (compound) pages.
refs() {
	[ "$pi" = 1 ] || return 0
	pageinfo "$1" 4 "stride=$2" | sed 's/.*\( refcount=[0-9]* pincount=[-0-9]*\).*/\1/' | tr -d '\n'
}

nfit_reset >/dev/null
for align in 4K 2M 1G; do
	dev=$(ns_create nfit "$align" mem 3G)
	if [ -z "$dev" ]; then
		not_ok "nfit align=$align: device created"
		continue
	fi
	a=$(bytes "$align")
	S=$(dax_start_pfn "$dev")
	nr=$((a / 4096))
	for mode in -a -u -b -U -L; do
		for w in "" -w; do
			for n in 512 1 513; do
				[ "$n" != 512 ] && [ -n "$w" ] && continue
				# a page per call maps 16M, or one 1G page: over the
				# whole 1G it took 10 s of the sanitizer kernel per
				# mode, 70 s with -L, the most of this test there (a
				# mapping must be a multiple of the align)
				mb=1024
				[ "$n" = 1 ] && [ "$a" -lt 16777216 ] && mb=16
				what="align=$align gup_benchmark $mode $w -n $n -m $mb"
				before=$(refs "$S" "$nr")
				out=$(gup_benchmark -f "/dev/$dev" -S -m "$mb" -n "$n" -r 1 $mode $w 2>&1)
				after=$(refs "$S" "$nr")
				case "$out" in
				*truncated*) not_ok "$what: whole range"; diag "  $out" ;;
				Time:*) ok "$what: whole range ($out)" ;;
				*) not_ok "$what: $out" ;;
				esac
				[ "$pi" = 1 ] && is "$after" "$before" "$what: refcount and pincount back to their values"
			done
		done
	done
	# after every mode, every pfn of the device: heads idle, tails
	# still tails of their head (the shared ones read-only)
	if [ "$pi" = 1 ]; then
		n=$(($(dax_size "$dev") / 4096))
		res=$(layout_check "$S" "$n" "$(expected_order "$a")")
		case "$res" in
		*" busy=0 hwpoison=0 mismatch=0") ok "align=$align: after every mode, every pfn has its layout, no head busy ($res)" ;;
		*) not_ok "align=$align: after every mode, every pfn has its layout, no head busy"; diag "  $res" ;;
		esac
	fi
	ns_destroy "$dev"
done

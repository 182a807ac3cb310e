#!/bin/sh
# gup must not wrap the refcount of a compound head. On the series every
# reference that gup takes on a subpage lands on the head: one pin of a
# 1G page adds 262144, so a few thousand pins of one page would wrap it.
# gup-fast, slow gup and longterm pins have to refuse a grab that would
# take the head past its limit, with -ENOMEM and nothing taken. The
# limit is INT_MAX less the kernel's GUP_REFS_HEADROOM (INT_MAX / 2), the
# room it keeps for grabs that race past the check on the same head. The
# test module's refbias holds extra references on the head of the first
# unit so that it sits at LIMIT - 100: a whole-unit pin must then fail
# and leave the count alone, a single-page pin still fits, and with the
# bias gone the same pins succeed and give back exactly what they took.
# Skipped on the base kernel: its order-0 pages take one reference per
# 4K page each, far from any overflow.
# shellcheck source=guest/lib/tap.sh
. /opt/lib/tap.sh
# shellcheck source=guest/lib/dax.sh
. /opt/lib/dax.sh

if [ "$KIND" = base ]; then
	skip "gup refuses to overflow a compound head's refcount" "base kernel: order-0 pages"
	exit 0
fi
if ! pageinfo_load; then
	skip "gup refuses to overflow a compound head's refcount" "test module not in the initramfs"
	exit 0
fi

LIMIT=$((2147483647 - 2147483647 / 2))
HIGH=$((LIMIT - 100))
MODES="pin-fast pin pin-longterm get-fast"

# gup DEV ALIGN MODE NR: "ret=R held_refcount=A after_refcount=B" for NR
# pages from the start of a 2-unit mapping of DEV.
gup() {
	daxmap gup "/dev/$1" $((2 * $2)) "$2" "$3" 0 "$4" 2>&1
}

# The head's refcount now (refbias reports on the pfn last written).
head_refs() { field refcount <"$PAGEINFO/refbias"; }

# overflow_tests WHAT DEV ALIGN
overflow_tests() {
	a=$(bytes "$3")
	nr=$((a / 4096))
	S=$(dax_start_pfn "$2")
	r0=$(refbias "$S" 0 | field refcount)
	if [ -z "$r0" ]; then
		not_ok "$1: refbias reads the refcount of the head of pfn $S"
		return
	fi
	is "$(refbias "$S" $((HIGH - r0)) | field refcount)" "$HIGH" \
		"$1: refbias puts the head's refcount at LIMIT-100"
	for mode in $MODES; do
		out=$(gup "$2" "$a" "$mode" "$nr")
		is "$(echo "$out" | field ret)" -12 \
			"$1: $mode of $nr pages with the head at LIMIT-100 fails with -ENOMEM"
		is "$(head_refs)" "$HIGH" "$1: and leaves the head's refcount at LIMIT-100"
	done
	for mode in $MODES; do
		out=$(gup "$2" "$a" "$mode" 1)
		is "$out" "ret=1 held_refcount=$((HIGH + 1)) after_refcount=$HIGH" \
			"$1: $mode of 1 page with the head at LIMIT-100 takes one reference and gives it back"
	done
	is "$(refbias "$S" 0 | field refcount)" "$r0" "$1: without the bias the refcount is back to $r0"
	# A compound page of order > 1 counts a pin as one reference on the
	# head per subpage (and in its pincount), as a get does.
	for mode in $MODES; do
		out=$(gup "$2" "$a" "$mode" "$nr")
		is "$out" "ret=$nr held_refcount=$((r0 + nr)) after_refcount=$r0" \
			"$1: without the bias $mode of $nr pages takes $nr references and gives them back"
	done
	# A head still holding a bias would make the device's disable wait
	# forever: make sure it is gone before on_devices destroys it.
	if [ "$(refbias "$S" 0 | field bias)" != 0 ]; then
		diag "  refbias of $S not dropped: unloading the test module"
		rmmod dax_pageinfo
	fi
}

on_devices overflow_tests nfit:2M:mem nfit:1G:mem

#!/bin/sh
# Churn: CYCLES random steps over the three kinds of device memory, then
# ROUNDS hmem devdax <-> system-ram round trips. A step creates a devdax
# namespace of random size and align on the NFIT region (up to three at
# once; sizes in 64M steps, so neighbours share 128M sections), destroys
# one, reconfigures one in place to another align, re-creates the e820
# namespace at a random align and map, or re-creates the hmem device.
# Every device made gets data written and read back through it. A step
# ndctl or daxctl refuses (no room, an align the free space cannot
# satisfy) is fine when it leaves nothing behind; an error the kernel
# logs is not (the runner checks the log after the test).
#
# At the end every pfn of the devices left verifies against its compound
# layout (test module), then all of it is torn down and free memory must
# be back within TOL_KB of where it started. free_kb scatters by up to
# 156 kB between two readings with nothing leaking
# (guest/tests/90-cycles.sh), and three series runs of the churn lost
# 152, 320 and 384 kB (slab caches left fuller by the steps); TOL_KB =
# 768 is twice the worst of those. A leak of one page per step (800 kB)
# sits at that edge; two pages per step (1600 kB) cannot pass. The slow
# leak test with its injected leak is guest/tests/90-cycles.sh.
#
# Series only: on base it would prove nothing about the series. The
# whole test takes about 5 minutes under TCG (the steps 3, the round
# trips 25 s; it prints the seconds per kind of step).
# shellcheck source=guest/lib/tap.sh
. /opt/lib/tap.sh
# shellcheck source=guest/lib/dax.sh
. /opt/lib/dax.sh

CYCLES=${CHURN_CYCLES:-200}
ROUNDS=${CHURN_ROUNDS:-50}
SEED=${CHURN_SEED:-20261201}
TOL_KB=768
if [ "$KIND" = base ]; then
	skip "churn" "series only"
	exit 0
fi
if ! pageinfo_load; then
	skip "churn" "test module not in the initramfs"
	exit 0
fi

churn_r=$SEED
# rnd N: a pseudo-random number below N in $v (no subshell, so that the
# state advances; its name is one no helper uses)
rnd() {
	churn_r=$(((churn_r * 1103515245 + 12345) % 2147483648))
	v=$(((churn_r / 65536) % $1))
}
pick_align() {
	rnd 3
	case $v in 0) al=4K ;; 1) al=2M ;; *) al=1G ;; esac
}

# verify DEV: data written through two units (or all of a smaller
# device) reads back
bad=0
verify() {
	_a=$(dax_align "$1")
	_n=$(($(dax_size "$1") / _a))
	[ "$_n" -gt 2 ] && _n=2
	if ! _o=$(daxmap data "/dev/$1" $((_n * _a)) "$_a" 2>&1); then
		bad=$((bad + 1))
		diag "step $i: data through $1 (align $_a): $_o"
	fi
}

# outcome DEV: a step that made DEV (verify it), or made nothing ("")
outcome() {
	if [ -n "$1" ]; then
		made=$((made + 1))
		verify "$1"
	else
		refused=$((refused + 1))
	fi
}

reset_all() {
	ns_destroy_all
	hmem_reset
	nfit_reset >/dev/null
}

# the dax devices of the namespaces on the NFIT region
nfit_devs() {
	ndctl list -N -r "$(region_of ACPI.NFIT)" | grep -o '"chardev":"[^"]*"' | sed 's/.*:"//; s/"//'
}

reset_all
start_kb=$(free_kb)
made=0 refused=0 destroyed=0 reconf=0 kinds=""
ms_0=0 ms_1=0 ms_2=0 ms_3=0 ms_4=0 ms_5=0
i=0
while [ "$i" -lt "$CYCLES" ]; do
	i=$((i + 1))
	devs=$(nfit_devs)
	n=$(echo "$devs" | grep -c dax)
	rnd 6
	step=$v
	if [ "$step" -le 1 ] && [ "$n" -ge 3 ]; then step=2; fi
	if [ "$step" -ge 2 ] && [ "$step" -le 3 ] && [ "$n" = 0 ]; then step=0; fi
	kinds="$kinds$step"
	t0=$(now_ms)
	case $step in
	0 | 1)
		pick_align
		if [ "$al" = 1G ]; then rnd 2; size=$((v + 2))G; else rnd 12; size=$(((v + 1) * 64))M; fi
		outcome "$(ns_create nfit "$al" mem "$size")"
		;;
	2)
		rnd "$n"
		dev=$(echo "$devs" | sed -n "$((v + 1))p")
		ns_destroy "$dev" || { bad=$((bad + 1)); diag "step $i: destroying $dev failed"; }
		destroyed=$((destroyed + 1))
		;;
	3)
		rnd "$n"
		dev=$(echo "$devs" | sed -n "$((v + 1))p")
		ns=$(ns_of_dax "$dev")
		pick_align
		if out=$(ndctl create-namespace -f -e "$ns" -m devdax -a "$al" -M mem 2>/dev/null); then
			reconf=$((reconf + 1))
			verify "$(echo "$out" | json chardev)"
		else
			refused=$((refused + 1))
		fi
		;;
	4)
		pick_align
		rnd 2
		if [ "$v" = 0 ]; then mp=mem; else mp=dev; fi
		outcome "$(ns_create e820 "$al" "$mp")"
		;;
	5)
		hmem_reset
		pick_align
		rnd 4
		outcome "$(hmem_create "$al" $(((v + 1) * 512))M)"
		;;
	esac
	eval "ms_$step=\$((ms_$step + $(now_ms) - t0))"
done
diag "seconds by kind of step (NFIT create, destroy, reconfigure; e820; hmem):" \
	$(((ms_0 + ms_1) / 1000)) $((ms_2 / 1000)) $((ms_3 / 1000)) $((ms_4 / 1000)) $((ms_5 / 1000))
# steps by kind: NFIT create, NFIT destroy, NFIT reconfigure, e820, hmem
hist=$(for k in 0 2 3 4 5; do
	[ "$k" = 0 ] && k=01
	printf '%s ' "$(echo "$kinds" | tr -cd "$k" | wc -c)"
done)
diag "steps by kind (NFIT create, destroy, reconfigure; e820; hmem): $hist"
is "$bad" 0 "$CYCLES churn steps (seed $SEED): $made devices made, $reconf reconfigured, $destroyed destroyed, $refused refused cleanly; every data round trip and destroy worked"
# every kind of step ran: the sequence is not stuck in a corner
few=0
for c in $hist; do
	[ "$c" -ge $((CYCLES / 20)) ] || few=1
done
is "$few" 0 "every kind of step ran at least $((CYCLES / 20)) times ($hist)"

# every pfn of the devices left
mism=0 nchk=0
for dev in $(daxctl list -D 2>/dev/null | grep -o '"chardev":"[^"]*"' | sed 's/.*:"//; s/"//'); do
	[ "$(dax_size "$dev")" -gt 0 ] || continue
	res=$(layout_check "$(dax_start_pfn "$dev")" $(($(dax_size "$dev") / 4096)) \
		"$(expected_order "$(dax_align "$dev")")" 2>&1)
	nchk=$((nchk + 1))
	case "$res" in
	*" busy=0 hwpoison=0 mismatch=0") ;;
	*) mism=$((mism + 1)); diag "  $dev: $res" ;;
	esac
done
is "$mism" 0 "every pfn of the $nchk devices left after the churn has its layout"

# hmem round trips through system RAM
hmem_reset
dev=$(hmem_create 2M 512M)
total=$(memtotal_kb)
k=0 fails=0 t0=$(now_ms)
while [ "$k" -lt "$ROUNDS" ] && [ -n "$dev" ]; do
	k=$((k + 1))
	if ! daxctl reconfigure-device -m system-ram "$dev" >/dev/null 2>&1 ||
		[ $(($(memtotal_kb) - total)) != $((512 * 1024)) ] ||
		! daxctl reconfigure-device -m devdax -f "$dev" >/dev/null 2>&1 ||
		[ "$(memtotal_kb)" != "$total" ] ||
		! daxmap data "/dev/$dev" "$(bytes 4M)" 2M >/dev/null 2>&1; then
		fails=$((fails + 1))
		diag "round trip $k of $dev failed (MemTotal $(memtotal_kb) kB, was $total)"
	fi
done
diag "$k round trips took $((($(now_ms) - t0) / 1000)) s"
is "$k/$fails" "$ROUNDS/0" "$ROUNDS hmem devdax <-> system-ram round trips: MemTotal +512 MiB and back, data after each"
res=$(layout_check "$(dax_start_pfn "$dev")" $((512 * 256)) "$(expected_order 2097152)" 2>&1)
case "$res" in
*" busy=0 hwpoison=0 mismatch=0") ok "after them every pfn of $dev has its layout ($res)" ;;
*) not_ok "after them every pfn of $dev has its layout"; diag "  $res" ;;
esac

reset_all
lost=$((start_kb - $(free_kb)))
if [ "$lost" -le "$TOL_KB" ]; then
	ok "after the churn and teardown free memory is back within $TOL_KB kB (lost $lost kB)"
else
	not_ok "after the churn and teardown free memory is back within $TOL_KB kB (lost $lost kB)"
fi

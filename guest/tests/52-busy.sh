#!/bin/sh
# A device in use meets reconfiguration (issue 11, item 9): a process
# keeps a mapping of the device (daxmap hold: data stamped, waiting)
# while its namespace is destroyed, re-created at another align or its
# hmem device turned into system RAM. Without --force ndctl refuses an
# active namespace and loses nothing: the namespace and the mapping keep
# their data. With --force (daxctl needs none to turn a devdax device
# into system RAM) the kernel unmaps the device from every process
# before it lets the memory go: the holder's next access gets SIGBUS; it
# must never read what the memory holds afterwards (the new device's
# data, or RAM the kernel hands out). A system-RAM device with a pinned
# page cannot go back to devdax: the offline retries until a signal
# stops daxctl, the device stays system RAM, the pinned data intact, and
# once the pin is gone the reconfigure works. A pinned page of a devdax
# device at teardown is guest/tests/55-teardown-pinned.sh.
# shellcheck source=guest/lib/tap.sh
. /opt/lib/tap.sh
# shellcheck source=guest/lib/dax.sh
. /opt/lib/dax.sh

fifo=/tmp/52-go

# hold_start DEV ALIGN: a holder process maps 64M of DEV (one unit at
# align 1G); 1 if it did not map
hold_start() {
	_len=64M
	[ "$2" = 1G ] && _len=1G
	rm -f "$fifo" /tmp/52.out
	mkfifo "$fifo"
	daxmap hold "/dev/$1" "$_len" "$2" <"$fifo" >/tmp/52.out 2>&1 &
	holder=$!
	exec 3>"$fifo"
	wait_line /tmp/52.out "$holder" held && return 0
	sed 's/^/#   /' /tmp/52.out
	exec 3>&-
	wait "$holder"
	return 1
}

# hold_end: let the holder read its mapping again; $seen is what it saw
hold_end() {
	echo go >&3
	exec 3>&-
	wait "$holder"
	seen=$(tail -1 /tmp/52.out)
}

# refused DESC: ok when the last command failed ($rc) saying the
# namespace is active ($out)
refused() {
	case "$rc:$out" in
	0:*) not_ok "$1"; diag "  it succeeded: $out" ;;
	*"is active"*) ok "$1" ;;
	*) not_ok "$1"; diag "  rc=$rc, not the 'is active' refusal: $out" ;;
	esac
}

# ---- NFIT namespace: destroy and reconfigure while mapped
nfit_reset >/dev/null
dev=$(ns_create nfit 2M mem 2G)
ns=$(ns_of_dax "$dev")
if [ -z "$dev" ] || ! hold_start "$dev" 2M; then
	not_ok "nfit: a process maps $dev"
else
	ok "nfit: a process maps $dev ($ns) and stamps 64M"
	out=$(ndctl destroy-namespace "$ns" 2>&1)
	rc=$?
	refused "nfit: destroy-namespace without --force refuses: the namespace is active"
	is "$(ndctl list -n "$ns" | json mode):$(dax_align "$dev")" devdax:2097152 \
		"nfit: the namespace is still there, its device enabled at align 2M"
	out=$(ndctl create-namespace -e "$ns" -m devdax -a 1G -M mem 2>&1)
	rc=$?
	refused "nfit: reconfiguring it to align 1G without --force refuses: the namespace is active"
	hold_end
	is "$seen" "data ok" "nfit: after both refusals the mapping still reads its data"

	hold_start "$dev" 2M || true
	if out=$(ndctl create-namespace -f -e "$ns" -m devdax -a 1G -M mem 2>&1); then
		new=$(echo "$out" | json chardev)
		is "$(dax_align "$new")" 1073741824 "nfit: --force reconfigures the mapped namespace to align 1G"
		check "nfit: data round trip through the re-created $new" \
			daxmap data "/dev/$new" "$(bytes 1G)" 1G
	else
		not_ok "nfit: --force reconfigures the mapped namespace to align 1G"
		diag "  $out"
		new=
	fi
	hold_end
	is "$seen" "SIGBUS at=+0" "nfit: the old mapping faults with SIGBUS, it never reaches the new device's data"

	if [ -n "$new" ] && hold_start "$new" 1G; then
		if ndctl destroy-namespace -f "$ns" >/dev/null 2>&1; then
			ok "nfit: --force destroys the namespace while $new is mapped"
		else
			not_ok "nfit: --force destroys the namespace while $new is mapped"
		fi
		# the same capacity again, written through a new device
		again=$(ns_create nfit 2M mem 2G)
		check "nfit: a new namespace on the freed capacity works (${again:-none})" \
			daxmap data "/dev/$again" "$(bytes 1G)" 2M
		hold_end
		is "$seen" "SIGBUS at=+0" "nfit: the destroyed device's mapping faults with SIGBUS"
		[ -n "$again" ] && ns_destroy "$again"
	else
		not_ok "nfit: a process maps the re-created device"
	fi
fi

# ---- hmem: devdax -> system-ram while mapped, and back while in use
hmem_reset
dev=$(hmem_create 2M 512M)
if [ -z "$dev" ] || ! hold_start "$dev" 2M; then
	not_ok "hmem: a process maps ${dev:-a new device}"
else
	ok "hmem: a process maps $dev and stamps 64M"
	total=$(memtotal_kb)
	# daxctl does not ask for --force here: a devdax device is not in
	# use as memory, whoever maps it
	check "hmem: the mapped device becomes system RAM" \
		daxctl reconfigure-device -m system-ram "$dev"
	is $(($(memtotal_kb) - total)) $((512 * 1024)) "hmem: MemTotal grows by 512 MiB"
	hold_end
	is "$seen" "SIGBUS at=+0" "hmem: the devdax mapping faults with SIGBUS once the memory is system RAM: it never reads that RAM"
fi

# ---- hmem: system-ram -> devdax while a page of it is pinned. The
# memory offline retries the migration of the pinned page until a signal
# stops it (5.10 has no timeout): daxctl, stopped after 10 s, must leave
# the device in system-ram mode, bound to kmem, the pinned data intact.
mode_of() { daxctl list -d "$1" | json mode; }
if [ -n "$dev" ] && [ "$(mode_of "$dev")" = system-ram ]; then
	start=$(cat "/sys/bus/dax/devices/$dev/resource")
	size=$(dax_size "$dev")
	rm -f "$fifo"
	mkfifo "$fifo"
	daxmap pinram "$start" $((start + size)) <"$fifo" >/tmp/52.pin 2>&1 &
	pinner=$!
	exec 3>"$fifo"
	if wait_line /tmp/52.pin "$pinner" held; then
		ok "hmem: a process pins a page of $dev's system RAM ($(head -1 /tmp/52.pin))"
		kmsg_mark 52-pin
		timeout -s INT 10 daxctl reconfigure-device -m devdax -f "$dev" >/tmp/52.dx 2>&1
		rc=$?
		diag "  daxctl rc=$rc said: $(head -3 /tmp/52.dx | tr '\n' ' ')"
		is "$([ "$rc" != 0 ] && echo failed):$(mode_of "$dev")" "failed:system-ram" \
			"hmem: going back to devdax fails while the page is pinned; the device stays system RAM"
		echo go >&3
		exec 3>&-
		wait "$pinner"
		is "$?:$(tail -1 /tmp/52.pin)" "0:pipe data ok" "hmem: the pinned page kept its data"
		check "hmem: once the pin is gone, $dev goes back to devdax" \
			daxctl reconfigure-device -m devdax -f "$dev"
		is "$(memtotal_kb)" "$total" "hmem: MemTotal is back where it was before system-ram"
		check "hmem: data round trip through $dev after all that" \
			daxmap data "/dev/$dev" "$(bytes 512M)" 2M
		pfn=$(sed -n 's/^held pfn=0x//p' /tmp/52.pin)
		if dmesg_since 52-pin | grep -q "migrating pfn $pfn failed"; then
			ok "hmem: the kernel log names the pinned pfn $pfn as the page that failed to migrate"
		else
			not_ok "hmem: the kernel log names the pinned pfn $pfn as the page that failed to migrate"
			dmesg_since 52-pin | sed 's/^/#   kernel: /' | tail -5
		fi
	else
		not_ok "hmem: a process pins a page of $dev's system RAM"
		sed 's/^/#   /' /tmp/52.pin
		exec 3>&-
		wait "$pinner"
	fi
fi
hmem_reset

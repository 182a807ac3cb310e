#!/bin/sh
# Teardown while device pages are referenced: a process vmsplice()s 64 KiB
# of a device (straddling two compound pages) into a pipe, unmaps the
# device and keeps the pipe. Disabling the namespace must wait for those
# page references (memunmap_pages() waits for the pgmap references that
# the pages hold until their last put) instead of freeing the memmap under
# the pipe; once the pipe is drained the data read out is intact and the
# disable completes. The namespace then enables again with its data.
# shellcheck source=guest/lib/tap.sh
. /opt/lib/tap.sh
# shellcheck source=guest/lib/dax.sh
. /opt/lib/dax.sh

# wait_gone PID SECS: wait up to SECS for PID to exit; status 1 if it
# did not.
wait_gone() {
	_i=0
	while kill -0 "$1" 2>/dev/null; do
		[ "$_i" -ge "$2" ] && return 1
		sleep 1
		_i=$((_i + 1))
	done
}

fifo=/tmp/55-go
# pinned_tests ALIGN A DEV
pinned_tests() {
	ns=$(ns_of_dax "$3")
	rm -f "$fifo"
	mkfifo "$fifo"
	daxmap vmsplice "/dev/$3" $((2 * $2)) "$2" $(($2 - 32768)) <"$fifo" >/tmp/55.out 2>&1 &
	vs=$!
	exec 3>"$fifo"
	if ! wait_line /tmp/55.out "$vs" held; then
		not_ok "align=$1: pages held in a pipe"
		sed 's/^/#   /' /tmp/55.out
		exec 3>&-
		wait "$vs"
		return
	fi
	ndctl disable-namespace "$ns" >/tmp/55.dis 2>&1 &
	dis=$!
	sleep 5
	if kill -0 "$dis" 2>/dev/null; then
		ok "align=$1: disable waits while the pipe holds device pages"
	else
		not_ok "align=$1: disable waits while the pipe holds device pages"
		sed 's/^/#   /' /tmp/55.dis
	fi
	echo go >&3
	exec 3>&-
	wait "$vs"
	is "$?:$(tail -1 /tmp/55.out)" "0:pipe data ok" \
		"align=$1: data read from the pipe after the disable began is intact"
	# generous: the sanitizer kernel on a busy host frees 3 GiB of memmap slowly
	if wait_gone "$dis" 180; then
		wait "$dis"
		is "$?" 0 "align=$1: disable completes once the pipe is drained"
	else
		not_ok "align=$1: disable completes once the pipe is drained (still waiting after 180 s)"
	fi
	if ndctl enable-namespace "$ns" >/dev/null 2>&1; then
		check "align=$1: enabled again, data round trip" \
			daxmap data "/dev/$(ndctl list -N -n "$ns" | json chardev)" $((2 * $2)) "$2"
	else
		not_ok "align=$1: enabled again after the disable"
	fi
}

on_aligned pinned_tests
rm -f "$fifo"

# shellcheck shell=sh
# TAP helpers for the guest tests. The test counter lives in a file so
# that every test script of one run shares one TAP stream.
TAP_COUNT=/tmp/tap.count
[ -f "$TAP_COUNT" ] || echo 0 >"$TAP_COUNT"

_tap_next() {
	n=$(($(cat "$TAP_COUNT") + 1))
	echo "$n" >"$TAP_COUNT"
	echo "$n"
}

# ok DESC / not_ok DESC / skip DESC REASON
ok() { echo "ok $(_tap_next) - $*"; }
not_ok() { echo "not ok $(_tap_next) - $*"; }
skip() { echo "ok $(_tap_next) - $1 # SKIP $2"; }
diag() { echo "# $*"; }

# check DESC CMD...: ok when CMD succeeds; its output goes to diag lines.
check() {
	_desc=$1
	shift
	if _out=$("$@" 2>&1); then
		ok "$_desc"
	else
		not_ok "$_desc"
		printf '%s\n' "$_out" | sed 's/^/#   /' | tail -20
	fi
}

# is GOT WANT DESC
is() {
	if [ "$1" = "$2" ]; then
		ok "$3"
	else
		not_ok "$3"
		diag "  got '$1', want '$2'"
	fi
}

# isnt GOT OTHER DESC: GOT is not empty and differs from OTHER
isnt() {
	if [ -n "$1" ] && [ "$1" != "$2" ]; then
		ok "$3"
	else
		not_ok "$3"
		diag "  got '$1', must be non-empty and differ from '$2'"
	fi
}

# within GOT WANT TOL DESC: |GOT - WANT| <= TOL (integers; anything
# else in GOT is a failure, not a zero)
within() {
	case "$1" in
	'' | - | -*[!0-9]* | [!-]*[!0-9]*)
		not_ok "$4"
		diag "  got '$1', not an integer"
		return
		;;
	esac
	_d=$(($1 - $2))
	[ "$_d" -lt 0 ] && _d=$((-_d))
	if [ "$_d" -le "$3" ]; then
		ok "$4 ($1, want $2 +- $3)"
	else
		not_ok "$4"
		diag "  got $1, want $2 +- $3"
	fi
}

# at_most GOT MAX DESC: GOT <= MAX (integers; anything else in GOT is a
# failure, not a zero)
at_most() {
	case "$1" in
	'' | - | -*[!0-9]* | [!-]*[!0-9]*)
		not_ok "$3"
		diag "  got '$1', not an integer"
		return
		;;
	esac
	if [ "$1" -le "$2" ]; then
		ok "$3 ($1, at most $2)"
	else
		not_ok "$3"
		diag "  got $1, want at most $2"
	fi
}

# median N...: the middle value of integers (the lower one of the two
# middle values when there is an even number).
median() {
	printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

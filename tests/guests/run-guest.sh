#!/bin/sh
# run-guest.sh - run a test guest (under hvsim or QEMU) and judge its output.
#
# usage: run-guest.sh EXPECTED_STATUS PATTERN_FILE -- COMMAND [ARG...]
#
# Runs COMMAND with stdin from /dev/null and a timeout, capturing stdout and
# stderr together.  The run passes (exit 0) only if all of these hold:
#   - COMMAND's exit status is EXPECTED_STATUS (isa-debug-exit: write of v
#     to port 0xF4 gives (v << 1) | 1, so 1 = guest passed, 3 = guest failed)
#   - no output line starts with "FAIL:"
#   - at least one output line starts with "PASS:"
#   - every pattern in PATTERN_FILE matches some output line.  One grep -E
#     pattern per line; empty lines and lines starting with '#' are skipped;
#     /dev/null means no required lines.
# Carriage returns and ESC characters are removed from the output before
# matching and printing (serial consoles send CR LF; firmware may send
# terminal escape sequences).  On failure the reasons and the captured output are
# printed and the exit status is 1; usage errors exit with 2.
#
# Environment:
#   RUN_GUEST_TIMEOUT  seconds before COMMAND is killed (default 120); needs
#                      timeout(1), without it COMMAND runs unbounded.
#   RUN_GUEST_VERBOSE  if set and not empty, print the output on success too.
#   RUN_GUEST_NO_PASS_LINE  if set, do not demand a PASS: line (guests we do
#                      not write, such as a Linux boot, are judged by the
#                      pattern file alone).
#   RUN_GUEST_BUG_MODE  if set, FAIL: lines are allowed: the run reproduces
#                      a bug, and the pattern file lists the FAIL: lines
#                      (and PASS: lines) the guest must print.

usage() {
	echo "usage: $0 EXPECTED_STATUS PATTERN_FILE -- COMMAND [ARG...]" >&2
	exit 2
}

[ $# -ge 4 ] || usage
expected=$1
patterns=$2
[ "$3" = "--" ] || usage
shift 3

case $expected in
'' | *[!0-9]*) echo "$0: EXPECTED_STATUS must be a number: '$expected'" >&2; exit 2 ;;
esac
if [ ! -r "$patterns" ]; then
	echo "$0: cannot read pattern file '$patterns'" >&2
	exit 2
fi

limit=${RUN_GUEST_TIMEOUT:-120}
raw=$(mktemp "${TMPDIR:-/tmp}/run-guest.XXXXXX") || exit 2
out=$(mktemp "${TMPDIR:-/tmp}/run-guest.XXXXXX") || { rm -f "$raw"; exit 2; }
trap 'rm -f "$raw" "$out"' EXIT
trap 'exit 130' INT TERM

if command -v timeout >/dev/null 2>&1; then
	timeout -k 10 "$limit" "$@" </dev/null >"$raw" 2>&1
	status=$?
else
	"$@" </dev/null >"$raw" 2>&1
	status=$?
fi
tr -d '\r\033' <"$raw" >"$out"

reasons=""
add_reason() {
	reasons="$reasons
  - $1"
}

if [ "$status" -ne "$expected" ]; then
	if [ "$status" -eq 124 ] && command -v timeout >/dev/null 2>&1; then
		add_reason "timed out after ${limit}s (exit status 124, expected $expected)"
	else
		add_reason "exit status $status, expected $expected"
	fi
fi
if [ -z "${RUN_GUEST_BUG_MODE:-}" ] && grep -q '^FAIL:' "$out"; then
	add_reason "FAIL line(s) in the output:"
	fails=$(grep '^FAIL:' "$out" | sed 's/^/      /')
	reasons="$reasons
$fails"
fi
if [ -z "${RUN_GUEST_NO_PASS_LINE:-}" ] && ! grep -q '^PASS:' "$out"; then
	add_reason "no PASS line in the output"
fi

while IFS= read -r pat || [ -n "$pat" ]; do
	case $pat in
	'' | '#'*) continue ;;
	esac
	grep -Eq -e "$pat" "$out" 2>/dev/null
	case $? in
	0) ;;
	1) add_reason "required line missing: $pat" ;;
	*) add_reason "bad pattern (grep -E failed): $pat" ;;
	esac
done <"$patterns"

if [ -n "$reasons" ]; then
	echo "run-guest: FAILED: $*"
	echo "run-guest: reasons:$reasons"
	echo "run-guest: ---- captured output ----"
	cat "$out"
	echo "run-guest: ---- end of output ----"
	exit 1
fi

if [ -n "${RUN_GUEST_VERBOSE:-}" ]; then
	cat "$out"
fi
npass=$(grep -c '^PASS:' "$out" || true)
echo "run-guest: ok ($npass PASS lines, exit status $status): $*"
exit 0

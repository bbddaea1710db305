#!/usr/bin/env bash
# run-tests.sh BUILD [ASAN_BUILD] - runs the CTest suite of each build
# directory and prints one TAP13 report over all of them, then CTest's own
# summary line.  Exit status: non-zero if any test failed.
#
# The ASan+UBSan build runs every test except those labelled "slow" (the
# full Linux boots), which would take most of CI's time under the
# sanitizers; the normal build runs everything.
set -uo pipefail

tap_from_junit() {	# tap_from_junit PREFIX FILE: "ok"/"not ok" lines
	awk -v prefix="$1" '
	/<testcase / {
		name = $0; sub(/.*name="/, "", name); sub(/".*/, "", name)
		status = $0; sub(/.*status="/, "", status); sub(/".*/, "", status)
		n++
		if (status == "run" || status == "passed")
			printf "ok %d - %s%s\n", 0, prefix, name
		else if (status == "disabled" || status == "notrun")
			printf "ok %d - %s%s # SKIP %s\n", 0, prefix, name, status
		else
			printf "not ok %d - %s%s\n", 0, prefix, name
	}' "$2"
}

# libunicorn keeps 64 bytes per closed engine; that is not ours to fix.
export LSAN_OPTIONS="suppressions=$(cd "$(dirname "$0")" && pwd)/lsan.supp"

rc=0
lines=""
for dir in "$@"; do
	[ -d "$dir" ] || continue
	label_args=()
	prefix="$(basename "$dir")/"
	case "$dir" in *asan*) label_args=(-LE slow) ;; esac
	(cd "$dir" && ctest --output-on-failure -j2 "${label_args[@]}" \
		--output-junit junit.xml) || rc=1
	lines+=$(tap_from_junit "$prefix" "$dir/junit.xml")$'\n'
done

total=$(printf '%s' "$lines" | grep -c '^\(not \)\?ok' || true)
failed=$(printf '%s' "$lines" | grep -c '^not ok' || true)
echo "TAP version 13"
echo "1..$total"
printf '%s' "$lines" | awk '/^(not )?ok/ { n++; sub(/ 0 - /, " " n " - "); print }'
echo "$((total - failed)) passed, $failed failed"
exit $rc

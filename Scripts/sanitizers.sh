#!/usr/bin/env bash
# Runs the test suite under ThreadSanitizer and AddressSanitizer, each in its own build folder,
# and prints one summary line per sanitizer (the full output on failure).
# LeakSanitizer is off here: FoundationXML and URLSession, which some tests use, leak by
# themselves; CallConsultKit's own leaks are checked by Scripts/leak-check.sh under valgrind.
set -euo pipefail
cd "$(dirname "$0")/.."
run() {
    local name=$1; shift
    local log
    log=$(mktemp)
    if "$@" >"$log" 2>&1 && ! grep -qE "WARNING: ThreadSanitizer|ERROR: AddressSanitizer" "$log"; then
        echo "sanitizers: $name: $(grep -E 'Executed [0-9]+ tests, with' "$log" | tail -n 1 | sed -E 's/^[[:space:]]*//')"
    else
        cat "$log"
        echo "sanitizers: $name: FAILED" >&2
        exit 1
    fi
}
# Scripts/tsan-suppressions.txt: third-party false positives, each with its reason.
run thread env TSAN_OPTIONS="halt_on_error=1:suppressions=$PWD/Scripts/tsan-suppressions.txt" \
    swift test --sanitize=thread --scratch-path .build-tsan
run address env ASAN_OPTIONS=detect_leaks=0:halt_on_error=1 swift test --sanitize=address --scratch-path .build-asan

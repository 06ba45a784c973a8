#!/usr/bin/env bash
# Leak check: valgrind memcheck over tens of thousands of decodes (valid, invalid, hostile; each
# seed decoded as a request and as a response, and round-tripped when valid).
#   Scripts/leak-check.sh [REPEATS]     default 1000 (× the seeds in Fuzz/seeds)
# Fails when valgrind finds any byte definitely lost or any memory error.
set -euo pipefail
cd "$(dirname "$0")/.."
repeats="${1:-1000}"
command -v valgrind >/dev/null 2>&1 || { echo "leak-check: valgrind is not installed" >&2; exit 1; }
swift build -c release --product callconsult-fuzz >/dev/null
log=$(mktemp)
valgrind --tool=memcheck --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=3 \
    --log-file="$log" .build/release/callconsult-fuzz --repeat "$repeats" Fuzz/seeds || {
    status=$?
    cat "$log"
    echo "leak-check: valgrind reported errors or definite leaks (status $status)" >&2
    exit "$status"
}
grep -E "definitely lost|ERROR SUMMARY|total heap usage" "$log"
rm -f "$log"

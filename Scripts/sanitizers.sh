#!/usr/bin/env bash
# Runs the test suite under ThreadSanitizer and AddressSanitizer, each in its own build folder.
# LeakSanitizer is off here: FoundationXML and URLSession, which some tests use, leak by
# themselves; CallConsultKit's own leaks are checked by Scripts/leak-check.sh under valgrind.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "sanitizers: ThreadSanitizer"
TSAN_OPTIONS=halt_on_error=1 swift test --sanitize=thread --scratch-path .build-tsan
echo "sanitizers: AddressSanitizer"
ASAN_OPTIONS=detect_leaks=0:halt_on_error=1 swift test --sanitize=address --scratch-path .build-asan

#!/usr/bin/env bash
# Builds the libFuzzer target over CallConsultKit's decoders (with AddressSanitizer) and runs it.
#   Scripts/fuzz.sh [SECONDS]     default 60
# New inputs go to .build-fuzz/corpus (seeded from Fuzz/seeds); crashes to .build-fuzz/artifacts.
# Prints libFuzzer's final statistics; exits non-zero if the fuzzer found a crash or leak.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
scratch=.build-fuzz
swift build -c release --product callconsult-fuzz --scratch-path "$scratch" \
    -Xswiftc -sanitize=fuzzer,address -Xswiftc -DCALLCONSULT_FUZZING >/dev/null
mkdir -p "$scratch/corpus" "$scratch/artifacts"
"$scratch/release/callconsult-fuzz" "$scratch/corpus" Fuzz/seeds \
    -max_total_time="$seconds" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$scratch/artifacts/" -print_final_stats=1 2>"$scratch/fuzz.log" || {
    status=$?
    tail -n 60 "$scratch/fuzz.log"
    echo "fuzz: the fuzzer stopped with status $status; see $scratch/artifacts" >&2
    exit "$status"
}
grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+ +DONE)' "$scratch/fuzz.log" || tail -n 5 "$scratch/fuzz.log"
echo "fuzz: corpus $(ls "$scratch/corpus" | wc -l) inputs, no crash in ${seconds}s"

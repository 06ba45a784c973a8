#!/usr/bin/env bash
# Builds the libFuzzer targets (with AddressSanitizer) and runs each: callconsult-fuzz over
# CallConsultKit's decoders, callconsult-stub-fuzz over the emulator's stub parser (the admin API's
# JSON).
#   Scripts/fuzz.sh [SECONDS]     default 60, for each target
# New inputs go to .build-fuzz/corpus and .build-fuzz/stub-corpus (seeded from Fuzz/seeds and
# Fuzz/stub-seeds); crashes to .build-fuzz/artifacts.
# Prints libFuzzer's final statistics; exits non-zero if a fuzzer found a crash or leak.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-60}"
scratch=.build-fuzz
for product in callconsult-fuzz callconsult-stub-fuzz; do
    swift build -c release --product "$product" --scratch-path "$scratch" \
        -Xswiftc -sanitize=fuzzer,address -Xswiftc -DCALLCONSULT_FUZZING >/dev/null
done
mkdir -p "$scratch/artifacts"
run() {  # run PRODUCT CORPUS SEEDS
    local product=$1 corpus=$2 seeds=$3
    mkdir -p "$corpus"
    "$scratch/release/$product" "$corpus" "$seeds" \
        -max_total_time="$seconds" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$scratch/artifacts/" -print_final_stats=1 2>"$scratch/$product.log" || {
        status=$?
        tail -n 60 "$scratch/$product.log"
        echo "fuzz: $product stopped with status $status; see $scratch/artifacts" >&2
        exit "$status"
    }
    grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+ +DONE)' "$scratch/$product.log" ||
        tail -n 5 "$scratch/$product.log"
    echo "fuzz: $product: corpus $(ls "$corpus" | wc -l) inputs, no crash in ${seconds}s"
}
run callconsult-fuzz "$scratch/corpus" Fuzz/seeds
run callconsult-stub-fuzz "$scratch/stub-corpus" Fuzz/stub-seeds

#!/usr/bin/env bash
# Builds Tests/Fixtures/CodecOnly, a package that depends only on the CallConsultKit product, and
# checks that its build compiled CallConsultKit and nothing of the HTTP stacks or the CLI's parser.
set -euo pipefail
cd "$(dirname "$0")/../Tests/Fixtures/CodecOnly"
scratch=../../../.build-codec-only
swift build --scratch-path "$scratch" >/dev/null 2>&1 || swift build --scratch-path "$scratch"
out=$("$scratch/debug/CodecOnly")
[ "$out" == "valid: c1" ] || { echo "codec-only: FAILED: the program printed [$out]"; exit 1; }
# Every module compiled, C (an object file in its .build folder) or Swift.
modules=$(find -L "$scratch/debug/" -mindepth 2 -maxdepth 2 -regex '.*/[^/]*\.build/[^/]*\.o' -printf '%h\n' | sed -E 's|.*/([^/]+)\.build$|\1|' | sort -u | tr '\n' ' ')
for module in $modules; do
    case "$module" in
        CallConsultKit | CodecOnly) ;;
        *) echo "codec-only: FAILED: a codec-only service compiled $module (all: $modules)"; exit 1 ;;
    esac
done
echo "codec-only: ok: built only $modules"

#!/usr/bin/env bash
# RSS of `callconsult serve` (release) sampled every 10 s while one wrk run of SECONDS (default
# 300) on 16 connections sends valid, invalid and hostile call_consult requests in turn; the
# connections stay open the whole run (Benchmarks/run.sh's memory step opens new ones every 10 s).
#
#   Benchmarks/memory-hold.sh [SECONDS] > Benchmarks/results/memory-hold.txt
#
# Prints "seconds rss_kib" lines, then "requests N". Build first: (cd Benchmarks && swift build
# -c release --product callconsult). Needs wrk and curl.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-300}
bin=$(cd Benchmarks && swift build -c release --show-bin-path)
work=$(mktemp -d)
server=""
trap '[ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
printf '%s' '<in><request><call_consult conversation_id="0647e098a4b48b05" to_number="1001" operator_id="42"/></request></in>' >"$work/valid.xml"
printf '%s' '<in><request><call_consult conversation_id="0647e098a4b48b05" operator_id="42" mode="x"/></request></in>' >"$work/invalid.xml"
printf '%s' '<!DOCTYPE in [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]><in><request><call_consult conversation_id="&b;" to_number="1"/></request></in>' >"$work/hostile.xml"
ECSS_CLIENT_ID=crm-1 ECSS_API_KEY=bench-api-key ECSS_PHONE_NUMBER=1001 "$bin/callconsult" serve --port 0 >"$work/cc.out" 2>"$work/cc.err" &
server=$!
for _ in $(seq 1 200); do [ -s "$work/cc.out" ] && break; sleep 0.05; done
base="$(head -n 1 "$work/cc.out" | sed 's/^listening on //')/example.domain/service/cc/arm"
cookie=$(curl -s -o /dev/null -D - -X POST -H 'Content-Type: application/xml; charset=utf-8' \
    --data-binary '<in><request client_id="crm-1" api_key="bench-api-key" phone_number="1001"/></in>' "$base/login" |
    awk -F'[ ;]' 'tolower($1) == "set-cookie:" { print $2 }' | tr -d '\r')
[ -n "$cookie" ] || { echo "memory-hold: login failed" >&2; exit 1; }
wrk -t 2 -c 16 -d "${seconds}s" -s Benchmarks/wrk-post.lua "$base/call_consult" -- \
    "$cookie" "$work/valid.xml" "$work/invalid.xml" "$work/hostile.xml" >"$work/wrk.out" &
load=$!
elapsed=0
while kill -0 "$load" 2>/dev/null; do
    echo "$elapsed $(awk '/VmRSS/ { print $2 }' "/proc/$server/status")"
    sleep 10
    elapsed=$((elapsed + 10))
done
wait "$load"
echo "$elapsed $(awk '/VmRSS/ { print $2 }' "/proc/$server/status")"
echo "requests $(awk '/requests in/ { print $1 }' "$work/wrk.out")"

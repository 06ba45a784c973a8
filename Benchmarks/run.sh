#!/usr/bin/env bash
# Reruns every benchmark of BENCHMARKS.md and draws its plots.
#
#   Benchmarks/run.sh [--quick] [--memory-requests N] [--stubs N] [--only codec|instructions|sizes|scaling|http|http-instructions|client|client-instructions|memory|proxy|proxy-instructions|plots]…
#
# --stubs N: the http and http-instructions steps with N call_consult stubs registered on the
# emulator, none matching the benchmark's requests (http-bench serve --stubs N); their results go
# to results/http-N-stubs.jsonl and results/http-instructions-N-stubs.jsonl (--stubs 0: the same
# run without stubs, for a baseline of the same session).
# --memory-requests N: how many requests the memory step sends (1 000 000; 100 000 with --quick).
#
# Results go to Benchmarks/results/ (one JSON line per measurement, each file headed by the
# machine, the load and the versions), plots to Benchmarks/plots/*.png (gnuplot). Needs: wrk,
# curl, gnuplot (Debian: gnuplot-nox), valgrind, cc and objcopy (instruction counts); Scripts/libxml2-sid.sh for
# the libxml2 2.15 line. Every timed table records `uptime` before and after: numbers taken while
# the load average is above ~0.3 on this 2-core machine are noisy and say so.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out="$root/Benchmarks/results"
plots="$root/Benchmarks/plots"
mkdir -p "$out" "$plots"
quick=0
memory_requests=""
stubs=""
only=()
while [ $# -gt 0 ]; do
    case "$1" in
    --quick) quick=1 ;;
    --only) only+=("$2"); shift ;;
    --memory-requests) memory_requests=$2; shift ;;
    --stubs) stubs=$2; shift ;;
    *) echo "usage: Benchmarks/run.sh [--quick] [--memory-requests N] [--stubs N] [--only STEP]…" >&2; exit 2 ;;
    esac
    shift
done
want() { [ ${#only[@]} -eq 0 ] && return 0; local s; for s in "${only[@]}"; do [ "$s" == "$1" ] && return 0; done; return 1; }
say() { echo "bench: $*" >&2; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
header() {  # header FILE TITLE: the machine, versions and load, as a JSON line
    printf '{"title": "%s", "date": "%s", "cores": %s, "cpu": "%s", "swift": "%s", "load_before": "%s"}\n' \
        "$2" "$(date -u +%FT%TZ)" "$(nproc)" "$(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)" \
        "$(swift --version 2>/dev/null | head -n 1 | sed 's/"//g')" "$(load)" >"$1"
}
footer() { printf '{"load_after": "%s"}\n' "$(load)" >>"$1"; }

# Builds, all in release and from this package (Benchmarks/): the codec benchmark, the HTTP benchmark
# and `callconsult`.
if want codec || want instructions || want sizes || want scaling; then
    (cd Benchmarks && swift build -c release --product callconsult-bench >&2)
fi
if want http || want http-instructions || want client || want client-instructions || want memory; then
    (cd Benchmarks && swift build -c release --product http-bench >&2)
fi
if want memory || want proxy || want proxy-instructions; then
    (cd Benchmarks && swift build -c release --product callconsult >&2)
fi
bin="$(cd Benchmarks && swift build -c release --show-bin-path)"
bench="$bin/callconsult-bench"

# 1. Codec: times and ratios against C in one process (median of alternating batches).
if want codec; then
    say "codec (callconsult-bench$([ $quick == 1 ] && echo " --quick"))"
    header "$out/codec.jsonl" "codec, libxml2 system"
    "$bench" --json $([ $quick == 1 ] && echo --quick) --soak $([ $quick == 1 ] && echo 200000 || echo 1000000) >>"$out/codec.jsonl"
    footer "$out/codec.jsonl"
fi

# 2. Instructions per decode (callgrind): what the load cannot disturb. N2 − N1 decodes after setup.
instructions() {  # instructions ARGS… → instructions per decode
    local a b
    a=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bench" --profile "$n1" "$@" 2>&1 | awk '/Collected/ { print $4 }')
    b=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bench" --profile "$n2" "$@" 2>&1 | awk '/Collected/ { print $4 }')
    echo $(((b - a) / (n2 - n1)))
}
if want instructions && command -v valgrind >/dev/null; then
    say "instructions (callgrind)"
    n1=1000 n2=21000
    {
        for kind in valid invalid varied; do
            # varied: invalid requests whose messages differ (misses of the issue text cache)
            flag=$([ $kind == valid ] || echo "--$kind")
            ours=$(instructions $flag)
            c=$(instructions $flag --c-sax)
            printf '{"benchmark": "instructions, decode %s", "callconsultkit": %s, "c_sax_plug": %s, "ratio": %s}\n' \
                "$kind" "$ours" "$c" "$(awk -v a="$ours" -v b="$c" 'BEGIN { printf "%.3f", b / a }')"
        done
    } >"$out/instructions.jsonl"
    cat "$out/instructions.jsonl" >&2
fi

# 3. Cost against body size: instructions per decode (callgrind) for each size, ours and C.
if want sizes && command -v valgrind >/dev/null; then
    say "cost against body size (callgrind)"
    : >"$out/sizes.dat"
    for size in 120 1000 10000 100000 1000000; do
        if [ "$size" -ge 100000 ]; then n1=2 n2=6; else n1=200 n2=1200; fi
        ours=$(instructions --size "$size")
        c=$(instructions --size "$size" --c-sax)
        echo "$size $ours $c" | tee -a "$out/sizes.dat" >&2
    done
fi

# 4. Cores: two threads in one process against two processes, alternating, on both libxml2 lines.
if want scaling; then
    runs=$([ $quick == 1 ] && echo 5 || echo 9)
    say "scaling, libxml2 system ($runs runs)"
    header "$out/scaling-system.jsonl" "scaling, libxml2 system"
    "$bench" --processes --runs "$runs" --json >>"$out/scaling-system.jsonl"
    footer "$out/scaling-system.jsonl"
    if [ -x Scripts/libxml2-sid.sh ]; then
        say "scaling, libxml2 2.15 ($runs runs)"
        header "$out/scaling-2.15.jsonl" "scaling, libxml2 2.15 (Scripts/libxml2-sid.sh)"
        Scripts/libxml2-sid.sh bench --processes --runs "$runs" --json | grep '^{' >>"$out/scaling-2.15.jsonl"
        footer "$out/scaling-2.15.jsonl"
    fi
fi

# The servers: the emulator and the fixed-answer route in one process.
work=$(mktemp -d)
suffix=$([ -z "$stubs" ] && echo "" || echo "-$stubs-stubs")
note=$([ -z "$stubs" ] && echo "" || echo ", $stubs call_consult stubs registered, none matching")
server=""
stop_server() { [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null; server=""; }
trap 'stop_server; rm -rf "$work"' EXIT
printf '%s' '<in><request><call_consult conversation_id="0647e098a4b48b05" to_number="1001" operator_id="42"/></request></in>' >"$work/valid.xml"
printf '%s' '<in><request><call_consult conversation_id="0647e098a4b48b05" operator_id="42" mode="x"/></request></in>' >"$work/invalid.xml"
printf '%s' '<!DOCTYPE in [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]><in><request><call_consult conversation_id="&b;" to_number="1"/></request></in>' >"$work/hostile.xml"
login_body='<in><request client_id="crm-1" api_key="bench-api-key" phone_number="1001"/></in>'
login() {  # login BASE → NAME=value of the session cookie
    curl -s -o /dev/null -D - -X POST -H 'Content-Type: application/xml; charset=utf-8' \
        --data-binary "$login_body" "$1/login" | awk -F'[ ;]' 'tolower($1) == "set-cookie:" { print $2 }' | tr -d '\r'
}
wrk_json() {  # wrk_json CONNECTIONS SECONDS URL COOKIE BODY… → one JSON line
    local connections=$1 seconds=$2 url=$3
    shift 3
    local threads=$((connections < 2 ? 1 : 2))
    wrk -t "$threads" -c "$connections" -d "${seconds}s" --latency -s Benchmarks/wrk-post.lua "$url" -- "$@" |
        awk -v c="$connections" '
            /Requests\/sec/ { rps = $2 }
            /^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 }
            /Non-2xx/ { non2xx = $NF }
            /requests in/ { requests = $1 }
            function us(v) { if (v ~ /us$/) return v + 0; if (v ~ /ms$/) return v * 1000; if (v ~ /s$/) return v * 1e6; return v }
            END { printf "{\"connections\": %d, \"requests\": %d, \"rps\": %.0f, \"p50_us\": %.0f, \"p99_us\": %.0f, \"non2xx\": %d}\n", c, requests, rps, us(p50), us(p99), non2xx + 0 }'
}

# For the instruction steps: COUNT POSTs on one keep-alive connection, and their instructions in
# the callgrind-run process $server (between a zero and a dump).
posts() {  # posts URL COOKIE COUNT → COUNT POSTs of valid.xml on one connection; fails unless all are 200
    local url=$1 cookie=$2 count=$3 i
    for i in $(seq 1 "$count"); do printf 'url = "%s"\noutput = "/dev/null"\n' "$url"; done >"$work/urls"
    local codes jar=()
    [ "$cookie" == - ] || jar=(-b "$cookie")
    codes=$(curl -s -K "$work/urls" -X POST -H 'Content-Type: application/xml; charset=utf-8' \
        "${jar[@]}" --data-binary @"$work/valid.xml" -w '%{http_code}\n' | sort | uniq -c | tr -s ' ')
    [ "$codes" == " $count 200" ] || { echo "bench: $url answered $codes" >&2; return 1; }
}
counted() {  # counted URL COOKIE COUNT NAME → instructions of COUNT requests; the dump kept as NAME
    callgrind_control -z "$server" >/dev/null
    posts "$1" "$2" "$3"
    callgrind_control -d "$server" >/dev/null
    local dump
    dump=$(ls -t "$work"/cg.out.* | head -n 1)
    mv "$dump" "$work/$4.out"
    awk '/^(summary|totals):/ { print $2; exit }' "$work/$4.out"
}

# 5. HTTP, server side: wrk against the emulator and the fixed route, alternating.
if want http; then
    "$bin/http-bench" serve --stubs "${stubs:-0}" >"$work/serve.out" 2>"$work/serve.err" &
    server=$!
    for _ in $(seq 1 200); do [ "$(wc -l <"$work/serve.out")" -ge 2 ] && break; sleep 0.05; done
    emulator=$(awk '$1 == "emulator" { print $2 }' "$work/serve.out")
    fixed=$(awk '$1 == "fixed" { print $2 }' "$work/serve.out")
    cookie=$(login "$emulator")
    [ -n "$cookie" ] || { echo "bench: login to the emulator failed" >&2; exit 1; }
    seconds=$([ $quick == 1 ] && echo 3 || echo 5)
    rounds=$([ $quick == 1 ] && echo 3 || echo 5)
    say "http server side: $rounds rounds of ${seconds} s per route and connection count"
    header "$out/http$suffix.jsonl" "http server side: wrk, emulator vs fixed-answer route, same process$note"
    for connections in 1 16 256; do
        wrk_json "$connections" 1 "$emulator/call_consult" "$cookie" "$work/valid.xml" >/dev/null
        wrk_json "$connections" 1 "$fixed/call_consult" - "$work/valid.xml" >/dev/null
        for round in $(seq 1 "$rounds"); do
            printf '{"route": "emulator", "round": %d, "result": %s}\n' "$round" \
                "$(wrk_json "$connections" "$seconds" "$emulator/call_consult" "$cookie" "$work/valid.xml")" >>"$out/http$suffix.jsonl"
            printf '{"route": "fixed", "round": %d, "result": %s}\n' "$round" \
                "$(wrk_json "$connections" "$seconds" "$fixed/call_consult" - "$work/valid.xml")" >>"$out/http$suffix.jsonl"
        done
    done
    footer "$out/http$suffix.jsonl"
    python3 Benchmarks/summarize.py http "$out/http$suffix.jsonl" | tee "$out/http$suffix.dat" >&2
fi

# 5b. HTTP, instructions per request (callgrind): what the machine's load cannot disturb. The server
# runs under callgrind with instrumentation off; for each route, instrumentation goes on, N1 and
# then N2 requests are sent on one keep-alive connection (curl, one URL per request), each batch
# between a zero and a dump, and (I(N2) − I(N1)) / (N2 − N1) is the cost of one request to the
# server (every thread of it, user space; the kernel is not counted). The fixed route's cost over
# the emulator's is the ratio. The per-function difference of the N2 dumps, per request, goes to
# results/http-instructions-diff.txt.
if want http-instructions && command -v valgrind >/dev/null; then
    n1=$([ $quick == 1 ] && echo 100 || echo 300)
    n2=$([ $quick == 1 ] && echo 600 || echo 2300)
    # valgrind 3.19 reads neither Swift's DWARF 5 (a copy without debug sections keeps the symbol
    # table, enough for function names) nor a read-only sigsuspend mask (the preloaded shim).
    objcopy --strip-debug "$bin/http-bench" "$work/http-bench"
    cc -O2 -shared -fPIC -o "$work/sigsuspend.so" Benchmarks/callgrind-sigsuspend.c
    stop_server  # the native server of step 5, if it ran: this step has one of its own
    LD_PRELOAD="$work/sigsuspend.so" valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$work/cg.out" \
        "$work/http-bench" serve --stubs "${stubs:-0}" >"$work/serve.out" 2>"$work/serve.err" &
    server=$!
    for _ in $(seq 1 1200); do [ "$(wc -l <"$work/serve.out")" -ge 2 ] && break; sleep 0.1; done
    emulator=$(awk '$1 == "emulator" { print $2 }' "$work/serve.out")
    fixed=$(awk '$1 == "fixed" { print $2 }' "$work/serve.out")
    [ -n "$emulator" ] && [ -n "$fixed" ] || { echo "bench: http-bench serve did not start under callgrind" >&2; exit 1; }
    cookie=$(login "$emulator")
    [ -n "$cookie" ] || { echo "bench: login to the emulator failed" >&2; exit 1; }
    say "http instructions per request (callgrind, $n1 and $n2 requests per route)"
    header "$out/http-instructions$suffix.jsonl" "http instructions per request: callgrind, emulator vs fixed-answer route, same process$note"
    callgrind_control -i on "$server" >/dev/null
    for route in emulator fixed; do
        base=$([ $route == emulator ] && echo "$emulator" || echo "$fixed")
        jar=$([ $route == emulator ] && echo "$cookie" || echo -)
        posts "$base/call_consult" "$jar" 100  # warm up: lazy initialisations, allocator pools
        a=$(counted "$base/call_consult" "$jar" "$n1" "$route-n1")
        b=$(counted "$base/call_consult" "$jar" "$n2" "$route-n2")
        printf '{"route": "%s", "requests": [%d, %d], "instructions": [%d, %d], "instructions_per_request": %d}\n' \
            "$route" "$n1" "$n2" "$a" "$b" $(((b - a) / (n2 - n1))) >>"$out/http-instructions$suffix.jsonl"
    done
    footer "$out/http-instructions$suffix.jsonl"
    python3 Benchmarks/summarize.py http-instructions "$out/http-instructions$suffix.jsonl" "$work/emulator-n2.out" \
        "$work/fixed-n2.out" "$n2" >"$out/http-instructions$suffix-diff.txt"
    head -n 4 "$out/http-instructions$suffix-diff.txt" >&2
    stop_server
fi

# 6. HTTP, client side: ECSSClient against AsyncHTTPClient posting the same bytes.
if want client; then
    if [ -z "$server" ]; then
        "$bin/http-bench" serve >"$work/serve.out" 2>"$work/serve.err" &
        server=$!
        for _ in $(seq 1 200); do [ "$(wc -l <"$work/serve.out")" -ge 2 ] && break; sleep 0.05; done
    fi
    base=$(awk '$1 == "emulator" { print $2 }' "$work/serve.out" | sed -E 's|(http://[^/]+)/.*|\1|')
    say "http client side against $base"
    header "$out/client.jsonl" "http client side: ECSSClient vs AsyncHTTPClient, same bytes"
    "$bin/http-bench" client --url "$base" --tasks 1,64 --seconds "$([ $quick == 1 ] && echo 2 || echo 3)" \
        --rounds "$([ $quick == 1 ] && echo 3 || echo 5)" >>"$out/client.jsonl"
    footer "$out/client.jsonl"
fi

# 6b. Client instructions per call (callgrind, client process only; the server runs natively in
# another process): N2 − N1 calls after the login and 200 warm-up calls, ECSSClient and bare
# AsyncHTTPClient (.bytes body, answer not decoded) through HTTPClient.shared and through an
# HTTPClient configured as ECSSClient's own, 1 and 64 tasks. Valgrind 3.19 crashes in
# glibc's sigsuspend, where an async main parks its main thread: the preloaded shim of step 5b
# (Benchmarks/callgrind-sigsuspend.c) passes it a writable mask.
if want client-instructions && command -v valgrind >/dev/null && command -v cc >/dev/null; then
    if [ -z "$server" ]; then
        "$bin/http-bench" serve >"$work/serve.out" 2>"$work/serve.err" &
        server=$!
        for _ in $(seq 1 200); do [ "$(wc -l <"$work/serve.out")" -ge 2 ] && break; sleep 0.05; done
    fi
    base=$(awk '$1 == "emulator" { print $2 }' "$work/serve.out" | sed -E 's|(http://[^/]+)/.*|\1|')
    cc -O2 -shared -fPIC -o "$work/sigsuspend.so" Benchmarks/callgrind-sigsuspend.c
    objcopy --strip-debug "$bin/http-bench" "$work/http-bench"  # valgrind 3.19 cannot read its DWARF 5
    n1=200 n2=$([ $quick == 1 ] && echo 1200 || echo 2200)
    client_count() {  # client_count MODE TASKS CALLS → instructions of the whole run
        LD_PRELOAD="$work/sigsuspend.so" valgrind --tool=callgrind --callgrind-out-file=/dev/null "$work/http-bench" \
            client-count --url "$base" --mode "$1" --tasks "$2" --calls "$3" 2>&1 | awk '/Collected/ { print $4 }'
    }
    say "client instructions per call (callgrind) against $base"
    header "$out/client-instructions.jsonl" "client instructions per call: ECSSClient vs AsyncHTTPClient (callgrind)"
    for tasks in 1 64; do
        ours=$((($(client_count ecss "$tasks" "$n2") - $(client_count ecss "$tasks" "$n1")) / (n2 - n1)))
        theirs=$((($(client_count ahc "$tasks" "$n2") - $(client_count ahc "$tasks" "$n1")) / (n2 - n1)))
        same=$((($(client_count ahc-same "$tasks" "$n2") - $(client_count ahc-same "$tasks" "$n1")) / (n2 - n1)))
        printf '{"benchmark": "client instructions per call, %d tasks", "ecssclient": %d, "ahc": %d, "ratio": %s, "ahc_same_configuration": %d, "ratio_same_configuration": %s, "calls": %d}\n' \
            "$tasks" "$ours" "$theirs" "$(awk -v a="$ours" -v b="$theirs" 'BEGIN { printf "%.3f", b / a }')" \
            "$same" "$(awk -v a="$ours" -v b="$same" 'BEGIN { printf "%.3f", b / a }')" $((n2 - n1)) \
            | tee -a "$out/client-instructions.jsonl" >&2
    done
    footer "$out/client-instructions.jsonl"
fi
stop_server

# 7. Memory: RSS of `callconsult serve` (release) before and after a million mixed requests.
if want memory; then
    total=${memory_requests:-$([ $quick == 1 ] && echo 100000 || echo 1000000)}
    ECSS_CLIENT_ID=crm-1 ECSS_API_KEY=bench-api-key ECSS_PHONE_NUMBER=1001 \
        "$bin/callconsult" serve --port 0 >"$work/cc.out" 2>"$work/cc.err" &
    server=$!
    for _ in $(seq 1 200); do [ -s "$work/cc.out" ] && break; sleep 0.05; done
    base="$(head -n 1 "$work/cc.out" | sed 's/^listening on //')/example.domain/service/cc/arm"
    cookie=$(login "$base")
    rss() { awk '/VmRSS/ { print $2 }' "/proc/$server/status"; }
    header "$out/memory.jsonl" "memory: callconsult serve RSS over $total mixed requests"
    wrk_json 16 2 "$base/call_consult" "$cookie" "$work/valid.xml" "$work/invalid.xml" "$work/hostile.xml" >/dev/null
    before=$(rss)
    done_requests=0
    say "memory: $total requests (valid, invalid, hostile in turn); RSS before ${before} KiB"
    while [ "$done_requests" -lt "$total" ]; do
        result=$(wrk_json 16 10 "$base/call_consult" "$cookie" "$work/valid.xml" "$work/invalid.xml" "$work/hostile.xml")
        done_requests=$((done_requests + $(sed -E 's/.*"requests": ([0-9]+).*/\1/' <<<"$result")))
        printf '{"requests_so_far": %d, "rss_kib": %d, "last": %s}\n' "$done_requests" "$(rss)" "$result" >>"$out/memory.jsonl"
    done
    printf '{"benchmark": "callconsult serve RSS", "requests": %d, "rss_before_kib": %d, "rss_after_kib": %d}\n' \
        "$done_requests" "$before" "$(rss)" | tee -a "$out/memory.jsonl" >&2
    footer "$out/memory.jsonl"
    stop_server
fi

# 7b. The proxy: wrk through `callconsult proxy` to `callconsult serve`, against `serve` direct, in
# one run, alternating rounds; both print their text lines (into a FIFO drained to /dev/null). Every
# request through the proxy is two exchanges (client → proxy → serve) and two schema checks. A third
# route goes through Benchmarks/tcp-forward.c, a C byte forwarder doing no work of its own: what
# any proxy can reach here, wrk, the proxy and serve sharing the machine's cores.
if want proxy; then
    start_quiet() {  # start_quiet NAME COMMAND… → the first line in $work/NAME.first, the pid in $started
        rm -f "$work/$1.fifo" "$work/$1.first"
        mkfifo "$work/$1.fifo"
        { head -n 1 >"$work/$1.first"; cat >/dev/null; } <"$work/$1.fifo" &
        local name=$1
        shift
        "$@" >"$work/$name.fifo" 2>"$work/$name.err" &
        started=$!
        for _ in $(seq 1 200); do [ -s "$work/$name.first" ] && break; sleep 0.05; done
    }
    start_quiet serve "$bin/callconsult" serve --port 0 --client-id crm-1 --api-key bench-api-key --phone-number 1001
    serve_pid=$started
    direct=$(sed 's/^listening on //' "$work/serve.first")/example.domain/service/cc/arm
    start_quiet proxy "$bin/callconsult" proxy --upstream "${direct%%/example.domain*}" --port 0
    proxy_pid=$started
    through=$(sed 's/^listening on //' "$work/proxy.first")/example.domain/service/cc/arm
    cc -O2 -o "$work/tcp-forward" Benchmarks/tcp-forward.c
    serve_port=${direct%%/example.domain*}
    start_quiet forward "$work/tcp-forward" "${serve_port##*:}"
    forward_pid=$started
    forwarded=$(sed 's/^listening on //' "$work/forward.first")/example.domain/service/cc/arm
    cookie=$(login "$through")
    [ -n "$cookie" ] || { echo "bench: login through the proxy failed" >&2; kill "$proxy_pid" "$serve_pid" "$forward_pid"; exit 1; }
    seconds=$([ $quick == 1 ] && echo 3 || echo 5)
    rounds=$([ $quick == 1 ] && echo 3 || echo 5)
    say "proxy: $rounds rounds of ${seconds} s through the proxy, direct and through the C forwarder, 1 and 16 connections"
    header "$out/proxy.jsonl" "proxy: wrk through callconsult proxy to callconsult serve vs serve direct (release, same run, alternating)"
    for connections in 1 16; do
        wrk_json "$connections" 1 "$direct/call_consult" "$cookie" "$work/valid.xml" >/dev/null
        wrk_json "$connections" 1 "$through/call_consult" "$cookie" "$work/valid.xml" >/dev/null
        wrk_json "$connections" 1 "$forwarded/call_consult" "$cookie" "$work/valid.xml" >/dev/null
        for round in $(seq 1 "$rounds"); do
            printf '{"route": "direct", "round": %d, "result": %s}\n' "$round" \
                "$(wrk_json "$connections" "$seconds" "$direct/call_consult" "$cookie" "$work/valid.xml")" >>"$out/proxy.jsonl"
            printf '{"route": "proxy", "round": %d, "result": %s}\n' "$round" \
                "$(wrk_json "$connections" "$seconds" "$through/call_consult" "$cookie" "$work/valid.xml")" >>"$out/proxy.jsonl"
            printf '{"route": "forward", "round": %d, "result": %s}\n' "$round" \
                "$(wrk_json "$connections" "$seconds" "$forwarded/call_consult" "$cookie" "$work/valid.xml")" >>"$out/proxy.jsonl"
        done
    done
    kill "$proxy_pid" "$serve_pid" "$forward_pid"
    wait "$proxy_pid" "$serve_pid" "$forward_pid" 2>/dev/null || true
    # The upstream on cores of its own, as a real ECSS-10 is on its own machine: `serve` pinned to
    # the last core, wrk and the proxy to the others (taskset), 16 connections, routes
    # direct-pinned and proxy-pinned.
    last=$(($(nproc) - 1))
    if [ "$last" -ge 1 ] && command -v taskset >/dev/null; then
        start_quiet serve taskset -c "$last" "$bin/callconsult" serve --port 0 --client-id crm-1 --api-key bench-api-key --phone-number 1001
        serve_pid=$started
        direct=$(sed 's/^listening on //' "$work/serve.first")/example.domain/service/cc/arm
        start_quiet proxy taskset -c "0-$((last - 1))" "$bin/callconsult" proxy --upstream "${direct%%/example.domain*}" --port 0
        proxy_pid=$started
        through=$(sed 's/^listening on //' "$work/proxy.first")/example.domain/service/cc/arm
        cookie=$(login "$through")
        [ -n "$cookie" ] || { echo "bench: login through the pinned proxy failed" >&2; kill "$proxy_pid" "$serve_pid"; exit 1; }
        say "proxy: $rounds rounds of ${seconds} s, serve alone on core $last, wrk and the proxy on the others"
        # This shell (and so each wrk it starts) on the proxy's cores until the rounds are done.
        taskset -cp "0-$((last - 1))" $$ >/dev/null
        wrk_json 16 1 "$direct/call_consult" "$cookie" "$work/valid.xml" >/dev/null
        wrk_json 16 1 "$through/call_consult" "$cookie" "$work/valid.xml" >/dev/null
        for round in $(seq 1 "$rounds"); do
            printf '{"route": "direct-pinned", "round": %d, "result": %s}\n' "$round" \
                "$(wrk_json 16 "$seconds" "$direct/call_consult" "$cookie" "$work/valid.xml")" >>"$out/proxy.jsonl"
            printf '{"route": "proxy-pinned", "round": %d, "result": %s}\n' "$round" \
                "$(wrk_json 16 "$seconds" "$through/call_consult" "$cookie" "$work/valid.xml")" >>"$out/proxy.jsonl"
        done
        taskset -cp "0-$last" $$ >/dev/null
        kill "$proxy_pid" "$serve_pid"
        wait "$proxy_pid" "$serve_pid" 2>/dev/null || true
    fi
    footer "$out/proxy.jsonl"
    python3 Benchmarks/summarize.py proxy "$out/proxy.jsonl" | tee "$out/proxy.dat" >&2
fi

# 7c. The proxy, instructions per proxied request (callgrind, the proxy process only): `callconsult
# serve` runs natively, `callconsult proxy --upstream` it under callgrind (instrumentation off, its
# lines into a file); logged in once through the proxy, 100 warm-up requests, then N1 and N2
# call_consult POSTs of valid.xml on one keep-alive connection (curl), each batch between a zero and
# a dump: (I(N2) − I(N1)) / (N2 − N1) is what one proxied request costs the proxy (every thread,
# user space), its two schema checks and its line included. The N2 dump's top functions go to
# results/proxy-instructions-profile.txt.
if want proxy-instructions && command -v valgrind >/dev/null; then
    n1=$([ $quick == 1 ] && echo 100 || echo 200)
    n2=$([ $quick == 1 ] && echo 600 || echo 2200)
    objcopy --strip-debug "$bin/callconsult" "$work/callconsult"
    cc -O2 -shared -fPIC -o "$work/sigsuspend.so" Benchmarks/callgrind-sigsuspend.c
    "$bin/callconsult" serve --port 0 --client-id crm-1 --api-key bench-api-key --phone-number 1001 \
        >"$work/serve.out" 2>"$work/serve.err" &
    serve_pid=$!
    for _ in $(seq 1 200); do [ -s "$work/serve.out" ] && break; sleep 0.05; done
    upstream=$(head -n 1 "$work/serve.out" | sed 's/^listening on //')
    LD_PRELOAD="$work/sigsuspend.so" valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$work/cg.out" \
        "$work/callconsult" proxy --upstream "${upstream%%/example.domain*}" --port 0 \
        >"$work/proxy.out" 2>"$work/proxy.err" &
    server=$!
    for _ in $(seq 1 1200); do [ -s "$work/proxy.out" ] && break; sleep 0.1; done
    through=$(head -n 1 "$work/proxy.out" | sed 's/^listening on //')/example.domain/service/cc/arm
    cookie=$(login "$through")
    [ -n "$cookie" ] || { echo "bench: login through the proxy under callgrind failed" >&2; kill "$serve_pid"; exit 1; }
    say "proxy instructions per request (callgrind, $n1 and $n2 requests)"
    header "$out/proxy-instructions.jsonl" "proxy instructions per proxied request: callgrind, callconsult proxy process only"
    callgrind_control -i on "$server" >/dev/null
    posts "$through/call_consult" "$cookie" 100
    a=$(counted "$through/call_consult" "$cookie" "$n1" proxy-n1)
    b=$(counted "$through/call_consult" "$cookie" "$n2" proxy-n2)
    printf '{"route": "proxy", "requests": [%d, %d], "instructions": [%d, %d], "instructions_per_request": %d}\n' \
        "$n1" "$n2" "$a" "$b" $(((b - a) / (n2 - n1))) | tee -a "$out/proxy-instructions.jsonl" >&2
    footer "$out/proxy-instructions.jsonl"
    stop_server
    kill "$serve_pid"
    wait "$serve_pid" 2>/dev/null || true
    {  # `head` closes the pipes early: not a failure
        echo "# $n2 proxied requests: the functions by their own instructions, then the proxy's own and the"
        echo "# line writing by inclusive instructions (divide by $n2 for one request)"
        callgrind_annotate "$work/proxy-n2.out" 2>/dev/null | sed -n '/PROGRAM TOTALS/,$p' | head -n 60 || true
        callgrind_annotate --inclusive=yes --threshold=100 "$work/proxy-n2.out" 2>/dev/null |
            grep -E '[$]s16CallConsultProxy|[$]s11callconsult|[$]s14CallConsultKit' | head -n 40 || true
    } | cut -c 1-220 >"$out/proxy-instructions-profile.txt"
fi

# 8. Plots.
if want plots && command -v gnuplot >/dev/null; then
    if [ -s "$out/sizes.dat" ]; then
        gnuplot <<GNUPLOT
set terminal pngcairo size 900,560 noenhanced
set output "$plots/decode-cost-vs-size.png"
set title "Decode + validate cost against body size (instructions per decode, callgrind)"
set xlabel "body size (bytes)"
set ylabel "instructions per decode"
set logscale xy
set grid
set key top left
plot "$out/sizes.dat" using 1:2 with linespoints lw 2 pt 7 title "CallConsultKit", \
     "$out/sizes.dat" using 1:3 with linespoints lw 2 pt 5 title "C: libxml2 SAX + schema plug"
GNUPLOT
    fi
    if [ -s "$out/http.dat" ]; then
        taken="$(sed -nE '1s/.*"date": "([^"]+)".*"load_before": "([^ ]+).*/\1, load average \2 before/p' "$out/http.jsonl"), $(sed -nE 's/.*"load_after": "([^ ]+).*/\1 after/p' "$out/http.jsonl")"
        gnuplot <<GNUPLOT
set terminal pngcairo size 900,560 noenhanced
set output "$plots/http-rps-vs-connections.png"
set title "HTTP requests/s against connections (wrk medians)\n$taken" font ",10"
set xlabel "connections"
set ylabel "requests per second"
set logscale x
set xtics (1, 16, 256)
set yrange [0:*]
set grid
set key bottom right
plot "$out/http.dat" using 1:2 with linespoints lw 2 pt 7 title "emulator: decode + validate + session", \
     "$out/http.dat" using 1:3 with linespoints lw 2 pt 5 title "fixed answer, no decoding"
GNUPLOT
    fi
    say "plots in $plots"
fi

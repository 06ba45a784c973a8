#!/usr/bin/env bash
# Starts the built `callconsult serve --port 0`, reads its port from the first line, drives a curl
# session (login with a cookie jar, call_consult ok, refused, invalid, without a session; call_hold
# ok, block_operator refused with 200, monitor), then the admin API of a second server (stubs,
# journal, sessions, reset, hostile input), checks
# every status and body and the log lines, stops it with SIGTERM and checks that it exits 0.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --product callconsult >/dev/null 2>&1 || swift build --product callconsult
bin="$(swift build --show-bin-path)/callconsult"
work=$(mktemp -d)
out="$work/stdout"
ECSS_CLIENT_ID=crm-1 ECSS_API_KEY=s3cret-api-key ECSS_PHONE_NUMBER=1001 \
    "$bin" serve --port 0 --json --refuse ended-7 --refuse 102 >"$out" 2>"$work/stderr" &
server=$!
admin_server=""
trap 'kill "$server" $admin_server 2>/dev/null || true; wait "$server" 2>/dev/null || true; rm -rf "$work"' EXIT

first=""
for _ in $(seq 1 200); do
    first=$(head -n 1 "$out")
    [ -n "$first" ] && break
    sleep 0.05
done
failures=0
check() {  # check NAME EXPECTED ACTUAL
    if [ "$2" == "$3" ]; then
        echo "serve-smoke: ok: $1"
    else
        echo "serve-smoke: FAILED: $1: expected [$2], got [$3]"
        failures=$((failures + 1))
    fi
}
check "first line" "listening on http://127.0.0.1:" "$(sed -E 's/[0-9]+$//' <<<"$first")"
url="${first#listening on }/example.domain/service/cc/arm"
jar="$work/jar"
post() {  # post COMMAND BODY [curl options…] → the body, then "STATUS CONTENT-TYPE" on the last line
    local command=$1 body=$2
    shift 2
    curl -s -X POST -H 'Content-Type: application/xml; charset=utf-8' --data-binary "$body" \
        -w '\n%{http_code} %{content_type}' "$@" "$url/$command"
}
xml='<?xml version="1.0" encoding="UTF-8"?>'
schema='xmlns:xs="http://www.w3.org/2001/XMLSchema-instance" xs:noNamespaceSchemaLocation'

answer=$(post login '<in><request client_id="crm-1" api_key="s3cret-api-key" phone_number="1001"/></in>' -c "$jar")
check "login: status" "200 application/xml; charset=utf-8" "$(tail -n 1 <<<"$answer")"
check "login: body" "$xml"$'\n'"<out $schema=\"login.xsd\"><response><ok/></response></out>" "$(head -n -1 <<<"$answer")"
check "login: cookie" "ECSS_SESSION" "$(awk '$6 == "ECSS_SESSION" { print $6 }' "$jar")"

answer=$(post call_consult '<in><request><call_consult conversation_id="live-1" to_number="1002"/></request></in>' -b "$jar")
check "call_consult ok: status" "200 application/xml; charset=utf-8" "$(tail -n 1 <<<"$answer")"
check "call_consult ok: body" "$xml"$'\n'"<out $schema=\"call_consult.xsd\"><response><ok/></response></out>" \
    "$(head -n -1 <<<"$answer")"

answer=$(post call_consult '<in><request><call_consult conversation_id="ended-7" to_number="1002"/></request></in>' -b "$jar")
check "call_consult refused: status" "403 application/xml; charset=utf-8" "$(tail -n 1 <<<"$answer")"
check "call_consult refused: body" \
    "$xml"$'\n'"<out $schema=\"call_consult.xsd\"><error reason=\"cannot_perform_cmd\" cmd=\"call_consult\"/></out>" \
    "$(head -n -1 <<<"$answer")"

answer=$(post call_consult '<in><request/></in>' -b "$jar")
check "invalid body: status" "400 text/plain; charset=utf-8" "$(tail -n 1 <<<"$answer")"
check "invalid body: kind" "not_valid" "$(head -n 1 <<<"$answer")"

answer=$(post call_consult '<in><request><call_consult conversation_id="live-1" to_number="1002"/></request></in>')
check "no session: status" "403 text/plain; charset=utf-8" "$(tail -n 1 <<<"$answer")"
check "no session: body" "Session is not valid" "$(head -n -1 <<<"$answer")"

answer=$(post call_hold '<in><request><call_hold conversation_id="live-1"/></request></in>' -b "$jar")
check "call_hold ok: status" "200 application/xml; charset=utf-8" "$(tail -n 1 <<<"$answer")"
check "call_hold ok: body" "$xml"$'\n'"<out $schema=\"call_hold.xsd\"><response><ok/></response></out>" \
    "$(head -n -1 <<<"$answer")"

answer=$(post block_operator '<in><request agent_id="102"/></in>' -b "$jar")
check "block_operator refused: status 200" "200 application/xml; charset=utf-8" "$(tail -n 1 <<<"$answer")"
check "block_operator refused: body" \
    "$xml"$'\n'"<out $schema=\"block_operator.xsd\"><error reason=\"cannot_perform_cmd\" cmd=\"block_operator\"/></out>" \
    "$(head -n -1 <<<"$answer")"

answer=$(post monitor '<monitor><start><event name="conferences"/></start></monitor>' -b "$jar")
check "monitor: status" "200" "$(tail -n 1 <<<"$answer" | cut -d' ' -f1)"

answer=$(post login '<in><request client_id="crm-1" api_key="guess" phone_number="1001"/></in>')
check "bad login: status and body" "403 text/plain; charset=utf-8 Invalid credentials" \
    "$(tail -n 1 <<<"$answer") $(head -n -1 <<<"$answer")"

# The admin API, as a suite in another language drives it: a second server with --admin.
admin_out="$work/admin-stdout"
ECSS_CLIENT_ID=crm-1 ECSS_API_KEY=s3cret-api-key ECSS_PHONE_NUMBER=1001 \
    "$bin" serve --port 0 --admin >"$admin_out" 2>"$work/admin-stderr" &
admin_server=$!
admin_first=""
for _ in $(seq 1 200); do
    admin_first=$(head -n 1 "$admin_out")
    [ -n "$admin_first" ] && break
    sleep 0.05
done
base="${admin_first#listening on }"
admin() {  # admin METHOD PATH [BODY] → the body, then the status on the last line
    if [ $# -ge 3 ]; then
        curl -s -X "$1" -H 'Content-Type: application/json' --data-binary "$3" -w '\n%{http_code}' "$base/__admin/$2"
    else
        curl -s -X "$1" -w '\n%{http_code}' "$base/__admin/$2"
    fi
}
answer=$(admin POST stubs '{"command": "call_hold", "match": {"conversation_id": "c-9"}, "answer": {"error": {"reason": "busy"}}, "times": 1}')
check "admin: POST stubs" "201" "$(tail -n 1 <<<"$answer")"
check "admin: stub id" '{"id": "stub-1"}' "$(head -n -1 <<<"$answer")"
answer=$(admin POST stubs '{"command": "call_hold", "fault": {"kind": "http", "status": 503, "headers": {"Retry-After": "5"}}, "answr": 1}')
check "admin: unknown field" '400 {"error": "answr: unknown field", "field": "answr"}' "$(tail -n 1 <<<"$answer") $(head -n -1 <<<"$answer")"
answer=$(admin GET stubs)
check "admin: GET stubs" '{"stubs": [{"answer":{"error":{"reason":"busy"}},"command":"call_hold","id":"stub-1","match":{"conversation_id":"c-9"},"remaining":1,"times":1}]}' "$(head -n -1 <<<"$answer")"
admin_jar="$work/admin-jar"
url="$base/example.domain/service/cc/arm"
post login '<in><request client_id="crm-1" api_key="s3cret-api-key" phone_number="1001"/></in>' -c "$admin_jar" >/dev/null
answer=$(post call_hold '<in><request><call_hold conversation_id="c-9"/></request></in>' -b "$admin_jar")
check "admin: stubbed error" "403" "$(tail -n 1 <<<"$answer" | cut -d' ' -f1)"
answer=$(post call_hold '<in><request><call_hold conversation_id="c-9"/></request></in>' -b "$admin_jar")
check "admin: times 1, then the default ok" "200" "$(tail -n 1 <<<"$answer" | cut -d' ' -f1)"
answer=$(admin GET 'exchanges?command=call_hold&since=1')
check "admin: journal outcomes" "error ok" \
    "$(head -n -1 <<<"$answer" | grep -o '"outcome": "[a-z_]*"' | cut -d'"' -f4 | tr '\n' ' ' | sed 's/ $//')"
check "admin: journal stub" '"stub": "stub-1"' "$(head -n -1 <<<"$answer" | grep -o '"stub": "stub-1"')"
check "admin: no API key in the journal" "0" "$(admin GET exchanges | grep -c s3cret || true)"
check "admin: DELETE sessions" "204" "$(admin DELETE sessions | tail -n 1)"
answer=$(post call_hold '<in><request><call_hold conversation_id="c-9"/></request></in>' -b "$admin_jar")
check "admin: session ended" "403 text/plain; charset=utf-8" "$(tail -n 1 <<<"$answer")"
check "admin: POST reset" "204" "$(admin POST reset | tail -n 1)"
check "admin: journal empty" '{"exchanges": []}' "$(admin GET exchanges | head -n -1)"
huge=$(head -c 1100000 /dev/zero | tr '\0' 'a')
check "admin: over 1 MiB is 413" "413" "$(printf '{"command": "call_hold", "domain": "%s"}' "$huge" | curl -s -o /dev/null -w '%{http_code}' -X POST --data-binary @- "$base/__admin/stubs")"
kill -TERM "$admin_server"
admin_status=0
wait "$admin_server" || admin_status=$?
check "admin: SIGTERM: exit status" "0" "$admin_status"

kill -TERM "$server"
status=0
wait "$server" || status=$?
trap 'rm -rf "$work"' EXIT
check "SIGTERM: exit status" "0" "$status"
check "log: one JSON line per exchange" "9" "$(tail -n +2 "$out" | grep -c '^{"time": ')"
check "log: outcomes" "logged_in ok error refused refused ok error ok refused" \
    "$(tail -n +2 "$out" | sed -E 's/.*"outcome": "([a-z_]+)".*/\1/' | tr '\n' ' ' | sed 's/ $//')"
check "log: no API key, no cookie" "0" "$(grep -c -e s3cret -e "$(awk '$6 == "ECSS_SESSION" { print $7 }' "$jar")" "$out" "$work/stderr" | awk -F: '{ n += $2 } END { print n }')"

if [ "$failures" -ne 0 ]; then
    echo "serve-smoke: $failures checks failed; standard output and error:"
    cat "$out" "$work/stderr"
    exit 1
fi
echo "serve-smoke: all checks passed"

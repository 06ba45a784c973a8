#!/usr/bin/env bash
# Builds Examples/Server, starts the Hummingbird endpoint on a loopback port, drives it with the
# example client and with curl, checks every answer, and stops it.
set -euo pipefail
cd "$(dirname "$0")/../Examples/Server"
swift build >/dev/null 2>&1 || swift build
bin=$(swift build --show-bin-path 2>/dev/null)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
url="http://127.0.0.1:$port"
log=$(mktemp)
"$bin/call-consult-server" --port "$port" >"$log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
    curl -s -o /dev/null "$url/" && break
    sleep 0.1
done

failures=0
check() {  # check NAME EXPECTED ACTUAL
    if [ "$2" == "$3" ]; then
        echo "example-server: ok: $1"
    else
        echo "example-server: FAILED: $1: expected [$2], got [$3]"
        failures=$((failures + 1))
    fi
}
endpoint="$url/example.domain/service/cc/arm/call_consult"
post() {  # post FILE → "STATUS CONTENT-TYPE" on the first line, the body after it
    curl -s -X POST -H 'Content-Type: application/xml; charset=utf-8' --data-binary "@$1" \
        -w '\n%{http_code} %{content_type}' "$endpoint"
}

# The example client, both answers.
check "client, live conversation" "ok" "$("$bin/call-consult-client" --url "$url" --domain example.domain \
    --conversation-id 0647e098a4b48b05 --to-number 1001 --operator-id 42)"
set +e
refused=$("$bin/call-consult-client" --url "$url" --domain example.domain --conversation-id closed-1 --to-number 1001)
status=$?
set -e
check "client, ended conversation" "error cannot_perform_cmd call_consult / 1" "$refused / $status"

# curl, every status.
ok_body=$(printf '<?xml version="1.0" encoding="UTF-8"?>\n<out><response><ok/></response></out>')
answer=$(post ../valid-request.xml)
check "curl, valid request: status" "200 application/xml; charset=utf-8" "$(tail -n 1 <<<"$answer")"
check "curl, valid request: body" "$ok_body" "$(head -n -1 <<<"$answer")"

closed=$(mktemp)
printf '<in><request><call_consult conversation_id="closed-7" to_number="1001"/></request></in>' >"$closed"
answer=$(post "$closed")
check "curl, ended conversation: status" "403 application/xml; charset=utf-8" "$(tail -n 1 <<<"$answer")"
check "curl, ended conversation: body" \
    "$(printf '<?xml version="1.0" encoding="UTF-8"?>\n<out><error reason="cannot_perform_cmd" cmd="call_consult"/></out>')" \
    "$(head -n -1 <<<"$answer")"

answer=$(post ../invalid-request.xml)
check "curl, invalid request: status" "400" "$(tail -n 1 <<<"$answer" | cut -d' ' -f1)"
check "curl, invalid request: kind" "not_valid" "$(head -n 1 <<<"$answer")"

answer=$(post ../doctype-request.xml)
check "curl, DOCTYPE: status and kind" "400 refused_by_policy" "$(tail -n 1 <<<"$answer" | cut -d' ' -f1) $(head -n 1 <<<"$answer")"

big=$(mktemp)
head -c 100000 /dev/zero | tr '\0' ' ' >"$big"
answer=$(post "$big")
check "curl, 100 KB body: status" "413" "$(tail -n 1 <<<"$answer" | cut -d' ' -f1)"

rm -f "$closed" "$big"
if [ "$failures" -ne 0 ]; then
    echo "example-server: $failures checks failed; server log:"
    cat "$log"
    exit 1
fi
echo "example-server: all checks passed"

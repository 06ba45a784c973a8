#!/usr/bin/env python3
"""Summaries of Benchmarks/run.sh's JSON lines: `summarize.py http results/http.jsonl` prints, per
connection count, the median requests/s of the emulator and of the fixed route, the median of the
per-round ratios with their range, and the median p50/p99 latencies (µs): a gnuplot data file whose
comment lines are the table.

`summarize.py proxy results/proxy.jsonl` prints the same table for the proxy against the emulator
direct (Benchmarks/run.sh --only proxy), then one for the C byte forwarder against direct, then
one for the proxy against direct with `serve` pinned to a core of its own.

`summarize.py http-instructions results/http-instructions.jsonl EMULATOR_DUMP FIXED_DUMP N` prints the
instructions per request of both routes and their ratio, then where the emulator's extra
instructions go: callgrind_annotate's self cost per function of the two dumps (N requests each),
the difference per request, largest first, Swift names demangled when `swift demangle` is there."""
import json
import re
import shutil
import statistics
import subprocess
import sys


def http(path, a="emulator", b="fixed", a_short="emu", b_short="fixed"):
    rounds = {}
    for line in open(path):
        record = json.loads(line)
        if "route" not in record:
            continue
        result = record["result"]
        key = (result["connections"], record["round"])
        rounds.setdefault(key, {})[record["route"]] = result
    by_connections = {}
    for (connections, _), pair in sorted(rounds.items()):
        if a in pair and b in pair:
            by_connections.setdefault(connections, []).append(pair)
    print(
        f"# connections {a}_rps {b}_rps ratio ratio_min ratio_max {a_short}_p50_us {a_short}_p99_us "
        f"{b_short}_p50_us {b_short}_p99_us non2xx"
    )
    for connections, pairs in sorted(by_connections.items()):
        ratios = [p[a]["rps"] / p[b]["rps"] for p in pairs if p[b]["rps"]]
        med = lambda route, field: statistics.median(p[route][field] for p in pairs)
        print(
            f"{connections} {med(a, 'rps'):.0f} {med(b, 'rps'):.0f} "
            f"{statistics.median(ratios):.3f} {min(ratios):.3f} {max(ratios):.3f} "
            f"{med(a, 'p50_us'):.0f} {med(a, 'p99_us'):.0f} "
            f"{med(b, 'p50_us'):.0f} {med(b, 'p99_us'):.0f} "
            f"{sum(p[a]['non2xx'] + p[b]['non2xx'] for p in pairs)}"
        )


def proxy(path):
    """`summarize.py proxy results/proxy.jsonl`: the same table, through the proxy against direct;
    then, when the run has them, the C byte forwarder's rounds against direct (the ceiling)."""
    http(path, "proxy", "direct", "proxy", "direct")
    if any(json.loads(line).get("route") == "forward" for line in open(path)):
        print("# the C byte forwarder (Benchmarks/tcp-forward.c) against direct: the ceiling of any proxy here")
        http(path, "forward", "direct", "fwd", "direct")
    if any(json.loads(line).get("route") == "proxy-pinned" for line in open(path)):
        print("# serve alone on the last core, wrk and the proxy on the others (the upstream as on a machine of its own)")
        http(path, "proxy-pinned", "direct-pinned", "proxy", "direct")


def self_costs(dump, inclusive=False):
    """Self (or inclusive) instructions per function (function [object]) of a callgrind dump."""
    text = subprocess.run(
        ["callgrind_annotate", f"--inclusive={'yes' if inclusive else 'no'}", "--threshold=100", dump],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    costs = {}
    for line in text.splitlines():
        match = re.match(r"^\s*([\d,]+)\s+(?:\([\d.]+%\)\s+)?(\S.*)$", line)
        if match and ":" in match.group(2):
            name = re.sub(r"^[^:]*:", "", match.group(2), count=1)  # drop the file, keep function [object]
            name = re.sub(r"\[[^\]]*/([^/\]]+)\]$", r"[\1]", name)  # the object's file name only
            costs[name] = costs.get(name, 0) + int(match.group(1).replace(",", ""))
    return costs


# Kinds of work, by function name (first match wins): what the emulator's extra instructions are.
KINDS = [
    ("libxml2: parsing and validating the request", r"libxml2"),
    ("CallConsultKit's codec, Swift side", r"CallConsultRequestCapture|ParseEngine|CallConsultCodec|DocumentRoot|BodyScan"),
    ("malloc and free (libxml2's ~20 per decode among them)", r"^(malloc|free|_int_free|_int_malloc|malloc_consolidate|calloc|realloc)\b"),
    ("Hummingbird's router (the fixed route only)", r"Router|RouterTrie|EndpointResponders"),
    ("the emulator's own code", r"Route\.|SessionCookie|SessionStore|ExchangeLog|Answer\.|EmulatorResponder|ECSSEmulator|has\(_:at:\)"),
    ("HTTP head: fields (the Cookie field), llhttp", r"HTTPFields|HTTPField|llhttp"),
    ("Swift concurrency: task frames and switches", r"swift_task|StackAllocator|TaskAllocator"),
    ("the rest: Swift runtime (strings, metadata, refcounts), NIO, Foundation", r""),
]


def demangled(names):
    if not names or not shutil.which("swift"):
        return names
    result = subprocess.run(
        ["swift", "demangle", "--simplified", "--compact"], input="\n".join(names), capture_output=True, text=True
    )
    lines = result.stdout.splitlines()
    return lines if result.returncode == 0 and len(lines) == len(names) else names


def http_instructions(path, emulator_dump, fixed_dump, requests):
    routes = {}
    for line in open(path):
        record = json.loads(line)
        if "route" in record:
            routes[record["route"]] = record["instructions_per_request"]
    emulator, fixed = routes["emulator"], routes["fixed"]
    print(f"emulator {emulator} instructions/request")
    print(f"fixed {fixed} instructions/request")
    print(f"ratio (fixed / emulator) {fixed / emulator:.3f}")
    print(f"difference {emulator - fixed} instructions/request")
    requests = int(requests)
    ours, theirs = self_costs(emulator_dump), self_costs(fixed_dump)
    rows = [(ours.get(n, 0) - theirs.get(n, 0), ours.get(n, 0), theirs.get(n, 0), n) for n in set(ours) | set(theirs)]
    rows.sort(key=lambda row: -row[0])
    names = demangled([row[3] for row in rows])
    kinds = {}
    for row, name in zip(rows, names):
        kind = next(label for label, pattern in KINDS if re.search(pattern, name))
        kinds[kind] = kinds.get(kind, 0) + row[0]
    print("\n# the difference by kind: self instructions per request, emulator − fixed (grouped by name)")
    for kind, cost in sorted(kinds.items(), key=lambda item: -item[1]):
        print(f"{cost / requests:9.0f}  {kind}")
    print("\n# self instructions per request (|difference| ≥ 10): emulator − fixed, emulator, fixed, function")
    for row, name in zip(rows, names):
        if abs(row[0]) >= 10 * requests:
            print(f"{row[0] / requests:9.1f} {row[1] / requests:9.1f} {row[2] / requests:9.1f}  {name[:200]}")
    # The emulator's own functions, with what they call (callgrind's inclusive cost; async
    # functions are split into partial functions, each counted on its own).
    inclusive = self_costs(emulator_dump, inclusive=True)
    names = list(inclusive)
    own = [
        (inclusive[n], d)
        for n, d in zip(names, demangled(names))
        if re.search(r"CallConsultEmulator|EmulatorResponder|Route|SessionStore|SessionCookie|ExchangeLog|Answer", d)
    ]
    own.sort(key=lambda row: -row[0])
    print("\n# the emulator's own functions, inclusive instructions per request")
    for cost, name in own[:40]:
        print(f"{cost / requests:9.1f}  {name[:200]}")


if __name__ == "__main__":
    commands = {"http": http, "http-instructions": http_instructions, "proxy": proxy}
    commands[sys.argv[1]](*sys.argv[2:])

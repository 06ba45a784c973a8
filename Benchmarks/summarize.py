#!/usr/bin/env python3
"""Summaries of Benchmarks/run.sh's JSON lines: `summarize.py http results/http.jsonl` prints, per
connection count, the median requests/s of the emulator and of the fixed route, the median of the
per-round ratios with their range, and the median p50/p99 latencies (µs): a gnuplot data file whose
comment lines are the table."""
import json
import statistics
import sys


def http(path):
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
        if "emulator" in pair and "fixed" in pair:
            by_connections.setdefault(connections, []).append(pair)
    print("# connections emulator_rps fixed_rps ratio ratio_min ratio_max emu_p50_us emu_p99_us fixed_p50_us fixed_p99_us non2xx")
    for connections, pairs in sorted(by_connections.items()):
        ratios = [p["emulator"]["rps"] / p["fixed"]["rps"] for p in pairs if p["fixed"]["rps"]]
        med = lambda route, field: statistics.median(p[route][field] for p in pairs)
        print(
            f"{connections} {med('emulator', 'rps'):.0f} {med('fixed', 'rps'):.0f} "
            f"{statistics.median(ratios):.3f} {min(ratios):.3f} {max(ratios):.3f} "
            f"{med('emulator', 'p50_us'):.0f} {med('emulator', 'p99_us'):.0f} "
            f"{med('fixed', 'p50_us'):.0f} {med('fixed', 'p99_us'):.0f} "
            f"{sum(p['emulator']['non2xx'] + p['fixed']['non2xx'] for p in pairs)}"
        )


if __name__ == "__main__":
    {"http": http}[sys.argv[1]](sys.argv[2])

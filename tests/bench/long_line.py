#!/usr/bin/python3
"""Writes a scenario of a long saturated serial line to stdout, for trying the kernel on many
stations from the command line (README: "Benchmarks").

Usage: long_line.py STATIONS [--constant] [--failures]
  --constant   constant process times of 1 (every event ties with others) instead of exponential(1)
  --failures   breakdowns on every station: time to failure exponential(1000), repair exponential(10)
"""
import sys


def main():
    args = sys.argv[1:]
    if not args or not args[0].isdigit() or int(args[0]) < 1 or any(a not in ("--constant", "--failures") for a in args[1:]):
        print(__doc__.strip(), file=sys.stderr)
        sys.exit(2)
    n = int(args[0])
    process = "{dist: constant, value: 1}" if "--constant" in args else "{dist: exponential, mean: 1}"
    out = ["name: long line", "time_unit: min", "horizon: 20000", "warmup: 1000", "replications: 1", "seed: 1",
           "products:", "  - name: part", "    route: [" + ", ".join(f"m{i}" for i in range(n)) + "]",
           "sources:", "  - name: feed", "    mix: {part: 1}", "    saturated: true", "stations:"]
    for i in range(n):
        out += [f"  - name: m{i}", f"    buffer: {0 if i == 0 else 5}", f"    process: {{part: {process}}}"]
        if "--failures" in args:
            out += ["    failures:", "      ttf: {dist: exponential, mean: 1000}", "      ttr: {dist: exponential, mean: 10}"]
    print("\n".join(out))


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""Paired runs: two builds of linetwin timed one after the other, round after round, on the same
case, so that the machine's slow and fast minutes fall on both (README: "Benchmarks").

Usage:
  paired.py [--rounds N] OLD NEW CASE...
OLD and NEW are two builds of the same program. CASE is either the arguments of bench_sim's
--case (KIND N HORIZON REPS THREADS, e.g. `line 1000 20000 1 1`), run as `BUILD --case CASE`,
or `run SCENARIO [options]`, run as `BUILD run SCENARIO [options] --json` with linetwin.
Prints, for each build, the fastest and the median nanoseconds per event, and the median over
the rounds of NEW's time over OLD's from the same round.
"""
import json
import statistics
import subprocess
import sys


def fail(message):
    print(f"paired.py: {message}", file=sys.stderr)
    sys.exit(2)


def ns_per_event(build, case):
    if case[0] == "run":
        cmd = [build, *case, "--json"]
    else:
        cmd = [build, "--case", *case]
    try:
        p = subprocess.run(cmd, capture_output=True, text=True)
    except OSError as e:
        fail(f"cannot run '{build}': {e.strerror}")
    if p.returncode != 0:
        fail(f"'{' '.join(cmd)}' exited with status {p.returncode}: {p.stderr.strip()}")
    try:
        if case[0] == "run":
            out = json.loads(p.stdout)
            wall, events = float(out["wall_s"]), float(out["events"])
        else:
            fields = p.stdout.split()
            wall, events = float(fields[0]), float(fields[1])
    except (ValueError, KeyError, IndexError):
        fail(f"'{' '.join(cmd)}' printed no time and event count: {p.stdout[:200]!r}")
    if events <= 0:
        fail(f"'{' '.join(cmd)}' processed no events")
    return wall / events * 1e9


def main(argv):
    rounds = 10
    if len(argv) >= 2 and argv[0] == "--rounds":
        try:
            rounds = int(argv[1])
        except ValueError:
            fail(f"--rounds expects a whole number, not '{argv[1]}'")
        if rounds < 1:
            fail("--rounds expects at least 1")
        argv = argv[2:]
    if len(argv) < 3:
        fail("expected OLD NEW CASE... (see the usage at the top of tests/bench/paired.py)")
    old, new, case = argv[0], argv[1], argv[2:]
    times = ([], [])  # old's, new's (the two may be the same build: a measure of the noise)
    for r in range(rounds):
        for k, build in enumerate((old, new)):
            times[k].append(ns_per_event(build, case))
        print(f"round {r + 1} of {rounds}: {times[0][-1]:.2f} and {times[1][-1]:.2f} ns per event",
              file=sys.stderr)
    ratio = statistics.median(n / o for o, n in zip(times[0], times[1]))
    for label, build, t in (("old", old, times[0]), ("new", new, times[1])):
        print(f"{label}: {build}: fastest {min(t):.2f}, median {statistics.median(t):.2f} ns per event")
    print(f"median of new over old, round by round: {ratio:.3f}")


if __name__ == "__main__":
    main(sys.argv[1:])

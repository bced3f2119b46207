#!/usr/bin/python3
"""The SimPy reference of benchmark (a): a saturated serial line of N single-machine stations,
B buffer places in front of every station after the first, exponential(1) process times and
blocking after service. SimPy 2.3.1 (Debian's python3-simpy).

Usage: simpy_line.py STATIONS BUFFER HORIZON WARMUP SEED
Prints one JSON object: throughput, finished parts in the measured window, wall seconds.
"""
import json
import random
import sys
import time

from SimPy.Simulation import Level, Process, Simulation, get, hold, put


class Machine(Process):
    def __init__(self, sim, index, upstream, downstream, rng, line):
        Process.__init__(self, name="m%d" % index, sim=sim)
        self.upstream, self.downstream, self.rng, self.line = upstream, downstream, rng, line

    def run(self):
        while True:
            if self.upstream is not None:          # the first machine never starves
                yield get, self, self.upstream, 1
            yield hold, self, self.rng.expovariate(1.0)
            if self.downstream is not None:        # blocked until there is a place downstream
                yield put, self, self.downstream, 1
            else:
                self.line.finished(self.sim.now())


class Line:
    def __init__(self, warmup):
        self.warmup, self.count = warmup, 0

    def finished(self, t):
        if t >= self.warmup:
            self.count += 1


def main():
    stations, buffer, horizon, warmup, seed = (int(sys.argv[1]), int(sys.argv[2]),
                                               float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5]))
    t0 = time.perf_counter()
    sim = Simulation()
    sim.initialize()
    rng = random.Random(seed)
    buffers = [Level(capacity=buffer, sim=sim, name="b%d" % i) for i in range(1, stations)]
    line = Line(warmup)
    for i in range(stations):
        m = Machine(sim, i, buffers[i - 1] if i > 0 else None,
                    buffers[i] if i < stations - 1 else None, rng, line)
        sim.activate(m, m.run())
    sim.simulate(until=warmup + horizon)
    wall = time.perf_counter() - t0
    print(json.dumps({"throughput": line.count / horizon, "finished": line.count, "wall_s": wall}))


if __name__ == "__main__":
    main()

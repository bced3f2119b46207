#!/usr/bin/python3
"""The SimPy reference of benchmark (e): a saturated serial line of N single-machine stations,
B buffer places in front of every station after the first, exponential(1) operations, each of
which holds one of OPERATORS operators (a Resource) from its start to its end, and failures after
an exponential busy time of mean TTF, each repair holding one of CREW repairmen (a Resource) for
an exponential time of mean TTR; a failure interrupts the operation, whose operator waits with
it. Blocking after service, as in simpy_line.py. SimPy 2.3.1 (Debian's python3-simpy).

Usage: simpy_crew.py STATIONS BUFFER OPERATORS CREW TTF TTR HORIZON WARMUP SEED
Prints one JSON object: throughput, finished parts in the measured window, wall seconds.
"""
import json
import random
import sys
import time

from SimPy.Simulation import Level, Process, Resource, Simulation, get, hold, put, release, request


class Machine(Process):
    def __init__(self, sim, index, upstream, downstream, rng, line):
        Process.__init__(self, name="m%d" % index, sim=sim)
        self.upstream, self.downstream, self.rng, self.line = upstream, downstream, rng, line

    def run(self):
        line, rng = self.line, self.rng
        ttf_left = rng.expovariate(1.0 / line.ttf)
        while True:
            if self.upstream is not None:          # the first machine never starves
                yield get, self, self.upstream, 1
            yield request, self, line.operators
            work = rng.expovariate(1.0)
            while ttf_left < work:                 # time to failure counts busy time only
                yield hold, self, ttf_left
                work -= ttf_left
                yield request, self, line.crew
                yield hold, self, rng.expovariate(1.0 / line.ttr)
                yield release, self, line.crew
                ttf_left = rng.expovariate(1.0 / line.ttf)
            yield hold, self, work
            ttf_left -= work
            yield release, self, line.operators
            if self.downstream is not None:        # blocked until there is a place downstream
                yield put, self, self.downstream, 1
            else:
                line.finished(self.sim.now())


class Line:
    def __init__(self, sim, warmup, operators, crew, ttf, ttr):
        self.warmup, self.count, self.ttf, self.ttr = warmup, 0, ttf, ttr
        self.operators = Resource(capacity=operators, sim=sim, name="operators")
        self.crew = Resource(capacity=crew, sim=sim, name="crew")

    def finished(self, t):
        if t >= self.warmup:
            self.count += 1


def main():
    stations, buffer, operators, crew = (int(a) for a in sys.argv[1:5])
    ttf, ttr, horizon, warmup = (float(a) for a in sys.argv[5:9])
    seed = int(sys.argv[9])
    t0 = time.perf_counter()
    sim = Simulation()
    sim.initialize()
    rng = random.Random(seed)
    buffers = [Level(capacity=buffer, sim=sim, name="b%d" % i) for i in range(1, stations)]
    line = Line(sim, warmup, operators, crew, ttf, ttr)
    for i in range(stations):
        m = Machine(sim, i, buffers[i - 1] if i > 0 else None,
                    buffers[i] if i < stations - 1 else None, rng, line)
        sim.activate(m, m.run())
    sim.simulate(until=warmup + horizon)
    wall = time.perf_counter() - t0
    print(json.dumps({"throughput": line.count / horizon, "finished": line.count, "wall_s": wall}))


if __name__ == "__main__":
    main()

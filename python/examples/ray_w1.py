#!/usr/bin/env python3
"""Seed 001's W1 on Ray: 50 bilinear splines on a 50x50 grid, summing exp
of every spline at a million points, the way the seeds run it.

Each variant in one run and one table:

- Ray + Blockwise: one actor per CPU, each building its spline stack once
  (seed 003's expensive init, in the actor's constructor) and running one
  pool thread (`blockwise.set_num_threads(1)`: Ray already gives each
  actor a core); the points are put once in Ray's object store, and each
  actor reads its share of them in place (the object store hands out
  read-only numpy views; Blockwise reads them without a copy).
- Ray + numpy: the same actors and object-store arrays, W1 in vectorised
  numpy (gathers of the four corners, exp, sum) per chunk.
- Blockwise alone: this process, one call on every core.

It also measures the Python-call overhead of `stack.sum_exp`: the same
call through the package, through the raw C function (ctypes, arguments
prepared), and, given `--swift-json` (blockwise-bench's W1 output), the
Swift call itself.

    make bench-ray          # installs ray when missing, then runs this
    python3 python/examples/ray_w1.py --points 1000000 --repeats 5
"""
import argparse
import ctypes
import json
import os
import statistics
import sys
import time

import numpy as np


def cell_offsets(g, xi, yi):
    """Cell indices and offsets on the integer grid 0..g-1."""
    i = np.clip(np.floor(xi).astype(np.int64), 0, g - 2)
    j = np.clip(np.floor(yi).astype(np.int64), 0, g - 2)
    return i, j, xi - i, yi - j


def w1_numpy(z3, xi, yi):
    """W1 in vectorised numpy: per spline, gather the corners, interpolate, exp, sum."""
    i, j, tx, ty = cell_offsets(z3.shape[1], xi, yi)
    total = 0.0
    for z in z3:
        v = (1 - tx) * ((1 - ty) * z[i, j] + ty * z[i, j + 1]) + tx * ((1 - ty) * z[i + 1, j] + ty * z[i + 1, j + 1])
        total += float(np.exp(v).sum())
    return total


def chunks(n, k, align=1):
    """k contiguous ranges covering 0..<n, boundaries on multiples of align."""
    step = -(-n // k)
    step = -(-step // align) * align
    return [(s, min(n, s + step)) for s in range(0, n, step)]


def median_time(fn, repeats):
    fn()  # warm-up (actors started, pages touched, caches filled)
    times = []
    value = None
    for _ in range(repeats):
        t = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), value


def make_actors(ray, cpus, z3_ref, use_blockwise):
    @ray.remote(num_cpus=1)
    class W1Actor:
        def __init__(self, z3, blockwise_stack):
            g = z3.shape[1]
            self.z3 = z3
            self.stack = None
            if blockwise_stack:
                import blockwise

                blockwise.set_num_threads(1)  # one core per actor: Ray places them
                axis = np.arange(float(g))
                self.stack = blockwise.BilinearSplineStack(axis, axis, z3)  # built once per actor

        def sum_exp(self, xi, yi, lo, hi):
            # xi, yi: read-only views into the object store (no copy); the
            # slices are contiguous views too.
            if self.stack is not None:
                return self.stack.sum_exp(xi[lo:hi], yi[lo:hi])
            return w1_numpy(self.z3, xi[lo:hi], yi[lo:hi])

    return [W1Actor.remote(z3_ref, use_blockwise) for _ in range(cpus)]


def start_ray(cpus):
    """A local Ray with `cpus` CPUs whose workers can import this module
    (the actors' code refers to w1_numpy by module)."""
    import ray

    here = os.path.dirname(os.path.abspath(__file__))
    path = os.pathsep.join([here] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p])
    ray.init(num_cpus=cpus, include_dashboard=False, log_to_driver=False, logging_level="ERROR",
             runtime_env={"env_vars": {"PYTHONPATH": path}})
    return ray


def ray_numpy_seconds(z3, xi, yi, cpus, repeats):
    """W1 with Ray + numpy: the median seconds and the total (arrays put once)."""
    ray = start_ray(cpus)
    try:
        z3_ref, xi_ref, yi_ref = ray.put(z3), ray.put(xi), ray.put(yi)
        actors = make_actors(ray, cpus, z3_ref, False)
        return median_time(lambda: run_on_ray(ray, actors, xi_ref, yi_ref, xi.size), repeats)
    finally:
        ray.shutdown()


def run_on_ray(ray, actors, xi_ref, yi_ref, n):
    # Chunk boundaries on Blockwise's summation leaf (256 points).
    parts = chunks(n, len(actors), align=256)
    return sum(ray.get([a.sum_exp.remote(xi_ref, yi_ref, lo, hi) for a, (lo, hi) in zip(actors, parts)]))


def call_overhead(stack, xi, yi, repeats):
    """The package's call vs the raw C function with prepared arguments, on
    W1's points and on one point (where the overhead is all there is)."""
    from blockwise import _lib

    raw = _lib.lib.blockwise_stack_sum_exp_f64
    result = ctypes.c_double()
    handle, px, py = stack._handle, xi.ctypes.data, yi.ctypes.data

    def direct(m):
        _lib.check(raw(handle, px, py, m, ctypes.byref(result)))
        return result.value

    # Interleaved, so that both see the same stretch of a noisy machine.
    stack.sum_exp(xi, yi)
    package_times, raw_times = [], []
    for _ in range(repeats):
        package_times.append(timeit_loop(lambda: stack.sum_exp(xi, yi), 1))
        raw_times.append(timeit_loop(lambda: direct(xi.size), 1))
    package_w1, raw_w1 = statistics.median(package_times), statistics.median(raw_times)
    one_x, one_y = xi[:1], yi[:1]
    k = 20000
    package_one = min(timeit_loop(lambda: stack.sum_exp(one_x, one_y), k) for _ in range(3))
    raw_one = min(timeit_loop(lambda: direct(1), k) for _ in range(3))
    return package_w1, raw_w1, package_one, raw_one


def timeit_loop(fn, k):
    t = time.perf_counter()
    for _ in range(k):
        fn()
    return (time.perf_counter() - t) / k


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--splines", type=int, default=50)
    ap.add_argument("--grid", type=int, default=50)
    ap.add_argument("--points", type=int, default=1_000_000)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--cpus", type=int, default=len(os.sched_getaffinity(0)))
    ap.add_argument("--swift-json", help="blockwise-bench --workloads w1 --json output, for the Swift call's time")
    ap.add_argument("--json", help="write the table here")
    args = ap.parse_args()

    import ray

    import blockwise

    rng = np.random.default_rng(1)
    g, n = args.grid, args.points
    z3 = rng.uniform(size=(args.splines, g, g))
    xi, yi = rng.uniform(0, g - 1, (2, n))
    axis = np.arange(float(g))

    rows = []
    stack = blockwise.BilinearSplineStack(axis, axis, z3)
    t_alone, v_alone = median_time(lambda: stack.sum_exp(xi, yi), args.repeats)
    rows.append(("Blockwise alone (this process, %d threads)" % blockwise.get_num_threads(), t_alone, v_alone))

    # Before Ray starts: its processes keep a core busy for a while after
    # shutdown, which would slow whatever is timed next.
    package_w1, raw_w1, package_one, raw_one = call_overhead(stack, xi, yi, args.repeats)

    start_ray(args.cpus)
    try:
        z3_ref, xi_ref, yi_ref = ray.put(z3), ray.put(xi), ray.put(yi)  # once: shared memory, no pickling per call
        bw_actors = make_actors(ray, args.cpus, z3_ref, True)
        t_bw, v_bw = median_time(lambda: run_on_ray(ray, bw_actors, xi_ref, yi_ref, n), args.repeats)
        rows.append((f"Ray + Blockwise ({args.cpus} actors x 1 thread)", t_bw, v_bw))
        for a in bw_actors:
            ray.kill(a)
        np_actors = make_actors(ray, args.cpus, z3_ref, False)
        t_np, v_np = median_time(lambda: run_on_ray(ray, np_actors, xi_ref, yi_ref, n), max(1, min(args.repeats, 3)))
        rows.append((f"Ray + numpy ({args.cpus} actors)", t_np, v_np))
    finally:
        ray.shutdown()

    swift_w1 = None
    if args.swift_json:
        with open(args.swift_json) as f:
            bw = json.load(f)
        cands = [r for r in bw["rows"] if r["workload"] == "W1" and r["variant"].startswith("Blockwise")
                 and r["threads"] > 1 and "Float" not in r["variant"]]
        if cands:
            swift_w1 = min(r["medianSeconds"] for r in cands)

    print(f"\n# W1 on Ray: {args.splines} splines on a {g}x{g} grid, {n} points, {args.cpus} CPUs "
          f"(blockwise {blockwise.__version__}, {blockwise.kernel_isa()} kernels)")
    print(f"{'variant':<46} {'median':>10} {'vs Ray + numpy':>15}  total")
    print("-" * 96)
    for name, t, v in rows:
        print(f"{name:<46} {t * 1e3:>8.1f} ms {t_np / t:>14.1f}x  {v:.17g}")
    print(f"\nRay + Blockwise is {t_np / t_bw:.1f}x Ray + numpy (target: at least 20x).")
    print(f"\n# Python-call overhead of stack.sum_exp (W1, {n} points; medians of {args.repeats})")
    print(f"package call {package_w1 * 1e3:.2f} ms; raw C call via ctypes {raw_w1 * 1e3:.2f} ms"
          + (f"; Swift call (blockwise-bench W1, its own run) {swift_w1 * 1e3:.2f} ms: "
             f"package/Swift = {package_w1 / swift_w1:.3f}" if swift_w1 else ""))
    print(f"per-call overhead on one point: package {package_one * 1e6:.1f} us, raw ctypes {raw_one * 1e6:.1f} us "
          f"= {package_one / package_w1 * 100:.3f}% of the W1 call (target: within 5%)")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"rows": [{"variant": r[0], "seconds": r[1], "total": r[2]} for r in rows],
                       "packageCallSeconds": package_w1, "rawCallSeconds": raw_w1, "swiftCallSeconds": swift_w1,
                       "packageOverheadSeconds": package_one, "rawOverheadSeconds": raw_one}, f, indent=2)
    met = t_np / t_bw >= 20 and package_one / package_w1 <= 0.05
    print("targets " + ("met" if met else "MISSED on this run"))
    return 0


if __name__ == "__main__":
    sys.exit(main())

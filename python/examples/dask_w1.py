#!/usr/bin/env python3
"""W1 on Dask: 50 bilinear splines on a 50x50 grid, summed exp over
10^6 points, on a distributed.LocalCluster of 2 worker processes, beside
the same sum in one process (timed in alternating blocks, medians). The
points are chunked at multiples of the stack's summation leaf, so the two
totals are the same bits.

    python python/examples/dask_w1.py [--points N] [--workers 2] [--repeats 5]
"""
import argparse
import statistics
import time

import dask.array as da
import numpy as np
from distributed import Client, LocalCluster

import blockwise
import blockwise.dask as bd


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--points", type=int, default=1_000_000)
    p.add_argument("--splines", type=int, default=50)
    p.add_argument("--grid", type=int, default=50)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--repeats", type=int, default=5)
    args = p.parse_args()

    rng = np.random.default_rng(20261206)
    x = np.arange(args.grid, dtype=np.float64)
    z3 = rng.uniform(-1, 1, (args.splines, args.grid, args.grid))
    stack = blockwise.BilinearSplineStack(x, x, z3)
    xi = rng.uniform(0, args.grid - 1, args.points)
    yi = rng.uniform(0, args.grid - 1, args.points)

    # One chunk per worker, rounded to a whole number of leaves.
    leaf = bd.stack_leaf_length(stack)
    chunk = -(-args.points // args.workers // leaf) * leaf
    with LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            Client(cluster) as client:
        dx, dy = da.from_array(xi, chunks=chunk), da.from_array(yi, chunks=chunk)
        dx, dy = client.persist(dx), client.persist(dy)
        runs = {"one": lambda: stack.sum_exp(xi, yi),
                # The stack goes to the workers once (scattered by the first
                # call); each call builds and computes a new graph.
                "dask": lambda: bd.stack_sum_exp(stack, dx, dy).compute(),
                # The same with the stack in each graph, for comparison.
                "by value": lambda: bd.stack_sum_exp(stack, dx, dy, scatter=False).compute(),
                # Dask's own cost per compute on this cluster, for scale.
                "trivial": lambda: (dx + 1).sum().compute()}
        # Each timed in blocks of back-to-back runs (its steady state, as a
        # user calling it in a loop sees), the blocks in turn, three rounds,
        # so that all see the same machine (a shared VM drifts within
        # seconds); the first run of a block is not timed (it absorbs the
        # previous block's wake-ups and the workers' bookkeeping). Medians.
        results = {}
        times = {k: [] for k in runs}
        for _ in range(3):
            for k, f in runs.items():
                results[k] = f()
                for _ in range(args.repeats):
                    t = time.perf_counter()
                    results[k] = f()
                    times[k].append(time.perf_counter() - t)
        worker_threads = client.run(lambda: blockwise.get_num_threads())
    one, total = results["one"], results["dask"]
    t_one, t_dask = statistics.median(times["one"]), statistics.median(times["dask"])
    t_value = statistics.median(times["by value"])
    same = float(total) == one and float(results["by value"]) == one
    print(f"W1 ({args.splines} splines, {args.grid}x{args.grid} grid, {args.points} points):")
    print(f"  one process ({blockwise.get_num_threads()} threads): {one!r} in {t_one * 1e3:.1f} ms")
    print(f"  Dask, {args.workers} workers x 1 thread (pool threads per worker: "
          f"{sorted(set(worker_threads.values()))}): {float(total)!r} in {t_dask * 1e3:.1f} ms "
          f"({t_dask / t_one:.2f}x one process)")
    print(f"  the same with the stack in each graph (scatter=False): {t_value * 1e3:.1f} ms "
          f"({t_value / t_one:.2f}x one process)")
    print(f"  a trivial (x + 1).sum().compute() on the same cluster: {statistics.median(times['trivial']) * 1e3:.1f} ms")
    print(f"  same bits: {same}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())

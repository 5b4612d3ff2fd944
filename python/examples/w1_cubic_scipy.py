#!/usr/bin/env python3
"""W1-cubic from Python: 50 bicubic splines on a 50x50 grid, summed exp over
10^6 points, by `blockwise.RectBivariateSplineStack.sum_exp` beside scipy's
`RectBivariateSpline.ev` looped over the stack (the splines built
beforehand, as a scipy user would keep them), in one process.

    python python/examples/w1_cubic_scipy.py [--points N] [--repeats 9] [--threads T]

Blockwise's time is the median of --repeats calls; scipy's is one pass
(seconds long). The float32 row feeds float32 data to the stack, which then
computes in Float (scipy computes in float64 either way, so its time is
reused). The totals agree to the printed relative difference.
"""
import argparse
import statistics
import time

import numpy as np
from scipy.interpolate import RectBivariateSpline

import blockwise


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--points", type=int, default=1_000_000)
    p.add_argument("--splines", type=int, default=50)
    p.add_argument("--grid", type=int, default=50)
    p.add_argument("--repeats", type=int, default=9)
    p.add_argument("--threads", type=int, default=None, help="Blockwise threads (default: the pool's count)")
    args = p.parse_args()
    if args.threads:
        blockwise.set_num_threads(args.threads)

    rng = np.random.default_rng(20261207)
    ax = np.arange(args.grid, dtype=np.float64)
    z3 = rng.uniform(-1, 1, (args.splines, args.grid, args.grid))
    xi = rng.uniform(0, args.grid - 1, args.points)
    yi = rng.uniform(0, args.grid - 1, args.points)

    splines = [RectBivariateSpline(ax, ax, z3[k]) for k in range(args.splines)]
    t = time.perf_counter()
    reference = sum(float(np.exp(s.ev(xi, yi)).sum()) for s in splines)
    t_scipy = time.perf_counter() - t

    print(f"W1-cubic ({args.splines} bicubic splines, {args.grid}x{args.grid} grid, {args.points} points), "
          f"Blockwise on {blockwise.get_num_threads()} threads:")
    print(f"  scipy RectBivariateSpline.ev, looped: {t_scipy:.2f} s")
    rel64 = None
    for dt in (np.float64, np.float32):
        stack = blockwise.RectBivariateSplineStack(ax.astype(dt), ax.astype(dt), z3.astype(dt))
        a, b = xi.astype(dt), yi.astype(dt)
        total = stack.sum_exp(a, b)
        times = []
        for _ in range(args.repeats):
            t = time.perf_counter()
            total = stack.sum_exp(a, b)
            times.append(time.perf_counter() - t)
        t_bw = statistics.median(times)
        rel = abs(total - reference) / abs(reference)
        rel64 = rel if dt is np.float64 else rel64
        print(f"  blockwise {np.dtype(dt).name}: {t_bw * 1e3:.1f} ms, {t_scipy / t_bw:.0f}x scipy "
              f"(relative difference {rel:.1e})")
    return 0 if rel64 < 1e-12 else 1


if __name__ == "__main__":
    raise SystemExit(main())

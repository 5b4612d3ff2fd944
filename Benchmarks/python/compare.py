#!/usr/bin/env python3
"""Runs Blockwise's workloads W1-W5, A1-A5 and F1-F4 with the tools a Python user has today
and prints one merged table against blockwise-bench's JSON output.

    make bench-compare            # builds, runs both drivers, writes bench-results/
    python3 Benchmarks/python/compare.py --blockwise bench-results/blockwise.json --out bench-results

Anchors per workload:
  scipy   RectBivariateSpline.ev, serial (W1 bilinear, W1-cubic bicubic); scipy.special.logsumexp (W2, W4)
  numpy   hand-vectorised (W1 bilinear gather; W2 per-row max/exp/sum; W3 unfused; W4 np.exp(a).sum());
          the array methods themselves for A1-A5 (sum(axis=), a + v, ascontiguousarray(a.T), astype);
          np.load(mmap_mode='r') + np.exp(a).sum(), np.save, np.load, np.loadtxt for F1-F4, in the
          folder blockwise-bench wrote its files to
  numexpr all threads (ne.set_num_threads(cores))
  mp      multiprocessing.Pool(cores), one chunk per core, arrays inherited by fork

Ratio = Blockwise all-threads time / anchor time (below 1: Blockwise is faster);
the "x faster" column is its inverse. Data are generated with the same sizes
(not the same random numbers) as blockwise-bench.
"""
import argparse
import json
import math
import multiprocessing as mp
import os
import sys
import tempfile
import time

import numpy as np
import numexpr as ne
import scipy.special
from scipy.interpolate import RectBivariateSpline

# W1's numpy formulation (and its Ray driver) live with the Ray example,
# so the two comparisons run the same code.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "python", "examples"))
from ray_w1 import cell_offsets, ray_numpy_seconds, w1_numpy as bilinear_numpy  # noqa: E402

G = {}  # arrays inherited by forked workers (never pickled)


def median_time(fn, repeats, slow):
    t0 = time.perf_counter()
    v = fn()
    warm = time.perf_counter() - t0
    if warm > slow:
        return warm, 1, v
    ts = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        v = fn()
        ts.append(time.perf_counter() - t0)
    ts.sort()
    return ts[len(ts) // 2], len(ts), v


def bilinear_numexpr(z3, xi, yi):
    """numpy gathers the corner values, numexpr evaluates the bilinear form and
    the exp-sum in one multi-threaded pass per spline."""
    i, j, tx, ty = cell_offsets(z3.shape[1], xi, yi)
    total = 0.0
    for z in z3:
        env = {"tx": tx, "ty": ty, "a": z[i, j], "b": z[i, j + 1], "c": z[i + 1, j], "d": z[i + 1, j + 1]}
        total += float(ne.evaluate("sum(exp((1 - tx) * ((1 - ty) * a + ty * b) + tx * ((1 - ty) * c + ty * d)))",
                                   local_dict=env))
    return total


def w1_mp_chunk(bounds):
    lo, hi = bounds
    return bilinear_numpy(G["z3"], G["xi"][lo:hi], G["yi"][lo:hi])


def w2_mp_chunk(bounds):
    lo, hi = bounds
    return scipy.special.logsumexp(G["a"][lo:hi], axis=1)


def w3_mp_chunk(bounds):
    lo, hi = bounds
    return sum(float(((x * x) * 3 + 1).sum()) for x in G["arrays"][lo:hi])


def w4_mp_chunk(bounds):
    lo, hi = bounds
    return float(np.exp(G["a"][lo:hi]).sum())


def chunks(n, k):
    step = (n + k - 1) // k
    return [(s, min(n, s + step)) for s in range(0, n, step)]


def run_pool(fn, n, cores):
    with mp.get_context("fork").Pool(cores) as pool:
        return pool.map(fn, chunks(n, cores))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--blockwise", required=True, help="JSON written by blockwise-bench --json")
    ap.add_argument("--out", default="bench-results")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--slow-seconds", type=float, default=1.0)
    ap.add_argument("--cores", type=int, default=len(os.sched_getaffinity(0)))
    ap.add_argument("--chart-only", action="store_true", help="redraw OUT/compare.png from OUT/compare.json")
    ap.add_argument("--mpi-results", help="blockwise-mpi --results file: W1 over MPI beside W1 on Ray + numpy")
    args = ap.parse_args()
    if args.chart_only:
        with open(os.path.join(args.out, "compare.json")) as f:
            saved = json.load(f)
        draw_chart(saved["rows"], saved["machine"], os.path.join(args.out, "compare.png"))
        return
    with open(args.blockwise) as f:
        bw = json.load(f)
    cores = args.cores
    ne.set_num_threads(cores)
    rng = np.random.default_rng(7)
    results = []  # (workload, anchor, seconds, samples)

    def record(workload, anchor, fn):
        print(f"[compare] {workload}: {anchor}", file=sys.stderr, flush=True)
        t, n, _ = median_time(fn, args.repeats, args.slow_seconds)
        results.append((workload, anchor, t, n))

    rows = {r["workload"] for r in bw["rows"]}
    # The sizes blockwise-bench used, so both sides do the same work (files
    # from before the driver recorded them get its defaults).
    cfg = bw.get("config") or {"splines": 50, "grid": 50, "points": 1_000_000, "arrays": 100,
                               "arrayShape": [500, 2000], "reductionCount": 50_000_000}
    # W1
    if "W1" in rows:
        n_spl, m, g = cfg["splines"], cfg["points"], cfg["grid"]
        z3 = rng.uniform(size=(n_spl, g, g))
        xi, yi = rng.uniform(0, g - 1, size=(2, m))
        ax = np.arange(float(g))
        ff = [RectBivariateSpline(ax, ax, z3[k], kx=1, ky=1) for k in range(n_spl)]
        G.update(z3=z3, xi=xi, yi=yi)
        record("W1", "scipy serial", lambda: sum(np.sum(np.exp(f.ev(xi, yi))) for f in ff))
        record("W1", "numpy vectorised", lambda: bilinear_numpy(z3, xi, yi))
        record("W1", "numpy gathers + numexpr", lambda: bilinear_numexpr(z3, xi, yi))
        record("W1", f"multiprocessing x{cores}", lambda: sum(run_pool(w1_mp_chunk, m, cores)))
    # W1-cubic: scipy's default degree (kx = ky = 3), serial ev per spline
    if "W1-cubic" in rows:
        n_spl, m, g = cfg["splines"], cfg["points"], cfg["grid"]
        z3 = rng.uniform(size=(n_spl, g, g))
        xi, yi = rng.uniform(0, g - 1, size=(2, m))
        ax = np.arange(float(g))
        ff3 = [RectBivariateSpline(ax, ax, z3[k]) for k in range(n_spl)]
        record("W1-cubic", "scipy serial", lambda: sum(np.sum(np.exp(f.ev(xi, yi))) for f in ff3))
        del ff3
    # W2
    for r in sorted({r["workload"] for r in bw["rows"] if r["workload"].startswith("W2")}):
        rows_, cols = map(int, r.split()[1].split("x"))
        a = rng.uniform(-10, 10, size=(rows_, cols))
        G["a"] = a
        record(r, "scipy logsumexp(axis=1)", lambda: scipy.special.logsumexp(a, axis=1))
        record(r, "numpy max/exp/sum", lambda: (lambda mx: mx[:, 0] + np.log(np.exp(a - mx).sum(axis=1)))(
            a.max(axis=1, keepdims=True)))
        record(r, "numexpr", lambda: (lambda mx: mx[:, 0] + np.log(ne.evaluate("exp(a - mx)", local_dict={"a": a, "mx": mx}).sum(axis=1)))(
            a.max(axis=1, keepdims=True)))
        record(r, f"multiprocessing x{cores}", lambda: np.concatenate(run_pool(w2_mp_chunk, rows_, cores)))
        del G["a"]
    # W3
    if "W3" in rows:
        arrays = [rng.uniform(-1, 1, size=tuple(cfg["arrayShape"])) for _ in range(cfg["arrays"])]
        G["arrays"] = arrays
        record("W3", "numpy unfused", lambda: sum(float(((x * x) * 3 + 1).sum()) for x in arrays))
        record("W3", "numexpr", lambda: sum(float(ne.evaluate("sum(x * x * 3 + 1)", local_dict={"x": x})) for x in arrays))
        record("W3", f"multiprocessing x{cores}", lambda: sum(run_pool(w3_mp_chunk, len(arrays), cores)))
        del G["arrays"]
    # W4
    for op in ("sumExp", "logSumExp"):
        name = f"W4 {op}"
        if name not in rows:
            continue
        n = cfg["reductionCount"]
        if "a" not in G or G["a"].shape != (n,):
            G["a"] = rng.uniform(-10, 10, size=n)
        a = G["a"]
        if op == "sumExp":
            record(name, "numpy np.exp(a).sum()", lambda: float(np.exp(a).sum()))
            record(name, "numexpr", lambda: float(ne.evaluate("sum(exp(a))", local_dict={"a": a})))
            record(name, f"multiprocessing x{cores}", lambda: sum(run_pool(w4_mp_chunk, n, cores)))
        else:
            record(name, "scipy logsumexp", lambda: float(scipy.special.logsumexp(a)))
            record(name, "numexpr", lambda: (lambda m_: m_ + math.log(float(ne.evaluate("sum(exp(a - m_))", local_dict={"a": a, "m_": m_}))))(
                float(a.max())))

    # W5: a user's expression, evaluated and summed, Double and Float
    w5 = "exp(-x*x/2) * cos(3*y) + log1p(x*x)"
    for dt, label in ((np.float64, "Double"), (np.float32, "Float")):
        if f"W5 sum {label}" not in rows:
            continue
        n = cfg.get("expressionCount", 10_000_000)
        x = rng.uniform(-3, 3, n).astype(dt)
        y = rng.uniform(-3, 3, n).astype(dt)
        env = {"x": x, "y": y}
        record(f"W5 evaluate {label}", "numpy", lambda: np.exp(-x * x / 2) * np.cos(3 * y) + np.log1p(x * x))
        record(f"W5 evaluate {label}", "numexpr", lambda: ne.evaluate(w5, local_dict=env))
        record(f"W5 sum {label}", "numpy", lambda: float((np.exp(-x * x / 2) * np.cos(3 * y) + np.log1p(x * x)).sum()))
        record(f"W5 sum {label}", "numexpr", lambda: float(ne.evaluate(f"sum({w5})", local_dict=env)))
        del x, y, env

    # Arrays (A1-A5): numpy on one thread, numexpr on all for the broadcast.
    if any(r.startswith("A") for r in rows):
        rr, cc = cfg.get("matrixShape", [1000, 100_000])
        a = rng.uniform(size=(rr, cc))
        v = rng.uniform(size=cc)
        record("A1 sum(axis: 0)", "numpy a.sum(axis=0)", lambda: a.sum(axis=0))
        record("A2 sum(axis: 1)", "numpy a.sum(axis=1)", lambda: a.sum(axis=1))
        record("A3 a + v", "numpy a + v", lambda: a + v)
        record("A3 a + v", "numexpr", lambda: ne.evaluate("a + v", local_dict={"a": a, "v": v}))
        del a
        n = cfg.get("transposeSize", 8192)
        sq = rng.uniform(size=(n, n))
        record("A4 transposed", "numpy ascontiguousarray(a.T)", lambda: np.ascontiguousarray(sq.T))
        del sq
        d = rng.uniform(-1e3, 1e3, size=cfg.get("convertCount", 50_000_000))
        record("A5 Double to Float", "numpy astype(float32)", lambda: d.astype(np.float32))
        del d

    # Files (F1-F4), in the folder blockwise-bench used (the same disk).
    if any(r.startswith("F") for r in rows):
        folder = cfg.get("fileFolder") or os.path.join(tempfile.gettempdir(), "blockwise-bench-files")
        os.makedirs(folder, exist_ok=True)
        n = cfg.get("fileCount") or 50_000_000
        a = rng.uniform(-10, 10, n)
        path = os.path.join(folder, "numpy-f1.npy")
        np.save(path, a)
        record("F1 mapped sumExp", "numpy np.load(mmap_mode='r') + np.exp(a).sum()",
               lambda: float(np.exp(np.load(path, mmap_mode="r")).sum()))
        record("F2 write(npyFile:)", "numpy np.save", lambda: np.save(path, a))
        record("F3 init(npyFile:)", "numpy np.load", lambda: np.load(path))
        os.unlink(path)
        del a
        csv_rows = cfg.get("csvRows") or 200_000
        table = rng.uniform(-1e3, 1e3, (csv_rows, 10))
        csv_path = os.path.join(folder, "numpy-f4.csv")
        with open(csv_path, "w") as fh:
            fh.write(",".join(f"c{j}" for j in range(10)) + "\n")
            fh.writelines(",".join(repr(float(x)) for x in row) + "\n" for row in table)
        record("F4 CSV", "numpy np.loadtxt", lambda: np.loadtxt(csv_path, delimiter=",", skiprows=1))
        os.unlink(csv_path)

    # W1 across processes: Blockwise over MPI (blockwise-mpi, one rank per
    # core) beside the seeds' own engine, Ray (numpy per chunk, the arrays
    # put once in its object store), on the same number of points.
    mpi_seconds = {}
    if args.mpi_results and os.path.exists(args.mpi_results):
        with open(args.mpi_results) as f:
            runs = [line.split("\t") for line in f.read().splitlines() if line.count("\t") == 5]
        mpi = [r for r in runs if r[0] == "MPI" and int(r[1]) == cores]
        if mpi:
            points = int(mpi[-1][3])
            name = f"W1 MPI x{cores} ({points // 1000}k pts)"
            mpi_seconds[name] = float(mpi[-1][4])
            try:
                import ray  # noqa: F401
            except ImportError:
                print("[compare] ray is not installed: no Ray row (make bench-compare installs it)", file=sys.stderr)
            else:
                g = cfg["grid"]
                z3 = rng.uniform(size=(cfg["splines"], g, g))
                xi, yi = rng.uniform(0, g - 1, (2, points))
                print(f"[compare] {name}: Ray + numpy", file=sys.stderr, flush=True)
                t, _ = ray_numpy_seconds(z3, xi, yi, cores, args.repeats)
                results.append((name, f"Ray + numpy ({cores} CPUs)", t, args.repeats))

    # Merge with Blockwise's all-threads rows.
    def blockwise_best(workload):
        cands = [r for r in bw["rows"] if r["workload"] == workload and r["threads"] > 1
                 and r["variant"].startswith("Blockwise") and "Float" not in r["variant"]
                 and "unfused" not in r["variant"] and "same shape" not in r["variant"]
                 and "hand-fused" not in r["variant"] and "in memory" not in r["variant"]
                 and "bilinear" not in r["variant"]]
        return min(cands, key=lambda r: r["medianSeconds"]) if cands else None

    print(f"\n# Blockwise vs Python tools ({bw['machine']['cpu']}, {bw['machine']['cores']} cores)")
    print(f"{'workload':<22} {'anchor':<30} {'anchor time':>12} {'Blockwise':>11} {'ratio':>8} {'x faster':>9}")
    print("-" * 98)
    merged = []
    for wl, anchor, t, n in results:
        b = {"medianSeconds": mpi_seconds[wl]} if wl in mpi_seconds else blockwise_best(wl)
        if not b:
            continue
        ratio = b["medianSeconds"] / t
        merged.append({"workload": wl, "anchor": anchor, "anchorSeconds": t, "samples": n,
                       "blockwiseSeconds": b["medianSeconds"], "ratio": ratio})
        print(f"{wl:<22} {anchor:<30} {t:>10.3f} s {b['medianSeconds']*1e3:>8.1f} ms {ratio:>8.4f} {1/ratio:>8.1f}x")
    os.makedirs(args.out, exist_ok=True)
    with open(os.path.join(args.out, "compare.json"), "w") as f:
        json.dump({"machine": bw["machine"], "rows": merged}, f, indent=2)

    draw_chart(merged, bw["machine"], os.path.join(args.out, "compare.png"))


def draw_chart(merged, machine, path):
    """Time per workload, log scale, one bar per variant; Blockwise in black."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    workloads = sorted({m["workload"] for m in merged})
    blockwise = "Blockwise (all threads)"
    times, variants = {}, []
    for m in merged:
        times[(m["workload"], m["anchor"])] = m["anchorSeconds"]
        times[(m["workload"], blockwise)] = m["blockwiseSeconds"]
        if m["anchor"] not in variants:
            variants.append(m["anchor"])
    variants.append(blockwise)
    fig, ax = plt.subplots(figsize=(16, 5.5))
    width = 0.8 / len(variants)
    colors = plt.get_cmap("tab20").colors
    for k, v in enumerate(variants):
        xs = [i + k * width for i, w in enumerate(workloads) if (w, v) in times]
        ys = [times[(w, v)] for w in workloads if (w, v) in times]
        ax.bar(xs, ys, width, label=v, color="black" if v == blockwise else colors[k % len(colors)])
    ax.set_yscale("log")
    ax.set_ylabel("seconds (log scale)")
    ax.set_xticks([i + 0.4 - width / 2 for i in range(len(workloads))])
    ax.set_xticklabels(workloads, rotation=20, ha="right", fontsize=8)
    ax.set_title(f"Blockwise vs Python tools, {machine['cpu']}, {machine['cores']} cores")
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    print(f"\nwrote {path}", file=sys.stderr)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Fits the exp polynomial and prints the 2^(j/4) table used by
Sources/CBlockwiseKernels/bw_internal.h.

exp(x) = 2^(k/4) exp(r) with k = round(4x / ln 2) and |r| <= ln2/8. On that
interval exp(r) = 1 + r + r^2 q(r) with q of degree 6 (exp of degree 8),
chosen to minimise max |r^2 (q(r) - (e^r - 1 - r)/r^2)|: the absolute error
of exp(r) - 1, which is the relative error of the result since the table
factor multiplies it exactly. Near-minimax by Lawson's iteratively reweighted
least squares in 60-digit mpmath. Prints the error with the coefficients
rounded to double, then the #defines to paste.

    python3 scripts/exp_poly_fit.py              # about 10 s; needs mpmath
    python3 scripts/exp_poly_fit.py --table 8 --degree 5   # other trade-offs
"""
import argparse
import struct

import mpmath as mp

mp.mp.dps = 60
ap = argparse.ArgumentParser()
ap.add_argument("--table", type=int, default=4, help="table entries N: |r| <= ln2/(2N)")
ap.add_argument("--degree", type=int, default=6, help="degree of q (exp has degree + 2)")
ap.add_argument("--nodes", type=int, default=400)
args = ap.parse_args()

a = mp.log(2) / (2 * args.table)
deg, N = args.degree, args.nodes
xs = [a * mp.cos(mp.pi * (i + mp.mpf(0.5)) / N) for i in range(N)]


def g(r):
    return (mp.exp(r) - 1 - r) / r**2 if r != 0 else mp.mpf(0.5)


w = [mp.mpf(1) / N] * N
coef = None
for it in range(60):
    # weighted least squares on r^2 * p(r) ~ r^2 g(r)
    A = mp.matrix(deg + 1, deg + 1)
    b = mp.matrix(deg + 1, 1)
    for x, wi in zip(xs, w):
        basis = [x**2 * x**k for k in range(deg + 1)]
        t = x**2 * g(x)
        for i in range(deg + 1):
            b[i] += wi * basis[i] * t
            for j in range(deg + 1):
                A[i, j] += wi * basis[i] * basis[j]
    coef = mp.lu_solve(A, b)
    errs = [abs(x**2 * (g(x) - sum(coef[k] * x**k for k in range(deg + 1)))) for x in xs]
    s = sum(wi * e for wi, e in zip(w, errs))
    w = [wi * e / s for wi, e in zip(w, errs)]
cd = [float(c) for c in coef]
# error with coefficients rounded to double, on a fine grid
fine = [a * (2 * mp.mpf(i) / 20000 - 1) for i in range(20001)]
e = max(abs(x**2 * (g(x) - sum(mp.mpf(cd[k]) * x**k for k in range(deg + 1)))) for x in fine if x != 0)
print(f"|r| <= ln2/{2 * args.table}, exp of degree {deg + 2}")
print("max abs error (double coefficients):", mp.nstr(e, 5), " in ulps of 1:", mp.nstr(e / mp.mpf(2)**-52, 4))
for k, c in enumerate(cd):
    print(f"#define BW_M{k + 2} {c!r}")

# The table: bits of the double nearest 2^(j/N) minus j << (52 - log2 N),
# and the relative error of that double.
shift = 52 - (args.table.bit_length() - 1)
for j in range(args.table):
    v = mp.power(2, mp.mpf(j) / args.table)
    hi = float(v)
    bits = struct.unpack("<q", struct.pack("<d", hi))[0] - (j << shift)
    tail = float((v - mp.mpf(hi)) / mp.mpf(hi))
    print(f"#define BW_T{args.table}_{j} {bits:#x}LL  /* 2^({j}/{args.table}) = {hi!r} */")
    print(f"#define BW_T{args.table}_TAIL_{j} {tail!r}")

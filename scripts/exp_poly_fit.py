#!/usr/bin/env python3
"""Fits the exp polynomial used by Sources/CBlockwiseKernels/bw_internal.h.

exp(r) = 1 + r + r^2 q(r) on |r| <= ln2/2 with q of degree 9 (exp of degree
11), chosen to minimise max |r^2 (q(r) - (e^r - 1 - r)/r^2)|: the absolute
error that reaches the result, since 1 + r is formed exactly. Near-minimax by
Lawson's iteratively reweighted least squares in 60-digit mpmath; prints the
error with the coefficients rounded to double and the #defines to paste.

    python3 scripts/exp_poly_fit.py     # about 30 s; needs mpmath
"""
import mpmath as mp
mp.mp.dps = 60
a = mp.log(2) / 2
deg = 9
N = 400
xs = [a * mp.cos(mp.pi * (i + mp.mpf(0.5)) / N) for i in range(N)]
def g(r):
    return (mp.exp(r) - 1 - r) / r**2 if r != 0 else mp.mpf(0.5)
w = [mp.mpf(1) / N] * N
coef = None
for it in range(60):
    # weighted least squares on r^2 * p(r) ~ r^2 g(r)
    A = mp.matrix(deg + 1, deg + 1); b = mp.matrix(deg + 1, 1)
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
    if it % 20 == 19:
        print(it, mp.nstr(max(errs), 5))
cd = [float(c) for c in coef]
# error with coefficients rounded to double, on a fine grid
fine = [a * (2 * mp.mpf(i) / 20000 - 1) for i in range(20001)]
e = max(abs(x**2 * (g(x) - sum(mp.mpf(cd[k]) * x**k for k in range(deg + 1)))) for x in fine if x != 0)
print("max abs error (double coefficients):", mp.nstr(e, 5), " in ulps of 1:", mp.nstr(e / mp.mpf(2)**-52, 4))
for k, c in enumerate(cd):
    print(f"#define BW_M{k + 2} {c!r}")

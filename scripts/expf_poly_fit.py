"""Fits q of degree 4 in exp(r) ~ 1 + r + r^2 q(r) on |r| <= ln2/2, near-
minimax for the relative error of the result (Lawson's iteratively weighted
least squares on Chebyshev nodes), rounds the coefficients to float and
prints them with the resulting maximum relative error: the constants
BW_EXPF_Q0..Q4 of Sources/CBlockwiseKernels/vec/bw_vec_exp.h.

    python3 scripts/expf_poly_fit.py
"""
import numpy as np
from numpy.polynomial import polynomial as P

DEGREE = 4
a = np.log(2) / 2 * 1.0001  # the reduced range, with a little slack
k = np.arange(2000)
x = np.cos(np.pi * (k + 0.5) / 2000) * a
w = np.ones_like(x)
for _ in range(30):
    A = np.vander(x, DEGREE + 1, increasing=True) * (x * x)[:, None]
    b = np.exp(x) - 1 - x
    W = np.sqrt(w) / np.exp(x)
    c, *_ = np.linalg.lstsq(A * W[:, None], b * W, rcond=None)
    err = (1 + x + x * x * P.polyval(x, c) - np.exp(x)) / np.exp(x)
    w = w * np.abs(err)
    w /= w.sum()
cf = np.float32(c).astype(np.float64)
xx = np.linspace(-a, a, 200001)
worst = np.abs((1 + xx + xx * xx * P.polyval(xx, cf) - np.exp(xx)) / np.exp(xx)).max()
for i, v in enumerate(np.float32(c)):
    print(f"#define BW_EXPF_Q{i} {repr(float(v))}f")
print(f"// max relative error with float coefficients: {worst:.3g} ({worst / 2**-24:.3f} ulp of a float)")

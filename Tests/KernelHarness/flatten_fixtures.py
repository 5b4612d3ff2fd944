#!/usr/bin/env python3
"""Writes the float64 spline fixtures (made from scipy by
Tests/BlockwiseTests/Fixtures/make_fixtures.py and make_bivariate_fixtures.py)
as plain numbers for kernel_harness.c, which reads them with strtod (Python's
repr round-trips every double exactly):

    bilinear <name> <nx> x... <ny> y... z... <m> xi... yi... ev...
    bspline <name> <kx> <ky> <ntx> tx... <nty> ty... coeffs... <m> xi... yi... ev...

Usage: flatten_fixtures.py FIXTURE_DIR > fixtures.txt
"""
import json
import os
import sys


def nums(values):
    return " ".join(repr(float(v)) for v in values)


def validated(case, kind):
    """The case, after checking that its arrays agree (a malformed fixture
    stops here, before the harness reads garbage)."""
    name = case["name"]
    m = len(case["xi"])
    assert m > 0 and len(case["yi"]) == m and len(case["ev"]) == m, f"{kind} {name}: point arrays differ"
    if kind == "bilinear":
        assert len(case["z"]) == len(case["x"]) * len(case["y"]), f"{name}: z is not len(x) * len(y)"
    else:
        ncx, ncy = len(case["tx"]) - case["kx"] - 1, len(case["ty"]) - case["ky"] - 1
        assert ncx > 0 and ncy > 0 and len(case["coeffs"]) == ncx * ncy, f"{name}: coefficients do not fit the knots"
    return case


def main():
    folder = sys.argv[1]
    out = []
    for case in json.load(open(os.path.join(folder, "splines.json")))["cases"]:
        if case.get("float32"):
            continue
        case = validated(case, "bilinear")
        out.append(f"bilinear {case['name']} {len(case['x'])} {nums(case['x'])} {len(case['y'])} {nums(case['y'])} "
                   f"{nums(case['z'])} {len(case['xi'])} {nums(case['xi'])} {nums(case['yi'])} {nums(case['ev'])}")
    for case in json.load(open(os.path.join(folder, "bivariate.json")))["cases"]:
        if case.get("float32"):
            continue
        case = validated(case, "bspline")
        out.append(f"bspline {case['name']} {case['kx']} {case['ky']} {len(case['tx'])} {nums(case['tx'])} "
                   f"{len(case['ty'])} {nums(case['ty'])} {nums(case['coeffs'])} {len(case['xi'])} "
                   f"{nums(case['xi'])} {nums(case['yi'])} {nums(case['ev'])}")
    assert len(out) >= 50, f"only {len(out)} float64 spline cases in {folder}"
    print("\n".join(out))


if __name__ == "__main__":
    main()

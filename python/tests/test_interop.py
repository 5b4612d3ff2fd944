"""No copies, the GIL released, pickling, and worker processes."""
import concurrent.futures
import multiprocessing
import pickle
import threading
import time

import numpy as np
import pytest

import blockwise
from blockwise import _lib


def record_pointers(monkeypatch, name):
    """Wraps the C function `name` to record the pointer arguments the
    library receives."""
    seen = []
    original = getattr(_lib.lib, name)

    def recorder(*args):
        seen.append(args)
        return original(*args)

    monkeypatch.setattr(_lib.lib, name, recorder)
    return seen


def test_contiguous_arrays_pass_without_a_copy(monkeypatch, rng):
    x = y = np.arange(50.0)
    stack = blockwise.BilinearSplineStack(x, y, rng.uniform(size=(3, 50, 50)))
    xi, yi = rng.uniform(0, 49, (2, 10_000))
    seen = record_pointers(monkeypatch, "blockwise_stack_sum_exp_f64")
    stack.sum_exp(xi, yi)
    assert seen[-1][1] == xi.ctypes.data and seen[-1][2] == yi.ctypes.data
    # float32 arrays on a float32 stack: their own memory too.
    stack32 = blockwise.BilinearSplineStack(x.astype(np.float32), y.astype(np.float32), rng.uniform(size=(3, 50, 50)).astype(np.float32))
    x32, y32 = xi.astype(np.float32), yi.astype(np.float32)
    seen32 = record_pointers(monkeypatch, "blockwise_stack_sum_exp_f32")
    stack32.sum_exp(x32, y32)
    assert seen32[-1][1] == x32.ctypes.data and seen32[-1][2] == y32.ctypes.data
    # A read-only array (Ray's object store hands those out) is not copied either.
    xi.flags.writeable = False
    stack.sum_exp(xi, yi)
    assert seen[-1][1] == xi.ctypes.data
    # A strided view is converted: one documented copy.
    stack.sum_exp(xi[::2], yi[::2])
    assert seen[-1][1] != xi.ctypes.data
    seen_exp = record_pointers(monkeypatch, "blockwise_exp_f64")
    out = np.empty_like(yi)
    blockwise.exp(yi, out=out)
    assert seen_exp[-1][0] == yi.ctypes.data and seen_exp[-1][2] == out.ctypes.data
    seen_expr = record_pointers(monkeypatch, "blockwise_expression_evaluate_f64")
    blockwise.evaluate("a * 2", a=yi, out=out)
    assert seen_expr[-1][4] == out.ctypes.data


def test_gil_is_released_while_kernels_run(rng):
    """Python code runs while a Blockwise call is inside its kernels. A
    counter thread timestamps its iterations while another thread makes
    one long call; with the GIL held for the call, no iteration could fall
    inside it (the interpreter hands the GIL over every 5 ms at most, so
    the window excludes 50 ms at each end). Not a timing threshold: the
    check is that Python ran at all during the call."""
    # One long call: 50 splines at 2x10^6 points on one pool thread,
    # 10^8 exps (~0.2 s).
    ax = np.arange(20.0)
    stack = blockwise.BilinearSplineStack(ax, ax, rng.uniform(0, 1, (50, 20, 20)))
    xi, yi = rng.uniform(0, 19, (2, 2_000_000))
    previous = blockwise.set_num_threads(1)
    try:
        stack.sum_exp(xi[:1000], yi[:1000])  # warm
        call = {}
        stop = threading.Event()
        stamps = []

        def counter():
            while not stop.is_set():
                stamps.append(time.perf_counter())

        def long_call():
            t = time.perf_counter()
            stack.sum_exp(xi, yi)
            call["span"] = (t, time.perf_counter())

        c = threading.Thread(target=counter)
        w = threading.Thread(target=long_call)
        c.start()
        w.start()
        w.join()
        stop.set()
        c.join()
        t0, t1 = call["span"]
        assert t1 - t0 > 0.11, f"the call took {t1 - t0:.3f} s: too short to tell"
        inside = [t for t in stamps if t0 + 0.05 < t < t1 - 0.05]
        assert inside, f"no Python ran during a {t1 - t0:.3f} s call: the GIL was held"
    finally:
        blockwise.set_num_threads(previous)


def test_objects_pickle_by_their_inputs(rng):
    x, y = np.arange(6.0), np.arange(5.0)
    z = rng.uniform(size=(6, 5))
    xi, yi = rng.uniform(0, 4, (2, 100))
    s = blockwise.BilinearSpline(x, y, z)
    z[0, 0] = 99  # later changes to the caller's array do not reach the spline
    back = pickle.loads(pickle.dumps(s))
    np.testing.assert_array_equal(back.ev(xi, yi), s.ev(xi, yi))
    st = blockwise.BilinearSplineStack(x, y, rng.uniform(size=(4, 6, 5)))
    back = pickle.loads(pickle.dumps(st))
    np.testing.assert_array_equal(back.sum_exp_per_spline(xi, yi), st.sum_exp_per_spline(xi, yi))
    e = blockwise.Expression("x * 2 + 1", np.float32)
    back = pickle.loads(pickle.dumps(e))
    assert back.source == e.source and back.dtype == np.float32 and back.variables == ("x",)


def test_splines_tokenize_by_content_and_unpickle_once_per_process(rng):
    """Dask names a spline by its inputs' digest (computed once, not per
    graph), and unpickling the same inputs again in a process (a worker
    receiving every graph's copy) reuses the object it restored."""
    from dask.base import tokenize

    x = y = np.arange(30.0)
    z3 = rng.uniform(size=(6, 30, 30))
    st = blockwise.BilinearSplineStack(x, y, z3)
    same = blockwise.BilinearSplineStack(x, y, z3.copy())
    z_next = z3.copy()
    z_next[5, 29, 29] = np.nextafter(z_next[5, 29, 29], 2.0)  # one coefficient, one ulp
    other = blockwise.BilinearSplineStack(x, y, z_next)
    assert tokenize(st) == tokenize(same) == tokenize(st)
    assert tokenize(other) != tokenize(st)
    smooth = blockwise.RectBivariateSplineStack(x, y, z3, kx=3, ky=3)
    assert tokenize(smooth) != tokenize(blockwise.RectBivariateSplineStack(x, y, z3, kx=3, ky=2))
    data = pickle.dumps(st)
    first, second = pickle.loads(data), pickle.loads(data)
    assert first is second and first is not st
    xi, yi = rng.uniform(0, 29, (2, 500))
    assert first.sum_exp(xi, yi) == st.sum_exp(xi, yi)
    # Bounded: restoring more distinct objects than are kept evicts the oldest.
    from blockwise import splines

    for k in range(splines._RESTORED_KEPT):
        pickle.loads(pickle.dumps(blockwise.BilinearSplineStack(x, y, z3 * (k + 2))))
    assert pickle.loads(data) is not first
    assert len(splines._restored) == splines._RESTORED_KEPT


def _stack_total(args):
    stack, xi, yi = args
    return stack.sum_exp(xi, yi)


def test_stack_in_a_process_pool(rng):
    """A stack sent to forked pool workers (pickled) gives the same sums there."""
    x = y = np.arange(20.0)
    stack = blockwise.BilinearSplineStack(x, y, rng.uniform(size=(5, 20, 20)))
    chunks = [rng.uniform(0, 19, (2, 1000)) for _ in range(4)]
    expected = [stack.sum_exp(c[0], c[1]) for c in chunks]
    ctx = multiprocessing.get_context("fork")
    with concurrent.futures.ProcessPoolExecutor(2, mp_context=ctx) as pool:
        got = list(pool.map(_stack_total, [(stack, c[0], c[1]) for c in chunks]))
    assert got == expected


def test_source_install_without_swift_says_what_to_install(tmp_path):
    """`pip install ./python` where Swift is missing fails at once, naming
    what to install (and the wheel as the alternative)."""
    import os
    import subprocess
    import sys

    source = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    env = dict(os.environ, BLOCKWISE_SWIFT="no-such-swift-executable")
    env.pop("BLOCKWISE_PREBUILT_LIBRARY", None)
    out = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-build-isolation", "--no-deps", "-q",
                          "-w", str(tmp_path), source], env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode != 0
    assert "needs the Swift toolchain" in out.stdout + out.stderr
    assert "make wheel" in out.stdout + out.stderr


def test_reduction_codes_are_the_librarys():
    """The package's reduction codes against the library's one list, entry
    by entry (bw_opcodes.h's BW_REDUCTIONS)."""
    from blockwise import _lib

    for name, code in _lib.REDUCTIONS.items():
        assert _lib.lib.blockwise_reduction_name(code).decode() == name
    assert _lib.lib.blockwise_reduction_name(len(_lib.REDUCTIONS)) is None


def test_source_install_with_swift_builds_and_packs_the_library(tmp_path):
    """`pip install ./python` where Swift is present runs `swift build -c
    release --product BlockwiseC` in the checkout and packs the library it
    built (a stand-in swift that records its arguments and answers
    --show-bin-path with a folder holding this process's library)."""
    import os
    import stat
    import subprocess
    import sys
    import zipfile

    from blockwise import _lib

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    library = os.path.realpath(_lib.lib._name)
    os.symlink(library, bin_dir / "libBlockwiseC.so")
    log = tmp_path / "calls.txt"
    swift = tmp_path / "swift"
    swift.write_text(f"""#!/bin/sh
echo "$@" >> {log}
case "$*" in *--show-bin-path*) echo {bin_dir} ;; esac
""")
    swift.chmod(swift.stat().st_mode | stat.S_IEXEC)
    source = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    env = dict(os.environ, BLOCKWISE_SWIFT=str(swift))
    env.pop("BLOCKWISE_PREBUILT_LIBRARY", None)
    out = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-build-isolation", "--no-deps", "-q",
                          "-w", str(tmp_path / "dist"), source], env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    calls = log.read_text().splitlines()
    assert any("build -c release --product BlockwiseC" in c for c in calls), calls
    wheel = next((tmp_path / "dist").glob("blockwise-*.whl"))
    with zipfile.ZipFile(wheel) as z:
        assert "blockwise/_native/libBlockwiseC.so" in z.namelist()
    assert wheel.name.endswith(".whl") and "-py3-none-" in wheel.name

"""Thread control: numexpr's functions, a context manager, threadpoolctl,
environment caps, and calls from many Python threads at once."""
import os
import subprocess
import sys
import threading

import numpy as np
import pytest
import threadpoolctl

import blockwise


def test_set_and_get(rng):
    before = blockwise.get_num_threads()
    assert 1 <= before <= blockwise.max_num_threads()
    assert blockwise.set_num_threads(1) == before
    assert blockwise.get_num_threads() == 1
    blockwise.set_num_threads(before)
    assert blockwise.get_num_threads() == before


def test_context_manager_restores():
    before = blockwise.get_num_threads()
    with blockwise.threadpool_limits(1) as limits:
        assert blockwise.get_num_threads() == 1
        assert isinstance(limits, blockwise.threadpool_limits)
    assert blockwise.get_num_threads() == before
    with blockwise.threadpool_limits(None):
        assert blockwise.get_num_threads() == before


def test_threadpoolctl_sees_and_limits_blockwise():
    info = [i for i in threadpoolctl.threadpool_info() if i["internal_api"] == "blockwise"]
    assert len(info) == 1, threadpoolctl.threadpool_info()
    assert info[0]["num_threads"] == blockwise.get_num_threads()
    assert info[0]["version"] == blockwise.__version__
    assert "libBlockwiseC" in info[0]["filepath"]
    before = blockwise.get_num_threads()
    with threadpoolctl.threadpool_limits(limits=1):
        assert blockwise.get_num_threads() == 1
    assert blockwise.get_num_threads() == before
    with threadpoolctl.threadpool_limits(limits=1, user_api="blockwise"):
        assert blockwise.get_num_threads() == 1
    assert blockwise.get_num_threads() == before


def run_child(env_extra, code):
    env = {k: v for k, v in os.environ.items() if k not in ("OMP_NUM_THREADS", "BLOCKWISE_NUM_THREADS")}
    env.update(env_extra)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip()


def test_environment_caps():
    code = "import blockwise; print(blockwise.get_num_threads())"
    assert run_child({"OMP_NUM_THREADS": "1"}, code) == "1"
    # Blockwise's own variable wins over OMP_NUM_THREADS.
    assert run_child({"OMP_NUM_THREADS": "1", "BLOCKWISE_NUM_THREADS": "2"}, code) == "2"
    assert run_child({"OMP_NUM_THREADS": "not a number"}, code) == run_child({}, code)


def test_eight_python_threads_get_the_same_bits(rng):
    a = rng.uniform(-5, 5, 300_001)
    x = np.cumsum(rng.uniform(0.1, 1, 20))
    stack = blockwise.BilinearSplineStack(x, x, rng.uniform(-1, 1, (7, 20, 20)))
    px, py = rng.uniform(0, 12, 50_000), rng.uniform(0, 12, 50_000)
    want = (blockwise.sum_exp(a), blockwise.logsumexp(a), stack.sum_exp(px, py),
            blockwise.evaluate("sum(exp(-a*a) * 2)", local_dict={"a": a}))
    results = [None] * 8
    barrier = threading.Barrier(8)

    def work(k):
        barrier.wait()
        got = []
        for _ in range(5):
            got.append((blockwise.sum_exp(a), blockwise.logsumexp(a), stack.sum_exp(px, py),
                        blockwise.evaluate("sum(exp(-a*a) * 2)", local_dict={"a": a})))
        results[k] = got

    threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for got in results:
        assert got == [want] * 5

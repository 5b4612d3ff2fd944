"""blockwise.dask: reductions of dask arrays with Blockwise partial states,
equal bit for bit to one process when chunks are whole leaves; the W1
example on a LocalCluster of 2 workers."""
import os
import subprocess
import sys

import numpy as np
import pytest

da = pytest.importorskip("dask.array")
distributed = pytest.importorskip("distributed")

import blockwise  # noqa: E402
import blockwise.dask as bd  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))


@pytest.mark.parametrize("scheduler", ["sync", "threads"])
def test_whole_leaf_chunks_give_one_process_bits(rng, scheduler):
    a = rng.uniform(-10, 10, 4096 * 37 + 123)
    x = da.from_array(a, chunks=4096 * 5)
    assert bd.leaf_length() == 4096
    assert bd.sum_exp(x).compute(scheduler=scheduler) == blockwise.sum_exp(a)
    assert bd.logsumexp(x).compute(scheduler=scheduler) == blockwise.logsumexp(a)
    # Other chunkings: the same value within the documented bound.
    y = da.from_array(a, chunks=10_007)
    assert bd.sum_exp(y).compute(scheduler=scheduler) == pytest.approx(blockwise.sum_exp(a), rel=1e-13)
    assert bd.logsumexp(y).compute(scheduler=scheduler) == pytest.approx(blockwise.logsumexp(a), rel=1e-13)
    # Several dimensions reduce over everything.
    m = da.from_array(a[: 4096 * 36].reshape(36, 4096), chunks=(6, 4096))
    assert bd.sum_exp(m).compute(scheduler=scheduler) == blockwise.sum_exp(a[: 4096 * 36])


def test_stack_sum_exp(rng):
    x = np.arange(20.0)
    for stack in [blockwise.BilinearSplineStack(x, x, rng.uniform(-1, 1, (5, 20, 20))),
                  blockwise.RectBivariateSplineStack(x, x, rng.uniform(-1, 1, (5, 20, 20)))]:
        leaf = bd.stack_leaf_length(stack)
        n = leaf * 7 + 11
        xi, yi = rng.uniform(0, 19, (2, n))
        dxi, dyi = da.from_array(xi, chunks=leaf * 2), da.from_array(yi, chunks=leaf * 2)
        assert bd.stack_sum_exp(stack, dxi, dyi).compute(scheduler="sync") == stack.sum_exp(xi, yi)
        with pytest.raises(ValueError, match="xi and yi"):
            bd.stack_sum_exp(stack, dxi, da.from_array(yi, chunks=leaf))


def test_worker_pools_take_the_worker_thread_count():
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        def threads():
            import blockwise

            return blockwise.get_num_threads()

        assert list(client.run(threads).values()) == [2]
        env = client.run(lambda: os.environ.get("OMP_NUM_THREADS"))
        assert list(env.values()) == ["1"]  # Dask's cap for OpenMP libraries; Blockwise follows the worker


def test_dask_w1_example_matches_one_process():
    out = subprocess.run([sys.executable, os.path.join(HERE, "..", "examples", "dask_w1.py"), "--points", "200000",
                          "--repeats", "1"], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr
    assert "same bits: True" in out.stdout


def test_stack_is_scattered_once_per_client(rng):
    x = np.arange(20.0)
    stack = blockwise.BilinearSplineStack(x, x, rng.uniform(-1, 1, (5, 20, 20)))
    other = blockwise.RectBivariateSplineStack(x, x, rng.uniform(-1, 1, (5, 20, 20)))
    xi, yi = rng.uniform(0, 19, (2, 8192 * 3 + 5))
    dxi, dyi = da.from_array(xi, chunks=8192), da.from_array(yi, chunks=8192)
    with pytest.raises(ValueError, match="scatter=True: expected a distributed Client"):
        bd.stack_sum_exp(stack, dxi, dyi, scatter=True)
    with pytest.raises(ValueError, match="scatter: expected None, True or False, got 'yes'"):
        bd.stack_sum_exp(stack, dxi, dyi, scatter="yes")
    before = dict(bd._scattered)
    for round_ in range(2):  # a second client scatters again
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                      dashboard_address=None) as cluster, distributed.Client(cluster) as client:
            for s in (stack, other, stack):
                g = bd.stack_sum_exp(s, dxi, dyi)
                assert g.compute() == s.sum_exp(xi, yi)
            mine = {k: f for k, f in bd._scattered.items() if f.client is client}
            assert len(mine) == 2  # one Future per stack, reused by the third graph
            # Each stack is on both workers, and a graph refers to it (its
            # key is not among the graph's own keys: the stack is not in it).
            assert all(len(client.who_has([f])[f.key]) == 2 for f in mine.values())
            assert not any(f.key in dict(bd.stack_sum_exp(s, dxi, dyi).dask) for s in (stack, other)
                           for f in mine.values())
            # By value: the stack is a key of the graph; the same bits.
            g = bd.stack_sum_exp(stack, dxi, dyi, scatter=False)
            assert sum(str(k).startswith("BilinearSplineStack-") for k in dict(g.dask)) == 1
            assert g.compute() == stack.sum_exp(xi, yi)
            assert g.compute(scheduler="sync") == stack.sum_exp(xi, yi)
    assert len(bd._scattered) <= bd._SCATTERED_KEPT
    bd._scattered.clear()
    bd._scattered.update(before)

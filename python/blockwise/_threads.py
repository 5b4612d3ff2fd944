"""Thread control that fits the numpy world.

- `set_num_threads(n)` / `get_num_threads()` (numexpr's names) and the
  `threadpool_limits(n)` context manager;
- registration with threadpoolctl (a third-party controller), so
  `threadpoolctl.threadpool_limits(1)` and `threadpool_info()` cover
  Blockwise beside OpenBLAS and OpenMP;
- the initial count answers to the caps numpy-world tools set: inside a
  Dask worker the worker's thread count, else OMP_NUM_THREADS (as numexpr
  reads it; Dask's nanny sets it to 1 in its workers), unless
  BLOCKWISE_NUM_THREADS (read by the library itself) says otherwise.

The count is process-wide (Blockwise has one pool per process); calls from
several Python threads share it, and each call's result bits do not depend
on the count.
"""
import ctypes
import os
import sys

from . import _lib


def get_num_threads():
    """Threads Blockwise uses per call (the calling thread included)."""
    return int(_lib.lib.blockwise_thread_count())


def max_num_threads():
    """The largest count set_num_threads accepts."""
    return int(_lib.lib.blockwise_max_thread_count())


def set_num_threads(n):
    """Threads Blockwise uses per call, 1 ... max_num_threads(); returns the
    previous count, as numexpr's does."""
    previous = get_num_threads()
    if isinstance(n, bool) or not isinstance(n, int):
        raise ValueError(f"n: expected an int thread count, got {type(n).__name__}")
    _lib.check(_lib.lib.blockwise_set_thread_count(n))
    return previous


class threadpool_limits:
    """Caps Blockwise's threads inside a `with` block (or until
    `restore_original_limits()`), like threadpoolctl's context manager:

        with blockwise.threadpool_limits(1):
            blockwise.sum_exp(a)     # one thread

    `limits=None` leaves the count as it is.
    """

    def __init__(self, limits=None):
        self._previous = get_num_threads()
        if limits is not None:
            set_num_threads(limits)

    def restore_original_limits(self):
        set_num_threads(self._previous)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.restore_original_limits()
        return False


def _register_with_threadpoolctl():
    """Makes threadpoolctl see libBlockwiseC (found among the loaded shared
    libraries by its file name). No-op without threadpoolctl >= 3.1."""
    try:
        import threadpoolctl
    except ImportError:
        return False
    if not hasattr(threadpoolctl, "register") or not hasattr(threadpoolctl, "LibController"):
        return False

    class BlockwiseController(threadpoolctl.LibController):
        user_api = "blockwise"
        internal_api = "blockwise"
        filename_prefixes = ("libblockwisec",)  # threadpoolctl compares lower-cased file names

        def get_num_threads(self):
            f = self.dynlib.blockwise_thread_count
            f.restype = ctypes.c_int64
            return int(f())

        def set_num_threads(self, num_threads):
            f = self.dynlib.blockwise_set_thread_count
            f.argtypes = [ctypes.c_int64]
            f.restype = ctypes.c_int
            f(max(1, min(int(num_threads), max_num_threads())))

        def get_version(self):
            f = self.dynlib.blockwise_version
            f.restype = ctypes.c_char_p
            return f().decode()

        def set_additional_attributes(self):
            f = self.dynlib.blockwise_kernel_isa
            f.restype = ctypes.c_char_p
            self.kernel_isa = f().decode()

    if not any(getattr(c, "internal_api", None) == "blockwise" for c in getattr(threadpoolctl, "_ALL_CONTROLLERS", [])):
        threadpoolctl.register(BlockwiseController)
    return True


def _dask_worker_threads():
    """The thread count of the Dask worker whose process this is, or None.
    Looks only when distributed is already loaded (a worker process always
    has it), and at the worker objects of this process rather than at a task
    context, since blockwise is often first imported while a task is being
    unpickled, outside any task."""
    if "distributed" not in sys.modules:
        return None
    try:
        from distributed.worker import Worker
        workers = list(getattr(Worker, "_instances", ()))
    except Exception:
        return None
    if len(workers) != 1:
        return None
    state = getattr(workers[0], "state", None)
    n = getattr(state, "nthreads", None) or getattr(workers[0], "nthreads", None)
    return int(n) if n else None


def _apply_environment_caps():
    """The initial count: BLOCKWISE_NUM_THREADS (the library's own), else a
    Dask worker's thread count, else OMP_NUM_THREADS."""
    if os.environ.get("BLOCKWISE_NUM_THREADS"):
        return
    n = _dask_worker_threads()
    if n is None:
        try:
            n = int(os.environ.get("OMP_NUM_THREADS", ""))
        except ValueError:
            n = None
    if n is not None and n >= 1:
        set_num_threads(min(n, max_num_threads()))

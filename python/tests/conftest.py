import os

import numpy as np
import pytest


@pytest.fixture(scope="session", autouse=True)
def library_under_test():
    """Every test runs against a loaded, known build of the library: the
    version the package reports comes from the library itself, and its
    kernel path is one the C layer can select."""
    import blockwise

    assert blockwise.__version__.count(".") == 2, blockwise.__version__
    assert blockwise.kernel_isa() in ("avx512", "avx2-fma", "neon", "generic"), blockwise.kernel_isa()
    forced = os.environ.get("BLOCKWISE_ISA")
    if forced == "generic":
        assert blockwise.kernel_isa() == "generic"
    return blockwise


@pytest.fixture
def rng():
    return np.random.default_rng(20261123)

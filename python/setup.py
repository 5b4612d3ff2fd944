"""Builds libBlockwiseC.so with SwiftPM and ships it inside the package.

`pip install ./python` runs `swift build -c release --product BlockwiseC`
in the enclosing Swift package and copies the library into
`blockwise/_native/`. The Python code is pure Python and loads it with
ctypes. Set BLOCKWISE_SWIFT to use another `swift` executable.

`make wheel` sets BLOCKWISE_PREBUILT_LIBRARY to a library it built with the
Swift runtime linked in statically (so the wheel needs no Swift), and the
wheel is tagged py3-none-<platform>: the native code is loaded with ctypes
and links no libpython, so one wheel serves every CPython 3 (auditwheel
then turns linux_x86_64 into the manylinux tag it verifies).
"""
import os
import shutil
import subprocess
import sys

from setuptools import Distribution, setup
from setuptools.command.build_py import build_py

try:
    from setuptools.command.bdist_wheel import bdist_wheel
except ImportError:  # older setuptools: the wheel package's
    from wheel.bdist_wheel import bdist_wheel

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
LIBRARY = "libBlockwiseC.so"


def swift_missing_message(swift):
    return (f"blockwise: building from source needs the Swift toolchain ('{swift}' was not found on PATH): install "
            "Swift 6.1 or later (https://www.swift.org/install) and Debian's libopenblas-dev liblapacke-dev "
            "libsleef-dev zlib1g-dev, or install a binary wheel built by `make wheel` (no Swift needed)")


class BuildWithSwift(build_py):
    def run(self):
        super().run()
        target = os.path.join(self.build_lib, "blockwise", "_native")
        os.makedirs(target, exist_ok=True)
        prebuilt = os.environ.get("BLOCKWISE_PREBUILT_LIBRARY")
        if prebuilt:
            shutil.copy2(prebuilt, os.path.join(target, LIBRARY))
            return
        if not os.path.exists(os.path.join(ROOT, "Package.swift")):
            raise RuntimeError(f"blockwise: the Swift package is expected at {ROOT} (pip install ./python from a checkout)")
        swift = os.environ.get("BLOCKWISE_SWIFT", "swift")
        if shutil.which(swift) is None:
            print(swift_missing_message(swift), file=sys.stderr, flush=True)
            raise SystemExit(swift_missing_message(swift))
        command = [swift, "build", "-c", "release", "--product", "BlockwiseC", "--package-path", ROOT]
        print("blockwise:", " ".join(command), flush=True)
        subprocess.check_call(command)
        bin_path = subprocess.check_output(command[:-2] + ["--package-path", ROOT, "--show-bin-path"], text=True).strip()
        shutil.copy2(os.path.join(bin_path, LIBRARY), os.path.join(target, LIBRARY))


class PlatformWheel(bdist_wheel):
    """py3-none-<platform>: a platform library, no Python ABI."""

    def finalize_options(self):
        super().finalize_options()
        self.root_is_pure = False

    def get_tag(self):
        _, _, plat = super().get_tag()
        return "py3", "none", plat


class BinaryDistribution(Distribution):
    """The package ships a platform library: wheels are platform wheels."""

    def has_ext_modules(self):
        return True


setup(cmdclass={"build_py": BuildWithSwift, "bdist_wheel": PlatformWheel}, distclass=BinaryDistribution)

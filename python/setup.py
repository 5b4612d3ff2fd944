"""Builds libBlockwiseC.so with SwiftPM and ships it inside the package.

`pip install ./python` runs `swift build -c release --product BlockwiseC`
in the enclosing Swift package and copies the library into
`blockwise/_native/`. The Python code is pure Python and loads it with
ctypes. Set BLOCKWISE_SWIFT to use another `swift` executable.
"""
import os
import shutil
import subprocess

from setuptools import Distribution, setup
from setuptools.command.build_py import build_py

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
LIBRARY = "libBlockwiseC.so"


class BuildWithSwift(build_py):
    def run(self):
        super().run()
        if not os.path.exists(os.path.join(ROOT, "Package.swift")):
            raise RuntimeError(f"blockwise: the Swift package is expected at {ROOT} (pip install ./python from a checkout)")
        swift = os.environ.get("BLOCKWISE_SWIFT", "swift")
        command = [swift, "build", "-c", "release", "--product", "BlockwiseC", "--package-path", ROOT]
        print("blockwise:", " ".join(command), flush=True)
        subprocess.check_call(command)
        bin_path = subprocess.check_output(command[:-2] + ["--package-path", ROOT, "--show-bin-path"], text=True).strip()
        target = os.path.join(self.build_lib, "blockwise", "_native")
        os.makedirs(target, exist_ok=True)
        shutil.copy2(os.path.join(bin_path, LIBRARY), os.path.join(target, LIBRARY))


class BinaryDistribution(Distribution):
    """The package ships a platform library: wheels are platform wheels."""

    def has_ext_modules(self):
        return True


setup(cmdclass={"build_py": BuildWithSwift}, distclass=BinaryDistribution)

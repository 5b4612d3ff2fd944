// swift-tools-version:6.1
//
// Blockwise: numeric arrays for Linux that use every core, share memory by
// reference, and run their hot loops in vectorised C.

import PackageDescription

// MARK: - System libraries

// OpenBLAS provides CBLAS and the `openblas_*` thread controls; LAPACKE is
// Debian's separate package. Link `openblas`, never the reference `blas`:
// Debian's libblas.so.3 has no `openblas_set_num_threads`.
let cblas: Target = .systemLibrary(
  name: "CBLAS",
  path: "Sources/CBLAS",
  pkgConfig: "openblas",
  providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]
)

// MARK: - C kernels

// Hot loops with an AVX2+FMA path (selected at run time through
// `__attribute__((target))`, so no `unsafeFlags`) and a portable path.
let kernels: Target = .target(
  name: "CBlockwiseKernels",
  path: "Sources/CBlockwiseKernels",
  cSettings: [.define("_GNU_SOURCE")],
  linkerSettings: [.linkedLibrary("pthread"), .linkedLibrary("m")]
)

// MARK: - Swift API

let blockwise: Target = .target(
  name: "Blockwise",
  dependencies: ["CBLAS", "CBlockwiseKernels"],
  path: "Sources/Blockwise"
)

// MARK: - Tests

let tests: Target = .testTarget(
  name: "BlockwiseTests",
  dependencies: [
    "Blockwise",
    "CBlockwiseKernels",
    .product(name: "RealModule", package: "swift-numerics"),
  ],
  path: "Tests/BlockwiseTests",
  exclude: ["Fixtures/make_fixtures.py", "Fixtures/make_array_fixtures.py"],
  resources: [.copy("Fixtures/data")]
)

// MARK: - Package

let package = Package(
  name: "Blockwise",
  products: [
    .library(name: "Blockwise", targets: ["Blockwise"])
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1")
  ],
  targets: [cblas, kernels, blockwise, tests]
)

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

// SLEEF: the vectorised libm of the field (1.0-ulp u10 functions in SSE,
// AVX2, AVX-512 and scalar forms), for the transcendental functions of
// expressions that Blockwise does not tune itself. Debian: libsleef-dev.
let sleef: Target = .systemLibrary(
  name: "CSleef",
  path: "Sources/CSleef",
  pkgConfig: "sleef",
  providers: [.apt(["libsleef-dev"])]
)

// Open MPI (Debian's libopenmpi-dev, pkg-config `ompi-c`: the generic `mpi`
// modules are alternatives links that may point at MPICH), for running the
// same kernels on many machines. Only BlockwiseMPI links it.
let mpi: Target = .systemLibrary(
  name: "CMPI",
  path: "Sources/CMPI",
  pkgConfig: "ompi-c",
  providers: [.apt(["openmpi-bin", "libopenmpi-dev"])]
)

// MARK: - C kernels

// Hot loops with an AVX2+FMA path (selected at run time through
// `__attribute__((target))`, so no `unsafeFlags`) and a portable path.
let kernels: Target = .target(
  name: "CBlockwiseKernels",
  dependencies: ["CSleef"],
  path: "Sources/CBlockwiseKernels",
  cSettings: [.define("_GNU_SOURCE")],
  linkerSettings: [.linkedLibrary("pthread"), .linkedLibrary("m")]
)

// Parsers of the files Blockwise reads (.npy headers, zip directories,
// numeric CSV), for untrusted input; zlib inflates deflated .npz members.
let formats: Target = .target(
  name: "CBlockwiseFormats",
  path: "Sources/CBlockwiseFormats",
  cSettings: [.define("_GNU_SOURCE")],
  linkerSettings: [.linkedLibrary("z")]
)

// MARK: - Swift API

// ZIPFoundation writes .npz archives (a maintained zip writer: CRCs,
// deflate, zip64), under the default trait NpzWriting. Reading goes through CBlockwiseFormats' directory parser
// and zlib instead: ZIPFoundation does not expose where a member's bytes
// start, which mapping a stored member needs, and copies through Data.
let blockwise: Target = .target(
  name: "Blockwise",
  dependencies: [
    "CBLAS", "CBlockwiseKernels", "CBlockwiseFormats",
    .product(name: "ZIPFoundation", package: "ZIPFoundation", condition: .when(traits: ["NpzWriting"])),
  ],
  path: "Sources/Blockwise"
)

// MARK: - MPI

// Communicator, shards and bit-identical combination of reduction partials
// across ranks. A separate product, so that Blockwise itself never needs MPI.
let blockwiseMPI: Target = .target(
  name: "BlockwiseMPI",
  dependencies: ["Blockwise", "CMPI"],
  path: "Sources/BlockwiseMPI",
  exclude: ["README.md"]
)

// MARK: - C ABI

// blockwise.h as a module for BlockwiseC itself (the include folder is not
// a module of BlockwiseC's own, so that C callers get a plain header).
let cABIHeader: Target = .systemLibrary(
  name: "CBlockwiseCHeader",
  path: "Sources/CBlockwiseCHeader"
)

let cABI: Target = .target(
  name: "BlockwiseC",
  dependencies: ["Blockwise", "CBlockwiseKernels", "CBlockwiseCHeader"],
  path: "Sources/BlockwiseC",
  exclude: ["include", "README.md", "exports.map"]
)

// MARK: - Examples

// The seed examples, one subcommand each; `make test` builds and runs them.
let examples: Target = .executableTarget(
  name: "blockwise-examples",
  dependencies: ["Blockwise"],
  path: "Examples/blockwise-examples"
)

// W1 across MPI ranks, inputs mapped from .npy shards (`make bench-mpi`).
let mpiExample: Target = .executableTarget(
  name: "blockwise-mpi",
  dependencies: ["Blockwise", "BlockwiseMPI"],
  path: "Examples/blockwise-mpi"
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
  exclude: [
    "Fixtures/make_fixtures.py", "Fixtures/make_array_fixtures.py", "Fixtures/make_expression_fixtures.py",
    "Fixtures/make_npy_fixtures.py", "Fixtures/make_bivariate_fixtures.py", "Fixtures/make_edge_fixtures.py",
  ],
  resources: [.copy("Fixtures/data")]
)

// The MPI checks: an executable run under `mpirun -np 1, 2, 3` by `make
// test` (MPI_Init runs once per process, so they cannot be `swift test` cases).
let mpiChecks: Target = .executableTarget(
  name: "blockwise-mpi-checks",
  dependencies: ["Blockwise", "BlockwiseMPI"],
  path: "Tests/BlockwiseMPIChecks"
)

// Index errors in a release build: a child process per case, its stderr
// read for the message (`make test-traps`).
let trapChecks: Target = .executableTarget(
  name: "blockwise-trap-checks",
  dependencies: ["Blockwise"],
  path: "Tests/BlockwiseTrapChecks"
)

// MARK: - Package

let package = Package(
  name: "Blockwise",
  products: [
    .library(name: "Blockwise", targets: ["Blockwise"]),
    .library(name: "BlockwiseC", type: .dynamic, targets: ["BlockwiseC"]),
    .library(name: "BlockwiseMPI", targets: ["BlockwiseMPI"]),
  ],
  // NpzWriting: NDArray.writeNpz (ZIPFoundation, and with it Foundation).
  // On by default; `make wheel` builds the C ABI without it, so the
  // library it ships links no Foundation.
  traits: [
    .trait(name: "NpzWriting", description: "NDArray.writeNpz through ZIPFoundation (brings Foundation)"),
    .default(enabledTraits: ["NpzWriting"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-numerics", from: "1.1.1"),
    .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
  ],
  targets: [
    cblas, sleef, mpi, kernels, formats, blockwise, cABIHeader, blockwiseMPI, cABI, examples, mpiExample, tests, mpiChecks, trapChecks,
  ]
)

// swift-tools-version:6.1
//
// Blockwise's benchmarks: a nested package, so the library's own build and
// `make test` pull in none of these dependencies.

import PackageDescription

// MARK: - Dependencies

let dependencies: [Package.Dependency] = [
  // The library under test, from the enclosing folder. The explicit name
  // keeps the identity stable whatever the clone's folder is called.
  .package(name: "Blockwise", path: ".."),
  .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
  .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
  // F4's baseline: the maintained CSV library NDArray(csvFile:) is measured
  // against (fields as Strings, then Double(_:)).
  .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
]

// MARK: - Targets

let targets: [Target] = [
  // Scalar loops and naive per-element parallelism: the baselines every
  // workload is compared against.
  .target(
    name: "BlockwiseBaselines",
    dependencies: [.product(name: "Blockwise", package: "Blockwise")],
    path: "Sources/BlockwiseBaselines"
  ),
  // `make bench`: the workload driver.
  .executableTarget(
    name: "blockwise-bench",
    dependencies: [
      "BlockwiseBaselines",
      .product(name: "Blockwise", package: "Blockwise"),
      .product(name: "ArgumentParser", package: "swift-argument-parser"),
      .product(name: "CSV", package: "CSV.swift"),
    ],
    path: "Sources/blockwise-bench"
  ),
  // `make bench-micro`: per-kernel micro-benchmarks (package-benchmark).
  .executableTarget(
    name: "BlockwiseMicro",
    dependencies: [
      .product(name: "Blockwise", package: "Blockwise"),
      .product(name: "Benchmark", package: "benchmark"),
    ],
    path: "Benchmarks/BlockwiseMicro",
    plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
  ),
]

// MARK: - Package

let package = Package(
  name: "BlockwiseBenchmarks",
  dependencies: dependencies,
  targets: targets
)

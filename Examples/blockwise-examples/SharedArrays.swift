import Blockwise

/// Seed 000: `multiprocessing.Pool.map` pickled a big array into every
/// worker. Here every worker reads the one array through zero-copy row
/// views: the rows' addresses lie inside the array's buffer.
func sharedArrays() throws {
  let rows = 400, columns = 20_000
  let a = try NDArray<Double>.uniform([rows, columns], in: -1..<1, seed: 0)
  let base = a.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress!) }

  // Per-row statistics, each row handed to a worker as a view.
  let stats = try ComputePool.shared.parallelMapRows(a) { row -> (mean: Double, address: UInt) in
    (try row.mean(), row.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress!) })
  }
  let copies = stats.enumerated().filter { $0.element.address != base + UInt($0.offset * columns * 8) }.count
  print("  \(rows) rows of \(columns) Doubles (\(rows * columns * 8 / 1_000_000) MB), row means from \(ComputePool.shared.threadCount) threads")
  check(copies == 0, "every worker read the shared buffer (no row was copied)")
  let serial = (0..<rows).map { r in a.row(r).scalars.reduce(0, +) / Double(columns) }
  check(zip(stats, serial).allSatisfy { abs($0.0.mean - $0.1) < 1e-12 }, "row means match a serial loop")

  // The same array through the axis reduction (one blocked pass).
  let means = try a.mean(axis: 1)
  check(means.scalars == stats.map(\.mean), "mean(axis: 1) equals the per-row reductions bit for bit")
}

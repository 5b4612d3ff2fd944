import Blockwise

/// Seed 002: counting prefixes across many documents. Each worker folds
/// its blocks of documents into a dictionary of its own (no locks); the
/// dictionaries are merged once the job is over.
func prefixCounts() throws {
  // A corpus of token-id documents, generated from a seeded stream.
  let tokens = try NDArray<Double>.uniform([20_000, 12], in: 0..<6, seed: 4).scalars.map { Int($0) }
  let documents = 20_000, length = 12

  let perWorker = ComputePool.shared.forEachBlock(
    count: documents, blockLength: 500, perWorker: { [[Int]: Int]() }
  ) { range, counts in
    for d in range {
      let doc = tokens[(d * length)..<((d + 1) * length)]
      for k in 1...3 { counts[Array(doc.prefix(k)), default: 0] += 1 }
    }
  }
  let counts = perWorker.reduce(into: [[Int]: Int]()) { $0.merge($1, uniquingKeysWith: +) }
  print("  \(counts.count) distinct prefixes of length 1-3 in \(documents) documents, from \(perWorker.count) worker state(s)")

  var serial = [[Int]: Int]()
  for d in 0..<documents {
    let doc = tokens[(d * length)..<((d + 1) * length)]
    for k in 1...3 { serial[Array(doc.prefix(k)), default: 0] += 1 }
  }
  check(counts == serial, "merged per-worker counts equal a serial count")
}

import Blockwise
import Synchronization

/// A stand-in for a model whose loading is expensive: built once per
/// worker thread, then reused by every block of every later job.
final class Model {
  let weights: [Double]
  init(size: Int) {
    // "Loading": a deterministic table.
    weights = (0..<size).map { Double(($0 * 7919) % 1000) / 1000 }
  }
  func score(_ v: Double) -> Double { weights[Int(v * Double(weights.count - 1))] * v }
}

/// Seed 003: an expensive object per worker (Ray's actors), not per task.
func perWorkerModel() throws {
  let loads = Atomic<Int>(0)
  let model = WorkerLocal { () -> Model in
    loads.add(1, ordering: .relaxed)
    return Model(size: 1_000_000)
  }
  let points = try NDArray<Double>.uniform([200_000], in: 0..<1, seed: 5)
  var scores = try NDArray<Double>.zeros([200_000])
  for _ in 0..<3 {  // three jobs: the models are loaded in the first only
    try scores.updateBlocks(blockLength: 2_000) { out in
      try model.withValue { m in
        let p = points.block(out.indices)
        for i in out.indices { out[i] = m.score(p[i]) }
      }
    }
  }
  print("  3 jobs of \(200_000 / 2_000) blocks, model loaded \(loads.load(ordering: .relaxed)) time(s) on \(ComputePool.shared.threadCount) threads")
  check(loads.load(ordering: .relaxed) <= ComputePool.shared.threadCount, "at most one model per thread, whatever the number of blocks and jobs")
  let reference = Model(size: 1_000_000)
  check(scores.scalars == points.scalars.map(reference.score), "scores equal a serial loop")
}

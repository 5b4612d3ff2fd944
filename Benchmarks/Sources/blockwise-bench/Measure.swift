import Foundation

/// Seconds taken by `body`, and its result.
@inline(never)
func timed<T>(_ body: () throws -> T) rethrows -> (Double, T) {
  let start = DispatchTime.now().uptimeNanoseconds
  let v = try body()
  let end = DispatchTime.now().uptimeNanoseconds
  return (Double(end - start) * 1e-9, v)
}

/// Median of `repeats` timed runs after one warm-up. A variant whose warm-up
/// alone exceeds `slowSeconds` is reported from that single run, so the
/// slow baselines do not dominate the benchmark's own time.
func measure<T>(repeats: Int, slowSeconds: Double, _ body: () throws -> T) rethrows -> (median: Double, best: Double, samples: Int, value: T) {
  let (warm, first) = try timed(body)
  if warm > slowSeconds { return (warm, warm, 1, first) }
  var times: [Double] = []
  var last = first
  for _ in 0..<max(repeats, 1) {
    let (t, v) = try timed(body)
    times.append(t)
    last = v
  }
  times.sort()
  let mid = times.count / 2
  let median = times.count % 2 == 1 ? times[mid] : 0.5 * (times[mid - 1] + times[mid])
  return (median, times[0], times.count, last)
}

/// Medians of variants timed round-robin: one warm-up each, then `repeats`
/// rounds that run every variant once. On a shared machine whose speed
/// drifts, each variant sees the same drift, so their ratios hold. A
/// variant whose warm-up exceeds `slowSeconds` is reported from that run.
func measureInterleaved(
  repeats: Int, slowSeconds: Double, _ bodies: [() throws -> Double]
) throws -> [(median: Double, best: Double, samples: Int, value: Double)] {
  var times = [[Double]](repeating: [], count: bodies.count)
  var values = [Double](repeating: 0, count: bodies.count)
  var slow = [Bool](repeating: false, count: bodies.count)
  for (i, body) in bodies.enumerated() {
    let (t, v) = try timed(body)
    values[i] = v
    if t > slowSeconds { slow[i] = true; times[i] = [t] }
  }
  for _ in 0..<max(repeats, 1) {
    for (i, body) in bodies.enumerated() where !slow[i] {
      let (t, v) = try timed(body)
      times[i].append(t)
      values[i] = v
    }
  }
  return times.indices.map { i in
    let t = times[i].sorted()
    let mid = t.count / 2
    let median = t.count % 2 == 1 ? t[mid] : 0.5 * (t[mid - 1] + t[mid])
    return (median, t[0], t.count, values[i])
  }
}

/// Progress lines go to stderr when it is a terminal (someone is watching);
/// otherwise they would interleave with the tables in a log, and only the
/// start of each workload is said, on stdout.
func progress(_ s: String) {
  if isatty(2) != 0 {
    FileHandle.standardError.write(("[blockwise-bench] " + s + "\n").data(using: .utf8)!)
  }
}

/// The one line per workload printed when stderr is not a terminal.
func workloadStarts(_ name: String) {
  if isatty(2) == 0 { print("[blockwise-bench] \(name)") }
}

/// SplitMix64, so every run measures the same data.
struct SplitMix: RandomNumberGenerator {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  /// Uniform in [lo, hi) from the top 53 bits.
  mutating func uniform(_ lo: Double, _ hi: Double) -> Double {
    lo + (hi - lo) * Double(next() >> 11) * 0x1p-53
  }
}

func uniformArray(_ n: Int, _ lo: Double, _ hi: Double, seed: UInt64) -> [Double] {
  var g = SplitMix(state: seed)
  return (0..<n).map { _ in g.uniform(lo, hi) }
}

/// The shortest of `runs` timed runs (after one warm-up).
func fastest<T>(runs: Int, _ body: () throws -> T) rethrows -> Double {
  _ = try body()
  var best = Double.infinity
  for _ in 0..<max(runs, 1) { best = min(best, try timed(body).0) }
  return best
}

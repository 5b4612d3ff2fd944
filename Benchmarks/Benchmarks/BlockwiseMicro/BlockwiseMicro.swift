// Per-kernel micro-benchmarks (ordo-one/package-benchmark). Setup happens
// outside the measured closures; throughput is reported per element.
//
//   cd Benchmarks && swift package benchmark --target BlockwiseMicro
//   swift package benchmark baseline update   (save)
//   swift package benchmark baseline check    (fail on regression)
import Benchmark
import Blockwise

let benchmarks: @Sendable () -> Void = {
  // Time regressions are judged on the median only, at 50%: the dev machine
  // is a shared 2-core VM whose medians moved by 35% between identical runs
  // (2026-11-23), while a real regression (an exp path falling off its fast
  // core, a kernel losing its vector path) costs 2x or more. Allocations do
  // not depend on the neighbours, so they are held to within 2 per call:
  // that catches an allocation per block or per element.
  let tolerance = BenchmarkThresholds(relative: [.p50: 50.0])
  let allocations = BenchmarkThresholds(absolute: [.p50: 2])
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .throughput, .mallocCountTotal], timeUnits: .microseconds,
    maxDuration: .seconds(2), maxIterations: 200,
    thresholds: [.wallClock: tolerance, .throughput: tolerance, .mallocCountTotal: allocations])

  let n = 1 << 20
  let x = NDArray<Double>((0..<n).map { Double($0 % 2000) * 0.01 - 10 })

  Benchmark("exp, 2^20 Doubles") { b in
    var y = try NDArray<Double>.zeros([n])  // allocated and touched before measuring
    try x.exp(into: &y)
    b.startMeasurement()
    for _ in b.scaledIterations { try x.exp(into: &y) }
    blackHole(y)
  }
  Benchmark("sumExp, 2^20 Doubles") { b in
    for _ in b.scaledIterations { blackHole(x.sumExp()) }
  }
  Benchmark("logSumExp, 2^20 Doubles") { b in
    for _ in b.scaledIterations { blackHole(x.logSumExp()) }
  }
  Benchmark("dot, 2^20 Doubles") { b in
    for _ in b.scaledIterations { blackHole(try x.dot(x)) }
  }

  let axis = NDArray<Double>((0..<50).map(Double.init))
  let z = NDArray<Double>((0..<2500).map { Double(($0 * 7919) % 1000) / 1000 })
  let z3 = NDArray<Double>((0..<(50 * 2500)).map { Double(($0 * 7919) % 1000) / 1000 })
  let m = 100_000
  let px = NDArray<Double>((0..<m).map { Double(($0 * 104_729) % 49_000) / 1000 })
  let py = NDArray<Double>((0..<m).map { Double(($0 * 15_485_863) % 49_000) / 1000 })

  Benchmark("BilinearSpline.evaluate, 1e5 points") { b in
    let s = try BilinearSpline(x: axis, y: axis, values: z.reshaped([50, 50]))
    b.startMeasurement()
    for _ in b.scaledIterations { blackHole(try s.evaluate(x: px, y: py)) }
  }
  Benchmark("BilinearSplineStack.sumExp, 50 splines x 1e5 points") { b in
    let st = try BilinearSplineStack(x: axis, y: axis, values: z3.reshaped([50, 50, 50]))
    b.startMeasurement()
    for _ in b.scaledIterations { blackHole(try st.sumExp(x: px, y: py)) }
  }
  Benchmark("matmul 256x256") { b in
    let a = try NDArray<Double>(repeating: 0.5, shape: [256, 256])
    blackHole(try a.matmul(a))  // first call: BLAS buffers and the pool
    b.startMeasurement()
    for _ in b.scaledIterations { blackHole(try a.matmul(a)) }
  }
}

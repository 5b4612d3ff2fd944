import ArgumentParser
@_spi(KernelPaths) import Blockwise
import BlockwiseBaselines
import Foundation

@main
struct BlockwiseBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "blockwise-bench",
    abstract: "Runs Blockwise's seed workloads beside scalar loops and naive per-element parallelism.",
    discussion: """
      W1 spline stack sumExp, W1-cubic the same with bicubic splines, W2 logSumExp per row, W3 fused vs unfused pipeline, W4 big reductions,
      W5 a user's expression (evaluate and sum, Double and Float), A1-A5 array operations.
      Every variant's result is checked against the scalar loop; a mismatch exits non-zero.
      """)

  @Option(help: "Workloads to run, comma-separated (w1,w2,w3,w4,w5,arrays,files).")
  var workloads: String = "w1,w1cubic,w2,w3,w4,w5,arrays,files"
  @Option(help: "Timed repeats per variant (median reported), after one warm-up.")
  var repeats: Int = 5
  @Option(help: "A variant whose warm-up takes longer than this (seconds) is reported from that one run.")
  var slowSeconds: Double = 1.0
  @Option(help: "Threads for the all-threads variants (default: the pool's count).")
  var threads: Int?
  @Option(help: "W1: number of splines.") var splines: Int = 50
  @Option(help: "W1: knots per axis (axes 0..<grid).") var grid: Int = 50
  @Option(help: "W1: number of points.") var points: Int = 1_000_000
  @Option(help: "W2: rows.") var rows: Int = 1000
  @Option(help: "W2: row lengths, comma-separated.") var rowLengths: String = "10000,100000"
  @Option(help: "W3: number of arrays.") var arrays: Int = 100
  @Option(help: "W3: array shape RxC.") var arrayShape: String = "500x2000"
  @Option(help: "W4: number of Doubles.") var reductionCount: Int = 50_000_000
  @Option(help: "W5: elements of each of the two inputs.") var expressionCount: Int = 10_000_000
  @Option(help: "Arrays: rows x columns of the axis-reduction and broadcasting array.") var matrixShape: String = "1000x100000"
  @Option(help: "Arrays: side of the square transposed.") var transposeSize: Int = 8192
  @Option(help: "Arrays: Doubles converted to Float.") var convertCount: Int = 50_000_000
  @Option(help: "Files: the folder the files are written to and read from (the disk under test).")
  var fileFolder: String = NSTemporaryDirectory() + "blockwise-bench-files"
  @Option(help: "Files: Doubles in the .npy file (F1-F3).") var fileCount: Int = 50_000_000
  @Option(help: "Files: rows of the 10-column CSV table (F4).") var csvRows: Int = 200_000
  @Option(help: "Size of the read-bandwidth probe in MiB.") var bandwidthMiB: Int = 1024
  @Option(help: "Write every figure as JSON to this path.") var json: String?
  @Option(help: "Write the summary chart (summary.svg) into this folder.") var chartFolder: String?

  func run() throws {
    if let t = threads { ComputePool.shared.threadCount = t }
    let all = ComputePool.shared.threadCount
    let machine = try probeMachine(threads: all)
    print("# blockwise-bench")
    print("CPU: \(machine.cpu); cores usable: \(machine.cores); pool threads: \(all); L2 per core: \(machine.l2Bytes / 1024) KiB; kernels: \(machine.isa)")
    print(String(format: "Read bandwidth (sum over %d MiB): %.1f GB/s all threads, %.1f GB/s one thread; copy (read + write): %.1f GB/s all threads", bandwidthMiB,
                 machine.readGBPerSecondAllThreads, machine.readGBPerSecondOneThread, machine.copyGBPerSecondAllThreads))
    print(String(format: "Vectorised exp in cache: %.3f ns per Double per core (exp(into:)); sumExp %.3f ns",
                 machine.expNsPerElementPerCore, machine.sumExpNsPerElementPerCore))
    if let f = try probeExpFloat() { print(String(format: "Float exp in cache: %.3f ns per Float per core (float lanes)", f)) }
    // A CPU whose best path is wider than AVX2: the AVX2 figures beside.
    if kernelISA != "avx2-fma", kernelPaths.contains(where: { $0.name == "avx2-fma" && $0.supported }) {
      let (e, s) = try withKernelPath("avx2-fma") { try probeExp() }
      print(String(format: "  forced AVX2 in the same run: exp %.3f ns per Double per core; sumExp %.3f ns", e, s))
    }
    print("Times are medians of \(repeats) runs after a warm-up (n = samples; best = fastest run); % limit = hardware bound / median.")
    print("Blockwise variants of a workload are timed round-robin, so their ratios come from the same stretch of time.")

    let ctx = Context(options: self, machine: machine, threads: all, repeats: repeats, slowSeconds: slowSeconds)
    var rows: [Row] = []
    let wanted = Set(workloads.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() })
    let workloadList: [(String, (Context) throws -> [Row])] = [
      ("w1", workloadW1), ("w1cubic", workloadW1Cubic), ("w2", workloadW2), ("w3", workloadW3),
      ("w4", workloadW4), ("w5", workloadW5), ("arrays", workloadArrays), ("files", workloadFiles),
    ]
    for (name, run) in workloadList where wanted.contains(name) {
      workloadStarts(name)
      rows += try run(ctx)
    }
    // The machine's speed drifts; the same probe after the workloads shows
    // how far (the limits above use the first probe).
    var machineAtEnd = machine
    let (expEnd, sumExpEnd) = try probeExp()
    machineAtEnd.expNsPerElementPerCore = expEnd
    machineAtEnd.sumExpNsPerElementPerCore = sumExpEnd
    print(String(format: "\nExp in cache again after the workloads: %.3f ns per Double per core (exp(into:)); sumExp %.3f ns",
                 expEnd, sumExpEnd))

    let failed = rows.filter { !$0.passed }
    let summary = summaryLines(rows, threads: all)
    printSummary(summary, machine: machine)
    if let folder = chartFolder {
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
      let chart = folder + "/summary.svg"
      try summaryChart(summary, machine: machine).write(toFile: chart, atomically: true, encoding: .utf8)
      print("chart: \(chart)")
    }
    if let path = json {
      let report = Report(
        command: CommandLine.arguments.joined(separator: " "), date: ISO8601DateFormatter().string(from: Date()),
        config: Config(
          splines: splines, grid: grid, points: points, rows: self.rows,
          rowLengths: rowLengths.split(separator: ",").compactMap { Int($0) }, arrays: arrays,
          arrayShape: arrayShape.split(separator: "x").compactMap { Int($0) }, reductionCount: reductionCount,
          matrixShape: matrixShape.split(separator: "x").compactMap { Int($0) }, transposeSize: transposeSize,
          convertCount: convertCount, expressionCount: expressionCount, fileFolder: fileFolder, fileCount: fileCount,
          csvRows: csvRows),
        machine: machine, machineAtEnd: machineAtEnd, rows: rows)
      let enc = JSONEncoder()
      enc.outputFormatting = [.prettyPrinted, .sortedKeys]
      try enc.encode(report).write(to: URL(fileURLWithPath: path))
      print("figures: \(path)")
    }
    if !failed.isEmpty {
      print("\n\(failed.count) variant(s) disagree with the scalar loop:")
      for f in failed { print("  \(f.workload) / \(f.variant): relative error \(f.relativeErrorVsScalar)") }
      throw ExitCode(1)
    }
    print("\nAll \(rows.count) variants agree with the scalar loop.")
  }

  func probeMachine(threads: Int) throws -> Machine {
    progress("probing read and copy bandwidth and exp rate")
    let n = bandwidthMiB * 1024 * 1024 / 8
    let big = try NDArray<Double>(repeating: 1, shape: [n])
    // The machine's limits are the best of several runs, not the median: a
    // shared, noisy machine only ever makes a run slower.
    let allBW = fastest(runs: 5) { big.sum() }
    let oneBW = try fastest(runs: 5) { try ComputePool.withThreadCount(1) { big.sum() } }
    // Read plus write: a blocked copy into a buffer that is already mapped
    // (bytes moved = read + written, as the streaming workloads count them).
    var target = try NDArray<Double>.zeros([n])
    let copyBW = fastest(runs: 5) { copyProbe(big, into: &target) }
    let (expNs, sumExpNs) = try probeExp()
    return Machine(
      cpu: cpuModel(), cores: ComputePool.defaultThreadCount, threads: threads, l2Bytes: BlockPolicy.l2CacheBytes,
      isa: kernelISA,
      readGBPerSecondAllThreads: Double(n * 8) / allBW / 1e9,
      readGBPerSecondOneThread: Double(n * 8) / oneBW / 1e9,
      copyGBPerSecondAllThreads: Double(2 * n * 8) / copyBW / 1e9,
      expNsPerElementPerCore: expNs, sumExpNsPerElementPerCore: sumExpNs)
  }

  /// `exp(into:)` and `sumExp()` over an in-cache array on one thread, ns per
  /// element: the fastest of 7 runs (a busy machine only makes runs slower).
  func probeExp() throws -> (exp: Double, sumExp: Double) {
    let small = NDArray(uniformArray(4096, -5, 5, seed: 1))
    var out = try NDArray<Double>.zeros([4096])
    let reps = 2000
    let expRun = try fastest(runs: 7) {
      try ComputePool.withThreadCount(1) { for _ in 0..<reps { try small.exp(into: &out) } }
    }
    let sumExpRun = try fastest(runs: 7) {
      try ComputePool.withThreadCount(1) { (0..<reps).reduce(0.0) { acc, _ in acc + small.sumExp() } }
    }
    return (expRun / Double(reps * 4096) * 1e9, sumExpRun / Double(reps * 4096) * 1e9)
  }

  /// Float `exp(into:)` over an in-cache array on one thread (float lanes),
  /// ns per element, fastest of 7.
  func probeExpFloat() throws -> Double? {
    let small = NDArray(uniformArray(4096, -5, 5, seed: 1).map { Float($0) })
    var out = try NDArray<Float>.zeros([4096])
    let reps = 2000
    let run = try fastest(runs: 7) {
      try ComputePool.withThreadCount(1) { for _ in 0..<reps { try small.exp(into: &out) } }
    }
    return run / Double(reps * 4096) * 1e9
  }
}

/// Copies `a` into `target` (same shape) in L2-sized blocks on every
/// thread: the machine's read-plus-write rate for streaming kernels.
func copyProbe(_ a: NDArray<Double>, into target: inout NDArray<Double>) {
  target.updateBlocks(blockLength: 32_768) { out in
    let src = a.block(out.indices)
    src.withUnsafeBufferPointer { s in out.withUnsafeMutableBufferPointer { d in _ = d.update(fromContentsOf: s) } }
  }
}

/// One variant of a workload for `Context.rows`.
struct Variant {
  let name: String
  let threads: Int
  var tolerance: Double = 1e-12
  /// The scalar loop's time and result, to compare against.
  let scalar: (time: Double, value: Double)?
  /// The hardware bound in seconds, when it is not the read/exp bound.
  var limit: Double? = nil
  let body: () throws -> Double
}

/// What every workload needs to measure and judge its variants.
struct Context {
  let options: BlockwiseBench
  let machine: Machine
  let threads: Int
  let repeats: Int
  let slowSeconds: Double

  /// The hardware bound: the larger of reading `bytes` once and computing
  /// `exps` exponentials, on `threads` cores.
  func limit(bytes: Double, exps: Double, threads t: Int) -> Double {
    let bw = (t > 1 ? machine.readGBPerSecondAllThreads : machine.readGBPerSecondOneThread) * 1e9
    let cores = Double(min(t, machine.cores))
    return max(bytes / bw, exps * machine.expNsPerElementPerCore * 1e-9 / max(cores, 1))
  }

  func row(
    _ workload: String, _ variant: String, threads t: Int, elements: Double, bytes: Double, exps: Double,
    tolerance: Double, scalar: (time: Double, value: Double)?, limit: Double? = nil, _ body: () throws -> Double
  ) rethrows -> Row {
    progress("\(workload): \(variant)")
    let m = try measure(repeats: repeats, slowSeconds: slowSeconds, body)
    // With no scalar reference this row is the scalar loop itself: 1.0x.
    return makeRow(workload, variant, threads: t, elements: elements, bytes: bytes, exps: exps,
                   tolerance: tolerance, scalar: scalar ?? (m.median, m.value), limit: limit, m)
  }

  /// Seconds to move `bytes` (read plus written) at the copy rate of `t` threads
  /// (one thread: the read rate's share, as no one-thread copy is probed).
  func copyLimit(bytes: Double, threads t: Int) -> Double {
    let rate = t > 1 ? machine.copyGBPerSecondAllThreads
      : machine.copyGBPerSecondAllThreads * machine.readGBPerSecondOneThread / machine.readGBPerSecondAllThreads
    return bytes / (rate * 1e9)
  }

  /// Rows for `variants` measured round-robin (see `measureInterleaved`),
  /// so their ratios to each other come from the same stretch of time.
  func rows(
    _ workload: String, elements: Double, bytes: Double, exps: Double, _ variants: [Variant]
  ) throws -> [Row] {
    progress("\(workload): " + variants.map(\.name).joined(separator: ", ") + " (interleaved)")
    let ms = try measureInterleaved(repeats: repeats, slowSeconds: slowSeconds, variants.map(\.body))
    return zip(variants, ms).map { v, m in
      makeRow(workload, v.name, threads: v.threads, elements: elements, bytes: bytes, exps: exps,
              tolerance: v.tolerance, scalar: v.scalar, limit: v.limit, m)
    }
  }

  func makeRow(
    _ workload: String, _ variant: String, threads t: Int, elements: Double, bytes: Double, exps: Double,
    tolerance: Double, scalar: (time: Double, value: Double)?, limit explicit: Double? = nil,
    _ m: (median: Double, best: Double, samples: Int, value: Double)
  ) -> Row {
    let reference = scalar?.value ?? m.value
    let rel = reference == m.value ? 0 : abs(m.value - reference) / max(abs(reference), .leastNormalMagnitude)
    let lim = explicit ?? limit(bytes: bytes, exps: exps, threads: t)
    return Row(
      workload: workload, variant: variant, threads: t, medianSeconds: m.median, bestSeconds: m.best,
      samples: m.samples, elements: elements, nsPerElement: m.median / elements * 1e9,
      bestNsPerElement: m.best / elements * 1e9,
      speedupOverScalar: scalar.map { $0.time / m.median } ?? 0, percentOfLimit: 100 * lim / m.median,
      limitSeconds: lim, result: m.value, relativeErrorVsScalar: rel, passed: rel <= tolerance && m.value.isFinite)
  }
}

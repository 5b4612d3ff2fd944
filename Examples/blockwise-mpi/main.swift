// W1 across MPI ranks: 50 bilinear splines on a 50x50 grid, the sum of exp
// of every spline at every point, with the points read from .npy files,
// each rank mapping only its shard of them. The total is the same, bit for
// bit, for any number of ranks and threads.
//
//   blockwise-mpi write  --folder DIR [--points N] [--splines S] [--grid G] [--if-missing]
//       writes DIR/z3.npy ([S, G, G]), DIR/xi.npy and DIR/yi.npy ([N]) (with
//       --if-missing, only when the files there have other shapes)
//   mpirun -np R blockwise-mpi run --folder DIR [--threads T] [--repeats K] [--results FILE]
//       W1 on R ranks x T threads; rank 0 prints the total (and its bits),
//       ranks, threads and the median time of K runs after a warm-up
//   blockwise-mpi run --folder DIR --no-mpi ...
//       the same in one process without MPI (the single-process baseline)
//   blockwise-mpi report --results FILE
//       the runs appended to FILE as one table, with ratios
//
// On several hosts: the same files at the same path on every host (a
// shared file system, or a copy: each rank reads only its rows of xi/yi
// and all of the small z3), then `mpirun --hostfile hosts -np R ...`.

import Blockwise
import BlockwiseMPI
import Foundation  // String(format:)

#if canImport(Glibc)
  import Glibc
#endif

// MARK: - Arguments (a handful: no argument-parser dependency in the library package)

struct Options {
  var command = ""
  var folder = "/tmp/blockwise-mpi-w1"
  var points = 100_000_000
  var splines = 50
  var grid = 50
  var threads: Int? = nil
  var repeats = 3
  var noMPI = false
  var results: String? = nil
  var ifMissing = false

  init(_ args: [String]) throws {
    var i = 1
    func value() throws -> String {
      i += 1
      guard i < args.count else { throw BlockwiseError.invalidArgument(name: args[i - 1], expected: "a value", got: "none") }
      return args[i]
    }
    func int() throws -> Int {
      let v = try value()
      guard let n = Int(v.replacingOccurrences(of: "_", with: "")), n >= 0 else {
        throw BlockwiseError.invalidArgument(name: args[i - 1], expected: "a count", got: v)
      }
      return n
    }
    while i < args.count {
      switch args[i] {
      case "write", "run", "report": command = args[i]
      case "--folder": folder = try value()
      case "--points": points = try int()
      case "--splines": splines = try int()
      case "--grid": grid = try int()
      case "--threads": threads = try int()
      case "--repeats": repeats = Swift.max(1, try int())
      case "--no-mpi": noMPI = true
      case "--results": results = try value()
      case "--if-missing": ifMissing = true
      default: throw BlockwiseError.invalidArgument(name: "argument", expected: "write, run, report or an option", got: args[i])
      }
      i += 1
    }
    guard !command.isEmpty else {
      throw BlockwiseError.invalidArgument(name: "command", expected: "write, run or report", got: "none")
    }
  }
}

func seconds() -> Double {
  var t = timespec()
  clock_gettime(CLOCK_MONOTONIC, &t)
  return Double(t.tv_sec) + 1e-9 * Double(t.tv_nsec)
}

func hex(_ x: Double) -> String { "0x" + String(x.bitPattern, radix: 16) }

// MARK: - write

func writeInputs(_ o: Options) throws {
  if o.ifMissing, let z = try? NpyFileInfo(o.folder + "/z3.npy"), let x = try? NpyFileInfo(o.folder + "/xi.npy"),
    let y = try? NpyFileInfo(o.folder + "/yi.npy"), z.shape == [o.splines, o.grid, o.grid], x.shape == [o.points],
    y.shape == [o.points]
  {
    print("\(o.folder) already holds W1's inputs for \(o.points) points")
    return
  }
  mkdir(o.folder, 0o755)
  let z3 = try NDArray<Double>.uniform([o.splines, o.grid, o.grid], in: 0..<1, seed: 1)
  try z3.write(npyFile: o.folder + "/z3.npy")
  let hi = Double(o.grid - 1)
  try NDArray<Double>.uniform([o.points], in: 0..<hi, seed: 2).write(npyFile: o.folder + "/xi.npy")
  try NDArray<Double>.uniform([o.points], in: 0..<hi, seed: 3).write(npyFile: o.folder + "/yi.npy")
  print("wrote \(o.folder)/{z3,xi,yi}.npy: \(o.splines) splines on a \(o.grid)x\(o.grid) grid, \(o.points) points")
}

// MARK: - run

/// One W1 run's figures, as appended to --results.
struct RunRecord {
  var mode: String
  var ranks: Int
  var threads: Int
  var points: Int
  var median: Double
  var total: Double

  var line: String { "\(mode)\t\(ranks)\t\(threads)\t\(points)\t\(median)\t\(hex(total))" }

  init(mode: String, ranks: Int, threads: Int, points: Int, median: Double, total: Double) {
    (self.mode, self.ranks, self.threads, self.points, self.median, self.total) = (mode, ranks, threads, points, median, total)
  }

  init?(line: Substring) {
    let f = line.split(separator: "\t").map(String.init)
    guard f.count == 6, let r = Int(f[1]), let t = Int(f[2]), let p = Int(f[3]), let m = Double(f[4]),
      let bits = UInt64(f[5].dropFirst(2), radix: 16)
    else { return nil }
    self.init(mode: f[0], ranks: r, threads: t, points: p, median: m, total: Double(bitPattern: bits))
  }
}

func medianTime(_ repeats: Int, _ body: () throws -> Double) throws -> (Double, Double) {
  var value = try body()  // warm-up: pages mapped, caches filled
  var times: [Double] = []
  for _ in 0..<repeats {
    let t = seconds()
    value = try body()
    times.append(seconds() - t)
  }
  times.sort()
  return (times[times.count / 2], value)
}

func stack(_ o: Options) throws -> BilinearSplineStack<Double> {
  let z3 = try NDArray<Double>(npyFile: o.folder + "/z3.npy")
  guard z3.rank == 3, z3.shape[1] >= 2, z3.shape[2] >= 2 else {
    throw BlockwiseError.shapeMismatch(expected: [-1, -1, -1], got: z3.shape)
  }
  let ax = NDArray<Double>((0..<z3.shape[1]).map(Double.init)), ay = NDArray<Double>((0..<z3.shape[2]).map(Double.init))
  return try BilinearSplineStack(x: ax, y: ay, values: z3)
}

func ms(_ t: Double) -> String { String(format: "%.1f ms", t * 1e3) }
func full(_ x: Double) -> String { String(format: "%.17g", x) }
func pad(_ s: String, _ n: Int, right: Bool = false) -> String {
  let fill = String(repeating: " ", count: Swift.max(0, n - s.count))
  return right ? fill + s : s + fill
}

func record(_ r: RunRecord, _ o: Options) {
  print("W1 \(r.mode): \(r.ranks) rank(s) x \(r.threads) thread(s), \(r.points) points: total \(full(r.total)) "
        + "(\(hex(r.total))) in \(ms(r.median)) (median of \(o.repeats))")
  if let path = o.results, let f = fopen(path, "a") {
    fputs(r.line + "\n", f)
    fclose(f)
  }
}

func runSingle(_ o: Options) throws {
  if let t = o.threads { try ComputePool.shared.setThreadCount(t) }
  let st = try stack(o)
  let xi = try NDArray<Double>(mappingNpyFile: o.folder + "/xi.npy")
  let yi = try NDArray<Double>(mappingNpyFile: o.folder + "/yi.npy")
  let (t, total) = try medianTime(o.repeats) { try st.sumExp(x: xi, y: yi) }
  record(RunRecord(mode: "one process", ranks: 1, threads: ComputePool.shared.threadCount, points: xi.count, median: t, total: total), o)
}

func runMPI(_ o: Options) -> Never {
  let comm: Communicator
  do { comm = try Communicator.world() } catch {
    print("blockwise-mpi: \(error)")
    exit(2)
  }
  comm.run { comm in
    if let t = o.threads { try ComputePool.shared.setThreadCount(t) }
    let st = try stack(o)
    // The point count from the file's header; each rank maps its rows only.
    let count = try NpyFileInfo(o.folder + "/xi.npy").shape.first ?? 0
    let mine = comm.shard(count: count, alignment: BlockPolicy.bilinearStackSumLeaf)
    let xi = try NDArray<Double>(mappingNpyFile: o.folder + "/xi.npy", rows: mine)
    let yi = try NDArray<Double>(mappingNpyFile: o.folder + "/yi.npy", rows: mine)
    try comm.barrier()
    // combine() waits for every rank, so rank 0's time is the job's.
    let (t, total) = try medianTime(o.repeats) { try comm.combine(try st.sumExpPartials(x: xi, y: yi)) }
    if comm.rank == 0 {
      record(RunRecord(mode: "MPI", ranks: comm.size, threads: ComputePool.shared.threadCount, points: count, median: t, total: total), o)
    }
  }
}

// MARK: - report

func report(_ o: Options) throws {
  guard let path = o.results, let f = fopen(path, "r") else {
    throw BlockwiseError.invalidArgument(name: "--results", expected: "a results file from runs", got: o.results ?? "none")
  }
  defer { fclose(f) }
  var bytes: [UInt8] = []
  var chunk = [UInt8](repeating: 0, count: 4096)
  while true {
    let n = fread(&chunk, 1, chunk.count, f)
    if n <= 0 { break }
    bytes += chunk[0..<n]
  }
  let text = String(decoding: bytes, as: UTF8.self)
  let runs = text.split(separator: "\n").compactMap(RunRecord.init(line:))
  guard let base = runs.first(where: { $0.mode == "one process" && $0.threads > 1 }) ?? runs.first else {
    throw BlockwiseError.invalidArgument(name: "--results", expected: "at least one run", got: "none")
  }
  print("\n# W1 across MPI ranks: \(base.points) points (medians; ratio = time / one process with \(base.threads) threads)")
  print("mode          ranks  threads/rank     median    ratio  total (bits)")
  print(String(repeating: "-", count: 90))
  for r in runs {
    print(pad(r.mode, 13) + pad("\(r.ranks)", 6, right: true) + pad("\(r.threads)", 14, right: true)
          + pad(ms(r.median), 11, right: true) + pad(String(format: "%.3f", r.median / base.median), 9, right: true)
          + "  \(full(r.total)) (\(hex(r.total)))" + (r.total.bitPattern == base.total.bitPattern ? "" : "  DIFFERS"))
  }
  let same = runs.allSatisfy { $0.total.bitPattern == base.total.bitPattern }
  print(same ? "Every run's total is the same, bit for bit." : "TOTALS DIFFER")
  if !same { exit(1) }
}

// MARK: - main

do {
  let o = try Options(CommandLine.arguments)
  switch o.command {
  case "write": try writeInputs(o)
  case "report": try report(o)
  default: if o.noMPI { try runSingle(o) } else { runMPI(o) }
  }
} catch {
  print("blockwise-mpi: \(error)")
  exit(1)
}

import ArgumentParser
import Blockwise
import CSV
import Foundation

// MARK: - Files: NumPy interchange and CSV

/// F1-F4, in a folder on the disk under test (`--file-folder`; compare.py
/// runs numpy's side in the same folder):
/// - F1: W4's sumExp over a mapped 400 MB `.npy` (a fresh mapping each run,
///   the file in the page cache), beside the same sum over the array in
///   memory. Target: the mapped first pass at most 1.2x the in-memory one.
/// - F2, F3: `write(npyFile:)` and `init(npyFile:)` of the same 400 MB,
///   beside a plain `fwrite`/`fread` of its bytes (the disk/page-cache
///   bound). Target: at least 80% of `np.save`/`np.load` throughput.
/// - F4: a numeric CSV table through `NDArray(csvFile:)` and through
///   yaslab/CSV.swift (fields as Strings, then `Double(_:)`), the
///   maintained library the reader was measured against.
func workloadFiles(_ context: Context) throws -> [Row] {
  // The first write of a run can stall for a second (the page cache making
  // room), which would otherwise make it a single-run "slow" variant.
  let c = Context(options: context.options, machine: context.machine, threads: context.threads,
                  repeats: context.repeats, slowSeconds: max(context.slowSeconds, 30))
  let cmd = c.options
  let folder = cmd.fileFolder
  try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
  // The files (about 1 GB with the CSV) are the run's own: removed when it
  // ends, however it ends.
  defer { try? FileManager.default.removeItem(atPath: folder) }
  let n = cmd.fileCount
  let path = folder + "/blockwise-f1.npy"
  progress("files: generating \(n) Doubles and writing \(path)")
  let a = try NDArray<Double>.uniform([n], in: -10..<10, seed: 71)
  try a.write(npyFile: path)
  let bytes = Double(n * 8)
  var rows: [Row] = []

  // F1: mapped vs in memory, all threads and one.
  let scalarF1 = c.row("F1 mapped sumExp", "scalar loop (Foundation.exp, in memory)", threads: 1,
                           elements: Double(n), bytes: bytes, exps: Double(n), tolerance: 1e-12, scalar: nil) {
    a.withUnsafeBufferPointer { p in p.reduce(0) { $0 + Foundation.exp($1) } }
  }
  var f1 = [scalarF1]
  f1 += try c.rows("F1 mapped sumExp", elements: Double(n), bytes: bytes, exps: Double(n), [
    Variant(name: "Blockwise in memory, all threads", threads: c.threads, tolerance: 1e-9,
            scalar: (scalarF1.medianSeconds, scalarF1.result)) { a.sumExp() },
    Variant(name: "Blockwise mapped (first pass), all threads", threads: c.threads, tolerance: 1e-9,
            scalar: (scalarF1.medianSeconds, scalarF1.result)) { try NDArray<Double>(mappingNpyFile: path).sumExp() },
    Variant(name: "Blockwise in memory, 1 thread", threads: 1, tolerance: 1e-9,
            scalar: (scalarF1.medianSeconds, scalarF1.result)) { try ComputePool.withThreadCount(1) { a.sumExp() } },
    Variant(name: "Blockwise mapped (first pass), 1 thread", threads: 1, tolerance: 1e-9,
            scalar: (scalarF1.medianSeconds, scalarF1.result)) {
      try ComputePool.withThreadCount(1) { try NDArray<Double>(mappingNpyFile: path).sumExp() }
    },
  ])
  printTable(title: "F1  sumExp of a \((n * 8) >> 20) MiB .npy: mapped afresh each run (page cache warm) vs in memory", rows: f1)
  rows += f1

  // F2/F3: write and read 400 MB, beside raw fwrite/fread of the bytes.
  func probe(_ x: NDArray<Double>) -> Double {
    x.withUnsafeBufferPointer { p in p[0] + p[p.count / 3] + p[p.count / 2] + p[p.count - 1] }
  }
  let rawPath = folder + "/blockwise-raw.bin"
  let written = folder + "/blockwise-f2.npy"
  // The raw floor: the bytes alone, their blocks reserved first (as numpy's
  // tofile and write(npyFile:) do; without it ext4 allocates them at close).
  let scalarF2 = try c.row("F2 write(npyFile:)", "posix_fallocate + write of the raw bytes", threads: 1,
                           elements: Double(n), bytes: bytes, exps: 0, tolerance: 0, scalar: nil, limit: 0) {
    let fd = open(rawPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    guard fd >= 0 else { throw ValidationError("cannot write \(rawPath)") }
    defer { close(fd) }
    _ = posix_fallocate(fd, 0, off_t(n * 8))
    try a.withUnsafeBufferPointer { p in
      var done = 0
      let raw = UnsafeRawPointer(p.baseAddress!)
      while done < n * 8 {
        let k = write(fd, raw + done, min(n * 8 - done, 1 << 30))
        guard k > 0 else { throw ValidationError("write failed") }
        done += k
      }
    }
    return bytes
  }
  let f2 = try [scalarF2] + c.rows("F2 write(npyFile:)", elements: Double(n), bytes: bytes, exps: 0, [
    Variant(name: "Blockwise write(npyFile:)", threads: c.threads, tolerance: 0,
            scalar: (scalarF2.medianSeconds, scalarF2.result), limit: 0) {
      try a.write(npyFile: written)
      return bytes
    }
  ])
  printTable(title: "F2  write(npyFile:) of \((n * 8) >> 20) MiB (atomic: temporary file, then rename)", rows: f2)
  rows += f2
  let scalarF3 = try c.row("F3 init(npyFile:)", "read of the raw bytes into a new array", threads: 1,
                           elements: Double(n), bytes: bytes, exps: 0, tolerance: 0, scalar: nil, limit: 0) {
    let fd = open(rawPath, O_RDONLY)
    guard fd >= 0 else { throw ValidationError("cannot read \(rawPath)") }
    defer { close(fd) }
    var out = try NDArray<Double>.zeros([n])
    try out.withUnsafeMutableBufferPointer { p in
      var done = 0
      let raw = UnsafeMutableRawPointer(p.baseAddress!)
      while done < n * 8 {
        let k = read(fd, raw + done, min(n * 8 - done, 1 << 30))
        guard k > 0 else { throw ValidationError("read failed") }
        done += k
      }
    }
    return probe(out)
  }
  let f3 = try [scalarF3] + c.rows("F3 init(npyFile:)", elements: Double(n), bytes: bytes, exps: 0, [
    Variant(name: "Blockwise init(npyFile:)", threads: c.threads, tolerance: 0,
            scalar: (scalarF3.medianSeconds, scalarF3.result), limit: 0) {
      probe(try NDArray<Double>(npyFile: written))
    }
  ])
  printTable(title: "F3  init(npyFile:) of \((n * 8) >> 20) MiB (file in the page cache)", rows: f3)
  rows += f3
  unlink(rawPath)

  // F4: CSV.
  let csvRows = cmd.csvRows, columns = 10
  let csvPath = folder + "/blockwise-f4.csv"
  progress("files: writing a \(csvRows) x \(columns) CSV table")
  let table = try NDArray<Double>.uniform([csvRows, columns], in: -1e3..<1e3, seed: 72)
  do {
    var text = (0..<columns).map { "c\($0)" }.joined(separator: ",") + "\n"
    text.reserveCapacity(csvRows * columns * 24)
    table.withUnsafeBufferPointer { p in
      for i in 0..<csvRows {
        for j in 0..<columns { text += (j == 0 ? "" : ",") + "\(p[i * columns + j])" }
        text += "\n"
      }
    }
    try text.write(toFile: csvPath, atomically: false, encoding: .utf8)
  }
  let csvBytes = Double((try FileManager.default.attributesOfItem(atPath: csvPath)[.size] as? Int) ?? 0)
  let reference = table.sum()
  let scalarF4 = try context.row("F4 CSV", "yaslab/CSV.swift + Double(String)", threads: 1, elements: Double(csvRows * columns),
                           bytes: csvBytes, exps: 0, tolerance: 1e-12, scalar: nil, limit: 0) {
    guard let stream = InputStream(fileAtPath: csvPath) else { throw ValidationError("cannot read \(csvPath)") }
    let reader = try CSVReader(stream: stream, hasHeaderRow: true)
    var values: [Double] = []
    values.reserveCapacity(csvRows * columns)
    while let row = reader.next() {
      for field in row {
        guard let v = Double(field) else { throw ValidationError("CSV.swift: '\(field)' is not a number") }
        values.append(v)
      }
    }
    return try NDArray(values, shape: [values.count / columns, columns]).sum()
  }
  let f4 = try [scalarF4] + c.rows("F4 CSV", elements: Double(csvRows * columns), bytes: csvBytes, exps: 0, [
    Variant(name: "Blockwise NDArray(csvFile:), 1 thread", threads: 1, scalar: (scalarF4.medianSeconds, scalarF4.result), limit: 0) {
      try ComputePool.withThreadCount(1) { try NDArray<Double>(csvFile: csvPath, skipHeader: true).sum() }
    },
    Variant(name: "Blockwise NDArray(csvFile:), all threads", threads: c.threads, scalar: (scalarF4.medianSeconds, scalarF4.result), limit: 0) {
      try NDArray<Double>(csvFile: csvPath, skipHeader: true).sum()
    },
  ])
  guard abs(scalarF4.result - reference) <= 1e-9 * abs(reference) else {
    throw ValidationError("F4: the CSV reads back to \(scalarF4.result), not \(reference)")
  }
  printTable(title: "F4  CSV table of \(csvRows) x \(columns) Doubles (\(Int(csvBytes) >> 20) MiB)", rows: f4)
  rows += f4
  return rows
}

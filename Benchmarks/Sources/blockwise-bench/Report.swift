import Foundation

/// One measured variant of one workload.
struct Row: Codable {
  var workload: String
  var variant: String
  var threads: Int
  var medianSeconds: Double
  /// The fastest run: what the machine can do when nothing else runs.
  var bestSeconds: Double
  var samples: Int
  var elements: Double
  var nsPerElement: Double
  var bestNsPerElement: Double
  /// Scalar loop time / this time; 0 for rows with no scalar counterpart.
  var speedupOverScalar: Double
  var percentOfLimit: Double
  var limitSeconds: Double
  var result: Double
  var relativeErrorVsScalar: Double
  var passed: Bool
}

struct Machine: Codable {
  var cpu: String
  var cores: Int
  var threads: Int
  var l2Bytes: Int
  var isa: String
  var readGBPerSecondAllThreads: Double
  var readGBPerSecondOneThread: Double
  /// A blocked copy on all threads, bytes read plus bytes written per second.
  var copyGBPerSecondAllThreads: Double
  /// `exp(into:)` over an in-cache array, one thread: the kernels' limit.
  var expNsPerElementPerCore: Double
  /// `sumExp()` over the same in-cache array, one thread.
  var sumExpNsPerElementPerCore: Double
}

/// The sizes a run used, so other drivers can repeat the same work.
struct Config: Codable {
  var splines: Int
  var grid: Int
  var points: Int
  var rows: Int
  var rowLengths: [Int]
  var arrays: Int
  var arrayShape: [Int]
  var reductionCount: Int
  var matrixShape: [Int]
  var transposeSize: Int
  var convertCount: Int
  var expressionCount: Int
  var fileFolder: String?
  var fileCount: Int?
  var csvRows: Int?
}

struct Report: Codable {
  var command: String
  var date: String
  var config: Config
  var machine: Machine
  /// The exp probes repeated after the workloads.
  var machineAtEnd: Machine
  var rows: [Row]
}

func cpuModel() -> String {
  guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "unknown" }
  for line in text.split(separator: "\n") where line.hasPrefix("model name") {
    return line.split(separator: ":", maxSplits: 1).last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "unknown"
  }
  return "unknown"
}

func pad(_ s: String, _ w: Int, right: Bool = false) -> String {
  s.count >= w ? s : (right ? String(repeating: " ", count: w - s.count) + s : s + String(repeating: " ", count: w - s.count))
}

func formatSeconds(_ s: Double) -> String {
  if s >= 1 { return String(format: "%.2f s", s) }
  if s >= 1e-3 { return String(format: "%.1f ms", s * 1e3) }
  return String(format: "%.0f us", s * 1e6)
}

func printTable(title: String, rows: [Row]) {
  print("\n## \(title)")
  let header = [pad("variant", 46), pad("thr", 4, right: true), pad("median", 10, right: true), pad("n", 3, right: true),
                pad("ns/elem", 9, right: true), pad("best", 7, right: true), pad("vs scalar", 10, right: true), pad("% limit", 8, right: true), "  check"]
  print(header.joined(separator: " "))
  print(String(repeating: "-", count: 112))
  for r in rows {
    print([pad(r.variant, 46), pad("\(r.threads)", 4, right: true), pad(formatSeconds(r.medianSeconds), 10, right: true),
           pad("\(r.samples)", 3, right: true), pad(String(format: "%.3f", r.nsPerElement), 9, right: true),
           pad(String(format: "%.3f", r.bestNsPerElement), 7, right: true),
           pad(r.speedupOverScalar > 0 ? String(format: "%.1fx", r.speedupOverScalar) : "-", 10, right: true),
           pad(r.limitSeconds > 0 ? String(format: "%.0f%%", r.percentOfLimit) : "-", 8, right: true),
           "  " + (r.passed ? "ok" : String(format: "FAIL (rel %.1e)", r.relativeErrorVsScalar))].joined(separator: " "))
  }
}

import Foundation

// The last table of a run: one line per workload (Blockwise on all threads
// against the fastest other variant measured beside it), and the same as
// an SVG bar chart, written next to the JSON.

struct SummaryLine {
  let workload: String
  let blockwise: Row
  let peer: Row?
  /// peer time / Blockwise time (how many times faster Blockwise is).
  var ratio: Double? { peer.map { $0.medianSeconds / blockwise.medianSeconds } }
}

/// Per workload: the fastest Blockwise variant on all threads, and the
/// fastest variant that is not Blockwise (scalar loops, naive parallelism),
/// both on Double data: the peers compute in Double, so Float variants
/// (in the workload's own table) and references stay out of this line.
func summaryLines(_ rows: [Row], threads: Int) -> [SummaryLine] {
  var order: [String] = []
  var groups: [String: [Row]] = [:]
  for r in rows {
    if groups[r.workload] == nil { order.append(r.workload) }
    groups[r.workload, default: []].append(r)
  }
  return order.compactMap { w in
    let g = groups[w]!
    let double = g.filter { !$0.variant.contains("Float") }
    let ours = double.filter { $0.variant.hasPrefix("Blockwise") && $0.threads == threads }
    guard let best = ours.min(by: { $0.medianSeconds < $1.medianSeconds }) else { return nil }
    let peer = double.filter { !$0.variant.hasPrefix("Blockwise") && !$0.variant.hasPrefix("reference") }
      .min(by: { $0.medianSeconds < $1.medianSeconds })
    return SummaryLine(workload: w, blockwise: best, peer: peer)
  }
}

func printSummary(_ lines: [SummaryLine], machine: Machine) {
  print("\n## Summary (\(machine.cpu); kernels \(machine.isa); \(machine.threads) threads)")
  let header = ["workload", "Blockwise", "best peer", "peer time", "ratio", "path", "CPU"]
  var table: [[String]] = [header]
  for l in lines {
    table.append([
      String(l.workload.prefix(44)), formatSeconds(l.blockwise.medianSeconds),
      l.peer.map { String($0.variant.prefix(34)) } ?? "-", l.peer.map { formatSeconds($0.medianSeconds) } ?? "-",
      l.ratio.map { String(format: "%.1fx", $0) } ?? "-", machine.isa, String(machine.cpu.prefix(24)),
    ])
  }
  let widths = header.indices.map { c in table.map { $0[c].count }.max()! }
  for (k, row) in table.enumerated() {
    print(row.indices.map { c in row[c].padding(toLength: widths[c], withPad: " ", startingAt: 0) }.joined(separator: "  "))
    if k == 0 { print(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")) }
  }
}

/// A horizontal bar chart of the ratios (log scale), as SVG: no plotting
/// library needed.
func summaryChart(_ lines: [SummaryLine], machine: Machine) -> String {
  let rows = lines.filter { $0.ratio != nil }
  let barHeight = 22, left = 330, width = 900, top = 40
  let height = top + rows.count * barHeight + 30
  let maxLog = max(1, rows.map { log10(max($0.ratio!, 1)) }.max() ?? 1)
  func esc(_ s: String) -> String {
    s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
  }
  var svg = """
    <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" font-family="sans-serif" font-size="12">
    <text x="10" y="20" font-size="14">Blockwise vs the best other variant (times faster, log scale): \(esc(machine.cpu)), \(machine.isa), \(machine.threads) threads</text>

    """
  for (k, l) in rows.enumerated() {
    let y = top + k * barHeight
    let r = l.ratio!
    let w = Int(Double(width - left - 80) * log10(max(r, 1)) / maxLog)
    svg += "<text x=\"10\" y=\"\(y + 15)\">\(esc(String(l.workload.prefix(48))))</text>"
    svg += "<rect x=\"\(left)\" y=\"\(y + 4)\" width=\"\(max(w, 1))\" height=\"\(barHeight - 8)\" fill=\"#3b7dd8\"/>"
    svg += "<text x=\"\(left + max(w, 1) + 6)\" y=\"\(y + 15)\">\(String(format: "%.1fx", r))</text>\n"
  }
  return svg + "</svg>\n"
}

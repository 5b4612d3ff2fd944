// Blockwise's seed examples, one subcommand each (`swift run
// blockwise-examples <name>`, or `all`): the problems people met with
// multiprocessing, Ray and numpy, solved in one address space.
//
//   shared-arrays     seed 000: a big array shared by every worker, never copied
//   spline-stack      seed 001: 50 bilinear splines, sum of exp at many points
//   prefix-counts     seed 002: counts in per-worker state, merged after the job
//   per-worker-model  seed 003: an expensive object built once per worker
//   fused-pipeline    seed 004: ((x*x)*3)+1 in one pass, no temporaries
//
// Each prints what it computed and checks it against a plain serial loop;
// a mismatch exits non-zero.
import Blockwise
import Foundation

nonisolated(unsafe) var failures = 0
func check(_ ok: Bool, _ what: String) {
  print(ok ? "  ok: \(what)" : "  FAILED: \(what)")
  if !ok { failures += 1 }
}

let examples: [(String, () throws -> Void)] = [
  ("shared-arrays", sharedArrays),
  ("spline-stack", splineStack),
  ("prefix-counts", prefixCounts),
  ("per-worker-model", perWorkerModel),
  ("fused-pipeline", fusedPipeline),
]

let wanted = CommandLine.arguments.dropFirst().first ?? "all"
let chosen = examples.filter { wanted == "all" || $0.0 == wanted }
if chosen.isEmpty {
  print("usage: blockwise-examples [all | \(examples.map(\.0).joined(separator: " | "))]")
  exit(2)
}
print("Blockwise \(ComputePool.shared.threadCount) threads, kernels \(kernelISA)")
for (name, run) in chosen {
  print("\n== \(name)")
  do { try run() } catch {
    print("  FAILED: \(error)")
    failures += 1
  }
}
exit(failures == 0 ? 0 : 1)

import Blockwise

/// Seed 004: ((x*x)*3)+1 then a sum, over many arrays. numpy makes three
/// full-size temporaries per array; an Expression runs the whole formula
/// over one cache-sized chunk at a time, and its sum never stores a value.
func fusedPipeline() throws {
  let pipeline = try Blockwise.Expression<Double>("((x*x)*3)+1")
  var fused = 0.0, unfused = 0.0
  for k in 0..<20 {
    let x = try NDArray<Double>.uniform([500, 2000], in: -1..<1, seed: 100 + UInt64(k))
    fused += try pipeline.sum(["x": x])
    unfused += try ((x * x) * 3 + 1).sum()
  }
  print("  20 arrays of 500 x 2000: fused sum \(fused), unfused \(unfused)")
  print("  program:\n" + pipeline.program.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
  check(abs(fused - unfused) <= 1e-12 * abs(unfused), "the fused sum matches the unfused pipeline")
  let x = try NDArray<Double>.uniform([1000], in: -1..<1, seed: 7)
  check(try pipeline.evaluate(["x": x]) == (x * x) * 3 + 1, "evaluate gives numpy's values bit for bit")
}

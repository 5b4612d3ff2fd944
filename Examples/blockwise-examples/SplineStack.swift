import Blockwise
import Foundation

/// Seed 001: 50 bilinear splines on a 50x50 grid at many points, summing
/// exp of every value (scipy's RectBivariateSpline(kx=1, ky=1) semantics).
func splineStack() throws {
  let n = 50, g = 50, m = 100_000
  let axis = try NDArray<Double>.arange(stop: Double(g))
  let z = try NDArray<Double>.uniform([n, g, g], in: 0..<1, seed: 1)
  let x = try NDArray<Double>.uniform([m], in: 0..<Double(g - 1), seed: 2)
  let y = try NDArray<Double>.uniform([m], in: 0..<Double(g - 1), seed: 3)
  let stack = try BilinearSplineStack(x: axis, y: axis, values: z)
  let total = try stack.sumExp(x: x, y: y)
  print("  sum over \(n) splines x \(m) points of exp(f_k(x, y)) = \(total)")

  // A plain loop over the same points and splines.
  let zs = z.scalars, xs = x.scalars, ys = y.scalars
  var reference = 0.0
  for i in 0..<m {
    let cx = min(Int(xs[i]), g - 2), cy = min(Int(ys[i]), g - 2)
    let tx = xs[i] - Double(cx), ty = ys[i] - Double(cy)
    for k in 0..<n {
      let b = k * g * g
      let v = (1 - tx) * ((1 - ty) * zs[b + cx * g + cy] + ty * zs[b + cx * g + cy + 1])
        + tx * ((1 - ty) * zs[b + (cx + 1) * g + cy] + ty * zs[b + (cx + 1) * g + cy + 1])
      reference += exp(v)
    }
  }
  check(abs(total - reference) <= 1e-11 * reference, "the fused stack sum matches a scalar loop (\(reference))")
}

import Foundation

/// A plain bilinear spline evaluated one point at a time: what a careful
/// scalar implementation looks like. The baseline for W1.
public struct ScalarBilinear: Sendable {
  public let x: [Double], y: [Double]
  public let z: [Double]  // row-major [x.count, y.count]

  public init(x: [Double], y: [Double], z: [Double]) {
    precondition(z.count == x.count * y.count, "ScalarBilinear: z must have x.count * y.count values")
    self.x = x
    self.y = y
    self.z = z
  }

  /// Largest i <= count - 2 with knots[i] <= v (v already clamped).
  @inline(__always)
  static func cell(_ knots: [Double], _ v: Double) -> Int {
    var lo = 0, hi = knots.count - 2
    while lo < hi {
      let mid = (lo + hi + 1) >> 1
      if knots[mid] <= v { lo = mid } else { hi = mid - 1 }
    }
    return lo
  }

  /// The spline at (px, py), clamped to the grid like scipy; NaN gives NaN.
  @inline(__always)
  public func callAsFunction(_ px: Double, _ py: Double) -> Double {
    if px.isNaN || py.isNaN { return .nan }
    let cx = Swift.min(Swift.max(px, x[0]), x[x.count - 1])
    let cy = Swift.min(Swift.max(py, y[0]), y[y.count - 1])
    let i = Self.cell(x, cx), j = Self.cell(y, cy)
    let tx = (cx - x[i]) / (x[i + 1] - x[i]), ty = (cy - y[j]) / (y[j + 1] - y[j])
    let ny = y.count
    let z00 = z[i * ny + j], z01 = z[i * ny + j + 1], z10 = z[(i + 1) * ny + j], z11 = z[(i + 1) * ny + j + 1]
    return (1 - tx) * ((1 - ty) * z00 + ty * z01) + tx * ((1 - ty) * z10 + ty * z11)
  }
}

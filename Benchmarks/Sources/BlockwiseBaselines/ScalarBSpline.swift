import Foundation

/// A tensor-product B-spline evaluated one point at a time from its knots
/// and coefficients (Cox-de Boor recursion, as FITPACK's fpbspl, then the
/// (kx+1)(ky+1) window): what a careful scalar implementation looks like.
/// The baseline for W1-cubic; it shares no code with Blockwise's kernels,
/// only the fitted coefficients.
public struct ScalarBSpline: Sendable {
  public let tx: [Double], ty: [Double]
  public let kx: Int, ky: Int
  public let c: [Double]  // row-major [tx.count - kx - 1, ty.count - ky - 1]

  public init(tx: [Double], ty: [Double], kx: Int, ky: Int, c: [Double]) {
    precondition(c.count == (tx.count - kx - 1) * (ty.count - ky - 1), "ScalarBSpline: coefficient count")
    self.tx = tx
    self.ty = ty
    self.kx = kx
    self.ky = ky
    self.c = c
  }

  /// The interval l (k <= l < n - k - 1) with t[l] <= v < t[l + 1], the
  /// last one for v at the right end; v already clamped.
  @inline(__always)
  static func interval(_ t: [Double], _ k: Int, _ v: Double) -> Int {
    var lo = k, hi = t.count - k - 2
    while lo < hi {
      let mid = (lo + hi + 1) >> 1
      if t[mid] <= v { lo = mid } else { hi = mid - 1 }
    }
    return lo
  }

  /// The k + 1 non-zero B-splines at v into h (v in [t[l], t[l+1]]).
  @inline(__always)
  static func basis(_ t: [Double], _ k: Int, _ l: Int, _ v: Double, _ h: inout [Double], _ hh: inout [Double]) {
    h[0] = 1
    if k == 0 { return }
    for j in 1...k {
      for i in 0..<j { hh[i] = h[i] }
      h[0] = 0
      for i in 1...j {
        let li = t[l + i], lj = t[l + i - j]
        let f = hh[i - 1] / (li - lj)
        h[i - 1] += f * (li - v)
        h[i] = f * (v - lj)
      }
    }
  }

  /// The spline at (px, py), clamped to the knot box like FITPACK; NaN gives NaN.
  public func callAsFunction(_ px: Double, _ py: Double) -> Double {
    var w = Workspace(kx: kx, ky: ky)
    return value(px, py, &w)
  }

  /// Basis buffers reused from point to point (no allocation per point).
  public struct Workspace {
    var hx: [Double], hy: [Double], hh: [Double]
    public init(kx: Int, ky: Int) {
      hx = [Double](repeating: 0, count: kx + 1)
      hy = [Double](repeating: 0, count: ky + 1)
      hh = [Double](repeating: 0, count: Swift.max(kx, ky) + 1)
    }
  }

  @inline(__always)
  func value(_ px: Double, _ py: Double, _ w: inout Workspace) -> Double {
    if px.isNaN || py.isNaN { return .nan }
    let x = Swift.min(Swift.max(px, tx[kx]), tx[tx.count - kx - 1])
    let y = Swift.min(Swift.max(py, ty[ky]), ty[ty.count - ky - 1])
    let lx = Self.interval(tx, kx, x), ly = Self.interval(ty, ky, y)
    Self.basis(tx, kx, lx, x, &w.hx, &w.hh)
    Self.basis(ty, ky, ly, y, &w.hy, &w.hh)
    let ncy = ty.count - ky - 1
    var v = 0.0
    for i in 0...kx {
      var r = 0.0
      for j in 0...ky { r += w.hy[j] * c[(lx - kx + i) * ncy + ly - ky + j] }
      v += w.hx[i] * r
    }
    return v
  }
}

extension ScalarLoop {
  /// Sum over points and splines of exp(s(x, y)), one at a time.
  public static func splineSumExp(_ splines: [ScalarBSpline], x: [Double], y: [Double]) -> Double {
    guard let first = splines.first else { return 0 }
    var w = ScalarBSpline.Workspace(kx: first.kx, ky: first.ky)
    var total = 0.0
    for i in 0..<x.count {
      let px = x[i], py = y[i]
      for s in splines { total += Foundation.exp(s.value(px, py, &w)) }
    }
    return total
  }
}

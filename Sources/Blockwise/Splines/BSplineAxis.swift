internal import CBLAS
internal import CBlockwiseKernels

/// One axis of an interpolating tensor-product B-spline: FITPACK's knots
/// for `s = 0` over the data sites, the factorised collocation matrix that
/// maps values at the sites to coefficients, and the breakpoints prepared
/// for cell lookup by the C kernels.
///
/// Knots (scipy's `_not_a_knot`, what FITPACK's `fpcurf`/`fpgrre` place for
/// `s = 0`): the end sites repeated `k + 1` times; between them the sites
/// `x[(k+1)/2 ..< m - (k+1)/2]` for odd `k`, or the midpoints
/// `(x[j-1] + x[j]) / 2` for `j` in `k/2 + 1 ..< m - k/2` for even `k`.
/// That is `m + k + 1` knots and `m` coefficients, so collocation at the
/// sites is a square system, banded with `k` sub- and super-diagonals.
final class BSplineAxis: @unchecked Sendable {
  // @unchecked: immutable after init; the buffers are only read afterwards
  // (dgbtrs reads the factors and never writes them).
  /// The degree.
  let degree: Int
  /// The data sites (strictly increasing, finite), as Doubles.
  let sites: [Double]
  /// `sites.count + degree + 1` knots.
  let knots: UnsafeMutablePointer<Double>
  let knotCount: Int
  /// The distinct breakpoints `knots[degree ..< knotCount - degree]`.
  let breaks: SplineAxis
  /// The kernel's view of this axis (degree `degree`, every knot).
  let axis: UnsafeMutablePointer<bw_bspline_axis>
  /// Per breakpoint interval, the reciprocal knot spans of de Boor's
  /// recursion (`bw_bspline_axis.inv_span`).
  private let inverseSpans: UnsafeMutablePointer<Double>
  /// LU factors of the collocation matrix in LAPACK band storage
  /// (column-major, `2k + k + 1` rows per column) and their pivots.
  private let bands: UnsafeMutablePointer<Double>
  private let pivots: UnsafeMutablePointer<Int32>

  /// The number of coefficients (and of sites).
  var coefficientCount: Int { sites.count }

  /// - Throws: `.invalidArgument` for a degree outside 1...5, `.rankMismatch`,
  ///   `.tooFewKnots` when `values.count <= degree`, `.nonFinite`,
  ///   `.notStrictlyIncreasing`, `.singularMatrix` (not reachable for
  ///   strictly increasing sites: Schoenberg-Whitney holds for these knots).
  init(_ values: [Double], degree k: Int, name: String) throws {
    guard (1...Int(BW_BSPLINE_MAX_DEGREE)).contains(k) else {
      throw BlockwiseError.invalidArgument(
        name: "degree.\(name)", expected: "a degree in 1...\(BW_BSPLINE_MAX_DEGREE)", got: "\(k)")
    }
    guard values.count > k else {
      throw BlockwiseError.tooFewKnots(axis: name, minimum: k + 1, got: values.count)
    }
    // Finite, strictly increasing sites: the same checks (and messages) as
    // the bilinear splines' knots.
    _ = try SplineAxis(values, name: name)
    let m = values.count
    degree = k
    sites = values
    knotCount = m + k + 1
    knots = .allocate(capacity: knotCount)
    for i in 0...k {
      knots[i] = values[0]
      knots[knotCount - 1 - i] = values[m - 1]
    }
    let interior = m - k - 1
    for j in 0..<interior {
      knots[k + 1 + j] =
        k % 2 == 1
        ? values[(k + 1) / 2 + j]
        : (values[k / 2 + j] + values[k / 2 + j + 1]) / 2
    }
    breaks = try SplineAxis(Array(UnsafeBufferPointer(start: knots + k, count: knotCount - 2 * k)), name: name)
    let cells = knotCount - 2 * k - 1, per = k * (k + 1) / 2
    inverseSpans = .allocate(capacity: Swift.max(cells * per, 1))
    for c in 0..<cells {
      let l = c + k
      var e = 0
      for j in 1...k {
        for i in 1...j {
          inverseSpans[c * per + e] = 1 / (knots[l + i] - knots[l + i - j])
          e += 1
        }
      }
    }
    axis = .allocate(capacity: 1)
    axis.initialize(
      to: bw_bspline_axis(t: knots, n: knotCount, k: Int32(k), breaks: breaks.axis, inv_span: inverseSpans))

    // Collocation: row i holds the k + 1 B-splines non-zero at site i.
    let ldab = 3 * k + 1
    bands = .allocate(capacity: ldab * m)
    bands.initialize(repeating: 0, count: ldab * m)
    pivots = .allocate(capacity: m)
    var h = [Double](repeating: 0, count: k + 1)
    for i in 0..<m {
      let first = h.withUnsafeMutableBufferPointer { bw_bspline_basis(axis, values[i], $0.baseAddress!) }
      for j in 0...k {
        let col = first + j
        // Band storage: A[i][col] at row kl + ku + i - col of column col.
        if h[j] != 0 { bands[2 * k + i - col + col * ldab] = h[j] }
      }
    }
    let info = LAPACKE_dgbtrf(LAPACK_COL_MAJOR, Int32(m), Int32(m), Int32(k), Int32(k), bands, Int32(ldab), pivots)
    if info > 0 {
      throw BlockwiseError.singularMatrix(pivot: Int(info) - 1)
    } else if info < 0 {
      throw BlockwiseError.lapackFailure(routine: "dgbtrf", info: Int(info))
    }
  }

  deinit {
    knots.deallocate()
    inverseSpans.deallocate()
    axis.deallocate()
    bands.deallocate()
    pivots.deallocate()
  }

  /// Solves the collocation system for `columns` right-hand sides stored
  /// one after another (each `coefficientCount` long), in place.
  func solve(_ b: UnsafeMutablePointer<Double>, columns: Int) {
    let m = coefficientCount, k = degree
    guard columns > 0 else { return }
    // Column counts beyond Int32 in one call: split.
    let step = Int(Int32.max) / Swift.max(m, 1)
    var done = 0
    while done < columns {
      let c = Swift.min(step, columns - done)
      let info = LAPACKE_dgbtrs(
        LAPACK_COL_MAJOR, Int8(UInt8(ascii: "N")), Int32(m), Int32(k), Int32(k), Int32(c), bands,
        Int32(3 * k + 1), pivots, b + done * m, Int32(m))
      // dgbtrs fails only on malformed arguments, which init rules out.
      require(info == 0, "LAPACKE_dgbtrs: info \(info)")
      done += c
    }
  }

  /// The axis of the `order`-th derivative: knots `order ..< n - order`,
  /// degree `degree - order`, the same breakpoints.
  func derivativeAxis(order: Int) -> bw_bspline_axis {
    // The reciprocal table is for the full degree; derivative axes divide.
    order == 0
      ? axis.pointee
      : bw_bspline_axis(
        t: knots + order, n: knotCount - 2 * order, k: Int32(degree - order), breaks: breaks.axis, inv_span: nil)
  }

  /// Coefficients of the `order`-th derivative along this axis of a
  /// coefficient array with `inner` values per coefficient of this axis
  /// (`c[i * inner + j]`), FITPACK's `fpbspl`-style differencing:
  /// `c'_i = (k - r + 1) (c_{i+1} - c_i) / (t_{i+k+1} - t_{i+r})` at step r.
  func differentiate(_ c: [Double], inner: Int, order: Int) -> [Double] {
    var cur = c
    var count = coefficientCount
    let k = degree
    for r in stride(from: 1, through: order, by: 1) {
      var next = [Double](repeating: 0, count: (count - 1) * inner)
      let factor = Double(k - r + 1)
      for i in 0..<(count - 1) {
        let d = factor / (knots[i + k + 1] - knots[i + r])
        for j in 0..<inner { next[i * inner + j] = d * (cur[(i + 1) * inner + j] - cur[i * inner + j]) }
      }
      cur = next
      count -= 1
    }
    return cur
  }

  /// `∫ B_i` over `lo...hi` (clamped to the axis) for every coefficient i:
  /// three-point Gauss-Legendre on each breakpoint interval, exact for the
  /// polynomial pieces of degree at most 5 up to rounding.
  func basisIntegrals(from lo: Double, to hi: Double) -> [Double] {
    var result = [Double](repeating: 0, count: coefficientCount)
    let b = breaks.values
    let a = Swift.max(lo, b[0]), z = Swift.min(hi, b[b.count - 1])
    guard a < z else { return result }
    let node = (3.0 / 5.0).squareRoot()
    var h = [Double](repeating: 0, count: degree + 1)
    for l in 0..<(b.count - 1) {
      let left = Swift.max(a, b[l]), right = Swift.min(z, b[l + 1])
      guard left < right else { continue }
      let mid = (left + right) / 2, half = (right - left) / 2
      for (u, w) in [(-node, 5.0 / 9.0), (0.0, 8.0 / 9.0), (node, 5.0 / 9.0)] {
        let x = mid + u * half
        let first = h.withUnsafeMutableBufferPointer { bw_bspline_basis(axis, x, $0.baseAddress!) }
        for j in 0...degree { result[first + j] += w * half * h[j] }
      }
    }
    return result
  }
}

/// Fits the coefficients of `count` splines on one grid: `z` holds their
/// values `[count][mx][my]`, overwritten by the coefficients `[count][mx][my]`
/// of `C = Ax^-1 Z Ay^-T`.
///
/// The y solve takes every row of every spline as one right-hand side (the
/// row-major rows are already LAPACK's columns); the x solve runs on each
/// spline's transpose. One factorisation per axis serves all splines.
func fitCoefficients(_ z: inout [Double], count: Int, x ax: BSplineAxis, y ay: BSplineAxis) {
  let mx = ax.coefficientCount, my = ay.coefficientCount
  z.withUnsafeMutableBufferPointer { zb in
    let base = zb.baseAddress!
    ay.solve(base, columns: count * mx)
    var t = [Double](repeating: 0, count: mx * my)
    t.withUnsafeMutableBufferPointer { tb in
      let tp = tb.baseAddress!
      for s in 0..<count {
        let zs = base + s * mx * my
        for i in 0..<mx { for j in 0..<my { tp[j * mx + i] = zs[i * my + j] } }
        ax.solve(tp, columns: my)
        for i in 0..<mx { for j in 0..<my { zs[i * my + j] = tp[j * mx + i] } }
      }
    }
  }
}

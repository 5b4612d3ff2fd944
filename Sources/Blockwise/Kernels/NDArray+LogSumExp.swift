internal import CBlockwiseKernels

extension NDArray {
  /// log(sum(exp(x))) over `n >= 1` elements at `p`, with the special
  /// cases of `logSumExp()`, in Double.
  static func logSumExpRun(_ p: UnsafePointer<Element>, _ n: Int) -> Double {
    let x = SendablePointer(p)
    return leafLogSumExp(count: n, leaf: BlockPolicy.reductionLeaf, bytesPerElement: MemoryLayout<Element>.stride) { r in
      var m = 0.0
      let s = Element._bwLogSumExpLeaf(x.reading(at: r.lowerBound), r.count, &m)
      return LogSumExpPartial(max: m, sum: s)
    }.value
  }

  /// `log(sum(exp(x)))`, computed stably.
  ///
  /// Never overflows for finite input. Returns -inf for an empty array or
  /// one whose elements are all -inf, +inf if any element is +inf, and NaN
  /// if any element is NaN.
  ///
  /// One pass over memory: each leaf of 4096 elements gives a shift `m`
  /// (its maximum, or within 64 below it: the shift follows the running
  /// maximum and moves only by more than 64) and `s = sum(exp(x - m))`;
  /// leaves combine pairwise, in index order, as
  /// `(M, s1 exp(m1 - M) + s2 exp(m2 - M))` with `M = max(m1, m2)`, and the
  /// result is `M + log(S)`. Identical for any thread count.
  ///
  /// ```swift
  /// NDArray<Double>([1000, 1000]).logSumExp()  // 1000.6931471805599
  /// ```
  /// - Complexity: O(n), parallel, one read of the array.
  /// - Error bound: absolute error at most about 2 ulp of the result plus
  ///   (n-dependent) 1e-15 for Double; Float is computed in Double and
  ///   rounded once (within 1 ulp).
  public func logSumExp() -> Element {
    withUnsafeBufferPointer { b in
      guard let p = b.baseAddress, b.count > 0 else { return -.infinity }
      return Element(Self.logSumExpRun(p, b.count))
    }
  }
}

/// A partial log-sum-exp: `sum` is the sum of `exp(x - max)` over a range,
/// `max` a shift at or below the range's maximum.
struct LogSumExpPartial: Sendable {
  var max: Double
  var sum: Double

  /// Both ranges together, rescaled to the larger shift (`bw_lse_combine`,
  /// shared with the expression kernels).
  static func combine(_ a: Self, _ b: Self) -> Self {
    var c = Self(max: 0, sum: 0)
    bw_lse_combine(a.max, a.sum, b.max, b.sum, &c.max, &c.sum)
    return c
  }

  /// Pairwise combination in index order (a fixed tree for a given count).
  static func pairwise(_ p: UnsafeBufferPointer<Self>) -> Self {
    if p.count == 1 { return p[0] }
    let half = p.count / 2
    return combine(
      pairwise(UnsafeBufferPointer(rebasing: p[0..<half])),
      pairwise(UnsafeBufferPointer(rebasing: p[half...])))
  }

  /// `max + log(sum)`, with NaN, +inf and all -inf carried through.
  var value: Double {
    if max.isNaN || sum.isNaN { return .nan }
    if max == .infinity { return .infinity }
    if max == -.infinity { return -.infinity }
    return max + libmLog(sum)
  }
}

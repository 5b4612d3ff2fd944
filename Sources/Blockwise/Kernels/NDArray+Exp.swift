extension NDArray {
  /// Elementwise exponential, in a new array.
  ///
  /// Vectorised (AVX2+FMA when the CPU has it, else portable C) and run in
  /// L2-sized blocks over the pool.
  ///
  /// ```swift
  /// NDArray<Double>([0, 1]).exp().scalars  // [1.0, 2.718281828459045]
  /// ```
  /// - Returns: An array of the same shape with `exp(x)` for each `x`.
  /// - Complexity: O(n).
  /// - Error bound: at most 1 ulp from the correctly rounded result over the
  ///   whole domain. Measured against `expl` (`make exp-accuracy`, 4x10^6
  ///   arguments per range): Double 0.70 ulp worst in [-708, 708] on the
  ///   AVX2 path, 0.66 on the portable one, 0.56 ulp where the result is
  ///   subnormal. Float computes in float lanes: 0.90 ulp worst over every
  ///   float in [-104, 89] on each path (`make expf-exhaustive`). NaN stays
  ///   NaN, exp(+inf) = +inf, exp(-inf) = 0, overflow gives +inf, underflow
  ///   rounds to subnormals or 0.
  public func exp() -> NDArray {
    streamed(to: Element.self) { Element._bwExp($0, $1, $2) }
  }

  /// Writes `exp(x)` of every element into `output`, which must have the
  /// same shape; no allocation when `output` is uniquely owned (like
  /// numpy's `out=`). Same error bound as `exp()`.
  ///
  /// ```swift
  /// var y = try NDArray<Double>.zeros(x.shape)
  /// try x.exp(into: &y)
  /// ```
  /// - Throws: `BlockwiseError.shapeMismatch` when the shapes differ; `output`
  ///   is unchanged then.
  /// - Complexity: O(n), parallel.
  public func exp(into output: inout NDArray) throws {
    try streamed(into: &output) { Element._bwExp($0, $1, $2) }
  }

  /// Replaces every element by its exponential, in place (copying first
  /// only when the storage is shared). Same error bound as `exp()`.
  ///
  /// - Complexity: O(n), parallel.
  public mutating func formExp() {
    formStreamed { Element._bwExp($0, $1, $2) }
  }

  /// The sum of `exp(x - shift)` over `n` elements at `p`, fused, in
  /// leaves of `BlockPolicy.reductionLeaf` added pairwise.
  static func sumExpRun(_ p: UnsafePointer<Element>, _ n: Int, shift: Double) -> Double {
    let x = SendablePointer(p)
    return leafSum(count: n, leaf: BlockPolicy.reductionLeaf, bytesPerElement: MemoryLayout<Element>.stride) {
      r in Element._bwSumExp(x.reading(at: r.lowerBound), r.count, shift)
    }
  }

  /// The sum of `exp(x)` over all elements, fused: no temporary array.
  ///
  /// Leaves of 4096 elements, each summed in vector lanes, leaf sums added
  /// pairwise; identical for any thread count. Float arrays compute exp in
  /// float lanes (within 1 ulp) and the sum in Double, and round once.
  ///
  /// ```swift
  /// NDArray<Double>([0, 0]).sumExp()  // 2
  /// ```
  /// - Returns: The sum; 0 for an empty array, +inf when it overflows.
  /// - Complexity: O(n), parallel.
  /// - Error bound: relative error at most (4096 / L + 1 + ⌈log2(n / 4096)⌉) u
  ///   of the exact sum of the computed exps, each within 1 ulp, with L the
  ///   path's double lanes: 1025 + ⌈log2(n / 4096)⌉ on the AVX2 and generic
  ///   paths (L = 4), 513 on AVX-512, 2049 on NEON; all terms are positive,
  ///   so there is no cancellation. u = 2^-53. Derived from the code: a
  ///   leaf's 4096 terms go into one L-lane accumulator (4096 / L - 1
  ///   additions per lane, log2 L to join the lanes), leaves are added
  ///   pairwise; Float arrays use two double accumulators per float vector
  ///   (the same count per lane). `ErrorBoundTests` checks it with equal
  ///   terms in the longest accumulators.
  public func sumExp() -> Element {
    withUnsafeBufferPointer { b in
      guard let p = b.baseAddress else { return 0 }
      return Element(Self.sumExpRun(p, b.count, shift: 0))
    }
  }
}

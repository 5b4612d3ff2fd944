// What every stack of splines does the same way around its kernel: check
// the points and the output's shape, allocate the [n, m] result of the
// allocating form. The blocks, leaves and partials are the shared
// drivers of SplineAxis.swift and Runtime/ (forEachPointBlock, leafSum,
// leafSumPartials); each stack type supplies only its kernel calls.

protocol SplineStackDriver {
  associatedtype Element: NDArrayScalar
  /// The number of splines.
  var count: Int { get }
  func evaluate(x xi: NDArray<Element>, y yi: NDArray<Element>, into out: inout NDArray<Element>) throws
}

extension SplineStackDriver {
  /// `evaluate(x:y:into:)` into a new `[count, m]` array.
  func evaluatedArray(x xi: NDArray<Element>, y yi: NDArray<Element>) throws -> NDArray<Element> {
    let m = try checkPoints(xi, yi)
    var out = NDArray<Element>(uninitializedShape: [count, m], count: count * m)
    try evaluate(x: xi, y: yi, into: &out)
    return out
  }

  /// The point count for `evaluate(x:y:into:)`, after its checks; nil when
  /// there is nothing to compute (no points or no splines).
  /// - Throws: As `checkPoints`, and `BlockwiseError.shapeMismatch` unless
  ///   `out` has shape `[count, m]`.
  func evaluationCount(x xi: NDArray<Element>, y yi: NDArray<Element>, out: NDArray<Element>) throws -> Int? {
    let m = try checkPoints(xi, yi)
    guard out.shape == [count, m] else { throw BlockwiseError.shapeMismatch(expected: [count, m], got: out.shape) }
    return m > 0 && count > 0 ? m : nil
  }
}

extension BilinearSplineStack: SplineStackDriver {}
extension BivariateSplineStack: SplineStackDriver {}

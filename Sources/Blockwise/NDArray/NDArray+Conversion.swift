// Element-type conversions (numpy's astype) and copies.

extension NDArray {
  /// An array of another element type with the same shape and values,
  /// as numpy's `astype`.
  ///
  /// Double to Float rounds to nearest (ties to even); values beyond
  /// Float's range become infinities, values below its subnormal range
  /// become zeros of the same sign; NaN stays NaN. Float to Double is exact.
  /// The same element type shares the storage (no copy).
  ///
  /// ```swift
  /// let d = NDArray<Double>([0.1, 1e300, .nan])
  /// let f = NDArray<Float>(converting: d)   // [0.1, inf, nan] as Float
  /// ```
  /// - Complexity: O(n), vectorised and parallel over L2-sized blocks.
  public init<Source: NDArrayScalar>(converting source: NDArray<Source>) {
    if let same = source as? NDArray<Element> {
      self = same
      return
    }
    if Element.self == Double.self {
      // Source is Float: widen.
      self = source.streamed(to: Element.self) { src, dst, n in
        Source._bwWiden(src, UnsafeMutableRawPointer(dst).assumingMemoryBound(to: Double.self), n)
      }
    } else {
      // Source is Double, Element is Float: round.
      self = source.streamed(to: Element.self) { src, dst, n in
        Element._bwNarrow(UnsafeRawPointer(src).assumingMemoryBound(to: Double.self), dst, n)
      }
    }
  }

  /// This array converted to `type` (see `init(converting:)`).
  ///
  /// ```swift
  /// let f = NDArray<Double>([1, 2]).converted(to: Float.self)
  /// ```
  /// - Complexity: O(n), parallel; no copy when `type` is `Element`.
  public func converted<T: NDArrayScalar>(to type: T.Type) -> NDArray<T> {
    NDArray<T>(converting: self)
  }

  /// A copy with its own storage.
  ///
  /// - Complexity: O(n), parallel.
  public func copy() -> NDArray {
    streamed(to: Element.self) { src, dst, n in dst.initialize(from: src, count: n) }
  }
}

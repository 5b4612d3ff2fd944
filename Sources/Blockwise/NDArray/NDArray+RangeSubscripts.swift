// numpy's basic slicing as subscripts: `a[2..<5]`, `a[1, 0..<3]`,
// `a[.all, 1]`, `a[..<2, 1...]`. Each argument takes one axis, in order
// (missing trailing axes are whole): an Int picks one position and drops
// the axis, a range keeps it. The result shares the storage (a view, no
// copy) when the selected elements are contiguous in row-major order, as
// every selection of leading axes is; a selection that cuts an inner axis
// (`a[.all, 1]`) is one contiguous copy, made by one parallel pass.

/// One axis of a range subscript: a position (`2`), a range (`1..<3`,
/// `1...2`, `..<2`, `2...`) or the whole axis (`.all`).
public protocol NDArrayAxisSelection: Sendable {
  /// The positions selected along an axis of `extent` positions, and
  /// whether the axis is kept (a range) or dropped (a position); nil when
  /// out of bounds.
  func selection(in extent: Int) -> (range: Range<Int>, keepsAxis: Bool)?
}

/// The whole of an axis, as numpy's `:`.
public struct NDArrayAllPositions: NDArrayAxisSelection {
  /// The whole axis (spelled `.all` in a subscript).
  public init() {}
  /// Every position of the axis; the axis is kept.
  public func selection(in extent: Int) -> (range: Range<Int>, keepsAxis: Bool)? { (0..<extent, true) }
}

extension NDArrayAxisSelection where Self == NDArrayAllPositions {
  /// The whole axis: `a[.all, 1]` is numpy's `a[:, 1]`.
  public static var all: NDArrayAllPositions { NDArrayAllPositions() }
}

extension Int: NDArrayAxisSelection {
  /// One position (negative counts from the end, as numpy's); the axis is dropped.
  public func selection(in extent: Int) -> (range: Range<Int>, keepsAxis: Bool)? {
    let i = self < 0 ? self + extent : self
    return i >= 0 && i < extent ? (i..<(i + 1), false) : nil
  }
}

extension Range: NDArrayAxisSelection where Bound == Int {
  /// The positions of the range (within `0 ... extent`); the axis is kept.
  public func selection(in extent: Int) -> (range: Range<Int>, keepsAxis: Bool)? {
    lowerBound >= 0 && upperBound <= extent ? (self, true) : nil
  }
}

extension ClosedRange: NDArrayAxisSelection where Bound == Int {
  /// The positions of the range (within `0 ..< extent`); the axis is kept.
  public func selection(in extent: Int) -> (range: Range<Int>, keepsAxis: Bool)? {
    lowerBound >= 0 && upperBound < extent ? (lowerBound..<(upperBound + 1), true) : nil
  }
}

extension PartialRangeUpTo: NDArrayAxisSelection where Bound == Int {
  /// Positions `0 ..< upperBound`; the axis is kept.
  public func selection(in extent: Int) -> (range: Range<Int>, keepsAxis: Bool)? {
    upperBound >= 0 && upperBound <= extent ? (0..<upperBound, true) : nil
  }
}

extension PartialRangeThrough: NDArrayAxisSelection where Bound == Int {
  /// Positions `0 ... upperBound`; the axis is kept.
  public func selection(in extent: Int) -> (range: Range<Int>, keepsAxis: Bool)? {
    upperBound >= 0 && upperBound < extent ? (0..<(upperBound + 1), true) : nil
  }
}

extension PartialRangeFrom: NDArrayAxisSelection where Bound == Int {
  /// Positions `lowerBound ..< extent`; the axis is kept.
  public func selection(in extent: Int) -> (range: Range<Int>, keepsAxis: Bool)? {
    lowerBound >= 0 && lowerBound <= extent ? (lowerBound..<extent, true) : nil
  }
}

extension NDArray {
  // Generic in its first selection, so that a subscript of Ints alone
  // (`a[1, 2]`) is the element subscript: Swift prefers the non-generic one.

  /// numpy's basic slicing: one selection per leading axis (positions,
  /// ranges, `.all`), the rest whole.
  ///
  /// ```swift
  /// let m = try NDArray<Double>((0..<12).map(Double.init), shape: [3, 4])
  /// m[1..<3]        // rows 1 and 2: a [2, 4] view
  /// m[1, 0..<3]     // [4, 5, 6]: a view
  /// m[.all, 1]      // [1, 5, 9]: a copy (a column is not contiguous)
  /// m[2, 3]         // 11.0 (all positions: the element subscript)
  /// ```
  /// - Returns: A view sharing the storage when the selection is
  ///   contiguous in row-major order, else a contiguous copy.
  /// - Precondition: at most `rank` selections, each within its axis;
  ///   otherwise the program stops with a message naming the axis, the
  ///   selection and the shape (as an index out of range does), in every
  ///   build. `slice(axis:_:)` throws instead.
  /// - Complexity: O(rank) for a view; O(result count) for a copy.
  public subscript<First: NDArrayAxisSelection>(_ first: First, _ rest: any NDArrayAxisSelection...) -> NDArray {
    select([first] + rest)
  }

  /// The selection behind the range subscript.
  func select(_ selections: [any NDArrayAxisSelection]) -> NDArray {
    require(selections.count <= rank,
            "NDArray subscript: \(selections.count) selections for an array of rank \(rank) (shape \(shape))")
    var result = self
    var keptShape: [Int] = []
    // Narrow each axis in turn (a view or one copy per inner cut), then
    // drop the axes that took a single position.
    for (axis, s) in selections.enumerated() {
      guard let (range, keeps) = s.selection(in: shape[axis]) else {
        blockwiseTrap("NDArray subscript: \(s) out of range 0..<\(shape[axis]) on axis \(axis) of shape \(shape)")
      }
      if range != 0..<shape[axis] {
        do { result = try result.slice(axis: axis, range) } catch { blockwiseTrap("\(error)") }
      }
      if keeps { keptShape.append(range.count) }
    }
    keptShape += shape.dropFirst(selections.count)
    guard keptShape != result.shape else { return result }
    return NDArray(storage: result.storage, offset: result.offset, shape: keptShape, count: result.count)
  }
}

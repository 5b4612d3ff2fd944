// Elementwise arithmetic with numpy's broadcasting. Every operator is one
// pass of `bw_binary2d` per L2-sized block; in-place forms write into the
// left operand with no temporary.

extension NDArray {
  /// `lhs op rhs` under broadcasting, in a new array.
  static func binary(_ op: BinaryOp, _ lhs: NDArray, _ rhs: NDArray) throws -> NDArray {
    let plan = try BroadcastPlan(lhs.shape, rhs.shape)
    let out = try NDArray(validatedShape: plan.shape)
    lhs.withUnsafeBufferPointer { a in
      rhs.withUnsafeBufferPointer { b in
        guard let pa = a.baseAddress, let pb = b.baseAddress else { return }
        plan.run(op, pa, pb, out.storage.base)
      }
    }
    return out
  }

  /// `array op scalar` (or `scalar op array`), in a new array.
  static func binary(_ op: BinaryOp, _ array: NDArray, _ s: Element, scalarOnLeft: Bool) -> NDArray {
    // A scalar is a rank-0 operand: it broadcasts against any shape.
    let plan = BroadcastPlan(flat: array.shape, count: array.count, scalarOnLeft: scalarOnLeft)
    let out = NDArray(uninitializedShape: array.shape, count: array.count)
    withUnsafePointer(to: s) { ps in
      array.withUnsafeBufferPointer { a in
        guard let pa = a.baseAddress else { return }
        if scalarOnLeft { plan.run(op, ps, pa, out.storage.base) } else { plan.run(op, pa, ps, out.storage.base) }
      }
    }
    return out
  }

  /// `self op= rhs` in place. The result must have `self`'s shape.
  ///
  /// `rhs` is consumed: when it is `self` itself (`a *= a`) its reference
  /// is dropped before the write, so a uniquely owned `self` is updated in
  /// its own buffer instead of being copied. A different array that shares
  /// `self`'s buffer keeps its values (copy-on-write copies `self` first).
  mutating func formBinary(_ op: BinaryOp, _ rhs: consuming NDArray) throws {
    if rhs.storage === storage && rhs.offset == offset && rhs.shape == shape {
      _ = consume rhs
      makeUnique()
      let plan = BroadcastPlan(flat: shape, count: count)
      let p = basePointer
      withExtendedLifetime(storage) { plan.run(op, UnsafePointer(p), UnsafePointer(p), p) }
      return
    }
    let plan = try BroadcastPlan(shape, rhs.shape)
    guard plan.shape == shape else {
      throw BlockwiseError.shapeMismatch(expected: shape, got: rhs.shape)
    }
    makeUnique()
    let y = basePointer
    withExtendedLifetime(storage) {
      rhs.withUnsafeBufferPointer { b in
        guard let pb = b.baseAddress else { return }
        plan.run(op, UnsafePointer(y), pb, y)
      }
    }
  }

  mutating func formBinary(_ op: BinaryOp, _ s: Element) {
    let plan = BroadcastPlan(flat: shape, count: count, scalarOnLeft: false)
    makeUnique()
    let y = basePointer
    withExtendedLifetime(storage) {
      withUnsafePointer(to: s) { ps in plan.run(op, UnsafePointer(y), ps, y) }
    }
  }

  // MARK: - Array with array

  /// Elementwise sum with numpy's broadcasting.
  ///
  /// Shapes align at their trailing dimensions and an extent of 1
  /// stretches: `[2, 3] + [3]` adds the row to each row, `[2, 1] + [1, 3]`
  /// gives `[2, 3]`. A broadcast operand is read in place, never copied.
  ///
  /// ```swift
  /// let m = try NDArray<Double>([1, 2, 3, 4, 5, 6], shape: [2, 3])
  /// let r = try m + NDArray([10, 20, 30])   // [[11, 22, 33], [14, 25, 36]]
  /// ```
  /// - Returns: An array of the broadcast shape; each element is one IEEE
  ///   addition (exact to the last bit, as numpy).
  /// - Throws: `BlockwiseError.shapeMismatch` naming both shapes when they
  ///   do not broadcast.
  /// - Complexity: O(result count), parallel over L2-sized blocks.
  public static func + (lhs: NDArray, rhs: NDArray) throws -> NDArray { try binary(.add, lhs, rhs) }
  /// Elementwise difference with numpy's broadcasting (see `+`).
  /// - Throws: `BlockwiseError.shapeMismatch` when the shapes do not broadcast.
  public static func - (lhs: NDArray, rhs: NDArray) throws -> NDArray {
    try binary(.subtract, lhs, rhs)
  }
  /// Elementwise product with numpy's broadcasting (see `+`).
  /// - Throws: `BlockwiseError.shapeMismatch` when the shapes do not broadcast.
  public static func * (lhs: NDArray, rhs: NDArray) throws -> NDArray {
    try binary(.multiply, lhs, rhs)
  }
  /// Elementwise quotient with numpy's broadcasting (IEEE: x/0 is ±inf or NaN).
  /// - Throws: `BlockwiseError.shapeMismatch` when the shapes do not broadcast.
  public static func / (lhs: NDArray, rhs: NDArray) throws -> NDArray {
    try binary(.divide, lhs, rhs)
  }

  /// In-place elementwise sum: `rhs` broadcasts to `lhs`'s shape.
  ///
  /// Writes `lhs`'s own buffer when it is uniquely owned, also when `rhs`
  /// is `lhs` itself (`a += a`: no copy).
  /// - Throws: `BlockwiseError.shapeMismatch` when `rhs` does not broadcast
  ///   to `lhs`'s shape; `lhs` is unchanged then.
  /// - Complexity: O(n), parallel.
  public static func += (lhs: inout NDArray, rhs: consuming NDArray) throws {
    try lhs.formBinary(.add, consume rhs)
  }
  /// In-place elementwise difference (see `+=`).
  /// - Throws: `BlockwiseError.shapeMismatch`; `lhs` is unchanged then.
  public static func -= (lhs: inout NDArray, rhs: consuming NDArray) throws {
    try lhs.formBinary(.subtract, consume rhs)
  }
  /// In-place elementwise product (see `+=`); `a *= a` squares in place.
  /// - Throws: `BlockwiseError.shapeMismatch`; `lhs` is unchanged then.
  public static func *= (lhs: inout NDArray, rhs: consuming NDArray) throws {
    try lhs.formBinary(.multiply, consume rhs)
  }
  /// In-place elementwise quotient (see `+=`).
  /// - Throws: `BlockwiseError.shapeMismatch`; `lhs` is unchanged then.
  public static func /= (lhs: inout NDArray, rhs: consuming NDArray) throws {
    try lhs.formBinary(.divide, consume rhs)
  }

  // MARK: - Array with scalar

  /// Adds `rhs` to every element. - Complexity: O(n), parallel.
  public static func + (lhs: NDArray, rhs: Element) -> NDArray {
    binary(.add, lhs, rhs, scalarOnLeft: false)
  }
  /// Adds `lhs` to every element. - Complexity: O(n), parallel.
  public static func + (lhs: Element, rhs: NDArray) -> NDArray {
    binary(.add, rhs, lhs, scalarOnLeft: true)
  }
  /// Subtracts `rhs` from every element. - Complexity: O(n), parallel.
  public static func - (lhs: NDArray, rhs: Element) -> NDArray {
    binary(.subtract, lhs, rhs, scalarOnLeft: false)
  }
  /// `lhs - x` for every element `x`. - Complexity: O(n), parallel.
  public static func - (lhs: Element, rhs: NDArray) -> NDArray {
    binary(.subtract, rhs, lhs, scalarOnLeft: true)
  }
  /// Multiplies every element by `rhs`. - Complexity: O(n), parallel.
  public static func * (lhs: NDArray, rhs: Element) -> NDArray {
    binary(.multiply, lhs, rhs, scalarOnLeft: false)
  }
  /// Multiplies every element by `lhs`. - Complexity: O(n), parallel.
  public static func * (lhs: Element, rhs: NDArray) -> NDArray {
    binary(.multiply, rhs, lhs, scalarOnLeft: true)
  }
  /// Divides every element by `rhs` (a true division, never `* (1/rhs)`).
  public static func / (lhs: NDArray, rhs: Element) -> NDArray {
    binary(.divide, lhs, rhs, scalarOnLeft: false)
  }
  /// `lhs / x` for every element `x`. - Complexity: O(n), parallel.
  public static func / (lhs: Element, rhs: NDArray) -> NDArray {
    binary(.divide, rhs, lhs, scalarOnLeft: true)
  }
  /// Adds `rhs` to every element in place.
  public static func += (lhs: inout NDArray, rhs: Element) { lhs.formBinary(.add, rhs) }
  /// Subtracts `rhs` from every element in place.
  public static func -= (lhs: inout NDArray, rhs: Element) { lhs.formBinary(.subtract, rhs) }
  /// Multiplies every element by `rhs` in place.
  public static func *= (lhs: inout NDArray, rhs: Element) { lhs.formBinary(.multiply, rhs) }
  /// Divides every element by `rhs` in place.
  public static func /= (lhs: inout NDArray, rhs: Element) { lhs.formBinary(.divide, rhs) }

  // MARK: - map

  /// A new array of the same shape with `transform` applied to each element.
  ///
  /// Runs on the calling thread: `transform` is an arbitrary closure. For
  /// bulk math prefer the operators, kernels and `Expression`, which are
  /// vectorised and parallel.
  /// - Complexity: O(n).
  public func map(_ transform: (Element) throws -> Element) rethrows -> NDArray {
    let out = NDArray(uninitializedShape: shape, count: count)
    try withUnsafeBufferPointer { src in
      for i in 0..<src.count { (out.storage.base + i).initialize(to: try transform(src[i])) }
    }
    return out
  }
}

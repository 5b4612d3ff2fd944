// Arrays made from a shape and a rule: constants, ranges, seeded random
// values. Every one validates its shape and counts and throws
// BlockwiseError for a bad one.

extension NDArray {
  /// An array of the given shape filled with `value`, in parallel blocks.
  static func filled(_ shape: [Int], with value: Element) throws -> NDArray {
    let out = try NDArray(validatedShape: shape)
    let p = SendablePointer(out.storage.base)
    ComputePool.shared.forEachBlock(count: out.count, blockLength: streamingBlock(inputs: 0)) { r in
      Element._bwFill(p.advanced(by: r.lowerBound), value, r.count)
    }
    return out
  }

  /// An array of zeros.
  ///
  /// ```swift
  /// let z = try NDArray<Double>.zeros([2, 3])
  /// ```
  /// - Throws: `BlockwiseError.negativeDimension` for a negative dimension,
  ///   `.invalidArgument` for a count that overflows, `.allocationFailed`.
  /// - Complexity: O(n), parallel.
  public static func zeros(_ shape: [Int]) throws -> NDArray { try filled(shape, with: 0) }

  /// An array of ones.
  ///
  /// - Throws: As `zeros(_:)`.
  /// - Complexity: O(n), parallel.
  public static func ones(_ shape: [Int]) throws -> NDArray { try filled(shape, with: 1) }

  /// An array with every element `value`, as numpy's `full`.
  ///
  /// ```swift
  /// let h = try NDArray<Float>.full([4], value: 0.5)
  /// ```
  /// - Throws: As `zeros(_:)`.
  /// - Complexity: O(n), parallel.
  public static func full(_ shape: [Int], value: Element) throws -> NDArray { try filled(shape, with: value) }

  /// Evenly spaced values in `[start, stop)`, as numpy's `arange`.
  ///
  /// Numpy's arithmetic exactly: the count is `ceil((stop - start) / step)`
  /// in Double, element 0 is `start`, element 1 is `start + step`, and
  /// element `i >= 2` is `start + i * delta` with `delta` the difference of
  /// the first two elements, each operation rounded in the element type.
  ///
  /// ```swift
  /// try NDArray<Double>.arange(start: 0, stop: 1, step: 0.25).scalars  // [0, 0.25, 0.5, 0.75]
  /// ```
  /// - Throws: `BlockwiseError.invalidArgument` for a zero or non-finite
  ///   step, a non-finite bound, or a count that does not fit in memory.
  /// - Complexity: O(n).
  public static func arange(start: Element = 0, stop: Element, step: Element = 1) throws -> NDArray {
    let (s0, s1, st) = (Double(start), Double(stop), Double(step))
    guard s0.isFinite && s1.isFinite else {
      throw BlockwiseError.invalidArgument(name: "arange bounds", expected: "finite start and stop", got: "\(start) ..< \(stop)")
    }
    guard st.isFinite && st != 0 else {
      throw BlockwiseError.invalidArgument(name: "arange step", expected: "a finite, nonzero step", got: "\(step)")
    }
    let length = ((s1 - s0) / st).rounded(.up)
    guard length < 0x1p62 else {
      throw BlockwiseError.invalidArgument(
        name: "arange", expected: "at most 2^62 elements", got: "\(length) from \(start) ..< \(stop) by \(step)")
    }
    let n = length > 0 ? Int(length) : 0
    let out = try NDArray(validatedShape: [n])
    let p = out.storage.base
    if n > 0 { p[0] = start }
    if n > 1 {
      p[1] = Element(s0 + st)
      let first = p[0], delta = p[1] - p[0]
      for i in 2..<n { p[i] = first + Element(i) * delta }
    }
    return out
  }

  /// `count` evenly spaced values from `start` to `stop`, as numpy's
  /// `linspace`, bit for bit.
  ///
  /// Computed in Double as numpy does, `i * step + start` with
  /// `step = (stop - start) / div` (`div = count - 1`, or `count` without
  /// the endpoint; when `step` is 0, `(i / div) * (stop - start) + start`),
  /// and with the endpoint the last value is exactly `stop`. Float arrays
  /// round the Double values once.
  ///
  /// ```swift
  /// try NDArray<Double>.linspace(0, 1, count: 5).scalars  // [0, 0.25, 0.5, 0.75, 1]
  /// ```
  /// - Parameters:
  ///   - start: The first value.
  ///   - stop: The last value (or the end of the half-open range when
  ///     `endpoint` is false).
  ///   - count: The number of values, 0 or more.
  ///   - endpoint: Whether `stop` is the last value (numpy's default, true).
  /// - Throws: `BlockwiseError.invalidArgument` for a negative count.
  /// - Complexity: O(n).
  public static func linspace(_ start: Element, _ stop: Element, count: Int, endpoint: Bool = true) throws -> NDArray {
    guard count >= 0 else {
      throw BlockwiseError.invalidArgument(name: "count", expected: "a count of 0 or more", got: "\(count)")
    }
    let out = try NDArray(validatedShape: [count])
    let p = out.storage.base
    let (a, b) = (Double(start), Double(stop))
    let div = endpoint ? count - 1 : count
    let delta = b - a
    if div > 0 {
      let step = delta / Double(div)
      if step == 0 {
        for i in 0..<count { p[i] = Element((Double(i) / Double(div)) * delta + a) }
      } else {
        for i in 0..<count { p[i] = Element(Double(i) * step + a) }
      }
    } else {
      for i in 0..<count { p[i] = Element(Double(i) * delta + a) }
    }
    if endpoint && count > 1 { p[count - 1] = stop }
    return out
  }

  /// Seeded uniform random values in `range`.
  ///
  /// Element `i` is a pure function of `(seed, i)`: word `i % 4` of the
  /// Philox4x64-10 block with counter `(i / 4, 0, 0, 0)` and key
  /// `(seed, 0)`, whose top 53 bits give `u` in [0, 1) and the value
  /// `lower + (upper - lower) * u` (kept below `upper`). The stream is the
  /// same for every thread count, and is numpy's
  /// `Philox(key=seed, counter=2**256 - 1).random_raw()` word for word.
  ///
  /// ```swift
  /// let u = try NDArray<Double>.uniform([1000], in: -1..<1, seed: 42)
  /// ```
  /// - Throws: `BlockwiseError.invalidArgument` for an empty or non-finite
  ///   range, or any error of `zeros(_:)` for the shape.
  /// - Complexity: O(n), parallel.
  public static func uniform(_ shape: [Int], in range: Range<Element>, seed: UInt64) throws -> NDArray {
    let (lo, hi) = (Double(range.lowerBound), Double(range.upperBound))
    guard lo.isFinite && hi.isFinite && lo < hi && (hi - lo).isFinite else {
      throw BlockwiseError.invalidArgument(
        name: "range", expected: "a nonempty finite range of finite width", got: "\(range)")
    }
    let out = try NDArray(validatedShape: shape)
    let p = SendablePointer(out.storage.base)
    ComputePool.shared.forEachBlock(count: out.count, blockLength: streamingBlock(inputs: 0)) { r in
      Element._bwRandomUniform(seed, r.lowerBound, r.count, lo, hi - lo, hi, p.advanced(by: r.lowerBound))
    }
    return out
  }

  /// Seeded normal random values (Box-Muller on the Philox4x64-10 stream).
  ///
  /// Words `2p` and `2p + 1` of block `j` (see `uniform(_:in:seed:)`)
  /// give `u1` in (0, 1] and `u2` in [0, 1), and elements `4j + 2p` and
  /// `4j + 2p + 1` are `mean + standardDeviation * z` with
  /// `z = sqrt(-2 log u1) * cos(2 pi u2)` and `... * sin(2 pi u2)`. The
  /// same for every thread count; Float arrays round the Double values.
  ///
  /// ```swift
  /// let z = try NDArray<Double>.normal([3, 4], mean: 0, standardDeviation: 1, seed: 7)
  /// ```
  /// - Throws: `BlockwiseError.invalidArgument` for a non-finite mean or a
  ///   standard deviation that is negative or not finite, or any error of
  ///   `zeros(_:)` for the shape.
  /// - Complexity: O(n), parallel.
  public static func normal(
    _ shape: [Int], mean: Element = 0, standardDeviation: Element = 1, seed: UInt64
  ) throws -> NDArray {
    let (m, sd) = (Double(mean), Double(standardDeviation))
    guard m.isFinite else {
      throw BlockwiseError.invalidArgument(name: "mean", expected: "a finite mean", got: "\(mean)")
    }
    guard sd.isFinite && sd >= 0 else {
      throw BlockwiseError.invalidArgument(
        name: "standardDeviation", expected: "a finite value >= 0", got: "\(standardDeviation)")
    }
    let out = try NDArray(validatedShape: shape)
    let p = SendablePointer(out.storage.base)
    ComputePool.shared.forEachBlock(count: out.count, blockLength: streamingBlock(inputs: 0)) { r in
      Element._bwRandomNormal(seed, r.lowerBound, r.count, m, sd, p.advanced(by: r.lowerBound))
    }
    return out
  }
}

// MARK: - Earlier spellings

// One convention for every constructor: the shape first and unlabelled,
// as in `zeros([2, 3])`, `ones`, `full`, `uniform`, `normal`. The earlier
// labelled spellings remain, deprecated.
extension NDArray {
  /// `zeros(_:)`, under its earlier label.
  ///
  /// - Parameter shape: The extent of each axis, each >= 0.
  /// - Throws: As `zeros(_:)`.
  /// - Complexity: O(n).
  @available(*, deprecated, renamed: "zeros(_:)")
  public static func zeros(shape: [Int]) throws -> NDArray { try zeros(shape) }

  /// `ones(_:)`, under its earlier label.
  ///
  /// - Parameter shape: The extent of each axis, each >= 0.
  /// - Throws: As `ones(_:)`.
  /// - Complexity: O(n).
  @available(*, deprecated, renamed: "ones(_:)")
  public static func ones(shape: [Int]) throws -> NDArray { try ones(shape) }

  /// `full(_:value:)`, under its earlier label.
  ///
  /// - Parameters:
  ///   - shape: The extent of each axis, each >= 0.
  ///   - value: The value of every element.
  /// - Throws: As `full(_:value:)`.
  /// - Complexity: O(n).
  @available(*, deprecated, renamed: "full(_:value:)")
  public static func full(shape: [Int], value: Element) throws -> NDArray { try full(shape, value: value) }

  /// `uniform(_:in:seed:)`, under its earlier label (the same values).
  ///
  /// - Parameters:
  ///   - shape: The extent of each axis, each >= 0.
  ///   - range: The half-open interval the values are drawn from.
  ///   - seed: The generator's seed; one seed gives one array.
  /// - Throws: As `uniform(_:in:seed:)`.
  /// - Complexity: O(n), parallel.
  @available(*, deprecated, renamed: "uniform(_:in:seed:)")
  public static func uniform(shape: [Int], in range: Range<Element>, seed: UInt64) throws -> NDArray {
    try uniform(shape, in: range, seed: seed)
  }

  /// `normal(_:mean:standardDeviation:seed:)`, under its earlier label
  /// (the same values).
  ///
  /// - Parameters:
  ///   - shape: The extent of each axis, each >= 0.
  ///   - mean: The distribution's mean.
  ///   - standardDeviation: The distribution's standard deviation, >= 0.
  ///   - seed: The generator's seed; one seed gives one array.
  /// - Throws: As `normal(_:mean:standardDeviation:seed:)`.
  /// - Complexity: O(n), parallel.
  @available(*, deprecated, renamed: "normal(_:mean:standardDeviation:seed:)")
  public static func normal(
    shape: [Int], mean: Element = 0, standardDeviation: Element = 1, seed: UInt64
  ) throws -> NDArray {
    try normal(shape, mean: mean, standardDeviation: standardDeviation, seed: seed)
  }
}

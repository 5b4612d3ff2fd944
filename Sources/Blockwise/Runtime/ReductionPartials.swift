internal import CBlockwiseKernels

/// The per-leaf partial results of one reduction over a contiguous run of
/// leaves, to be combined with the partials of the runs before and after
/// it (other processes' shards of the same data, say) into the exact
/// result one process would compute.
///
/// Every Blockwise reduction cuts its input into fixed-length leaves
/// (`leafLength` elements, or points for spline stacks), reduces each
/// leaf, and combines the leaf results pairwise in index order: the
/// result depends on the input alone. Partials expose the leaf results
/// instead of combining them, so a reduction split into shards whose
/// boundaries fall on multiples of `leafLength` of the global index space
/// reassembles to the same bits: concatenate the shards' partials in
/// order and take `total()` (`Communicator.combine` does this across MPI
/// ranks).
///
/// ```swift
/// let a = try NDArray<Double>.uniform([10_000_000], in: 0..<1, seed: 1)
/// let cut = 2 * BlockPolicy.reductionLeaf * 1000             // a multiple of the leaf
/// let left = a.rows(0..<cut).sumPartials(), right = a.rows(cut..<a.count).sumPartials()
/// let total = try ReductionPartials.concatenating([left, right]).total()   // == a.sum(), bit for bit
/// ```
public struct ReductionPartials: Sendable, Equatable {
  /// How leaf results combine.
  public enum Kind: String, Sendable, Equatable {
    /// Leaf sums (`sum`, `sumExp`), added pairwise: 8 bytes per leaf.
    case sum
    /// Leaf (shift, sum of exp(x - shift)) pairs (`logSumExp`), combined
    /// pairwise with rescaling: 16 bytes per leaf.
    case logSumExp
  }

  /// How leaf results combine.
  public let kind: Kind
  /// Elements (or points) per leaf; the last leaf of the whole input may
  /// be shorter.
  public let leafLength: Int
  /// The leaf results in index order: one Double per leaf for `.sum`, a
  /// (shift, sum) pair per leaf for `.logSumExp`.
  public let values: [Double]

  /// The number of leaves.
  public var count: Int { kind == .sum ? values.count : values.count / 2 }

  /// Doubles per leaf (1 or 2): what a shard sends per leaf, over 8 bytes.
  public var valuesPerLeaf: Int { kind == .sum ? 1 : 2 }

  /// Partials from their parts (as gathered from other processes).
  ///
  /// - Throws: `BlockwiseError.invalidArgument` for a leaf length below 1
  ///   or, for `.logSumExp`, an odd number of values.
  public init(kind: Kind, leafLength: Int, values: [Double]) throws {
    guard leafLength >= 1 else {
      throw BlockwiseError.invalidArgument(name: "leafLength", expected: "at least 1", got: "\(leafLength)")
    }
    guard kind == .sum || values.count % 2 == 0 else {
      throw BlockwiseError.invalidArgument(
        name: "values", expected: "(shift, sum) pairs for logSumExp partials", got: "\(values.count) values")
    }
    self.init(validated: kind, leafLength: leafLength, values: values)
  }

  init(validated kind: Kind, leafLength: Int, values: [Double]) {
    self.kind = kind
    self.leafLength = leafLength
    self.values = values
  }

  /// The partials of consecutive runs, in order, as one run.
  ///
  /// - Throws: `BlockwiseError.invalidArgument` when the parts disagree on
  ///   the kind or the leaf length (partials of different reductions).
  /// - Complexity: O(total leaves).
  public static func concatenating(_ parts: [ReductionPartials]) throws -> ReductionPartials {
    guard let first = parts.first else {
      throw BlockwiseError.invalidArgument(name: "parts", expected: "at least one set of partials", got: "none")
    }
    for (k, p) in parts.enumerated() where p.kind != first.kind || p.leafLength != first.leafLength {
      throw BlockwiseError.invalidArgument(
        name: "parts[\(k)]", expected: "\(first.kind) partials with leaves of \(first.leafLength)",
        got: "\(p.kind) partials with leaves of \(p.leafLength)")
    }
    return ReductionPartials(validated: first.kind, leafLength: first.leafLength, values: parts.flatMap(\.values))
  }

  /// The reduction's result: the leaf results combined pairwise in index
  /// order, exactly as one process combines them.
  ///
  /// For Float inputs this is the Double the one-process reduction rounds
  /// once (`Float(total())` is its result).
  ///
  /// - Returns: The sum (0 with no leaves), or log-sum-exp (-inf with no
  ///   leaves).
  /// - Throws: `BlockwiseError.invalidArgument` for inconsistent values
  ///   (only possible through a corrupted copy of `values`).
  /// - Complexity: O(count), sequential.
  public func total() throws -> Double {
    switch kind {
    case .sum:
      return values.withUnsafeBufferPointer { p in p.isEmpty ? 0 : bw_pairwise_sum(p.baseAddress!, p.count) }
    case .logSumExp:
      guard values.count % 2 == 0 else {
        throw BlockwiseError.invalidArgument(name: "values", expected: "(shift, sum) pairs", got: "\(values.count) values")
      }
      guard count > 0 else { return -.infinity }
      let pairs = (0..<count).map { LogSumExpPartial(max: values[2 * $0], sum: values[2 * $0 + 1]) }
      return pairs.withUnsafeBufferPointer { LogSumExpPartial.pairwise($0).value }
    }
  }
}

extension NDArray {
  /// The leaf sums of `sum()`: `sumPartials().total()` is `sum()` (as a
  /// Double), bit for bit, and the partials of shards starting at
  /// multiples of `BlockPolicy.reductionLeaf` elements concatenate to the
  /// partials of the whole.
  ///
  /// - Complexity: O(n), parallel; 8 bytes per leaf of 4096 elements.
  public func sumPartials() -> ReductionPartials {
    leafSums { Element._bwSum($0, $1) }
  }

  /// The leaf sums of `sumExp()`, as `sumPartials()` is to `sum()`.
  ///
  /// - Complexity: O(n), parallel; 8 bytes per leaf of 4096 elements.
  public func sumExpPartials() -> ReductionPartials {
    leafSums { Element._bwSumExp($0, $1, 0) }
  }

  /// `leafSum` of every leaf of the elements, as partials.
  func leafSums(_ leafSum: @escaping @Sendable (UnsafePointer<Element>, Int) -> Double) -> ReductionPartials {
    withUnsafeBufferPointer { b in
      guard let p = b.baseAddress, b.count > 0 else {
        return ReductionPartials(validated: .sum, leafLength: BlockPolicy.reductionLeaf, values: [])
      }
      let x = SendablePointer(p)
      return leafSumPartials(count: b.count, leaf: BlockPolicy.reductionLeaf, bytesPerElement: MemoryLayout<Element>.stride) {
        r in leafSum(x.reading(at: r.lowerBound), r.count)
      }
    }
  }

  /// The leaf (shift, sum) pairs of `logSumExp()`, max-shifted per leaf:
  /// `logSumExpPartials().total()` is `logSumExp()` (as a Double).
  ///
  /// - Complexity: O(n), parallel; 16 bytes per leaf of 4096 elements.
  public func logSumExpPartials() -> ReductionPartials {
    withUnsafeBufferPointer { b in
      guard let p = b.baseAddress, b.count > 0 else {
        return ReductionPartials(validated: .logSumExp, leafLength: BlockPolicy.reductionLeaf, values: [])
      }
      let x = SendablePointer(p)
      return leafLogSumExpPartials(
        count: b.count, leaf: BlockPolicy.reductionLeaf, bytesPerElement: MemoryLayout<Element>.stride
      ) { r in
        var m = 0.0
        let s = Element._bwLogSumExpLeaf(x.reading(at: r.lowerBound), r.count, &m)
        return LogSumExpPartial(max: m, sum: s)
      }
    }
  }
}

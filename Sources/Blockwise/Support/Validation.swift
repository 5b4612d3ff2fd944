// Argument checks shared by the array operations, each throwing the
// BlockwiseError that names what was expected and what came in.

extension NDArray {
  /// `axis` as an index into `shape`, negative axes counting from the end
  /// as numpy does (-1 is the last axis).
  ///
  /// - Parameter rank: The rank the axis refers to (default: `self.rank`;
  ///   `rank + 1` for operations that insert an axis).
  /// - Throws: `BlockwiseError.invalidArgument` for an axis outside
  ///   `-rank ..< rank`.
  func normalizedAxis(_ axis: Int, rank r: Int? = nil, name: String = "axis") throws -> Int {
    let rank = r ?? self.rank
    guard axis >= -rank && axis < rank else {
      let range = rank == 0 ? "none (a rank-0 array has no axes)" : "\(-rank) ..< \(rank)"
      throw BlockwiseError.invalidArgument(
        name: name, expected: "an axis in \(range) for shape \(shape)", got: "\(axis)")
    }
    return axis < 0 ? axis + rank : axis
  }

  /// The product of `shape[range]` (1 for an empty range).
  func extent(_ range: Range<Int>) -> Int {
    shape[range].reduce(1, *)
  }
}

/// Throws `BlockwiseError.nonFinite` for the first NaN or infinity in `a`.
func checkFinite<E: NDArrayScalar>(_ a: NDArray<E>, _ name: String) throws {
  try a.withUnsafeBufferPointer { buf in
    guard let base = buf.baseAddress else { return }
    if let i = E._bwFirstNonFinite(base, buf.count) {
      throw BlockwiseError.nonFinite(argument: name, index: i, value: Double(buf[i]))
    }
  }
}

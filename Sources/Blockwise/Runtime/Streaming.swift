// The one path from an array operation to the pool for streaming kernels:
// blocks sized to the L2, pointers that may cross into workers, one C call
// per block. Every elementwise wrapper (exp, conversions, copies) goes
// through here rather than repeating the plumbing.

extension NDArray {
  /// Elements per block for a kernel that reads `inputs` arrays of this
  /// element type and writes one.
  static func streamingBlock(inputs: Int) -> Int {
    BlockPolicy.blockLength(bytesPerElement: (inputs + 1) * MemoryLayout<Element>.stride)
  }

  /// Runs `kernel(source, destination, n)` over L2-sized blocks of the
  /// elements of `self` and the same positions of `destination`.
  ///
  /// `destination` may be `self`'s own buffer (in-place kernels read a
  /// position before they write it); it must hold `count` elements.
  func streamBlocks<R: NDArrayScalar>(
    into destination: UnsafeMutablePointer<R>,
    _ kernel: @Sendable (UnsafePointer<Element>, UnsafeMutablePointer<R>, Int) -> Void
  ) {
    let n = count
    guard n > 0 else { return }
    withUnsafeBufferPointer { src in
      let x = SendablePointer(src.baseAddress!)
      let y = SendablePointer(destination)
      let block = BlockPolicy.blockLength(
        bytesPerElement: MemoryLayout<Element>.stride + MemoryLayout<R>.stride)
      ComputePool.shared.forEachBlock(count: n, blockLength: block) { r in
        kernel(x.reading(at: r.lowerBound), y.advanced(by: r.lowerBound), r.count)
      }
    }
  }

  /// A new array of `self`'s shape filled block by block by `kernel`.
  func streamed<R: NDArrayScalar>(
    to _: R.Type, _ kernel: @Sendable (UnsafePointer<Element>, UnsafeMutablePointer<R>, Int) -> Void
  ) -> NDArray<R> {
    let out = NDArray<R>(uninitializedShape: shape, count: count)
    streamBlocks(into: out.storage.base, kernel)
    return out
  }

  /// Writes `kernel`'s output into `output` (same shape, checked here) with
  /// no allocation when `output` is uniquely owned.
  func streamed<R: NDArrayScalar>(
    into output: inout NDArray<R>,
    _ kernel: @Sendable (UnsafePointer<Element>, UnsafeMutablePointer<R>, Int) -> Void
  ) throws {
    guard output.shape == shape else {
      throw BlockwiseError.shapeMismatch(expected: shape, got: output.shape)
    }
    output.makeUnique()
    streamBlocks(into: output.basePointer, kernel)
  }

  /// Applies `kernel` in place (copying first only when the storage is shared).
  mutating func formStreamed(
    _ kernel: @Sendable (UnsafePointer<Element>, UnsafeMutablePointer<Element>, Int) -> Void
  ) {
    makeUnique()
    streamBlocks(into: basePointer, kernel)
  }
}

internal import CBlockwiseFormats

/// A numpy dtype as its `descr` string says: the element kinds Blockwise
/// reads, and the ones it names in its errors.
struct NumpyDType: Sendable {
  let descr: String
  let kind: bw_dtype_kind
  let size: Int
  /// Stored in the other byte order than this machine's.
  let byteSwapped: Bool

  init(_ descr: String, path: String) throws {
    self.descr = descr
    var chars = Array(descr.utf8)
    var order: UInt8 = UInt8(ascii: "=")
    if let first = chars.first, [UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "|"), UInt8(ascii: "=")].contains(first) {
      order = first
      chars.removeFirst()
    }
    guard let letter = chars.first else {
      throw BlockwiseError.file(path: path, problem: "the header's dtype '\(descr)' is empty")
    }
    let digits = String(decoding: chars.dropFirst(), as: UTF8.self)
    let unsupported: [UInt8: String] = [
      UInt8(ascii: "c"): "complex", UInt8(ascii: "O"): "object", UInt8(ascii: "U"): "unicode string",
      UInt8(ascii: "S"): "byte string", UInt8(ascii: "a"): "byte string", UInt8(ascii: "M"): "datetime",
      UInt8(ascii: "m"): "timedelta", UInt8(ascii: "V"): "void (structured)",
    ]
    if let what = unsupported[letter] {
      throw BlockwiseError.file(
        path: path, problem: "dtype '\(descr)' (\(what)) is not supported: expected a float, integer or bool dtype")
    }
    let kinds: [String: (bw_dtype_kind, Int)] = [
      "f8": (BW_DT_F8, 8), "f4": (BW_DT_F4, 4), "f2": (BW_DT_F2, 2), "i1": (BW_DT_I1, 1), "i2": (BW_DT_I2, 2),
      "i4": (BW_DT_I4, 4), "i8": (BW_DT_I8, 8), "u1": (BW_DT_U1, 1), "u2": (BW_DT_U2, 2), "u4": (BW_DT_U4, 4),
      "u8": (BW_DT_U8, 8), "b1": (BW_DT_B1, 1),
    ]
    guard let (kind, size) = kinds[String(UnicodeScalar(letter)) + digits] else {
      throw BlockwiseError.file(
        path: path, problem: "dtype '\(descr)' is not supported: expected one of f2 f4 f8, i1-i8, u1-u8 or b1")
    }
    self.kind = kind
    self.size = size
    #if _endian(little)
      byteSwapped = size > 1 && order == UInt8(ascii: ">")
    #else
      byteSwapped = size > 1 && order == UInt8(ascii: "<")
    #endif
  }

  /// Whether arrays of `E` can use the bytes as they are (map or copy).
  func isNative<E: NDArrayScalar>(_: E.Type) -> Bool {
    !byteSwapped && ((E.self == Double.self && kind == BW_DT_F8) || (E.self == Float.self && kind == BW_DT_F4))
  }

  /// The descr numpy writes for arrays of `E` on this machine.
  static func descr<E: NDArrayScalar>(for _: E.Type) -> String {
    #if _endian(little)
      E.self == Double.self ? "<f8" : "<f4"
    #else
      E.self == Double.self ? ">f8" : ">f4"
    #endif
  }
}

/// A parsed .npy preamble: where the data start and what they hold.
struct NpyLayout: Sendable {
  let dtype: NumpyDType
  let shape: [Int]
  let count: Int
  let fortranOrder: Bool
  let dataOffset: Int
  let dataBytes: Int

  /// The layout of a part of `whole`: its rows `shape` (`count` elements),
  /// the same dtype and data offset.
  init(slicing whole: NpyLayout, shape: [Int], count: Int) {
    dtype = whole.dtype
    self.shape = shape
    self.count = count
    fortranOrder = whole.fortranOrder
    dataOffset = whole.dataOffset
    dataBytes = count * whole.dtype.size
  }

  /// Parses the preamble at the start of `bytes` (at least the whole
  /// preamble, or the whole file when it is shorter) of a file (or member)
  /// of `totalSize` bytes, and checks the data section's length.
  init(preamble bytes: UnsafeRawBufferPointer, totalSize: Int, path: String) throws {
    var h = bw_npy_header()
    let rc = bw_npy_parse_header(bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), bytes.count, &h)
    if rc < 0 {
      let why = withUnsafeBytes(of: h.error) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
      throw BlockwiseError.file(path: path, problem: why)
    }
    if rc > 0 {
      if h.data_offset > totalSize {
        throw BlockwiseError.file(
          path: path, problem: "the header length runs past the end of the file (the header ends at byte \(h.data_offset), the file has \(totalSize))")
      }
      throw BlockwiseError.file(path: path, problem: "too short to be a .npy file (\(totalSize) bytes)")
    }
    let descr = withUnsafeBytes(of: h.descr) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    dtype = try NumpyDType(descr, path: path)
    let dims = withUnsafeBytes(of: h.shape) { raw in (0..<Int(h.ndim)).map { Int(raw.load(fromByteOffset: $0 * 8, as: Int64.self)) } }
    shape = dims
    do { count = try NDArray<Double>.elementCount(of: dims) } catch {
      throw BlockwiseError.file(path: path, problem: "the header's shape \(dims) has more elements than fit in memory")
    }
    fortranOrder = h.fortran_order != 0
    dataOffset = h.data_offset
    let (bytesNeeded, overflow) = count.multipliedReportingOverflow(by: dtype.size)
    guard !overflow else {
      throw BlockwiseError.file(path: path, problem: "the header's shape \(dims) of \(descr) needs more bytes than fit in Int")
    }
    dataBytes = bytesNeeded
    let present = totalSize - dataOffset
    guard present == bytesNeeded else {
      throw BlockwiseError.file(
        path: path,
        problem: "the data section has \(present) bytes, but shape \(dims) of \(descr) needs \(bytesNeeded)"
          + (present < bytesNeeded ? " (the file is truncated)" : " (the file has trailing bytes)"))
    }
  }
}

extension NDArray {
  /// The elements described by `layout`, filled by `read(destination,
  /// byteCount, dataOffset)` (bytes of the data section from `dataOffset`
  /// on): directly when the dtype is this element type's, else through a
  /// scratch buffer and a conversion; C order either way. Parallel over
  /// blocks of the data.
  static func load(
    _ layout: NpyLayout, path: String,
    read: @Sendable (UnsafeMutableRawPointer, Int, Int) throws -> Void
  ) throws -> NDArray {
    // Fortran order: the data are the C-order bytes of the reversed shape.
    let stored = layout.fortranOrder ? Array(layout.shape.reversed()) : layout.shape
    let out = try NDArray(validatedShape: stored)
    let dtype = layout.dtype
    let native = dtype.isNative(Element.self)
    let block = 1 << 20  // elements per block: 8 MiB of Doubles
    let base = SendablePointer(out.storage.base)
    try ComputePool.shared.forEachBlock(count: layout.count, blockLength: block) { r in
      let dst = UnsafeMutableRawPointer(base.advanced(by: r.lowerBound))
      if native {
        try read(dst, r.count * dtype.size, r.lowerBound * dtype.size)
      } else {
        try withUnsafeTemporaryAllocation(byteCount: r.count * dtype.size, alignment: 64) { raw in
          try read(raw.baseAddress!, r.count * dtype.size, r.lowerBound * dtype.size)
          Element._bwConvertFromNumpy(Int32(dtype.kind.rawValue), dtype.byteSwapped, raw.baseAddress!, base.advanced(by: r.lowerBound), r.count)
        }
      }
    }
    return layout.fortranOrder ? out.permutedUnchecked(Array((0..<stored.count).reversed())) : out
  }
}

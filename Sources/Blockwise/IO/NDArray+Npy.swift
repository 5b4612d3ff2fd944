internal import CBlockwiseFormats

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

// numpy's .npy files: read into memory, mapped without a copy, written
// byte for byte as np.save writes them.

extension NDArray {
  /// Reads a `.npy` file (as numpy's `np.load`) into memory.
  ///
  /// `<f8` files read into `NDArray<Double>` and `<f4` into `NDArray<Float>`
  /// as they are; other dtypes convert on read: the other float type
  /// (Double to Float rounds to nearest), big-endian floats (byte-swapped),
  /// integers `i1`-`i8` and `u1`-`u8` (exact where the value fits, rounded
  /// to nearest beyond 2^53 for Double or 2^24 for Float), `b1` (0 or 1) and
  /// `f2` (exact). `fortran_order: True` data come back in row-major order.
  ///
  /// ```swift
  /// let a = try NDArray<Double>(npyFile: "weights.npy")
  /// ```
  /// - Parameter path: The file.
  /// - Throws: `BlockwiseError.file` naming the file and what is wrong: it
  ///   is missing or unreadable, not a .npy file (bad magic, unknown
  ///   version), a header that is not numpy's dict (missing keys,
  ///   unbalanced brackets, negative or non-integer dimensions, a count
  ///   that overflows), an unsupported dtype (complex, object, strings,
  ///   datetimes, structured), or a data section shorter or longer than the
  ///   shape needs. Never reads past the end of the file.
  /// - Complexity: O(n), the data read in parallel blocks.
  public init(npyFile path: String) throws {
    let file = try OpenFile(reading: path)
    let layout = try Self.readLayout(file)
    self = try Self.load(layout, path: path) { dst, count, offset in
      try file.read(into: dst, count: count, at: layout.dataOffset + offset)
    }
  }

  /// The preamble of an open .npy file.
  static func readLayout(_ file: OpenFile) throws -> NpyLayout {
    var want = Swift.min(file.size, 4096)
    while true {
      let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Swift.max(want, 1), alignment: 8)
      defer { buffer.deallocate() }
      try file.read(into: buffer.baseAddress!, count: want, at: 0)
      var h = bw_npy_header()
      let rc = bw_npy_parse_header(buffer.baseAddress!.assumingMemoryBound(to: UInt8.self), want, &h)
      if rc > 0 && h.data_offset > want && h.data_offset <= file.size {
        want = h.data_offset  // a long header: read all of it
        continue
      }
      return try NpyLayout(preamble: UnsafeRawBufferPointer(rebasing: buffer.prefix(want)), totalSize: file.size, path: file.path)
    }
  }

  /// Maps a `.npy` file read-only: no copy is made.
  ///
  /// The array's storage points into the mapping (pages load on demand and
  /// are shared with the page cache), so does every view of it (`row`,
  /// `rows`, `reshaped`, a slice along axis 0), and any number of workers
  /// read it at once. The first write to such an array copies it first,
  /// as copy-on-write does. The mapping lives as long as any array or view
  /// uses it, and is unmapped when the last one goes.
  ///
  /// ```swift
  /// let big = try NDArray<Double>(mappingNpyFile: "points.npy")   // 400 MB, nothing read yet
  /// let s = big.sumExp()                                          // pages stream in
  /// ```
  /// - Throws: As `init(npyFile:)`, and `BlockwiseError.file` when the file
  ///   cannot be used in place: a dtype other than this element type's
  ///   (`<f8` for Double, `<f4` for Float), big-endian data, Fortran order,
  ///   or data not aligned for the element type; read it with
  ///   `init(npyFile:)` instead.
  /// - Complexity: O(1) to map (the header is parsed); pages are read as
  ///   they are first touched.
  public init(mappingNpyFile path: String) throws {
    let mapping = try MappedFile(path)
    let layout = try NpyLayout(
      preamble: UnsafeRawBufferPointer(start: mapping.base, count: mapping.size), totalSize: mapping.size, path: path)
    try self.init(mapping: mapping, range: 0..<mapping.size, layout: layout, path: path)
  }

  /// Maps only `rows` of a `.npy` file along its first axis: the shard a
  /// process of a distributed job works on, without mapping (or reading)
  /// the rest of the file.
  ///
  /// As `init(mappingNpyFile:)` otherwise: no copy, pages load on demand,
  /// the first write copies, the mapping lives as long as the array or a
  /// view of it.
  ///
  /// ```swift
  /// let mine = comm.shard(count: 100_000_000, alignment: 256)
  /// let xi = try NDArray<Double>(mappingNpyFile: "xi.npy", rows: mine)   // shape [mine.count]
  /// ```
  /// - Parameters:
  ///   - path: A C-order `.npy` file of this element type, rank 1 or more.
  ///   - rows: Indices along the first axis, within `0 ... shape[0]`.
  /// - Returns: Shape `[rows.count] + shape[1...]`.
  /// - Throws: As `init(mappingNpyFile:)`, and `BlockwiseError.invalidArgument`
  ///   for a rank-0 file or rows outside the first axis.
  /// - Complexity: O(1) to map; pages are read as they are first touched.
  public init(mappingNpyFile path: String, rows: Range<Int>) throws {
    let file = try OpenFile(reading: path)
    let layout = try Self.readLayout(file)
    guard layout.shape.count >= 1 else {
      throw BlockwiseError.invalidArgument(name: "rows", expected: "a file of rank 1 or more", got: "\(path) of shape []")
    }
    guard rows.lowerBound >= 0 && rows.upperBound <= layout.shape[0] else {
      throw BlockwiseError.invalidArgument(
        name: "rows", expected: "a range within 0...\(layout.shape[0]) (the first axis of \(path))", got: "\(rows)")
    }
    let rowElements = layout.shape.dropFirst().reduce(1, *)
    let rowBytes = rowElements * layout.dtype.size
    let shape = [rows.count] + layout.shape.dropFirst()
    let part = NpyLayout(slicing: layout, shape: shape, count: rows.count * rowElements)
    guard rows.count > 0 && rowElements > 0 else {
      try Self.checkMappable(layout, path: path)
      self = try NDArray(validatedShape: shape)
      return
    }
    let start = layout.dataOffset + rows.lowerBound * rowBytes
    let mapping = try MappedFile(file, range: start..<(start + rows.count * rowBytes))
    try self.init(mapping: mapping, base: mapping.base - layout.dataOffset, layout: part, path: path)
  }

  /// Why `layout` cannot be used in place as this element type, if it cannot.
  static func checkMappable(_ layout: NpyLayout, path: String) throws {
    guard layout.dtype.isNative(Element.self) else {
      throw BlockwiseError.file(
        path: path,
        problem: "cannot be mapped as NDArray<\(Element.self)>: its dtype is '\(layout.dtype.descr)', not "
          + "'\(NumpyDType.descr(for: Element.self))' (read it with init(npyFile:), which converts)")
    }
    guard !layout.fortranOrder else {
      throw BlockwiseError.file(
        path: path, problem: "cannot be mapped: its data are in Fortran order (read it with init(npyFile:), which reorders)")
    }
  }

  /// An array over the data of `layout` in `mapping` (the .npy bytes at
  /// `range`), or the error saying why it cannot be mapped.
  init(mapping: MappedFile, base: UnsafeRawPointer, layout: NpyLayout, path: String) throws {
    try Self.checkMappable(layout, path: path)
    let data = base + layout.dataOffset
    // The mapping starts on a page, so the address is aligned exactly when
    // the file offset is. np.save aligns to 64 bytes; np.savez's members
    // land wherever the zip headers before them end.
    guard Int(bitPattern: data) % MemoryLayout<Element>.alignment == 0 else {
      throw BlockwiseError.file(
        path: path,
        problem: "cannot be mapped as NDArray<\(Element.self)>: its data start at byte \(mapping.offset + (data - mapping.base)) of the file, "
          + "not a multiple of \(MemoryLayout<Element>.alignment) (read it with init(npyFile:) or array(named:), which copy)")
    }
    let p = UnsafeMutablePointer(mutating: data.assumingMemoryBound(to: Element.self))
    self.init(
      storage: NDStorage(borrowing: p, capacity: layout.count, writable: false, owner: mapping), offset: 0,
      shape: layout.shape, count: layout.count)
  }

  init(mapping: MappedFile, range: Range<Int>, layout: NpyLayout, path: String) throws {
    try self.init(mapping: mapping, base: mapping.base + range.lowerBound, layout: layout, path: path)
  }

  /// Writes the array as a `.npy` file, byte for byte what `np.save`
  /// writes for the same array: format 1.0 (2.0 when the header needs it),
  /// the data starting on a 64-byte boundary, `<f8` or `<f4`, C order.
  ///
  /// Atomic: the file is written under a temporary name in the same
  /// folder (its blocks reserved first, as numpy's `tofile` does, so a
  /// full disk fails before any byte is written) and renamed over `path`
  /// once complete, so an error or a crash of the program never leaves a
  /// partial file under the name. Like `np.save` it does not `fsync`: the
  /// data reach the disk when the system writes its page cache back.
  ///
  /// ```swift
  /// try a.write(npyFile: "out.npy")    // np.load("out.npy") gives a back
  /// ```
  /// - Throws: `BlockwiseError.file` naming the file when it cannot be
  ///   written (a missing folder, no permission, a full disk).
  /// - Complexity: O(n).
  public func write(npyFile path: String) throws {
    let header = try npyHeader(path: path)
    try writeAtomically(path, size: header.count + count * MemoryLayout<Element>.stride) { fd in
      try header.withUnsafeBytes { try writeAll(fd, $0.baseAddress!, $0.count, path: path) }
      try withUnsafeBufferPointer { buf in
        if let p = buf.baseAddress { try writeAll(fd, p, buf.count * MemoryLayout<Element>.stride, path: path) }
      }
    }
  }

  /// numpy's preamble for this array.
  func npyHeader(path: String) throws -> [UInt8] {
    var header = [UInt8](repeating: 0, count: 4096 + 24 * rank)
    let dims = shape.map { Int64($0) }
    let n = header.withUnsafeMutableBufferPointer { out in
      dims.withUnsafeBufferPointer { d in
        bw_npy_write_header(NumpyDType.descr(for: Element.self), d.baseAddress, Int32(rank), out.baseAddress, out.count)
      }
    }
    guard n > 0 else { throw BlockwiseError.file(path: path, problem: "the array's header does not fit a .npy file") }
    return Array(header.prefix(n))
  }
}

/// What a `.npy` file's header says, read without its data: for sizing
/// shards before mapping them (`NDArray(mappingNpyFile:rows:)`).
///
/// ```swift
/// let points = try NpyFileInfo("xi.npy").shape[0]
/// ```
public struct NpyFileInfo: Sendable, Equatable {
  /// The array's shape.
  public let shape: [Int]
  /// numpy's dtype string, such as `<f8`.
  public let dtype: String
  /// Whether the data are in Fortran (column-major) order.
  public let isFortranOrder: Bool
  /// Where the data start in the file.
  public let dataOffset: Int

  /// Reads and checks the header of `path` (and that the file's size fits
  /// it), not its data.
  ///
  /// - Throws: As `NDArray(npyFile:)` for the header and the file's size.
  /// - Complexity: O(header length).
  public init(_ path: String) throws {
    let layout = try NDArray<Double>.readLayout(try OpenFile(reading: path))
    shape = layout.shape
    dtype = layout.dtype.descr
    isFortranOrder = layout.fortranOrder
    dataOffset = layout.dataOffset
  }
}

internal import CBlockwiseFormats

#if canImport(Glibc)
  import Glibc  // malloc, free (without Foundation, which the writer alone needs)
#elseif canImport(Musl)
  import Musl
#endif

/// A numpy `.npz` archive (`np.savez`, `np.savez_compressed`), opened for
/// reading members on demand.
///
/// Opening maps the file and reads its zip directory; nothing else is read
/// until a member is asked for. Stored members (`np.savez`) can also be
/// mapped, zero-copy, like `NDArray(mappingNpyFile:)`.
///
/// ```swift
/// let npz = try NpzArchive("data.npz")
/// npz.names                                       // ["x", "y"]
/// let x = try npz.array(named: "x", as: Double.self)
/// ```
public final class NpzArchive: Sendable {
  let mapping: MappedFile
  let members: [String: Member]
  /// The arrays' names (member names without `.npy`), sorted.
  public let names: [String]
  /// The archive's path.
  public let path: String

  struct Member: Sendable {
    let file: String
    let method: Int
    let crc32: UInt32
    let compressedSize: Int
    let uncompressedSize: Int
    let dataOffset: Int
  }

  /// Opens an archive.
  ///
  /// - Throws: `BlockwiseError.file` naming the file and what is wrong: it
  ///   is missing or unreadable, not a zip archive, its directory is
  ///   malformed or points outside the file, or a member is encrypted or
  ///   compressed other than stored or deflated. Never reads past the end
  ///   of the file.
  /// - Complexity: O(members).
  public init(_ path: String) throws {
    self.path = path
    let mapping = try MappedFile(path)
    self.mapping = mapping
    let bytes = mapping.base.assumingMemoryBound(to: UInt8.self)
    var cap = 64
    var entries: [bw_zip_entry] = []
    while true {
      var error = [CChar](repeating: 0, count: 256)
      var needed = 0
      var buffer = [bw_zip_entry](repeating: bw_zip_entry(), count: cap)
      let n = buffer.withUnsafeMutableBufferPointer { b in
        error.withUnsafeMutableBufferPointer { e in
          bw_zip_read_directory(bytes, mapping.size, b.baseAddress, cap, &needed, e.baseAddress)
        }
      }
      if n == -2 {
        guard needed <= mapping.size / 46 + 1 else {
          throw BlockwiseError.file(path: path, problem: "the zip directory claims \(needed) members, more than the file can hold")
        }
        cap = needed
        continue
      }
      guard n >= 0 else {
        throw BlockwiseError.file(path: path, problem: String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
      }
      entries = Array(buffer.prefix(n))
      break
    }
    var members: [String: Member] = [:]
    for e in entries {
      let name = withUnsafeBytes(of: e.name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
      guard name.hasSuffix(".npy") else { continue }  // np.load ignores other members too
      members[String(name.dropLast(4))] = Member(
        file: name, method: Int(e.method), crc32: e.crc32, compressedSize: Int(e.compressed_size),
        uncompressedSize: Int(e.uncompressed_size), dataOffset: Int(e.data_offset))
    }
    self.members = members
    names = members.keys.sorted()
  }

  func member(_ name: String) throws -> Member {
    guard let m = members[name] else {
      throw BlockwiseError.file(
        path: path, problem: "has no array named '\(name)' (it has \(names.map { "'\($0)'" }.joined(separator: ", ")))")
    }
    return m
  }

  /// Reads the array `name` into memory (converting its dtype as
  /// `NDArray(npyFile:)` does), checking its CRC.
  ///
  /// - Throws: `BlockwiseError.file` for a missing name, corrupt
  ///   compressed data, a CRC mismatch, or any error of `NDArray(npyFile:)`
  ///   about the member's contents.
  /// - Complexity: O(n).
  public func array<Element: NDArrayScalar>(named name: String, as _: Element.Type = Element.self) throws -> NDArray<Element> {
    let m = try member(name)
    let where_ = "\(path) member \(m.file)"
    let source: UnsafeRawPointer
    var owner: AnyObject & Sendable = mapping
    if m.method == 0 {
      source = mapping.base + m.dataOffset
    } else {
      // Deflated: inflated once, into a buffer the array may then own.
      guard let buffer = OwnedBuffer(bytes: m.uncompressedSize) else {
        throw BlockwiseError.allocationFailed(bytes: m.uncompressedSize)
      }
      var error = [CChar](repeating: 0, count: 256)
      let rc = error.withUnsafeMutableBufferPointer { e in
        bw_inflate(
          (mapping.base + m.dataOffset).assumingMemoryBound(to: UInt8.self), m.compressedSize,
          buffer.base.assumingMemoryBound(to: UInt8.self), m.uncompressedSize, e.baseAddress)
      }
      guard rc == 0 else {
        throw BlockwiseError.file(path: where_, problem: String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
      }
      source = UnsafeRawPointer(buffer.base)
      owner = buffer
    }
    guard bw_crc32(source.assumingMemoryBound(to: UInt8.self), m.uncompressedSize) == m.crc32 else {
      throw BlockwiseError.file(path: where_, problem: "its CRC-32 does not match its data (the archive is corrupt)")
    }
    let layout = try NpyLayout(
      preamble: UnsafeRawBufferPointer(start: source, count: m.uncompressedSize), totalSize: m.uncompressedSize, path: where_)
    if m.method != 0 && layout.dtype.isNative(Element.self) && !layout.fortranOrder
      && Int(bitPattern: source + layout.dataOffset) % MemoryLayout<Element>.alignment == 0
    {
      // The inflated buffer becomes the array's storage: no second copy.
      let p = UnsafeMutablePointer(mutating: (source + layout.dataOffset).assumingMemoryBound(to: Element.self))
      return NDArray(
        storage: NDStorage(borrowing: p, capacity: layout.count, writable: true, owner: owner), offset: 0,
        shape: layout.shape, count: layout.count)
    }
    let src = SendablePointer(UnsafeMutablePointer(mutating: source.assumingMemoryBound(to: UInt8.self)))
    return try withExtendedLifetime(owner) {
      try NDArray<Element>.load(layout, path: where_) { dst, count, offset in
        dst.copyMemory(from: src.reading(at: layout.dataOffset + offset), byteCount: count)
      }
    }
  }

  /// Maps the stored member `name` without a copy (see
  /// `NDArray(mappingNpyFile:)`); the archive's mapping lives as long as
  /// the array does.
  ///
  /// - Throws: `BlockwiseError.file` for a missing name, a deflated member
  ///   (`np.savez_compressed`: read it with `array(named:)`), or a member
  ///   that cannot be mapped as this element type.
  public func mappedArray<Element: NDArrayScalar>(named name: String, as _: Element.Type = Element.self) throws -> NDArray<Element> {
    let m = try member(name)
    let where_ = "\(path) member \(m.file)"
    guard m.method == 0 else {
      throw BlockwiseError.file(path: where_, problem: "is compressed and cannot be mapped (read it with array(named:))")
    }
    let base = mapping.base + m.dataOffset
    let layout = try NpyLayout(
      preamble: UnsafeRawBufferPointer(start: base, count: m.uncompressedSize), totalSize: m.uncompressedSize, path: where_)
    return try NDArray(mapping: mapping, base: base, layout: layout, path: where_)
  }
}

/// Heap memory owned by an array built over it (an inflated member).
final class OwnedBuffer: @unchecked Sendable {
  // @unchecked: written once (inflated) before any array reads it.
  let base: UnsafeMutableRawPointer
  init?(bytes: Int) {
    guard let p = malloc(Swift.max(bytes, 1)) else { return nil }
    base = p
  }
  deinit { free(base) }
}

extension NDArray {
  /// Reads every array of a `.npz` archive (`np.savez`,
  /// `np.savez_compressed`), as `np.load` does, keyed by name.
  ///
  /// ```swift
  /// let arrays = try NDArray<Double>.loadNpz("data.npz")
  /// let x = arrays["x"]!
  /// ```
  /// - Throws: As `NpzArchive.init(_:)` and `NpzArchive.array(named:)`.
  /// - Complexity: O(total size).
  public static func loadNpz(_ path: String) throws -> [String: NDArray<Element>] {
    let npz = try NpzArchive(path)
    var out: [String: NDArray<Element>] = [:]
    for name in npz.names { out[name] = try npz.array(named: name) }
    return out
  }
}

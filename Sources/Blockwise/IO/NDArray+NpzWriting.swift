// Writing .npz archives, through ZIPFoundation (a maintained zip writer:
// CRCs, deflate, zip64), which brings Foundation with it. Compiled with
// the package trait NpzWriting, on by default; the C ABI's wheel build
// (`make wheel`) turns it off, so libBlockwiseC.so links no Foundation.
// Reading .npz needs neither (CBlockwiseFormats' parser and zlib).
#if NpzWriting
import Foundation
import ZIPFoundation

extension NDArray {
  /// Writes arrays as a `.npz` archive: one `name.npy` member each (the
  /// bytes `np.save` writes), stored as `np.savez` does or deflated as
  /// `np.savez_compressed` does. Atomic, as `write(npyFile:)`.
  ///
  /// ```swift
  /// try NDArray.writeNpz(["x": x, "y": y], to: "data.npz", compressed: true)
  /// ```
  /// - Throws: `BlockwiseError.invalidArgument` for an empty name or one
  ///   with a '/', `BlockwiseError.file` when the file cannot be written.
  /// - Complexity: O(total size).
  public static func writeNpz(_ arrays: [String: NDArray<Element>], to path: String, compressed: Bool = false) throws {
    for name in arrays.keys where name.isEmpty || name.contains("/") {
      throw BlockwiseError.invalidArgument(name: "array name", expected: "a non-empty name without '/'", got: "'\(name)'")
    }
    try writeAtomically(path, viaTemporaryPath: { temporary in
      do {
        let archive = try Archive(url: URL(fileURLWithPath: temporary), accessMode: .create)
        for name in arrays.keys.sorted() {
          let a = arrays[name]!
          let header = try a.npyHeader(path: path)
          let dataBytes = a.count * MemoryLayout<Element>.stride
          let total = header.count + dataBytes
          try a.withUnsafeBufferPointer { buf in
            let data = UnsafeRawBufferPointer(buf)
            try archive.addEntry(
              with: name + ".npy", type: .file, uncompressedSize: Int64(total),
              compressionMethod: compressed ? .deflate : .none, bufferSize: 1 << 20
            ) { position, size in
              var chunk = Data(capacity: size)
              var at = Int(position)
              if at < header.count {
                let n = Swift.min(size, header.count - at)
                chunk.append(contentsOf: header[at..<(at + n)])
                at += n
              }
              let rest = size - chunk.count
              if rest > 0, let base = data.baseAddress {
                chunk.append(contentsOf: UnsafeRawBufferPointer(start: base + (at - header.count), count: rest))
              }
              return chunk
            }
          }
        }
      } catch let e as BlockwiseError {
        throw e
      } catch {
        throw BlockwiseError.file(path: path, problem: "cannot write the archive: \(error)")
      }
    })
  }
}
#endif

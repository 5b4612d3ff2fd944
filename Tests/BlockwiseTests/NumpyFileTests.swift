import Foundation
import Testing

@testable import Blockwise

nonisolated(unsafe) let npyManifest: [String: Any] = try! Fixtures.json("npy/manifest.json")

func npyFixture(_ name: String) -> String { Fixtures.url("npy/" + name).path }

/// A fresh folder under the system's temporary directory.
func temporaryFolder() throws -> String {
  let url = FileManager.default.temporaryDirectory.appendingPathComponent("blockwise-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url.path
}

/// Resident and anonymous (privately copied) bytes of the mapping that
/// holds `address`, from /proc/self/smaps: a per-mapping figure, unlike the
/// process's RssAnon, which tests running in parallel move.
func mappingResidency(containing address: UnsafeRawPointer) -> (resident: Int, anonymous: Int)? {
  guard let text = procFile("/proc/self/smaps") else { return nil }
  let target = UInt(bitPattern: address)
  var inside = false
  var resident: Int?, anonymous: Int?
  for line in text.split(separator: "\n") {
    let fields = line.split(separator: " ", omittingEmptySubsequences: true)
    guard let first = fields.first else { continue }
    if first.hasSuffix(":") {
      guard inside else { continue }
      let kilobytes = fields.count > 1 ? Int(fields[1]) : nil
      if first == "Rss:" { resident = kilobytes.map { $0 * 1024 } }
      if first == "Anonymous:" { anonymous = kilobytes.map { $0 * 1024 } }
    } else {
      if inside { break }  // the next mapping's header
      let range = first.split(separator: "-")
      if range.count == 2, let lo = UInt(range[0], radix: 16), let hi = UInt(range[1], radix: 16) {
        inside = lo <= target && target < hi
      }
    }
  }
  guard let r = resident, let a = anonymous else { return nil }
  return (r, a)
}

func isMapped(_ path: String) -> Bool { procFile("/proc/self/maps")?.contains(path) ?? false }

/// The text of a /proc file (read to its end: such files report size 0).
func procFile(_ path: String) -> String? {
  guard let f = fopen(path, "r") else { return nil }
  defer { fclose(f) }
  var bytes: [UInt8] = []
  var chunk = [UInt8](repeating: 0, count: 1 << 16)
  while true {
    let n = fread(&chunk, 1, chunk.count, f)
    if n <= 0 { break }
    bytes += chunk[0..<n]
  }
  return String(decoding: bytes, as: UTF8.self)
}

@Suite("NumPy files: .npy and .npz in and out")
struct NumpyFileTests {
  @Test func readsEveryDtypeShapeAndVersion() throws {
    let cases = npyManifest["read"] as! [[String: Any]]
    #expect(cases.count >= 30)
    for c in cases {
      let file = c["file"] as! String
      let d = try NDArray<Double>(npyFile: npyFixture(file))
      #expect(d.shape == ints(c["shape"]), "\(file)")
      #expect(sameBits(d.scalars, doubles(c["double"])), "\(file) as Double")
      let f = try NDArray<Float>(npyFile: npyFixture(file))
      #expect(sameBits(f.scalars, doubles(c["float"]).map { Float($0) }), "\(file) as Float")
    }
  }

  @Test func badFilesNameTheFileAndTheFault() throws {
    for c in npyManifest["bad"] as! [[String: Any]] {
      let file = c["file"] as! String, message = c["message"] as! String
      do {
        _ = try NDArray<Double>(npyFile: npyFixture(file))
        Issue.record("\(file) was read")
      } catch let e as BlockwiseError {
        guard case let .file(path, problem) = e else { Issue.record("\(file): \(e)"); continue }
        #expect(path.hasSuffix(file) && problem.contains(message), "\(file): \(problem)")
      }
      #expect(throws: BlockwiseError.self) { try NDArray<Float>(mappingNpyFile: npyFixture(file)) }
    }
    #expect(throws: BlockwiseError.self) { try NDArray<Double>(npyFile: "/no/such/file.npy") }
    do { _ = try NDArray<Double>(npyFile: "/no/such/file.npy") } catch {
      #expect("\(error)".contains("/no/such/file.npy") && "\(error)".contains("No such file"))
    }
    #expect(throws: BlockwiseError.self) { try NDArray<Double>(npyFile: NSTemporaryDirectory()) }
  }

  @Test func writesWhatNumpySavesByteForByte() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    for c in npyManifest["written"] as! [[String: Any]] {
      let file = c["file"] as! String
      let expected = try Data(contentsOf: URL(fileURLWithPath: npyFixture(file)))
      let path = folder + "/" + file
      if c["float32"] as! Bool {
        try NDArray<Float>(doubles(c["values"]).map { Float($0) }, shape: ints(c["shape"])).write(npyFile: path)
      } else {
        try NDArray<Double>(doubles(c["values"]), shape: ints(c["shape"])).write(npyFile: path)
      }
      let written = try Data(contentsOf: URL(fileURLWithPath: path))
      #expect(written == expected, "\(file): \(written.count) bytes vs numpy's \(expected.count)")
    }
    // Round trips, and no temporary file left behind.
    let a = try NDArray<Double>.uniform([30, 7], in: -1..<1, seed: 3)
    try a.write(npyFile: folder + "/a.npy")
    #expect(try NDArray<Double>(npyFile: folder + "/a.npy") == a)
    #expect(try NDArray<Double>(mappingNpyFile: folder + "/a.npy") == a)
    let names = try FileManager.default.contentsOfDirectory(atPath: folder)
    #expect(!names.contains { $0.contains(".tmp-") }, "\(names)")
  }

  @Test func writesAreAtomic() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let a = NDArray<Double>([1, 2, 3])
    #expect(throws: BlockwiseError.self) { try a.write(npyFile: folder + "/missing/a.npy") }
    // A path that cannot be replaced (a folder): the write fails, the
    // folder is untouched, and no temporary file is left.
    try FileManager.default.createDirectory(atPath: folder + "/taken.npy", withIntermediateDirectories: false)
    #expect(throws: BlockwiseError.self) { try a.write(npyFile: folder + "/taken.npy") }
    var isDirectory: ObjCBool = false
    #expect(FileManager.default.fileExists(atPath: folder + "/taken.npy", isDirectory: &isDirectory) && isDirectory.boolValue)
    // Overwriting an existing file replaces it whole.
    try NDArray<Double>([9, 9]).write(npyFile: folder + "/x.npy")
    try a.write(npyFile: folder + "/x.npy")
    #expect(try NDArray<Double>(npyFile: folder + "/x.npy") == a)
    let names = try FileManager.default.contentsOfDirectory(atPath: folder)
    #expect(names.sorted() == ["taken.npy", "x.npy"], "\(names)")
  }

  @Test func mappingMakesNoCopy() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let path = folder + "/big.npy"
    let rows = 4096, columns = 8192  // 256 MiB
    do {
      let a = try NDArray<Double>.full([rows, columns], value: 0.5)
      try a.write(npyFile: path)
    }
    ArrayMemory.releaseCache()
    do {
      let mapped = try NDArray<Double>(mappingNpyFile: path)
      // The data pointer lies inside the mapping; views share it.
      let owner = try #require(mapped.storage.owner as? MappedFile)
      let data = UnsafeRawPointer(mapped.withUnsafeBufferPointer { $0.baseAddress! })
      #expect(data >= owner.base && data + rows * columns * 8 <= owner.base + owner.size)
      let row = mapped.row(7), head = mapped.rows(0..<10), flat = try mapped.reshaped([-1])
      #expect(row.sharesStorage(with: mapped) && head.sharesStorage(with: mapped) && flat.sharesStorage(with: mapped))
      #expect(try mapped.slice(axis: 0, 5..<9).sharesStorage(with: mapped))
      // Reading every page (in parallel blocks) goes through the mapping
      // and copies none of it: the mapping is resident, with no private
      // (anonymous) pages. (A per-mapping figure: the process's RssAnon
      // moves with the tests that run in parallel.)
      #expect(mapped.sum() == Double(rows * columns) * 0.5)
      #expect(try mapped.sumExp(axis: 1).count == rows)
      let residency = try #require(mappingResidency(containing: data))
      #expect(residency.resident > rows * columns * 8 / 2, "the mapping: \(residency)")
      #expect(residency.anonymous == 0, "the mapping: \(residency)")
      // A write copies first (the file is never written).
      var copy = row
      copy[0] = 7
      #expect(!copy.sharesStorage(with: mapped) && mapped[7, 0] == 0.5 && copy[0] == 7)
      copy.formExp()
      #expect(try NDArray<Double>(npyFile: path)[7, 0] == 0.5)
      // The mapping lives while a view does.
      let last = head
      withExtendedLifetime(last) {}
      #expect(isMapped(path))
    }
    #expect(!isMapped(path), "unmapped when the last view goes")
  }

  @Test func mappingIsUnmappedWithTheLastView() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let path = folder + "/unmap-\(UUID().uuidString).npy"
    try NDArray<Double>.ones([1000]).write(npyFile: path)
    func view() throws -> NDArray<Double> { try NDArray<Double>(mappingNpyFile: path).rows(10..<20) }
    var v: NDArray<Double>? = try view()
    #expect(isMapped(path))
    #expect(v!.sum() == 10)
    v = nil
    #expect(!isMapped(path), "unmapped when the last view goes")
  }

  @Test func mappingRowsMapsOnlyThoseRows() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let path = folder + "/rows.npy"
    let a = try NDArray<Double>.uniform([10_001, 3], in: -1..<1, seed: 8)
    try a.write(npyFile: path)
    for rows in [0..<0, 0..<1, 5..<9, 1000..<10_001, 0..<10_001, 4097..<4098] {
      let part = try NDArray<Double>(mappingNpyFile: path, rows: rows)
      #expect(part.shape == [rows.count, 3] && part == a.rows(rows), "\(rows)")
      if rows.count > 0 {
        let owner = try #require(part.storage.owner as? MappedFile)
        // Only the rows' bytes (from the page holding the first one) are mapped.
        #expect(owner.size == rows.count * 24 && owner.offset == 128 + rows.lowerBound * 24)
      }
    }
    // Shards of a 1-D file, by Communicator-style boundaries.
    let v = try NDArray<Float>.uniform([1000], in: 0..<1, seed: 9)
    try v.write(npyFile: folder + "/v.npy")
    let pieces = try [0..<256, 256..<512, 512..<1000].map { try NDArray<Float>(mappingNpyFile: folder + "/v.npy", rows: $0) }
    #expect(try NDArray.concatenate(pieces, axis: 0) == v)
    #expect(throws: BlockwiseError.self) { try NDArray<Double>(mappingNpyFile: path, rows: 9000..<10_002) }
    #expect(throws: BlockwiseError.self) { try NDArray<Double>(mappingNpyFile: path, rows: -1..<3) }
    #expect(throws: BlockwiseError.self) { try NDArray<Float>(mappingNpyFile: path, rows: 0..<3) }  // '<f8' as Float
    #expect(throws: BlockwiseError.self) { try NDArray<Double>(mappingNpyFile: npyFixture("shape_scalar.npy"), rows: 0..<1) }
  }

  @Test func mappingRefusesWhatNeedsAConversion() throws {
    for (file, reason) in [("dtype_be_f8.npy", "'>f8'"), ("dtype_le_f4.npy", "'<f4'"), ("fortran_3x5.npy", "Fortran"),
                           ("dtype_le_i4.npy", "'<i4'")] {
      do {
        _ = try NDArray<Double>(mappingNpyFile: npyFixture(file))
        Issue.record("\(file) was mapped")
      } catch let e as BlockwiseError {
        #expect("\(e)".contains(reason) && "\(e)".contains("init(npyFile:)"), "\(e)")
      }
    }
    #expect(try NDArray<Float>(mappingNpyFile: npyFixture("dtype_le_f4.npy")).shape == [3, 4])
  }

  @Test func npzArchivesFromNumpy() throws {
    for c in npyManifest["npz"] as! [[String: Any]] {
      let file = c["file"] as! String
      let expected = c["arrays"] as! [String: [String: Any]]
      let doubles_ = try NDArray<Double>.loadNpz(npyFixture(file))
      let floats = try NDArray<Float>.loadNpz(npyFixture(file))
      #expect(Set(doubles_.keys) == Set(expected.keys), "\(file)")
      for (name, e) in expected {
        #expect(doubles_[name]!.shape == ints(e["shape"]) && sameBits(doubles_[name]!.scalars, doubles(e["double"])), "\(file) \(name)")
        #expect(sameBits(floats[name]!.scalars, doubles(e["float"]).map { Float($0) }), "\(file) \(name) as Float")
      }
      let npz = try NpzArchive(npyFixture(file))
      #expect(npz.names == expected.keys.sorted())
      #expect(throws: BlockwiseError.self) { try npz.array(named: "nope", as: Double.self) }
      // Stored '<f8' members whose data happen to start at a multiple of 8
      // map without a copy (the script works out which from the zip
      // headers); the others throw, saying why.
      let mappable = Set(c["mappableAsDouble"] as! [String])
      #expect(file != "stored.npz" || mappable.count == 2)
      for name in npz.names {
        if mappable.contains(name) {
          let a = try npz.mappedArray(named: name, as: Double.self)
          #expect(a == doubles_[name]!, "\(file) \(name)")
          let owner = try #require(a.storage.owner as? MappedFile)
          let p = UnsafeRawPointer(a.withUnsafeBufferPointer { $0.baseAddress! })
          #expect(p > owner.base && p < owner.base + owner.size, "a stored member maps without a copy")
        } else {
          do {
            _ = try npz.mappedArray(named: name, as: Double.self)
            Issue.record("\(file) \(name) was mapped")
          } catch let e as BlockwiseError {
            #expect("\(e)".contains(name + ".npy") && "\(e)".contains("cannot be mapped") || "\(e)".contains("compressed"), "\(e)")
          }
        }
      }
    }
    for c in npyManifest["badNpz"] as! [[String: Any]] {
      let file = c["file"] as! String, message = c["message"] as! String
      do {
        _ = try NDArray<Double>.loadNpz(npyFixture(file))
        Issue.record("\(file) was read")
      } catch let e as BlockwiseError {
        #expect("\(e)".contains(file) && "\(e)".contains(message), "\(e)")
      }
    }
  }

  /// Seeded mutations of valid files (byte flips, truncations, inserted
  /// and repeated runs, header lengths and zip offsets overwritten) through
  /// the whole Swift path: each one reads or throws a BlockwiseError that
  /// names the file, never traps. The C parsers get the same treatment at
  /// scale in `make fuzz`; this covers the Swift layer above them.
  @Test func mutatedFilesReadOrThrow() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    var g = SeededGenerator(seed: 2026)
    let seeds = ["dtype_le_f8.npy", "dtype_be_i4.npy", "version_2_0.npy", "fortran_3x5.npy", "long_header.npy",
                 "shape_3x4x5.npy", "stored.npz", "compressed.npz"]
    var read = 0, thrown = 0
    for seed in seeds {
      let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: npyFixture(seed))))
      for k in 0..<150 {
        var bytes = original
        for _ in 0..<Int.random(in: 1...4, using: &g) {
          let at = Int.random(in: 0..<Swift.max(bytes.count, 1), using: &g)
          switch Int.random(in: 0..<6, using: &g) {
          case 0 where !bytes.isEmpty: bytes[at] ^= UInt8.random(in: 1...255, using: &g)
          case 1: bytes.removeLast(Int.random(in: 0...bytes.count, using: &g))
          case 2: bytes.insert(contentsOf: [UInt8](repeating: UInt8.random(in: 0...255, using: &g), count: Int.random(in: 1...40, using: &g)), at: at)
          case 3 where bytes.count > at + 4:
            // A 32-bit field set to an extreme: sizes, offsets, lengths.
            let v = [UInt32.max, 0x7fff_ffff, 0, UInt32(bytes.count), UInt32(bytes.count + 1)].randomElement(using: &g)!
            for b in 0..<4 { bytes[at + b] = UInt8(truncatingIfNeeded: v >> (8 * b)) }
          case 4 where bytes.count > 10:
            bytes[8] = UInt8.random(in: 0...255, using: &g)  // the .npy header length
          default:
            if !bytes.isEmpty { bytes[at] = [UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: ","), UInt8(ascii: "'"), UInt8(ascii: "9")].randomElement(using: &g)! }
          }
        }
        let path = folder + "/m\(k)-" + seed
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        for attempt in 0..<3 {
          do {
            if seed.hasSuffix(".npz") {
              switch attempt {
              case 0: _ = try NDArray<Double>.loadNpz(path)
              case 1: let z = try NpzArchive(path); for n in z.names { _ = try? z.mappedArray(named: n, as: Double.self) }
              default: _ = try NDArray<Float>.loadNpz(path)
              }
            } else {
              switch attempt {
              case 0: _ = try NDArray<Double>(npyFile: path)
              case 1: _ = try NDArray<Double>(mappingNpyFile: path).sum()
              default: _ = try NDArray<Float>(npyFile: path)
              }
            }
            read += 1
          } catch let e as BlockwiseError {
            thrown += 1
            #expect("\(e)".contains(path), "\(e)")
          }
        }
        unlink(path)
      }
    }
    // Both outcomes occur: the mutations are neither all harmless nor all fatal.
    #expect(read > 100 && thrown > 1000, "read \(read), threw \(thrown)")
  }

  /// Inputs kept from `make fuzz` (the minimised corpus and any
  /// regressions in Tests/Fuzz): each reads or throws through the Swift API.
  @Test func fuzzCorpusReadsOrThrows() throws {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("Fuzz")
    var seen = 0
    for kind in ["npy", "npz", "csv"] { for set in ["corpus", "regressions"] {
      let folder = root.appendingPathComponent(set).appendingPathComponent(kind)
      let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
      for name in files {
        let path = folder.appendingPathComponent(name).path
        do {
          switch kind {
          case "npy": _ = try NDArray<Double>(npyFile: path)
          case "npz": _ = try NDArray<Double>.loadNpz(path)
          default: _ = try NDArray<Double>(csvFile: path)
          }
        } catch let e as BlockwiseError {
          #expect("\(e)".contains(name), "\(e)")
        }
        seen += 1
      }
    } }
    #expect(seen >= 200, "the committed fuzz corpus has \(seen) inputs")
  }

  @Test func npzRoundTrips() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let arrays = [
      "x": try NDArray<Double>.uniform([300, 7], in: -1..<1, seed: 4),
      "y": try NDArray<Double>.normal([11], seed: 5), "empty": try NDArray<Double>.zeros([0, 3]),
      "s": try NDArray<Double>([2.5], shape: []),
    ]
    for compressed in [false, true] {
      let path = folder + "/r\(compressed).npz"
      try NDArray.writeNpz(arrays, to: path, compressed: compressed)
      let back = try NDArray<Double>.loadNpz(path)
      #expect(back == arrays, "compressed: \(compressed)")
      let npz = try NpzArchive(path)
      if compressed {
        #expect(throws: BlockwiseError.self) { try npz.mappedArray(named: "x", as: Double.self) }
      }
      // Every member reads back by name, lazily.
      for (name, a) in arrays { #expect(try npz.array(named: name, as: Double.self) == a, "\(name)") }
    }
    #expect(throws: BlockwiseError.self) { try NDArray.writeNpz(["a/b": arrays["x"]!], to: folder + "/bad.npz") }
    #expect(throws: BlockwiseError.self) { try NDArray.writeNpz(["x": arrays["x"]!], to: folder + "/no/dir.npz") }
  }
}

import Foundation
import Testing

@testable import Blockwise

@Suite("CSV tables")
struct CSVTests {
  func write(_ text: String, _ folder: String, _ name: String = "t.csv") throws -> String {
    let path = folder + "/" + name
    try text.write(toFile: path, atomically: false, encoding: .utf8)
    return path
  }

  @Test func readsNumbersLikeLoadtxt() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let text = "a,b,c\n# a comment\n1, 2.5 ,-3e-2\n\n\"4\",nan,inf\r\n  7,8,-inf\n1e308,-0.0,0.1"
    let t = try NDArray<Double>(csvFile: try write(text, folder), skipHeader: true)
    #expect(t.shape == [4, 3])
    let expected: [Double] = [1, 2.5, -3e-2, 4, .nan, .infinity, 7, 8, -.infinity, 1e308, -0.0, 0.1]
    #expect(sameBits(t.scalars, expected))
    let f = try NDArray<Float>(csvFile: try write(text, folder), skipHeader: true)
    #expect(sameBits(f.scalars, expected.map { Float($0) }))
    let semi = try NDArray<Double>(csvFile: try write("1;2\n3;4\n", folder, "s.csv"), delimiter: ";")
    #expect(semi.scalars == [1, 2, 3, 4])
  }

  @Test func errorsNameTheLineAndColumn() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let cases: [(String, Bool, String)] = [
      ("1,2\n3,x\n", false, "line 2, column 2: 'x' is not a number"),
      ("h1,h2\n1,2\n3,4,5\n", true, "line 3 has 3 fields, expected 2"),
      ("1,2\n3\n", false, "line 2 has 1 fields, expected 2"),
      ("1,,2\n", false, "line 1, column 2: '' is not a number"),
      ("0x10,1\n", false, "line 1, column 1"),
      ("# nothing\n\n", false, "has no data lines"),
    ]
    for (text, header, message) in cases {
      do {
        _ = try NDArray<Double>(csvFile: try write(text, folder), skipHeader: header)
        Issue.record("\(text) was read")
      } catch let e as BlockwiseError {
        #expect("\(e)".contains(message), "\(e)")
      }
    }
    #expect(throws: BlockwiseError.self) { try NDArray<Double>(csvFile: folder + "/missing.csv") }
    #expect(throws: BlockwiseError.self) { try NDArray<Double>(csvFile: try write("1\n", folder), delimiter: "é") }
  }

  @Test func largeTablesAcrossChunks() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let rows = 300_000
    var text = "x,y,z\n"
    text.reserveCapacity(rows * 30)
    for i in 0..<rows { text += "\(i),\(Double(i) * 0.25),\(-i)\n" }
    let t = try NDArray<Double>(csvFile: try write(text, folder), skipHeader: true)
    #expect(t.shape == [rows, 3])
    #expect(try t.sum(axis: 0).scalars == [Double(rows * (rows - 1) / 2), Double(rows * (rows - 1) / 2) * 0.25, -Double(rows * (rows - 1) / 2)])
    // An error deep in a later chunk names the file's own line.
    let bad = text.replacingOccurrences(of: "\n250000,", with: "\n250000a,")
    do {
      _ = try NDArray<Double>(csvFile: try write(bad, folder, "bad.csv"), skipHeader: true)
      Issue.record("read")
    } catch let e as BlockwiseError {
      #expect("\(e)".contains("line 250002, column 1: '250000a'"), "\(e)")
    }
  }
}

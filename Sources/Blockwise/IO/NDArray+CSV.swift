internal import CBlockwiseFormats

// Numeric CSV tables, as numpy's `np.loadtxt(path, delimiter=...)`.
//
// A maintained CSV library was measured first: yaslab/CSV.swift turns
// every field into a String before any number is read, and took 3.57 s
// for a 200000 x 10 table of Doubles (35 MiB) where this reader takes
// 296 ms on one thread (12x) and 164 ms on two (22x); numpy's np.loadtxt
// took 1.1 s (`blockwise-bench --workloads files`, F4, AMD EPYC dev VM,
// 2 cores). So numeric tables get their own reader: the file is mapped,
// cut into newline-aligned chunks read in parallel, and every field goes
// through `strtod` (correctly rounded) in the C locale.

extension NDArray {
  /// Reads a table of numbers from a CSV file: one row per line, fields
  /// separated by `delimiter`, as `np.loadtxt`.
  ///
  /// Empty lines and lines starting with `#` are skipped; fields may be
  /// surrounded by spaces or double quotes; `nan`, `inf` and exponents are
  /// read as Python's `float()` reads them.
  ///
  /// ```swift
  /// let table = try NDArray<Double>(csvFile: "measurements.csv", skipHeader: true)   // [rows, columns]
  /// ```
  /// - Parameters:
  ///   - path: The file.
  ///   - delimiter: The field separator, one ASCII character.
  ///   - skipHeader: Skip the first line (column names).
  /// - Returns: An array of shape `[rows, columns]`, the column count from
  ///   the first data line.
  /// - Throws: `BlockwiseError.invalidArgument` for a delimiter that is not
  ///   one ASCII character; `BlockwiseError.file` for a file that cannot be
  ///   read, has no data, a field that is not a number (naming its line and
  ///   column, 1-based), or a line with another number of fields.
  /// - Complexity: O(file size), parallel over chunks of the file.
  public init(csvFile path: String, delimiter: Character = ",", skipHeader: Bool = false) throws {
    guard let ascii = delimiter.asciiValue, delimiter != "\n", delimiter != "\"" else {
      throw BlockwiseError.invalidArgument(name: "delimiter", expected: "one ASCII character", got: "'\(delimiter)'")
    }
    let d = CChar(bitPattern: ascii)
    let mapping = try MappedFile(path)
    let text = mapping.base.assumingMemoryBound(to: CChar.self)
    var start = 0
    if skipHeader {
      while start < mapping.size && text[start] != 10 { start += 1 }
      start = Swift.min(start + 1, mapping.size)
    }
    let columns = bw_csv_count_columns(text + start, mapping.size - start, d)
    guard columns > 0 else { throw BlockwiseError.file(path: path, problem: "has no data lines") }

    // Chunks of about 4 MiB, each ending after a newline.
    var bounds = [start]
    while bounds.last! < mapping.size {
      var end = Swift.min(bounds.last! + (4 << 20), mapping.size)
      while end < mapping.size && text[end - 1] != 10 { end += 1 }
      bounds.append(end)
    }
    let chunks = bounds.count - 1
    // Per chunk: data rows, lines, and the first failure (line, column).
    let counts = UnsafeMutablePointer<Int>.allocate(capacity: 4 * chunks)
    counts.initialize(repeating: 0, count: 4 * chunks)
    defer { counts.deallocate() }
    let pc = SendablePointer(counts)
    let b = bounds
    let pt = SendablePointer(text)
    ComputePool.shared.forEachBlock(count: chunks, blockLength: 1) { r in
      for c in r {
        var n = 0
        pc[c] = bw_csv_count_rows(pt.reading(at: b[c]), b[c + 1] - b[c], &n)
        pc[chunks + c] = n
      }
    }
    let rows = Array(UnsafeBufferPointer(start: counts, count: chunks))
    let lines = Array(UnsafeBufferPointer(start: counts + chunks, count: chunks))
    let total = rows.reduce(0, +)
    let firstRow = rows.reduce(into: [0]) { $0.append($0.last! + $1) }
    let firstLine = lines.reduce(into: [skipHeader ? 1 : 0]) { $0.append($0.last! + $1) }
    var out = try NDArray(validatedShape: [total, columns])
    let work = { [rows] (dst: UnsafeMutablePointer<Double>) in
      let pd = SendablePointer(dst)
      ComputePool.shared.forEachBlock(count: chunks, blockLength: 1) { r in
        for c in r {
          var badLine = 0, badColumn = 0
          let n = bw_csv_parse(
            pt.reading(at: b[c]), b[c + 1] - b[c], d, columns, pd.advanced(by: firstRow[c] * columns), rows[c], &badLine, &badColumn)
          if n < 0 {
            pc[2 * chunks + c] = badLine + 1
            pc[3 * chunks + c] = badColumn
          }
        }
      }
    }
    if Element.self == Double.self {
      out.withUnsafeMutableBufferPointer { buf in
        work(UnsafeMutableRawPointer(buf.baseAddress!).assumingMemoryBound(to: Double.self))
      }
    } else {
      let staging = try NDArray<Double>(validatedShape: [total, columns])
      work(staging.storage.base)
      out = NDArray(converting: staging)
    }
    if let c = (0..<chunks).first(where: { counts[2 * chunks + $0] != 0 }) {
      let (line, column) = (counts[2 * chunks + c] - 1, counts[3 * chunks + c])
      let lineNumber = firstLine[c] + line + 1
      let fields = Self.fields(ofLine: line, in: text + b[c], b[c + 1] - b[c], delimiter: d)
      let problem = column < 0
        ? "line \(lineNumber) has \(fields.count) fields, expected \(columns) (as the first data line)"
        : "line \(lineNumber), column \(column): '\(fields[Swift.min(column - 1, fields.count - 1)])' is not a number"
      throw BlockwiseError.file(path: path, problem: problem)
    }
    withExtendedLifetime(mapping) {}  // the text was read through its pointer
    self = out
  }

  /// The fields of line `line` (0-based) of text[0..<len], for messages.
  static func fields(ofLine line: Int, in text: UnsafePointer<CChar>, _ len: Int, delimiter: CChar) -> [String] {
    var at = 0, current = 0
    while current < line && at < len {
      if text[at] == 10 { current += 1 }
      at += 1
    }
    var end = at
    while end < len && text[end] != 10 && text[end] != 13 { end += 1 }
    let bytes = UnsafeRawBufferPointer(start: text + at, count: end - at)
    return bytes.split(separator: UInt8(bitPattern: delimiter), omittingEmptySubsequences: false)
      .map { String(decoding: $0, as: UTF8.self).trimmingSpaces }
  }
}

extension String {
  var trimmingSpaces: String {
    var s = Substring(self)
    while s.first == " " || s.first == "\t" { s.removeFirst() }
    while s.last == " " || s.last == "\t" { s.removeLast() }
    return String(s)
  }
}

internal import CBlockwiseFormats

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

// Files, read and written with POSIX calls (no Foundation in the library's
// hot paths): errors become BlockwiseError.file naming the path and the
// system's reason.

/// The system's message for `errno`.
func systemError(_ code: Int32 = errno) -> String { String(cString: strerror(code)) }

/// An open file descriptor, closed when the last reference goes.
final class OpenFile: @unchecked Sendable {
  // @unchecked: the descriptor is only read (pread) after opening.
  let descriptor: Int32
  let path: String
  let size: Int

  init(reading path: String) throws {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw BlockwiseError.file(path: path, problem: "cannot open it: \(systemError())") }
    var st = stat()
    guard fstat(fd, &st) == 0 else {
      let why = systemError()
      close(fd)
      throw BlockwiseError.file(path: path, problem: "cannot read its size: \(why)")
    }
    guard (st.st_mode & S_IFMT) == S_IFREG else {
      close(fd)
      throw BlockwiseError.file(path: path, problem: "not a regular file")
    }
    descriptor = fd
    self.path = path
    size = Int(st.st_size)
  }

  deinit { close(descriptor) }

  /// Reads exactly `count` bytes at `offset` into `buffer`.
  func read(into buffer: UnsafeMutableRawPointer, count: Int, at offset: Int) throws {
    var done = 0
    while done < count {
      let n = pread(descriptor, buffer + done, Swift.min(count - done, 1 << 30), off_t(offset + done))
      if n < 0 && errno == EINTR { continue }
      guard n > 0 else {
        throw BlockwiseError.file(
          path: path, problem: n == 0 ? "ends early, at byte \(offset + done)" : "cannot read it: \(systemError())")
      }
      done += n
    }
  }
}

/// A file, or a byte range of one, mapped read-only (pages load on
/// demand, shared with the page cache), unmapped when the last array or
/// view using it goes.
final class MappedFile: @unchecked Sendable {
  // @unchecked: the mapping is read-only and immutable.
  /// The first mapped byte: file offset `offset`.
  let base: UnsafeRawPointer
  /// Bytes mapped.
  let size: Int
  /// The file offset of `base`.
  let offset: Int
  let path: String
  /// The start of the mapping as mmap returned it (page-aligned).
  private let mappedStart: UnsafeMutableRawPointer
  private let mappedLength: Int

  /// Maps the whole file.
  convenience init(_ path: String) throws {
    let file = try OpenFile(reading: path)
    guard file.size > 0 else { throw BlockwiseError.file(path: path, problem: "is empty") }
    try self.init(file, range: 0..<file.size)
  }

  /// Maps bytes `range` of an open file (mmap needs a page-aligned offset:
  /// the mapping starts at the page holding `range.lowerBound`).
  init(_ file: OpenFile, range: Range<Int>) throws {
    path = file.path
    offset = range.lowerBound
    size = range.count
    let page = Int(sysconf(Int32(_SC_PAGESIZE)))
    let start = range.lowerBound / page * page
    mappedLength = Swift.max(range.upperBound - start, 1)
    let p = mmap(nil, mappedLength, PROT_READ, MAP_SHARED, file.descriptor, off_t(start))
    guard let p, p != MAP_FAILED else {
      throw BlockwiseError.file(path: path, problem: "cannot map it: \(systemError())")
    }
    mappedStart = p
    base = UnsafeRawPointer(p + (range.lowerBound - start))
  }

  deinit { munmap(mappedStart, mappedLength) }
}

/// A new name in the folder of `path`, for a file renamed over it later.
func temporaryPath(beside path: String) -> String {
  let slash = path.lastIndex(of: "/")
  let folder = slash.map { String(path[...$0]) } ?? ""
  let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
  return folder + ".\(name).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
}

/// Writes a file atomically through `body`, which creates the file at the
/// temporary path it is given; renamed over `path` once complete (the
/// temporary file is removed on errors).
func writeAtomically(_ path: String, viaTemporaryPath body: (String) throws -> Void) throws {
  let temporary = temporaryPath(beside: path)
  do { try body(temporary) } catch {
    unlink(temporary)
    throw error
  }
  try rename(temporary, over: path)
}

/// Renames the complete `temporary` over `path` (atomic within a folder),
/// removing it when that fails.
private func rename(_ temporary: String, over path: String) throws {
  guard rename(temporary, path) == 0 else {
    let why = systemError()
    unlink(temporary)
    throw BlockwiseError.file(path: path, problem: "cannot replace it: \(why)")
  }
}

/// Writes a file of `size` bytes atomically: into a new file in the same
/// folder, its blocks reserved first, renamed over `path` once complete, so
/// that an error or a crash of the program never leaves a partial file
/// under the name (the temporary one is removed on errors).
func writeAtomically(_ path: String, size: Int, _ body: (Int32) throws -> Void) throws {
  let temporary = temporaryPath(beside: path)
  let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
  guard fd >= 0 else {
    throw BlockwiseError.file(path: path, problem: "cannot create a file in its folder: \(systemError())")
  }
  do {
    let reserved = bw_preallocate(fd, size)
    guard reserved == 0 else {
      throw BlockwiseError.file(path: path, problem: "cannot write its \(size) bytes: \(systemError(reserved))")
    }
    try body(fd)
    guard close(fd) == 0 else { throw BlockwiseError.file(path: path, problem: "cannot write it: \(systemError())") }
  } catch {
    close(fd)
    unlink(temporary)
    throw error
  }
  try rename(temporary, over: path)
}

/// Writes all `count` bytes at `p` to `fd`.
func writeAll(_ fd: Int32, _ p: UnsafeRawPointer, _ count: Int, path: String) throws {
  var done = 0
  while done < count {
    let n = write(fd, p + done, Swift.min(count - done, 1 << 30))
    if n < 0 && errno == EINTR { continue }
    guard n > 0 else { throw BlockwiseError.file(path: path, problem: "cannot write it: \(systemError())") }
    done += n
  }
}

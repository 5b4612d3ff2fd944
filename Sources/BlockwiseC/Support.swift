import Blockwise
import CBlockwiseCHeader  // blockwise_status and the header's other types

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

// The plumbing every entry point shares: status codes, the thread-local
// last error, argument checks, handles, and the zero-copy (or, when the
// element type must change, one-conversion) bridge from C buffers to
// NDArray. No numeric work happens here: each entry point calls the
// public Swift API.

/// blockwise_status in blockwise.h.
enum Status: Int32 {
  case ok = 0
  case invalidArgument = 1
  case shapeMismatch = 2
  case expressionError = 3
  case empty = 4
  case outOfMemory = 5
  case internalError = 99

  /// As the header's type.
  var c: blockwise_status { blockwise_status(rawValue: numericCast(rawValue)) }

  init(_ error: BlockwiseError) {
    switch error {
    case .shapeMismatch, .countMismatch, .rankMismatch, .lengthMismatch, .variableShapeMismatch:
      self = .shapeMismatch
    case .expressionSyntax, .missingVariable, .unknownVariable: self = .expressionError
    case .emptyArray: self = .empty
    case .allocationFailed: self = .outOfMemory
    case .negativeDimension, .notStrictlyIncreasing, .tooFewKnots, .nonFinite, .invalidArgument: self = .invalidArgument
    case .singularMatrix, .lapackFailure, .file, .communication, .rankFailed: self = .internalError
    @unknown default: self = .internalError
    }
  }
}

// MARK: - The last error, per thread

/// The message of the last failing call on each thread: a strdup'd
/// string under a pthread key, freed when replaced or when the thread
/// exits.
private let errorKey: pthread_key_t = {
  var key = pthread_key_t()
  pthread_key_create(&key) { free($0) }
  return key
}()

nonisolated(unsafe) private let noError: UnsafeMutablePointer<CChar> = strdup("")!

func setLastError(_ message: String) {
  let old = pthread_getspecific(errorKey)
  pthread_setspecific(errorKey, strdup(message))
  free(old)
}

func lastError() -> UnsafePointer<CChar> {
  guard let p = pthread_getspecific(errorKey) else { return UnsafePointer(noError) }
  return UnsafePointer(p.assumingMemoryBound(to: CChar.self))
}

/// Runs `body`, turning every error into a status and the thread's last
/// error message. Nothing Swift throws crosses into C.
func guarded(_ body: () throws -> Void) -> blockwise_status {
  do {
    try body()
    return Status.ok.c
  } catch let e as BlockwiseError {
    setLastError(e.description)
    return Status(e).c
  } catch {
    setLastError("\(error)")
    return Status.internalError.c
  }
}

// MARK: - Arguments

/// Fails with a message naming the argument.
func invalid(_ name: String, expected: String, got: String) -> BlockwiseError {
  .invalidArgument(name: name, expected: expected, got: got)
}

/// A length from C: not negative, and fitting `Int`.
func length(_ n: Int64, _ name: String) throws -> Int {
  guard n >= 0 else { throw invalid(name, expected: "a length >= 0", got: "\(n)") }
  return Int(n)
}

/// An input buffer: a pointer with `n` elements (nil only when n is 0).
func input<E>(_ p: UnsafePointer<E>?, _ n: Int, _ name: String) throws -> UnsafeBufferPointer<E> {
  guard p != nil || n == 0 else { throw invalid(name, expected: "a pointer to \(n) elements", got: "NULL") }
  return UnsafeBufferPointer(start: p, count: n)
}

/// An output buffer of `length` elements that must hold exactly `needed`.
func output<E>(_ p: UnsafeMutablePointer<E>?, _ length: Int64, needed: Int, _ name: String) throws
  -> UnsafeMutableBufferPointer<E>
{
  guard length == Int64(needed) else {
    throw BlockwiseError.lengthMismatch(argument: name, expected: needed, got: Int(truncatingIfNeeded: length))
  }
  guard p != nil || needed == 0 else { throw invalid(name, expected: "a pointer to \(needed) elements", got: "NULL") }
  return UnsafeMutableBufferPointer(start: p, count: needed)
}

/// A scalar result pointer.
func resultPointer<E>(_ p: UnsafeMutablePointer<E>?, _ name: String = "result") throws -> UnsafeMutablePointer<E> {
  guard let p else { throw invalid(name, expected: "a pointer to the result", got: "NULL") }
  return p
}

/// n1 * n2 (* n3) as a length, or an error when it overflows.
func product(_ factors: [Int], _ name: String) throws -> Int {
  var p = 1
  for f in factors {
    let (v, o) = p.multipliedReportingOverflow(by: f)
    guard !o else { throw invalid(name, expected: "a size that fits in 64 bits", got: factors.map(String.init).joined(separator: " x ")) }
    p = v
  }
  return p
}

// MARK: - Element types

/// Calls `body` with `buffer` as an array of `S`: the caller's memory
/// itself when the types agree (no copy), else one converted copy.
func withInput<E: NDArrayScalar, S: NDArrayScalar, R>(
  _ buffer: UnsafeBufferPointer<E>, shape: [Int], as _: S.Type, _ body: (NDArray<S>) throws -> R
) throws -> R {
  if E.self == S.self {
    let same = UnsafeBufferPointer(start: UnsafeRawPointer(buffer.baseAddress)?.assumingMemoryBound(to: S.self), count: buffer.count)
    return try NDArray<S>.withBorrowedArray(same, shape: shape, body)
  }
  return try NDArray<E>.withBorrowedArray(buffer, shape: shape) { a in try body(a.converted(to: S.self)) }
}

/// Calls `body` with an array of `S` whose final contents land in
/// `buffer`: written in place when the types agree, else converted once.
func withOutput<E: NDArrayScalar, S: NDArrayScalar>(
  _ buffer: UnsafeMutableBufferPointer<E>, shape: [Int], as _: S.Type, _ body: (inout NDArray<S>) throws -> Void
) throws {
  if E.self == S.self {
    let same = UnsafeMutableBufferPointer(
      start: UnsafeMutableRawPointer(buffer.baseAddress)?.assumingMemoryBound(to: S.self), count: buffer.count)
    try NDArray<S>.withBorrowedMutableArray(same, shape: shape, body)
    return
  }
  var staged = try NDArray<S>.zeros(shape)
  try body(&staged)
  let converted = staged.converted(to: E.self)
  try NDArray<E>.withBorrowedMutableArray(buffer, shape: shape) { out in out = converted }
}

/// A scalar of `S` as the caller's type.
func convert<S: NDArrayScalar, E: NDArrayScalar>(_ v: S, to _: E.Type) -> E {
  if let d = v as? Double { return E(d) }
  return E(Double(v as! Float))
}

// MARK: - Handles

/// A Swift object behind an opaque C handle: retained by *_create,
/// released by *_free.
func retainedHandle(_ object: AnyObject) -> OpaquePointer {
  OpaquePointer(Unmanaged.passRetained(object).toOpaque())
}

func releaseHandle(_ handle: OpaquePointer?) {
  guard let handle else { return }
  Unmanaged<AnyObject>.fromOpaque(UnsafeRawPointer(handle)).release()
}

/// The object behind a handle, or an error for NULL or a handle of
/// another kind.
/// (`T` may be a protocol that handles of several kinds conform to.)
func object<T>(_ handle: OpaquePointer?, _: T.Type, _ name: String) throws -> T {
  guard let handle else { throw invalid(name, expected: "a handle", got: "NULL") }
  let any = Unmanaged<AnyObject>.fromOpaque(UnsafeRawPointer(handle)).takeUnretainedValue()
  guard let t = any as? T else { throw invalid(name, expected: "a \(name) handle", got: "a \(type(of: any)) handle") }
  return t
}

/// Stores a new handle through an out-pointer.
func store(_ object: AnyObject, into out: UnsafeMutablePointer<OpaquePointer?>) {
  out.pointee = retainedHandle(object)
}

/// Strings that live for the process.
func permanentString(_ s: String) -> UnsafePointer<CChar> { UnsafePointer(strdup(s)!) }

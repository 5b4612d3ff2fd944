// Stopping on a programming error (an index out of range, as `Array`
// does) with the message in every build configuration. `precondition`
// keeps its check in release (-O) builds but drops its message there, so
// a user sees only "Illegal instruction"; `fatalError` always prints it.

/// Stops the program, printing `message` (and where) to stderr, in debug
/// and release builds alike. Out of line: the message is formatted only
/// on the failing path.
@usableFromInline @inline(never)
func blockwiseTrap(_ message: String, file: StaticString = #fileID, line: UInt = #line) -> Never {
  fatalError(message, file: file, line: line)
}

/// Stops with `message` unless `condition` holds: `precondition` whose
/// message survives `-O`. The check costs one branch; the message is
/// built only when it fails.
@inlinable @inline(__always)
func require(
  _ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
  file: StaticString = #fileID, line: UInt = #line
) {
  if !condition() { blockwiseTrap(message(), file: file, line: line) }
}

/// The single error type of Blockwise.
///
/// Every case carries what was expected and what came in, so its
/// `description` tells the caller what to change:
///
/// ```swift
/// do { _ = try NDArray([1.0, 2, 3], shape: [2, 2]) }
/// catch { print(error) }  // "count mismatch: shape [2, 2] needs 4 scalars, got 3"
/// ```
public enum BlockwiseError: Error, CustomStringConvertible, Equatable, Sendable {
  /// Two arrays (or an array and a required shape) disagree.
  case shapeMismatch(expected: [Int], got: [Int])
  /// The number of scalars does not match the shape's product.
  case countMismatch(expected: Int, got: Int)
  /// A shape has a negative dimension.
  case negativeDimension(shape: [Int])
  /// An argument has the wrong number of dimensions.
  case rankMismatch(argument: String, expected: Int, got: Int)
  /// Two paired 1-D arguments (for example `x` and `y` points) differ in length.
  case lengthMismatch(argument: String, expected: Int, got: Int)
  /// An axis is not strictly increasing at `index` (`axis[index] <= axis[index - 1]`).
  case notStrictlyIncreasing(axis: String, index: Int, previous: Double, value: Double)
  /// An axis has fewer knots than the routine needs.
  case tooFewKnots(axis: String, minimum: Int, got: Int)
  /// An argument holds NaN or an infinity where finite values are required.
  case nonFinite(argument: String, index: Int, value: Double)
  /// LAPACK found an exactly zero pivot: the matrix is singular.
  case singularMatrix(pivot: Int)
  /// A reduction that needs at least one element got none.
  case emptyArray(operation: String)
  /// An argument is outside its valid range.
  case invalidArgument(name: String, expected: String, got: String)
  /// A LAPACK routine reported an illegal argument (a bug in Blockwise if it happens).
  case lapackFailure(routine: String, info: Int)
  /// The system refused the memory an array of the requested shape needs.
  case allocationFailed(bytes: Int)
  /// A file could not be read or written, or is not a valid file of its
  /// format: the path and what is wrong.
  case file(path: String, problem: String)
  /// An expression's source does not parse: what was expected at `column`
  /// (a 0-based character offset) and, when there is one, what was found.
  case expressionSyntax(source: String, column: Int, expected: String, found: String?)
  /// An expression reads `variable`, but the inputs bind no array to it.
  case missingVariable(variable: String, expression: String)
  /// The inputs bind `variable`, which the expression does not read.
  case unknownVariable(variable: String, expression: String, reads: [String])
  /// `variable`'s array does not have the shape of the other inputs.
  case variableShapeMismatch(variable: String, expected: [Int], got: [Int], shapeOf: String)
  /// An MPI call failed (BlockwiseMPI): the call and MPI's error string.
  case communication(call: String, problem: String)
  /// Another process of a collective job failed (BlockwiseMPI): its rank
  /// and its error's message. Every rank of the job receives this error.
  case rankFailed(rank: Int, message: String)

  /// The message a user reads: what was expected and what came in.
  public var description: String {
    switch self {
    case let .shapeMismatch(expected, got):
      return "shape mismatch: expected \(expected), got \(got)"
    case let .countMismatch(expected, got):
      return "count mismatch: the shape needs \(expected) scalars, got \(got)"
    case let .negativeDimension(shape):
      return "negative dimension: every dimension must be >= 0, got shape \(shape)"
    case let .rankMismatch(argument, expected, got):
      return "rank mismatch: \(argument) must have \(expected) dimension(s), got \(got)"
    case let .lengthMismatch(argument, expected, got):
      return "length mismatch: \(argument) must have \(expected) elements, got \(got)"
    case let .notStrictlyIncreasing(axis, index, previous, value):
      return "axis \(axis) must be strictly increasing: \(axis)[\(index)] = \(value) "
        + "is not greater than \(axis)[\(index - 1)] = \(previous)"
    case let .tooFewKnots(axis, minimum, got):
      return "axis \(axis) needs at least \(minimum) knots, got \(got)"
    case let .nonFinite(argument, index, value):
      return "\(argument) must be finite: element \(index) is \(value)"
    case let .singularMatrix(pivot):
      return "singular matrix: pivot \(pivot) is exactly zero, expected a nonsingular matrix"
    case let .emptyArray(operation):
      return "\(operation) needs at least one element, got an empty array"
    case let .invalidArgument(name, expected, got):
      return "invalid \(name): expected \(expected), got \(got)"
    case let .lapackFailure(routine, info):
      return "\(routine) rejected argument \(-info) (info = \(info))"
    case let .file(path, problem):
      return "\(path): \(problem)"
    case let .expressionSyntax(source, column, expected, found):
      let tail = found.map { ", found \($0)" } ?? ""
      return "expected \(expected) at column \(column) of \"\(source)\"\(tail)"
    case let .missingVariable(variable, expression):
      return "expression \"\(expression)\" reads variable '\(variable)', but no array is bound to it"
    case let .unknownVariable(variable, expression, reads):
      return "variable '\(variable)' is bound, but expression \"\(expression)\" reads only "
        + (reads.isEmpty ? "constants" : reads.map { "'\($0)'" }.joined(separator: ", "))
    case let .variableShapeMismatch(variable, expected, got, shapeOf):
      return "variable '\(variable)' has shape \(got), expected \(expected) (the shape of '\(shapeOf)'); "
        + "bind arrays of one shape, or rank-0 arrays for scalars"
    case let .communication(call, problem):
      return "\(call) failed: \(problem)"
    case let .rankFailed(rank, message):
      return "rank \(rank) failed: \(message)"
    case let .allocationFailed(bytes):
      return "allocation failed: the array needs \(bytes) bytes, more than the system would give"
    }
  }
}

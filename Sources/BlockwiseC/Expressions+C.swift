import Blockwise
import CBlockwiseCHeader  // blockwise_status and the header's other types

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#endif

// blockwise.h: expressions behind opaque handles. Inputs come in the
// order of the expression's variables; each is the common length or a
// single value (a scalar, bound as a rank-0 array).

final class ExpressionHandle {
  enum Compiled { case f64(Blockwise.Expression<Double>), f32(Blockwise.Expression<Float>) }
  let compiled: Compiled
  let variables: [String]
  /// The variable names as C strings, freed with the handle.
  let names: [UnsafeMutablePointer<CChar>]

  init(_ compiled: Compiled) {
    self.compiled = compiled
    switch compiled {
    case let .f64(e): variables = e.variables
    case let .f32(e): variables = e.variables
    }
    names = variables.map { strdup($0)! }
  }

  deinit { for n in names { free(n) } }
}

/// Compiles source ("exp(-x*x/2) * cos(3*y)") for float64 (f32 = 0) or float32 (f32 = 1) arrays. A
/// syntax error is BLOCKWISE_EXPRESSION_ERROR with the column in the message. C entry point
/// `blockwise_expression_create` (declared and documented in include/blockwise.h); returns a
/// blockwise_status where it can fail, the message in `blockwise_last_error()`.
@_cdecl("blockwise_expression_create")
public func blockwise_expression_create(
  _ source: UnsafePointer<CChar>?, _ f32: Int32, _ out: UnsafeMutablePointer<OpaquePointer?>?
) -> blockwise_status {
  guarded {
    let handle = try resultPointer(out, "expression")
    handle.pointee = nil
    guard let source else { throw invalid("source", expected: "a NUL-terminated string", got: "NULL") }
    let text = String(cString: source)
    switch f32 {
    case 0: store(ExpressionHandle(.f64(try Blockwise.Expression<Double>(text))), into: handle)
    case 1: store(ExpressionHandle(.f32(try Blockwise.Expression<Float>(text))), into: handle)
    default: throw invalid("f32", expected: "0 (float64) or 1 (float32)", got: "\(f32)")
    }
  }
}

/// Compiles source ("exp(-x*x/2) * cos(3*y)") for float64 (f32 = 0) or float32 (f32 = 1) arrays. A
/// syntax error is BLOCKWISE_EXPRESSION_ERROR with the column in the message. C entry point
/// `blockwise_expression_free`, declared in include/blockwise.h.
@_cdecl("blockwise_expression_free")
public func blockwise_expression_free(_ h: OpaquePointer?) { releaseHandle(h) }

/// The variables the expression reads, in the order its evaluate and reduce functions take their
/// inputs (-1 / NULL for a bad handle or index). C entry point
/// `blockwise_expression_variable_count`, declared in include/blockwise.h.
@_cdecl("blockwise_expression_variable_count")
public func blockwise_expression_variable_count(_ h: OpaquePointer?) -> Int64 {
  guard let e = try? object(h, ExpressionHandle.self, "expression") else { return -1 }
  return Int64(e.variables.count)
}

/// The variables the expression reads, in the order its evaluate and reduce functions take their
/// inputs (-1 / NULL for a bad handle or index). C entry point
/// `blockwise_expression_variable_name`, declared in include/blockwise.h.
@_cdecl("blockwise_expression_variable_name")
public func blockwise_expression_variable_name(_ h: OpaquePointer?, _ index: Int64) -> UnsafePointer<CChar>? {
  guard let e = try? object(h, ExpressionHandle.self, "expression"), index >= 0, index < Int64(e.names.count) else {
    return nil
  }
  return UnsafePointer(e.names[Int(index)])
}

/// The caller's inputs, checked: one buffer per variable, each of the
/// common length `count` or a single value.
struct ExpressionInputs<E: NDArrayScalar> {
  let buffers: [UnsafeBufferPointer<E>]
  let names: [String]
  /// The length of the arrays (1 when every input is a single value).
  let count: Int
  /// The result's shape: `[count]`, or `[]` when every input is a scalar
  /// (or there are none).
  let shape: [Int]

  init(_ handle: ExpressionHandle, _ inputs: UnsafePointer<UnsafePointer<E>?>?, _ lengths: UnsafePointer<Int64>?, _ n: Int64) throws {
    let k = try length(n, "n_inputs")
    guard k == handle.variables.count else {
      throw BlockwiseError.lengthMismatch(argument: "inputs (one per variable: \(handle.variables.joined(separator: ", ")))",
                                          expected: handle.variables.count, got: k)
    }
    guard k == 0 || (inputs != nil && lengths != nil) else {
      throw invalid("inputs", expected: "arrays of \(k) pointers and lengths", got: "NULL")
    }
    var lens: [Int] = []
    for v in 0..<k { lens.append(try length(lengths![v], "lengths[\(v)] (\(handle.variables[v]))")) }
    let arrays = lens.filter { $0 != 1 }
    let common = arrays.first ?? 1
    for (v, l) in lens.enumerated() where l != 1 && l != common {
      throw BlockwiseError.variableShapeMismatch(
        variable: handle.variables[v], expected: [common], got: [l], shapeOf: handle.variables[lens.firstIndex(of: common)!])
    }
    buffers = try (0..<k).map { v in try input(inputs![v], lens[v], "inputs[\(v)] (\(handle.variables[v]))") }
    names = handle.variables
    count = common
    shape = arrays.isEmpty ? [] : [common]
  }

  /// Calls `body` with the inputs bound as arrays of `S` (the caller's
  /// memory when the types agree).
  func withBound<S: NDArrayScalar, R>(as _: S.Type, _ body: ([String: NDArray<S>]) throws -> R) throws -> R {
    func bind(_ v: Int, _ bound: [String: NDArray<S>]) throws -> R {
      guard v < buffers.count else { return try body(bound) }
      let b = buffers[v]
      // Single values bind as rank-0 scalars (arrays then have count != 1).
      let shape = self.shape.isEmpty || b.count != count ? [] : [count]
      return try withInput(b, shape: shape, as: S.self) { a in
        var next = bound
        next[names[v]] = a
        return try bind(v + 1, next)
      }
    }
    return try bind(0, [:])
  }
}

func expressionEvaluate<E: NDArrayScalar>(
  _ h: OpaquePointer?, _ inputs: UnsafePointer<UnsafePointer<E>?>?, _ lengths: UnsafePointer<Int64>?, _ n: Int64,
  _ out: UnsafeMutablePointer<E>?, _ outLen: Int64
) -> blockwise_status {
  guarded {
    let e = try object(h, ExpressionHandle.self, "expression")
    let bound = try ExpressionInputs(e, inputs, lengths, n)
    let o = try output(out, outLen, needed: bound.shape.isEmpty ? 1 : bound.count, "out")
    func run<S: NDArrayScalar>(_ x: Blockwise.Expression<S>) throws {
      try bound.withBound(as: S.self) { arrays in
        try withOutput(o, shape: bound.shape, as: S.self) { r in try x.evaluate(arrays, into: &r) }
      }
    }
    switch e.compiled {
    case let .f64(x): try run(x)
    case let .f32(x): try run(x)
    }
  }
}

func expressionReduce<E: NDArrayScalar>(
  _ h: OpaquePointer?, _ reduction: Int32, _ inputs: UnsafePointer<UnsafePointer<E>?>?, _ lengths: UnsafePointer<Int64>?,
  _ n: Int64, _ result: UnsafeMutablePointer<E>?
) -> blockwise_status {
  guarded {
    let e = try object(h, ExpressionHandle.self, "expression")
    let bound = try ExpressionInputs(e, inputs, lengths, n)
    let r = try resultPointer(result)
    guard (0..<Reduction.count).contains(reduction) else {
      throw invalid("reduction", expected: "BLOCKWISE_SUM ... BLOCKWISE_LOG_SUM_EXP (0 ... 4)", got: "\(reduction)")
    }
    func run<S: NDArrayScalar>(_ x: Blockwise.Expression<S>) throws -> E {
      try bound.withBound(as: S.self) { arrays in
        let v: S
        switch reduction {
        case Reduction.sum: v = try x.sum(arrays)
        case Reduction.min: v = try x.min(arrays)
        case Reduction.max: v = try x.max(arrays)
        case Reduction.sumExp: v = try x.sumExp(arrays)
        default: v = try x.logSumExp(arrays)
        }
        return convert(v, to: E.self)
      }
    }
    switch e.compiled {
    case let .f64(x): r.pointee = try run(x)
    case let .f32(x): r.pointee = try run(x)
    }
  }
}

/// Evaluates elementwise: inputs[v] (lengths[v] elements) binds variable v; every input has length
/// n or 1 (a scalar that broadcasts), and n is the common length of the others (1 if all are
/// scalars). out_len = n. n_inputs must equal blockwise_expression_variable_count. C entry point
/// `blockwise_expression_evaluate_f64` (declared and documented in include/blockwise.h); returns a
/// blockwise_status where it can fail, the message in `blockwise_last_error()`.
@_cdecl("blockwise_expression_evaluate_f64")
public func blockwise_expression_evaluate_f64(
  _ h: OpaquePointer?, _ inputs: UnsafePointer<UnsafePointer<Double>?>?, _ lengths: UnsafePointer<Int64>?,
  _ n: Int64, _ out: UnsafeMutablePointer<Double>?, _ outLen: Int64
) -> blockwise_status { expressionEvaluate(h, inputs, lengths, n, out, outLen) }

/// Evaluates elementwise: inputs[v] (lengths[v] elements) binds variable v; every input has length
/// n or 1 (a scalar that broadcasts), and n is the common length of the others (1 if all are
/// scalars). out_len = n. n_inputs must equal blockwise_expression_variable_count. C entry point
/// `blockwise_expression_evaluate_f32` (declared and documented in include/blockwise.h); returns a
/// blockwise_status where it can fail, the message in `blockwise_last_error()`.
@_cdecl("blockwise_expression_evaluate_f32")
public func blockwise_expression_evaluate_f32(
  _ h: OpaquePointer?, _ inputs: UnsafePointer<UnsafePointer<Float>?>?, _ lengths: UnsafePointer<Int64>?,
  _ n: Int64, _ out: UnsafeMutablePointer<Float>?, _ outLen: Int64
) -> blockwise_status { expressionEvaluate(h, inputs, lengths, n, out, outLen) }

/// *result = the reduction (blockwise_reduction) of the expression's values, fused: no array of
/// values is formed; deterministic for any thread count. C entry point
/// `blockwise_expression_reduce_f64` (declared and documented in
/// include/blockwise.h); returns a blockwise_status where it can fail, the message in
/// `blockwise_last_error()`.
@_cdecl("blockwise_expression_reduce_f64")
public func blockwise_expression_reduce_f64(
  _ h: OpaquePointer?, _ reduction: blockwise_reduction, _ inputs: UnsafePointer<UnsafePointer<Double>?>?,
  _ lengths: UnsafePointer<Int64>?, _ n: Int64, _ result: UnsafeMutablePointer<Double>?
) -> blockwise_status { expressionReduce(h, Int32(bitPattern: reduction.rawValue), inputs, lengths, n, result) }

/// The float32 form of `blockwise_expression_reduce_f64` (the reduction accumulates in double).
/// C entry point `blockwise_expression_reduce_f32` (declared and documented in
/// include/blockwise.h); returns a blockwise_status where it can fail, the message in
/// `blockwise_last_error()`.
@_cdecl("blockwise_expression_reduce_f32")
public func blockwise_expression_reduce_f32(
  _ h: OpaquePointer?, _ reduction: blockwise_reduction, _ inputs: UnsafePointer<UnsafePointer<Float>?>?,
  _ lengths: UnsafePointer<Int64>?, _ n: Int64, _ result: UnsafeMutablePointer<Float>?
) -> blockwise_status { expressionReduce(h, Int32(bitPattern: reduction.rawValue), inputs, lengths, n, result) }

/// Splits numexpr's `reduction(argument)` around a whole source (sum, min, max, sum_exp,
/// logsumexp, prod) by the expression tokenizer: 1 and the reduction's name in `name`
/// (NUL-terminated, name_len bytes of room) and the argument's UTF-8 byte range [*start, *end) of
/// source; 0 when the source is not one such call. C entry point
/// `blockwise_expression_outer_reduction`, declared in include/blockwise.h.
@_cdecl("blockwise_expression_outer_reduction")
public func blockwise_expression_outer_reduction(
  _ source: UnsafePointer<CChar>?, _ name: UnsafeMutablePointer<CChar>?, _ nameLen: Int64,
  _ start: UnsafeMutablePointer<Int64>?, _ end: UnsafeMutablePointer<Int64>?
) -> Int32 {
  guard let source, let name, let start, let end, nameLen > 0 else { return 0 }
  let text = String(cString: source)
  guard let (reduction, argument) = Blockwise.Expression<Double>.outerReduction(in: text),
    reduction.utf8.count < nameLen
  else { return 0 }
  for (k, byte) in reduction.utf8.enumerated() { name[k] = CChar(bitPattern: byte) }
  name[reduction.utf8.count] = 0
  start.pointee = Int64(text.utf8.distance(from: text.startIndex, to: argument.startIndex))
  end.pointee = Int64(text.utf8.distance(from: text.startIndex, to: argument.endIndex))
  return 1
}

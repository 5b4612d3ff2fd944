import Blockwise
import CBlockwiseCHeader  // blockwise_status and the header's other types
internal import CBlockwiseKernels  // BW_XR_*: the one reduction numbering (bw_opcodes.h)

// blockwise.h: exp, sum_exp, log_sum_exp over a caller's buffer, read
// in place.

func expInto<E: NDArrayScalar>(_ x: UnsafePointer<E>?, _ n: Int64, _ out: UnsafeMutablePointer<E>?, _ outLen: Int64) -> blockwise_status {
  guarded {
    let count = try length(n, "n")
    let src = try input(x, count, "x")
    let dst = try output(out, outLen, needed: count, "out")
    try NDArray<E>.withBorrowedArray(src, shape: [count]) { a in
      try NDArray<E>.withBorrowedMutableArray(dst, shape: [count]) { o in try a.exp(into: &o) }
    }
  }
}

func reduce<E: NDArrayScalar>(
  _ x: UnsafePointer<E>?, _ n: Int64, _ result: UnsafeMutablePointer<E>?, _ op: (NDArray<E>) throws -> E
) -> blockwise_status {
  guarded {
    let count = try length(n, "n")
    let src = try input(x, count, "x")
    let r = try resultPointer(result)
    r.pointee = try NDArray<E>.withBorrowedArray(src, shape: [count], op)
  }
}

/// out[i] = exp(x[i]); out_len must equal n. Within 1 ulp. C entry point `blockwise_exp_f64`
/// (declared and documented in include/blockwise.h); returns a blockwise_status where it can fail,
/// the message in `blockwise_last_error()`.
@_cdecl("blockwise_exp_f64")
public func blockwise_exp_f64(_ x: UnsafePointer<Double>?, _ n: Int64, _ out: UnsafeMutablePointer<Double>?, _ outLen: Int64) -> blockwise_status {
  expInto(x, n, out, outLen)
}

/// out[i] = exp(x[i]); out_len must equal n. Within 1 ulp. C entry point `blockwise_exp_f32`
/// (declared and documented in include/blockwise.h); returns a blockwise_status where it can fail,
/// the message in `blockwise_last_error()`.
@_cdecl("blockwise_exp_f32")
public func blockwise_exp_f32(_ x: UnsafePointer<Float>?, _ n: Int64, _ out: UnsafeMutablePointer<Float>?, _ outLen: Int64) -> blockwise_status {
  expInto(x, n, out, outLen)
}

/// *result = sum_i exp(x[i]), fused (0 for n = 0). C entry point `blockwise_sum_exp_f64` (declared
/// and documented in include/blockwise.h); returns a blockwise_status where it can fail, the
/// message in `blockwise_last_error()`.
@_cdecl("blockwise_sum_exp_f64")
public func blockwise_sum_exp_f64(_ x: UnsafePointer<Double>?, _ n: Int64, _ result: UnsafeMutablePointer<Double>?) -> blockwise_status {
  reduce(x, n, result) { $0.sumExp() }
}

/// *result = sum_i exp(x[i]), fused (0 for n = 0). C entry point `blockwise_sum_exp_f32` (declared
/// and documented in include/blockwise.h); returns a blockwise_status where it can fail, the
/// message in `blockwise_last_error()`.
@_cdecl("blockwise_sum_exp_f32")
public func blockwise_sum_exp_f32(_ x: UnsafePointer<Float>?, _ n: Int64, _ result: UnsafeMutablePointer<Float>?) -> blockwise_status {
  reduce(x, n, result) { $0.sumExp() }
}

/// *result = log(sum_i exp(x[i])), max-shifted (-inf for n = 0). C entry point
/// `blockwise_log_sum_exp_f64` (declared and documented in include/blockwise.h); returns a
/// blockwise_status where it can fail, the message in `blockwise_last_error()`.
@_cdecl("blockwise_log_sum_exp_f64")
public func blockwise_log_sum_exp_f64(_ x: UnsafePointer<Double>?, _ n: Int64, _ result: UnsafeMutablePointer<Double>?) -> blockwise_status {
  reduce(x, n, result) { $0.logSumExp() }
}

/// *result = log(sum_i exp(x[i])), max-shifted (-inf for n = 0). C entry point
/// `blockwise_log_sum_exp_f32` (declared and documented in include/blockwise.h); returns a
/// blockwise_status where it can fail, the message in `blockwise_last_error()`.
@_cdecl("blockwise_log_sum_exp_f32")
public func blockwise_log_sum_exp_f32(_ x: UnsafePointer<Float>?, _ n: Int64, _ result: UnsafeMutablePointer<Float>?) -> blockwise_status {
  reduce(x, n, result) { $0.logSumExp() }
}

// MARK: - Reductions by code, whole or along one axis

/// blockwise_reduction's values, from the one list (bw_opcodes.h's
/// BW_REDUCTIONS, whose values blockwise.h spells out).
enum Reduction {
  static let sum = Int32(BW_XR_SUM.rawValue), min = Int32(BW_XR_MIN.rawValue), max = Int32(BW_XR_MAX.rawValue)
  static let sumExp = Int32(BW_XR_SUMEXP.rawValue), logSumExp = Int32(BW_XR_LSE.rawValue)
  static let count = Int32(BW_XR_COUNT.rawValue)
}

/// The name the Python package uses for a reduction code ("sum_exp"); NULL outside
/// blockwise_reduction. C entry point `blockwise_reduction_name`, declared in include/blockwise.h.
@_cdecl("blockwise_reduction_name")
public func blockwise_reduction_name(_ reduction: Int32) -> UnsafePointer<CChar>? { bw_reduction_name(reduction) }

/// Runs reduction `code` (blockwise_reduction: 0 sum, 1 min, 2 max,
/// 3 sum_exp, 4 log_sum_exp) over a whole array.
func reduceAll<E: NDArrayScalar>(_ a: NDArray<E>, _ code: Int32) throws -> E {
  switch code {
  case Reduction.sum: return a.sum()
  case Reduction.min: return try a.min()
  case Reduction.max: return try a.max()
  case Reduction.sumExp: return a.sumExp()
  case Reduction.logSumExp: return a.logSumExp()
  default: throw invalid("reduction", expected: "BLOCKWISE_SUM ... BLOCKWISE_LOG_SUM_EXP (0 ... 4)", got: "\(code)")
  }
}

/// Runs reduction `code` along `axis` (negative counts from the end).
func reduceAlong<E: NDArrayScalar>(_ a: NDArray<E>, _ code: Int32, axis: Int) throws -> NDArray<E> {
  switch code {
  case Reduction.sum: return try a.sum(axis: axis)
  case Reduction.min: return try a.min(axis: axis)
  case Reduction.max: return try a.max(axis: axis)
  case Reduction.sumExp: return try a.sumExp(axis: axis)
  case Reduction.logSumExp: return try a.logSumExp(axis: axis)
  default: throw invalid("reduction", expected: "BLOCKWISE_SUM ... BLOCKWISE_LOG_SUM_EXP (0 ... 4)", got: "\(code)")
  }
}

func reduceCode<E: NDArrayScalar>(_ code: Int32, _ x: UnsafePointer<E>?, _ n: Int64, _ result: UnsafeMutablePointer<E>?) -> blockwise_status {
  guarded {
    let count = try length(n, "n")
    let src = try input(x, count, "x")
    let r = try resultPointer(result)
    r.pointee = try NDArray<E>.withBorrowedArray(src, shape: [count]) { try reduceAll($0, code) }
  }
}

func reduceAxisCode<E: NDArrayScalar>(
  _ code: Int32, _ x: UnsafePointer<E>?, _ shapePointer: UnsafePointer<Int64>?, _ ndim: Int64, _ axis: Int64,
  _ out: UnsafeMutablePointer<E>?, _ outLen: Int64
) -> blockwise_status {
  guarded {
    let rank = try length(ndim, "ndim")
    guard rank >= 1 && rank <= 32 else { throw invalid("ndim", expected: "1 ... 32 dimensions", got: "\(ndim)") }
    guard let shapePointer else { throw invalid("shape", expected: "a pointer to \(rank) dimensions", got: "NULL") }
    let shape = try (0..<rank).map { try length(shapePointer[$0], "shape[\($0)]") }
    guard axis >= -Int64(rank) && axis < Int64(rank) else {
      throw invalid("axis", expected: "an axis in \(-rank) ..< \(rank) for \(rank) dimensions", got: "\(axis)")
    }
    let a = Int(axis < 0 ? axis + Int64(rank) : axis)
    let count = try product(shape, "shape")
    let src = try input(x, count, "x")
    let kept = try product(shape.enumerated().filter { $0.offset != a }.map(\.element), "out")
    let o = try output(out, outLen, needed: kept, "out")
    try NDArray<E>.withBorrowedArray(src, shape: shape) { array in
      let r = try reduceAlong(array, code, axis: a)
      r.withUnsafeBufferPointer { b in
        if let base = b.baseAddress, b.count > 0 { o.baseAddress!.update(from: base, count: b.count) }
      }
    }
  }
}

/// *result = the reduction of all n elements of x (blockwise_reduction): sum 0 and sum_exp 0 for
/// n = 0, log_sum_exp -inf, min and max BLOCKWISE_EMPTY. C entry point `blockwise_reduce_f64`
/// (declared and documented in include/blockwise.h); returns a blockwise_status, the message in
/// `blockwise_last_error()`.
@_cdecl("blockwise_reduce_f64")
public func blockwise_reduce_f64(_ reduction: Int32, _ x: UnsafePointer<Double>?, _ n: Int64, _ result: UnsafeMutablePointer<Double>?) -> blockwise_status {
  reduceCode(reduction, x, n, result)
}

/// The float32 form of `blockwise_reduce_f64` (accumulated in double, rounded once). C entry point
/// `blockwise_reduce_f32`, declared in include/blockwise.h.
@_cdecl("blockwise_reduce_f32")
public func blockwise_reduce_f32(_ reduction: Int32, _ x: UnsafePointer<Float>?, _ n: Int64, _ result: UnsafeMutablePointer<Float>?) -> blockwise_status {
  reduceCode(reduction, x, n, result)
}

/// Reduction along one axis of a row-major array of shape[0..ndim): out (out_len = the product of
/// the other dimensions, row-major) gets one value per position of the other axes; axis may be
/// negative (from the end). Deterministic for any thread count. C entry point
/// `blockwise_reduce_axis_f64`, declared in include/blockwise.h.
@_cdecl("blockwise_reduce_axis_f64")
public func blockwise_reduce_axis_f64(
  _ reduction: Int32, _ x: UnsafePointer<Double>?, _ shape: UnsafePointer<Int64>?, _ ndim: Int64, _ axis: Int64,
  _ out: UnsafeMutablePointer<Double>?, _ outLen: Int64
) -> blockwise_status { reduceAxisCode(reduction, x, shape, ndim, axis, out, outLen) }

/// The float32 form of `blockwise_reduce_axis_f64`. C entry point `blockwise_reduce_axis_f32`,
/// declared in include/blockwise.h.
@_cdecl("blockwise_reduce_axis_f32")
public func blockwise_reduce_axis_f32(
  _ reduction: Int32, _ x: UnsafePointer<Float>?, _ shape: UnsafePointer<Int64>?, _ ndim: Int64, _ axis: Int64,
  _ out: UnsafeMutablePointer<Float>?, _ outLen: Int64
) -> blockwise_status { reduceAxisCode(reduction, x, shape, ndim, axis, out, outLen) }

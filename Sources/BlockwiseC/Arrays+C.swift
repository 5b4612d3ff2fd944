import Blockwise

// blockwise.h: exp, sum_exp, log_sum_exp over a caller's buffer, read
// in place.

func expInto<E: NDArrayScalar>(_ x: UnsafePointer<E>?, _ n: Int64, _ out: UnsafeMutablePointer<E>?, _ outLen: Int64) -> Int32 {
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
) -> Int32 {
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
public func blockwise_exp_f64(_ x: UnsafePointer<Double>?, _ n: Int64, _ out: UnsafeMutablePointer<Double>?, _ outLen: Int64) -> Int32 {
  expInto(x, n, out, outLen)
}

/// out[i] = exp(x[i]); out_len must equal n. Within 1 ulp. C entry point `blockwise_exp_f32`
/// (declared and documented in include/blockwise.h); returns a blockwise_status where it can fail,
/// the message in `blockwise_last_error()`.
@_cdecl("blockwise_exp_f32")
public func blockwise_exp_f32(_ x: UnsafePointer<Float>?, _ n: Int64, _ out: UnsafeMutablePointer<Float>?, _ outLen: Int64) -> Int32 {
  expInto(x, n, out, outLen)
}

/// *result = sum_i exp(x[i]), fused (0 for n = 0). C entry point `blockwise_sum_exp_f64` (declared
/// and documented in include/blockwise.h); returns a blockwise_status where it can fail, the
/// message in `blockwise_last_error()`.
@_cdecl("blockwise_sum_exp_f64")
public func blockwise_sum_exp_f64(_ x: UnsafePointer<Double>?, _ n: Int64, _ result: UnsafeMutablePointer<Double>?) -> Int32 {
  reduce(x, n, result) { $0.sumExp() }
}

/// *result = sum_i exp(x[i]), fused (0 for n = 0). C entry point `blockwise_sum_exp_f32` (declared
/// and documented in include/blockwise.h); returns a blockwise_status where it can fail, the
/// message in `blockwise_last_error()`.
@_cdecl("blockwise_sum_exp_f32")
public func blockwise_sum_exp_f32(_ x: UnsafePointer<Float>?, _ n: Int64, _ result: UnsafeMutablePointer<Float>?) -> Int32 {
  reduce(x, n, result) { $0.sumExp() }
}

/// *result = log(sum_i exp(x[i])), max-shifted (-inf for n = 0). C entry point
/// `blockwise_log_sum_exp_f64` (declared and documented in include/blockwise.h); returns a
/// blockwise_status where it can fail, the message in `blockwise_last_error()`.
@_cdecl("blockwise_log_sum_exp_f64")
public func blockwise_log_sum_exp_f64(_ x: UnsafePointer<Double>?, _ n: Int64, _ result: UnsafeMutablePointer<Double>?) -> Int32 {
  reduce(x, n, result) { $0.logSumExp() }
}

/// *result = log(sum_i exp(x[i])), max-shifted (-inf for n = 0). C entry point
/// `blockwise_log_sum_exp_f32` (declared and documented in include/blockwise.h); returns a
/// blockwise_status where it can fail, the message in `blockwise_last_error()`.
@_cdecl("blockwise_log_sum_exp_f32")
public func blockwise_log_sum_exp_f32(_ x: UnsafePointer<Float>?, _ n: Int64, _ result: UnsafeMutablePointer<Float>?) -> Int32 {
  reduce(x, n, result) { $0.logSumExp() }
}

import Blockwise
import CBlockwiseCHeader  // blockwise_status and the header's other types

// blockwise.h: reduction partials, for callers that split an input across
// processes or tasks (Dask, MPI, Ray) and want one process's bits: each
// piece gives its leaf partials, the caller concatenates them in index
// order, and blockwise_partials_total combines them pairwise. Pieces that
// start at multiples of the leaf length give exactly the partials of the
// whole.

/// The partial kind of a reduction code: sum and sum_exp add leaf sums,
/// log_sum_exp combines (shift, sum) pairs.
func partialKind(_ code: Int32) throws -> ReductionPartials.Kind {
  switch code {
  case Reduction.sum, Reduction.sumExp: return .sum
  case Reduction.logSumExp: return .logSumExp
  default:
    throw invalid("reduction", expected: "BLOCKWISE_SUM, BLOCKWISE_SUM_EXP or BLOCKWISE_LOG_SUM_EXP", got: "\(code)")
  }
}

/// Writes `partials.values` to `out` (out_len must be their count).
func writePartials(_ partials: ReductionPartials, _ out: UnsafeMutablePointer<Double>?, _ outLen: Int64) throws {
  let o = try output(out, outLen, needed: partials.values.count, "out")
  for (k, v) in partials.values.enumerated() { o[k] = v }
}

func arrayPartials<E: NDArrayScalar>(
  _ code: Int32, _ x: UnsafePointer<E>?, _ n: Int64, _ out: UnsafeMutablePointer<Double>?, _ outLen: Int64
) -> blockwise_status {
  guarded {
    let kind = try partialKind(code)
    let count = try length(n, "n")
    let src = try input(x, count, "x")
    let partials = try NDArray<E>.withBorrowedArray(src, shape: [count]) { a -> ReductionPartials in
      switch code {
      case Reduction.sum: return a.sumPartials()
      case Reduction.sumExp: return a.sumExpPartials()
      default: _ = kind; return a.logSumExpPartials()
      }
    }
    try writePartials(partials, out, outLen)
  }
}

/// Elements per leaf of the array reductions (BlockPolicy.reductionLeaf). C entry point
/// `blockwise_reduction_leaf`, declared in include/blockwise.h.
@_cdecl("blockwise_reduction_leaf")
public func blockwise_reduction_leaf() -> Int64 { Int64(BlockPolicy.reductionLeaf) }

/// Points per leaf of the stacks' sum_exp (bilinear: 0, smooth: 1). C entry point
/// `blockwise_stack_sum_exp_leaf`, declared in include/blockwise.h.
@_cdecl("blockwise_stack_sum_exp_leaf")
public func blockwise_stack_sum_exp_leaf(_ smooth: Int32) -> Int64 {
  Int64(smooth != 0 ? BlockPolicy.bivariateStackSumLeaf : BlockPolicy.bilinearStackSumLeaf)
}

/// The leaf partials of reduction BLOCKWISE_SUM, BLOCKWISE_SUM_EXP (one double per leaf) or
/// BLOCKWISE_LOG_SUM_EXP (a (shift, sum) pair per leaf) over n elements; out_len = ceil(n / leaf)
/// times that. C entry point `blockwise_partials_f64`, declared in include/blockwise.h.
@_cdecl("blockwise_partials_f64")
public func blockwise_partials_f64(
  _ reduction: Int32, _ x: UnsafePointer<Double>?, _ n: Int64, _ out: UnsafeMutablePointer<Double>?, _ outLen: Int64
) -> blockwise_status { arrayPartials(reduction, x, n, out, outLen) }

/// The float32 form of `blockwise_partials_f64` (partials in double). C entry point
/// `blockwise_partials_f32`, declared in include/blockwise.h.
@_cdecl("blockwise_partials_f32")
public func blockwise_partials_f32(
  _ reduction: Int32, _ x: UnsafePointer<Float>?, _ n: Int64, _ out: UnsafeMutablePointer<Double>?, _ outLen: Int64
) -> blockwise_status { arrayPartials(reduction, x, n, out, outLen) }

/// *result = the combination of `count` partial values in index order (pairwise), exactly as one
/// call over the whole input combines its leaves. C entry point `blockwise_partials_total`,
/// declared in include/blockwise.h.
@_cdecl("blockwise_partials_total")
public func blockwise_partials_total(
  _ reduction: Int32, _ values: UnsafePointer<Double>?, _ count: Int64, _ result: UnsafeMutablePointer<Double>?
) -> blockwise_status {
  guarded {
    let kind = try partialKind(reduction)
    let n = try length(count, "count")
    let v = try input(values, n, "values")
    let r = try resultPointer(result)
    // (The leaf length is metadata here: the values are combined as given.)
    r.pointee = try ReductionPartials(kind: kind, leafLength: 1, values: Array(v)).total()
  }
}

/// The leaf sums of a stack's sum_exp (a bilinear or a smooth stack handle) over n points: one
/// double per leaf of blockwise_stack_sum_exp_leaf points; blockwise_partials_total with
/// BLOCKWISE_SUM_EXP combines them. C entry point `blockwise_stack_partials_f64`, declared in
/// include/blockwise.h.
@_cdecl("blockwise_stack_partials_f64")
public func blockwise_stack_partials_f64(
  _ h: UnsafeRawPointer?, _ xi: UnsafePointer<Double>?, _ yi: UnsafePointer<Double>?, _ n: Int64,
  _ out: UnsafeMutablePointer<Double>?, _ outLen: Int64
) -> blockwise_status { stackPartials(h.map(OpaquePointer.init), xi, yi, n, out, outLen) }

/// The float32 form of `blockwise_stack_partials_f64`. C entry point
/// `blockwise_stack_partials_f32`, declared in include/blockwise.h.
@_cdecl("blockwise_stack_partials_f32")
public func blockwise_stack_partials_f32(
  _ h: UnsafeRawPointer?, _ xi: UnsafePointer<Float>?, _ yi: UnsafePointer<Float>?, _ n: Int64,
  _ out: UnsafeMutablePointer<Double>?, _ outLen: Int64
) -> blockwise_status { stackPartials(h.map(OpaquePointer.init), xi, yi, n, out, outLen) }

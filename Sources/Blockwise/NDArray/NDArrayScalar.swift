internal import CBLAS
internal import CBlockwiseFormats
internal import CBlockwiseKernels

/// The element types of `NDArray`: `Float` and `Double`.
///
/// Each conformance routes the array's bulk operations to concrete C and
/// BLAS entry points, so generic code pays one witness call per operation,
/// never per element, whatever module it is called from. The underscored
/// requirements are implementation details; do not conform other types.
public protocol NDArrayScalar: BinaryFloatingPoint, Sendable, CustomStringConvertible {
  // Elementwise
  static func _bwExp(_ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, _ n: Int)
  /// `bw_binary2d`: y[i*ldy + j] = a[i*ars + j*acs] op b[i*brs + j*bcs]; 0, or -1 for an unknown op.
  static func _bwBinary2D(
    _ op: Int32, _ a: UnsafePointer<Self>, _ ars: Int, _ acs: Int, _ b: UnsafePointer<Self>,
    _ brs: Int, _ bcs: Int, _ y: UnsafeMutablePointer<Self>, _ ldy: Int, _ rows: Int, _ cols: Int
  ) -> Int32
  // Strided-axis reductions into Double accumulators (see bw_rows_*)
  static func _bwRowsSum(
    _ x: UnsafePointer<Self>, _ rows: Int, _ ld: Int, _ cols: Int, _ acc: UnsafeMutablePointer<Double>)
  static func _bwRowsSumExp(
    _ x: UnsafePointer<Self>, _ rows: Int, _ ld: Int, _ cols: Int, _ shift: UnsafePointer<Double>?,
    _ acc: UnsafeMutablePointer<Double>)
  static func _bwRowsMax(
    _ x: UnsafePointer<Self>, _ rows: Int, _ ld: Int, _ cols: Int, _ acc: UnsafeMutablePointer<Double>)
  static func _bwRowsMin(
    _ x: UnsafePointer<Self>, _ rows: Int, _ ld: Int, _ cols: Int, _ acc: UnsafeMutablePointer<Double>)
  // Random streams (Philox4x64-10; see bw_random_*)
  static func _bwRandomUniform(
    _ seed: UInt64, _ first: Int, _ n: Int, _ lo: Double, _ width: Double, _ hi: Double,
    _ out: UnsafeMutablePointer<Self>)
  static func _bwRandomNormal(
    _ seed: UInt64, _ first: Int, _ n: Int, _ mean: Double, _ sd: Double, _ out: UnsafeMutablePointer<Self>)
  // Expressions (see bw_expr_*); `program` points at a bw_expr_program
  static func _bwExprOp(
    _ op: Int32, _ n: Int, _ y: UnsafeMutablePointer<Self>, _ a: UnsafePointer<Self>, _ aStride: Int,
    _ b: UnsafePointer<Self>, _ bStride: Int, _ c: UnsafePointer<Self>, _ cStride: Int)
  static func _bwExprEval(
    _ program: UnsafeRawPointer, _ inputs: UnsafePointer<UnsafePointer<Self>?>, _ start: Int, _ n: Int,
    _ out: UnsafeMutablePointer<Self>)
  static func _bwExprReduce(
    _ program: UnsafeRawPointer, _ inputs: UnsafePointer<UnsafePointer<Self>?>, _ start: Int, _ n: Int,
    _ kind: Int32, _ shift: UnsafeMutablePointer<Double>?
  ) -> Double
  // numpy dtypes on read (see bw_convert_to_*)
  static func _bwConvertFromNumpy(
    _ kind: Int32, _ swap: Bool, _ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Self>, _ n: Int)
  // Layout
  static func _bwCopy2D(
    _ src: UnsafePointer<Self>, _ srs: Int, _ scs: Int, _ dst: UnsafeMutablePointer<Self>, _ ldd: Int,
    _ rows: Int, _ cols: Int)
  // Leaf reductions, accumulated in Double
  static func _bwSum(_ x: UnsafePointer<Self>, _ n: Int) -> Double
  static func _bwSumExp(_ x: UnsafePointer<Self>, _ n: Int, _ shift: Double) -> Double
  static func _bwMax(_ x: UnsafePointer<Self>, _ n: Int) -> Double
  static func _bwMin(_ x: UnsafePointer<Self>, _ n: Int) -> Double
  static func _bwLogSumExpLeaf(_ x: UnsafePointer<Self>, _ n: Int, _ max: UnsafeMutablePointer<Double>) -> Double
  // Bulk fill and scan (generic code calls these once, not per element)
  static func _bwFill(_ p: UnsafeMutablePointer<Self>, _ value: Self, _ n: Int)
  static func _bwFirstNonFinite(_ p: UnsafePointer<Self>, _ n: Int) -> Int?
  // Conversions through Double (the spline kernels compute in Double)
  static func _bwWiden(_ src: UnsafePointer<Self>, _ dst: UnsafeMutablePointer<Double>, _ n: Int)
  static func _bwNarrow(_ src: UnsafePointer<Double>, _ dst: UnsafeMutablePointer<Self>, _ n: Int)
  // BLAS / LAPACK (row-major)
  static func _bwDot(_ n: Int, _ x: UnsafePointer<Self>, _ y: UnsafePointer<Self>) -> Self
  static func _bwGemm(
    _ m: Int, _ n: Int, _ k: Int, _ a: UnsafePointer<Self>, _ lda: Int,
    _ b: UnsafePointer<Self>, _ ldb: Int, _ c: UnsafeMutablePointer<Self>, _ ldc: Int)
  static func _bwGemv(
    _ m: Int, _ n: Int, _ a: UnsafePointer<Self>, _ lda: Int, _ x: UnsafePointer<Self>,
    _ y: UnsafeMutablePointer<Self>)
  static func _bwGesv(
    _ n: Int, _ nrhs: Int, _ a: UnsafeMutablePointer<Self>, _ lda: Int,
    _ ipiv: UnsafeMutablePointer<Int32>, _ b: UnsafeMutablePointer<Self>, _ ldb: Int) -> Int32
}

extension Double: NDArrayScalar {
  /// Double's `NDArrayScalar._bwFill`: the concrete kernel call (see the requirement's documentation).
  public static func _bwFill(_ p: UnsafeMutablePointer<Double>, _ value: Double, _ n: Int) {
    p.initialize(repeating: value, count: n)
  }
  /// Double's `NDArrayScalar._bwFirstNonFinite`: the concrete kernel call (see the requirement's documentation).
  public static func _bwFirstNonFinite(_ p: UnsafePointer<Double>, _ n: Int) -> Int? {
    UnsafeBufferPointer(start: p, count: n).firstIndex { !$0.isFinite }
  }
  /// Double's `NDArrayScalar._bwWiden`: the concrete kernel call (see the requirement's documentation).
  public static func _bwWiden(_ src: UnsafePointer<Double>, _ dst: UnsafeMutablePointer<Double>, _ n: Int) {
    dst.update(from: src, count: n)
  }
  /// Double's `NDArrayScalar._bwNarrow`: the concrete kernel call (see the requirement's documentation).
  public static func _bwNarrow(_ src: UnsafePointer<Double>, _ dst: UnsafeMutablePointer<Double>, _ n: Int) {
    dst.update(from: src, count: n)
  }
  /// Double's `NDArrayScalar._bwExp`: the concrete kernel call (see the requirement's documentation).
  public static func _bwExp(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, _ n: Int) {
    bw_exp_f64(x, y, n)
  }
  /// Double's `NDArrayScalar._bwBinary2D`: the concrete kernel call (see the requirement's documentation).
  public static func _bwBinary2D(
    _ op: Int32, _ a: UnsafePointer<Double>, _ ars: Int, _ acs: Int, _ b: UnsafePointer<Double>,
    _ brs: Int, _ bcs: Int, _ y: UnsafeMutablePointer<Double>, _ ldy: Int, _ rows: Int, _ cols: Int
  ) -> Int32 {
    bw_binary2d_f64(op, a, ars, acs, b, brs, bcs, y, ldy, rows, cols)
  }
  /// Double's `NDArrayScalar._bwRowsSum`: the concrete kernel call (see the requirement's documentation).
  public static func _bwRowsSum(
    _ x: UnsafePointer<Double>, _ rows: Int, _ ld: Int, _ cols: Int, _ acc: UnsafeMutablePointer<Double>
  ) { bw_rows_sum_f64(x, rows, ld, cols, acc) }
  /// Double's `NDArrayScalar._bwRowsSumExp`: the concrete kernel call (see the requirement's documentation).
  public static func _bwRowsSumExp(
    _ x: UnsafePointer<Double>, _ rows: Int, _ ld: Int, _ cols: Int, _ shift: UnsafePointer<Double>?,
    _ acc: UnsafeMutablePointer<Double>
  ) { bw_rows_sum_exp_f64(x, rows, ld, cols, shift, acc) }
  /// Double's `NDArrayScalar._bwRowsMax`: the concrete kernel call (see the requirement's documentation).
  public static func _bwRowsMax(
    _ x: UnsafePointer<Double>, _ rows: Int, _ ld: Int, _ cols: Int, _ acc: UnsafeMutablePointer<Double>
  ) { bw_rows_max_f64(x, rows, ld, cols, acc) }
  /// Double's `NDArrayScalar._bwRowsMin`: the concrete kernel call (see the requirement's documentation).
  public static func _bwRowsMin(
    _ x: UnsafePointer<Double>, _ rows: Int, _ ld: Int, _ cols: Int, _ acc: UnsafeMutablePointer<Double>
  ) { bw_rows_min_f64(x, rows, ld, cols, acc) }
  /// Double's `NDArrayScalar._bwRandomUniform`: the concrete kernel call (see the requirement's documentation).
  public static func _bwRandomUniform(
    _ seed: UInt64, _ first: Int, _ n: Int, _ lo: Double, _ width: Double, _ hi: Double,
    _ out: UnsafeMutablePointer<Double>
  ) { bw_random_uniform_f64(seed, first, n, lo, width, hi, out) }
  /// Double's `NDArrayScalar._bwRandomNormal`: the concrete kernel call (see the requirement's documentation).
  public static func _bwRandomNormal(
    _ seed: UInt64, _ first: Int, _ n: Int, _ mean: Double, _ sd: Double, _ out: UnsafeMutablePointer<Double>
  ) { bw_random_normal_f64(seed, first, n, mean, sd, out) }
  /// Double's `NDArrayScalar._bwExprOp`: the concrete kernel call (see the requirement's documentation).
  public static func _bwExprOp(
    _ op: Int32, _ n: Int, _ y: UnsafeMutablePointer<Double>, _ a: UnsafePointer<Double>, _ aStride: Int,
    _ b: UnsafePointer<Double>, _ bStride: Int, _ c: UnsafePointer<Double>, _ cStride: Int
  ) { bw_expr_op_f64(op, n, y, a, aStride, b, bStride, c, cStride) }
  /// Double's `NDArrayScalar._bwExprEval`: the concrete kernel call (see the requirement's documentation).
  public static func _bwExprEval(
    _ program: UnsafeRawPointer, _ inputs: UnsafePointer<UnsafePointer<Double>?>, _ start: Int, _ n: Int,
    _ out: UnsafeMutablePointer<Double>
  ) { bw_expr_eval_f64(program.assumingMemoryBound(to: bw_expr_program.self), inputs, start, n, out) }
  /// Double's `NDArrayScalar._bwExprReduce`: the concrete kernel call (see the requirement's documentation).
  public static func _bwExprReduce(
    _ program: UnsafeRawPointer, _ inputs: UnsafePointer<UnsafePointer<Double>?>, _ start: Int, _ n: Int,
    _ kind: Int32, _ shift: UnsafeMutablePointer<Double>?
  ) -> Double {
    bw_expr_reduce_f64(program.assumingMemoryBound(to: bw_expr_program.self), inputs, start, n, kind, shift)
  }
  /// Double's `NDArrayScalar._bwConvertFromNumpy`: the concrete kernel call (see the requirement's documentation).
  public static func _bwConvertFromNumpy(
    _ kind: Int32, _ swap: Bool, _ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Double>, _ n: Int
  ) { bw_convert_to_f64(kind, swap ? 1 : 0, src, dst, n) }
  /// Double's `NDArrayScalar._bwCopy2D`: the concrete kernel call (see the requirement's documentation).
  public static func _bwCopy2D(
    _ src: UnsafePointer<Double>, _ srs: Int, _ scs: Int, _ dst: UnsafeMutablePointer<Double>, _ ldd: Int,
    _ rows: Int, _ cols: Int
  ) { bw_copy2d_f64(src, srs, scs, dst, ldd, rows, cols) }
  /// Double's `NDArrayScalar._bwSum`: the concrete kernel call (see the requirement's documentation).
  public static func _bwSum(_ x: UnsafePointer<Double>, _ n: Int) -> Double { bw_sum_f64(x, n) }
  /// Double's `NDArrayScalar._bwSumExp`: the concrete kernel call (see the requirement's documentation).
  public static func _bwSumExp(_ x: UnsafePointer<Double>, _ n: Int, _ shift: Double) -> Double {
    bw_sum_exp_f64(x, n, shift)
  }
  /// Double's `NDArrayScalar._bwMax`: the concrete kernel call (see the requirement's documentation).
  public static func _bwMax(_ x: UnsafePointer<Double>, _ n: Int) -> Double { bw_max_f64(x, n) }
  /// Double's `NDArrayScalar._bwMin`: the concrete kernel call (see the requirement's documentation).
  public static func _bwMin(_ x: UnsafePointer<Double>, _ n: Int) -> Double { bw_min_f64(x, n) }
  /// Double's `NDArrayScalar._bwLogSumExpLeaf`: the concrete kernel call (see the requirement's documentation).
  public static func _bwLogSumExpLeaf(
    _ x: UnsafePointer<Double>, _ n: Int, _ max: UnsafeMutablePointer<Double>
  ) -> Double { bw_log_sum_exp_leaf_f64(x, n, max) }
  /// Double's `NDArrayScalar._bwDot`: the concrete kernel call (see the requirement's documentation).
  public static func _bwDot(_ n: Int, _ x: UnsafePointer<Double>, _ y: UnsafePointer<Double>) -> Double {
    cblas_ddot(blasInt(n), x, 1, y, 1)
  }
  /// Double's `NDArrayScalar._bwGemm`: the concrete kernel call (see the requirement's documentation).
  public static func _bwGemm(
    _ m: Int, _ n: Int, _ k: Int, _ a: UnsafePointer<Double>, _ lda: Int,
    _ b: UnsafePointer<Double>, _ ldb: Int, _ c: UnsafeMutablePointer<Double>, _ ldc: Int
  ) {
    cblas_dgemm(
      CblasRowMajor, CblasNoTrans, CblasNoTrans, blasInt(m), blasInt(n), blasInt(k),
      1, a, blasInt(lda), b, blasInt(ldb), 0, c, blasInt(ldc))
  }
  /// Double's `NDArrayScalar._bwGemv`: the concrete kernel call (see the requirement's documentation).
  public static func _bwGemv(
    _ m: Int, _ n: Int, _ a: UnsafePointer<Double>, _ lda: Int, _ x: UnsafePointer<Double>,
    _ y: UnsafeMutablePointer<Double>
  ) {
    cblas_dgemv(CblasRowMajor, CblasNoTrans, blasInt(m), blasInt(n), 1, a, blasInt(lda), x, 1, 0, y, 1)
  }
  /// Double's `NDArrayScalar._bwGesv`: the concrete kernel call (see the requirement's documentation).
  public static func _bwGesv(
    _ n: Int, _ nrhs: Int, _ a: UnsafeMutablePointer<Double>, _ lda: Int,
    _ ipiv: UnsafeMutablePointer<Int32>, _ b: UnsafeMutablePointer<Double>, _ ldb: Int
  ) -> Int32 {
    LAPACKE_dgesv(LAPACK_ROW_MAJOR, Int32(n), Int32(nrhs), a, Int32(lda), ipiv, b, Int32(ldb))
  }
}

extension Float: NDArrayScalar {
  /// Float's `NDArrayScalar._bwFill`: the concrete kernel call (see the requirement's documentation).
  public static func _bwFill(_ p: UnsafeMutablePointer<Float>, _ value: Float, _ n: Int) {
    p.initialize(repeating: value, count: n)
  }
  /// Float's `NDArrayScalar._bwFirstNonFinite`: the concrete kernel call (see the requirement's documentation).
  public static func _bwFirstNonFinite(_ p: UnsafePointer<Float>, _ n: Int) -> Int? {
    UnsafeBufferPointer(start: p, count: n).firstIndex { !$0.isFinite }
  }
  /// Float's `NDArrayScalar._bwWiden`: the concrete kernel call (see the requirement's documentation).
  public static func _bwWiden(_ src: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Double>, _ n: Int) {
    bw_widen_f32(src, dst, n)
  }
  /// Float's `NDArrayScalar._bwNarrow`: the concrete kernel call (see the requirement's documentation).
  public static func _bwNarrow(_ src: UnsafePointer<Double>, _ dst: UnsafeMutablePointer<Float>, _ n: Int) {
    bw_narrow_f64(src, dst, n)
  }
  /// Float's `NDArrayScalar._bwExp`: the concrete kernel call (see the requirement's documentation).
  public static func _bwExp(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ n: Int) {
    bw_exp_f32(x, y, n)
  }
  /// Float's `NDArrayScalar._bwBinary2D`: the concrete kernel call (see the requirement's documentation).
  public static func _bwBinary2D(
    _ op: Int32, _ a: UnsafePointer<Float>, _ ars: Int, _ acs: Int, _ b: UnsafePointer<Float>,
    _ brs: Int, _ bcs: Int, _ y: UnsafeMutablePointer<Float>, _ ldy: Int, _ rows: Int, _ cols: Int
  ) -> Int32 {
    bw_binary2d_f32(op, a, ars, acs, b, brs, bcs, y, ldy, rows, cols)
  }
  /// Float's `NDArrayScalar._bwRowsSum`: the concrete kernel call (see the requirement's documentation).
  public static func _bwRowsSum(
    _ x: UnsafePointer<Float>, _ rows: Int, _ ld: Int, _ cols: Int, _ acc: UnsafeMutablePointer<Double>
  ) { bw_rows_sum_f32(x, rows, ld, cols, acc) }
  /// Float's `NDArrayScalar._bwRowsSumExp`: the concrete kernel call (see the requirement's documentation).
  public static func _bwRowsSumExp(
    _ x: UnsafePointer<Float>, _ rows: Int, _ ld: Int, _ cols: Int, _ shift: UnsafePointer<Double>?,
    _ acc: UnsafeMutablePointer<Double>
  ) { bw_rows_sum_exp_f32(x, rows, ld, cols, shift, acc) }
  /// Float's `NDArrayScalar._bwRowsMax`: the concrete kernel call (see the requirement's documentation).
  public static func _bwRowsMax(
    _ x: UnsafePointer<Float>, _ rows: Int, _ ld: Int, _ cols: Int, _ acc: UnsafeMutablePointer<Double>
  ) { bw_rows_max_f32(x, rows, ld, cols, acc) }
  /// Float's `NDArrayScalar._bwRowsMin`: the concrete kernel call (see the requirement's documentation).
  public static func _bwRowsMin(
    _ x: UnsafePointer<Float>, _ rows: Int, _ ld: Int, _ cols: Int, _ acc: UnsafeMutablePointer<Double>
  ) { bw_rows_min_f32(x, rows, ld, cols, acc) }
  /// Float's `NDArrayScalar._bwRandomUniform`: the concrete kernel call (see the requirement's documentation).
  public static func _bwRandomUniform(
    _ seed: UInt64, _ first: Int, _ n: Int, _ lo: Double, _ width: Double, _ hi: Double,
    _ out: UnsafeMutablePointer<Float>
  ) { bw_random_uniform_f32(seed, first, n, lo, width, hi, out) }
  /// Float's `NDArrayScalar._bwRandomNormal`: the concrete kernel call (see the requirement's documentation).
  public static func _bwRandomNormal(
    _ seed: UInt64, _ first: Int, _ n: Int, _ mean: Double, _ sd: Double, _ out: UnsafeMutablePointer<Float>
  ) { bw_random_normal_f32(seed, first, n, mean, sd, out) }
  /// Float's `NDArrayScalar._bwExprOp`: the concrete kernel call (see the requirement's documentation).
  public static func _bwExprOp(
    _ op: Int32, _ n: Int, _ y: UnsafeMutablePointer<Float>, _ a: UnsafePointer<Float>, _ aStride: Int,
    _ b: UnsafePointer<Float>, _ bStride: Int, _ c: UnsafePointer<Float>, _ cStride: Int
  ) { bw_expr_op_f32(op, n, y, a, aStride, b, bStride, c, cStride) }
  /// Float's `NDArrayScalar._bwExprEval`: the concrete kernel call (see the requirement's documentation).
  public static func _bwExprEval(
    _ program: UnsafeRawPointer, _ inputs: UnsafePointer<UnsafePointer<Float>?>, _ start: Int, _ n: Int,
    _ out: UnsafeMutablePointer<Float>
  ) { bw_expr_eval_f32(program.assumingMemoryBound(to: bw_expr_program.self), inputs, start, n, out) }
  /// Float's `NDArrayScalar._bwExprReduce`: the concrete kernel call (see the requirement's documentation).
  public static func _bwExprReduce(
    _ program: UnsafeRawPointer, _ inputs: UnsafePointer<UnsafePointer<Float>?>, _ start: Int, _ n: Int,
    _ kind: Int32, _ shift: UnsafeMutablePointer<Double>?
  ) -> Double {
    bw_expr_reduce_f32(program.assumingMemoryBound(to: bw_expr_program.self), inputs, start, n, kind, shift)
  }
  /// Float's `NDArrayScalar._bwConvertFromNumpy`: the concrete kernel call (see the requirement's documentation).
  public static func _bwConvertFromNumpy(
    _ kind: Int32, _ swap: Bool, _ src: UnsafeRawPointer, _ dst: UnsafeMutablePointer<Float>, _ n: Int
  ) { bw_convert_to_f32(kind, swap ? 1 : 0, src, dst, n) }
  /// Float's `NDArrayScalar._bwCopy2D`: the concrete kernel call (see the requirement's documentation).
  public static func _bwCopy2D(
    _ src: UnsafePointer<Float>, _ srs: Int, _ scs: Int, _ dst: UnsafeMutablePointer<Float>, _ ldd: Int,
    _ rows: Int, _ cols: Int
  ) { bw_copy2d_f32(src, srs, scs, dst, ldd, rows, cols) }
  /// Float's `NDArrayScalar._bwSum`: the concrete kernel call (see the requirement's documentation).
  public static func _bwSum(_ x: UnsafePointer<Float>, _ n: Int) -> Double { bw_sum_f32(x, n) }
  /// Float's `NDArrayScalar._bwSumExp`: the concrete kernel call (see the requirement's documentation).
  public static func _bwSumExp(_ x: UnsafePointer<Float>, _ n: Int, _ shift: Double) -> Double {
    bw_sum_exp_f32(x, n, shift)
  }
  /// Float's `NDArrayScalar._bwMax`: the concrete kernel call (see the requirement's documentation).
  public static func _bwMax(_ x: UnsafePointer<Float>, _ n: Int) -> Double { bw_max_f32(x, n) }
  /// Float's `NDArrayScalar._bwMin`: the concrete kernel call (see the requirement's documentation).
  public static func _bwMin(_ x: UnsafePointer<Float>, _ n: Int) -> Double { bw_min_f32(x, n) }
  /// Float's `NDArrayScalar._bwLogSumExpLeaf`: the concrete kernel call (see the requirement's documentation).
  public static func _bwLogSumExpLeaf(
    _ x: UnsafePointer<Float>, _ n: Int, _ max: UnsafeMutablePointer<Double>
  ) -> Double { bw_log_sum_exp_leaf_f32(x, n, max) }
  /// Float's `NDArrayScalar._bwDot`: the concrete kernel call (see the requirement's documentation).
  public static func _bwDot(_ n: Int, _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>) -> Float {
    cblas_sdot(blasInt(n), x, 1, y, 1)
  }
  /// Float's `NDArrayScalar._bwGemm`: the concrete kernel call (see the requirement's documentation).
  public static func _bwGemm(
    _ m: Int, _ n: Int, _ k: Int, _ a: UnsafePointer<Float>, _ lda: Int,
    _ b: UnsafePointer<Float>, _ ldb: Int, _ c: UnsafeMutablePointer<Float>, _ ldc: Int
  ) {
    cblas_sgemm(
      CblasRowMajor, CblasNoTrans, CblasNoTrans, blasInt(m), blasInt(n), blasInt(k),
      1, a, blasInt(lda), b, blasInt(ldb), 0, c, blasInt(ldc))
  }
  /// Float's `NDArrayScalar._bwGemv`: the concrete kernel call (see the requirement's documentation).
  public static func _bwGemv(
    _ m: Int, _ n: Int, _ a: UnsafePointer<Float>, _ lda: Int, _ x: UnsafePointer<Float>,
    _ y: UnsafeMutablePointer<Float>
  ) {
    cblas_sgemv(CblasRowMajor, CblasNoTrans, blasInt(m), blasInt(n), 1, a, blasInt(lda), x, 1, 0, y, 1)
  }
  /// Float's `NDArrayScalar._bwGesv`: the concrete kernel call (see the requirement's documentation).
  public static func _bwGesv(
    _ n: Int, _ nrhs: Int, _ a: UnsafeMutablePointer<Float>, _ lda: Int,
    _ ipiv: UnsafeMutablePointer<Int32>, _ b: UnsafeMutablePointer<Float>, _ ldb: Int
  ) -> Int32 {
    LAPACKE_sgesv(LAPACK_ROW_MAJOR, Int32(n), Int32(nrhs), a, Int32(lda), ipiv, b, Int32(ldb))
  }
}

/// OpenBLAS's `blasint` is 32-bit in Debian's build; callers check sizes first.
@inline(__always)
func blasInt(_ n: Int) -> Int32 { Int32(truncatingIfNeeded: n) }

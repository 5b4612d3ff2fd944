internal import CBlockwiseKernels

/// An elementwise formula over named arrays, compiled once and evaluated
/// many times in one pass per block, on every core: numexpr for Swift.
///
/// The source uses numexpr's syntax (Python's, with Python's precedence):
/// numbers, variable names, `+ - * / ** %` (`%` is C's `fmod`), unary `-`
/// and `+`, parentheses, comparisons `< <= > >= == !=`, `&`, `|` and `~` on
/// comparison results, and numexpr's functions: `exp expm1 log log2 log10
/// log1p sqrt abs sin cos tan arcsin arccos arctan arctan2 sinh cosh tanh
/// arcsinh arccosh arctanh floor ceil round trunc sign hypot copysign fmod
/// minimum maximum isnan isfinite isinf signbit`, `where(cond, a, b)` and
/// `clip(x, lo, hi)`.
///
/// ```swift
/// let e = try Blockwise.Expression<Double>("exp(-x*x/2) * cos(3*y) + log1p(x*x)")
/// let values = try e.evaluate(["x": x, "y": y])   // one pass, no temporaries
/// let total = try e.sum(["x": x, "y": y])         // fused: no array of values at all
/// ```
///
/// Foundation on Linux also declares a generic `Expression` (its predicate
/// macros' type), so a file that imports both modules must spell this one
/// `Blockwise.Expression`.
///
/// Semantics:
/// - Arithmetic is numpy's, bit for bit: each `+ - * /` rounded once in the
///   element type, in the written order, never contracted into FMA or
///   reassociated; comparisons, `where`, `minimum`/`maximum` (NaN wins) and
///   the other exact functions likewise. An expression of these alone
///   gives exactly numpy's result for the same arrays and type.
/// - Functions are within 1 ulp of the exact result on their whole
///   domain, on every kernel path, in Double and Float (`sqrt` correctly
///   rounded, `hypot` within 0.5001 ulp): SLEEF's u10 functions, and
///   Blockwise's own `exp` for Double, with numpy's special values
///   (`log(0) = -inf`, `log(-1) = NaN`, `sqrt(-0.0) = -0.0`, NaN in NaN
///   out). Where SLEEF's range is narrower than the type's, the kernel
///   recomputes those arguments from libm in a wider type, rounded once:
///   `pow` results beyond 2^±1000 (2^±120 in Float), where SLEEF's pow
///   overflows early and loses subnormals; `log1p`, `arcsinh`, `arccosh`
///   of huge arguments; `sinh`, `cosh` near overflow; tiny arguments of
///   `sinh`, `tanh`, `arcsinh`, `arctanh`; subnormal `arctan2` results.
///   Edge inputs (zeros, infinities, NaN, subnormals, the overflow and
///   underflow thresholds and the ulps around them) are tested on every
///   path against mpmath at 60 digits.
/// - Nesting counts one level per parenthesis, unary operator, call or
///   exponent, up to 200 (CPython's limit); flat runs (`a + b + c ...`)
///   are loops and may be of any length.
/// - Float expressions compute in Float, as numpy does for float32 arrays;
///   reductions accumulate in Double.
/// - Number literals are numpy's "weak" Python scalars: constant
///   sub-expressions are folded once in Double, and rounded to the element
///   type where they meet an array. `x**2`, `x**0.5`, `x**-1` are `x*x`,
///   `sqrt(x)`, `1/x`, as numpy computes them; no other rewrite.
/// - Booleans (comparison results) are the values 1 and 0.
/// - Reductions are deterministic: fixed leaves of 4096 elements (chunks of
///   2048 combined in order) added pairwise, so the bits are the same for
///   any thread count.
public struct Expression<Element: NDArrayScalar>: Sendable, CustomStringConvertible {
  /// The folded tree.
  let root: ExpressionNode
  /// A type error of a tree built in Swift (thrown when it is used).
  let deferredError: BlockwiseError?
  /// The programs for the case where every variable is an array.
  let evaluator: ExpressionProgram<Element>
  let reducer: ExpressionProgram<Element>

  /// The names of the variables the expression reads, sorted.
  public let variables: [String]

  init(node: ExpressionNode, error: BlockwiseError? = nil) {
    let folded = ExpressionCompiler.fold(node, as: Element.self)
    root = folded
    deferredError = error
    variables = folded.variables
    evaluator = ExpressionCompiler.compile(folded, inputs: variables, forOutput: true, as: Element.self)
    reducer = ExpressionCompiler.compile(folded, inputs: variables, forOutput: false, as: Element.self)
  }

  /// Parses and compiles an expression in numexpr's syntax.
  ///
  /// ```swift
  /// let e = try Blockwise.Expression<Float>("where(x > 0, sqrt(x), -x**2)")
  /// e.variables   // ["x"]
  /// ```
  /// - Parameter source: The formula.
  /// - Throws: `BlockwiseError.expressionSyntax` naming the column (a
  ///   0-based character offset) and what was expected there, for a syntax
  ///   error, an unknown function, a wrong number of arguments, `&`, `|`
  ///   or `~` on numbers, or trailing text. Parsing never traps.
  /// - Complexity: O(length of source); compiling folds constants and
  ///   computes a repeated sub-expression once.
  public init(_ source: String) throws {
    var parser = ExpressionParser(source)
    self.init(node: try parser.parse())
  }

  /// The expression in canonical, fully parenthesised source form.
  public var description: String { root.source }

  /// The compiled register program, one instruction a line (for
  /// inspection: a repeated sub-expression appears once).
  public var program: String { evaluator.listing }

  // MARK: - Binding inputs

  /// The arrays in the program's input order, the output shape, and the
  /// program to run (specialised when some inputs are rank-0 scalars).
  struct Bound {
    var arrays: [NDArray<Element>]
    var shape: [Int]
    var count: Int
    var evaluator: ExpressionProgram<Element>
    var reducer: ExpressionProgram<Element>
  }

  func bind(_ inputs: [String: NDArray<Element>]) throws -> Bound {
    if let e = deferredError { throw e }
    let source = description
    for name in variables where inputs[name] == nil {
      throw BlockwiseError.missingVariable(variable: name, expression: source)
    }
    for name in inputs.keys.sorted() where !variables.contains(name) {
      throw BlockwiseError.unknownVariable(variable: name, expression: source, reads: variables)
    }
    var shape: [Int] = []
    var shapeOf: String? = nil
    var scalars: [String: Element] = [:]
    for name in variables {
      let a = inputs[name]!
      if a.rank == 0 {
        scalars[name] = a.withUnsafeBufferPointer { $0[0] }
        continue
      }
      if let owner = shapeOf {
        guard a.shape == shape else {
          throw BlockwiseError.variableShapeMismatch(variable: name, expected: shape, got: a.shape, shapeOf: owner)
        }
      } else {
        shape = a.shape
        shapeOf = name
      }
    }
    let count = try NDArray<Element>.elementCount(of: shape)
    if scalars.isEmpty {
      return Bound(arrays: variables.map { inputs[$0]! }, shape: shape, count: count, evaluator: evaluator, reducer: reducer)
    }
    // Rank-0 inputs become strong constants of the element type; the tree
    // is folded again and compiled for the remaining arrays.
    func substitute(_ n: ExpressionNode) -> ExpressionNode {
      switch n {
      case let .variable(v): if let s = scalars[v] { return .number(Double(s), weak: false) } else { return n }
      case let .operation(op, args): return .operation(op, args.map(substitute))
      case let .chain(first, links):
        return .chain(substitute(first), links.map { ExpressionLink(op: $0.op, operand: substitute($0.operand)) })
      default: return n
      }
    }
    let folded = ExpressionCompiler.fold(substitute(root), as: Element.self)
    let arrays = folded.variables
    return Bound(
      arrays: arrays.map { inputs[$0]! }, shape: shape, count: count,
      evaluator: ExpressionCompiler.compile(folded, inputs: arrays, forOutput: true, as: Element.self),
      reducer: ExpressionCompiler.compile(folded, inputs: arrays, forOutput: false, as: Element.self))
  }

  /// Calls `body` with the C view of `program` and the inputs' base
  /// pointers, keeping every array alive for the call.
  static func withProgram<R>(
    _ program: ExpressionProgram<Element>, _ arrays: [NDArray<Element>],
    _ body: (SendablePointer<bw_expr_program>, SendablePointer<UnsafePointer<Element>?>) -> R
  ) -> R {
    withExtendedLifetime(arrays) {
      program.code.withUnsafeBufferPointer { code in
        program.constants.withUnsafeBufferPointer { constants in
          withUnsafeTemporaryAllocation(of: UnsafePointer<Element>?.self, capacity: Swift.max(arrays.count, 1)) { inputs in
            for (k, a) in arrays.enumerated() { inputs[k] = UnsafePointer(a.basePointer) }
            var p = bw_expr_program(
              code: code.baseAddress, ncode: code.count, nregs: program.registers,
              constants: UnsafeRawPointer(constants.baseAddress), result: program.result)
            return withUnsafeMutablePointer(to: &p) { pp in
              body(SendablePointer(pp), SendablePointer(inputs.baseAddress!))
            }
          }
        }
      }
    }
  }

  // MARK: - Evaluation

  /// Evaluates the expression elementwise into a new array.
  ///
  /// Every variable is bound exactly once; arrays share one shape, and a
  /// rank-0 array binds a scalar that broadcasts. The work runs in
  /// L2-sized blocks over the pool, each block in chunks of 2048 elements
  /// through the whole program (no full-size temporaries).
  ///
  /// ```swift
  /// let e = try Blockwise.Expression<Double>("2*x + y")
  /// let r = try e.evaluate(["x": x, "y": try NDArray([1.5], shape: [])])
  /// ```
  /// - Returns: An array of the inputs' shape (`[]` when every input is rank 0).
  /// - Throws: `BlockwiseError.missingVariable` or `.unknownVariable`
  ///   naming the variable, `.variableShapeMismatch` naming the variable
  ///   and both shapes, or a type error of a tree built in Swift.
  /// - Complexity: O(n * instructions), parallel.
  /// - Error bound: exact for arithmetic, comparisons and the exact
  ///   functions; within 1 ulp per function call otherwise.
  public func evaluate(_ inputs: [String: NDArray<Element>]) throws -> NDArray<Element> {
    let b = try bind(inputs)
    var out = try NDArray<Element>(validatedShape: b.shape)
    run(b, into: &out)
    return out
  }

  /// Evaluates into `output`, which must have the inputs' shape: no new
  /// array is made when `output` is uniquely owned (numpy's `out=`).
  ///
  /// - Throws: As `evaluate(_:)`, and `BlockwiseError.shapeMismatch` when
  ///   `output` has another shape; `output` is unchanged then.
  /// - Complexity: O(n * instructions), parallel.
  public func evaluate(_ inputs: [String: NDArray<Element>], into output: inout NDArray<Element>) throws {
    let b = try bind(inputs)
    guard output.shape == b.shape else { throw BlockwiseError.shapeMismatch(expected: b.shape, got: output.shape) }
    output.makeUnique()
    run(b, into: &output)
  }

  func run(_ b: Bound, into out: inout NDArray<Element>) {
    guard b.count > 0 else { return }
    let y = SendablePointer(out.basePointer)
    let block = BlockPolicy.blockLength(
      bytesPerElement: (b.arrays.count + 1) * MemoryLayout<Element>.stride, leaf: Int(BW_EXPR_CHUNK))
    let count = b.count
    withExtendedLifetime(out) {
      Self.withProgram(b.evaluator, b.arrays) { p, inputs in
        ComputePool.shared.forEachBlock(count: count, blockLength: block) { r in
          Element._bwExprEval(UnsafeRawPointer(p.raw), UnsafePointer(inputs.raw), r.lowerBound, r.count, y.raw)
        }
      }
    }
  }

  // MARK: - Fused reductions

  func reduce(_ b: Bound, _ kind: bw_expr_reduction) -> Double {
    let leaf = BlockPolicy.reductionLeaf
    let bytes = Swift.max(b.arrays.count, 1) * MemoryLayout<Element>.stride
    let count = b.count
    let k = Int32(kind.rawValue)
    return Self.withProgram(b.reducer, b.arrays) { p, inputs in
      let leafValue: @Sendable (Range<Int>) -> Double = { r in
        Element._bwExprReduce(UnsafeRawPointer(p.raw), UnsafePointer(inputs.raw), r.lowerBound, r.count, k, nil)
      }
      switch kind {
      case BW_XR_MIN, BW_XR_MAX:
        let isMax = kind == BW_XR_MAX
        return leafReduce(count: count, leaf: leaf, bytesPerElement: bytes, leafValue) { a, c in
          if a.isNaN || c.isNaN { return .nan }
          return isMax ? Swift.max(a, c) : Swift.min(a, c)
        } ?? .nan
      case BW_XR_LSE:
        return leafLogSumExp(count: count, leaf: leaf, bytesPerElement: bytes) { r in
          var m = 0.0
          let s = Element._bwExprReduce(UnsafeRawPointer(p.raw), UnsafePointer(inputs.raw), r.lowerBound, r.count, k, &m)
          return LogSumExpPartial(max: m, sum: s)
        }.value
      default:
        return leafSum(count: count, leaf: leaf, bytesPerElement: bytes, leafValue)
      }
    }
  }

  /// The leaf results of one of the sum-like reductions, for
  /// `ReductionPartials`.
  func partials(_ b: Bound, _ kind: bw_expr_reduction) -> ReductionPartials {
    let leaf = BlockPolicy.reductionLeaf
    guard b.count > 0 else {
      return ReductionPartials(validated: kind == BW_XR_LSE ? .logSumExp : .sum, leafLength: leaf, values: [])
    }
    let bytes = Swift.max(b.arrays.count, 1) * MemoryLayout<Element>.stride
    let k = Int32(kind.rawValue)
    return Self.withProgram(b.reducer, b.arrays) { p, inputs in
      if kind == BW_XR_LSE {
        return leafLogSumExpPartials(count: b.count, leaf: leaf, bytesPerElement: bytes) { r in
          var m = 0.0
          let s = Element._bwExprReduce(UnsafeRawPointer(p.raw), UnsafePointer(inputs.raw), r.lowerBound, r.count, k, &m)
          return LogSumExpPartial(max: m, sum: s)
        }
      }
      return leafSumPartials(count: b.count, leaf: leaf, bytesPerElement: bytes) { r in
        Element._bwExprReduce(UnsafeRawPointer(p.raw), UnsafePointer(inputs.raw), r.lowerBound, r.count, k, nil)
      }
    }
  }

  /// The leaf sums of `sum(_:)`: `sumPartials(inputs).total()` is
  /// `sum(inputs)` (as a Double), and the partials of input shards that
  /// start at multiples of `BlockPolicy.reductionLeaf` elements
  /// concatenate to those of the whole (see `ReductionPartials`).
  ///
  /// - Throws: As `evaluate(_:)`.
  /// - Complexity: O(n * instructions), parallel; 8 bytes per leaf of 4096.
  public func sumPartials(_ inputs: [String: NDArray<Element>]) throws -> ReductionPartials {
    partials(try bind(inputs), BW_XR_SUM)
  }

  /// The leaf sums of `sumExp(_:)`, as `sumPartials(_:)` is to `sum(_:)`.
  ///
  /// - Throws: As `evaluate(_:)`.
  /// - Complexity: O(n * instructions), parallel; 8 bytes per leaf of 4096.
  public func sumExpPartials(_ inputs: [String: NDArray<Element>]) throws -> ReductionPartials {
    partials(try bind(inputs), BW_XR_SUMEXP)
  }

  /// The leaf (shift, sum) pairs of `logSumExp(_:)`.
  ///
  /// - Throws: As `evaluate(_:)`.
  /// - Complexity: O(n * instructions), parallel; 16 bytes per leaf of 4096.
  public func logSumExpPartials(_ inputs: [String: NDArray<Element>]) throws -> ReductionPartials {
    partials(try bind(inputs), BW_XR_LSE)
  }

  /// The sum of the expression's values, fused (no array of values is made).
  ///
  /// ```swift
  /// let s = try Blockwise.Expression<Double>("x*x*3 + 1").sum(["x": x])
  /// ```
  /// - Returns: The sum (0 for empty inputs), accumulated in Double.
  /// - Throws: As `evaluate(_:)`.
  /// - Complexity: O(n * instructions), parallel; bit-identical for any
  ///   thread count.
  /// - Error bound: that of `NDArray.sum()` over the computed values
  ///   ((523 + log2(n / 4096)) u sum|v|, u = 2^-53, plus 1 rounding per
  ///   leaf to join its two chunks); Float results round once more.
  public func sum(_ inputs: [String: NDArray<Element>]) throws -> Element {
    let b = try bind(inputs)
    return b.count == 0 ? 0 : Element(reduce(b, BW_XR_SUM))
  }

  /// The sum of `exp` of the expression's values, fused.
  ///
  /// - Returns: The sum (0 for empty inputs; +inf on overflow).
  /// - Throws: As `evaluate(_:)`.
  /// - Complexity: O(n * instructions), parallel; bit-identical for any thread count.
  /// - Error bound: as `NDArray.sumExp()` over the computed values.
  public func sumExp(_ inputs: [String: NDArray<Element>]) throws -> Element {
    let b = try bind(inputs)
    return b.count == 0 ? 0 : Element(reduce(b, BW_XR_SUMEXP))
  }

  /// `log(sum(exp(v)))` of the expression's values, fused and stable.
  ///
  /// - Returns: -inf for empty inputs (or all values -inf), +inf if a value
  ///   is +inf, NaN if one is NaN.
  /// - Throws: As `evaluate(_:)`.
  /// - Complexity: O(n * instructions), parallel; bit-identical for any thread count.
  /// - Error bound: as `NDArray.logSumExp()` over the computed values.
  public func logSumExp(_ inputs: [String: NDArray<Element>]) throws -> Element {
    let b = try bind(inputs)
    return b.count == 0 ? -.infinity : Element(reduce(b, BW_XR_LSE))
  }

  /// The smallest of the expression's values; NaN if any is NaN (numpy's rule).
  ///
  /// - Throws: As `evaluate(_:)`, and `BlockwiseError.emptyArray` for empty inputs.
  /// - Complexity: O(n * instructions), parallel; exact.
  public func min(_ inputs: [String: NDArray<Element>]) throws -> Element {
    let b = try bind(inputs)
    guard b.count > 0 else { throw BlockwiseError.emptyArray(operation: "Expression.min") }
    return Element(reduce(b, BW_XR_MIN))
  }

  /// The largest of the expression's values; NaN if any is NaN (numpy's rule).
  ///
  /// - Throws: As `evaluate(_:)`, and `BlockwiseError.emptyArray` for empty inputs.
  /// - Complexity: O(n * instructions), parallel; exact.
  public func max(_ inputs: [String: NDArray<Element>]) throws -> Element {
    let b = try bind(inputs)
    guard b.count > 0 else { throw BlockwiseError.emptyArray(operation: "Expression.max") }
    return Element(reduce(b, BW_XR_MAX))
  }
}

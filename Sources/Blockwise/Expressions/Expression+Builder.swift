// Expressions built in Swift: the same trees the parser makes, so
// `exp(-x * x / 2) * 3 + 1` compiles to the program of the string
// "exp(-x*x/2)*3+1". Literals are numpy's weak scalars, as in a source.

extension Expression: ExpressibleByFloatLiteral, ExpressibleByIntegerLiteral {
  /// A variable named `name`, bound at evaluation.
  ///
  /// ```swift
  /// let x = Blockwise.Expression<Double>.variable("x")
  /// let e = exp(-x * x / 2) * 3 + 1
  /// try e.sum(["x": values])
  /// ```
  public static func variable(_ name: String) -> Expression { Expression(node: .variable(name)) }

  /// A constant (a literal of the source, `Double(value)` exactly).
  public init(constant value: Element) { self.init(node: .number(Double(value))) }

  /// A literal such as `2.5` in `x * 2.5`.
  public init(floatLiteral value: Double) { self.init(node: .number(value)) }

  /// A literal such as `3` in `x * 3`.
  public init(integerLiteral value: Int) { self.init(node: .number(Double(value))) }

  init(_ op: ExpressionOp, _ args: [Expression], booleans: Bool = false, name: String = "") {
    var error = args.lazy.compactMap(\.deferredError).first
    if booleans, error == nil, let bad = args.first(where: { !$0.root.isBoolean }) {
      error = .expressionSyntax(
        source: Expression(node: .operation(op, args.map(\.root))).description, column: 0,
        expected: "comparison results (booleans) as operands of \(name)", found: "a number (\(bad.root.source))")
    }
    let node: ExpressionNode =
      args.count == 2 ? .joining(args[0].root, op, args[1].root) : .operation(op, args.map(\.root))
    self.init(node: node, error: error)
  }

  // MARK: Arithmetic

  /// `lhs + rhs`, elementwise (one IEEE addition per element).
  public static func + (lhs: Expression, rhs: Expression) -> Expression { Expression(.add, [lhs, rhs]) }
  /// `lhs - rhs`, elementwise.
  public static func - (lhs: Expression, rhs: Expression) -> Expression { Expression(.subtract, [lhs, rhs]) }
  /// `lhs * rhs`, elementwise.
  public static func * (lhs: Expression, rhs: Expression) -> Expression { Expression(.multiply, [lhs, rhs]) }
  /// `lhs / rhs`, elementwise (a true division).
  public static func / (lhs: Expression, rhs: Expression) -> Expression { Expression(.divide, [lhs, rhs]) }
  /// `fmod(lhs, rhs)`, as numexpr's `%`.
  public static func % (lhs: Expression, rhs: Expression) -> Expression { Expression(.fmod, [lhs, rhs]) }
  /// `-operand`, elementwise.
  public static prefix func - (operand: Expression) -> Expression { Expression(.neg, [operand]) }
  /// `operand` itself (Python's unary `+`).
  public static prefix func + (operand: Expression) -> Expression { operand }

  // MARK: Comparisons and logic (lanewise, as SIMD's `.<` and `.&`)

  /// `lhs < rhs` as 1 or 0.
  public static func .< (lhs: Expression, rhs: Expression) -> Expression { Expression(.less, [lhs, rhs]) }
  /// `lhs <= rhs` as 1 or 0.
  public static func .<= (lhs: Expression, rhs: Expression) -> Expression { Expression(.lessEqual, [lhs, rhs]) }
  /// `lhs > rhs` as 1 or 0.
  public static func .> (lhs: Expression, rhs: Expression) -> Expression { Expression(.greater, [lhs, rhs]) }
  /// `lhs >= rhs` as 1 or 0.
  public static func .>= (lhs: Expression, rhs: Expression) -> Expression { Expression(.greaterEqual, [lhs, rhs]) }
  /// `lhs == rhs` as 1 or 0.
  public static func .== (lhs: Expression, rhs: Expression) -> Expression { Expression(.equal, [lhs, rhs]) }
  /// `lhs != rhs` as 1 or 0.
  public static func .!= (lhs: Expression, rhs: Expression) -> Expression { Expression(.notEqual, [lhs, rhs]) }
  /// Logical and of two comparison results (numexpr's `&`); numbers are a
  /// type error, thrown when the expression is used.
  public static func .& (lhs: Expression, rhs: Expression) -> Expression {
    Expression(.and, [lhs, rhs], booleans: true, name: "'&'")
  }
  /// Logical or of two comparison results (numexpr's `|`).
  public static func .| (lhs: Expression, rhs: Expression) -> Expression {
    Expression(.or, [lhs, rhs], booleans: true, name: "'|'")
  }
  /// Logical not of a comparison result (numexpr's `~`).
  public static prefix func .! (operand: Expression) -> Expression {
    Expression(.not, [operand], booleans: true, name: "'~'")
  }
}

// MARK: - Functions

/// `e` to the power `p` (numexpr's `**`; `pow(x, 2)` is `x * x`).
public func pow<E>(_ e: Expression<E>, _ p: Expression<E>) -> Expression<E> { Expression(.pow, [e, p]) }
/// `where(condition, a, b)`: `a` where the condition holds (is nonzero), else `b`.
public func select<E>(where condition: Expression<E>, _ a: Expression<E>, _ b: Expression<E>) -> Expression<E> {
  Expression(.where, [condition, a, b])
}
/// `clip(x, lo, hi)`: `minimum(maximum(x, lo), hi)`, NaN propagating.
public func clip<E>(_ x: Expression<E>, _ lo: Expression<E>, _ hi: Expression<E>) -> Expression<E> {
  Expression(.clip, [x, lo, hi])
}
/// Elementwise `exp` (Blockwise's own for Double, SLEEF's for Float; within 1 ulp).
public func exp<E>(_ e: Expression<E>) -> Expression<E> { Expression(.exp, [e]) }
/// Elementwise `expm1` (SLEEF u10).
public func expm1<E>(_ e: Expression<E>) -> Expression<E> { Expression(.expm1, [e]) }
/// Elementwise natural logarithm (SLEEF u10).
public func log<E>(_ e: Expression<E>) -> Expression<E> { Expression(.log, [e]) }
/// Elementwise base-2 logarithm (SLEEF u10).
public func log2<E>(_ e: Expression<E>) -> Expression<E> { Expression(.log2, [e]) }
/// Elementwise base-10 logarithm (SLEEF u10).
public func log10<E>(_ e: Expression<E>) -> Expression<E> { Expression(.log10, [e]) }
/// Elementwise `log(1 + x)` (SLEEF u10).
public func log1p<E>(_ e: Expression<E>) -> Expression<E> { Expression(.log1p, [e]) }
/// Elementwise square root (correctly rounded).
public func sqrt<E>(_ e: Expression<E>) -> Expression<E> { Expression(.sqrt, [e]) }
/// Elementwise absolute value.
public func abs<E>(_ e: Expression<E>) -> Expression<E> { Expression(.abs, [e]) }
/// Elementwise sine (SLEEF u10).
public func sin<E>(_ e: Expression<E>) -> Expression<E> { Expression(.sin, [e]) }
/// Elementwise cosine (SLEEF u10).
public func cos<E>(_ e: Expression<E>) -> Expression<E> { Expression(.cos, [e]) }
/// Elementwise tangent (SLEEF u10).
public func tan<E>(_ e: Expression<E>) -> Expression<E> { Expression(.tan, [e]) }
/// Elementwise arcsine (SLEEF u10).
public func arcsin<E>(_ e: Expression<E>) -> Expression<E> { Expression(.arcsin, [e]) }
/// Elementwise arccosine (SLEEF u10).
public func arccos<E>(_ e: Expression<E>) -> Expression<E> { Expression(.arccos, [e]) }
/// Elementwise arctangent (SLEEF u10).
public func arctan<E>(_ e: Expression<E>) -> Expression<E> { Expression(.arctan, [e]) }
/// Elementwise `arctan2(y, x)` (SLEEF u10).
public func arctan2<E>(_ y: Expression<E>, _ x: Expression<E>) -> Expression<E> { Expression(.arctan2, [y, x]) }
/// Elementwise hyperbolic sine (SLEEF u10).
public func sinh<E>(_ e: Expression<E>) -> Expression<E> { Expression(.sinh, [e]) }
/// Elementwise hyperbolic cosine (SLEEF u10).
public func cosh<E>(_ e: Expression<E>) -> Expression<E> { Expression(.cosh, [e]) }
/// Elementwise hyperbolic tangent (SLEEF u10).
public func tanh<E>(_ e: Expression<E>) -> Expression<E> { Expression(.tanh, [e]) }
/// Elementwise inverse hyperbolic sine (SLEEF u10).
public func arcsinh<E>(_ e: Expression<E>) -> Expression<E> { Expression(.arcsinh, [e]) }
/// Elementwise inverse hyperbolic cosine (SLEEF u10).
public func arccosh<E>(_ e: Expression<E>) -> Expression<E> { Expression(.arccosh, [e]) }
/// Elementwise inverse hyperbolic tangent (SLEEF u10).
public func arctanh<E>(_ e: Expression<E>) -> Expression<E> { Expression(.arctanh, [e]) }
/// Elementwise floor.
public func floor<E>(_ e: Expression<E>) -> Expression<E> { Expression(.floor, [e]) }
/// Elementwise ceiling.
public func ceil<E>(_ e: Expression<E>) -> Expression<E> { Expression(.ceil, [e]) }
/// Elementwise rounding to nearest, ties to even (numpy's `round`).
public func round<E>(_ e: Expression<E>) -> Expression<E> { Expression(.round, [e]) }
/// Elementwise truncation toward zero.
public func trunc<E>(_ e: Expression<E>) -> Expression<E> { Expression(.trunc, [e]) }
/// Elementwise sign: -1, 0 or 1 (NaN for NaN), as numpy.
public func sign<E>(_ e: Expression<E>) -> Expression<E> { Expression(.sign, [e]) }
/// Elementwise `hypot(a, b)` (SLEEF u05).
public func hypot<E>(_ a: Expression<E>, _ b: Expression<E>) -> Expression<E> { Expression(.hypot, [a, b]) }
/// Elementwise `copysign(a, b)`.
public func copysign<E>(_ a: Expression<E>, _ b: Expression<E>) -> Expression<E> { Expression(.copysign, [a, b]) }
/// Elementwise `fmod(a, b)` (exact).
public func fmod<E>(_ a: Expression<E>, _ b: Expression<E>) -> Expression<E> { Expression(.fmod, [a, b]) }
/// Elementwise minimum; NaN if either is NaN (numpy's rule).
public func minimum<E>(_ a: Expression<E>, _ b: Expression<E>) -> Expression<E> { Expression(.minimum, [a, b]) }
/// Elementwise maximum; NaN if either is NaN (numpy's rule).
public func maximum<E>(_ a: Expression<E>, _ b: Expression<E>) -> Expression<E> { Expression(.maximum, [a, b]) }
/// 1 where the value is NaN.
public func isnan<E>(_ e: Expression<E>) -> Expression<E> { Expression(.isnan, [e]) }
/// 1 where the value is finite.
public func isfinite<E>(_ e: Expression<E>) -> Expression<E> { Expression(.isfinite, [e]) }
/// 1 where the value is infinite.
public func isinf<E>(_ e: Expression<E>) -> Expression<E> { Expression(.isinf, [e]) }
/// 1 where the sign bit is set (-0.0 included).
public func signbit<E>(_ e: Expression<E>) -> Expression<E> { Expression(.signbit, [e]) }

// Expression inputs that mix arrays and plain numbers:
// `e.evaluate(["x": x, "s": 2.5])`. A number binds as a rank-0 array of
// the element type (a strong constant, as numpy's 0-d arrays: rounded to
// the element type once), so it costs nothing per element.

/// A value an expression variable can be bound to: an `NDArray` of the
/// expression's element type, or a plain `Double`, `Float` or `Int`.
public protocol ExpressionInput: Sendable {
  /// The value as an array of `E`; nil for an array of another type.
  func expressionArray<E: NDArrayScalar>(as _: E.Type) throws -> NDArray<E>?
}

extension NDArray: ExpressionInput {
  /// The array itself when its element type is `E` (no copy), else nil:
  /// an array is never converted silently.
  ///
  /// - Parameter as: The expression's element type.
  /// - Returns: `self` as `NDArray<E>`, or nil for another element type.
  /// - Complexity: O(1).
  public func expressionArray<E: NDArrayScalar>(as _: E.Type) throws -> NDArray<E>? { self as? NDArray<E> }
}

extension Double: ExpressionInput {
  /// A rank-0 array of `E` holding this number, rounded to `E` once.
  ///
  /// - Parameter as: The expression's element type.
  /// - Returns: The scalar as a strong constant of the expression's type.
  /// - Throws: Never in practice (a rank-0 shape is always valid).
  /// - Complexity: O(1).
  public func expressionArray<E: NDArrayScalar>(as _: E.Type) throws -> NDArray<E>? { try NDArray([E(self)], shape: []) }
}

extension Float: ExpressionInput {
  /// A rank-0 array of `E` holding this number (exact in Double).
  ///
  /// - Parameter as: The expression's element type.
  /// - Returns: The scalar as a strong constant of the expression's type.
  /// - Throws: Never in practice (a rank-0 shape is always valid).
  /// - Complexity: O(1).
  public func expressionArray<E: NDArrayScalar>(as _: E.Type) throws -> NDArray<E>? {
    try NDArray([E(Double(self))], shape: [])
  }
}

extension Int: ExpressionInput {
  /// A rank-0 array of `E` holding this number, through Double (exact
  /// below 2^53 in magnitude), then rounded to `E` once.
  ///
  /// - Parameter as: The expression's element type.
  /// - Returns: The scalar as a strong constant of the expression's type.
  /// - Throws: Never in practice (a rank-0 shape is always valid).
  /// - Complexity: O(1).
  public func expressionArray<E: NDArrayScalar>(as _: E.Type) throws -> NDArray<E>? {
    try NDArray([E(Double(self))], shape: [])
  }
}

extension Expression {
  /// The inputs as arrays of the element type.
  /// - Throws: `BlockwiseError.invalidArgument` naming a variable bound to
  ///   an array of another element type.
  func arrays(_ inputs: [String: any ExpressionInput]) throws -> [String: NDArray<Element>] {
    var out: [String: NDArray<Element>] = [:]
    for (name, value) in inputs {
      guard let a = try value.expressionArray(as: Element.self) else {
        throw BlockwiseError.invalidArgument(
          name: "variable \(name)", expected: "an NDArray<\(Element.self)> or a number",
          got: "\(type(of: value))")
      }
      out[name] = a
    }
    return out
  }

  /// `evaluate(_:)` with numbers among the inputs.
  ///
  /// ```swift
  /// let e = try Blockwise.Expression<Double>("x * s + 1")
  /// try e.evaluate(["x": x, "s": 2.5])
  /// ```
  public func evaluate(_ inputs: [String: any ExpressionInput]) throws -> NDArray<Element> {
    try evaluate(arrays(inputs))
  }

  /// `evaluate(_:into:)` with numbers among the inputs.
  public func evaluate(_ inputs: [String: any ExpressionInput], into output: inout NDArray<Element>) throws {
    try evaluate(arrays(inputs), into: &output)
  }

  /// `sum(_:)` with numbers among the inputs.
  public func sum(_ inputs: [String: any ExpressionInput]) throws -> Element { try sum(arrays(inputs)) }
  /// `sumExp(_:)` with numbers among the inputs.
  public func sumExp(_ inputs: [String: any ExpressionInput]) throws -> Element { try sumExp(arrays(inputs)) }
  /// `logSumExp(_:)` with numbers among the inputs.
  public func logSumExp(_ inputs: [String: any ExpressionInput]) throws -> Element { try logSumExp(arrays(inputs)) }
  /// `min(_:)` with numbers among the inputs.
  public func min(_ inputs: [String: any ExpressionInput]) throws -> Element { try min(arrays(inputs)) }
  /// `max(_:)` with numbers among the inputs.
  public func max(_ inputs: [String: any ExpressionInput]) throws -> Element { try max(arrays(inputs)) }
}

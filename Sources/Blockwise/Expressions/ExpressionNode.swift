internal import CBlockwiseKernels

/// An operation of an expression, one to one with the C kernels' `bw_expr_op`.
enum ExpressionOp: Int32, Hashable, Sendable, CaseIterable {
  case copy = 0, neg, add, subtract, multiply, divide, pow, fmod
  case less, lessEqual, greater, greaterEqual, equal, notEqual, and, or, not
  case `where`, clip
  case exp, expm1, log, log2, log10, log1p, sqrt, abs
  case sin, cos, tan, arcsin, arccos, arctan
  case sinh, cosh, tanh, arcsinh, arccosh, arctanh
  case floor, ceil, round, trunc, sign
  case isnan, isfinite, isinf, signbit
  case arctan2, hypot, copysign, minimum, maximum
  case square, reciprocal

  /// Whether the result is a boolean (1 or 0).
  var isPredicate: Bool {
    switch self {
    case .less, .lessEqual, .greater, .greaterEqual, .equal, .notEqual, .and, .or, .not,
      .isnan, .isfinite, .isinf, .signbit:
      true
    default: false
    }
  }

  /// The numexpr function of this op, for the functions a source may call.
  static let functions: [String: (op: ExpressionOp, arity: Int)] = {
    var table: [String: (ExpressionOp, Int)] = [:]
    for op: ExpressionOp in [
      .exp, .expm1, .log, .log2, .log10, .log1p, .sqrt, .abs, .sin, .cos, .tan, .arcsin, .arccos,
      .arctan, .sinh, .cosh, .tanh, .arcsinh, .arccosh, .arctanh, .floor, .ceil, .round, .trunc,
      .sign, .isnan, .isfinite, .isinf, .signbit,
    ] { table["\(op)"] = (op, 1) }
    for op: ExpressionOp in [.arctan2, .hypot, .copysign, .fmod, .minimum, .maximum] { table["\(op)"] = (op, 2) }
    table["clip"] = (.clip, 3)
    table["where"] = (.where, 3)
    return table
  }()

  /// How the op prints in `Expression.description` and program listings.
  var symbol: String {
    switch self {
    case .add: "+"
    case .subtract: "-"
    case .multiply: "*"
    case .divide: "/"
    case .pow: "**"
    case .less: "<"
    case .lessEqual: "<="
    case .greater: ">"
    case .greaterEqual: ">="
    case .equal: "=="
    case .notEqual: "!="
    case .and: "&"
    case .or: "|"
    default: "\(self)"
    }
  }

  /// Infix in Python syntax (the others print as calls).
  var isInfix: Bool {
    switch self {
    case .add, .subtract, .multiply, .divide, .pow, .less, .lessEqual, .greater, .greaterEqual, .equal,
      .notEqual, .and, .or:
      true
    default: false
    }
  }
}

/// An expression tree. Values, not references: equal subtrees are equal
/// (and hash alike), which is how a repeated sub-expression is found.
indirect enum ExpressionNode: Hashable, Sendable {
  /// A number. `weak` constants are Python literals (and their
  /// combinations), evaluated in Double and rounded to the element type
  /// where they meet an array; strong ones come from rank-0 arrays and
  /// hold a value of the element type.
  case constant(bits: UInt64, weak: Bool)
  case boolean(Bool)
  case variable(String)
  case operation(ExpressionOp, [ExpressionNode])

  static func number(_ v: Double, weak: Bool = true) -> ExpressionNode { .constant(bits: v.bitPattern, weak: weak) }

  /// Whether the node's value is a boolean.
  var isBoolean: Bool {
    switch self {
    case .boolean: true
    case .constant, .variable: false
    case let .operation(op, args):
      op.isPredicate || (op == .where && args[1].isBoolean && args[2].isBoolean)
    }
  }

  /// The variables read, sorted.
  var variables: [String] {
    var names = Set<String>()
    func walk(_ n: ExpressionNode) {
      switch n {
      case let .variable(v): names.insert(v)
      case let .operation(_, args): args.forEach(walk)
      default: break
      }
    }
    walk(self)
    return names.sorted()
  }

  /// Python source for the tree, parenthesised so that it parses back to
  /// the same tree.
  var source: String {
    switch self {
    case let .constant(bits, _):
      let v = Double(bitPattern: bits)
      if v.isNaN { return "(0.0 / 0.0)" }
      if v.isInfinite { return v > 0 ? "(1.0 / 0.0)" : "(-1.0 / 0.0)" }
      return v < 0 || (v == 0 && v.sign == .minus) ? "(\(v))" : "\(v)"
    case let .boolean(b): return b ? "True" : "False"
    case let .variable(name): return name
    case let .operation(op, args):
      switch op {
      case .neg: return "(-\(args[0].source))"
      case .not: return "(~\(args[0].source))"
      case .copy: return args[0].source
      case .square: return "(\(args[0].source) ** 2)"
      case .reciprocal: return "(\(args[0].source) ** -1)"
      default:
        if op.isInfix { return "(\(args[0].source) \(op.symbol) \(args[1].source))" }
        return "\(op.symbol)(\(args.map(\.source).joined(separator: ", ")))"
      }
    }
  }
}

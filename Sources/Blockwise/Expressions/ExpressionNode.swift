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

  /// The op a function name of the source denotes (`"pow"` for `**`).
  static func named(_ name: String) -> ExpressionOp? { name == "pow" ? .pow : functions[name]?.op }

  /// The documented error bound of the op, in ulps of the exact result,
  /// on its whole domain and every kernel path (0 for the exact ops).
  /// The edge-value tests hold every function to it.
  var ulpBound: Double {
    switch self {
    // Correctly rounded IEEE operations.
    case .sqrt, .add, .subtract, .multiply, .divide, .square, .reciprocal: 0.5
    // SLEEF's u05 hypot: within 0.5001 ulp.
    case .hypot: 0.5001
    // SLEEF's u10 functions, Blockwise's exp, and the libm fallbacks
    // outside SLEEF's ranges (rounded once from a wider type).
    case .exp, .expm1, .log, .log2, .log10, .log1p, .sin, .cos, .tan, .arcsin, .arccos, .arctan,
      .sinh, .cosh, .tanh, .arcsinh, .arccosh, .arctanh, .pow, .arctan2:
      1.0
    default: 0
    }
  }

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

/// One step of a left-associative run: `op operand`.
struct ExpressionLink: Hashable, Sendable {
  let op: ExpressionOp
  let operand: ExpressionNode
}

extension ExpressionOp {
  /// Binary ops that Python groups left to right at one precedence level;
  /// a run of them is kept flat (`ExpressionNode.chain`).
  var chainGroup: Int? {
    switch self {
    case .add, .subtract: 1
    case .multiply, .divide, .fmod: 2
    case .and: 3
    case .or: 4
    default: nil
    }
  }

  /// The infix spelling of a chainable op in source form.
  var infixSymbol: String { self == .fmod ? "%" : symbol }
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
  /// `((first op1 x1) op2 x2) ...`: a run of two or more left-associative
  /// operations of one precedence level, kept flat so that a long flat
  /// sum (`a + b + c + ...`, 10^5 characters) is one node and no pass
  /// over the tree recurses once per term.
  case chain(ExpressionNode, [ExpressionLink])

  static func number(_ v: Double, weak: Bool = true) -> ExpressionNode { .constant(bits: v.bitPattern, weak: weak) }

  /// `lhs op rhs`, extending `lhs` when it is a run of the same
  /// precedence level (the parser and the Swift builder both build
  /// through here, so they make the same trees).
  static func joining(_ lhs: ExpressionNode, _ op: ExpressionOp, _ rhs: ExpressionNode) -> ExpressionNode {
    guard let group = op.chainGroup else { return .operation(op, [lhs, rhs]) }
    switch lhs {
    case let .chain(first, links) where links[0].op.chainGroup == group:
      return .chain(first, links + [ExpressionLink(op: op, operand: rhs)])
    case let .operation(op2, args) where args.count == 2 && op2.chainGroup == group:
      return .chain(args[0], [ExpressionLink(op: op2, operand: args[1]), ExpressionLink(op: op, operand: rhs)])
    default:
      return .operation(op, [lhs, rhs])
    }
  }

  /// `first` followed by `links`, as the smallest node that says so.
  static func run(_ first: ExpressionNode, _ links: [ExpressionLink]) -> ExpressionNode {
    switch links.count {
    case 0: first
    case 1: .operation(links[0].op, [first, links[0].operand])
    default: .chain(first, links)
    }
  }

  /// The operands of an operation or a run, in order.
  var operands: [ExpressionNode] {
    switch self {
    case let .operation(_, args): args
    case let .chain(first, links): [first] + links.map(\.operand)
    default: []
    }
  }

  /// Whether the node's value is a boolean.
  var isBoolean: Bool {
    switch self {
    case .boolean: true
    case .constant, .variable: false
    case let .operation(op, args):
      op.isPredicate || (op == .where && args[1].isBoolean && args[2].isBoolean)
    case let .chain(_, links): links[0].op.isPredicate
    }
  }

  /// The variables read, sorted.
  var variables: [String] {
    var names = Set<String>()
    func walk(_ n: ExpressionNode) {
      switch n {
      case let .variable(v): names.insert(v)
      case .operation, .chain: n.operands.forEach(walk)
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
      // A unary operator prints bare (so n of them re-parse as n levels of
      // nesting, not 2n); a base of ** that is one is parenthesised below.
      case .neg: return "-\(args[0].source)"
      case .not: return "~\(args[0].source)"
      case .copy: return args[0].source
      case .square: return "(\(args[0].source) ** 2)"
      case .reciprocal: return "(\(args[0].source) ** -1)"
      default:
        if op.isInfix {
          var lhs = args[0].source
          if op == .pow, case let .operation(inner, _) = args[0], inner == .neg || inner == .not { lhs = "(\(lhs))" }
          return "(\(lhs) \(op.symbol) \(args[1].source))"
        }
        return "\(op.symbol)(\(args.map(\.source).joined(separator: ", ")))"
      }
    case let .chain(first, links):
      // One pair of parentheses: the run parses back to the same run.
      var s = "(" + first.source
      for link in links { s += " \(link.op.infixSymbol) \(link.operand.source)" }
      return s + ")"
    }
  }
}

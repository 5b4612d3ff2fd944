// numexpr's syntax, with Python's precedence and associativity (numexpr
// parses with Python's own grammar), from lowest to highest binding:
//
//   comparisons  < <= > >= == !=   (chained: a < b < c is (a < b) & (b < c))
//   |            logical or of comparison results
//   &            logical and
//   + -
//   * / %        (% is C's fmod, as in numexpr)
//   unary + - ~  (~ is logical not)
//   **           right-associative; binds tighter than a unary minus on its
//                left (-x**2 is -(x**2)) and takes a unary operand on its
//                right (2**-1)
//   calls, names, numbers, parentheses
//
// Errors name the column (a 0-based character offset) and what was
// expected there. The parser never traps: nesting is bounded, and every
// character either makes a token or an error.

/// One lexical token and where it starts.
struct ExpressionToken: Sendable {
  enum Kind: Sendable, Equatable {
    case number(Double)
    case name(String)
    case symbol(String)  // operators, parentheses, comma
    case end
  }
  let kind: Kind
  let column: Int

  var display: String {
    switch kind {
    case let .number(v): "number \(v)"
    case let .name(n): "'\(n)'"
    case let .symbol(s): "'\(s)'"
    case .end: "the end of the expression"
    }
  }
}

struct ExpressionParser {
  let source: String
  let chars: [Character]
  var tokens: [ExpressionToken] = []
  var position = 0
  var depth = 0
  /// Levels of nesting accepted, counted as users count them: each
  /// parenthesis, unary operator, function call and power's exponent
  /// opens one level (CPython's parser allows 200 nested parentheses).
  /// Deeper nesting is refused rather than risking the stack; flat runs
  /// (`a + b + c ...`) are loops, not nesting, and have no limit.
  static let maximumDepth = 200

  init(_ source: String) {
    self.source = source
    chars = Array(source)
  }

  func error(_ expected: String, at column: Int, found: String?) -> BlockwiseError {
    .expressionSyntax(source: source, column: column, expected: expected, found: found)
  }

  // MARK: - Tokens

  mutating func tokenize() throws {
    var i = 0
    let twoCharacter: Set<String> = ["**", "<=", ">=", "==", "!=", "//", "<<", ">>"]
    let single: Set<Character> = ["+", "-", "*", "/", "%", "(", ")", ",", "<", ">", "&", "|", "~", "^", "="]
    while i < chars.count {
      let c = chars[i]
      if c == " " || c == "\t" || c == "\n" || c == "\r" {
        i += 1
        continue
      }
      if c.isASCII && (c.isLetter || c == "_") {
        var j = i
        while j < chars.count, chars[j].isASCII, chars[j].isLetter || chars[j].isNumber || chars[j] == "_" { j += 1 }
        tokens.append(ExpressionToken(kind: .name(String(chars[i..<j])), column: i))
        i = j
        continue
      }
      if (c.isASCII && c.isNumber) || (c == "." && i + 1 < chars.count && chars[i + 1].isASCII && chars[i + 1].isNumber) {
        i = try number(at: i)
        continue
      }
      if i + 1 < chars.count, twoCharacter.contains(String(chars[i...(i + 1)])) {
        tokens.append(ExpressionToken(kind: .symbol(String(chars[i...(i + 1)])), column: i))
        i += 2
        continue
      }
      if single.contains(c) {
        tokens.append(ExpressionToken(kind: .symbol(String(c)), column: i))
        i += 1
        continue
      }
      throw error("a number, a name, an operator or a parenthesis", at: i, found: "'\(c)'")
    }
    tokens.append(ExpressionToken(kind: .end, column: chars.count))
  }

  /// A Python float or integer literal (digits with optional underscores,
  /// a fraction, an exponent); returns the index after it.
  mutating func number(at start: Int) throws -> Int {
    var i = start
    var text = ""
    func digits() {
      while i < chars.count, (chars[i].isASCII && chars[i].isNumber) || (chars[i] == "_" && !text.isEmpty) {
        if chars[i] != "_" { text.append(chars[i]) }
        i += 1
      }
    }
    digits()
    if i < chars.count && chars[i] == "." {
      text.append(".")
      i += 1
      digits()
    }
    if i < chars.count && (chars[i] == "e" || chars[i] == "E") {
      text.append("e")
      i += 1
      if i < chars.count && (chars[i] == "+" || chars[i] == "-") {
        text.append(chars[i])
        i += 1
      }
      let before = text.count
      digits()
      if text.count == before { throw error("digits of an exponent", at: i, found: found(at: i)) }
    }
    if i < chars.count, chars[i].isASCII, chars[i].isLetter || chars[i] == "_" {
      let what = chars[i] == "j" || chars[i] == "J" ? "a complex literal (unsupported)" : "'\(chars[i])'"
      throw error("an operator after the number", at: i, found: what)
    }
    if text.hasPrefix(".") { text = "0" + text }
    if text.hasSuffix(".") { text += "0" }
    guard let v = Double(text) else { throw error("a number", at: start, found: "'\(text)'") }
    tokens.append(ExpressionToken(kind: .number(v), column: start))
    return i
  }

  func found(at i: Int) -> String {
    i < chars.count ? "'\(chars[i])'" : "the end of the expression"
  }

  // MARK: - Grammar

  var current: ExpressionToken { tokens[position] }

  func isSymbol(_ s: String) -> Bool {
    if case let .symbol(t) = current.kind { return t == s }
    return false
  }

  mutating func expect(_ s: String) throws {
    guard isSymbol(s) else { throw error("'\(s)'", at: current.column, found: current.kind == .end ? nil : current.display) }
    position += 1
  }

  /// Parses the whole source.
  mutating func parse() throws -> ExpressionNode {
    try tokenize()
    let node = try comparison()
    guard current.kind == .end else {
      if case let .name(n) = current.kind, ["and", "or", "not", "if", "else"].contains(n) {
        throw error("'&', '|' or '~' on comparison results (Python's '\(n)' is not supported)", at: current.column, found: "'\(n)'")
      }
      throw error("an operator or the end of the expression", at: current.column, found: current.display)
    }
    return node
  }

  mutating func nested<R>(_ body: (inout ExpressionParser) throws -> R) throws -> R {
    depth += 1
    defer { depth -= 1 }
    guard depth <= Self.maximumDepth else {
      throw error(
        "at most \(Self.maximumDepth) levels of nesting (parentheses, unary operators, calls, exponents)",
        at: current.column, found: "level \(depth) at \(current.display)")
    }
    return try body(&self)
  }

  static let comparisons: [String: ExpressionOp] = [
    "<": .less, "<=": .lessEqual, ">": .greater, ">=": .greaterEqual, "==": .equal, "!=": .notEqual,
  ]

  /// A left-associative run of one precedence level: `operand` parses
  /// each operand, `next` consumes and names the operator between two
  /// (nil ends the run). The links are collected in one array, so a flat
  /// run of any length costs no recursion and no copy per term.
  mutating func run(
    _ operand: (inout ExpressionParser) throws -> ExpressionNode,
    _ next: (inout ExpressionParser, ExpressionNode) throws -> ExpressionOp?
  ) throws -> ExpressionNode {
    let first = try operand(&self)
    var links: [ExpressionLink] = []
    var last = first
    while let op = try next(&self, last) {
      last = try operand(&self)
      links.append(ExpressionLink(op: op, operand: last))
    }
    return .run(first, links)
  }

  mutating func comparison() throws -> ExpressionNode {
    var left = try logicalOr()
    var tests: [ExpressionNode] = []
    while case let .symbol(s) = current.kind, let op = Self.comparisons[s] {
      position += 1
      let right = try logicalOr()
      tests.append(.operation(op, [left, right]))
      left = right
    }
    if isSymbol("=") {
      throw error("'==' for equality (assignment is not an expression)", at: current.column, found: "'='")
    }
    // a < b < c is (a < b) & (b < c), as Python chains comparisons.
    guard let first = tests.first else { return left }
    return .run(first, tests.dropFirst().map { ExpressionLink(op: .and, operand: $0) })
  }

  /// The logical operator at the current token, consumed, after checking
  /// that the operand before it is a boolean (the one after it is checked
  /// by `requireBoolean` on the next round, or after the loop).
  mutating func logical(_ symbol: String, _ op: ExpressionOp, after left: ExpressionNode) throws -> ExpressionOp? {
    if symbol == "|" && isSymbol("^") {
      throw error("'|' or '&' ('^' is not supported)", at: current.column, found: "'^'")
    }
    guard isSymbol(symbol) else { return nil }
    try requireBoolean(left, at: current)
    position += 1
    return op
  }

  mutating func logicalOr() throws -> ExpressionNode {
    try logicalRun("|", .or) { p in try p.logicalAnd() }
  }

  mutating func logicalAnd() throws -> ExpressionNode {
    try logicalRun("&", .and) { p in try p.arithmetic() }
  }

  /// A run of `symbol` (`|` or `&`) over operands that must be booleans:
  /// each operand after an operator is checked against that operator's token.
  mutating func logicalRun(
    _ symbol: String, _ op: ExpressionOp, _ operand: (inout ExpressionParser) throws -> ExpressionNode
  ) throws -> ExpressionNode {
    var token: ExpressionToken? = nil
    return try run({ p in
      let node = try operand(&p)
      if let t = token { try p.requireBoolean(node, at: t) }
      return node
    }) { p, left in
      token = p.current
      return try p.logical(symbol, op, after: left)
    }
  }

  func requireBoolean(_ side: ExpressionNode, at token: ExpressionToken) throws {
    guard side.isBoolean else {
      throw error(
        "comparison results (booleans) on both sides of \(token.display)", at: token.column,
        found: "a number (\(side.source))")
    }
  }

  mutating func arithmetic() throws -> ExpressionNode {
    try run({ p in try p.term() }) { p, _ in
      guard p.isSymbol("+") || p.isSymbol("-") else { return nil }
      let op: ExpressionOp = p.isSymbol("+") ? .add : .subtract
      p.position += 1
      return op
    }
  }

  mutating func term() throws -> ExpressionNode {
    try run({ p in try p.factor() }) { p, _ in
      let token = p.current
      switch token.kind {
      case .symbol("*"): p.position += 1; return .multiply
      case .symbol("/"): p.position += 1; return .divide
      case .symbol("%"): p.position += 1; return .fmod
      case .symbol("//"), .symbol("<<"), .symbol(">>"):
        throw p.error("'*', '/' or '%' (\(token.display) is not supported)", at: token.column, found: token.display)
      default: return nil
      }
    }
  }

  /// A unary operator's operand, one level deeper.
  mutating func unaryOperand() throws -> ExpressionNode {
    position += 1
    return try nested { p in try p.factor() }
  }

  mutating func factor() throws -> ExpressionNode {
    if isSymbol("-") { return .operation(.neg, [try unaryOperand()]) }
    if isSymbol("+") { return try unaryOperand() }
    if isSymbol("~") {
      let token = current
      let operand = try unaryOperand()
      guard operand.isBoolean else {
        throw error("a comparison result (boolean) after '~'", at: token.column, found: "a number (\(operand.source))")
      }
      return .operation(.not, [operand])
    }
    return try power()
  }

  mutating func power() throws -> ExpressionNode {
    let base = try primary()
    if isSymbol("**") {
      position += 1
      // Right-associative, a unary operand allowed (2**-1); the exponent
      // is one level deeper, so a**b**c... is bounded like nesting.
      return .operation(.pow, [base, try nested { p in try p.factor() }])
    }
    return base
  }

  mutating func primary() throws -> ExpressionNode {
    let token = current
    switch token.kind {
    case let .number(v):
      position += 1
      return .number(v)
    case let .name(name):
      position += 1
      if isSymbol("(") { return try call(name, at: token) }
      switch name {
      case "True": return .boolean(true)
      case "False": return .boolean(false)
      case "and", "or", "not", "if", "else", "lambda", "in", "is":
        throw error("an operand ('\(name)' is not supported; use & | ~)", at: token.column, found: "'\(name)'")
      default: return .variable(name)
      }
    case .symbol("("):
      position += 1
      let inner = try nested { p in try p.comparison() }
      try expect(")")
      return inner
    default:
      throw error(
        "an operand (a number, a name or '(')", at: token.column, found: token.kind == .end ? nil : token.display)
    }
  }

  mutating func call(_ name: String, at token: ExpressionToken) throws -> ExpressionNode {
    guard let (op, arity) = ExpressionOp.functions[name] else {
      let known = ExpressionOp.functions.keys.sorted().joined(separator: ", ")
      throw error("a function of numexpr's (\(known))", at: token.column, found: "'\(name)'")
    }
    try expect("(")
    var args: [ExpressionNode] = []
    if !isSymbol(")") {
      while true {
        args.append(try nested { p in try p.comparison() })
        if isSymbol(",") {
          position += 1
          continue
        }
        break
      }
    }
    guard args.count == arity else {
      throw error(
        "\(arity) argument\(arity == 1 ? "" : "s") for \(name)()", at: token.column,
        found: "\(args.count)")
    }
    try expect(")")
    return .operation(op, args)
  }
}

extension Blockwise.Expression {
  /// numexpr's reductions around a whole expression: `sum(...)`,
  /// `min(...)`, `max(...)`, `sum_exp(...)`, `logsumexp(...)`, `prod(...)`.
  public static var wholeExpressionReductions: Set<String> { ["sum", "min", "max", "sum_exp", "logsumexp", "prod"] }

  /// Splits numexpr's form `reduction(argument)`, a reduction called around
  /// the whole source, by the expression tokenizer (so `sum(a) + sum(b)`
  /// and `sum((a))` are told apart as the parser would).
  ///
  /// ```swift
  /// Blockwise.Expression<Double>.outerReduction(in: "sum(x * y)")   // ("sum", "x * y")
  /// ```
  /// - Returns: The reduction's name and the argument (a slice of
  ///   `source`), or nil when the source is not one such call (or does not
  ///   tokenize: compiling it reports why).
  public static func outerReduction(in source: String) -> (reduction: String, argument: Substring)? {
    var parser = ExpressionParser(source)
    guard (try? parser.tokenize()) != nil else { return nil }
    let t = parser.tokens
    guard t.count >= 4, case let .name(name) = t[0].kind, wholeExpressionReductions.contains(name),
      t[1].kind == .symbol("(")
    else { return nil }
    var depth = 0
    for k in 1..<t.count {
      if t[k].kind == .symbol("(") { depth += 1 }
      if t[k].kind == .symbol(")") {
        depth -= 1
        if depth == 0 {
          // The call must close at the end of the source.
          guard k == t.count - 2, t[k + 1].kind == .end else { return nil }
          let from = source.index(source.startIndex, offsetBy: t[1].column + 1)
          let to = source.index(source.startIndex, offsetBy: t[k].column)
          return (name, source[from..<to])
        }
      }
    }
    return nil
  }
}

internal import CBlockwiseKernels

/// A compiled register program for one element type: what the C executor
/// runs chunk by chunk.
struct ExpressionProgram<Element: NDArrayScalar>: Sendable {
  var code: [bw_expr_ins] = []
  var constants: [Element] = []
  var registers = 0
  var result = bw_expr_ref(kind: Int32(BW_X_REGISTER.rawValue), index: 0)
  /// The variables read as arrays, in input order.
  var inputs: [String] = []

  /// A readable listing, one instruction a line (`r0 = mul(x, x)`).
  var listing: String {
    func name(_ r: bw_expr_ref) -> String {
      switch UInt32(r.kind) {
      case BW_X_REGISTER.rawValue: "r\(r.index)"
      case BW_X_INPUT.rawValue: inputs[Int(r.index)]
      case BW_X_CONSTANT.rawValue: "\(constants[Int(r.index)])"
      default: "out"
      }
    }
    return code.map { ins in
      let op = ExpressionOp(rawValue: ins.op).map { "\($0)" } ?? "op\(ins.op)"
      let args = [ins.arg.0, ins.arg.1, ins.arg.2].prefix(Int(ins.nargs)).map(name)
      return "\(name(ins.dst)) = \(op)(\(args.joined(separator: ", ")))"
    }.joined(separator: "\n") + (code.isEmpty ? "result = \(name(result))" : "")
  }
}

enum ExpressionCompiler {
  // MARK: - Folding and exact rewrites

  /// Folds constant sub-expressions and applies the rewrites that cannot
  /// change a result.
  ///
  /// Constants follow numpy's scalar rules (NEP 50): Python literals are
  /// "weak" Doubles, combined among themselves in Double; where a weak
  /// constant meets an array or a strong constant (a rank-0 array of the
  /// element type) it is rounded to the element type, and the operation is
  /// done in the element type. Folding runs the same C kernels as
  /// evaluation, on one element, so a folded value is exactly what the
  /// array operation would have given.
  ///
  /// Rewrites (numpy's own fast paths for `**` with a scalar exponent, so
  /// results stay numpy's): `x**2` is `x*x` (exact either way), `x**0.5` is
  /// `sqrt(x)`, `x**-1` is `1/x`, `x**1` is `x`. `where` with a constant
  /// condition picks its branch. No other rewrite: no `x/c` to `x*(1/c)`,
  /// no reassociation, no contraction into FMA.
  static func fold<Element: NDArrayScalar>(_ node: ExpressionNode, as _: Element.Type) -> ExpressionNode {
    if case let .chain(first, links) = node {
      // A run folds its leading constants, left to right, as the nested
      // tree would: (1 + 2) + x folds, (x + 1) + 2 does not.
      var head = fold(first, as: Element.self)
      var rest: [ExpressionLink] = []
      rest.reserveCapacity(links.count)
      for link in links {
        let operand = fold(link.operand, as: Element.self)
        if rest.isEmpty, let folded = foldConstants(link.op, [head, operand], as: Element.self) {
          head = folded
        } else {
          rest.append(ExpressionLink(op: link.op, operand: operand))
        }
      }
      return .run(head, rest)
    }
    guard case let .operation(op, rawArgs) = node else { return node }
    let args = rawArgs.map { fold($0, as: Element.self) }
    if op == .pow, case let .constant(bits, _) = args[1] {
      switch Double(bitPattern: bits) {
      case 2: return fold(.operation(.square, [args[0]]), as: Element.self)
      case 0.5: return fold(.operation(.sqrt, [args[0]]), as: Element.self)
      case -1: return fold(.operation(.reciprocal, [args[0]]), as: Element.self)
      case 1: return args[0]
      default: break
      }
    }
    if op == .where, let c = constantValue(args[0]) {
      return c.value != 0 || c.value.isNaN ? args[1] : args[2]
    }
    return foldConstants(op, args, as: Element.self) ?? .operation(op, args)
  }

  /// `op(args)` as one constant when every argument is a constant, else nil.
  static func foldConstants<Element: NDArrayScalar>(
    _ op: ExpressionOp, _ args: [ExpressionNode], as _: Element.Type
  ) -> ExpressionNode? {
    let values = args.compactMap(constantValue)
    guard values.count == args.count else { return nil }
    let strong = values.contains { !$0.weak }
    let v: Double
    if strong && Element.self != Double.self {
      v = Double(evaluateOne(op, values.map { Element($0.value) }))
    } else {
      v = evaluateOne(op, values.map(\.value))
    }
    if op.isPredicate { return .boolean(v != 0) }
    return .constant(bits: v.bitPattern, weak: !strong)
  }

  static func constantValue(_ node: ExpressionNode) -> (value: Double, weak: Bool)? {
    switch node {
    case let .constant(bits, weak): (Double(bitPattern: bits), weak)
    case let .boolean(b): (b ? 1 : 0, true)
    default: nil
    }
  }

  /// One element through the op's kernel.
  static func evaluateOne<T: NDArrayScalar>(_ op: ExpressionOp, _ args: [T]) -> T {
    var a = args
    while a.count < 3 { a.append(0) }
    var y: T = 0
    a.withUnsafeBufferPointer { p in
      let b = p.baseAddress!
      T._bwExprOp(op.rawValue, 1, &y, b, 0, b + 1, 0, b + 2, 0)
    }
    return y
  }

  // MARK: - Code generation

  /// Compiles a folded tree into a program. `inputs` is the order of the
  /// array inputs; `forOutput` makes the last instruction write the output
  /// array (evaluation) instead of a register (reductions).
  static func compile<Element: NDArrayScalar>(
    _ root: ExpressionNode, inputs: [String], forOutput: Bool, as _: Element.Type
  ) -> ExpressionProgram<Element> {
    var program = ExpressionProgram<Element>()
    program.inputs = inputs
    let inputIndex = Dictionary(uniqueKeysWithValues: inputs.enumerated().map { ($1, Int32($0)) })
    var constantIndex: [UInt64: Int32] = [:]

    // One slot per distinct value (bit pattern: +0 and -0 stay apart).
    func constant(_ v: Element) -> bw_expr_ref {
      let key = Double(v).bitPattern
      if let k = constantIndex[key] { return bw_expr_ref(kind: Int32(BW_X_CONSTANT.rawValue), index: k) }
      let k = Int32(program.constants.count)
      program.constants.append(v)
      constantIndex[key] = k
      return bw_expr_ref(kind: Int32(BW_X_CONSTANT.rawValue), index: k)
    }

    func leaf(_ node: ExpressionNode) -> bw_expr_ref? {
      switch node {
      case let .variable(name): bw_expr_ref(kind: Int32(BW_X_INPUT.rawValue), index: inputIndex[name]!)
      case let .constant(bits, _): constant(Element(Double(bitPattern: bits)))
      case let .boolean(b): constant(b ? 1 : 0)
      case .operation, .chain: nil
      }
    }

    // Distinct operation nodes in post-order (a repeated sub-expression
    // appears once), and how often each is used as an operand.
    var order: [ExpressionNode] = []
    var id: [ExpressionNode: Int] = [:]
    var uses: [Int] = []
    func visit(_ node: ExpressionNode) {
      let args = node.operands
      guard !args.isEmpty, id[node] == nil else { return }
      for a in args { visit(a) }
      id[node] = order.count
      order.append(node)
      uses.append(0)
    }
    visit(root)
    for node in order {
      for a in node.operands { if let k = id[a] { uses[k] += 1 } }
    }

    var register: [Int: Int32] = [:]
    var free: [Int32] = []
    // The operand's reference; a register whose last use this is goes back
    // to the free list.
    func operand(_ a: ExpressionNode) -> bw_expr_ref {
      if let r = leaf(a) { return r }
      let j = id[a]!
      uses[j] -= 1
      if uses[j] == 0 { free.append(register[j]!) }
      return bw_expr_ref(kind: Int32(BW_X_REGISTER.rawValue), index: register[j]!)
    }
    func allocate() -> bw_expr_ref {
      free.sort(by: >)
      let r = free.popLast() ?? Int32(program.registers)
      if r == Int32(program.registers) { program.registers += 1 }
      return bw_expr_ref(kind: Int32(BW_X_REGISTER.rawValue), index: r)
    }
    func emit(_ op: ExpressionOp, _ dst: bw_expr_ref, _ args: [bw_expr_ref]) {
      var refs = args
      while refs.count < 3 { refs.append(bw_expr_ref(kind: Int32(BW_X_CONSTANT.rawValue), index: 0)) }
      program.code.append(
        bw_expr_ins(op: op.rawValue, nargs: Int32(args.count), dst: dst, arg: (refs[0], refs[1], refs[2])))
    }
    let outputRef = bw_expr_ref(kind: Int32(BW_X_OUTPUT.rawValue), index: 0)
    for (k, node) in order.enumerated() {
      let isOutput = forOutput && k == order.count - 1
      switch node {
      case let .operation(op, args):
        let refs = args.map(operand)
        let dst = isOutput ? outputRef : allocate()
        if !isOutput { register[k] = dst.index }
        emit(op, dst, refs)
      case let .chain(first, links):
        // Each step into one register (in place), the last into the
        // output when the run is the whole expression.
        var acc = operand(first)
        let reg = allocate()
        for (i, link) in links.enumerated() {
          let rhs = operand(link.operand)
          let dst = isOutput && i == links.count - 1 ? outputRef : reg
          emit(link.op, dst, [acc, rhs])
          acc = reg
        }
        if isOutput { free.append(reg.index) } else { register[k] = reg.index }
      default:
        continue
      }
    }
    if let r = leaf(root) {
      // A bare variable or constant: a copy makes it the output (or a
      // register, for a constant that reductions must read as a vector).
      if forOutput {
        program.code.append(bw_expr_ins(
          op: ExpressionOp.copy.rawValue, nargs: 1, dst: bw_expr_ref(kind: Int32(BW_X_OUTPUT.rawValue), index: 0),
          arg: (r, r, r)))
      } else if UInt32(r.kind) == BW_X_CONSTANT.rawValue {
        program.registers = 1
        let reg = bw_expr_ref(kind: Int32(BW_X_REGISTER.rawValue), index: 0)
        program.code.append(bw_expr_ins(op: ExpressionOp.copy.rawValue, nargs: 1, dst: reg, arg: (r, r, r)))
        program.result = reg
      } else {
        program.result = r
      }
    } else if !forOutput {
      program.result = bw_expr_ref(kind: Int32(BW_X_REGISTER.rawValue), index: register[order.count - 1]!)
    }
    if program.constants.isEmpty { program.constants = [0] }  // operand slots point here harmlessly
    return program
  }
}

import Foundation
import Testing

@testable import Blockwise

nonisolated(unsafe) let expressionFixtures: [String: Any] = try! Fixtures.json("expressions.json")

@Suite("Expression: parity with numpy and mpmath")
struct ExpressionParityTests {
  func check<E: NDArrayScalar>(_: E.Type, _ label: String) throws {
    let c = expressionFixtures[label] as! [String: Any]
    let x = NDArray(doubles(c["x"]).map { E($0) }), y = NDArray(doubles(c["y"]).map { E($0) })
    let z = NDArray(doubles(c["z"]).map { E($0) })
    let inputs = ["x": x, "y": y, "z": z]
    var worstUlp = 0.0
    for case let e as [String: Any] in c["expressions"] as! [Any] {
      let source = e["source"] as! String
      let expr = try Blockwise.Expression<E>(source)
      let used = Dictionary(uniqueKeysWithValues: expr.variables.map { ($0, inputs[$0]!) })
      let got = try expr.evaluate(used).scalars
      let numpy = doubles(e["numpy"]).map { E($0) }
      switch e["kind"] as! String {
      case "exact":
        #expect(sameBits(got, numpy), "\(label) \(source): not numpy's result bit for bit")
        if !sameBits(got, numpy), let k = got.indices.first(where: { !sameBits([got[$0]], [numpy[$0]]) }) {
          Issue.record("first difference at \(k): x = \(x.scalars[k]), got \(got[k]), numpy \(numpy[k])")
        }
      case "function":
        let exact = e["exact"] as! [Any]
        for k in got.indices {
          if let s = exact[k] as? String {
            let err = ulpError(got[k], reference: Float80(s)!)
            worstUlp = Swift.max(worstUlp, err)
            #expect(err <= 1.0, "\(label) \(source) at x = \(x.scalars[k]), y = \(y.scalars[k]): \(got[k]) is \(err) ulp from \(s)")
          } else {
            #expect(sameBits([got[k]], [numpy[k]]), "\(label) \(source) special value at \(k) (x = \(x.scalars[k]), y = \(y.scalars[k])): \(got[k]) vs numpy \(numpy[k])")
          }
        }
      default:
        let tol: Double = E.self == Float.self ? 4e-6 : 1e-13
        for k in got.indices {
          let g = Double(got[k]), w = Double(numpy[k])
          let ok = (g.isNaN && w.isNaN) || g == w || abs(g - w) <= tol * Swift.max(abs(w), 1)
          #expect(ok, "\(label) \(source) at \(k): \(g) vs numpy \(w)")
        }
      }
    }
    print("Expression functions, \(label), kernels \(kernelISA): worst error \(worstUlp) ulp of the exact value")
  }

  @Test func doubleMatchesNumpyAndMpmath() throws { try check(Double.self, "double") }
  @Test func floatMatchesNumpyAndMpmath() throws { try check(Float.self, "float") }

  @Test func fixturesCoverEveryOperatorAndFunction() throws {
    let c = expressionFixtures["double"] as! [String: Any]
    let sources = (c["expressions"] as! [[String: Any]]).map { $0["source"] as! String }.joined(separator: " ")
    #expect((c["expressions"] as! [Any]).count >= 60)
    for name in ExpressionOp.functions.keys {
      #expect(sources.contains("\(name)("), "no fixture calls \(name)")
    }
    for op in ["+", "-", "*", "/", "**", "%", "<", "<=", ">", ">=", "==", "!=", "&", "|", "~"] {
      #expect(sources.contains(op), "no fixture uses \(op)")
    }
  }
}

@Suite("Expression: semantics, reductions, bad input")
struct ExpressionTests {
  let x = randomArray(Double.self, shape: [3, 50_001], in: -3...3, seed: 141)
  let y = randomArray(Double.self, shape: [3, 50_001], in: 0.5...2, seed: 142)

  @Test func precedenceIsPythons() throws {
    let v = NDArray<Double>([2, -3])
    func eval(_ s: String) throws -> [Double] { try Blockwise.Expression<Double>(s).evaluate(["x": v]).scalars }
    #expect(try eval("-x**2") == [-4, -9])
    #expect(try eval("2**3**2 + x*0") == [512, 512])
    #expect(try eval("2**-1 + x*0") == [0.5, 0.5])
    #expect(try eval("x - 1 - 1") == [0, -5])
    #expect(try eval("x / 2 / 2") == [0.5, -0.75])
    #expect(try eval("1 + x * 3 % 4") == [3, -1 + 1])  // (x*3) % 4 = fmod: 2, -1
    #expect(try eval("-x < 0 < x + 10") == [1, 0])
    #expect(try eval("(x > 0) | (x < -2) & (x > 5)") == [1, 0])  // & binds tighter than |
    #expect(try eval("+-+x") == [-2, 3])
    #expect(try eval(".5 * x + 1e-3 * 0 + 2.") == [3, 0.5])
  }

  @Test func builderCompilesToTheSameProgram() throws {
    let bx = Blockwise.Expression<Double>.variable("x"), by = Blockwise.Expression<Double>.variable("y")
    let pairs: [(Blockwise.Expression<Double>, String)] = [
      (exp(-bx * bx / 2) * 3 + 1, "exp(-x*x/2)*3+1"),
      (exp(-bx * bx / 2) * cos(3 * by) + log1p(bx * bx), "exp(-x*x/2) * cos(3*y) + log1p(x*x)"),
      (select(where: (bx .> 0) .& (by .<= 2), sqrt(bx), -pow(bx, 2)), "where((x > 0) & (y <= 2), sqrt(x), -x**2)"),
      (minimum(bx, by) - maximum(bx, 0.5) % 3, "minimum(x, y) - maximum(x, 0.5) % 3"),
      (clip(bx, -1, 1) + arctan2(by, bx) + hypot(bx, by), "clip(x, -1, 1) + arctan2(y, x) + hypot(x, y)"),
      (Blockwise.Expression(constant: 2.5) * bx, "2.5 * x"),
    ]
    for (built, source) in pairs {
      let parsed = try Blockwise.Expression<Double>(source)
      #expect(built.program == parsed.program, "\(source)")
      #expect(built.description == parsed.description)
    }
    // The description parses back to the same program.
    let e = try Blockwise.Expression<Double>("where(isnan(x), -0.0, x ** 0.5) + x**-1 - 1e300*1e300")
    #expect(try Blockwise.Expression<Double>(e.description).program == e.program)
  }

  @Test func repeatedSubExpressionsAreComputedOnce() throws {
    let e = try Blockwise.Expression<Double>("sin(x*y) + cos(x*y) * (x*y)")
    #expect(e.program.components(separatedBy: "multiply(x, y)").count == 2, "\(e.program)")
    #expect(e.variables == ["x", "y"])
    let folded = try Blockwise.Expression<Double>("x * (2 * 3) + (1 / 4)")
    #expect(folded.program.contains("6.0") && folded.program.contains("0.25"), "\(folded.program)")
  }

  @Test func noRewriteThatChangesRounding() throws {
    // x / 10 is a true division: numpy's result, not x * 0.1.
    let v = NDArray<Double>((1...1000).map { Double($0) * 0.37 })
    let r = try Blockwise.Expression<Double>("x / 10").evaluate(["x": v]).scalars
    #expect(r == v.scalars.map { $0 / 10 })
    #expect(r != v.scalars.map { $0 * 0.1 }, "some quotients differ from a multiplication by 0.1")
    // x**3 is pow, not x*x*x (whose rounding differs); x**2 is x*x (exact).
    let p = try Blockwise.Expression<Double>("x**3").program
    #expect(p.contains("pow"))
    #expect(try Blockwise.Expression<Double>("x**2").program.contains("square"))
  }

  @Test func rankZeroInputsBroadcast() throws {
    let s = try NDArray<Double>([2.5], shape: [])
    let e = try Blockwise.Expression<Double>("x * s + s")
    let r = try e.evaluate(["x": x, "s": s])
    #expect(r.shape == x.shape && r.scalars == x.scalars.map { $0 * 2.5 + 2.5 })
    // Only scalars: a rank-0 result.
    let only = try e.evaluate(["x": try NDArray([4], shape: []), "s": s])
    #expect(only.shape == [] && only.scalars == [12.5])
    #expect(try Blockwise.Expression<Double>("1 + 2").evaluate([:]).scalars == [3])
    // Float: a rank-0 Float is a strong float32 scalar, as a 0-d float32 array in numpy.
    let f = NDArray<Float>([1, 2, 3])
    let third = try NDArray<Float>([Float(1) / 3], shape: [])
    let rf = try Blockwise.Expression<Float>("x * t / 7").evaluate(["x": f, "t": third]).scalars
    #expect(rf == f.scalars.map { ($0 * (Float(1) / 3)) / 7 })
  }

  @Test func reductionsMatchEvaluationAndAreDeterministic() throws {
    let e = try Blockwise.Expression<Double>("exp(-x*x/2) * y - 0.1")
    let values = try e.evaluate(["x": x, "y": y])
    let inputs = ["x": x, "y": y]
    #expect(try e.min(inputs) == values.min())
    #expect(try e.max(inputs) == values.max())
    let exactSum = values.scalars.reduce(Float80(0)) { $0 + Float80($1) }
    #expect(abs(Float80(try e.sum(inputs)) - exactSum) <= 1e-12 * exactSum.magnitude)
    #expect(abs(try e.sumExp(inputs) - values.sumExp()) <= 1e-13 * values.sumExp())
    #expect(abs(try e.logSumExp(inputs) - values.logSumExp()) <= 1e-13)
    let reference = try ComputePool.withThreadCount(1) {
      (try e.sum(inputs), try e.sumExp(inputs), try e.logSumExp(inputs), try e.min(inputs))
    }
    for t in threadCounts {
      let r = try ComputePool.withThreadCount(t) {
        (try e.sum(inputs), try e.sumExp(inputs), try e.logSumExp(inputs), try e.min(inputs))
      }
      #expect(r.0.bitPattern == reference.0.bitPattern && r.1.bitPattern == reference.1.bitPattern)
      #expect(r.2.bitPattern == reference.2.bitPattern && r.3 == reference.3, "\(t) threads")
    }
    // Float sums accumulate in Double.
    let f = NDArray<Float>([Float](repeating: 0.1, count: 1_000_000))
    let fs = try Blockwise.Expression<Float>("x").sum(["x": f])
    #expect(abs(Double(fs) - 1_000_000 * Double(Float(0.1))) <= Double(Float(100_000).ulp), "accumulated in Double, rounded once")
  }

  @Test func emptyInputs() throws {
    let e = try Blockwise.Expression<Double>("x + 1")
    let empty = try NDArray<Double>.zeros([0, 3])
    #expect(try e.sum(["x": empty]) == 0)
    #expect(try e.sumExp(["x": empty]) == 0)
    #expect(try e.logSumExp(["x": empty]) == -.infinity)
    #expect(throws: BlockwiseError.emptyArray(operation: "Expression.min")) { try e.min(["x": empty]) }
    #expect(throws: BlockwiseError.emptyArray(operation: "Expression.max")) { try e.max(["x": empty]) }
    #expect(try e.evaluate(["x": empty]).shape == [0, 3])
  }

  @Test func evaluateIntoWritesTheGivenBuffer() throws {
    let e = try Blockwise.Expression<Double>("x * y + 1")
    var out = try NDArray<Double>.zeros(x.shape)
    let before = out.withUnsafeBufferPointer { $0.baseAddress! }
    try e.evaluate(["x": x, "y": y], into: &out)
    #expect(out.withUnsafeBufferPointer { $0.baseAddress! } == before)
    #expect(out.scalars == zip(x.scalars, y.scalars).map { $0 * $1 + 1 })
    var wrong = try NDArray<Double>.zeros([3])
    #expect(throws: BlockwiseError.shapeMismatch(expected: x.shape, got: [3])) { try e.evaluate(["x": x, "y": y], into: &wrong) }
    #expect(wrong.scalars == [0, 0, 0])
  }

  @Test func syntaxErrorsNameTheColumn() throws {
    let cases: [(String, String)] = [
      ("exp(x * (y + 1)", "expected ')' at column 15 of \"exp(x * (y + 1)\""),
      ("x +", "expected an operand (a number, a name or '(') at column 3 of \"x +\""),
      ("x y", "at column 2 of \"x y\", found 'y'"),
      ("foo(x)", "at column 0 of \"foo(x)\", found 'foo'"),
      ("arctan2(x)", "expected 2 arguments for arctan2() at column 0"),
      ("where(x > 0, x)", "expected 3 arguments for where()"),
      ("exp(x, y)", "expected 1 argument for exp()"),
      ("x & y", "comparison results (booleans) on both sides of '&' at column 2"),
      ("~x", "a comparison result (boolean) after '~' at column 0"),
      ("1e", "expected digits of an exponent at column 2"),
      ("3j + x", "complex literal"),
      ("x $ y", "at column 2 of \"x $ y\", found '$'"),
      ("x // 2", "'//' is not supported"),
      ("x and y", "Python's 'and' is not supported"),
      ("x = 1", "'==' for equality"),
      ("", "expected an operand (a number, a name or '(') at column 0 of \"\""),
      ("(x))", "at column 3 of \"(x))\", found ')'"),
      (String(repeating: "(", count: 5000) + "x", "levels of nesting"),
    ]
    for (source, message) in cases {
      do {
        _ = try Blockwise.Expression<Double>(source)
        Issue.record("\(source.prefix(40)) parsed")
      } catch let e as BlockwiseError {
        guard case .expressionSyntax = e else { Issue.record("\(e)"); continue }
        #expect("\(e)".contains(message), "\(source.prefix(40)): \(e)")
      }
    }
  }

  @Test func inputErrorsNameTheVariable() throws {
    let e = try Blockwise.Expression<Double>("x + y")
    #expect(throws: BlockwiseError.missingVariable(variable: "y", expression: "(x + y)")) { try e.evaluate(["x": x]) }
    #expect(throws: BlockwiseError.unknownVariable(variable: "z", expression: "(x + y)", reads: ["x", "y"])) {
      try e.sum(["x": x, "y": y, "z": x])
    }
    let short = try NDArray<Double>.zeros([7])
    do {
      _ = try e.evaluate(["x": x, "y": short])
      Issue.record("a shape mismatch must throw")
    } catch let err as BlockwiseError {
      let m = "\(err)"
      #expect(m.contains("'y'") && m.contains("[7]") && m.contains("\(x.shape)") && m.contains("'x'"), "\(m)")
    }
    let bx = Blockwise.Expression<Double>.variable("x")
    #expect(throws: BlockwiseError.self) { try (bx .& bx).evaluate(["x": x]) }
  }

  /// Random and mutated sources: the parser throws or succeeds, never traps.
  @Test func parserFuzz() throws {
    var g = SeededGenerator(seed: 1414)
    let alphabet = Array("xyz0123456789.eE+-*/%()<>=!&|~^, _abcdefghijklmnopqrstuvwxyzwhereclipexplogsqrt\u{00e9}$\"'\t")
    let seeds = ["exp(-x*x/2) * cos(3*y) + log1p(x*x)", "where((x > 0) & (y < 1), x**2, -y)", "clip(x, -1, 2.5e-3)",
                 "arctan2(y, x) % 3 + ~(x != y)", "1 < x <= 2", "minimum(maximum(x, 0), .5)"]
    var parsed = 0, rejected = 0
    for i in 0..<100_000 {
      var chars: [Character]
      if i % 2 == 0 {
        chars = (0..<Int.random(in: 0...24, using: &g)).map { _ in alphabet.randomElement(using: &g)! }
      } else {
        chars = Array(seeds[i % seeds.count])
        for _ in 0..<Int.random(in: 1...4, using: &g) {
          let k = Int.random(in: 0...chars.count, using: &g)
          switch Int.random(in: 0..<3, using: &g) {
          case 0 where k < chars.count: chars.remove(at: k)
          case 1: chars.insert(alphabet.randomElement(using: &g)!, at: k)
          default: if k < chars.count { chars[k] = alphabet.randomElement(using: &g)! }
          }
        }
      }
      do {
        _ = try Blockwise.Expression<Float>(String(chars))
        parsed += 1
      } catch is BlockwiseError {
        rejected += 1
      }
    }
    #expect(parsed + rejected == 100_000 && parsed > 1000 && rejected > 1000)
  }
}

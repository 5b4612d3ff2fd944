import Testing

@testable import Blockwise

// Nesting counted as users count it (one level per parenthesis, unary
// operator, call or exponent; at most 200, as CPython's parser allows),
// and flat runs of any length without deep recursion.
@Suite("Expression: nesting depth and long flat runs")
struct ExpressionDepthTests {
  nonisolated(unsafe) static let kinds: [(name: String, make: (Int) -> String, value: (Double) -> Double)] = [
    ("parentheses", { String(repeating: "(", count: $0) + "x" + String(repeating: ")", count: $0) }, { $0 }),
    ("unary minus", { String(repeating: "-", count: $0) + "x" }, { x in x }),
    ("unary plus", { String(repeating: "+", count: $0) + "x" }, { $0 }),
    ("calls", { String(repeating: "abs(", count: $0) + "x" + String(repeating: ")", count: $0) }, { Swift.abs($0) }),
    ("mixed", { n in (0..<n).map { $0 % 2 == 0 ? "(" : "-" }.joined() + "x" + String(repeating: ")", count: (n + 1) / 2) }, { $0 }),
  ]

  @Test(arguments: [1, 100, 199, 200, 201])
  func nesting(depth: Int) throws {
    let x = NDArray<Double>([-1.5, 2.25, 0])
    for kind in Self.kinds {
      let source = kind.make(depth)
      if depth <= ExpressionParser.maximumDepth {
        let e = try Blockwise.Expression<Double>(source)
        let got = try e.evaluate(["x": x]).scalars
        var want = x.scalars.map(kind.value)
        if kind.name == "unary minus" && depth % 2 == 1 { want = want.map { -$0 } }
        if kind.name == "mixed" && (depth / 2) % 2 == 1 { want = want.map { -$0 } }
        #expect(sameBits(got, want), "\(kind.name) at depth \(depth): \(got) vs \(want)")
        // The canonical source parses back to the same expression.
        #expect(try Blockwise.Expression<Double>(e.description).description == e.description)
      } else {
        do {
          _ = try Blockwise.Expression<Double>(source)
          Issue.record("\(kind.name) at depth \(depth) was accepted")
        } catch let error as BlockwiseError {
          let message = "\(error)"
          #expect(message.contains("at most 200 levels"), "\(kind.name): \(message)")
          #expect(message.contains("level 201"), "\(kind.name): \(message)")
        }
      }
    }
  }

  @Test func exponentChains() throws {
    // Python's a**b**c is a**(b**c): each exponent one level deeper.
    let ok = Array(repeating: "x", count: 200).joined(separator: "**")
    let e = try Blockwise.Expression<Double>(ok)
    #expect(try e.evaluate(["x": NDArray([1.0])]).scalars == [1.0])
    let tooDeep = Array(repeating: "x", count: 202).joined(separator: "**")
    #expect(throws: BlockwiseError.self) { try Blockwise.Expression<Double>(tooDeep) }
  }

  @Test func longFlatRuns() throws {
    // 10^5 characters of '+' and '-' terms over three variables: one flat
    // run, evaluated left to right exactly as a loop would.
    var g = SeededGenerator(seed: 24)
    let names = ["x", "y", "z"]
    var source = "x"
    var ops: [(Bool, Int)] = []
    while source.utf8.count < 100_000 {
      let plus = Bool.random(using: &g)
      let v = Int.random(in: 0..<3, using: &g)
      ops.append((plus, v))
      source += (plus ? "+" : "-") + names[v]
    }
    let n = 257
    let inputs = names.map { _ in (0..<n).map { _ in Double.random(in: -1...1, using: &g) } }
    let e = try Blockwise.Expression<Double>(source)
    let arrays = Dictionary(uniqueKeysWithValues: names.indices.map { (names[$0], NDArray(inputs[$0])) })
    let got = try e.evaluate(arrays).scalars
    var want = inputs[0]
    for (plus, v) in ops {
      for i in 0..<n { want[i] = plus ? want[i] + inputs[v][i] : want[i] - inputs[v][i] }
    }
    #expect(sameBits(got, want))
    #expect(e.description.utf8.count > 100_000)
    #expect(try e.sum(arrays) == want.reduce(0, +) || Swift.abs(try e.sum(arrays) - want.reduce(0, +)) < 1e-9)

    // Products and quotients too, and logic runs.
    let product = Array(repeating: "x", count: 20_000).joined(separator: "*")
    #expect(try Blockwise.Expression<Double>(product).evaluate(["x": NDArray([1.0, -1.0])]).scalars == [1.0, 1.0])
    let logic = Array(repeating: "(x > 0)", count: 10_000).joined(separator: " & ")
    #expect(try Blockwise.Expression<Double>(logic).evaluate(["x": NDArray([1.0, -1.0])]).scalars == [1.0, 0.0])
  }

  @Test func builderMakesTheParsersRuns() throws {
    let x = Blockwise.Expression<Double>.variable("x")
    var built: Blockwise.Expression<Double> = x
    for k in 1..<50 { built = k % 3 == 0 ? built - x * 2 : built + x }
    var source = "x"
    for k in 1..<50 { source += k % 3 == 0 ? " - x * 2" : " + x" }
    let parsed = try Blockwise.Expression<Double>(source)
    #expect(built.description == parsed.description)
    #expect(built.program == parsed.program)
    // Constants leading a run fold as the nested tree would.
    #expect(try Blockwise.Expression<Double>("1 + 2 + x + 3").description == "(3.0 + x + 3.0)")
  }

  @Test func outerReductionsAsTheParserSeesThem() {
    typealias E = Blockwise.Expression<Double>
    func split(_ s: String) -> (String, String)? { E.outerReduction(in: s).map { ($0.reduction, String($0.argument)) } }
    #expect(split("sum(x * y)")! == ("sum", "x * y"))
    #expect(split("  logsumexp( (a + b) * 2 ) ")! == ("logsumexp", " (a + b) * 2 "))
    #expect(split("sum_exp(where(x > 0, x, -x))")! == ("sum_exp", "where(x > 0, x, -x)"))
    #expect(E.outerReduction(in: "sum(a) + sum(b)") == nil)
    #expect(E.outerReduction(in: "exp(x)") == nil)
    #expect(E.outerReduction(in: "sum(x") == nil)
    #expect(E.outerReduction(in: "sum(x) $") == nil)
  }
}

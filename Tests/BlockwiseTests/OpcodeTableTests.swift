import CBlockwiseKernels
import Testing

@testable import Blockwise

// Swift's ExpressionOp and reduction numbering against the one list in
// bw_opcodes.h, entry by entry: changing either alone fails here.
@Suite("One opcode table")
struct OpcodeTableTests {
  @Test func expressionOpsMatchTheCList() {
    #expect(ExpressionOp.allCases.count == Int(BW_X_OP_COUNT.rawValue))
    for op in ExpressionOp.allCases {
      let name = bw_expr_op_name(op.rawValue).map { String(cString: $0) }
      #expect(name == "\(op)", "opcode \(op.rawValue): C says \(name ?? "nothing"), Swift says \(op)")
    }
    #expect(bw_expr_op_name(Int32(BW_X_OP_COUNT.rawValue)) == nil && bw_expr_op_name(-1) == nil)
  }

  @Test func reductionsHaveOneNumbering() {
    let expected: [(Int32, String)] = [(0, "sum"), (1, "min"), (2, "max"), (3, "sum_exp"), (4, "logsumexp")]
    #expect(Int(BW_XR_COUNT.rawValue) == expected.count)
    for (code, name) in expected {
      #expect(bw_reduction_name(code).map { String(cString: $0) } == name)
    }
    #expect(BW_XR_SUM.rawValue == 0 && BW_XR_MIN.rawValue == 1 && BW_XR_MAX.rawValue == 2)
    #expect(BW_XR_SUMEXP.rawValue == 3 && BW_XR_LSE.rawValue == 4)
  }
}

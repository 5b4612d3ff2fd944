import Foundation
import Testing

@testable import Blockwise

/// The helpers every other test measures with (TestSupport.swift): a wrong
/// ulp count or a lenient bit comparison would let real failures through.
@Suite("Test helpers")
struct TestSupportTests {
  @Test func ulpErrorCountsUlps() {
    #expect(ulpError(1.0, reference: 1) == 0)
    #expect(ulpError((1.0 as Double).nextUp, reference: 1) == 1)
    #expect(ulpError(Float(1).nextUp.nextUp, reference: 1) == 2)
    // Measured in ulps of the reference: 1 - 2^-53 is half an ulp of 1.
    #expect(ulpError((1.0 as Double).nextDown, reference: 1) == 0.5)
    #expect(ulpError(1.0, reference: Float80((1.0 as Double).nextDown)) == 1)
    // A reference just below a power of two rounds up to it, but the
    // spacing there is the one below: 1 - 2^-53 is ~1 ulp from 1 - 2^-60.
    let below = ulpError((1.0 as Double).nextDown, reference: 1 - 8 * Float80.ulpOfOne)
    #expect(abs(below - 1) < 0.01)
    #expect(ulpError(Double.nan, reference: .nan) == 0)
    #expect(ulpError(1.0, reference: .nan) == .infinity)
    #expect(ulpError(Double.nan, reference: 1) == .infinity)
    #expect(ulpError(Double.infinity, reference: .infinity) == 0)
    #expect(ulpError(Double.greatestFiniteMagnitude, reference: .infinity) == .infinity)
    #expect(ulpError(0.0, reference: Float80(Double.leastNonzeroMagnitude)) == 1)
  }

  @Test func sameBitsDistinguishesSignsAndNaN() {
    #expect(sameBits([1.0, .nan, -0.0], [1.0, .nan, -0.0]))
    #expect(!sameBits([0.0], [-0.0]))
    #expect(!sameBits([1.0], [(1.0 as Double).nextUp]))
    #expect(!sameBits([1.0], [1.0, 2.0]))
    #expect(!sameBits([Double.nan], [1.0]))
  }

  @Test func fixtureDecodingKeepsSpecialValues() {
    let d = doubles(["1.5", "nan", "inf", "-inf", "-0.0", "5e-324"])
    #expect(d[0] == 1.5 && d[1].isNaN && d[2] == .infinity && d[3] == -.infinity)
    #expect(d[4] == 0 && d[4].sign == .minus && d[5] == .leastNonzeroMagnitude)
    #expect(ints([3, 4]) == [3, 4])
  }

  @Test func seededArraysAreReproducibleAndInRange() {
    let a = randomArray(Double.self, shape: [1000], in: -2...3, seed: 7)
    #expect(a == randomArray(Double.self, shape: [1000], in: -2...3, seed: 7))
    #expect(a != randomArray(Double.self, shape: [1000], in: -2...3, seed: 8))
    #expect(a.scalars.allSatisfy { (-2...3).contains($0) })
    #expect(Set(a.scalars).count > 990)
  }

  @Test func indexHelpersWalkRowMajorOrder() {
    let idx = allIndices([2, 3])
    #expect(idx.count == 6 && idx.first == [0, 0] && idx.last == [1, 2])
    #expect(idx.map { flatOffset($0, [2, 3]) } == Array(0..<6))
  }
}

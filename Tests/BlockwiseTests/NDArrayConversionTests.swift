import Testing

@testable import Blockwise

@Suite("NDArray element-type conversions")
struct NDArrayConversionTests {
  @Test func doubleToFloatMatchesNumpyBitForBit() throws {
    let c = arrayFixtures["astype"] as! [String: Any]
    let d = NDArray(doubles(c["double"]))
    let want = doubles(c["float"]).map { Float($0) }
    let got = NDArray<Float>(converting: d).scalars
    #expect(got.count == want.count)
    for (i, (g, w)) in zip(got, want).enumerated() {
      #expect((g.isNaN && w.isNaN) || (g.bitPattern == w.bitPattern), "element \(i): \(d.scalars[i]) -> \(g), numpy \(w)")
    }
    #expect(sameBits(d.converted(to: Float.self).scalars, got))
  }

  @Test func floatToDoubleIsExactAndRoundTrips() throws {
    let specials: [Float] = [.nan, .infinity, -.infinity, 0, -0.0, .leastNonzeroMagnitude, .leastNormalMagnitude,
                             .greatestFiniteMagnitude, -1.5, Float(bitPattern: 0x0001_16c2)]
    let f = NDArray(specials + randomArray(Float.self, shape: [50_000], in: -1e30...1e30, seed: 4).scalars)
    let d = NDArray<Double>(converting: f)
    #expect(sameBits(d.scalars, f.scalars.map { Double($0) }))
    #expect(sameBits(NDArray<Float>(converting: d).scalars, f.scalars))
    // The same element type shares the buffer.
    #expect(NDArray<Float>(converting: f).sharesStorage(with: f))
    #expect(d.converted(to: Double.self).sharesStorage(with: d))
  }

  @Test func largeConversionsAcrossBlocksAndThreads() throws {
    let d = randomArray(Double.self, shape: [3, 100_003], in: -1e40...1e40, seed: 5)
    let want = d.scalars.map { Float($0) }
    for t in threadCounts {
      #expect(sameBits(try ComputePool.withThreadCount(t) { d.converted(to: Float.self) }.scalars, want))
    }
    #expect(d.converted(to: Float.self).shape == [3, 100_003])
    #expect(d.copy() == d && !d.copy().sharesStorage(with: d))
  }
}

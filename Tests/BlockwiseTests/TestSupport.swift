import Foundation
import RealModule
import Testing

@_spi(KernelPaths) @testable import Blockwise

#if !arch(x86_64)
/// Float80 exists on x86 only. Elsewhere (aarch64) the suite's wide
/// references fall back to Double, so it builds and runs everywhere; the
/// checks that need references finer than a Double (the edge-value table)
/// are x86-only, and `make test-aarch64` checks the kernels on aarch64
/// against long double, which is quad precision there.
typealias Float80 = Double
#endif

/// SplitMix64: a small seeded generator, so every run sees the same data.
struct SeededGenerator: RandomNumberGenerator {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

extension NDArrayScalar {
  static func sample<G: RandomNumberGenerator>(in range: ClosedRange<Double>, using g: inout G) -> Self {
    Self(Double.random(in: range, using: &g))
  }
}

func randomArray<E: NDArrayScalar>(
  _: E.Type, shape: [Int], in range: ClosedRange<Double> = -1...1, seed: UInt64
) -> NDArray<E> {
  var g = SeededGenerator(seed: seed)
  let n = shape.reduce(1, *)
  return try! NDArray((0..<n).map { _ in E.sample(in: range, using: &g) }, shape: shape)
}

/// Distance in ulps between `y` and a higher-precision reference, measured
/// against the ulp of the reference rounded to `E`.
func ulpError<E: NDArrayScalar>(_ y: E, reference ref: Float80) -> Double {
  if ref.isNaN { return y.isNaN ? 0 : .infinity }
  let rounded = E(ref)
  if rounded.isInfinite || y.isInfinite { return y == rounded ? 0 : .infinity }
  if y.isNaN { return .infinity }
  var ulp = rounded == 0 ? E.leastNonzeroMagnitude : rounded.ulp
  // Just below a power of two the spacing is half as large.
  if rounded != 0 && rounded.magnitude.significandBitPattern == 0 && Float80(rounded.magnitude) > ref.magnitude {
    ulp = Swift.max(rounded.magnitude.nextDown.ulp, E.leastNonzeroMagnitude)
  }
  return Double((Float80(y) - ref).magnitude / Float80(ulp))
}

/// Thread counts every determinism test runs under.
let threadCounts = [1, 2, 3, 8]

// MARK: - Fixtures (made by Fixtures/make_fixtures.py from numpy/scipy)

enum Fixtures {
  static func url(_ name: String) -> URL {
    Bundle.module.url(forResource: "data", withExtension: nil)!.appendingPathComponent(name)
  }

  static func json(_ name: String) throws -> [String: Any] {
    let data = try Data(contentsOf: url(name))
    return try JSONSerialization.jsonObject(with: data) as! [String: Any]
  }
}

/// Doubles from the fixtures' string encoding ("nan", "inf" included).
func doubles(_ any: Any?) -> [Double] {
  (any as! [String]).map { Double($0)! }
}

func ints(_ any: Any?) -> [Int] {
  (any as! [Any]).map { ($0 as! NSNumber).intValue }
}

/// An array of fixture values (float32 fixtures hold exactly representable values).
func fixtureArray<E: NDArrayScalar>(_: E.Type, _ any: Any?, shape: [Int]) throws -> NDArray<E> {
  try NDArray(doubles(any).map { E($0) }, shape: shape)
}

/// Equal as bit patterns, NaN matching NaN (any payload).
func sameBits<E: NDArrayScalar>(_ a: [E], _ b: [E]) -> Bool {
  a.count == b.count && zip(a, b).allSatisfy { x, y in (x.isNaN && y.isNaN) || x == y && x.sign == y.sign }
}

/// The fixture file array.json, parsed once for every test that reads it.
nonisolated(unsafe) let arrayFixtures: [String: Any] = try! Fixtures.json("array.json")

/// A naive row-major strided read: element at multi-index `idx` of a
/// contiguous array of `shape`.
func flatOffset(_ idx: [Int], _ shape: [Int]) -> Int {
  var o = 0
  for (i, d) in zip(idx, shape) { o = o * d + i }
  return o
}

/// Every multi-index of `shape`, in row-major order.
func allIndices(_ shape: [Int]) -> [[Int]] {
  let n = shape.reduce(1, *)
  guard n > 0 else { return [] }
  var out: [[Int]] = []
  out.reserveCapacity(n)
  var idx = [Int](repeating: 0, count: shape.count)
  for _ in 0..<n {
    out.append(idx)
    var k = shape.count - 1
    while k >= 0 {
      idx[k] += 1
      if idx[k] < shape[k] { break }
      idx[k] = 0
      k -= 1
    }
  }
  return out
}

// MARK: - Kernel paths

/// Runs `body` once on every kernel path this CPU has (in this process,
/// on this thread), and prints the paths it could not run here.
func withEachKernelPath(_ body: (String) throws -> Void) throws {
  // The portable path runs everywhere: a check that ran on no path would
  // pass without checking anything.
  #expect(kernelPaths.contains { $0.name == "generic" && $0.supported }, "the portable kernel path is not available")
  for path in kernelPaths {
    if path.supported {
      try withKernelPath(path.name) { try body(path.name) }
    } else {
      print("kernel path \(path.name): not run on this CPU")
    }
  }
}

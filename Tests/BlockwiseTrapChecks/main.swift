// Index errors stop the program with a message that names the index and
// the bounds in release builds too (where `precondition` would print
// nothing and die of "Illegal instruction"). `make test` builds this
// executable with `-c release` and runs it: with no argument it runs
// itself once per case as a child process, reads the child's stderr and
// checks that the child failed with the expected message.
import Blockwise
import Foundation

let cases: [(name: String, expected: String, run: () -> Void)] = [
  ("subscript", "index on axis 0: expected 0..<5 (shape [5]), got 5", {
    let a = NDArray<Double>([1, 2, 3, 4, 5])
    print(a[5])
  }),
  ("subscript-negative", "index on axis 1: expected 0..<3 (shape [2, 3]), got -1", {
    let a = try! NDArray<Double>([1, 2, 3, 4, 5, 6], shape: [2, 3])
    print(a[1, -1])
  }),
  ("subscript-rank", "expected one index per axis (1 for shape [2]), got 2 indices", {
    let a = NDArray<Float>([1, 2])
    print(a[0, 0])
  }),
  ("subscript-set", "index on axis 0: expected 0..<2 (shape [2]), got 2", {
    var a = NDArray<Double>([1, 2])
    a[2] = 3
    print(a)
  }),
  ("row", "index 4 out of range 0..<4", {
    let a = try! NDArray<Double>.zeros([4, 2])
    print(a.row(4))
  }),
  ("rows", "range 1..<5 out of bounds 0..<4", {
    let a = try! NDArray<Double>.zeros([4, 2])
    print(a.rows(1..<5))
  }),
  ("rows-columns", "out of bounds for shape [4, 2]", {
    let a = try! NDArray<Double>.zeros([4, 2])
    print(a[rows: 0..<2, columns: 1..<3])
  }),
]

let arguments = CommandLine.arguments
if arguments.count == 2 {
  guard let c = cases.first(where: { $0.name == arguments[1] }) else {
    FileHandle.standardError.write("unknown case \(arguments[1])\n".data(using: .utf8)!)
    exit(2)
  }
  c.run()
  exit(0)  // reached only when the case did not trap
}

var passed = 0, failed = 0
/// One assertion: counted as passed, or printed and counted as failed (the
/// program then exits 1, which fails `make test`).
@MainActor func expect(_ condition: Bool, _ message: @autoclosure () -> String) {
  if condition { passed += 1 } else { failed += 1; print(message()) }
}

for c in cases {
  let child = Process()
  child.executableURL = URL(fileURLWithPath: "/proc/self/exe")
  child.arguments = [c.name]
  let err = Pipe()
  child.standardError = err
  child.standardOutput = FileHandle.nullDevice
  try child.run()
  let data = err.fileHandleForReading.readDataToEndOfFile()
  child.waitUntilExit()
  let stderr = String(decoding: data, as: UTF8.self)
  let trapped = child.terminationReason == .uncaughtSignal || child.terminationStatus != 0
  expect(trapped && stderr.contains(c.expected),
         "trap \(c.name): expected a stop with '\(c.expected)', got exit \(child.terminationStatus) and stderr:\n\(stderr)")
}
#if DEBUG
let configuration = "debug"
#else
let configuration = "release"
#endif
print("Trap messages (\(configuration) build): \(passed) passed, \(failed) failed")
exit(failed == 0 ? 0 : 1)

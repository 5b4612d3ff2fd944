// The MPI checks, run by `make test` under `mpirun -np 1`, `-np 2` and
// `-np 3` (MPI_Init runs once per process, so these cannot be `swift
// test` cases): every distributed reduction against the one-process
// result computed on each rank from all the data, bit for bit, on uneven
// shards, with a rank whose shard is empty, with different thread counts
// per rank; mapped .npy shards; mismatched calls and a failing rank that
// must not hang the others; MPI errors as BlockwiseError.
//
//   blockwise-mpi-checks                   all checks; exit 0 when all pass on every rank
//   blockwise-mpi-checks --fail-on-rank K  rank K throws inside Communicator.run:
//                                          every rank must exit 1 naming rank K

import Blockwise
@testable import BlockwiseMPI
import CMPI

#if canImport(Glibc)
  import Glibc
#endif

let comm: Communicator
do { comm = try Communicator.world() } catch {
  print("blockwise-mpi-checks: \(error)")
  exit(2)
}

let arguments = CommandLine.arguments
if let i = arguments.firstIndex(of: "--fail-on-rank"), i + 1 < arguments.count, let k = Int(arguments[i + 1]) {
  // Rank k fails before the collective reduction the others are in: every
  // rank must learn why and exit 1 (the Makefile runs this under timeout).
  comm.run { comm in
    let a = try NDArray<Double>.uniform([50_000], in: 0..<1, seed: 1)
    let mine = comm.shard(count: a.count, alignment: BlockPolicy.reductionLeaf)
    if comm.rank == k {
      throw BlockwiseError.file(path: "/data/shard-\(k).npy", problem: "cannot open it: No such file or directory")
    }
    _ = try comm.combine(a.rows(mine).sumPartials())
  }
}

var failures: [String] = []
var checks = 0

/// One assertion: a failed one is recorded with its message, and the job
/// then fails on every rank (exit status non-zero, the messages printed).
@MainActor func expect(_ condition: Bool, _ what: @autoclosure () -> String) {
  checks += 1
  if !condition { failures.append(what()) }
}

func bits(_ x: Double) -> String { "0x" + String(x.bitPattern, radix: 16) }

/// Runs `body` with this rank's pool at `threads` (1 + rank % 2 unless
/// given): ranks of one job use different thread counts on purpose.
@MainActor func withRankThreads<T>(_ threads: Int? = nil, _ body: () throws -> T) throws -> T {
  let t = threads ?? Swift.min(1 + comm.rank % 2, ComputePool.maximumThreadCount)
  return try ComputePool.withThreadCount(t, body)
}

do {
  // MARK: shard covers the range once, on aligned boundaries, evenly.
  for count in [0, 1, 255, 256, 257, 1000, 4096 * 3 + 17, 1_000_003] {
    for alignment in [1, 7, 256, 4096] {
      let all = (0..<comm.size).map { Communicator.shard(count: count, alignment: alignment, rank: $0, size: comm.size) }
      expect(all.first!.lowerBound == 0 && all.last!.upperBound == count, "shard(\(count), \(alignment)) covers 0..<\(count)")
      for r in 1..<Swift.max(comm.size, 1) {
        expect(all[r].lowerBound == all[r - 1].upperBound, "shards \(r - 1), \(r) of \(count) meet")
      }
      for (r, s) in all.enumerated() where s.lowerBound != count {
        expect(s.lowerBound % alignment == 0, "shard \(r) of \(count) starts on a multiple of \(alignment)")
      }
      let units = all.map { ($0.count + alignment - 1) / alignment }
      expect(units.max()! - units.min()! <= 1, "shards of \(count) by \(alignment) are even: \(units)")
      expect(comm.shard(count: count, alignment: alignment) == all[comm.rank], "shard(count:alignment:) is this rank's")
    }
  }
  expect(comm.shard(count: -5, alignment: 0) == 0..<0, "negative counts give empty shards")

  // MARK: array reductions, uneven shards, an empty shard on 3 ranks.
  let leaf = BlockPolicy.reductionLeaf
  for count in [0, 1, leaf + 5, 2 * leaf + 17, 5 * leaf, 37 * leaf + 1234] {
    let a = try NDArray<Double>.uniform([count], in: -30..<30, seed: UInt64(count) + 11)
    let mine = comm.shard(count: count, alignment: leaf)
    let part = a.rows(mine)
    let (sum, sumExp, lse) = try withRankThreads {
      (try comm.combine(part.sumPartials()), try comm.combine(part.sumExpPartials()), try comm.combine(part.logSumExpPartials()))
    }
    expect(sum.bitPattern == a.sum().bitPattern, "sum of \(count): \(bits(sum)) vs one process \(bits(a.sum()))")
    expect(sumExp.bitPattern == a.sumExp().bitPattern, "sumExp of \(count): \(bits(sumExp)) vs \(bits(a.sumExp()))")
    expect(lse.bitPattern == a.logSumExp().bitPattern, "logSumExp of \(count): \(bits(lse)) vs \(bits(a.logSumExp()))")
    let f = a.converted(to: Float.self)
    let fsum = try comm.combine(f.rows(mine).sumExpPartials())
    expect(Float(fsum).bitPattern == f.sumExp().bitPattern, "Float sumExp of \(count)")
  }

  // MARK: W1's stack reduction and the expression reductions.
  let axis = NDArray<Double>((0..<50).map(Double.init))
  let stack = try BilinearSplineStack(x: axis, y: axis, values: try .uniform([20, 50, 50], in: 0..<1, seed: 3))
  for m in [0, 255, 256 * 11 + 3, 100_003] {
    let xi = try NDArray<Double>.uniform([m], in: 0..<49, seed: 4)
    let yi = try NDArray<Double>.uniform([m], in: 0..<49, seed: 5)
    let mine = comm.shard(count: m, alignment: BlockPolicy.bilinearStackSumLeaf)
    let total = try withRankThreads { try comm.combine(try stack.sumExpPartials(x: xi.rows(mine), y: yi.rows(mine))) }
    let one = try stack.sumExp(x: xi, y: yi)
    expect(total.bitPattern == one.bitPattern, "stack sumExp of \(m) points: \(bits(total)) vs one process \(bits(one))")
    let e = try Blockwise.Expression<Double>("exp(-x*x/8) * cos(y) + 0.5")
    let emine = comm.shard(count: m, alignment: leaf)
    let inputs = ["x": xi.rows(emine), "y": yi.rows(emine)]
    let whole = ["x": xi, "y": yi]
    expect(try comm.combine(try e.sumPartials(inputs)).bitPattern == (try e.sum(whole)).bitPattern, "expression sum, \(m)")
    expect(try comm.combine(try e.sumExpPartials(inputs)).bitPattern == (try e.sumExp(whole)).bitPattern, "expression sumExp, \(m)")
    expect(try comm.combine(try e.logSumExpPartials(inputs)).bitPattern == (try e.logSumExp(whole)).bitPattern,
          "expression logSumExp, \(m)")
  }

  // MARK: one process with 1, 2, 3 or 8 threads: the same W1 total.
  let xi = try NDArray<Double>.uniform([300_000], in: 0..<49, seed: 6)
  let yi = try NDArray<Double>.uniform([300_000], in: 0..<49, seed: 7)
  let reference = try stack.sumExp(x: xi, y: yi)
  for t in [1, 2, 3, 8] where t <= ComputePool.maximumThreadCount {
    let mine = comm.shard(count: xi.count, alignment: BlockPolicy.bilinearStackSumLeaf)
    let v = try withRankThreads(t) { try comm.combine(try stack.sumExpPartials(x: xi.rows(mine), y: yi.rows(mine))) }
    expect(v.bitPattern == reference.bitPattern, "W1 total with \(t) threads per rank")
    expect(try ComputePool.withThreadCount(t) { try stack.sumExp(x: xi, y: yi) }.bitPattern == reference.bitPattern,
          "one process with \(t) threads")
  }

  // MARK: .npy shards, each rank mapping only its rows.
  let folder = "/tmp/blockwise-mpi-checks-\(getppid())"
  let path = folder + "/points.npy"
  if comm.rank == 0 {
    mkdir(folder, 0o755)
    try xi.write(npyFile: path)
  }
  try comm.barrier()
  let mine = comm.shard(count: xi.count, alignment: BlockPolicy.bilinearStackSumLeaf)
  let mapped = try NDArray<Double>(mappingNpyFile: path, rows: mine)
  expect(mapped == xi.rows(mine), "the mapped shard holds this rank's rows")
  let fromFiles = try comm.combine(try stack.sumExpPartials(x: mapped, y: yi.rows(mine)))
  expect(fromFiles.bitPattern == reference.bitPattern, "W1 from mapped shards")
  try comm.barrier()
  if comm.rank == 0 {
    unlink(path)
    rmdir(folder)
  }

  // MARK: mismatched partials fail on every rank, none hangs.
  let a = try NDArray<Double>.uniform([20_000], in: 0..<1, seed: 8)
  let part = a.rows(comm.shard(count: a.count, alignment: leaf))
  do {
    _ = try comm.combine(comm.size > 1 && comm.rank == 1 ? part.logSumExpPartials() : part.sumPartials())
    expect(comm.size == 1, "mismatched partial kinds must throw on every rank")
  } catch let e as BlockwiseError {
    expect("\(e)".contains("partials of rank"), "mismatch error names the rank: \(e)")
  }

  // MARK: a rank that fails inside `collectively` makes every rank throw.
  let failing = comm.size - 1
  do {
    _ = try comm.collectively { () -> Double in
      if comm.rank == failing { throw BlockwiseError.invalidArgument(name: "input", expected: "a file", got: "none") }
      return try comm.combine(part.sumPartials())
    }
    expect(false, "collectively must throw when rank \(failing) fails")
  } catch let e as BlockwiseError {
    guard case let .rankFailed(rank, message) = e else {
      expect(false, "expected rankFailed, got \(e)")
      throw e
    }
    expect(rank == failing && message.contains("invalid input"), "rankFailed names rank \(failing) and its error: \(e)")
  }
  // The communicator is still usable afterwards: every rank is in step.
  expect(try comm.combine(part.sumPartials()).bitPattern == a.sum().bitPattern, "combine after a collective failure")

  // MARK: MPI errors come back as BlockwiseError with MPI's message.
  do {
    var x: Double = 0, y: Double = 0
    try mpi("MPI_Allreduce") { MPI_Allreduce(&x, &y, -1, bw_mpi_double(), bw_mpi_sum(), bw_mpi_comm_world()) }
    expect(false, "a negative MPI count must throw")
  } catch let e as BlockwiseError {
    guard case let .communication(call, problem) = e else { throw e }
    expect(call == "MPI_Allreduce" && !problem.isEmpty, "MPI error text: \(e)")
  }
} catch {
  failures.append("unexpected error: \(error)")
}

// Every rank reports; the job passes only if every rank passed.
comm.run { comm in
  let mine = failures.isEmpty ? "" : failures.joined(separator: "; ")
  try comm.collectively {
    if !mine.isEmpty { throw BlockwiseError.invalidArgument(name: "checks", expected: "all passing", got: mine) }
  }
  if comm.rank == 0 {
    print("blockwise-mpi-checks: \(checks) checks passed on each of \(comm.size) rank(s) (\(kernelISA) kernels)")
  }
}

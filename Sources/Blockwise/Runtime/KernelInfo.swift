internal import CBLAS
internal import CBlockwiseKernels

/// The kernel path in use: "avx512", "avx2-fma", "neon" or "generic", the
/// best the CPU runs unless `BLOCKWISE_ISA=avx512|avx2|neon|generic` names
/// another (one the CPU cannot run falls back to the best it can, with one
/// line on stderr). Every path is the same kernel source compiled for that
/// vector target.
public var kernelISA: String { String(cString: bw_isa_name()) }

/// Whether the C kernels were compiled with optimisation.
///
/// SwiftPM builds a dependency's C targets at `-O0` in a debug build,
/// where the kernels run 10-50x slower. The first kernel call of such a
/// build says so once on stderr (`debugBuildNotice`) unless
/// `BLOCKWISE_QUIET_DEBUG=1`. Fix: `swift build -c release`, or keep a
/// debug build of your own code and add `-Xcc -O2`.
public var kernelsOptimized: Bool { bw_kernels_optimized() != 0 }

/// The line an unoptimised build prints at its first kernel call.
public var debugBuildNotice: String { String(cString: bw_debug_build_notice()) }

/// OpenBLAS's build configuration (for example "OpenBLAS 0.3.21 DYNAMIC_ARCH ...").
public var openBLASConfiguration: String {
  String(cString: openblas_get_config())
}

/// Threads OpenBLAS may start per call; 1 once `ComputePool.shared` exists.
public var openBLASThreadCount: Int {
  Int(openblas_get_num_threads())
}

// MARK: - Kernel paths for tests and benchmarks

/// Every kernel path of this build, by name, and whether this CPU runs it.
/// (`@_spi(KernelPaths) import Blockwise`: for tests and benchmarks that
/// compare paths in one process.)
@_spi(KernelPaths) public var kernelPaths: [(name: String, supported: Bool)] {
  (0..<Int32(BW_PATH_COUNT.rawValue)).map { p in (String(cString: bw_path_name(p)), bw_path_supported(p) != 0) }
}

/// Runs `body` with the calling thread (and the pool's work on its
/// behalf) on the kernel path `name`, then restores the thread's path.
/// Other threads keep theirs, so tests running in parallel are unaffected.
/// - Throws: `BlockwiseError.invalidArgument` for a path this build or CPU
///   cannot run.
@_spi(KernelPaths) public func withKernelPath<R>(_ name: String, _ body: () throws -> R) throws -> R {
  guard let p = (0..<Int32(BW_PATH_COUNT.rawValue)).first(where: { String(cString: bw_path_name($0)) == name }) else {
    throw BlockwiseError.invalidArgument(
      name: "kernel path", expected: kernelPaths.map(\.name).joined(separator: ", "), got: name)
  }
  let previous = bw_path_set_for_thread(p)
  guard previous >= 0 else {
    throw BlockwiseError.invalidArgument(name: "kernel path", expected: "one this CPU runs", got: name)
  }
  defer { bw_path_set_for_thread(previous) }
  return try body()
}

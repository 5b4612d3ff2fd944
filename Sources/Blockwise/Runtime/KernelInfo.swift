internal import CBLAS
internal import CBlockwiseKernels

/// The kernel path in use: "avx2-fma" or "generic" (`BLOCKWISE_ISA=generic`).
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

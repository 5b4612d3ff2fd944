import Blockwise
import CBlockwiseCHeader  // blockwise_status and the header's other types

// blockwise.h: status, version, kernel path, threads.

// nonisolated(unsafe): C strings written once, then only read.
nonisolated(unsafe) private let versionString = permanentString("0.1.0")
nonisolated(unsafe) private let isaString = permanentString(kernelISA)

/// The message of the last failing call on this thread ("" if none). C entry point
/// `blockwise_last_error` (declared and documented in include/blockwise.h); returns a
/// blockwise_status where it can fail, the message in `blockwise_last_error()`.
@_cdecl("blockwise_last_error")
public func blockwise_last_error() -> UnsafePointer<CChar>? { lastError() }

/// The library's version, "major.minor.patch". C entry point `blockwise_version`, declared in
/// include/blockwise.h.
@_cdecl("blockwise_version")
public func blockwise_version() -> UnsafePointer<CChar>? { versionString }

/// The kernel path in use: "avx2-fma" or "generic" (BLOCKWISE_ISA=generic forces the portable one).
/// C entry point `blockwise_kernel_isa`, declared in include/blockwise.h.
@_cdecl("blockwise_kernel_isa")
public func blockwise_kernel_isa() -> UnsafePointer<CChar>? { isaString }

/// Threads the pool uses per call (the calling thread included). C entry point
/// `blockwise_thread_count`, declared in include/blockwise.h.
@_cdecl("blockwise_thread_count")
public func blockwise_thread_count() -> Int64 { Int64(ComputePool.shared.threadCount) }

/// The largest count blockwise_set_thread_count accepts. C entry point
/// `blockwise_max_thread_count`, declared in include/blockwise.h.
@_cdecl("blockwise_max_thread_count")
public func blockwise_max_thread_count() -> Int64 { Int64(ComputePool.maximumThreadCount) }

/// Sets the pool's thread count: 1 ... blockwise_max_thread_count(). C entry point
/// `blockwise_set_thread_count` (declared and documented in include/blockwise.h); returns a
/// blockwise_status where it can fail, the message in `blockwise_last_error()`.
@_cdecl("blockwise_set_thread_count")
public func blockwise_set_thread_count(_ count: Int64) -> blockwise_status {
  guarded {
    guard count >= 1 && count <= Int64(ComputePool.maximumThreadCount) else {
      throw invalid("thread count", expected: "1 ... \(ComputePool.maximumThreadCount)", got: "\(count)")
    }
    try ComputePool.shared.setThreadCount(Int(count))
  }
}

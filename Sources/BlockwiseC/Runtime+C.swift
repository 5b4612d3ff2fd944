import Blockwise

// blockwise.h: status, version, kernel path, threads.

// nonisolated(unsafe): C strings written once, then only read.
nonisolated(unsafe) private let versionString = permanentString("0.1.0")
nonisolated(unsafe) private let isaString = permanentString(kernelISA)

@_cdecl("blockwise_last_error")
public func blockwise_last_error() -> UnsafePointer<CChar> { lastError() }

@_cdecl("blockwise_version")
public func blockwise_version() -> UnsafePointer<CChar> { versionString }

@_cdecl("blockwise_kernel_isa")
public func blockwise_kernel_isa() -> UnsafePointer<CChar> { isaString }

@_cdecl("blockwise_thread_count")
public func blockwise_thread_count() -> Int64 { Int64(ComputePool.shared.threadCount) }

@_cdecl("blockwise_max_thread_count")
public func blockwise_max_thread_count() -> Int64 { Int64(ComputePool.maximumThreadCount) }

@_cdecl("blockwise_set_thread_count")
public func blockwise_set_thread_count(_ count: Int64) -> Int32 {
  guarded {
    guard count >= 1 && count <= Int64(ComputePool.maximumThreadCount) else {
      throw invalid("thread count", expected: "1 ... \(ComputePool.maximumThreadCount)", got: "\(count)")
    }
    try ComputePool.shared.setThreadCount(Int(count))
  }
}

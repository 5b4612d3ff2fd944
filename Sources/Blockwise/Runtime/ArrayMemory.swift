internal import CBlockwiseKernels

/// The memory behind large arrays.
///
/// Arrays of 4 MiB and more sit on transparent huge pages, and their
/// buffers, once freed, are kept in a bounded cache and handed to the next
/// array of about the same size (at most a quarter larger): a fresh buffer
/// costs the kernel's zeroing of every page on first touch, which for
/// `a + v` of 800 MB took longer than the addition itself. The cache holds
/// at most `cacheLimitBytes` (an eighth of physical memory, at most 4 GiB;
/// `BLOCKWISE_ARRAY_CACHE_MB` sets it, 0 turns it off).
///
/// ```swift
/// ArrayMemory.releaseCache()   // give the cached buffers back to the system
/// ```
public enum ArrayMemory {
  /// Bytes of freed array buffers held for reuse now.
  public static var cachedBytes: Int { Int(bw_alloc_cache_bytes()) }
  /// The most the cache holds.
  public static var cacheLimitBytes: Int { Int(bw_alloc_cache_limit()) }
  /// Frees every cached buffer.
  ///
  /// - Complexity: O(cached buffers).
  public static func releaseCache() { bw_alloc_cache_release() }
}

// exp and log of one Double from the C library (Glibc on Linux), for the
// few scalar steps outside the kernels (combining log-sum-exp partials),
// without importing Foundation into the library.
#if canImport(Glibc)
  import Glibc
  @inline(__always) func libmExp(_ x: Double) -> Double { Glibc.exp(x) }
  @inline(__always) func libmLog(_ x: Double) -> Double { Glibc.log(x) }
#elseif canImport(Musl)
  import Musl
  @inline(__always) func libmExp(_ x: Double) -> Double { Musl.exp(x) }
  @inline(__always) func libmLog(_ x: Double) -> Double { Musl.log(x) }
#else
  import Foundation
  @inline(__always) func libmExp(_ x: Double) -> Double { Foundation.exp(x) }
  @inline(__always) func libmLog(_ x: Double) -> Double { Foundation.log(x) }
#endif

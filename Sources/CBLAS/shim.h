#ifndef BLOCKWISE_CBLAS_SHIM_H
#define BLOCKWISE_CBLAS_SHIM_H

// LAPACKE's complex types would otherwise arrive in Swift as opaque
// pointers (C99 `_Complex`). Typed structs with the same layout make them
// usable: `lapack_complex_double(real:imag:)`.
typedef struct { float real, imag; } lapack_complex_float;
typedef struct { double real, imag; } lapack_complex_double;
#define LAPACK_COMPLEX_CUSTOM
#define lapack_complex_float_real(z) ((z).real)
#define lapack_complex_float_imag(z) ((z).imag)
#define lapack_complex_double_real(z) ((z).real)
#define lapack_complex_double_imag(z) ((z).imag)

#include <cblas.h>
#include <lapacke.h>

// Declared by OpenBLAS's cblas.h; repeated so the shim does not depend on
// which cblas.h the include path finds first.
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
char *openblas_get_config(void);

#endif

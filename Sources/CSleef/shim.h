// SLEEF's scalar and vector libm (Debian: libsleef-dev). The C kernels
// include <sleef.h> themselves; this shim exists so that SwiftPM links
// libsleef into every product that uses the kernels.
#include <sleef.h>

// The one list of expression opcodes and reductions (numexpr's
// opcodes.hpp pattern): the C enum, the kernel tables, the name tables and
// (through tests that compare names and values entry by entry) Swift's
// ExpressionOp and the Python package's constants all come from here.
#ifndef BW_OPCODES_H
#define BW_OPCODES_H

// X(C name, name in Swift's ExpressionOp, kernel base name in expr_ops.c).
// Append only: the position is the opcode.
#define BW_OPCODES(X)                                                              \
  X(COPY, copy, copy) X(NEG, neg, neg) X(ADD, add, add) X(SUB, subtract, sub)      \
  X(MUL, multiply, mul) X(DIV, divide, div) X(POW, pow, pow) X(FMOD, fmod, fmod)    \
  X(LT, less, lt) X(LE, lessEqual, le) X(GT, greater, gt) X(GE, greaterEqual, ge)   \
  X(EQ, equal, eq) X(NE, notEqual, ne) X(AND, and, and) X(OR, or, or)               \
  X(NOT, not, not) X(WHERE, where, where) X(CLIP, clip, clip)                       \
  X(EXP, exp, exp) X(EXPM1, expm1, expm1) X(LOG, log, log) X(LOG2, log2, log2)      \
  X(LOG10, log10, log10) X(LOG1P, log1p, log1p) X(SQRT, sqrt, sqrt) X(ABS, abs, abs) \
  X(SIN, sin, sin) X(COS, cos, cos) X(TAN, tan, tan)                                \
  X(ASIN, arcsin, arcsin) X(ACOS, arccos, arccos) X(ATAN, arctan, arctan)           \
  X(SINH, sinh, sinh) X(COSH, cosh, cosh) X(TANH, tanh, tanh)                       \
  X(ASINH, arcsinh, arcsinh) X(ACOSH, arccosh, arccosh) X(ATANH, arctanh, arctanh)  \
  X(FLOOR, floor, floor) X(CEIL, ceil, ceil) X(ROUND, round, round)                 \
  X(TRUNC, trunc, trunc) X(SIGN, sign, sign)                                        \
  X(ISNAN, isnan, isnan) X(ISFINITE, isfinite, isfinite) X(ISINF, isinf, isinf)     \
  X(SIGNBIT, signbit, signbit)                                                      \
  X(ATAN2, arctan2, arctan2) X(HYPOT, hypot, hypot) X(COPYSIGN, copysign, copysign) \
  X(MINIMUM, minimum, minimum) X(MAXIMUM, maximum, maximum)                         \
  X(SQUARE, square, square) X(RECIPROCAL, reciprocal, reciprocal)

// X(C name, name in the Python package and numexpr's syntax, value).
// The values are also the C ABI's blockwise_reduction (blockwise.h, a
// standalone public header, spells them out; a static assertion in the C
// ABI's test holds the two together).
#define BW_REDUCTIONS(X)                                                           \
  X(SUM, sum, 0) X(MIN, min, 1) X(MAX, max, 2) X(SUMEXP, sum_exp, 3) X(LSE, logsumexp, 4)

#endif

// Calls of SLEEF's 256-bit and 512-bit functions in their register ABI
// (arguments in ymm0/zmm0 and ymm1/zmm1, result in ymm0/zmm0).
//
// Blockwise compiles its x86 targets with target attributes (no
// unsafeFlags), and clang fixes the ABI of vector arguments per
// translation unit: without -mavx it passes __m256 values in memory, which
// SLEEF's functions (built with -mavx2 / -mavx512f) do not read. These
// trampolines take arrays instead, and call the function once per vector.
#if defined(__x86_64__) && defined(__ELF__)
        .text

// One macro per shape, instantiated for ymm (AVX2, 32-byte vectors) and
// zmm (AVX-512, 64-byte vectors).

// \name(const void *fn, const void *a, void *y, long nvec):
// y[k] = fn(a[k]) for k < nvec, each a vector of \bytes bytes.
        .macro  BW_APPLY1 name, reg, bytes
        .p2align 4
        .globl  \name
        .hidden \name
        .type   \name, @function
\name:
        pushq   %rbx
        pushq   %r12
        pushq   %r13
        pushq   %r14
        pushq   %r15                    // 5 pushes: %rsp is 16-byte aligned
        movq    %rdi, %rbx
        movq    %rsi, %r12
        movq    %rdx, %r13
        movq    %rcx, %r14
        testq   %r14, %r14
        jle     2f
1:
        vmovupd (%r12), %\reg\()0
        call    *%rbx
        vmovupd %\reg\()0, (%r13)
        addq    $\bytes, %r12
        addq    $\bytes, %r13
        decq    %r14
        jnz     1b
2:
        vzeroupper
        popq    %r15
        popq    %r14
        popq    %r13
        popq    %r12
        popq    %rbx
        ret
        .size   \name, .-\name
        .endm

// \name(const void *fn, const void *a, long astep, const void *b,
//        long bstep, void *y, long nvec):
// y[k] = fn(a + k astep, b + k bstep); steps in bytes (one vector, or 0
// for a broadcast operand).
        .macro  BW_APPLY2 name, reg, bytes
        .p2align 4
        .globl  \name
        .hidden \name
        .type   \name, @function
\name:
        pushq   %rbx
        pushq   %rbp
        pushq   %r12
        pushq   %r13
        pushq   %r14
        pushq   %r15
        subq    $8, %rsp                // 6 pushes + 8: aligned; (%rsp) keeps bstep
        movq    %rdi, %rbx              // fn
        movq    %rsi, %r12              // a
        movq    %rdx, %rbp              // astep
        movq    %rcx, %r13              // b
        movq    %r8, (%rsp)             // bstep
        movq    %r9, %r14               // y
        movq    64(%rsp), %r15          // nvec (7th argument)
        testq   %r15, %r15
        jle     2f
1:
        vmovupd (%r12), %\reg\()0
        vmovupd (%r13), %\reg\()1
        call    *%rbx
        vmovupd %\reg\()0, (%r14)
        addq    %rbp, %r12
        addq    (%rsp), %r13
        addq    $\bytes, %r14
        decq    %r15
        jnz     1b
2:
        vzeroupper
        addq    $8, %rsp
        popq    %r15
        popq    %r14
        popq    %r13
        popq    %r12
        popq    %rbp
        popq    %rbx
        ret
        .size   \name, .-\name
        .endm

        BW_APPLY1 bw_ymm_apply1, ymm, 32
        BW_APPLY2 bw_ymm_apply2, ymm, 32
        // Reached only when the CPU runs AVX-512 (isa.c).
        BW_APPLY1 bw_zmm_apply1, zmm, 64
        BW_APPLY2 bw_zmm_apply2, zmm, 64

        .section .note.GNU-stack,"",@progbits
#endif

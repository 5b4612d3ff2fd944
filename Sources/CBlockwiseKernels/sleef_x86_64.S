// Calls of SLEEF's 256-bit functions in their register ABI (arguments in
// ymm0 and ymm1, result in ymm0).
//
// Blockwise compiles its AVX2 paths with per-function target attributes
// (no unsafeFlags), and clang fixes the ABI of vector arguments per
// translation unit: without -mavx it passes __m256 values in memory, which
// SLEEF's functions (built with -mavx2) do not read. These trampolines take
// arrays instead, and call the function once per 32-byte vector.
#if defined(__x86_64__) && defined(__ELF__)
        .text

// void bw_ymm_apply1(const void *fn, const void *a, void *y, long nvec)
// y[k] = fn(a[k]) for k < nvec, each a 32-byte vector.
        .p2align 4
        .globl  bw_ymm_apply1
        .hidden bw_ymm_apply1
        .type   bw_ymm_apply1, @function
bw_ymm_apply1:
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
        vmovupd (%r12), %ymm0
        call    *%rbx
        vmovupd %ymm0, (%r13)
        addq    $32, %r12
        addq    $32, %r13
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
        .size   bw_ymm_apply1, .-bw_ymm_apply1

// void bw_ymm_apply2(const void *fn, const void *a, long astep,
//                    const void *b, long bstep, void *y, long nvec)
// y[k] = fn(a + k astep, b + k bstep); steps in bytes (32, or 0 for a
// broadcast operand).
        .p2align 4
        .globl  bw_ymm_apply2
        .hidden bw_ymm_apply2
        .type   bw_ymm_apply2, @function
bw_ymm_apply2:
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
        vmovupd (%r12), %ymm0
        vmovupd (%r13), %ymm1
        call    *%rbx
        vmovupd %ymm0, (%r14)
        addq    %rbp, %r12
        addq    (%rsp), %r13
        addq    $32, %r14
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
        .size   bw_ymm_apply2, .-bw_ymm_apply2

        .section .note.GNU-stack,"",@progbits
#endif

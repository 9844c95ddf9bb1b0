# fuzz/fuzz.mk: libFuzzer harnesses for the userspace parsers (fuzz/*.c,
# docs/testing.md "Fuzzers"), built with clang into build/fuzz/.
#
#   make fuzz-build          the harnesses
#   make fuzz                each for FUZZ_SECONDS (default 300), with a
#                            summary: executions, exec/s, findings
#   make fuzz FUZZ=proto     only some (names: $(FUZZ_NAMES))
#   make fuzz-kernel         the VM fuzzers under the debug kernel:
#                            kernel/pktfuzz (FUZZ_PACKETS, 1,000,000) and
#                            kernel/ctlfuzz (FUZZ_KERNEL_SECONDS, 600);
#                            make fuzz runs them after the harnesses
#
# Included by the top-level Makefile after keyd/keyd.mk. keyd's sources
# and libwire's (kmod/wire.c, kmod/tesla.c, tools/libwire/) are compiled again with clang and coverage
# instrumentation; the gcc build is untouched.

FUZZ_CC ?= clang
FUZZ_B := $(B)/fuzz
FUZZ_NAMES := proto wire config registry control
FUZZ_SECONDS ?= 300
FUZZ ?= $(FUZZ_NAMES)
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
FUZZ_CPPFLAGS := $(CPPFLAGS) $(LIBWIRE_CPPFLAGS) $(NL_CFLAGS) -Ikeyd
FUZZ_CFLAGS := -std=c11 $(WARN) -g -O1 $(FUZZ_SAN)
FUZZ_LIB_SRC := $(KEYD_COMMON) $(LIBWIRE_SRCS)
FUZZ_LIB_OBJS := $(patsubst %.c,$(FUZZ_B)/obj/%.o,$(FUZZ_LIB_SRC))
FUZZ_BINS := $(patsubst %,$(FUZZ_B)/fuzz_%,$(FUZZ_NAMES))

.PHONY: fuzz fuzz-build
fuzz-build: $(FUZZ_BINS)

# The library: coverage for the fuzzer, no libFuzzer main.
$(FUZZ_B)/obj/%.o: %.c $(KEYD_HDRS) $(LIBWIRE_HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link \
		-c -o $@ $<

$(FUZZ_B)/libkeyd-fuzz.a: $(FUZZ_LIB_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

$(FUZZ_B)/fuzz_%: fuzz/%.c fuzz/fuzz.h $(FUZZ_B)/libkeyd-fuzz.a
	$(FUZZ_CC) $(FUZZ_CPPFLAGS) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< \
		$(FUZZ_B)/libkeyd-fuzz.a $(NL_LIBS) $(CRYPTO_LIBS)

fuzz: fuzz-build
	@FUZZ_SECONDS=$(FUZZ_SECONDS) fuzz/run.sh $(FUZZ)
	@$(MAKE) --no-print-directory fuzz-kernel

FUZZ_PACKETS ?= 1000000
FUZZ_KERNEL_SECONDS ?= 600
.PHONY: fuzz-kernel
fuzz-kernel: deps
	@$(MAKE) --no-print-directory all debug-kernel kmod-debug
	@ANTIGONE_VM_KERNELS=debug ANTIGONE_DEBUG_TESTS="pktfuzz ctlfuzz" \
	ANTIGONE_FUZZ_PACKETS=$(FUZZ_PACKETS) \
	ANTIGONE_FUZZ_SECONDS=$(FUZZ_KERNEL_SECONDS) \
	ANTIGONE_VM_DEBUG_TIMEOUT=$${ANTIGONE_VM_DEBUG_TIMEOUT:-10800} \
		selftests/run --vm

.PHONY: fuzz-clean
clean: fuzz-clean
fuzz-clean:
	rm -rf $(FUZZ_B)

# tools/bench/keyd.mk: make bench-keyd, the control plane's benchmarks
# (docs/benchmarks.md). Included by the top-level Makefile after it
# defines B, CC, CPPFLAGS, CFLAGS, KEYD_COMMON, KEYD_HDRS, NL_* and
# CRYPTO_LIBS.
#
# Timing a sanitized build would measure ASan, so keyd's sources, the
# daemon and the CLI are compiled again here with the same flags as a
# release build, without $(SAN), into build/bench/.

BENCH_B := $(B)/bench
BENCH_KEYD_OBJS := $(patsubst keyd/%.c,$(BENCH_B)/keyd/%.o,$(KEYD_COMMON))
BENCH_KEYD_LIB := $(BENCH_B)/libkeyd.a
BENCH_KEYD_TOOLS := $(BENCH_B)/keyd_gen $(BENCH_B)/keyd_load
BENCH_KEYD_BINS := $(BENCH_KEYD_TOOLS) $(BENCH_B)/antigoned \
	$(BENCH_B)/antigone

.PHONY: bench-keyd bench-keyd-build

$(BENCH_B)/keyd/%.o: keyd/%.c $(KEYD_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -Ikeyd $(NL_CFLAGS) $(CFLAGS) -c -o $@ $<

$(BENCH_KEYD_LIB): $(BENCH_KEYD_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

BENCH_KEYD_CLI_OBJS := $(patsubst keyd/%.c,$(BENCH_B)/keyd/%.o,$(KEYD_CLI))
$(BENCH_B)/antigoned $(BENCH_B)/antigone: $(BENCH_B)/%: keyd/%.c \
		$(BENCH_KEYD_LIB) $(BENCH_KEYD_CLI_OBJS) $(KEYD_HDRS)
	$(CC) $(CPPFLAGS) -Ikeyd $(NL_CFLAGS) $(CFLAGS) -o $@ $< \
		$(if $(filter %/antigone,$@),$(BENCH_KEYD_CLI_OBJS)) \
		$(BENCH_KEYD_LIB) $(NL_LIBS) $(CRYPTO_LIBS)

# The tools need only the protocol's modules (no libnl, no daemon), so
# they build even while another module is being changed.
BENCH_KEYD_CORE := $(patsubst keyd/%.c,$(BENCH_B)/keyd/%.o,keyd/lib/util.c keyd/lib/crypto.c \
	$(wildcard keyd/wire/*.c keyd/mech/*.c))
# mech/clock.c computes with kmod/tesla.c (in libwire's objects).
BENCH_KEYD_CORE += $(patsubst $(B)/libwire/%,$(BENCH_B)/libwire/%,$(LIBWIRE_OBJS))
$(BENCH_KEYD_TOOLS): $(BENCH_B)/%: tools/bench/%.c $(BENCH_KEYD_CORE) \
		$(KEYD_HDRS)
	$(CC) $(CPPFLAGS) -Ikeyd $(CFLAGS) -o $@ $< $(BENCH_KEYD_CORE) \
		$(CRYPTO_LIBS)

bench-keyd-build: $(BENCH_KEYD_BINS)

bench-keyd: deps
	@$(MAKE) --no-print-directory bench-keyd-build
	@tools/bench/run-keyd

# tools/libwire/libwire.mk: the userspace wire library (kmod/wire.c, the
# module's own header codec, kmod/tesla.c, its 7d code, plus the crypto in
# libwire.c and blake2s.c), the wirepkt
# tool and the host tests selftests/host/wire_*.
#
# Included by the top-level Makefile after it defines B, CC, CPPFLAGS,
# CFLAGS, SAN, KSFT, KSFT_CFLAGS and CRYPTO_LIBS. To try it alone:
#   make -f Makefile -f tools/libwire/libwire.mk build/wirepkt \
#        build/selftests/host/wire_codec

LIBWIRE_CPPFLAGS := -Ikmod -Iuapi -Itools/libwire
LIBWIRE_HDRS := kmod/wire.h kmod/tesla.h tools/libwire/libwire.h \
	tools/libwire/kcompat.h tools/libwire/blake2s.h uapi/linux/antigone.h
# Also compiled by the fuzzers (fuzz/fuzz.mk) and the release build of
# bench-keyd (keyd/keyd.mk); object names are the sources' base names.
LIBWIRE_SRCS := kmod/wire.c kmod/tesla.c tools/libwire/blake2s.c \
	tools/libwire/libwire.c tools/libwire/wire7d.c
LIBWIRE_OBJS := $(patsubst %.c,$(B)/libwire/%.o,$(notdir $(LIBWIRE_SRCS)))
LIBWIRE_BINS := $(B)/wirepkt

# Own object directory: Kbuild owns kmod/wire.o and kmod/tesla.o.
$(B)/libwire/%.o: kmod/%.c $(LIBWIRE_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(LIBWIRE_CPPFLAGS) $(CFLAGS) $(SAN) -c -o $@ $<

$(B)/libwire/%.o: tools/libwire/%.c $(LIBWIRE_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(LIBWIRE_CPPFLAGS) $(CFLAGS) $(SAN) -c -o $@ $<

$(B)/libwire.a: $(LIBWIRE_OBJS)
	@rm -f $@
	$(AR) rcs $@ $^

WIREPKT_SRC := $(wildcard tools/wirepkt/*.c)
$(B)/wirepkt: $(WIREPKT_SRC) tools/wirepkt/wirepkt.h $(B)/libwire.a \
		$(LIBWIRE_HDRS)
	$(CC) $(CPPFLAGS) $(LIBWIRE_CPPFLAGS) -Itools $(CFLAGS) $(SAN) -o $@ \
		$(WIREPKT_SRC) $(B)/libwire.a $(CRYPTO_LIBS)

# The wire format's host tests (selftests/host/wire_*.c) share a fixture;
# this pattern is more specific than the generic host-test rule, so it
# wins. They need wirepkt too: wire_tool runs it.
# Hex vectors into bytes, for both fixtures (also keyd/keyd.mk's).
HEX_OBJ := $(B)/selftests/host/lib/hex.o
$(HEX_OBJ): selftests/host/lib/hex.c selftests/host/lib/hex.h
	@mkdir -p $(dir $@)
	$(CC) $(KSFT_CFLAGS) $(SAN) -c -o $@ $<
WIRE_FIXTURE := $(B)/selftests/host/lib/wire_fixture.o
WIRE_FIXTURE_HDR := selftests/host/lib/wire_fixture.h
$(WIRE_FIXTURE): selftests/host/lib/wire_fixture.c $(WIRE_FIXTURE_HDR) \
		$(LIBWIRE_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(KSFT_CFLAGS) $(LIBWIRE_CPPFLAGS) $(SAN) -c -o $@ $<
$(B)/selftests/host/wire_%: selftests/host/wire_%.c $(WIRE_FIXTURE) $(HEX_OBJ) \
		$(B)/libwire.a $(B)/wirepkt $(KSFT)/kselftest_harness.h \
		$(WIRE_FIXTURE_HDR) $(LIBWIRE_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(KSFT_CFLAGS) $(LIBWIRE_CPPFLAGS) $(SAN) -o $@ $< \
		$(WIRE_FIXTURE) $(HEX_OBJ) $(B)/libwire.a $(CRYPTO_LIBS)

# VM tests that craft sealed datagrams in frames of their own making
# (lying lengths, forged 7b, the packet fuzzer).
FRAME_OBJ := $(B)/selftests/kernel/lib/frame.o
$(FRAME_OBJ): selftests/kernel/lib/frame.c selftests/kernel/lib/frame.h
	@mkdir -p $(dir $@)
	$(CC) $(KSFT_CFLAGS) $(SAN) -c -o $@ $<

# datapath_variants' fixture-free parts: links by rtnetlink, captured
# frames parsed, small helpers (kernel/lib/rtnl.c, dpcapture.c, dputil.c).
DPV_OBJS := $(B)/selftests/kernel/lib/rtnl.o \
	$(B)/selftests/kernel/lib/dpcapture.o $(B)/selftests/kernel/lib/dputil.o
DPV_HDRS := selftests/kernel/lib/rtnl.h selftests/kernel/lib/dpcapture.h \
	selftests/kernel/lib/dputil.h selftests/kernel/lib/ksft_select.h
$(B)/selftests/kernel/lib/rtnl.o: selftests/kernel/lib/rtnl.c \
		selftests/kernel/lib/rtnl.h
	@mkdir -p $(dir $@)
	$(CC) $(KSFT_CFLAGS) $(SAN) -c -o $@ $<
$(B)/selftests/kernel/lib/dpcapture.o: selftests/kernel/lib/dpcapture.c \
		selftests/kernel/lib/dpcapture.h
	@mkdir -p $(dir $@)
	$(CC) $(KSFT_CFLAGS) $(SAN) -c -o $@ $<
$(B)/selftests/kernel/lib/dputil.o: selftests/kernel/lib/dputil.c \
		selftests/kernel/lib/dputil.h selftests/kernel/lib/vmtest.h \
		$(LIBWIRE_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(KSFT_CFLAGS) $(LIBWIRE_CPPFLAGS) $(SAN) -c -o $@ $<

# The hostile-input suites also share their setup (kernel/lib/hostile.c).
HOSTILE_OBJ := $(B)/selftests/kernel/lib/hostile.o
$(HOSTILE_OBJ): selftests/kernel/lib/hostile.c selftests/kernel/lib/hostile.h \
		selftests/kernel/lib/frame.h $(KEYD_HDRS) $(LIBWIRE_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(KSFT_CFLAGS) $(LIBWIRE_CPPFLAGS) $(NL_CFLAGS) $(SAN) -c -o $@ $<

WIRE_VM_TESTS := $(B)/selftests/kernel/hostile_wire \
	$(B)/selftests/kernel/hostile_local $(B)/selftests/kernel/datapath_variants \
	$(B)/selftests/kernel/kernel_relay
$(WIRE_VM_TESTS): $(B)/selftests/kernel/%: selftests/kernel/%.c $(KEYD_LIB) \
		$(B)/libwire.a $(FRAME_OBJ) $(HOSTILE_OBJ) $(VMTEST_OBJ) \
		$(DPV_OBJS) $(KSFT)/kselftest_harness.h $(KEYD_HDRS) \
		$(LIBWIRE_HDRS) selftests/kernel/lib/frame.h \
		selftests/kernel/lib/vmtest.h selftests/kernel/lib/hostile.h \
		$(DPV_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(KSFT_CFLAGS) $(LIBWIRE_CPPFLAGS) $(NL_CFLAGS) $(SAN) -o $@ $< \
		$(FRAME_OBJ) $(HOSTILE_OBJ) $(VMTEST_OBJ) $(DPV_OBJS) $(KEYD_LIB) \
		$(B)/libwire.a $(NL_LIBS) $(CRYPTO_LIBS)

# The packet fuzzer, over its parts (kernel/fuzz_pkt/, one concern a file;
# kernel/pktfuzz.c is its main). Not in a directory pktfuzz/: the objects
# would then go to build/selftests/kernel/pktfuzz/, the program's own path,
# and not directly in kernel/: each *.c there is a program of its own.
PKTFUZZ_HDRS := selftests/kernel/fuzz_pkt/pktfuzz.h \
	selftests/kernel/lib/frame.h selftests/kernel/lib/vmtest.h \
	$(KEYD_HDRS) $(LIBWIRE_HDRS)
PKTFUZZ_OBJS := $(patsubst %.c,$(B)/%.o,$(wildcard selftests/kernel/fuzz_pkt/*.c))
$(B)/selftests/kernel/fuzz_pkt/%.o: selftests/kernel/fuzz_pkt/%.c $(PKTFUZZ_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(KSFT_CFLAGS) $(LIBWIRE_CPPFLAGS) $(NL_CFLAGS) $(SAN) -c -o $@ $<
$(B)/selftests/kernel/pktfuzz: selftests/kernel/pktfuzz.c $(PKTFUZZ_OBJS) \
		$(KEYD_LIB) $(B)/libwire.a $(FRAME_OBJ) $(HOSTILE_OBJ) \
		$(VMTEST_OBJ) $(KSFT)/kselftest_harness.h $(PKTFUZZ_HDRS) \
		selftests/kernel/lib/hostile.h
	@mkdir -p $(dir $@)
	$(CC) $(KSFT_CFLAGS) $(LIBWIRE_CPPFLAGS) $(NL_CFLAGS) $(SAN) -o $@ $< \
		$(PKTFUZZ_OBJS) $(FRAME_OBJ) $(HOSTILE_OBJ) $(VMTEST_OBJ) \
		$(KEYD_LIB) $(B)/libwire.a $(NL_LIBS) $(CRYPTO_LIBS)

# 7d's kernel state through netlink (kernel/tesla.c) makes chains with the
# module's own chain step (kmod/tesla.c, in libkeyd through libwire).
$(B)/selftests/kernel/tesla: KSFT_CFLAGS += $(LIBWIRE_CPPFLAGS)
$(B)/selftests/kernel/tesla: $(LIBWIRE_HDRS)

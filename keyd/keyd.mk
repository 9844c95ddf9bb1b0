# keyd/keyd.mk: the host tests of the control protocol's codec and crypto
# (keyd/wire/, selftests/host/proto_*) and of the leader's relay.
#
# Included by the top-level Makefile after it defines B, CC, CPPFLAGS,
# CFLAGS, SAN, KSFT, KSFT_CFLAGS and CRYPTO_LIBS (and after
# tools/libwire/libwire.mk). To try it alone:
#   make build/selftests/host/proto_roundtrip

KEYD_PROTO_HDRS := $(wildcard keyd/wire/*.h) keyd/lib/util.h \
	uapi/linux/antigone.h

# The protocol's host tests (selftests/host/proto_*.c) share a fixture:
# keys, names, a sample of every message and its decoder. This pattern is
# more specific than the generic host-test rule, so it wins.
PROTO_FIXTURE := $(B)/selftests/host/lib/proto_fixture.o
PROTO_FIXTURE_HDR := selftests/host/lib/proto_fixture.h
$(PROTO_FIXTURE): selftests/host/lib/proto_fixture.c $(PROTO_FIXTURE_HDR) \
		$(KEYD_PROTO_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(KSFT_CFLAGS) $(SAN) -c -o $@ $<
$(B)/selftests/host/proto_%: selftests/host/proto_%.c $(PROTO_FIXTURE) $(HEX_OBJ) \
		$(KEYD_LIB) $(KSFT)/kselftest_harness.h $(PROTO_FIXTURE_HDR) \
		$(KEYD_PROTO_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(KSFT_CFLAGS) $(SAN) -o $@ $< $(PROTO_FIXTURE) $(HEX_OBJ) $(KEYD_LIB) \
		$(CRYPTO_LIBS)

# The leader's relay (keyd/role/relay.c) against a real session on loopback;
# it seals the members' datagrams with libwire, as their kernels would.
$(B)/selftests/host/relay: selftests/host/relay.c $(KEYD_LIB) \
		$(B)/libwire.a $(KSFT)/kselftest_harness.h $(KEYD_HDRS) \
		$(LIBWIRE_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(KSFT_CFLAGS) $(NL_CFLAGS) $(LIBWIRE_CPPFLAGS) $(SAN) -o $@ $< \
		$(KEYD_LIB) $(B)/libwire.a $(NL_LIBS) $(CRYPTO_LIBS)

# The leader checks each relayed datagram as the datapath would
# (keyd/role/relay.c): the module's header codec and replay window
# (kmod/wire.c) and libwire's crypto go into keyd's library.
$(KEYD_LIB): $(LIBWIRE_OBJS)
$(B)/keyd/role/relay.o: CPPFLAGS += $(LIBWIRE_CPPFLAGS)
$(B)/keyd/role/relay.o: $(LIBWIRE_HDRS)
# 7d's clock bound and chain step are kmod/tesla.c's (keyd/mech/clock.c,
# chain.c), and so are their host tests'.
KEYD_TESLA := clock chain sender
$(patsubst %,$(B)/keyd/mech/%.o,$(KEYD_TESLA)): CPPFLAGS += $(LIBWIRE_CPPFLAGS)
$(patsubst %,$(B)/keyd/mech/%.o,$(KEYD_TESLA)): $(LIBWIRE_HDRS)
$(patsubst %,$(B)/selftests/host/%,$(KEYD_TESLA)): KSFT_CFLAGS += $(LIBWIRE_CPPFLAGS)
$(patsubst %,$(B)/selftests/host/%,$(KEYD_TESLA)): $(LIBWIRE_HDRS)

# The same for the release build of bench-keyd (tools/bench/keyd.mk),
# which compiles keyd's sources again without sanitizers.
$(B)/bench/keyd/role/relay.o: CPPFLAGS += $(LIBWIRE_CPPFLAGS)
$(B)/bench/keyd/role/relay.o: $(LIBWIRE_HDRS)
$(patsubst %,$(B)/bench/keyd/mech/%.o,$(KEYD_TESLA)): CPPFLAGS += $(LIBWIRE_CPPFLAGS)
$(patsubst %,$(B)/bench/keyd/mech/%.o,$(KEYD_TESLA)): $(LIBWIRE_HDRS)
$(B)/bench/libkeyd.a: $(patsubst $(B)/libwire/%,$(B)/bench/libwire/%,$(LIBWIRE_OBJS))
$(B)/bench/libwire/%.o: kmod/%.c $(LIBWIRE_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(LIBWIRE_CPPFLAGS) $(CFLAGS) -c -o $@ $<
$(B)/bench/libwire/%.o: tools/libwire/%.c $(LIBWIRE_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(LIBWIRE_CPPFLAGS) $(CFLAGS) -c -o $@ $<

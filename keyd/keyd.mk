# keyd/keyd.mk: the control protocol's codec and crypto (keyd/wire/)
# and their host test selftests/host/proto.
#
# Included by the top-level Makefile after it defines B, CC, CPPFLAGS,
# CFLAGS, SAN, KSFT, KSFT_CFLAGS and CRYPTO_LIBS (and after
# tools/libwire/libwire.mk). To try it alone:
#   make -f Makefile -f keyd/keyd.mk build/selftests/host/proto

KEYD_PROTO_HDRS := $(wildcard keyd/wire/*.h) keyd/lib/util.h \
	uapi/linux/antigone.h

# Explicit, so it wins over the generic host-test pattern rule. Links
# keyd's library (top Makefile), which holds wire/.
$(B)/selftests/host/proto: selftests/host/proto.c $(KEYD_LIB) \
		$(KSFT)/kselftest_harness.h $(KEYD_PROTO_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(KSFT_CFLAGS) $(SAN) -o $@ $< $(KEYD_LIB) $(CRYPTO_LIBS)

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

# The same for the release build of bench-keyd (tools/bench/keyd.mk),
# which compiles keyd's sources again without sanitizers.
$(B)/bench/keyd/role/relay.o: CPPFLAGS += $(LIBWIRE_CPPFLAGS)
$(B)/bench/keyd/role/relay.o: $(LIBWIRE_HDRS)
$(B)/bench/libkeyd.a: $(B)/bench/libwire/wire.o $(B)/bench/libwire/libwire.o
$(B)/bench/libwire/wire.o: kmod/wire.c $(LIBWIRE_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(LIBWIRE_CPPFLAGS) $(CFLAGS) -c -o $@ $<
$(B)/bench/libwire/libwire.o: tools/libwire/libwire.c $(LIBWIRE_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(LIBWIRE_CPPFLAGS) $(CFLAGS) -c -o $@ $<

# keyd/keyd.mk: the control protocol's codec and crypto (keyd/proto.c,
# keyd/crypto.c) and their host test selftests/host/proto.
#
# Included by the top-level Makefile after it defines B, CC, CPPFLAGS,
# CFLAGS, SAN, KSFT, KSFT_CFLAGS and CRYPTO_LIBS (and after
# tools/libwire/libwire.mk). To try it alone:
#   make -f Makefile -f keyd/keyd.mk build/selftests/host/proto

KEYD_PROTO := keyd/crypto.c keyd/proto.c
KEYD_PROTO_HDRS := keyd/crypto.h keyd/proto.h keyd/util.h \
	uapi/linux/antigone.h
# Own object directory, with the project's strict flags (not the test's).
KEYD_PROTO_OBJS := $(B)/keyd/crypto.o $(B)/keyd/proto.o $(B)/keyd/util.o

$(KEYD_PROTO_OBJS): $(B)/keyd/%.o: keyd/%.c $(KEYD_PROTO_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(SAN) -c -o $@ $<

# Explicit, so it wins over the generic host-test pattern rule, which
# would build the test without these sources.
$(B)/selftests/host/proto: selftests/host/proto.c $(KEYD_PROTO_OBJS) \
		$(KSFT)/kselftest_harness.h $(KEYD_PROTO_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(KSFT_CFLAGS) $(SAN) -o $@ $< $(KEYD_PROTO_OBJS) $(CRYPTO_LIBS)

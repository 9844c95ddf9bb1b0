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

# Explicit, so it wins over the generic host-test pattern rule. Links
# keyd's library (top Makefile), which holds crypto.o and proto.o.
$(B)/selftests/host/proto: selftests/host/proto.c $(KEYD_LIB) \
		$(KSFT)/kselftest_harness.h $(KEYD_PROTO_HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(KSFT_CFLAGS) $(SAN) -o $@ $< $(KEYD_LIB) $(CRYPTO_LIBS)

// SPDX-License-Identifier: GPL-2.0
/*
 * The control protocol v1 (docs/control-protocol.md), part of its host
 * tests (the fixture: lib/proto_fixture.h): keyd/lib/crypto.c against published vectors (FIPS-197, RFC 5869,
 * RFC 4231, RFC 8439, RFC 8032), Leighton-Micali and the derived keys, and
 * datagrams built independently by selftests/host/proto_vectors.py.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/antigone.h>

#include "kselftest_harness.h"
#include "lib/proto_fixture.h"

/* ---- published vectors, through the functions the protocol uses -------- */

TEST(kat_aes256_fips197)
{
	uint8_t key[32], pt[16], want[16], out[16];

	/* FIPS-197 appendix C.3: AES-256. */
	fill_seq(key, 32, 0);
	ASSERT_EQ(16, unhex("00112233445566778899aabbccddeeff", pt, 16));
	ASSERT_EQ(16, unhex("8ea2b7ca516745bfeafc49904b496089", want, 16));
	ASSERT_EQ(0, crypto_block_encrypt(key, pt, out));
	EXPECT_EQ(0, memcmp(out, want, 16));
}

TEST(kat_hkdf_rfc5869)
{
	uint8_t ikm[22], salt[13], info[10], okm[42], want[42];

	/* Test case 1. */
	memset(ikm, 0x0b, sizeof(ikm));
	fill_seq(salt, sizeof(salt), 0);
	fill_seq(info, sizeof(info), 0xf0);
	ASSERT_EQ(42, unhex("3cb25f25faacd57a90434f64d0362f2a"
			    "2d2d0a90cf1a5a4c5db02d56ecc4c5bf"
			    "34007208d5b887185865", want, 42));
	ASSERT_EQ(0, crypto_hkdf_sha256(ikm, 22, salt, 13, info, 10, okm, 42));
	EXPECT_EQ(0, memcmp(okm, want, 42));

	/* Test case 3: empty salt and info, as K_ttp and MAC_SK use. */
	ASSERT_EQ(42, unhex("8da4e775a563c18f715f802a063c5a31"
			    "b8a11f5c5ee1879ec3454e5f3c738d2d"
			    "9d201395faa4b61a96c8", want, 42));
	ASSERT_EQ(0, crypto_hkdf_sha256(ikm, 22, NULL, 0, NULL, 0, okm, 42));
	EXPECT_EQ(0, memcmp(okm, want, 42));

	EXPECT_EQ(-EINVAL, crypto_hkdf_sha256(ikm, 0, NULL, 0, NULL, 0, okm,
					      42));
	EXPECT_EQ(-EINVAL, crypto_hkdf_sha256(ikm, 22, NULL, 0, NULL, 0, okm,
					      255 * 32 + 1));
}

TEST(kat_hmac_sha256_rfc4231)
{
	static const char data[] = "what do ya want for nothing?";
	uint8_t out[32], want[32];

	/* Test case 2. */
	ASSERT_EQ(32, unhex("5bdcc146bf60754e6a042426089575c7"
			    "5a003f089d2739839dec58b964ec3843", want, 32));
	ASSERT_EQ(0, crypto_hmac_sha256((const uint8_t *)"Jefe", 4,
					(const uint8_t *)data, strlen(data),
					out));
	EXPECT_EQ(0, memcmp(out, want, 32));
}

TEST(kat_chacha20_poly1305_rfc8439)
{
	static const char text[] =
		"Ladies and Gentlemen of the class of '99: If I could offer "
		"you only one tip for the future, sunscreen would be it.";
	const size_t len = strlen(text);
	uint8_t key[32], nonce[12], aad[12], want[160], ct[160], out[160];

	/* Section 2.8.2. */
	fill_seq(key, 32, 0x80);
	ASSERT_EQ(12, unhex("070000004041424344454647", nonce, 12));
	ASSERT_EQ(12, unhex("50515253c0c1c2c3c4c5c6c7", aad, 12));
	ASSERT_EQ((int)len + 16, unhex(
		"d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
		"3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
		"92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
		"3ff4def08e4b7a9de576d26586cec64b6116"
		"1ae10b594f09e26a7e902ecbd0600691", want, sizeof(want)));
	ASSERT_EQ(0, crypto_aead_seal_nonce(key, nonce, aad, 12,
					    (const uint8_t *)text, len, ct));
	EXPECT_EQ(0, memcmp(ct, want, len + 16));
	ASSERT_EQ(0, crypto_aead_open(key, nonce, aad, 12, want, len + 16,
				      out));
	EXPECT_EQ(0, memcmp(out, text, len));

	/* A wrong tag, or wrong associated data: refused, nothing out. */
	want[len + 15] ^= 1;
	EXPECT_EQ(-EBADMSG, crypto_aead_open(key, nonce, aad, 12, want,
					     len + 16, out));
	EXPECT_NE(0, memcmp(out, text, len));
	want[len + 15] ^= 1;
	aad[0] ^= 1;
	EXPECT_EQ(-EBADMSG, crypto_aead_open(key, nonce, aad, 12, want,
					     len + 16, out));
	EXPECT_EQ(-EINVAL, crypto_aead_open(key, nonce, aad, 12, want, 15,
					    out));

	/* The random-nonce variant draws a new nonce each time. */
	{
		uint8_t n1[12], n2[12], c1[32], c2[32];

		ASSERT_EQ(0, crypto_aead_seal(key, n1, NULL, 0,
					      (const uint8_t *)text, 16, c1));
		ASSERT_EQ(0, crypto_aead_seal(key, n2, NULL, 0,
					      (const uint8_t *)text, 16, c2));
		EXPECT_NE(0, memcmp(n1, n2, 12));
		ASSERT_EQ(0, crypto_aead_open(key, n2, NULL, 0, c2, 32, out));
		EXPECT_EQ(0, memcmp(out, text, 16));
	}
}

static void check_ed25519(struct __test_metadata *_metadata,
			  const char *seedhex, const char *pubhex,
			  const char *msghex, const char *sighex)
{
	uint8_t seed[32], pub[32], want_pub[32], msg[8], sig[64], want[64];
	struct crypto_sig_key *k = NULL, *p = NULL;
	int mlen;

	ASSERT_EQ(32, unhex(seedhex, seed, 32));
	ASSERT_EQ(32, unhex(pubhex, want_pub, 32));
	mlen = unhex(msghex, msg, sizeof(msg));
	ASSERT_LE(0, mlen);
	ASSERT_EQ(64, unhex(sighex, want, 64));

	ASSERT_EQ(0, crypto_sig_from_seed(seed, &k));
	ASSERT_EQ(0, crypto_sig_public(k, pub));
	EXPECT_EQ(0, memcmp(pub, want_pub, 32));
	ASSERT_EQ(0, crypto_sig_sign(k, msg, (size_t)mlen, sig));
	EXPECT_EQ(0, memcmp(sig, want, 64));
	ASSERT_EQ(0, crypto_sig_from_public(want_pub, &p));
	EXPECT_EQ(0, crypto_sig_verify(p, msg, (size_t)mlen, want));
	want[0] ^= 1;
	EXPECT_EQ(-EBADMSG, crypto_sig_verify(p, msg, (size_t)mlen, want));
	want[0] ^= 1;
	want[63] ^= 0x80;	/* S out of range: malformed, not accepted */
	EXPECT_EQ(-EBADMSG, crypto_sig_verify(p, msg, (size_t)mlen, want));
	/* A public key alone cannot sign. */
	EXPECT_EQ(-EINVAL, crypto_sig_sign(p, msg, (size_t)mlen, sig));
	crypto_sig_free(k);
	crypto_sig_free(p);
}

TEST(kat_ed25519_rfc8032)
{
	/* Section 7.1, tests 1 and 2. */
	check_ed25519(_metadata,
		"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
		"d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
		"",
		"e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
		"5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
	check_ed25519(_metadata,
		"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
		"3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
		"72",
		"92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
		"085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00");
}

TEST(ed25519_generated_keys)
{
	struct crypto_sig_key *k1 = NULL, *k2 = NULL;
	uint8_t p1[32], p2[32], sig[64];

	ASSERT_EQ(0, crypto_sig_generate(&k1));
	ASSERT_EQ(0, crypto_sig_generate(&k2));
	ASSERT_EQ(0, crypto_sig_public(k1, p1));
	ASSERT_EQ(0, crypto_sig_public(k2, p2));
	EXPECT_NE(0, memcmp(p1, p2, 32));
	ASSERT_EQ(0, crypto_sig_sign(k1, p2, 32, sig));
	EXPECT_EQ(0, crypto_sig_verify(k1, p2, 32, sig));
	EXPECT_EQ(-EBADMSG, crypto_sig_verify(k2, p2, 32, sig));
	crypto_sig_free(k1);
	crypto_sig_free(k2);
	crypto_sig_free(NULL);
}

TEST(random_and_compare)
{
	uint8_t a[32] = { 0 }, b[32] = { 0 };
	uint64_t n1 = 0, n2 = 0;

	EXPECT_EQ(0, crypto_memeq(a, b, 32));
	b[31] = 1;
	EXPECT_EQ(-EBADMSG, crypto_memeq(a, b, 32));
	ASSERT_EQ(0, crypto_random(a, 32));
	ASSERT_EQ(0, crypto_random(b, 32));
	EXPECT_NE(0, memcmp(a, b, 32));
	ASSERT_EQ(0, crypto_nonce64(&n1));
	ASSERT_EQ(0, crypto_nonce64(&n2));
	EXPECT_NE(n1, n2);
	crypto_wipe(a, 32);
	memset(b, 0, 32);
	EXPECT_EQ(0, memcmp(a, b, 32));
}

/* ---- Leighton-Micali and the derived keys -------------------------------- */

TEST(leighton_micali)
{
	uint8_t k_sl[32], k_a[32], pi[16], s_member[16], s_leader[16];
	uint8_t ch_member[32], ch_leader[32], x[16];
	char sl[16], a[16], name[32];
	unsigned int i;

	for (i = 0; i < 64; i++) {
		ASSERT_EQ(0, crypto_random(k_sl, 32));
		ASSERT_EQ(0, crypto_random(k_a, 32));
		snprintf(name, sizeof(name), "leader%u", i);
		ASSERT_EQ(0, proto_id_set(sl, name));
		snprintf(name, sizeof(name), "m-%u.x_y", i);
		ASSERT_EQ(0, proto_id_set(a, name));

		/* The TTP knows both keys; SL only its own and pi. */
		ASSERT_EQ(0, crypto_pair_key(k_sl, sl, k_a, a, pi));
		ASSERT_EQ(0, crypto_shared_member(k_a, sl, s_member));
		ASSERT_EQ(0, crypto_shared_leader(k_sl, a, pi, s_leader));
		EXPECT_EQ(0, memcmp(s_member, s_leader, 16));
		EXPECT_NE(0, memcmp(pi, s_member, 16));

		/* Both ends derive the same channel key, bound to I0. */
		ASSERT_EQ(0, crypto_k_ch(s_member, I0 + (uint64_t)i, sl, a,
					 ch_member));
		ASSERT_EQ(0, crypto_k_ch(s_leader, I0 + (uint64_t)i, sl, a,
					 ch_leader));
		EXPECT_EQ(0, memcmp(ch_member, ch_leader, 32));
		ASSERT_EQ(0, crypto_k_ch(s_leader, I0 + (uint64_t)i + 1, sl,
					 a, ch_leader));
		EXPECT_NE(0, memcmp(ch_member, ch_leader, 32));

		/* Another leader key does not find S_A. */
		k_sl[0] ^= 1;
		ASSERT_EQ(0, crypto_shared_leader(k_sl, a, pi, x));
		EXPECT_NE(0, memcmp(x, s_member, 16));
	}
}

/* ---- vectors built by proto_vectors.py (Python, no shared code) ---------- */

static const char vec_a_ksl[] = "c73ea8d178c5cd8d2bcd1e301eb531f3";
static const char vec_sl_ka[] = "a709671e7b1b1941528677ebe7e17455";
static const char vec_pi[] = "6037cfcf03ded4cc794b69dbf95445a6";
static const char vec_k_ttp[] =
	"8668275f62346cac791f6fdcf1897c344b833bf21087d06ad44f0403787632eb";
static const char vec_k_ch[] =
	"ba999cfb4cb0c9938bb338df392dab8b1862bda4fd7786e878514a99c3709749";
static const char vec_mac_sk[] = "c562ab738cc5f5da82db4d8a5d787797";
static const char vec_msg3[] =
	"41470103000000006c656164657200000000000000000000616c696365000000"
	"0000000000000000a0a1a2a3a4a5a6a7a8a9aaabc149ce58d466840874255fc2"
	"158e7b89b91a5c906d10c8f3c7232cdb5b79139dd132c6e43cad77b8512303ed"
	"ce1674babbb9a405185b3bbb";
static const char vec_msg4[] =
	"41470104000000006c656164657200000000000000000000616c696365000000"
	"0000000000000000a0a1a2a3a4a5a6a7a8a9aaab3f5ca2e913219da95bd60db3"
	"839b95fc963873c4b18987279eae515e2f14fe6afeabfe373232c3b9a4283199"
	"1ff723c93c7c128254e3d69da4e64e35e78bc3c363b538e258d6239e2c7d4037"
	"653125300a30d1d7f81ec841aec433656efd31c79b9a0a05de01fd6437146511"
	"31f57ce8613a07d52047899c73e9567da9065903c292b03f1981d132ed";
static const char vec_msg5[] =
	"4147010500000000616c6963650000000000000000000000a0a1a2a3a4a5a6a7"
	"a8a9aaab3942bb8a76219da95bd60db3839b95fcb71a50e094afa0080f9edc6e"
	"a9ecfbf264ba4f1ea6f57372";
static const char vec_msg6a[] =
	"4147016a00000000677270000000000000000000000000000000000000000007"
	"11223344556677880000000000000005616c6963650000000000000000000000"
	"a0a1a2a3a4a5a6a7a8a9aaab582ed2ee13219daa58d60d59e3dbd4bed57c3682"
	"f6c1ce6ac4c02f543522d8b0cc93c202006a9ae3ff746cc740e2365cd9fd4543"
	"effec9e9c02252869c2ec679999147cbbf17b671b3467ea43f";
static const char vec_msg6c[] =
	"4147016c00000000677270000000000000000000000000000000000000000007"
	"11223344556677880000000000000005000000010002616c6963650000000000"
	"000000000000a0a1a2a3a4a5a6a7a8a9aaab582ed2ee13219daa58d60d59e3db"
	"d4bed57c3682f6c1ce6ac4c02f543522d8b0cc93c202006a9ae3ff746cc7401c"
	"5f58cf93fcfe70a1d832fec484f634626f6200000000000000000000000000b0"
	"b1b2b3b4b5b6b7b8b9babbc4caae30368c2d45afa1fd868e4b8d50831cc54ec6"
	"fedb5cba90511f8c54ae1d2e6a33a5350bb4f4e90250829046fb445dc7256c18"
	"5da107ae75022057906c9a038771a861bb847eeac7e89598";
static const char vec_msg8[] =
	"4147010800000000677270000000000000000000000000000000000000000007"
	"11223344556677880000000000000005616c6963650000000000000000000000"
	"1f3714c2230958e736cb32ba9a7ee3f5";
static const char vec_msg9[] =
	"4147010900000000677270000000000000000000000000000000000000000007"
	"11223344556677880000000000000005b68acd6960cd8fe8566aa1fbe462eb1b"
	"34ca4930a9da8004205d250901117ff5a112f3d5fcd9e97ddc02cc9d64ffc2c0"
	"961a1c5e73cea11d6a83d3f31f0e5904";
static const char vec_pug[] =
	"174553b456dddfc6908ecab1c101fe6ab21e2baa0617795b7d43a63482993fd5";

static void expect_hex(struct __test_metadata *_metadata, const char *hex,
		       const uint8_t *p, size_t len)
{
	uint8_t want[64];

	ASSERT_EQ((int)len, unhex(hex, want, sizeof(want)));
	EXPECT_EQ(0, memcmp(p, want, len));
}

TEST(protocol_vectors)
{
	uint8_t b[16], mac[16], buf[512], out[512];
	size_t len, olen;
	int n;

	ASSERT_EQ(0, fixture_init());
	ASSERT_EQ(0, crypto_block_encrypt(F.k_sl, (const uint8_t *)F.a, b));
	expect_hex(_metadata, vec_a_ksl, b, 16);
	ASSERT_EQ(0, crypto_block_encrypt(F.k_a, (const uint8_t *)F.sl, b));
	expect_hex(_metadata, vec_sl_ka, b, 16);
	expect_hex(_metadata, vec_sl_ka, F.s_a, 16);
	expect_hex(_metadata, vec_pi, F.pi, 16);
	ASSERT_EQ(0, crypto_shared_leader(F.k_sl, F.a, F.pi, b));
	expect_hex(_metadata, vec_sl_ka, b, 16);
	expect_hex(_metadata, vec_k_ttp, F.k_ttp, 32);
	expect_hex(_metadata, vec_k_ch, F.k_ch, 32);
	ASSERT_EQ(0, crypto_mac_sk(F.sk, (const uint8_t *)"antigone", 8, mac));
	expect_hex(_metadata, vec_mac_sk, mac, 16);
	expect_hex(_metadata, vec_pug, F.pub, 32);

	/* 3 */
	{
		struct msg_pair_resp m;

		n = unhex(vec_msg3, buf, sizeof(buf));
		ASSERT_EQ(PROTO_PAIR_RESP_LEN, n);
		ASSERT_EQ(0, proto_decode_pair_resp(buf, (size_t)n, F.k_ttp,
						    &m));
		EXPECT_STREQ("leader", m.sl);
		EXPECT_STREQ("alice", m.a);
		EXPECT_EQ(0, memcmp(m.pi, F.pi, 16));
		EXPECT_EQ(I1, m.i1);
		EXPECT_STREQ("supplier", m.role);
	}
	/* 4, with an unknown TLV in its policy block */
	{
		struct msg_auth_resp m;

		n = unhex(vec_msg4, buf, sizeof(buf));
		ASSERT_LT(PROTO_AUTH_RESP_MIN, n);
		ASSERT_EQ(0, proto_decode_auth_resp(buf, (size_t)n, F.k_ch,
						    &m));
		EXPECT_STREQ("leader", m.sl);
		EXPECT_STREQ("alice", m.a);
		EXPECT_STREQ("grp", m.g.name);
		EXPECT_EQ(7, m.g.number);
		EXPECT_EQ(0x1122334455667788ull, m.g.rnd);
		EXPECT_EQ(I0, m.i0);
		EXPECT_EQ(I2, m.i2);
		EXPECT_EQ(0, memcmp(m.pug, F.pub, 32));
		EXPECT_EQ(1u << POLICY_TLV_GG | 1u << POLICY_TLV_SG |
			  1u << POLICY_TLV_RK | 1u << POLICY_TLV_SELECTOR,
			  m.policy.present);
		EXPECT_EQ(0x1f, m.policy.gg);
		EXPECT_EQ(3, m.policy.sg);
		EXPECT_EQ(60000, m.policy.rk_ms);
		ASSERT_EQ(1, m.policy.nselectors);
		EXPECT_EQ(4, m.policy.selectors[0].addr_len);
		EXPECT_EQ(0, memcmp(m.policy.selectors[0].addr,
				    "\xef\x01\x02\x03", 4));
		EXPECT_EQ(5000, m.policy.selectors[0].port);
	}
	/* 5 */
	{
		struct msg_join m;

		n = unhex(vec_msg5, buf, sizeof(buf));
		ASSERT_EQ(PROTO_JOIN_LEN, n);
		ASSERT_EQ(0, proto_decode_join(buf, (size_t)n, F.k_ch, &m));
		EXPECT_STREQ("alice", m.a);
		EXPECT_EQ(I2, m.i2);
	}
	/* 6a */
	{
		struct msg_key m;

		n = unhex(vec_msg6a, buf, sizeof(buf));
		ASSERT_EQ(PROTO_KEY_LEN, n);
		ASSERT_EQ(0, proto_decode_key(buf, (size_t)n, F.k_ch, &m));
		EXPECT_EQ(S_SEQ, m.s_sl);
		EXPECT_STREQ("alice", m.a);
		EXPECT_EQ(7, m.key.epoch);
		EXPECT_EQ(3, m.key.sender);
		EXPECT_EQ(3, m.key.suite);
		EXPECT_EQ(60000, m.key.lifetime_ms);
		EXPECT_EQ(0, memcmp(m.key.sk, F.sk, 32));
	}
	/* 6c: two blocks, each member finds its own */
	{
		struct msg_rekey_part m;
		struct key_grant k;

		n = unhex(vec_msg6c, buf, sizeof(buf));
		ASSERT_EQ(PROTO_REKEY_MIN + 2 * PROTO_BLOCK_LEN, n);
		ASSERT_EQ(0, proto_decode_rekey_self(buf, (size_t)n, F.a,
						     F.k_ch, &m, &k));
		EXPECT_EQ(3, k.sender);
		EXPECT_EQ(0, memcmp(k.sk, F.sk, 32));
		EXPECT_EQ(0, m.part);
		EXPECT_EQ(1, m.parts);
		ASSERT_EQ(2, m.count);
		EXPECT_STREQ("alice", proto_rekey_id(&m, 0));
		EXPECT_STREQ("bob", proto_rekey_id(&m, 1));
		ASSERT_EQ(0, proto_decode_rekey_self(buf, (size_t)n, F.b,
						     F.k_b, &m, &k));
		EXPECT_EQ(4, k.sender);
		EXPECT_EQ(0, proto_decode_rekey(buf, (size_t)n, F.sk, &m));
		EXPECT_EQ(-ENOENT, proto_decode_rekey_self(buf, (size_t)n, F.c,
							   F.k_c, &m, &k));
	}
	/* 8 and 9 are deterministic: the encoders give the same bytes. */
	{
		struct msg_member_hb m = { .g = F.g, .s_a = S_SEQ };
		struct msg_member_hb d;

		memcpy(m.a, F.a, 16);
		n = unhex(vec_msg8, buf, sizeof(buf));
		ASSERT_EQ(PROTO_MEMBER_HB_LEN, n);
		ASSERT_EQ(0, proto_encode_member_hb(&m, F.k_ch, out,
						    sizeof(out), &olen));
		ASSERT_EQ((size_t)n, olen);
		EXPECT_EQ(0, memcmp(out, buf, olen));
		EXPECT_EQ(0, proto_decode_member_hb(buf, (size_t)n, F.k_ch,
						    &d));
	}
	{
		struct msg_leader_hb m = { .g = F.g, .s_sl = S_SEQ };
		struct msg_leader_hb d;

		n = unhex(vec_msg9, buf, sizeof(buf));
		ASSERT_EQ(PROTO_LEADER_HB_LEN, n);
		ASSERT_EQ(0, proto_encode_leader_hb(&m, F.prg, out,
						    sizeof(out), &len));
		ASSERT_EQ((size_t)n, len);
		EXPECT_EQ(0, memcmp(out, buf, len));
		EXPECT_EQ(0, proto_decode_leader_hb(buf, (size_t)n, F.pug,
						    &d));
		EXPECT_EQ(S_SEQ, d.s_sl);
	}
}

TEST_HARNESS_MAIN

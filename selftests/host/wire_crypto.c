// SPDX-License-Identifier: GPL-2.0
/*
 * The data wire format v1, part of its host tests (the fixture:
 * lib/wire_fixture.h): the crypto of messages 7a-7c (tools/libwire): seal and open of
 * every guarantee x suite x size, every bit flip of 7a/7c refused, 7b's
 * malleability, wrong keys, bad arguments, published GCM and
 * ChaCha20-Poly1305 answers and hard-coded vectors.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "lib/wire_fixture.h"

/* ---- seal and open ------------------------------------------------------ */

static const size_t sizes[] = { 0, 1, 15, 16, 17, 1400 };

TEST(seal_open_round_trip)
{
	u8 payload[1400], out[1400 + ANTIGONE_WIRE_OVERHEAD];
	u8 back[sizeof(out)], body7b[1400], hdr[HDR];
	size_t gi, si, zi, outlen, plen;
	struct antigone_hdr h;
	struct wire_key k;

	for (si = 0; si < ARRAY_SIZE(suites); si++) {
		make_key(&k, suites[si], 42, (u8)si);
		for (zi = 0; zi < ARRAY_SIZE(sizes); zi++) {
			size_t len = sizes[zi];

			fill(payload, len, (u8)zi);
			for (gi = 0; gi < ARRAY_SIZE(guarantees); gi++) {
				u8 g = guarantees[gi];
				struct antigone_hdr in = { g, 0, 42, 5, 1000 };
				size_t taglen = antigone_tag_len(g);

				ASSERT_EQ(0, wire_seal(&k, g, 5, 1000, payload,
						       len, out, sizeof(out),
						       &outlen))
					TH_LOG("suite %u g %u len %zu",
					       suites[si], g, len);
				ASSERT_EQ(HDR + len + taglen, outlen);
				antigone_hdr_pack(&in, hdr);
				EXPECT_EQ(0, memcmp(out, hdr, HDR));
				if (g == ANTIGONE_G_INTEGRITY && len)
					EXPECT_EQ(0, memcmp(out + HDR, payload,
							    len));
				if (g != ANTIGONE_G_INTEGRITY && len >= 16)
					EXPECT_NE(0, memcmp(out + HDR, payload,
							    len));
				/* 7b and 7c share the keystream of N. */
				if (g == ANTIGONE_G_CONFIDENTIALITY && len)
					memcpy(body7b, out + HDR, len);
				if (g == ANTIGONE_G_BOTH && len)
					EXPECT_EQ(0, memcmp(body7b, out + HDR,
							    len));

				memset(back, 0xaa, sizeof(back));
				ASSERT_EQ(0, wire_open(&k, out, outlen, &h,
						       back, &plen))
					TH_LOG("suite %u g %u len %zu",
					       suites[si], g, len);
				ASSERT_EQ(len, plen);
				if (len)
					EXPECT_EQ(0, memcmp(back, payload,
							    len));
				EXPECT_EQ(g, h.guarantee);
				EXPECT_EQ(42, h.epoch);
				EXPECT_EQ(5, h.sender);
				EXPECT_EQ(1000, h.seq);
			}
		}
		wire_key_wipe(&k);
	}
}

/*
 * Every single bit flip of a 7a or 7c datagram fails to open: the header
 * parse catches version, flags and reserved; the key's epoch check catches
 * the epoch; the tag catches everything else, guarantee nibble included.
 * One exception, by design: turning 7c (0x13) into 7b (0x12) yields a
 * valid 7b datagram, which nothing authenticates. It opens to the true
 * payload followed by 16 bytes of garbage (the tag XOR keystream), and a
 * receiver that requires 7c refuses it as weaker: antigone_guarantee_meets.
 */
TEST(bit_flips_7a_7c)
{
	static const u8 tagged[] = { ANTIGONE_G_INTEGRITY, ANTIGONE_G_BOTH };
	u8 payload[17], out[17 + ANTIGONE_WIRE_OVERHEAD], bad[sizeof(out)];
	u8 back[sizeof(out)];
	size_t si, gi, bit, outlen, plen;
	struct antigone_hdr h;
	struct wire_key k;

	fill(payload, sizeof(payload), 3);
	for (si = 0; si < ARRAY_SIZE(suites); si++) {
		make_key(&k, suites[si], 7, 1);
		for (gi = 0; gi < ARRAY_SIZE(tagged); gi++) {
			u8 g = tagged[gi];

			ASSERT_EQ(0, wire_seal(&k, g, 0x01020304,
					       0x1122334455667788ull, payload,
					       sizeof(payload), out,
					       sizeof(out), &outlen));
			for (bit = 0; bit < outlen * 8; bit++) {
				size_t byte = bit / 8;
				u8 v = out[0] ^ (u8)(1u << (bit % 8));
				int want, ret;

				memcpy(bad, out, outlen);
				bad[byte] ^= (u8)(1u << (bit % 8));
				memset(back, 0xaa, sizeof(back));
				ret = wire_open(&k, bad, outlen, &h, back,
						&plen);
				if (byte == 0 && v == (1 << 4 |
					ANTIGONE_G_CONFIDENTIALITY)) {
					ASSERT_EQ(0, ret);
					EXPECT_EQ(ANTIGONE_G_CONFIDENTIALITY,
						  h.guarantee);
					EXPECT_EQ(sizeof(payload) + TAG, plen);
					EXPECT_EQ(0, memcmp(back, payload,
							    sizeof(payload)));
					EXPECT_FALSE(antigone_guarantee_meets(
						h.guarantee, g));
					continue;
				}
				if (byte == 0)
					want = (v >> 4 == 1 && (v & 15) >= 1 &&
						(v & 15) <= 3) ?
					       -EBADMSG : -EPROTO;
				else if (byte < 4)
					want = -EPROTO;
				else if (byte < 8)
					want = -EKEYREJECTED;
				else
					want = -EBADMSG;
				ASSERT_EQ(want, ret)
					TH_LOG("suite %u g %u bit %zu",
					       suites[si], g, bit);
				/* No plaintext escapes a failed check. */
				EXPECT_NE(0, memcmp(back, payload,
						    sizeof(payload)));
			}
		}
		wire_key_wipe(&k);
	}
}

/*
 * 7b has no tag: it is malleable. Flipping a body bit flips the same bit
 * of the payload and the datagram still opens; a changed sender or seq
 * opens to garbage (another keystream). Only the header fields the parser
 * or the epoch check sees are caught. Use 7b only where the sender's
 * identity and the payload's integrity come from elsewhere.
 */
TEST(malleability_7b)
{
	u8 payload[17], out[17 + HDR], bad[sizeof(out)], back[sizeof(out)];
	size_t si, bit, outlen, plen, i;
	struct antigone_hdr h;
	struct wire_key k;

	fill(payload, sizeof(payload), 5);
	for (si = 0; si < ARRAY_SIZE(suites); si++) {
		make_key(&k, suites[si], 7, 2);
		ASSERT_EQ(0, wire_seal(&k, ANTIGONE_G_CONFIDENTIALITY, 9, 77,
				       payload, sizeof(payload), out,
				       sizeof(out), &outlen));
		ASSERT_EQ(HDR + sizeof(payload), outlen);
		for (bit = HDR * 8; bit < outlen * 8; bit++) {
			memcpy(bad, out, outlen);
			bad[bit / 8] ^= (u8)(1u << (bit % 8));
			ASSERT_EQ(0, wire_open(&k, bad, outlen, &h, back,
					       &plen));
			ASSERT_EQ(sizeof(payload), plen);
			for (i = 0; i < plen; i++)
				ASSERT_EQ(payload[i] ^ (i == bit / 8 - HDR ?
					  1u << (bit % 8) : 0), back[i])
					TH_LOG("bit %zu byte %zu", bit, i);
		}
		/* 0x12 -> 0x13: now it claims a tag and fails it. */
		memcpy(bad, out, outlen);
		bad[0] ^= 1;
		EXPECT_EQ(-EBADMSG, wire_open(&k, bad, outlen, &h, back,
					      &plen));
		bad[0] ^= 3;	/* 0x10: no such guarantee */
		EXPECT_EQ(-EPROTO, wire_open(&k, bad, outlen, &h, back,
					     &plen));
		memcpy(bad, out, outlen);
		bad[7] ^= 1;	/* epoch */
		EXPECT_EQ(-EKEYREJECTED, wire_open(&k, bad, outlen, &h, back,
						   &plen));
		memcpy(bad, out, outlen);
		bad[11] ^= 1;	/* sender: another keystream */
		ASSERT_EQ(0, wire_open(&k, bad, outlen, &h, back, &plen));
		EXPECT_EQ(8, h.sender);
		EXPECT_NE(0, memcmp(back, payload, sizeof(payload)));
		memcpy(bad, out, outlen);
		bad[19] ^= 2;	/* seq */
		ASSERT_EQ(0, wire_open(&k, bad, outlen, &h, back, &plen));
		EXPECT_EQ(79, h.seq);
		EXPECT_NE(0, memcmp(back, payload, sizeof(payload)));
		wire_key_wipe(&k);
	}
}

TEST(wrong_key_epoch_suite)
{
	u8 payload[40], out[40 + ANTIGONE_WIRE_OVERHEAD], back[sizeof(out)];
	struct wire_key k, other, later, swapped;
	size_t si, gi, outlen, plen;
	struct antigone_hdr h;

	fill(payload, sizeof(payload), 9);
	for (si = 0; si < ARRAY_SIZE(suites); si++) {
		make_key(&k, suites[si], 7, 1);
		make_key(&other, suites[si], 7, 2);
		make_key(&later, suites[si], 8, 1);
		for (gi = 0; gi < ARRAY_SIZE(guarantees); gi++) {
			u8 g = guarantees[gi];
			int ret;

			ASSERT_EQ(0, wire_seal(&k, g, 1, 1, payload,
					       sizeof(payload), out,
					       sizeof(out), &outlen));
			ret = wire_open(&other, out, outlen, &h, back, &plen);
			if (g == ANTIGONE_G_CONFIDENTIALITY) {
				/* Opens, to garbage: 7b cannot tell. */
				ASSERT_EQ(0, ret);
				EXPECT_NE(0, memcmp(back, payload, plen));
			} else {
				EXPECT_EQ(-EBADMSG, ret);
			}
			EXPECT_EQ(-EKEYREJECTED,
				  wire_open(&later, out, outlen, &h, back,
					    &plen));
		}
		wire_key_wipe(&k);
		wire_key_wipe(&other);
		wire_key_wipe(&later);
	}

	/* The same 32 key bytes under the other 32-byte suite. */
	make_key(&k, ANTIGONE_SUITE_AES256_GCM, 7, 1);
	make_key(&swapped, ANTIGONE_SUITE_CHACHA20_POLY1305, 7, 1);
	ASSERT_EQ(0, memcmp(k.key, swapped.key, 32));
	for (gi = 0; gi < ARRAY_SIZE(guarantees); gi++) {
		u8 g = guarantees[gi];

		ASSERT_EQ(0, wire_seal(&k, g, 1, 1, payload, sizeof(payload),
				       out, sizeof(out), &outlen));
		if (g == ANTIGONE_G_CONFIDENTIALITY) {
			ASSERT_EQ(0, wire_open(&swapped, out, outlen, &h,
					       back, &plen));
			EXPECT_NE(0, memcmp(back, payload, plen));
		} else {
			EXPECT_EQ(-EBADMSG, wire_open(&swapped, out, outlen,
						      &h, back, &plen));
		}
	}
	wire_key_wipe(&k);
	wire_key_wipe(&swapped);
}

TEST(bad_arguments)
{
	u8 payload[16] = { 0 }, out[16 + ANTIGONE_WIRE_OVERHEAD];
	u8 key[32] = { 0 }, back[sizeof(out)];
	struct wire_key k, bad;
	struct antigone_hdr h;
	size_t outlen, plen;

	EXPECT_EQ(16, wire_key_len(ANTIGONE_SUITE_AES128_GCM));
	EXPECT_EQ(32, wire_key_len(ANTIGONE_SUITE_AES256_GCM));
	EXPECT_EQ(32, wire_key_len(ANTIGONE_SUITE_CHACHA20_POLY1305));
	EXPECT_EQ(-EINVAL, wire_key_len(0));
	EXPECT_EQ(-EINVAL, wire_key_len(4));
	EXPECT_EQ(-EINVAL, wire_key_set(&k, ANTIGONE_SUITE_AES128_GCM, 1,
					key, 32));
	EXPECT_EQ(-EINVAL, wire_key_set(&k, ANTIGONE_SUITE_AES256_GCM, 1,
					key, 16));
	EXPECT_EQ(-EINVAL, wire_key_set(&k, ANTIGONE_SUITE_AES128_GCM, 0,
					key, 16));
	EXPECT_EQ(-EINVAL, wire_key_set(&k, 9, 1, key, 16));

	make_key(&k, ANTIGONE_SUITE_AES128_GCM, 1, 0);
	EXPECT_EQ(-EINVAL, wire_seal(&k, 3, 1, 0, payload, 16, out,
				     sizeof(out), &outlen));	/* seq 0 */
	EXPECT_EQ(-EINVAL, wire_seal(&k, 0, 1, 1, payload, 16, out,
				     sizeof(out), &outlen));
	EXPECT_EQ(-EINVAL, wire_seal(&k, 4, 1, 1, payload, 16, out,
				     sizeof(out), &outlen));
	EXPECT_EQ(-ENOBUFS, wire_seal(&k, 3, 1, 1, payload, 16, out,
				      16 + ANTIGONE_WIRE_OVERHEAD - 1,
				      &outlen));
	EXPECT_EQ(-ENOBUFS, wire_seal(&k, 1, 1, 1, payload, 16, out,
				      16 + ANTIGONE_WIRE_OVERHEAD - 1,
				      &outlen));
	EXPECT_EQ(0, wire_seal(&k, 2, 1, 1, payload, 16, out, 16 + HDR,
			       &outlen));
	/* Checked before payload is read. */
	EXPECT_EQ(-EMSGSIZE, wire_seal(&k, 3, 1, 1, payload,
				       WIRE_PAYLOAD_MAX + 1, out, SIZE_MAX,
				       &outlen));
	EXPECT_EQ(-EMSGSIZE, wire_open(&k, out, WIRE_DGRAM_MAX + 1, &h, back,
				       &plen));

	bad = k;
	bad.keylen = 32;
	EXPECT_EQ(-EINVAL, wire_seal(&bad, 3, 1, 1, payload, 16, out,
				     sizeof(out), &outlen));
	EXPECT_EQ(-EINVAL, wire_open(&bad, out, 36, &h, back, &plen));
	bad = k;
	bad.epoch = 0;
	EXPECT_EQ(-EINVAL, wire_seal(&bad, 3, 1, 1, payload, 16, out,
				     sizeof(out), &outlen));

	wire_key_wipe(&k);
	EXPECT_EQ(0, k.suite);
	EXPECT_EQ(0, k.keylen);

	EXPECT_EQ(ANTIGONE_SUITE_CHACHA20_POLY1305,
		  wire_suite_parse("chacha20-poly1305"));
	EXPECT_STREQ("aes256-gcm", wire_suite_name(ANTIGONE_SUITE_AES256_GCM));
	EXPECT_EQ(-EINVAL, wire_suite_parse("aes-128-gcm"));
	EXPECT_EQ(NULL, wire_suite_name(0));
	EXPECT_EQ(ANTIGONE_G_INTEGRITY, wire_guarantee_parse("integrity"));
	EXPECT_STREQ("both", wire_guarantee_name(ANTIGONE_G_BOTH));
	EXPECT_EQ(-EINVAL, wire_guarantee_parse("7c"));
	EXPECT_EQ(NULL, wire_guarantee_name(4));
}

/* ---- known answers ------------------------------------------------------ */

/* McGrew & Viega, "The Galois/Counter Mode of Operation", test cases 4/16. */
static const char gcm_key[] = "feffe9928665731c6d6a8f9467308308";
static const char gcm_iv[] = "cafebabefacedbaddecaf888";
static const char gcm_aad[] = "feedfacedeadbeeffeedfacedeadbeefabaddad2";
static const char gcm_pt[] =
	"d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
	"1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39";
static const char gcm4_ct[] =
	"42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
	"21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091";
static const char gcm4_tag[] = "5bc94fbc3221a5db94fae95ae7121a47";
static const char gcm16_ct[] =
	"522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
	"8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662";
static const char gcm16_tag[] = "76fc6ece0f4e1768cddf8853bb2d551b";

/* RFC 8439: the sunscreen text, sections 2.4.2 and 2.8.2. */
static const char sunscreen[] =
	"Ladies and Gentlemen of the class of '99: If I could offer you only "
	"one tip for the future, sunscreen would be it.";
static const char rfc_242_ct[] =
	"6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0b"
	"f91b65c5524733ab8f593dabcd62b3571639d624e65152ab8f530c359f0861d8"
	"07ca0dbf500d6a6156a38e088a22b65e52bc514d16ccf806818ce91ab7793736"
	"5af90bbf74a35be6b40b8eedf2785e42874d";
static const char rfc_282_key[] =
	"808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f";
static const char rfc_282_nonce[] = "070000004041424344454647";
static const char rfc_282_aad[] = "50515253c0c1c2c3c4c5c6c7";
static const char rfc_282_ct[] =
	"d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
	"3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
	"92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
	"3ff4def08e4b7a9de576d26586cec64b6116";
static const char rfc_282_tag[] = "1ae10b594f09e26a7e902ecbd0600691";

/*
 * An AEAD vector through wire_aead_seal/open, and its ciphertext through
 * wire_stream_xor: the 7b keystream is the AEAD's for the same nonce.
 */
static void check_aead(struct __test_metadata *_metadata, u8 suite,
		       const char *keyhex, const char *noncehex,
		       const char *aadhex, const u8 *pt, size_t ptlen,
		       const char *cthex, const char *taghex)
{
	u8 kb[32], nonce[12], aad[32], ct[128], tag[16], out[128], t[16];
	struct wire_key k;
	int klen, aadlen;

	klen = unhex(keyhex, kb, sizeof(kb));
	ASSERT_EQ(0, wire_key_set(&k, suite, 1, kb, (size_t)klen));
	ASSERT_EQ(12, unhex(noncehex, nonce, sizeof(nonce)));
	aadlen = unhex(aadhex, aad, sizeof(aad));
	ASSERT_LE(0, aadlen);
	ASSERT_EQ((int)ptlen, unhex(cthex, ct, sizeof(ct)));
	ASSERT_EQ(16, unhex(taghex, tag, sizeof(tag)));

	ASSERT_EQ(0, wire_aead_seal(&k, nonce, aad, (size_t)aadlen, pt, ptlen,
				    out, t));
	EXPECT_EQ(0, memcmp(out, ct, ptlen));
	EXPECT_EQ(0, memcmp(t, tag, 16));
	ASSERT_EQ(0, wire_aead_open(&k, nonce, aad, (size_t)aadlen, ct, ptlen,
				    out, tag));
	EXPECT_EQ(0, memcmp(out, pt, ptlen));
	tag[15] ^= 0x80;
	EXPECT_EQ(-EBADMSG, wire_aead_open(&k, nonce, aad, (size_t)aadlen, ct,
					   ptlen, out, tag));
	EXPECT_NE(0, memcmp(out, pt, ptlen));	/* wiped */

	memset(out, 0, sizeof(out));
	ASSERT_EQ(0, wire_stream_xor(&k, nonce, pt, ptlen, out));
	EXPECT_EQ(0, memcmp(out, ct, ptlen));
	wire_key_wipe(&k);
}

TEST(known_answer_aes_gcm)
{
	char key256[2 * sizeof(gcm_key)];
	u8 pt[60];

	ASSERT_EQ(60, unhex(gcm_pt, pt, sizeof(pt)));
	check_aead(_metadata, ANTIGONE_SUITE_AES128_GCM, gcm_key, gcm_iv,
		   gcm_aad, pt, sizeof(pt), gcm4_ct, gcm4_tag);
	snprintf(key256, sizeof(key256), "%s%s", gcm_key, gcm_key);
	check_aead(_metadata, ANTIGONE_SUITE_AES256_GCM, key256, gcm_iv,
		   gcm_aad, pt, sizeof(pt), gcm16_ct, gcm16_tag);
}

TEST(known_answer_chacha20_poly1305)
{
	const size_t len = strlen(sunscreen);
	u8 kb[32], nonce[12], ct[128], out[128];
	struct wire_key k;
	size_t i;

	check_aead(_metadata, ANTIGONE_SUITE_CHACHA20_POLY1305, rfc_282_key,
		   rfc_282_nonce, rfc_282_aad, (const u8 *)sunscreen, len,
		   rfc_282_ct, rfc_282_tag);

	/* 2.4.2 encrypts from block counter 1, as 7b does. */
	for (i = 0; i < sizeof(kb); i++)
		kb[i] = (u8)i;
	ASSERT_EQ(0, wire_key_set(&k, ANTIGONE_SUITE_CHACHA20_POLY1305, 1, kb,
				  32));
	ASSERT_EQ(12, unhex("000000000000004a00000000", nonce,
			    sizeof(nonce)));
	ASSERT_EQ((int)len, unhex(rfc_242_ct, ct, sizeof(ct)));
	ASSERT_EQ(0, wire_stream_xor(&k, nonce, (const u8 *)sunscreen, len,
				     out));
	EXPECT_EQ(0, memcmp(out, ct, len));
	wire_key_wipe(&k);
}

TEST(vectors)
{
	u8 kb[32], out[64], back[64];
	char hex[129];
	struct antigone_hdr h;
	size_t i, outlen, plen;
	struct wire_key k;

	for (i = 0; i < sizeof(kb); i++)
		kb[i] = (u8)i;
	for (i = 0; i < ARRAY_SIZE(wire_vectors); i++) {
		const struct vector *v = &wire_vectors[i];

		ASSERT_EQ(0, wire_key_set(&k, v->suite, 7, kb,
					  (size_t)wire_key_len(v->suite)));
		ASSERT_EQ(0, wire_seal(&k, v->guarantee, 0x01020304,
				       0x1122334455667788ull,
				       (const u8 *)"Antigone 7x test", 16, out,
				       sizeof(out), &outlen));
		tohex(out, outlen, hex);
		EXPECT_STREQ(v->udp, hex)
			TH_LOG("guarantee %u suite %u", v->guarantee,
			       v->suite);
		ASSERT_EQ(0, wire_open(&k, out, outlen, &h, back, &plen));
		EXPECT_EQ(16, plen);
		EXPECT_EQ(0, memcmp(back, "Antigone 7x test", 16));
		wire_key_wipe(&k);
	}
}

TEST_HARNESS_MAIN

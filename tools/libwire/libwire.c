// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * libwire: messages 7a-7c with libcrypto's EVP API (see libwire.h).
 *
 *   7c (both):            AEAD(key, N, aad = header, plaintext = payload)
 *   7a (integrity):       AEAD(key, N, aad = header || payload, empty)
 *   7b (confidentiality): payload XOR the keystream that AEAD uses for N
 *
 * N = be32(sender) || be64(seq), from antigone_nonce().
 */
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "libwire.h"
#include "../../keyd/lib/names.h"


int wire_key_len(uint8_t suite)
{
	switch (suite) {
	case ANTIGONE_SUITE_AES128_GCM:
		return 16;
	case ANTIGONE_SUITE_AES256_GCM:
	case ANTIGONE_SUITE_CHACHA20_POLY1305:
		return 32;
	}
	return -EINVAL;
}

static bool key_valid(const struct wire_key *k)
{
	int len = k ? wire_key_len(k->suite) : -EINVAL;

	return len > 0 && k->keylen == (size_t)len;
}

int wire_key_set(struct wire_key *k, uint8_t suite, uint32_t epoch,
		 const uint8_t *key, size_t keylen)
{
	int len = wire_key_len(suite);

	if (!k || !key || len < 0 || keylen != (size_t)len || !epoch)
		return -EINVAL;
	memset(k, 0, sizeof(*k));
	k->suite = suite;
	k->epoch = epoch;
	k->keylen = keylen;
	memcpy(k->key, key, keylen);
	return 0;
}

void wire_key_wipe(struct wire_key *k)
{
	if (k)
		OPENSSL_cleanse(k, sizeof(*k));
}

/* The names are keyd's (lib/names.h), the CLI's and the configuration's. */
const char *wire_suite_name(uint8_t suite)
{
	return name_of(names_suite(), suite);
}

int wire_suite_parse(const char *name)
{
	int v = name_value(names_suite(), name);

	return v < 0 ? -EINVAL : v;
}

const char *wire_guarantee_name(uint8_t guarantee)
{
	return name_of(names_guarantee(), guarantee);
}

int wire_guarantee_parse(const char *name)
{
	int v = name_value(names_guarantee(), name);

	return v < 0 ? -EINVAL : v;
}

static const EVP_CIPHER *aead_cipher(uint8_t suite)
{
	switch (suite) {
	case ANTIGONE_SUITE_AES128_GCM:
		return EVP_aes_128_gcm();
	case ANTIGONE_SUITE_AES256_GCM:
		return EVP_aes_256_gcm();
	case ANTIGONE_SUITE_CHACHA20_POLY1305:
		return EVP_chacha20_poly1305();
	}
	return NULL;
}

/*
 * One AEAD operation. Lengths are bounded by WIRE_DGRAM_MAX, so they fit
 * libcrypto's int. Decryption failing the tag check wipes out[0..len).
 */
static int aead(const struct wire_key *k, int enc,
		const uint8_t nonce[ANTIGONE_NONCE_LEN], const uint8_t *aad,
		size_t aadlen, const uint8_t *in, size_t len, uint8_t *out,
		uint8_t tag[ANTIGONE_WIRE_TAG_LEN])
{
	const EVP_CIPHER *cipher;
	uint8_t scratch[EVP_MAX_BLOCK_LENGTH];
	EVP_CIPHER_CTX *ctx;
	int outl, ret = -EIO;

	if (!key_valid(k) || !nonce || !tag || (aadlen && !aad) ||
	    (len && (!in || !out)))
		return -EINVAL;
	if (aadlen > WIRE_DGRAM_MAX || len > WIRE_DGRAM_MAX)
		return -EMSGSIZE;
	cipher = aead_cipher(k->suite);
	if (!cipher)
		return -EINVAL;
	ctx = EVP_CIPHER_CTX_new();
	if (!ctx)
		return -ENOMEM;
	if (EVP_CipherInit_ex(ctx, cipher, NULL, NULL, NULL, enc) != 1 ||
	    EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_IVLEN,
				ANTIGONE_NONCE_LEN, NULL) != 1 ||
	    EVP_CipherInit_ex(ctx, NULL, NULL, k->key, nonce, enc) != 1)
		goto out;
	if (aadlen && EVP_CipherUpdate(ctx, NULL, &outl, aad,
				       (int)aadlen) != 1)
		goto out;
	if (len && (EVP_CipherUpdate(ctx, out, &outl, in, (int)len) != 1 ||
		    outl != (int)len))
		goto out;
	if (!enc && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG,
					ANTIGONE_WIRE_TAG_LEN, tag) != 1)
		goto out;
	/* For decryption this is the (constant time) tag comparison. */
	if (EVP_CipherFinal_ex(ctx, scratch, &outl) != 1 || outl != 0) {
		if (!enc)
			ret = -EBADMSG;
		goto out;
	}
	if (enc && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG,
				       ANTIGONE_WIRE_TAG_LEN, tag) != 1)
		goto out;
	ret = 0;
out:
	/* Never hand out plaintext that did not authenticate. */
	if (ret && !enc && len)
		OPENSSL_cleanse(out, len);
	/* Frees the key schedule, cleansed by libcrypto. */
	EVP_CIPHER_CTX_free(ctx);
	return ret;
}

int wire_aead_seal(const struct wire_key *k,
		   const uint8_t nonce[ANTIGONE_NONCE_LEN],
		   const uint8_t *aad, size_t aadlen, const uint8_t *in,
		   size_t len, uint8_t *out, uint8_t tag[ANTIGONE_WIRE_TAG_LEN])
{
	return aead(k, 1, nonce, aad, aadlen, in, len, out, tag);
}

int wire_aead_open(const struct wire_key *k,
		   const uint8_t nonce[ANTIGONE_NONCE_LEN],
		   const uint8_t *aad, size_t aadlen, const uint8_t *in,
		   size_t len, uint8_t *out,
		   const uint8_t tag[ANTIGONE_WIRE_TAG_LEN])
{
	uint8_t t[ANTIGONE_WIRE_TAG_LEN];
	int ret;

	if (!tag)
		return -EINVAL;
	/* libcrypto's ctrl takes a non-const pointer. */
	memcpy(t, tag, sizeof(t));
	ret = aead(k, 0, nonce, aad, aadlen, in, len, out, t);
	OPENSSL_cleanse(t, sizeof(t));
	return ret;
}

/*
 * The 16-byte IV that makes the plain stream cipher produce the AEAD's
 * keystream for this nonce. GCM (96-bit IV) encrypts from counter block
 * N || be32(2) (block 1 masks the tag); RFC 8439 encrypts from ChaCha20
 * block 1 (block 0 yields the Poly1305 key), and OpenSSL's ChaCha20 IV is
 * le32(counter) || nonce. Datagrams are far below 2^32 blocks, so AES-CTR's
 * 128-bit increment equals GCM's 32-bit one.
 */
static const EVP_CIPHER *stream_cipher(uint8_t suite,
				       const uint8_t nonce[ANTIGONE_NONCE_LEN],
				       uint8_t iv[16])
{
	switch (suite) {
	case ANTIGONE_SUITE_AES128_GCM:
	case ANTIGONE_SUITE_AES256_GCM:
		memcpy(iv, nonce, ANTIGONE_NONCE_LEN);
		iv[12] = 0;
		iv[13] = 0;
		iv[14] = 0;
		iv[15] = 2;
		return suite == ANTIGONE_SUITE_AES128_GCM ?
		       EVP_aes_128_ctr() : EVP_aes_256_ctr();
	case ANTIGONE_SUITE_CHACHA20_POLY1305:
		iv[0] = 1;
		iv[1] = 0;
		iv[2] = 0;
		iv[3] = 0;
		memcpy(iv + 4, nonce, ANTIGONE_NONCE_LEN);
		return EVP_chacha20();
	}
	return NULL;
}

int wire_stream_xor(const struct wire_key *k,
		    const uint8_t nonce[ANTIGONE_NONCE_LEN], const uint8_t *in,
		    size_t len, uint8_t *out)
{
	const EVP_CIPHER *cipher;
	uint8_t iv[16], scratch[EVP_MAX_BLOCK_LENGTH];
	EVP_CIPHER_CTX *ctx;
	int outl, ret = -EIO;

	if (!key_valid(k) || !nonce || (len && (!in || !out)))
		return -EINVAL;
	if (len > WIRE_DGRAM_MAX)
		return -EMSGSIZE;
	cipher = stream_cipher(k->suite, nonce, iv);
	if (!cipher)
		return -EINVAL;
	if (!len)
		return 0;
	ctx = EVP_CIPHER_CTX_new();
	if (!ctx)
		return -ENOMEM;
	if (EVP_EncryptInit_ex(ctx, cipher, NULL, k->key, iv) == 1 &&
	    EVP_EncryptUpdate(ctx, out, &outl, in, (int)len) == 1 &&
	    outl == (int)len &&
	    EVP_EncryptFinal_ex(ctx, scratch, &outl) == 1 && outl == 0)
		ret = 0;
	EVP_CIPHER_CTX_free(ctx);
	return ret;
}

static bool guarantee_valid(uint8_t g)
{
	return g == ANTIGONE_G_INTEGRITY || g == ANTIGONE_G_CONFIDENTIALITY ||
	       g == ANTIGONE_G_BOTH;
}

int wire_seal(const struct wire_key *k, uint8_t guarantee, uint32_t sender,
	      uint64_t seq, const uint8_t *payload, size_t len, uint8_t *out,
	      size_t outcap, size_t *outlen)
{
	struct antigone_hdr h = {
		.guarantee = guarantee,
		.epoch = k ? k->epoch : 0,
		.sender = sender,
		.seq = seq,
	};
	uint8_t nonce[ANTIGONE_NONCE_LEN];
	size_t taglen, need;
	uint8_t *body;
	int ret;

	if (!key_valid(k) || !k->epoch || !guarantee_valid(guarantee) ||
	    !seq || (len && !payload) || !out || !outlen)
		return -EINVAL;
	if (len > WIRE_PAYLOAD_MAX)
		return -EMSGSIZE;
	taglen = antigone_tag_len(guarantee);
	need = ANTIGONE_WIRE_HDR_LEN + len + taglen;
	if (outcap < need)
		return -ENOBUFS;

	antigone_hdr_pack(&h, out);
	antigone_nonce(sender, seq, nonce);
	body = out + ANTIGONE_WIRE_HDR_LEN;
	switch (guarantee) {
	case ANTIGONE_G_INTEGRITY:
		/* The tag covers header and clear payload, both in out. */
		if (len)
			memcpy(body, payload, len);
		ret = aead(k, 1, nonce, out, ANTIGONE_WIRE_HDR_LEN + len,
			   NULL, 0, NULL, body + len);
		break;
	case ANTIGONE_G_CONFIDENTIALITY:
		ret = wire_stream_xor(k, nonce, payload, len, body);
		break;
	default:
		ret = aead(k, 1, nonce, out, ANTIGONE_WIRE_HDR_LEN, payload,
			   len, body, body + len);
		break;
	}
	if (ret) {
		OPENSSL_cleanse(out, need);
		return ret;
	}
	*outlen = need;
	return 0;
}

int wire_open(const struct wire_key *k, const uint8_t *in, size_t len,
	      struct antigone_hdr *hdr, uint8_t *payload_out,
	      size_t *payload_len)
{
	uint8_t nonce[ANTIGONE_NONCE_LEN];
	const uint8_t *body, *tag;
	struct antigone_hdr h;
	size_t plen;
	int ret;

	if (!key_valid(k) || (len && !in) || !hdr || !payload_len)
		return -EINVAL;
	if (len > WIRE_DGRAM_MAX)
		return -EMSGSIZE;
	ret = antigone_hdr_parse(in, len, &h);
	if (ret)
		return ret;
	if (h.epoch != k->epoch)
		return -EKEYREJECTED;
	plen = len - ANTIGONE_WIRE_HDR_LEN - antigone_tag_len(h.guarantee);
	if (plen && !payload_out)
		return -EINVAL;
	body = in + ANTIGONE_WIRE_HDR_LEN;
	tag = body + plen;
	antigone_nonce(h.sender, h.seq, nonce);
	switch (h.guarantee) {
	case ANTIGONE_G_INTEGRITY:
		ret = wire_aead_open(k, nonce, in, ANTIGONE_WIRE_HDR_LEN + plen,
				     NULL, 0, NULL, tag);
		if (!ret && plen)
			memcpy(payload_out, body, plen);
		break;
	case ANTIGONE_G_CONFIDENTIALITY:
		/* Nothing to check: 7b is malleable by design. */
		ret = wire_stream_xor(k, nonce, body, plen, payload_out);
		break;
	default:
		ret = wire_aead_open(k, nonce, in, ANTIGONE_WIRE_HDR_LEN, body,
				     plen, payload_out, tag);
		break;
	}
	if (ret)
		return ret;
	*hdr = h;
	*payload_len = plen;
	return 0;
}

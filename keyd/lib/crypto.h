/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The primitives of the control protocol (docs/control-protocol.md,
 * "Primitives"), on OpenSSL's libcrypto EVP interfaces.
 *
 * Every function returns 0 or a negative errno and never prints: -EINVAL
 * (bad arguments), -EBADMSG (a tag, MAC or signature that does not verify),
 * -ENOMEM or -EIO (libcrypto failed). Identities are the 16-byte NUL-padded
 * form of the wire. Key material on the stack is wiped before returning;
 * callers wipe their own copies with crypto_wipe().
 */
#ifndef ANTIGONE_LIB_CRYPTO_H
#define ANTIGONE_LIB_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#define CRYPTO_ID_LEN		16	/* identity, one AES block */
#define CRYPTO_KEY_LEN		32	/* K_X, K_ttp, K_ch, SK */
#define CRYPTO_BLOCK_LEN	16	/* {X}K, pi, S_A */
#define CRYPTO_NONCE_LEN	12	/* AEAD nonce */
#define CRYPTO_TAG_LEN		16	/* AEAD tag */
#define CRYPTO_MAC_LEN		16	/* truncated HMAC-SHA256 */
#define CRYPTO_HMAC_LEN		32	/* full HMAC-SHA256 */
#define CRYPTO_SIG_LEN		64	/* Ed25519 signature */
#define CRYPTO_PUB_LEN		32	/* Ed25519 public key */
#define CRYPTO_SEED_LEN		32	/* Ed25519 private key */

/* {in}K: AES-256 of one 16-byte block, ECB, no padding. */
int crypto_block_encrypt(const uint8_t key[CRYPTO_KEY_LEN],
			 const uint8_t in[CRYPTO_BLOCK_LEN],
			 uint8_t out[CRYPTO_BLOCK_LEN]);

/* The TTP's pair key pi(SL,A) = {A}K_SL xor {SL}K_A. */
int crypto_pair_key(const uint8_t k_sl[CRYPTO_KEY_LEN],
		    const char sl[CRYPTO_ID_LEN],
		    const uint8_t k_a[CRYPTO_KEY_LEN],
		    const char a[CRYPTO_ID_LEN], uint8_t pi[CRYPTO_BLOCK_LEN]);
/* S_A as A computes it: {SL}K_A. */
int crypto_shared_member(const uint8_t k_a[CRYPTO_KEY_LEN],
			 const char sl[CRYPTO_ID_LEN],
			 uint8_t s_a[CRYPTO_BLOCK_LEN]);
/* S_A as SL computes it from the TTP's pair key: pi xor {A}K_SL. */
int crypto_shared_leader(const uint8_t k_sl[CRYPTO_KEY_LEN],
			 const char a[CRYPTO_ID_LEN],
			 const uint8_t pi[CRYPTO_BLOCK_LEN],
			 uint8_t s_a[CRYPTO_BLOCK_LEN]);

/* HKDF-SHA256 (RFC 5869); salt and info may be empty. out_len <= 8160. */
int crypto_hkdf_sha256(const uint8_t *ikm, size_t ikm_len,
		       const uint8_t *salt, size_t salt_len,
		       const uint8_t *info, size_t info_len,
		       uint8_t *out, size_t out_len);
/* K_ttp(X) = HKDF(ikm=K_X, salt="", info="antigone/1 ttp" || X). */
int crypto_k_ttp(const uint8_t k_x[CRYPTO_KEY_LEN],
		 const char x[CRYPTO_ID_LEN], uint8_t out[CRYPTO_KEY_LEN]);
/*
 * K_ch(SL,A,I0) = HKDF(ikm=S_A, salt=I0 (8 bytes, big endian),
 * info="antigone/1 channel" || SL || A).
 */
int crypto_k_ch(const uint8_t s_a[CRYPTO_BLOCK_LEN], uint64_t i0,
		const char sl[CRYPTO_ID_LEN], const char a[CRYPTO_ID_LEN],
		uint8_t out[CRYPTO_KEY_LEN]);

/*
 * ChaCha20-Poly1305 (RFC 8439). seal writes len bytes of ciphertext and
 * the 16-byte tag after them to ct (len + CRYPTO_TAG_LEN bytes); the plain
 * variant draws a fresh random nonce into nonce, seal_nonce takes one (for
 * known-answer tests: a nonce must never repeat under one key). open takes
 * ct_len = ciphertext + tag and writes ct_len - CRYPTO_TAG_LEN bytes;
 * -EBADMSG, and pt wiped, if the tag does not verify. pt may be ct
 * (in place); nothing else may overlap.
 */
int crypto_aead_seal(const uint8_t key[CRYPTO_KEY_LEN],
		     uint8_t nonce[CRYPTO_NONCE_LEN],
		     const uint8_t *aad, size_t aad_len,
		     const uint8_t *pt, size_t len, uint8_t *ct);
int crypto_aead_seal_nonce(const uint8_t key[CRYPTO_KEY_LEN],
			   const uint8_t nonce[CRYPTO_NONCE_LEN],
			   const uint8_t *aad, size_t aad_len,
			   const uint8_t *pt, size_t len, uint8_t *ct);
int crypto_aead_open(const uint8_t key[CRYPTO_KEY_LEN],
		     const uint8_t nonce[CRYPTO_NONCE_LEN],
		     const uint8_t *aad, size_t aad_len,
		     const uint8_t *ct, size_t ct_len, uint8_t *pt);

/* HMAC-SHA256, any key length (published vectors use other lengths). */
int crypto_hmac_sha256(const uint8_t *key, size_t key_len,
		       const uint8_t *msg, size_t len,
		       uint8_t out[CRYPTO_HMAC_LEN]);
/* HMAC-SHA256 under a 32-byte key, truncated to 16 bytes (message 8). */
int crypto_hmac16(const uint8_t key[CRYPTO_KEY_LEN], const uint8_t *msg,
		  size_t len, uint8_t mac[CRYPTO_MAC_LEN]);
/*
 * MAC_SK(x) = HMAC-SHA256(HKDF(ikm=SK, salt="", info="antigone/1 mac"), x)
 * truncated to 16 bytes (messages 6a-6c).
 */
int crypto_mac_sk(const uint8_t sk[CRYPTO_KEY_LEN], const uint8_t *msg,
		  size_t len, uint8_t mac[CRYPTO_MAC_LEN]);

/* Ed25519 (RFC 8032): the group key pair PuG/PrG, or a public key alone. */
struct crypto_sig_key;

int crypto_sig_generate(struct crypto_sig_key **key);
int crypto_sig_from_seed(const uint8_t seed[CRYPTO_SEED_LEN],
			 struct crypto_sig_key **key);
int crypto_sig_from_public(const uint8_t pub[CRYPTO_PUB_LEN],
			   struct crypto_sig_key **key);
int crypto_sig_public(const struct crypto_sig_key *key,
		      uint8_t pub[CRYPTO_PUB_LEN]);
/* -EINVAL if key holds only a public key. */
int crypto_sig_sign(const struct crypto_sig_key *key, const uint8_t *msg,
		    size_t len, uint8_t sig[CRYPTO_SIG_LEN]);
int crypto_sig_verify(const struct crypto_sig_key *key, const uint8_t *msg,
		      size_t len, const uint8_t sig[CRYPTO_SIG_LEN]);
/* Frees (and so wipes) the key; NULL is allowed. */
void crypto_sig_free(struct crypto_sig_key *key);

/* Random bytes from getrandom(2); nonces I0, I1, I2. */
int crypto_random(void *buf, size_t len);
int crypto_nonce64(uint64_t *nonce);

/* Constant time: 0 if a and b are equal, else -EBADMSG. */
int crypto_memeq(const void *a, const void *b, size_t len);
/* Wipes key material in a way the compiler cannot elide. */
void crypto_wipe(void *p, size_t len);
/*
 * Wipes this thread's cache of the last SK and its MAC key (crypto_mac_sk)
 * and the stack below the caller (copies in frames that are gone):
 * called when the keys they came from are freed, so no copy outlives them.
 */
void crypto_forget(void);

#endif

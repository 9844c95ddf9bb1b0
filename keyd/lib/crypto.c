// SPDX-License-Identifier: GPL-2.0
/*
 * The control protocol's primitives on libcrypto's EVP interfaces (AES
 * block, HKDF, HMAC, ChaCha20-Poly1305, Ed25519) and getrandom(2).
 *
 * A failing libcrypto call leaves entries on the thread's error queue; they
 * are cleared so that a flood of forged messages cannot grow it.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include "crypto.h"

static const char info_ttp[] = "antigone/1 ttp";
static const char info_channel[] = "antigone/1 channel";
static const char info_mac[] = "antigone/1 mac";

struct crypto_sig_key {
	EVP_PKEY *pkey;
	int has_private;
};

/* A libcrypto failure: -ENOMEM is only known for the allocators. */
static int lib_error(int err)
{
	ERR_clear_error();
	return err;
}

/*
 * The algorithms, fetched once: an implicit fetch on every call (a
 * provider lookup under a lock) cost more than the crypto itself for the
 * small messages here, once per member in a rekey (6c). NULL if libcrypto
 * lacks one: its functions then fail with -EIO.
 */
static pthread_once_t algs_once = PTHREAD_ONCE_INIT;
static EVP_CIPHER *alg_aes_ecb, *alg_chacha;
static EVP_KDF *alg_hkdf;
/* HMAC with its digest set and no key: each use starts from a copy. */
static EVP_MAC_CTX *alg_hmac_sha256;

static void algs_fetch(void)
{
	OSSL_PARAM params[2];
	EVP_MAC *hmac;

	alg_aes_ecb = EVP_CIPHER_fetch(NULL, "AES-256-ECB", NULL);
	alg_chacha = EVP_CIPHER_fetch(NULL, "ChaCha20-Poly1305", NULL);
	alg_hkdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
	hmac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	alg_hmac_sha256 = hmac ? EVP_MAC_CTX_new(hmac) : NULL;
	EVP_MAC_free(hmac);
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
						     (char *)"SHA256", 0);
	params[1] = OSSL_PARAM_construct_end();
	if (alg_hmac_sha256 &&
	    EVP_MAC_CTX_set_params(alg_hmac_sha256, params) != 1) {
		EVP_MAC_CTX_free(alg_hmac_sha256);
		alg_hmac_sha256 = NULL;
	}
	ERR_clear_error();
}

static void algs(void)
{
	pthread_once(&algs_once, algs_fetch);
}

void crypto_wipe(void *p, size_t len)
{
	OPENSSL_cleanse(p, len);
}

int crypto_memeq(const void *a, const void *b, size_t len)
{
	return CRYPTO_memcmp(a, b, len) ? -EBADMSG : 0;
}

int crypto_random(void *buf, size_t len)
{
	uint8_t *p = buf;

	while (len) {
		ssize_t n = getrandom(p, len, 0);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int crypto_nonce64(uint64_t *nonce)
{
	return crypto_random(nonce, sizeof(*nonce));
}

/*
 * Per-thread state on a page of its own, for the cost of 6c (a block, so
 * a nonce, per member, and a MAC per datagram, all under one SK):
 *
 * - AEAD nonces from getrandom(2) a page at a time: a system call per
 *   nonce was the largest cost. Nonces are public; what matters is that
 *   one never repeats under a key, so the page is wiped in a forked child
 *   (MADV_WIPEONFORK): left reads 0 there and the child draws its own.
 * - the MAC key of the last SK (MAC_SK's HKDF), as the datagrams of one
 *   6b or 6c all use it. The leader and members hold that SK anyway; the
 *   entry is replaced by the next SK's, wiped by crypto_forget() when a
 *   holder of keys is freed (view_free, member_free), and at thread and
 *   process exit.
 *
 * Without the page (no MADV_WIPEONFORK), every nonce is its own
 * getrandom(2) and every MAC its own HKDF.
 */
struct thread_state {
	size_t left;				/* of nonces[] */
	int mk_valid;
	uint8_t sk[CRYPTO_KEY_LEN], mk[CRYPTO_KEY_LEN];
	uint8_t nonces[4096 - 2 * sizeof(size_t) - 2 * CRYPTO_KEY_LEN];
};
_Static_assert(sizeof(struct thread_state) <= 4096, "one page");

static pthread_once_t state_once = PTHREAD_ONCE_INIT;
static pthread_key_t state_key;
static int state_ok;

static void state_free(void *p)
{
	OPENSSL_cleanse(p, sizeof(struct thread_state));
	munmap(p, sizeof(struct thread_state));
}

/* exit() runs no key destructor for the thread calling it. */
static void state_exit(void)
{
	struct thread_state *t = pthread_getspecific(state_key);

	if (t)
		OPENSSL_cleanse(t, sizeof(*t));
}

static void state_init(void)
{
	state_ok = !pthread_key_create(&state_key, state_free) &&
		   !atexit(state_exit);
}

static struct thread_state *state_get(void)
{
	struct thread_state *t;

	pthread_once(&state_once, state_init);
	if (!state_ok)
		return NULL;
	t = pthread_getspecific(state_key);
	if (t)
		return t;
	t = mmap(NULL, sizeof(*t), PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (t == MAP_FAILED)
		return NULL;
	if (madvise(t, sizeof(*t), MADV_WIPEONFORK) ||
	    pthread_setspecific(state_key, t)) {
		munmap(t, sizeof(*t));
		return NULL;
	}
	return t;
}

/*
 * Key bytes copied into stack frames that are gone (OpenSSL's key
 * schedules and HKDF blocks, our decoders' locals) stay where the next
 * calls may not reach. Overwrites the stack below the caller's frame.
 */
#define STACK_SCRUB_LEN (32 * 1024)

static __attribute__((noinline)) void stack_scrub(void)
{
	uint8_t pad[STACK_SCRUB_LEN];

	OPENSSL_cleanse(pad, sizeof(pad));
	__asm__ volatile("" : : "r"(pad) : "memory");
}

void crypto_forget(void)
{
	struct thread_state *t;

	stack_scrub();
	pthread_once(&state_once, state_init);
	t = state_ok ? pthread_getspecific(state_key) : NULL;
	if (!t)
		return;
	t->mk_valid = 0;
	OPENSSL_cleanse(t->sk, sizeof(t->sk));
	OPENSSL_cleanse(t->mk, sizeof(t->mk));
}

static int aead_nonce(uint8_t nonce[CRYPTO_NONCE_LEN])
{
	struct thread_state *t = state_get();
	int ret;

	if (!t)
		return crypto_random(nonce, CRYPTO_NONCE_LEN);
	if (t->left < CRYPTO_NONCE_LEN) {
		ret = crypto_random(t->nonces, sizeof(t->nonces));
		if (ret)
			return ret;
		t->left = sizeof(t->nonces);
	}
	memcpy(nonce, t->nonces + sizeof(t->nonces) - t->left,
	       CRYPTO_NONCE_LEN);
	t->left -= CRYPTO_NONCE_LEN;
	return 0;
}

/* ---- {X}K and Leighton-Micali -------------------------------------------- */

int crypto_block_encrypt(const uint8_t key[CRYPTO_KEY_LEN],
			 const uint8_t in[CRYPTO_BLOCK_LEN],
			 uint8_t out[CRYPTO_BLOCK_LEN])
{
	uint8_t scratch[EVP_MAX_BLOCK_LENGTH];
	EVP_CIPHER_CTX *ctx;
	int outl = 0, finl = 0, ret = -EIO;

	algs();
	if (!alg_aes_ecb)
		return lib_error(-EIO);
	ctx = EVP_CIPHER_CTX_new();
	if (!ctx)
		return lib_error(-ENOMEM);
	/* One block, so ECB is exactly the block cipher: no padding. */
	if (EVP_EncryptInit_ex2(ctx, alg_aes_ecb, key, NULL, NULL) == 1 &&
	    EVP_CIPHER_CTX_set_padding(ctx, 0) == 1 &&
	    EVP_EncryptUpdate(ctx, out, &outl, in, CRYPTO_BLOCK_LEN) == 1 &&
	    outl == CRYPTO_BLOCK_LEN &&
	    EVP_EncryptFinal_ex(ctx, scratch, &finl) == 1 && finl == 0)
		ret = 0;
	EVP_CIPHER_CTX_free(ctx);
	if (ret) {
		OPENSSL_cleanse(out, CRYPTO_BLOCK_LEN);
		return lib_error(ret);
	}
	return 0;
}

static void xor16(uint8_t *out, const uint8_t *a, const uint8_t *b)
{
	int i;

	for (i = 0; i < CRYPTO_BLOCK_LEN; i++)
		out[i] = a[i] ^ b[i];
}

int crypto_pair_key(const uint8_t k_sl[CRYPTO_KEY_LEN],
		    const char sl[CRYPTO_ID_LEN],
		    const uint8_t k_a[CRYPTO_KEY_LEN],
		    const char a[CRYPTO_ID_LEN], uint8_t pi[CRYPTO_BLOCK_LEN])
{
	uint8_t x[CRYPTO_BLOCK_LEN], y[CRYPTO_BLOCK_LEN];
	int ret;

	ret = crypto_block_encrypt(k_sl, (const uint8_t *)a, x);
	if (!ret)
		ret = crypto_block_encrypt(k_a, (const uint8_t *)sl, y);
	if (!ret)
		xor16(pi, x, y);
	OPENSSL_cleanse(x, sizeof(x));
	OPENSSL_cleanse(y, sizeof(y));
	return ret;
}

int crypto_shared_member(const uint8_t k_a[CRYPTO_KEY_LEN],
			 const char sl[CRYPTO_ID_LEN],
			 uint8_t s_a[CRYPTO_BLOCK_LEN])
{
	return crypto_block_encrypt(k_a, (const uint8_t *)sl, s_a);
}

int crypto_shared_leader(const uint8_t k_sl[CRYPTO_KEY_LEN],
			 const char a[CRYPTO_ID_LEN],
			 const uint8_t pi[CRYPTO_BLOCK_LEN],
			 uint8_t s_a[CRYPTO_BLOCK_LEN])
{
	uint8_t x[CRYPTO_BLOCK_LEN];
	int ret;

	ret = crypto_block_encrypt(k_sl, (const uint8_t *)a, x);
	if (!ret)
		xor16(s_a, pi, x);
	OPENSSL_cleanse(x, sizeof(x));
	return ret;
}

/* ---- HKDF and the derived keys ------------------------------------------- */

int crypto_hkdf_sha256(const uint8_t *ikm, size_t ikm_len,
		       const uint8_t *salt, size_t salt_len,
		       const uint8_t *info, size_t info_len,
		       uint8_t *out, size_t out_len)
{
	OSSL_PARAM params[5], *p = params;
	EVP_KDF_CTX *ctx;
	int ret = -EIO;

	/* HKDF's limit is 255 hash lengths of output. */
	if (!ikm || !ikm_len || !out || !out_len || out_len > 255 * 32 ||
	    (salt_len && !salt) || (info_len && !info))
		return -EINVAL;
	algs();
	if (!alg_hkdf)
		return lib_error(-EIO);
	ctx = EVP_KDF_CTX_new(alg_hkdf);
	if (!ctx)
		return lib_error(-ENOMEM);
	*p++ = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST,
						(char *)"SHA256", 0);
	*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY,
						 (void *)ikm, ikm_len);
	/* An empty salt is HashLen zero bytes (RFC 5869 2.2): the default. */
	if (salt_len)
		*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT,
							 (void *)salt,
							 salt_len);
	if (info_len)
		*p++ = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO,
							 (void *)info,
							 info_len);
	*p = OSSL_PARAM_construct_end();
	if (EVP_KDF_derive(ctx, out, out_len, params) == 1)
		ret = 0;
	EVP_KDF_CTX_free(ctx);
	if (ret) {
		OPENSSL_cleanse(out, out_len);
		return lib_error(ret);
	}
	return 0;
}

/* info = label (without its NUL) || the given 16-byte identities. */
static size_t make_info(uint8_t *info, const char *label, const char *x,
			const char *y)
{
	size_t n = strlen(label);

	memcpy(info, label, n);
	memcpy(info + n, x, CRYPTO_ID_LEN);
	n += CRYPTO_ID_LEN;
	if (y) {
		memcpy(info + n, y, CRYPTO_ID_LEN);
		n += CRYPTO_ID_LEN;
	}
	return n;
}

int crypto_k_ttp(const uint8_t k_x[CRYPTO_KEY_LEN],
		 const char x[CRYPTO_ID_LEN], uint8_t out[CRYPTO_KEY_LEN])
{
	uint8_t info[sizeof(info_ttp) + CRYPTO_ID_LEN];
	size_t n = make_info(info, info_ttp, x, NULL);

	return crypto_hkdf_sha256(k_x, CRYPTO_KEY_LEN, NULL, 0, info, n, out,
				  CRYPTO_KEY_LEN);
}

int crypto_k_ch(const uint8_t s_a[CRYPTO_BLOCK_LEN], uint64_t i0,
		const char sl[CRYPTO_ID_LEN], const char a[CRYPTO_ID_LEN],
		uint8_t out[CRYPTO_KEY_LEN])
{
	uint8_t info[sizeof(info_channel) + 2 * CRYPTO_ID_LEN], salt[8];
	size_t n = make_info(info, info_channel, sl, a);
	int i;

	for (i = 0; i < 8; i++)
		salt[i] = (uint8_t)(i0 >> (56 - 8 * i));
	return crypto_hkdf_sha256(s_a, CRYPTO_BLOCK_LEN, salt, sizeof(salt),
				  info, n, out, CRYPTO_KEY_LEN);
}

/* ---- ChaCha20-Poly1305 --------------------------------------------------- */

static int aead(int enc, const uint8_t *key, const uint8_t *nonce,
		const uint8_t *aad, size_t aad_len, const uint8_t *in,
		size_t len, uint8_t *out, uint8_t *tag)
{
	uint8_t scratch[EVP_MAX_BLOCK_LENGTH];
	EVP_CIPHER_CTX *ctx;
	int outl, ret = -EIO;

	if (len > INT_MAX || aad_len > INT_MAX || (len && (!in || !out)) ||
	    (aad_len && !aad))
		return -EINVAL;
	algs();
	if (!alg_chacha)
		return lib_error(-EIO);
	ctx = EVP_CIPHER_CTX_new();
	if (!ctx)
		return lib_error(-ENOMEM);
	/* 12 bytes is the cipher's one nonce length (RFC 8439): no ctrl. */
	if (EVP_CIPHER_get_iv_length(alg_chacha) != CRYPTO_NONCE_LEN ||
	    EVP_CipherInit_ex2(ctx, alg_chacha, key, nonce, enc, NULL) != 1)
		goto out;
	if (aad_len && EVP_CipherUpdate(ctx, NULL, &outl, aad,
					(int)aad_len) != 1)
		goto out;
	if (len && (EVP_CipherUpdate(ctx, out, &outl, in, (int)len) != 1 ||
		    (size_t)outl != len))
		goto out;
	if (!enc && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG,
					CRYPTO_TAG_LEN, tag) != 1)
		goto out;
	if (EVP_CipherFinal_ex(ctx, scratch, &outl) != 1 || outl != 0) {
		/* Only a wrong tag makes the final step of opening fail. */
		ret = enc ? -EIO : -EBADMSG;
		goto out;
	}
	if (enc && EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG,
				       CRYPTO_TAG_LEN, tag) != 1)
		goto out;
	ret = 0;
out:
	EVP_CIPHER_CTX_free(ctx);
	if (ret) {
		/* Never hand out unauthenticated plaintext. */
		if (len && out)
			OPENSSL_cleanse(out, len);
		return lib_error(ret);
	}
	return 0;
}

int crypto_aead_seal_nonce(const uint8_t key[CRYPTO_KEY_LEN],
			   const uint8_t nonce[CRYPTO_NONCE_LEN],
			   const uint8_t *aad, size_t aad_len,
			   const uint8_t *pt, size_t len, uint8_t *ct)
{
	if (!ct)
		return -EINVAL;
	return aead(1, key, nonce, aad, aad_len, pt, len, ct, ct + len);
}

int crypto_aead_seal(const uint8_t key[CRYPTO_KEY_LEN],
		     uint8_t nonce[CRYPTO_NONCE_LEN],
		     const uint8_t *aad, size_t aad_len,
		     const uint8_t *pt, size_t len, uint8_t *ct)
{
	int ret = aead_nonce(nonce);

	if (ret)
		return ret;
	return crypto_aead_seal_nonce(key, nonce, aad, aad_len, pt, len, ct);
}

int crypto_aead_open(const uint8_t key[CRYPTO_KEY_LEN],
		     const uint8_t nonce[CRYPTO_NONCE_LEN],
		     const uint8_t *aad, size_t aad_len,
		     const uint8_t *ct, size_t ct_len, uint8_t *pt)
{
	uint8_t tag[CRYPTO_TAG_LEN];
	size_t len;

	if (!ct || ct_len < CRYPTO_TAG_LEN)
		return -EINVAL;
	len = ct_len - CRYPTO_TAG_LEN;
	/* A copy: EVP takes the expected tag through a non-const pointer. */
	memcpy(tag, ct + len, CRYPTO_TAG_LEN);
	return aead(0, key, nonce, aad, aad_len, ct, len, pt, tag);
}

/* ---- HMAC and MAC_SK ----------------------------------------------------- */

int crypto_hmac_sha256(const uint8_t *key, size_t key_len,
		       const uint8_t *msg, size_t len,
		       uint8_t out[CRYPTO_HMAC_LEN])
{
	EVP_MAC_CTX *ctx;
	size_t outl = 0;
	int ret = -EIO;

	if (!key || !key_len || (len && !msg))
		return -EINVAL;
	algs();
	if (!alg_hmac_sha256)
		return lib_error(-EIO);
	ctx = EVP_MAC_CTX_dup(alg_hmac_sha256);
	if (!ctx)
		return lib_error(-ENOMEM);
	if (EVP_MAC_init(ctx, key, key_len, NULL) == 1 &&
	    (!len || EVP_MAC_update(ctx, msg, len) == 1) &&
	    EVP_MAC_final(ctx, out, &outl, CRYPTO_HMAC_LEN) == 1 &&
	    outl == CRYPTO_HMAC_LEN)
		ret = 0;
	EVP_MAC_CTX_free(ctx);
	if (ret) {
		OPENSSL_cleanse(out, CRYPTO_HMAC_LEN);
		return lib_error(ret);
	}
	return 0;
}

int crypto_hmac16(const uint8_t key[CRYPTO_KEY_LEN], const uint8_t *msg,
		  size_t len, uint8_t mac[CRYPTO_MAC_LEN])
{
	uint8_t full[CRYPTO_HMAC_LEN];
	int ret;

	ret = crypto_hmac_sha256(key, CRYPTO_KEY_LEN, msg, len, full);
	if (!ret)
		memcpy(mac, full, CRYPTO_MAC_LEN);
	OPENSSL_cleanse(full, sizeof(full));
	return ret;
}

int crypto_mac_sk(const uint8_t sk[CRYPTO_KEY_LEN], const uint8_t *msg,
		  size_t len, uint8_t mac[CRYPTO_MAC_LEN])
{
	struct thread_state *t = state_get();
	uint8_t mk[CRYPTO_KEY_LEN];
	int ret;

	if (!sk)
		return -EINVAL;
	if (t && t->mk_valid && !CRYPTO_memcmp(t->sk, sk, CRYPTO_KEY_LEN))
		return crypto_hmac16(t->mk, msg, len, mac);
	/* Its own key: SK itself also keys the data AEAD in the kernel. */
	ret = crypto_hkdf_sha256(sk, CRYPTO_KEY_LEN, NULL, 0,
				 (const uint8_t *)info_mac, strlen(info_mac),
				 mk, sizeof(mk));
	if (!ret)
		ret = crypto_hmac16(mk, msg, len, mac);
	if (!ret && t) {
		memcpy(t->sk, sk, CRYPTO_KEY_LEN);
		memcpy(t->mk, mk, CRYPTO_KEY_LEN);
		t->mk_valid = 1;
	}
	OPENSSL_cleanse(mk, sizeof(mk));
	return ret;
}

/* ---- Ed25519 ------------------------------------------------------------- */

static int sig_wrap(EVP_PKEY *pkey, int has_private,
		    struct crypto_sig_key **key)
{
	struct crypto_sig_key *k;

	if (!pkey)
		return lib_error(-EIO);
	k = calloc(1, sizeof(*k));
	if (!k) {
		EVP_PKEY_free(pkey);
		return -ENOMEM;
	}
	k->pkey = pkey;
	k->has_private = has_private;
	*key = k;
	return 0;
}

int crypto_sig_generate(struct crypto_sig_key **key)
{
	EVP_PKEY_CTX *ctx;
	EVP_PKEY *pkey = NULL;

	if (!key)
		return -EINVAL;
	ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, NULL);
	if (!ctx)
		return lib_error(-ENOMEM);
	if (EVP_PKEY_keygen_init(ctx) != 1 || EVP_PKEY_keygen(ctx, &pkey) != 1)
		pkey = NULL;
	EVP_PKEY_CTX_free(ctx);
	return sig_wrap(pkey, 1, key);
}

int crypto_sig_from_seed(const uint8_t seed[CRYPTO_SEED_LEN],
			 struct crypto_sig_key **key)
{
	if (!seed || !key)
		return -EINVAL;
	return sig_wrap(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL,
						     seed, CRYPTO_SEED_LEN),
			1, key);
}

int crypto_sig_from_public(const uint8_t pub[CRYPTO_PUB_LEN],
			   struct crypto_sig_key **key)
{
	if (!pub || !key)
		return -EINVAL;
	return sig_wrap(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL,
						    pub, CRYPTO_PUB_LEN),
			0, key);
}

int crypto_sig_public(const struct crypto_sig_key *key,
		      uint8_t pub[CRYPTO_PUB_LEN])
{
	size_t len = CRYPTO_PUB_LEN;

	if (!key || !pub)
		return -EINVAL;
	if (EVP_PKEY_get_raw_public_key(key->pkey, pub, &len) != 1 ||
	    len != CRYPTO_PUB_LEN)
		return lib_error(-EIO);
	return 0;
}

int crypto_sig_sign(const struct crypto_sig_key *key, const uint8_t *msg,
		    size_t len, uint8_t sig[CRYPTO_SIG_LEN])
{
	size_t siglen = CRYPTO_SIG_LEN;
	EVP_MD_CTX *ctx;
	int ret = -EIO;

	if (!key || !key->has_private || (len && !msg) || !sig)
		return -EINVAL;
	ctx = EVP_MD_CTX_new();
	if (!ctx)
		return lib_error(-ENOMEM);
	/* Pure Ed25519: no digest, one shot. */
	if (EVP_DigestSignInit(ctx, NULL, NULL, NULL, key->pkey) == 1 &&
	    EVP_DigestSign(ctx, sig, &siglen, msg, len) == 1 &&
	    siglen == CRYPTO_SIG_LEN)
		ret = 0;
	EVP_MD_CTX_free(ctx);
	return ret ? lib_error(ret) : 0;
}

int crypto_sig_verify(const struct crypto_sig_key *key, const uint8_t *msg,
		      size_t len, const uint8_t sig[CRYPTO_SIG_LEN])
{
	EVP_MD_CTX *ctx;
	int ret = -EIO, r;

	if (!key || (len && !msg) || !sig)
		return -EINVAL;
	ctx = EVP_MD_CTX_new();
	if (!ctx)
		return lib_error(-ENOMEM);
	if (EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, key->pkey) == 1) {
		r = EVP_DigestVerify(ctx, sig, CRYPTO_SIG_LEN, msg, len);
		/* 0: a wrong signature; below 0: a malformed one. */
		ret = r == 1 ? 0 : -EBADMSG;
	}
	EVP_MD_CTX_free(ctx);
	return ret ? lib_error(ret) : 0;
}

void crypto_sig_free(struct crypto_sig_key *key)
{
	if (!key)
		return;
	/* EVP_PKEY_free clears the private key itself. */
	EVP_PKEY_free(key->pkey);
	OPENSSL_cleanse(key, sizeof(*key));
	free(key);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Session keys and the per-datagram crypto (wire format in wire.h):
 *   7c: AEAD, header as associated data, payload encrypted;
 *   7a: the same AEAD over an empty plaintext, header || payload as
 *       associated data (GMAC / Poly1305 only);
 *   7b: the AEAD's own keystream for the nonce (CTR from block 2 for GCM,
 *       ChaCha20 from block 1), no tag: secrecy without integrity.
 *
 * Transforms are synchronous (CRYPTO_ALG_ASYNC masked out): the datapath
 * runs them inline in the netfilter hooks and encap_rcv, with one request
 * per CPU preallocated per key, so nothing is allocated per datagram. The
 * requests are kmalloc'd, not per-CPU memory: templates such as gcm build
 * scatterlists into their request context, and per-CPU chunks may be
 * vmalloc'd, which a scatterlist cannot point at.
 *
 * Fast AES: a synchronous "gcm(aes)" on x86 is the gcm template over one
 * AES-NI block per call and a table GHASH (5-14x slower than AES-NI GCM);
 * the AES-NI GCM is registered only as an internal algorithm that the
 * async simd wrapper calls when the FPU is usable, else it queues to
 * cryptd. A key therefore holds both: the internal SIMD transform
 * ("__gcm(aes)", "__ctr(aes)"), used when crypto_simd_usable() says so,
 * exactly as crypto/simd.c decides, and the generic one for the rest (an
 * interrupt that found the FPU busy). Both are synchronous, so a datagram
 * never waits and per-sender order holds; the internal code takes the FPU
 * itself. ChaCha20-Poly1305's generic template already runs on the SIMD
 * ChaCha20 and Poly1305 drivers. simd=0 keeps new keys on the generic
 * transforms (to measure both in one run).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <crypto/aead.h>
#include <crypto/skcipher.h>
#include <linux/percpu.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>

#include <asm/simd.h>
#include <crypto/internal/simd.h>
#include <linux/module.h>

#include "key.h"

static bool simd = true;
module_param(simd, bool, 0644);
MODULE_PARM_DESC(simd, "Use the AES-NI (SIMD) AES-GCM and AES-CTR for keys installed from now on, with the generic transforms as fallback when the FPU is not usable (default Y)");

struct suite_algs {
	const char *aead;
	const char *stream;
	const char *aead_simd;		/* internal SIMD transform, or NULL */
	const char *stream_simd;
	unsigned int key_len;
	u32 stream_ctr;			/* first keystream block of the AEAD */
	bool ctr_le_first;		/* ChaCha20 IV: le32 counter || nonce */
};

static const struct suite_algs suites[] = {
	[ANTIGONE_SUITE_AES128_GCM] = { "gcm(aes)", "ctr(aes)", "__gcm(aes)",
					"__ctr(aes)", 16, 2, false },
	[ANTIGONE_SUITE_AES256_GCM] = { "gcm(aes)", "ctr(aes)", "__gcm(aes)",
					"__ctr(aes)", 32, 2, false },
	[ANTIGONE_SUITE_CHACHA20_POLY1305] = {
		"rfc7539(chacha20,poly1305)", "chacha20", NULL, NULL, 32, 1,
		true },
};

unsigned int antigone_suite_key_len(u8 suite)
{
	if (suite < ANTIGONE_SUITE_AES128_GCM ||
	    suite > ANTIGONE_SUITE_CHACHA20_POLY1305)
		return 0;
	return suites[suite].key_len;
}

/* One CPU's request area: big enough for either transform's request. */
struct scratch {
	u8 iv[16];
	struct scatterlist sg;
	union {
		struct aead_request aead;
		struct skcipher_request stream;
	} req;
	/* followed by the transforms' request contexts */
};

static void scratch_free(struct antigone_key *k)
{
	int cpu;

	if (!k->scratch)
		return;
	/* Request contexts held keystream and hash state: wipe them. */
	for_each_possible_cpu(cpu)
		kfree_sensitive(*per_cpu_ptr(k->scratch, cpu));
	free_percpu(k->scratch);
	k->scratch = NULL;
}

static int scratch_alloc(struct antigone_key *k, size_t size)
{
	int cpu;

	k->scratch = alloc_percpu_gfp(struct scratch *, GFP_KERNEL_ACCOUNT);
	if (!k->scratch)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		struct scratch *s = kzalloc_node(size, GFP_KERNEL_ACCOUNT,
						 cpu_to_node(cpu));

		if (!s) {
			scratch_free(k);
			return -ENOMEM;
		}
		*per_cpu_ptr(k->scratch, cpu) = s;
	}
	return 0;
}

static void key_free_work(struct work_struct *work)
{
	struct antigone_key *k = container_of(to_rcu_work(work),
					      struct antigone_key, free_work);

	/* crypto_free_* wipe the key schedules (kfree_sensitive). */
	crypto_free_aead(k->aead);
	crypto_free_skcipher(k->stream);
	crypto_free_aead(k->aead_simd);
	crypto_free_skcipher(k->stream_simd);
	scratch_free(k);
	kfree_sensitive(k);
}

void antigone_key_free_rcu(struct antigone_key *k)
{
	if (!k)
		return;
	INIT_RCU_WORK(&k->free_work, key_free_work);
	queue_rcu_work(antigone_wq, &k->free_work);
}

/*
 * The internal SIMD transforms of @alg, keyed, or none (NULL): not x86,
 * no AES-NI, simd=0, or a failure, all of which leave the generic ones.
 */
static void simd_alloc(struct antigone_key *k, const struct suite_algs *alg,
		       const u8 *bytes, unsigned int len)
{
	struct crypto_skcipher *stream;
	struct crypto_aead *aead;

	if (!alg->aead_simd || !READ_ONCE(simd))
		return;
	aead = crypto_alloc_aead(alg->aead_simd, CRYPTO_ALG_INTERNAL,
				 CRYPTO_ALG_INTERNAL | CRYPTO_ALG_ASYNC);
	if (IS_ERR(aead))
		return;
	stream = crypto_alloc_skcipher(alg->stream_simd, CRYPTO_ALG_INTERNAL,
				       CRYPTO_ALG_INTERNAL | CRYPTO_ALG_ASYNC);
	if (IS_ERR(stream))
		goto free_aead;
	if (crypto_aead_setkey(aead, bytes, len) ||
	    crypto_aead_setauthsize(aead, ANTIGONE_WIRE_TAG_LEN) ||
	    crypto_skcipher_setkey(stream, bytes, len))
		goto free_both;
	k->aead_simd = aead;
	k->stream_simd = stream;
	return;
free_both:
	crypto_free_skcipher(stream);
free_aead:
	crypto_free_aead(aead);
}

const char *antigone_key_driver(const struct antigone_key *k)
{
	return crypto_tfm_alg_driver_name(crypto_aead_tfm(k->aead_simd ?
							  k->aead_simd :
							  k->aead));
}

const char *antigone_key_fallback_driver(const struct antigone_key *k)
{
	return crypto_tfm_alg_driver_name(crypto_aead_tfm(k->aead));
}

struct antigone_key *antigone_key_create(u8 suite, u32 epoch, u32 tx_sender,
					 const u8 *bytes, unsigned int len,
					 unsigned int lifetime_ms)
{
	const struct suite_algs *alg;
	struct antigone_key *k;
	unsigned int reqsize;
	int ret;

	if (!antigone_suite_key_len(suite) || len != suites[suite].key_len)
		return ERR_PTR(-EINVAL);
	alg = &suites[suite];

	k = kzalloc(sizeof(*k), GFP_KERNEL_ACCOUNT);
	if (!k)
		return ERR_PTR(-ENOMEM);
	k->epoch = epoch;
	k->tx_sender = tx_sender;
	k->suite = suite;
	atomic64_set(&k->tx_seq, 0);
	if (lifetime_ms) {
		k->has_expiry = true;
		k->expires = jiffies + msecs_to_jiffies(lifetime_ms);
	}

	k->aead = crypto_alloc_aead(alg->aead, 0, CRYPTO_ALG_ASYNC);
	if (IS_ERR(k->aead)) {
		ret = PTR_ERR(k->aead);
		k->aead = NULL;
		goto err;
	}
	k->stream = crypto_alloc_skcipher(alg->stream, 0, CRYPTO_ALG_ASYNC);
	if (IS_ERR(k->stream)) {
		ret = PTR_ERR(k->stream);
		k->stream = NULL;
		goto err;
	}
	ret = crypto_aead_setkey(k->aead, bytes, len);
	if (!ret)
		ret = crypto_aead_setauthsize(k->aead, ANTIGONE_WIRE_TAG_LEN);
	if (!ret)
		ret = crypto_skcipher_setkey(k->stream, bytes, len);
	if (ret)
		goto err;
	simd_alloc(k, alg, bytes, len);

	reqsize = max(crypto_aead_reqsize(k->aead),
		      crypto_skcipher_reqsize(k->stream));
	if (k->aead_simd)
		reqsize = max3(reqsize, crypto_aead_reqsize(k->aead_simd),
			       crypto_skcipher_reqsize(k->stream_simd));
	ret = scratch_alloc(k, sizeof(struct scratch) + reqsize);
	if (ret)
		goto err;
	return k;

err:
	scratch_free(k);
	crypto_free_aead(k->aead);
	crypto_free_skcipher(k->stream);
	crypto_free_aead(k->aead_simd);
	crypto_free_skcipher(k->stream_simd);
	kfree_sensitive(k);
	return ERR_PTR(ret);
}

static void stream_iv(const struct antigone_key *k, const u8 *nonce, u8 *iv)
{
	const struct suite_algs *alg = &suites[k->suite];

	if (alg->ctr_le_first) {
		iv[0] = alg->stream_ctr;
		iv[1] = 0;
		iv[2] = 0;
		iv[3] = 0;
		memcpy(iv + 4, nonce, ANTIGONE_NONCE_LEN);
	} else {
		memcpy(iv, nonce, ANTIGONE_NONCE_LEN);
		iv[12] = 0;
		iv[13] = 0;
		iv[14] = 0;
		iv[15] = alg->stream_ctr;
	}
}

static int stream_crypt(struct antigone_key *k, struct scratch *s,
			const u8 *nonce, u8 *body, unsigned int len, bool seal)
{
	struct skcipher_request *req = &s->req.stream;
	int ret;

	stream_iv(k, nonce, s->iv);
	sg_init_one(&s->sg, body, len);
	skcipher_request_set_tfm(req, k->stream_simd && crypto_simd_usable() ?
				 k->stream_simd : k->stream);
	skcipher_request_set_callback(req, 0, NULL, NULL);
	skcipher_request_set_crypt(req, &s->sg, &s->sg, len, s->iv);
	ret = seal ? crypto_skcipher_encrypt(req) : crypto_skcipher_decrypt(req);
	memzero_explicit(s->iv, sizeof(s->iv));
	return ret;
}

/* wire: header || body (len bytes) || tag, one linear buffer. */
static int aead_crypt(struct antigone_key *k, struct scratch *s,
		      const struct antigone_hdr *h, const u8 *nonce, u8 *wire,
		      unsigned int len, bool seal)
{
	struct aead_request *req = &s->req.aead;
	unsigned int assoc = ANTIGONE_WIRE_HDR_LEN, cryptlen = len;

	if (h->guarantee == ANTIGONE_G_INTEGRITY) {
		assoc += len;
		cryptlen = 0;
	}
	if (!seal)
		cryptlen += ANTIGONE_WIRE_TAG_LEN;
	memcpy(s->iv, nonce, ANTIGONE_NONCE_LEN);
	sg_init_one(&s->sg, wire,
		    ANTIGONE_WIRE_HDR_LEN + len + ANTIGONE_WIRE_TAG_LEN);
	/* As crypto/simd.c: the SIMD code only where the FPU is usable. */
	aead_request_set_tfm(req, k->aead_simd && crypto_simd_usable() ?
			     k->aead_simd : k->aead);
	aead_request_set_callback(req, 0, NULL, NULL);
	aead_request_set_ad(req, assoc);
	aead_request_set_crypt(req, &s->sg, &s->sg, cryptlen, s->iv);
	return seal ? crypto_aead_encrypt(req) : crypto_aead_decrypt(req);
}

/* Callers keep BH disabled: the scratch area is this CPU's. */
static int crypt(struct antigone_key *k, const struct antigone_hdr *h,
		 u8 *wire, unsigned int len, bool seal)
{
	struct scratch *s = *this_cpu_ptr(k->scratch);
	u8 nonce[ANTIGONE_NONCE_LEN];

	antigone_nonce(h->sender, h->seq, nonce);
	if (h->guarantee == ANTIGONE_G_CONFIDENTIALITY)
		return stream_crypt(k, s, nonce, wire + ANTIGONE_WIRE_HDR_LEN,
				    len, seal);
	return aead_crypt(k, s, h, nonce, wire, len, seal);
}

int antigone_key_seal(struct antigone_key *k, const struct antigone_hdr *h,
		      u8 *wire, unsigned int len)
{
	return crypt(k, h, wire, len, true);
}

int antigone_key_open(struct antigone_key *k, const struct antigone_hdr *h,
		      u8 *wire, unsigned int len)
{
	return crypt(k, h, wire, len, false);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Model of gcm_base(ctr(aes-aesni),ghash-generic), what a synchronous
 * "gcm(aes)" resolves to on Debian's 6.1 kernel, and what the module
 * uses when it may not use the AES-NI GCM (simd=0, or crypto_simd_usable()
 * false).
 *
 * The per-datagram flow is that of crypto/gcm.c crypto_gcm_encrypt() with
 * the request's scatterlists replaced by the one linear buffer the module
 * passes (kmod/key.c aead_crypt):
 *   1. crypto_gcm_init_common(): auth_tag = 0, iv = J0 = nonce || be32(1);
 *   2. the ctr(aes-aesni) skcipher over auth_tag (16 bytes) || body, in
 *      place: crypto/ctr.c crypto_ctr_crypt() one walk step per
 *      scatterlist entry, crypto_ctr_crypt_inplace() calling the cipher's
 *      cia_encrypt (aes-aesni: aesni_encrypt(), kernel_fpu_begin(),
 *      aesni_enc() of aesni-intel_asm.S, kernel_fpu_end()) through a
 *      function pointer once per 16-byte block, crypto_xor(), crypto_inc();
 *      the tail by crypto_ctr_crypt_final(). auth_tag becomes E(K, J0);
 *   3. gcm_hash(): the ghash ahash, i.e. ghash-generic's shash compiled
 *      from crypto/ghash-generic.c, gf128mul_4k_lle() from
 *      crypto/gf128mul.c: init, AAD, zero pad, ciphertext, zero pad,
 *      finup(lengths);
 *   4. gcm_enc_copy_hash(): tag = E(K, J0) xor GHASH, copied after the body.
 * Setkey as crypto_gcm_setkey(): the cipher key (aesni_set_key), then
 * H = ctr(0^128 at counter 0) and ghash setkey (the 4k table) once.
 *
 * Not modelled: the skcipher and hash walks over the scatterlists and the
 * request setup of the templates (sg_init_table, scatterwalk_ffwd, ...),
 * the kernel's return thunks and retpolines on each of the calls above.
 */
#include <crypto/aes.h>
#include <crypto/algapi.h>
#include <crypto/ghash.h>
#include <crypto/internal/hash.h>
#include <crypto/internal/simd.h>
#include <linux/slab.h>

#include "model.h"

/* ---- aes-aesni (arch/x86/crypto/aesni-intel_glue.c) ------------------- */

#define AESNI_ALIGN	16
#define CRYPTO_AES_CTX_SIZE (sizeof(struct crypto_aes_ctx) + AESNI_ALIGN - 1)

asmlinkage int aesni_set_key(struct crypto_aes_ctx *ctx, const u8 *in_key,
			     unsigned int key_len);
asmlinkage void aesni_enc(const void *ctx, u8 *out, const u8 *in);

static inline struct crypto_aes_ctx *aes_ctx(void *raw_ctx)
{
	unsigned long addr = (unsigned long)raw_ctx;
	unsigned long align = AESNI_ALIGN;

	if (align <= crypto_tfm_ctx_alignment())
		align = 1;
	return (struct crypto_aes_ctx *)ALIGN(addr, align);
}

static int aes_set_key_common(struct crypto_tfm *tfm, void *raw_ctx,
			      const u8 *in_key, unsigned int key_len)
{
	struct crypto_aes_ctx *ctx = aes_ctx(raw_ctx);
	int err;

	(void)tfm;
	if (key_len != AES_KEYSIZE_128 && key_len != AES_KEYSIZE_192 &&
	    key_len != AES_KEYSIZE_256)
		return -EINVAL;

	if (!crypto_simd_usable())
		err = aes_expandkey(ctx, in_key, key_len);
	else {
		kernel_fpu_begin();
		err = aesni_set_key(ctx, in_key, key_len);
		kernel_fpu_end();
	}

	return err;
}

static int aes_set_key(struct crypto_tfm *tfm, const u8 *in_key,
		       unsigned int key_len)
{
	return aes_set_key_common(tfm, crypto_tfm_ctx(tfm), in_key, key_len);
}

static void aesni_encrypt(struct crypto_tfm *tfm, u8 *dst, const u8 *src)
{
	struct crypto_aes_ctx *ctx = aes_ctx(crypto_tfm_ctx(tfm));

	if (!crypto_simd_usable()) {
		aes_encrypt(ctx, dst, src);
	} else {
		kernel_fpu_begin();
		aesni_enc(ctx, dst, src);
		kernel_fpu_end();
	}
}

static struct crypto_alg aesni_cipher_alg = {
	.cra_name		= "aes",
	.cra_driver_name	= "aes-aesni",
	.cra_priority		= 300,
	.cra_blocksize		= AES_BLOCK_SIZE,
	.cra_ctxsize		= CRYPTO_AES_CTX_SIZE,
	.cra_cipher = {
		.cia_min_keysize	= AES_MIN_KEY_SIZE,
		.cia_max_keysize	= AES_MAX_KEY_SIZE,
		.cia_setkey		= aes_set_key,
		.cia_encrypt		= aesni_encrypt,
	},
};

/* ---- ctr (crypto/ctr.c) ----------------------------------------------- */

/* One step of the skcipher walk: a virtually contiguous piece. */
struct ctr_walk {
	u8 *addr;		/* src == dst: the request is in place */
	unsigned int nbytes;
	u8 *iv;
};

static void crypto_ctr_crypt_final(struct ctr_walk *walk,
				   struct crypto_cipher *tfm)
{
	unsigned int bsize = crypto_cipher_blocksize(tfm);
	unsigned long alignmask = crypto_cipher_alignmask(tfm);
	u8 *ctrblk = walk->iv;
	u8 tmp[MAX_CIPHER_BLOCKSIZE + MAX_CIPHER_ALIGNMASK];
	u8 *keystream = PTR_ALIGN(tmp + 0, alignmask + 1);
	u8 *src = walk->addr;
	u8 *dst = walk->addr;
	unsigned int nbytes = walk->nbytes;

	crypto_cipher_encrypt_one(tfm, keystream, ctrblk);
	crypto_xor_cpy(dst, keystream, src, nbytes);

	crypto_inc(ctrblk, bsize);
}

static int crypto_ctr_crypt_inplace(struct ctr_walk *walk,
				    struct crypto_cipher *tfm)
{
	void (*fn)(struct crypto_tfm *, u8 *, const u8 *) =
		   crypto_cipher_alg(tfm)->cia_encrypt;
	unsigned int bsize = crypto_cipher_blocksize(tfm);
	unsigned long alignmask = crypto_cipher_alignmask(tfm);
	unsigned int nbytes = walk->nbytes;
	u8 *ctrblk = walk->iv;
	u8 *src = walk->addr;
	u8 tmp[MAX_CIPHER_BLOCKSIZE + MAX_CIPHER_ALIGNMASK];
	u8 *keystream = PTR_ALIGN(tmp + 0, alignmask + 1);

	do {
		/* create keystream */
		fn(crypto_cipher_tfm(tfm), keystream, ctrblk);
		crypto_xor(src, keystream, bsize);

		/* increment counter in counterblock */
		crypto_inc(ctrblk, bsize);

		src += bsize;
	} while ((nbytes -= bsize) >= bsize);

	return nbytes;
}

struct buf {
	u8 *addr;
	unsigned int len;
};

/* crypto_ctr_crypt() over an in-place request of nsg linear pieces. */
static noinline int crypto_ctr_crypt(struct crypto_cipher *cipher,
				     const struct buf *sg, unsigned int nsg,
				     u8 *iv)
{
	const unsigned int bsize = crypto_cipher_blocksize(cipher);
	struct ctr_walk walk = { .iv = iv };
	unsigned int i, nbytes;

	for (i = 0; i < nsg; i++) {
		walk.addr = sg[i].addr;
		walk.nbytes = sg[i].len;
		while (walk.nbytes >= bsize) {
			nbytes = crypto_ctr_crypt_inplace(&walk, cipher);
			/* skcipher_walk_done(&walk, nbytes) */
			walk.addr += walk.nbytes - nbytes;
			walk.nbytes = nbytes;
		}
		if (walk.nbytes)
			crypto_ctr_crypt_final(&walk, cipher);
	}
	return 0;
}

/* ---- gcm (crypto/gcm.c) ----------------------------------------------- */

struct crypto_gcm_req_priv_ctx {
	u8 iv[16];
	u8 auth_tag[16];
	u8 iauth_tag[16];
	struct shash_desc *desc;	/* the ghash request's context */
};

struct crypto_gcm_ctx {
	struct crypto_cipher *ctr;	/* ctr(aes-aesni)'s child cipher */
	struct crypto_shash *ghash;
	struct crypto_gcm_req_priv_ctx req;	/* the module's per-CPU request */
};

static const u8 gcm_zeroes[16];

static inline unsigned int gcm_remain(unsigned int len)
{
	len &= 0xfU;
	return len ? 16 - len : 0;
}

/* gcm_hash_update() etc.: one ahash request per scatterlist, each an
 * update (or finup) of the shash. */
static noinline int gcm_hash_update(struct crypto_gcm_req_priv_ctx *pctx,
				    const u8 *src, unsigned int len)
{
	return crypto_shash_update(pctx->desc, src, len);
}

static noinline int gcm_hash_len(struct crypto_gcm_req_priv_ctx *pctx,
				 unsigned int assoclen, unsigned int cryptlen)
{
	be128 lengths;

	lengths.a = cpu_to_be64((u64)assoclen * 8);
	lengths.b = cpu_to_be64((u64)cryptlen * 8);
	memcpy(pctx->iauth_tag, &lengths, 16);
	return crypto_shash_finup(pctx->desc, pctx->iauth_tag, sizeof(lengths),
				  pctx->iauth_tag);
}

/* gcm_hash() and its chain of *_continue() steps, synchronously. */
static noinline int gcm_hash(struct crypto_gcm_req_priv_ctx *pctx,
			     const u8 *assoc, unsigned int assoclen,
			     const u8 *crypt, unsigned int cryptlen)
{
	unsigned int remain;
	int err;

	err = crypto_shash_init(pctx->desc);
	if (!err && assoclen) {
		err = gcm_hash_update(pctx, assoc, assoclen);
		remain = gcm_remain(assoclen);
		if (!err && remain)
			err = gcm_hash_update(pctx, gcm_zeroes, remain);
	}
	if (!err && cryptlen) {
		err = gcm_hash_update(pctx, crypt, cryptlen);
		remain = gcm_remain(cryptlen);
		if (!err && remain)
			err = gcm_hash_update(pctx, gcm_zeroes, remain);
	}
	return err ?: gcm_hash_len(pctx, assoclen, cryptlen);
}

int cpumodel_gcm_generic_seal(void *tfm, const uint8_t *nonce, uint8_t *wire,
			      unsigned int assoclen, unsigned int len)
{
	struct crypto_gcm_ctx *ctx = tfm;
	struct crypto_gcm_req_priv_ctx *pctx = &ctx->req;
	__be32 counter = cpu_to_be32(1);
	struct buf sg[2];
	int err;

	/* crypto_gcm_init_common() */
	memset(pctx->auth_tag, 0, sizeof(pctx->auth_tag));
	memcpy(pctx->iv, nonce, CPUMODEL_NONCE_LEN);
	memcpy(pctx->iv + CPUMODEL_NONCE_LEN, &counter, 4);

	/* crypto_gcm_init_crypt(): auth_tag || body, in place */
	sg[0].addr = pctx->auth_tag;
	sg[0].len = sizeof(pctx->auth_tag);
	sg[1].addr = wire + assoclen;
	sg[1].len = len;
	err = crypto_ctr_crypt(ctx->ctr, sg, len ? 2 : 1, pctx->iv);
	if (err)
		return err;

	/* gcm_encrypt_continue() */
	err = gcm_hash(pctx, wire, assoclen, wire + assoclen, len);
	if (err)
		return err;

	/* gcm_enc_copy_hash() */
	crypto_xor(pctx->auth_tag, pctx->iauth_tag, 16);
	memcpy(wire + assoclen + len, pctx->auth_tag, CPUMODEL_TAG_LEN);
	return 0;
}

void cpumodel_gcm_generic_free(void *tfm)
{
	struct crypto_gcm_ctx *ctx = tfm;

	if (!ctx)
		return;
	cpumodel_free_tfm(ctx->ctr ? crypto_cipher_tfm(ctx->ctr) : NULL);
	kfree_sensitive(ctx->req.desc);
	cpumodel_free_shash(ctx->ghash);
	kfree_sensitive(ctx);
}

void *cpumodel_gcm_generic_new(const uint8_t *key, unsigned int keylen)
{
	struct crypto_gcm_ctx *ctx;
	struct {
		be128 hash;
		u8 iv[16];
	} data;
	struct buf sg = { (u8 *)&data.hash, sizeof(data.hash) };

	if (cpumodel_register_algs())
		return NULL;
	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return NULL;
	ctx->ctr = cpumodel_alloc_cipher(&aesni_cipher_alg);
	ctx->ghash = cpumodel_alloc_shash("ghash-generic");
	if (!ctx->ctr || !ctx->ghash)
		goto err;
	ctx->req.desc = cpumodel_alloc_shash_desc(ctx->ghash);
	if (!ctx->req.desc)
		goto err;

	/* crypto_gcm_setkey() */
	if (aesni_cipher_alg.cra_cipher.cia_setkey(crypto_cipher_tfm(ctx->ctr),
						   key, keylen))
		goto err;
	memset(&data, 0, sizeof(data));
	crypto_ctr_crypt(ctx->ctr, &sg, 1, data.iv);
	if (crypto_shash_setkey(ctx->ghash, (u8 *)&data.hash, sizeof(be128)))
		goto err;
	memzero_explicit(&data, sizeof(data));
	return ctx;
err:
	cpumodel_gcm_generic_free(ctx);
	return NULL;
}

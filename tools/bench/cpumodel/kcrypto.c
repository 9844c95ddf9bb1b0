// SPDX-License-Identifier: GPL-2.0
/*
 * The pieces of the kernel's crypto API the models go through, reduced
 * to what runs per datagram:
 *   - crypto/shash.c: crypto_shash_{init,update,final,finup}(), the
 *     out-of-line calls in which gcm's ahash requests to ghash-generic
 *     end (alignment check, then the algorithm's function pointer;
 *     ghash-generic has no finup, so shash_default_finup());
 *   - crypto/cipher.c: crypto_cipher_encrypt_one();
 *   - allocation (crypto_alloc_*, kzalloc) and the registry the kernel's
 *     crypto_register_shash() fills, both only at setup.
 * Not modelled: the ahash-over-shash layer (shash_async_update and the
 * crypto_hash_walk over each scatterlist) and the skcipher walk of the
 * ctr template; they only add to the generic construction's cost.
 */
#define _GNU_SOURCE
#include <malloc.h>
#include <string.h>

#include <crypto/internal/hash.h>
#include <linux/crypto.h>
#include <linux/slab.h>

#include "model.h"

void *kzalloc(size_t size, gfp_t flags)
{
	(void)flags;
	/* ARCH_KMALLOC_MINALIGN is 8; kmalloc caches align more. */
	void *p = aligned_alloc(64, (size + 63) & ~(size_t)63);

	if (p)
		memset(p, 0, size);
	return p;
}

void kfree_sensitive(const void *p)
{
	if (!p)
		return;
	explicit_bzero((void *)p, malloc_usable_size((void *)p));
	free((void *)p);
}

/* ---- crypto/cipher.c -------------------------------------------------- */

void crypto_cipher_encrypt_one(struct crypto_cipher *tfm, u8 *dst,
			       const u8 *src)
{
	unsigned long alignmask = crypto_cipher_alignmask(tfm);
	struct cipher_alg *cia = crypto_cipher_alg(tfm);
	void (*fn)(struct crypto_tfm *, u8 *, const u8 *) = cia->cia_encrypt;

	if (unlikely(((unsigned long)dst | (unsigned long)src) & alignmask)) {
		unsigned int bs = crypto_cipher_blocksize(tfm);
		u8 buffer[MAX_CIPHER_BLOCKSIZE + MAX_CIPHER_ALIGNMASK];
		u8 *tmp = (u8 *)ALIGN((unsigned long)buffer, alignmask + 1);

		memcpy(tmp, src, bs);
		fn(crypto_cipher_tfm(tfm), tmp, tmp);
		memcpy(dst, tmp, bs);
	} else {
		fn(crypto_cipher_tfm(tfm), dst, src);
	}
}

static struct crypto_tfm *alloc_tfm(struct crypto_alg *alg, size_t head)
{
	struct crypto_tfm *tfm;
	char *p = kzalloc(head + sizeof(*tfm) + alg->cra_ctxsize, GFP_KERNEL);

	if (!p)
		return NULL;
	tfm = (struct crypto_tfm *)(p + head);
	tfm->__crt_alg = alg;
	return tfm;
}

struct crypto_cipher *cpumodel_alloc_cipher(struct crypto_alg *alg)
{
	return (struct crypto_cipher *)alloc_tfm(alg, 0);
}

void cpumodel_free_tfm(struct crypto_tfm *tfm)
{
	if (tfm && tfm->__crt_alg->cra_exit)
		tfm->__crt_alg->cra_exit(tfm);
	kfree_sensitive(tfm);
}

/* ---- crypto/shash.c --------------------------------------------------- */

static unsigned long crypto_shash_alignmask(struct crypto_shash *tfm)
{
	return tfm->base.__crt_alg->cra_alignmask;
}

int crypto_shash_init(struct shash_desc *desc)
{
	return crypto_shash_alg(desc->tfm)->init(desc);
}

int crypto_shash_update(struct shash_desc *desc, const u8 *data,
			unsigned int len)
{
	struct crypto_shash *tfm = desc->tfm;
	struct shash_alg *shash = crypto_shash_alg(tfm);
	unsigned long alignmask = crypto_shash_alignmask(tfm);

	if ((unsigned long)data & alignmask)
		return -EINVAL;	/* shash_update_unaligned(): ghash has none */
	return shash->update(desc, data, len);
}

int crypto_shash_final(struct shash_desc *desc, u8 *out)
{
	struct crypto_shash *tfm = desc->tfm;
	struct shash_alg *shash = crypto_shash_alg(tfm);
	unsigned long alignmask = crypto_shash_alignmask(tfm);

	if ((unsigned long)out & alignmask)
		return -EINVAL;
	return shash->final(desc, out);
}

int crypto_shash_finup(struct shash_desc *desc, const u8 *data,
		       unsigned int len, u8 *out)
{
	struct crypto_shash *tfm = desc->tfm;
	struct shash_alg *shash = crypto_shash_alg(tfm);
	unsigned long alignmask = crypto_shash_alignmask(tfm);

	if (((unsigned long)data | (unsigned long)out) & alignmask)
		return -EINVAL;
	/* shash_default_finup() */
	return shash->update(desc, data, len) ?: shash->final(desc, out);
}

int crypto_shash_setkey(struct crypto_shash *tfm, const u8 *key,
			unsigned int keylen)
{
	return crypto_shash_alg(tfm)->setkey(tfm, key, keylen);
}

static struct shash_alg *registered[4];

int crypto_register_shash(struct shash_alg *alg)
{
	unsigned int i;

	for (i = 0; i < sizeof(registered) / sizeof(registered[0]); i++)
		if (!registered[i]) {
			registered[i] = alg;
			return 0;
		}
	return -ENOMEM;
}

void crypto_unregister_shash(struct shash_alg *alg)
{
	unsigned int i;

	for (i = 0; i < sizeof(registered) / sizeof(registered[0]); i++)
		if (registered[i] == alg)
			registered[i] = NULL;
}

struct crypto_shash *cpumodel_alloc_shash(const char *driver_name)
{
	struct crypto_shash *tfm;
	struct crypto_tfm *base;
	unsigned int i;

	for (i = 0; i < sizeof(registered) / sizeof(registered[0]); i++)
		if (registered[i] &&
		    !strcmp(registered[i]->base.cra_driver_name, driver_name))
			break;
	if (i == sizeof(registered) / sizeof(registered[0]))
		return NULL;
	base = alloc_tfm(&registered[i]->base,
			 offsetof(struct crypto_shash, base));
	if (!base)
		return NULL;
	tfm = (struct crypto_shash *)((char *)base -
				      offsetof(struct crypto_shash, base));
	tfm->descsize = registered[i]->descsize;
	return tfm;
}

struct shash_desc *cpumodel_alloc_shash_desc(struct crypto_shash *tfm)
{
	struct shash_desc *desc = kzalloc(sizeof(*desc) + tfm->descsize,
					  GFP_KERNEL);

	if (desc)
		desc->tfm = tfm;
	return desc;
}

void cpumodel_free_shash(struct crypto_shash *tfm)
{
	if (!tfm)
		return;
	if (tfm->base.__crt_alg->cra_exit)
		tfm->base.__crt_alg->cra_exit(&tfm->base);
	kfree_sensitive(tfm);
}

/* ---- module init ------------------------------------------------------ */

int cpumodel_init_ghash_generic(void);	/* crypto/ghash-generic.c */

int cpumodel_register_algs(void)
{
	static int done;

	if (done)
		return 0;
	done = 1;
	return cpumodel_init_ghash_generic();
}

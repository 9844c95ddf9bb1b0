/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cpumodel shim for <crypto/internal/hash.h>: the synchronous hash
 * (shash) interface. crypto_register_shash() records the algorithm in
 * the benchmark's registry (shash.c); the gcm model then drives it as
 * crypto/shash.c does, through the alg's function pointers.
 */
#ifndef CPUMODEL_SHIM_CRYPTO_INTERNAL_HASH_H
#define CPUMODEL_SHIM_CRYPTO_INTERNAL_HASH_H

#include <linux/crypto.h>

struct shash_desc;

struct crypto_shash {
	unsigned int descsize;
	struct crypto_tfm base;
};

struct shash_desc {
	struct crypto_shash *tfm;
	void *__ctx[] CRYPTO_MINALIGN_ATTR;
};

struct shash_alg {
	int (*init)(struct shash_desc *desc);
	int (*update)(struct shash_desc *desc, const u8 *data,
		      unsigned int len);
	int (*final)(struct shash_desc *desc, u8 *out);
	int (*setkey)(struct crypto_shash *tfm, const u8 *key,
		      unsigned int keylen);
	unsigned int descsize;
	unsigned int digestsize;
	struct crypto_alg base;
};

static inline void *crypto_shash_ctx(struct crypto_shash *tfm)
{
	return crypto_tfm_ctx(&tfm->base);
}

static inline void *shash_desc_ctx(struct shash_desc *desc)
{
	return desc->__ctx;
}

static inline struct shash_alg *crypto_shash_alg(struct crypto_shash *tfm)
{
	return (struct shash_alg *)((char *)tfm->base.__crt_alg -
				    offsetof(struct shash_alg, base));
}

/* crypto/shash.c: the out-of-line calls the ahash wrapper ends in. */
int crypto_shash_init(struct shash_desc *desc);
int crypto_shash_update(struct shash_desc *desc, const u8 *data,
			unsigned int len);
int crypto_shash_final(struct shash_desc *desc, u8 *out);
int crypto_shash_finup(struct shash_desc *desc, const u8 *data,
		       unsigned int len, u8 *out);
int crypto_shash_setkey(struct crypto_shash *tfm, const u8 *key,
			unsigned int keylen);
/* crypto_alloc_shash() by driver name; the desc is tfm's descsize. */
struct crypto_shash *cpumodel_alloc_shash(const char *driver_name);
struct shash_desc *cpumodel_alloc_shash_desc(struct crypto_shash *tfm);
void cpumodel_free_shash(struct crypto_shash *tfm);

int crypto_register_shash(struct shash_alg *alg);
void crypto_unregister_shash(struct shash_alg *alg);

#endif

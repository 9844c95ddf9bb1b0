/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cpumodel shim for <linux/crypto.h>: the fields of struct crypto_alg
 * and struct crypto_tfm the compiled algorithms touch, and the cipher
 * part of the API that the ctr template calls (crypto/cipher.c).
 */
#ifndef CPUMODEL_SHIM_LINUX_CRYPTO_H
#define CPUMODEL_SHIM_LINUX_CRYPTO_H

#include <linux/kernel.h>

/* x86: ARCH_KMALLOC_MINALIGN, the alignment of a tfm context */
#define CRYPTO_MINALIGN		8
#define CRYPTO_MINALIGN_ATTR	__attribute__((__aligned__(CRYPTO_MINALIGN)))

struct crypto_tfm;

struct cipher_alg {
	unsigned int cia_min_keysize;
	unsigned int cia_max_keysize;
	int (*cia_setkey)(struct crypto_tfm *tfm, const u8 *key,
			  unsigned int keylen);
	void (*cia_encrypt)(struct crypto_tfm *tfm, u8 *dst, const u8 *src);
	void (*cia_decrypt)(struct crypto_tfm *tfm, u8 *dst, const u8 *src);
};

struct crypto_alg {
	const char *cra_name;
	const char *cra_driver_name;
	int cra_priority;
	u32 cra_flags;
	unsigned int cra_blocksize;
	unsigned int cra_ctxsize;
	unsigned int cra_alignmask;
	void *cra_module;
	void (*cra_exit)(struct crypto_tfm *tfm);
	struct cipher_alg cra_cipher;
};

struct crypto_tfm {
	u32 crt_flags;
	struct crypto_alg *__crt_alg;
	void *__crt_ctx[] CRYPTO_MINALIGN_ATTR;
};

static inline void *crypto_tfm_ctx(struct crypto_tfm *tfm)
{
	return tfm->__crt_ctx;
}

static inline unsigned int crypto_tfm_ctx_alignment(void)
{
	return __alignof__(struct crypto_tfm);
}

/* The single-block cipher interface (crypto/internal/cipher.h). */
#define MAX_CIPHER_BLOCKSIZE	16
#define MAX_CIPHER_ALIGNMASK	15

struct crypto_cipher {
	struct crypto_tfm base;
};

static inline struct crypto_tfm *crypto_cipher_tfm(struct crypto_cipher *tfm)
{
	return &tfm->base;
}

static inline struct cipher_alg *crypto_cipher_alg(struct crypto_cipher *tfm)
{
	return &crypto_cipher_tfm(tfm)->__crt_alg->cra_cipher;
}

static inline unsigned int crypto_cipher_blocksize(struct crypto_cipher *tfm)
{
	return crypto_cipher_tfm(tfm)->__crt_alg->cra_blocksize;
}

static inline unsigned int crypto_cipher_alignmask(struct crypto_cipher *tfm)
{
	return crypto_cipher_tfm(tfm)->__crt_alg->cra_alignmask;
}

void crypto_cipher_encrypt_one(struct crypto_cipher *tfm, u8 *dst,
			       const u8 *src);
/* crypto_alloc_cipher(): a tfm of @alg with its context, zeroed. */
struct crypto_cipher *cpumodel_alloc_cipher(struct crypto_alg *alg);
void cpumodel_free_tfm(struct crypto_tfm *tfm);

#endif

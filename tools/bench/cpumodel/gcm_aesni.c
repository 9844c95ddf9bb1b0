// SPDX-License-Identifier: GPL-2.0
/*
 * Model of __generic-gcm-aesni ("__gcm(aes)"), the AES-NI GCM of Linux
 * 6.1's arch/x86/crypto/aesni-intel_glue.c that the module uses when
 * crypto_simd_usable() (and kernel ESP and MACsec use through the simd
 * wrapper): generic_gcmaes_encrypt() -> gcmaes_encrypt() ->
 * gcmaes_crypt_by_sg(), on the module's one linear buffer (one walk
 * step), calling the kernel's own assembly, assembled unchanged:
 * aesni_gcm_{init,enc_update,finalize} (aesni-intel_asm.S, SSE) below
 * AVX_GEN2_OPTSIZE bytes, the _avx_gen2 versions (AVX) from there, the
 * _avx_gen4 versions (AVX2) from AVX_GEN4_OPTSIZE, as the glue chooses
 * by CPU feature (aesni_init()) and length. struct gcm_context_data and
 * the thresholds are taken from the glue at build time (gen/aesni_glue.h).
 * Each of the three assembly calls is in its own kernel_fpu_begin/end
 * section (kfpu.c), as in the glue.
 *
 * Setkey as generic_gcmaes_set_key(): aesni_set_key() and the hash
 * subkey H = E(K, 0^128) (the glue uses the library aes_encrypt() for H,
 * which gives the same value).
 */
#include <crypto/aes.h>
#include <crypto/algapi.h>
#include <crypto/internal/simd.h>
#include <linux/slab.h>

#include "aesni_glue.h"
#include "model.h"

#define AESNI_ALIGN_ATTR __attribute__ ((__aligned__(AESNI_ALIGN)))
#define RFC4106_HASH_SUBKEY_SIZE 16

struct generic_gcmaes_ctx {
	u8 hash_subkey[16] AESNI_ALIGN_ATTR;
	struct crypto_aes_ctx aes_key_expanded AESNI_ALIGN_ATTR;
};

asmlinkage int aesni_set_key(struct crypto_aes_ctx *ctx, const u8 *in_key,
			     unsigned int key_len);
asmlinkage void aesni_enc(const void *ctx, u8 *out, const u8 *in);

asmlinkage void aesni_gcm_init(void *ctx, struct gcm_context_data *gdata,
			       u8 *iv, u8 *hash_subkey, const u8 *aad,
			       unsigned long aad_len);
asmlinkage void aesni_gcm_enc_update(void *ctx,
				     struct gcm_context_data *gdata, u8 *out,
				     const u8 *in, unsigned long plaintext_len);
asmlinkage void aesni_gcm_finalize(void *ctx, struct gcm_context_data *gdata,
				   u8 *auth_tag, unsigned long auth_tag_len);

asmlinkage void aesni_gcm_init_avx_gen2(void *my_ctx_data,
					struct gcm_context_data *gdata,
					u8 *iv, u8 *hash_subkey,
					const u8 *aad, unsigned long aad_len);
asmlinkage void aesni_gcm_enc_update_avx_gen2(void *ctx,
					      struct gcm_context_data *gdata,
					      u8 *out, const u8 *in,
					      unsigned long plaintext_len);
asmlinkage void aesni_gcm_finalize_avx_gen2(void *ctx,
					    struct gcm_context_data *gdata,
					    u8 *auth_tag,
					    unsigned long auth_tag_len);

asmlinkage void aesni_gcm_init_avx_gen4(void *my_ctx_data,
					struct gcm_context_data *gdata,
					u8 *iv, u8 *hash_subkey,
					const u8 *aad, unsigned long aad_len);
asmlinkage void aesni_gcm_enc_update_avx_gen4(void *ctx,
					      struct gcm_context_data *gdata,
					      u8 *out, const u8 *in,
					      unsigned long plaintext_len);
asmlinkage void aesni_gcm_finalize_avx_gen4(void *ctx,
					    struct gcm_context_data *gdata,
					    u8 *auth_tag,
					    unsigned long auth_tag_len);

/* DEFINE_STATIC_KEY_FALSE(gcm_use_avx), (gcm_use_avx2): set at init. */
static bool gcm_use_avx, gcm_use_avx2, features_known;
/* Self-check only: force a path regardless of length. */
static enum cpumodel_aesni_path forced = CPUMODEL_AESNI_AUTO;

/* aesni_init(): boot_cpu_has(X86_FEATURE_AVX2), (X86_FEATURE_AVX). */
static void aesni_init(void)
{
	if (features_known)
		return;
	__builtin_cpu_init();
	if (__builtin_cpu_supports("avx2")) {
		gcm_use_avx = true;
		gcm_use_avx2 = true;
	} else if (__builtin_cpu_supports("avx")) {
		gcm_use_avx = true;
	}
	features_known = true;
}

bool cpumodel_gcm_aesni_path_supported(enum cpumodel_aesni_path path)
{
	aesni_init();
	switch (path) {
	case CPUMODEL_AESNI_AVX_GEN4:
		return gcm_use_avx2;
	case CPUMODEL_AESNI_AVX_GEN2:
		return gcm_use_avx;
	default:
		return true;
	}
}

void cpumodel_gcm_aesni_force(enum cpumodel_aesni_path path)
{
	forced = path;
}

enum cpumodel_aesni_path cpumodel_gcm_aesni_path(unsigned int len)
{
	aesni_init();
	if (gcm_use_avx2 && len >= AVX_GEN4_OPTSIZE)
		return CPUMODEL_AESNI_AVX_GEN4;
	if (gcm_use_avx && len >= AVX_GEN2_OPTSIZE)
		return CPUMODEL_AESNI_AVX_GEN2;
	return CPUMODEL_AESNI_SSE;
}

const char *cpumodel_gcm_aesni_path_name(enum cpumodel_aesni_path path)
{
	switch (path) {
	case CPUMODEL_AESNI_AVX_GEN4:
		return "aesni_gcm_*_avx_gen4 (AVX2)";
	case CPUMODEL_AESNI_AVX_GEN2:
		return "aesni_gcm_*_avx_gen2 (AVX)";
	case CPUMODEL_AESNI_SSE:
		return "aesni_gcm_* (SSE)";
	default:
		return "auto";
	}
}

static noinline int gcmaes_crypt_by_sg(bool enc, u8 *assoc,
				       unsigned int assoclen, u8 *buf,
				       unsigned long left, u8 *hash_subkey,
				       u8 *iv, void *aes_ctx, u8 *auth_tag,
				       unsigned long auth_tag_len)
{
	u8 databuf[sizeof(struct gcm_context_data) + (AESNI_ALIGN - 8)] __aligned(8);
	struct gcm_context_data *data = PTR_ALIGN((void *)databuf, AESNI_ALIGN);
	bool do_avx, do_avx2;

	do_avx = (left >= AVX_GEN2_OPTSIZE);
	do_avx2 = (left >= AVX_GEN4_OPTSIZE);
	if (unlikely(forced != CPUMODEL_AESNI_AUTO)) {
		do_avx = forced >= CPUMODEL_AESNI_AVX_GEN2;
		do_avx2 = forced >= CPUMODEL_AESNI_AVX_GEN4;
	}

	/* The associated data is linear: scatterwalk_map(). */
	kernel_fpu_begin();
	if (gcm_use_avx2 && do_avx2)
		aesni_gcm_init_avx_gen4(aes_ctx, data, iv, hash_subkey, assoc,
					assoclen);
	else if (gcm_use_avx && do_avx)
		aesni_gcm_init_avx_gen2(aes_ctx, data, iv, hash_subkey, assoc,
					assoclen);
	else
		aesni_gcm_init(aes_ctx, data, iv, hash_subkey, assoc, assoclen);
	kernel_fpu_end();

	/* skcipher_walk_aead_encrypt(): one step, the whole linear body. */
	if (left) {
		kernel_fpu_begin();
		if (gcm_use_avx2 && do_avx2)
			aesni_gcm_enc_update_avx_gen4(aes_ctx, data, buf, buf,
						      left);
		else if (gcm_use_avx && do_avx)
			aesni_gcm_enc_update_avx_gen2(aes_ctx, data, buf, buf,
						      left);
		else
			aesni_gcm_enc_update(aes_ctx, data, buf, buf, left);
		kernel_fpu_end();
	}

	kernel_fpu_begin();
	if (gcm_use_avx2 && do_avx2)
		aesni_gcm_finalize_avx_gen4(aes_ctx, data, auth_tag,
					    auth_tag_len);
	else if (gcm_use_avx && do_avx)
		aesni_gcm_finalize_avx_gen2(aes_ctx, data, auth_tag,
					    auth_tag_len);
	else
		aesni_gcm_finalize(aes_ctx, data, auth_tag, auth_tag_len);
	kernel_fpu_end();

	(void)enc;
	return 0;
}

static noinline int gcmaes_encrypt(u8 *wire, unsigned int assoclen,
				   unsigned int cryptlen, u8 *hash_subkey,
				   u8 *iv, void *aes_ctx)
{
	unsigned long auth_tag_len = CPUMODEL_TAG_LEN;
	u8 auth_tag[16];
	int err;

	err = gcmaes_crypt_by_sg(true, wire, assoclen, wire + assoclen,
				 cryptlen, hash_subkey, iv, aes_ctx, auth_tag,
				 auth_tag_len);
	if (err)
		return err;

	/* scatterwalk_map_and_copy(auth_tag, req->dst, ...) */
	memcpy(wire + assoclen + cryptlen, auth_tag, auth_tag_len);
	return 0;
}

int cpumodel_gcm_aesni_seal(void *tfm, const uint8_t *nonce, uint8_t *wire,
			    unsigned int assoclen, unsigned int len)
{
	struct generic_gcmaes_ctx *ctx = tfm;
	void *aes_ctx = &(ctx->aes_key_expanded);
	u8 ivbuf[16 + (AESNI_ALIGN - 8)] __aligned(8);
	u8 *iv = PTR_ALIGN(&ivbuf[0], AESNI_ALIGN);
	__be32 counter = cpu_to_be32(1);

	memcpy(iv, nonce, 12);
	memcpy(iv + 12, &counter, 4);

	return gcmaes_encrypt(wire, assoclen, len, ctx->hash_subkey, iv,
			      aes_ctx);
}

void *cpumodel_gcm_aesni_new(const uint8_t *key, unsigned int keylen)
{
	struct generic_gcmaes_ctx *ctx;
	int err;

	aesni_init();
	if (keylen != AES_KEYSIZE_128 && keylen != AES_KEYSIZE_192 &&
	    keylen != AES_KEYSIZE_256)
		return NULL;
	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return NULL;
	/* generic_gcmaes_set_key(): aes_set_key_common(), hash subkey */
	kernel_fpu_begin();
	err = aesni_set_key(&ctx->aes_key_expanded, key, keylen);
	memset(ctx->hash_subkey, 0, RFC4106_HASH_SUBKEY_SIZE);
	aesni_enc(&ctx->aes_key_expanded, ctx->hash_subkey, ctx->hash_subkey);
	kernel_fpu_end();
	if (err) {
		kfree_sensitive(ctx);
		return NULL;
	}
	return ctx;
}

void cpumodel_gcm_aesni_free(void *tfm)
{
	kfree_sensitive(tfm);
}

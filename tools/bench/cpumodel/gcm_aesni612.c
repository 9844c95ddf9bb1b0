// SPDX-License-Identifier: GPL-2.0
/*
 * Model of Linux 6.12's AES-GCM drivers ("__gcm(aes)" of
 * arch/x86/crypto/aesni-intel_glue.c, rewritten in 6.11): what the module
 * uses on 6.12 when crypto_simd_usable(), and what kernel ESP and MACsec
 * get through the simd wrapper. Four drivers share one glue:
 *   __generic-gcm-aesni          aes-gcm-aesni-x86_64.S *_aesni (xmm)
 *   __generic-gcm-aesni-avx      the same file, *_aesni_avx (VEX, xmm)
 *   __generic-gcm-vaes-avx10_256 aes-gcm-avx10-x86_64.S, 256-bit vectors
 *   __generic-gcm-vaes-avx10_512 the same file, 512-bit vectors
 * registered at the priorities and under the CPU checks of aesni_init()
 * and register_avx_algs(), which cpumodel_gcm612_probe() replays on this
 * CPU with cpuid and xgetbv.
 *
 * From the kernel, unchanged: the assembly (assembled with 6.12's function
 * entry, shim/linux/linkage.h); and, cut from the glue at build time
 * (gen/aesni612_glue.h), the key structs, FLAG_*, aes_gcm_key_get() and
 * the dispatch helpers aes_gcm_precompute(), aes_gcm_aad_update(),
 * aes_gcm_update(), aes_gcm_enc_final(), with the key-layout checks of
 * gcm_setkey(); the DEFINE_GCM_ALGS() list (gen/aesni612_algs.h), expanded
 * here as the glue expands it, one encrypt function per driver with its
 * flags constant; the X86_FEATURE_* numbers, cpuid-deps.c and the
 * zmm_exclusion_list (gen/k612_cpu.h).
 *
 * Modelled (our code): gcm_crypt() for encryption on the module's one
 * linear buffer (kmod/key.c aead_crypt): the counter from the IV, one
 * skcipher walk step holding the whole body, and all of it in one kernel
 * FPU section as the glue does: gcm_process_assoc() (one segment: one
 * aes_gcm_aad_update()), aes_gcm_update() over the body, aes_gcm_enc_final(),
 * and the tag copied after the body (scatterwalk_map_and_copy()). Setkey
 * as gcm_setkey() where crypto_simd_usable(): aes_check_keylen(),
 * aesni_set_key() (6.12's, from its aesni-intel_asm.S) and
 * aes_gcm_precompute() in one FPU section.
 *
 * Not modelled: the skcipher walk and the scatterlist mapping, and the
 * kernel's return thunks; as for the 6.1 AES-NI GCM, a lower bound.
 */
#include <cpuid.h>
#include <stdio.h>
#include <string.h>

#include <asm/unaligned.h>
#include <crypto/aes.h>
#include <crypto/internal/simd.h>
#include <linux/slab.h>

#include "model.h"

/* What the glue takes from a crypto_aead: its context and authsize. */
struct crypto_aead {
	unsigned int authsize;
	unsigned int alg;		/* index into algs[] */
	void *__crt_ctx[] CRYPTO_MINALIGN_ATTR;
};

static inline void *crypto_aead_ctx(struct crypto_aead *tfm)
{
	return tfm->__crt_ctx;
}

static inline unsigned int crypto_aead_authsize(struct crypto_aead *tfm)
{
	return tfm->authsize;
}

#include "aesni612_glue.h"
#include "k612_cpu.h"

/* 6.12's aesni-intel_asm.S, its symbols prefixed (see the Makefile). */
asmlinkage void cpumodel612_aesni_set_key(struct crypto_aes_ctx *ctx,
					  const u8 *in_key,
					  unsigned int key_len);
#define aesni_set_key cpumodel612_aesni_set_key

/* gcm_setkey() for "__gcm(aes)" (not rfc4106), the FPU usable. */
static int gcm_setkey(struct crypto_aead *tfm, const u8 *raw_key,
		      unsigned int keylen, int flags)
{
	struct aes_gcm_key *key = aes_gcm_key_get(tfm, flags);
	int err;

	if (!crypto_simd_usable())
		return -EBUSY;	/* the portable C branch is not modelled */
	err = aes_check_keylen(keylen);
	if (err)
		return err;
	kernel_fpu_begin();
	aesni_set_key(&key->aes_key, raw_key, keylen);
	aes_gcm_precompute(key, flags);
	kernel_fpu_end();
	return 0;
}

/*
 * gcm_process_assoc() when the associated data is one segment in one
 * page (the module's header, linear): one aes_gcm_aad_update() call.
 */
static __always_inline void gcm_process_assoc(const struct aes_gcm_key *key,
					      u8 ghash_acc[16], const u8 *src,
					      unsigned int assoclen, int flags)
{
	memset(ghash_acc, 0, 16);
	if (assoclen)
		aes_gcm_aad_update(key, ghash_acc, src, assoclen, flags);
}

/* gcm_crypt(req, flags) with FLAG_ENC, on wire = AAD || body || tag. */
static __always_inline int gcm_crypt(struct crypto_aead *tfm, const u8 *iv,
				     u8 *wire, unsigned int assoclen,
				     unsigned int cryptlen, int flags)
{
	const struct aes_gcm_key *key = aes_gcm_key_get(tfm, flags);
	u8 *body = wire + assoclen;
	u8 ghash_acc[16];	/* GHASH accumulator */
	u32 le_ctr[4];		/* Counter in little-endian format */
	int taglen;

	/* Initialize the counter and determine the associated data length. */
	le_ctr[0] = 2;
	le_ctr[1] = get_unaligned_be32(iv + 8);
	le_ctr[2] = get_unaligned_be32(iv + 4);
	le_ctr[3] = get_unaligned_be32(iv + 0);

	/* skcipher_walk_aead_encrypt(): one step, the whole linear body. */
	kernel_fpu_begin();

	/* Pass the associated data through GHASH. */
	gcm_process_assoc(key, ghash_acc, wire, assoclen, flags);

	/* Last (only) segment: process all the data. */
	aes_gcm_update(key, le_ctr, ghash_acc, body, body, cryptlen, flags);

	/* Finish computing the auth tag. */
	taglen = crypto_aead_authsize(tfm);
	aes_gcm_enc_final(key, le_ctr, ghash_acc, assoclen, cryptlen, flags);

	/* Store the computed auth tag in the dst scatterlist. */
	memcpy(body + cryptlen, ghash_acc, taglen);
	kernel_fpu_end();
	return 0;
}

/* DEFINE_GCM_ALGS(): per driver, setkey and encrypt with constant flags. */
#define CPUMODEL_GCM612_ALG(suffix, flags, generic_driver_name,		\
			    rfc_driver_name, ctxsize, priority)		\
static int gcm_setkey_##suffix(struct crypto_aead *tfm, const u8 *raw_key, \
			       unsigned int keylen)			\
{									\
	return gcm_setkey(tfm, raw_key, keylen, (flags));		\
}									\
									\
static int gcm_encrypt_##suffix(void *tfm, const uint8_t *iv,		\
				uint8_t *wire, unsigned int assoclen,	\
				unsigned int len)			\
{									\
	return gcm_crypt(tfm, iv, wire, assoclen, len, (flags) | FLAG_ENC); \
}
#include "aesni612_algs.h"
#undef CPUMODEL_GCM612_ALG

struct gcm612_alg {
	const char *driver_name;	/* .cra_driver_name */
	int flags;
	unsigned int ctxsize;		/* .cra_ctxsize */
	int priority;			/* .cra_priority as defined */
	int (*setkey)(struct crypto_aead *tfm, const u8 *raw_key,
		      unsigned int keylen);
	cpumodel_seal_fn *encrypt;
};

#define CPUMODEL_GCM612_ALG(suffix, flags, generic_driver_name,		\
			    rfc_driver_name, ctxsize, priority)		\
	{ "__" generic_driver_name, (flags), (ctxsize), (priority),	\
	  gcm_setkey_##suffix, gcm_encrypt_##suffix },
static const struct gcm612_alg algs[] = {
#include "aesni612_algs.h"
};
#undef CPUMODEL_GCM612_ALG

#define NALGS ARRAY_SIZE(algs)
BUILD_BUG_ON(NALGS > CPUMODEL_GCM612_MAX);

/* ---- the CPU checks of aesni_init() and register_avx_algs() ------------- */

/* arch/x86/include/asm/fpu/types.h (architectural XCR0 bits) */
#define XFEATURE_MASK_SSE	(1ull << 1)
#define XFEATURE_MASK_YMM	(1ull << 2)
#define XFEATURE_MASK_AVX512	(7ull << 5)	/* opmask, ZMM_Hi256, Hi16_ZMM */

#define NWORDS 32
static u32 caps[NWORDS];	/* boot_cpu_data.x86_capability[] */
static bool caps_read[NWORDS];	/* the words read from CPUID here */
static u64 xcr0;
static unsigned int vendor_intel, x86_family, x86_model;
static char vendor[13];

static bool boot_cpu_has(unsigned int f)
{
	return f / 32 < NWORDS && (caps[f / 32] >> (f % 32)) & 1;
}

static void clear_feature(unsigned int f)
{
	caps[f / 32] &= ~(1u << (f % 32));
}

/* arch/x86/kernel/cpu/cpuid-deps.c do_clear_cpu_cap(), bits read here. */
static void do_clear_cpu_cap(unsigned int feature)
{
	bool disable[NWORDS * 32] = { false };
	bool changed;
	size_t i;

	clear_feature(feature);
	disable[feature] = true;
	do {
		changed = false;
		for (i = 0; i < ARRAY_SIZE(cpumodel_cpuid_deps); i++) {
			const struct cpumodel_cpuid_dep *d = &cpumodel_cpuid_deps[i];

			if (d->depends >= NWORDS * 32 || d->feature >= NWORDS * 32 ||
			    !disable[d->depends] || disable[d->feature])
				continue;
			disable[d->feature] = true;
			changed = true;
			clear_feature(d->feature);
		}
	} while (changed);
}

static bool cpu_has_xfeatures(u64 xfeatures_needed)
{
	return (xfeatures_needed & ~xcr0) == 0;
}

static void read_cpu(void)
{
	unsigned int max, a, b, c, d;
	static bool done;

	if (done)
		return;
	done = true;
	__cpuid(0, max, b, c, d);
	memcpy(vendor, &b, 4);
	memcpy(vendor + 4, &d, 4);
	memcpy(vendor + 8, &c, 4);
	vendor_intel = !strcmp(vendor, "GenuineIntel");
	__cpuid(1, a, b, c, d);
	caps[0] = d;			/* CPUID_1_EDX */
	caps[4] = c;			/* CPUID_1_ECX */
	caps_read[0] = caps_read[4] = true;
	/* x86_family(), x86_model() of arch/x86/lib/cpu.c */
	x86_family = (a >> 8) & 0xf;
	if (x86_family == 0xf)
		x86_family += (a >> 20) & 0xff;
	x86_model = (a >> 4) & 0xf;
	if (x86_family >= 0x6)
		x86_model += ((a >> 16) & 0xf) << 4;
	if (max >= 7) {
		__cpuid_count(7, 0, a, b, c, d);
		caps[9] = b;		/* CPUID_7_0_EBX */
		caps[16] = c;		/* CPUID_7_ECX */
	}
	caps_read[9] = caps_read[16] = true;

	/*
	 * The kernel enables XSAVE itself; the running kernel's choice is
	 * what userspace sees (OSXSAVE). Without it, 6.12 would clear
	 * X86_FEATURE_XSAVE (fpu__init_disable_system_xstate()) and with it
	 * every feature that depends on it, AVX first.
	 */
	if (boot_cpu_has(X86_FEATURE_XSAVE) &&
	    !((caps[4] >> 27) & 1))	/* X86_FEATURE_OSXSAVE */
		do_clear_cpu_cap(X86_FEATURE_XSAVE);
	if ((caps[4] >> 27) & 1) {
		u32 lo, hi;

		__asm__ __volatile__("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
		xcr0 = ((u64)hi << 32) | lo;
	}
}

/* x86_match_cpu(zmm_exclusion_list): vendor, family, model. */
static const char *zmm_excluded(void)
{
	size_t i;

	if (!vendor_intel)
		return NULL;
	for (i = 0; i < ARRAY_SIZE(cpumodel_zmm_exclusion_list); i++)
		if (cpumodel_zmm_exclusion_list[i].fm ==
		    ((x86_family << 8) | x86_model))
			return cpumodel_zmm_exclusion_list[i].name;
	return NULL;
}

struct check {
	const char *name;
	bool ok;
};

/* Append "name yes|NO" for each check; false at the first that fails. */
static bool checks(char *why, size_t n, const struct check *c, size_t nc)
{
	size_t i, len;

	for (i = 0; i < nc; i++) {
		len = strlen(why);
		snprintf(why + len, n - len, "%s%s %s", len ? ", " : "",
			 c[i].name, c[i].ok ? "yes" : "NO");
		if (!c[i].ok)
			return false;
	}
	return true;
}

#define F(x)	{ #x, boot_cpu_has(X86_FEATURE_##x) }

static unsigned int probe(struct cpumodel_gcm612_info *info, int *chosen,
			  char *cpu, size_t cpulen)
{
	const struct check aes[] = { F(AES) };
	const struct check avx[] = { F(AVX) };
	const struct check vaes[] = {
		F(AVX2), F(VAES), F(VPCLMULQDQ), F(PCLMULQDQ),
		{ "XCR0 SSE|YMM", cpu_has_xfeatures(XFEATURE_MASK_SSE |
						    XFEATURE_MASK_YMM) },
	};
	const struct check avx10[] = {
		F(AVX512BW), F(AVX512VL), F(BMI2),
		{ "XCR0 SSE|YMM|AVX512", cpu_has_xfeatures(XFEATURE_MASK_SSE |
							   XFEATURE_MASK_YMM |
							   XFEATURE_MASK_AVX512) },
	};
	char base[256] = "";
	bool ok;
	size_t i;
	const char *excl;

	snprintf(cpu, cpulen, "%s family 0x%x model 0x%x, XCR0 0x%llx",
		 vendor, x86_family, x86_model, (unsigned long long)xcr0);

	/*
	 * aesni_init(): nothing without X86_FEATURE_AES; then the AES-NI
	 * GCM. register_avx_algs(): with AVX the AVX one; with AVX2, VAES,
	 * VPCLMULQDQ, PCLMULQDQ and the YMM state (the XTS VAES-AVX2 one
	 * only), then AVX512BW, AVX512VL, BMI2 and the AVX-512 state, both
	 * AVX10 ones, the 512-bit one at priority 1 on the CPUs of
	 * zmm_exclusion_list.
	 */
	*chosen = -1;
	for (i = 0; i < NALGS; i++) {
		const struct gcm612_alg *a = &algs[i];
		struct cpumodel_gcm612_info *in = &info[i];

		in->driver_name = a->driver_name;
		in->priority = a->priority;
		in->why[0] = 0;
		base[0] = 0;
		ok = checks(base, sizeof(base), aes, ARRAY_SIZE(aes));
		if (ok && (a->flags & (FLAG_AVX | FLAG_AVX10_256 | FLAG_AVX10_512)))
			ok = checks(base, sizeof(base), avx, ARRAY_SIZE(avx));
		if (ok && (a->flags & (FLAG_AVX10_256 | FLAG_AVX10_512)))
			ok = checks(base, sizeof(base), vaes, ARRAY_SIZE(vaes)) &&
			     checks(base, sizeof(base), avx10, ARRAY_SIZE(avx10));
		snprintf(in->why, sizeof(in->why), "%s", base);
		if (a->flags & FLAG_AVX10_512)
			in->code = "aes-gcm-avx10-x86_64.S *_vaes_avx10_512 (VAES, VPCLMULQDQ, zmm)";
		else if (a->flags & FLAG_AVX10_256)
			in->code = "aes-gcm-avx10-x86_64.S *_vaes_avx10_256 (VAES, VPCLMULQDQ, ymm)";
		else if (a->flags & FLAG_AVX)
			in->code = "aes-gcm-aesni-x86_64.S *_aesni_avx (AES-NI, PCLMULQDQ, AVX, xmm)";
		else
			in->code = "aes-gcm-aesni-x86_64.S *_aesni (AES-NI, PCLMULQDQ, SSE4.1, xmm)";
		if (ok && (a->flags & FLAG_AVX10_512)) {
			size_t len = strlen(in->why);

			excl = zmm_excluded();
			if (excl)
				in->priority = 1;
			snprintf(in->why + len, sizeof(in->why) - len,
				 "; %s zmm_exclusion_list%s%s%s", excl ? "in" : "not in",
				 excl ? " (" : "", excl ? excl : "", excl ? "): priority 1" : "");
		}
		in->registered = ok;
		if (ok && (*chosen < 0 || in->priority > info[*chosen].priority))
			*chosen = (int)i;
	}
	return NALGS;
}

unsigned int cpumodel_gcm612_probe(struct cpumodel_gcm612_info *info,
				   int *chosen, char *cpu, size_t cpulen)
{
	read_cpu();	/* before probe() reads the features */
	return probe(info, chosen, cpu, cpulen);
}

/* The checks above by /proc/cpuinfo name, for bench.c to compare. */
int cpumodel_gcm612_has(const char *flag)
{
	static const struct { const char *name; unsigned int f; } t[] = {
		{ "aes", X86_FEATURE_AES }, { "avx", X86_FEATURE_AVX },
		{ "avx2", X86_FEATURE_AVX2 }, { "vaes", X86_FEATURE_VAES },
		{ "vpclmulqdq", X86_FEATURE_VPCLMULQDQ },
		{ "pclmulqdq", X86_FEATURE_PCLMULQDQ },
		{ "avx512bw", X86_FEATURE_AVX512BW },
		{ "avx512vl", X86_FEATURE_AVX512VL }, { "bmi2", X86_FEATURE_BMI2 },
	};
	size_t i;

	read_cpu();
	for (i = 0; i < ARRAY_SIZE(t); i++)
		if (!strcmp(flag, t[i].name))
			return boot_cpu_has(t[i].f);
	return -1;
}

/* ---- tfms ----------------------------------------------------------------- */

void *cpumodel_gcm612_new(unsigned int i, const uint8_t *key,
			  unsigned int keylen)
{
	struct crypto_aead *tfm;

	if (i >= NALGS)
		return NULL;
	tfm = kzalloc(sizeof(*tfm) + algs[i].ctxsize, GFP_KERNEL);
	if (!tfm)
		return NULL;
	tfm->alg = i;
	tfm->authsize = CPUMODEL_TAG_LEN;	/* generic_gcmaes_set_authsize() */
	if (algs[i].setkey(tfm, key, keylen)) {
		kfree_sensitive(tfm);
		return NULL;
	}
	return tfm;
}

cpumodel_seal_fn *cpumodel_gcm612_seal_fn(unsigned int i)
{
	return i < NALGS ? algs[i].encrypt : NULL;
}

void cpumodel_gcm612_free(void *tfm)
{
	kfree_sensitive(tfm);
}

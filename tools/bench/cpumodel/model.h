/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The interface between the benchmark (bench.c, userspace C) and the
 * kernel models (compiled like kernel code, against shim/). Every
 * driver seals one datagram the way the module does (kmod/key.c
 * aead_crypt): wire = header (assoclen bytes, the associated data) ||
 * body (len bytes, encrypted in place) || tag (16 bytes, written).
 */
#ifndef CPUMODEL_MODEL_H
#define CPUMODEL_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#define CPUMODEL_NONCE_LEN	12
#define CPUMODEL_TAG_LEN	16

typedef int cpumodel_seal_fn(void *tfm, const uint8_t *nonce, uint8_t *wire,
			     unsigned int assoclen, unsigned int len);

/*
 * gcm_base(ctr(aes-aesni),ghash-generic): crypto/gcm.c over crypto/ctr.c
 * over the aes-aesni single-block cipher, GHASH by ghash-generic.
 */
void *cpumodel_gcm_generic_new(const uint8_t *key, unsigned int keylen);
cpumodel_seal_fn cpumodel_gcm_generic_seal;
void cpumodel_gcm_generic_free(void *tfm);

/* __generic-gcm-aesni: the AES-NI GCM of aesni-intel_glue.c ("__gcm(aes)"). */
enum cpumodel_aesni_path {
	CPUMODEL_AESNI_AUTO,	/* the glue's choice: CPU features, length */
	CPUMODEL_AESNI_SSE,	/* aesni_gcm_* (aesni-intel_asm.S) */
	CPUMODEL_AESNI_AVX_GEN2, /* aesni_gcm_*_avx_gen2 */
	CPUMODEL_AESNI_AVX_GEN4, /* aesni_gcm_*_avx_gen4 */
};
void *cpumodel_gcm_aesni_new(const uint8_t *key, unsigned int keylen);
cpumodel_seal_fn cpumodel_gcm_aesni_seal;
void cpumodel_gcm_aesni_free(void *tfm);
/* Force a code path (the self-check runs all three); AUTO by default. */
void cpumodel_gcm_aesni_force(enum cpumodel_aesni_path path);
/* The path the glue takes for len bytes on this CPU, and its name. */
enum cpumodel_aesni_path cpumodel_gcm_aesni_path(unsigned int len);
const char *cpumodel_gcm_aesni_path_name(enum cpumodel_aesni_path path);
bool cpumodel_gcm_aesni_path_supported(enum cpumodel_aesni_path path);

/*
 * Linux 6.12's AES-GCM drivers ("__gcm(aes)" of aesni-intel_glue.c), in
 * the order of its DEFINE_GCM_ALGS() list (gcm_aesni612.c). Built only
 * with the 6.12 source (CPUMODEL_K612).
 */
#define CPUMODEL_GCM612_MAX	4

struct cpumodel_gcm612_info {
	const char *driver_name;	/* cra_driver_name, e.g. "__generic-gcm-aesni" */
	const char *code;		/* which assembly, vector width */
	int priority;			/* cra_priority as registered on this CPU */
	bool registered;		/* the glue registers it on this CPU */
	char why[480];			/* the checks that decided it */
};

/*
 * The glue's aesni_init()/register_avx_algs() on this CPU (cpuid, xgetbv):
 * fills info[] (returns how many drivers the glue defines) and *chosen,
 * the highest-priority registered one (what crypto_alloc_aead("__gcm(aes)",
 * CRYPTO_ALG_INTERNAL, ...) and the simd wrapper's users get), or -1.
 */
unsigned int cpumodel_gcm612_probe(struct cpumodel_gcm612_info *info,
				   int *chosen, char *cpu, size_t cpulen);
/* A keyed tfm of driver i (setkey as gcm_setkey() with the FPU usable). */
void *cpumodel_gcm612_new(unsigned int i, const uint8_t *key,
			  unsigned int keylen);
/* Its seal: gcm_encrypt_<suffix>() -> gcm_crypt(req, flags | FLAG_ENC). */
cpumodel_seal_fn *cpumodel_gcm612_seal_fn(unsigned int i);
void cpumodel_gcm612_free(void *tfm);
/* The probe's view of a CPU feature by its /proc/cpuinfo name, or -1. */
int cpumodel_gcm612_has(const char *flag);

/* kfpu.c */
void cpumodel_fpu_set_busy(bool busy);
unsigned int cpumodel_fpu_warnings(void);

/* kcrypto.c: the init functions of the kernel's algorithms, once. */
int cpumodel_register_algs(void);

#endif

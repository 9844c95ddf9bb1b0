// SPDX-License-Identifier: GPL-2.0
/*
 * cpumodel: the per-datagram crypto cost of each kernel crypto driver the
 * module can end up using, measured on this CPU in userspace with the
 * kernel's own code (docs/benchmarks-cpumodel.md).
 *
 * With the Linux 6.12 source (CPUMODEL_K612), also 6.12's AES-GCM
 * drivers: which of them the 6.12 kernel would pick on this CPU (printed
 * with the reasons), timed with every other one the CPU can run, as rows
 * "6.12:<driver>". Without it, a note says the 6.12 part was skipped.
 *
 * A self-check first: every AES-GCM model (each AES-NI code path forced
 * in turn, each 6.12 driver) must give OpenSSL's ciphertext and tag for
 * fixed keys, nonce and associated data at many lengths, and OpenSSL
 * itself must pass a published GCM test vector; any mismatch exits 1. Then per driver and
 * datagram size: key set once; per datagram a fresh 12-byte nonce, 16
 * bytes of associated data (the module's header), the body encrypted in
 * place and the 16-byte tag written, as kmod/key.c does. Each cell is
 * timed with CLOCK_MONOTONIC over enough datagrams for CPUMODEL_SECONDS
 * (0.2) and repeated CPUMODEL_REPEATS (5) times, the repeats going round
 * all cells in turn; the median is printed.
 *
 * stdout: CSV driver,size,ns_per_datagram. stderr: "# " notes, and for
 * tools/bench/cpumodel/run "#ref <kernel> <driver>" (the row each kernel's
 * ratios are against) and "#generic 6.12 same|differs".
 * Environment: CPUMODEL_SIZES (64,512,1400), CPUMODEL_KEYLEN (16 or 32),
 * CPUMODEL_CPU (the CPU to pin to; default the one it starts on),
 * CPUMODEL_SECONDS, CPUMODEL_REPEATS, CPUMODEL_CLOCK (monotonic, the
 * default, or thread: CLOCK_THREAD_CPUTIME_ID, which leaves out the time
 * the scheduler gives other tasks on a shared CPU).
 */
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "model.h"
#ifdef CPUMODEL_K612
#include "k612_generic.h"
#endif

#define ASSOC_LEN	16	/* the module's header (ANTIGONE_WIRE_HDR_LEN) */
#define MAX_SIZES	32
#define MAX_LEN		65536
#define MAX_DRIVERS	16

/* ---- OpenSSL EVP as one more "driver" ---------------------------------- */

struct evp {
	EVP_CIPHER_CTX *ctx;
};

static void *evp_new(const EVP_CIPHER *cipher, const uint8_t *key)
{
	struct evp *e = calloc(1, sizeof(*e));

	if (!e)
		return NULL;
	e->ctx = EVP_CIPHER_CTX_new();
	if (!e->ctx ||
	    EVP_EncryptInit_ex(e->ctx, cipher, NULL, NULL, NULL) != 1 ||
	    EVP_CIPHER_CTX_ctrl(e->ctx, EVP_CTRL_AEAD_SET_IVLEN,
				CPUMODEL_NONCE_LEN, NULL) != 1 ||
	    EVP_EncryptInit_ex(e->ctx, NULL, NULL, key, NULL) != 1) {
		EVP_CIPHER_CTX_free(e->ctx);
		free(e);
		return NULL;
	}
	return e;
}

static void *evp_aes_gcm_new(const uint8_t *key, unsigned int keylen)
{
	return evp_new(keylen == 32 ? EVP_aes_256_gcm() : EVP_aes_128_gcm(),
		       key);
}

static void *evp_chacha_new(const uint8_t *key, unsigned int keylen)
{
	(void)keylen;	/* always 32 bytes; the caller passes 32 */
	return evp_new(EVP_chacha20_poly1305(), key);
}

static int evp_seal(void *tfm, const uint8_t *nonce, uint8_t *wire,
		    unsigned int assoclen, unsigned int len)
{
	struct evp *e = tfm;
	int outl;

	if (EVP_EncryptInit_ex(e->ctx, NULL, NULL, NULL, nonce) != 1 ||
	    EVP_EncryptUpdate(e->ctx, NULL, &outl, wire, (int)assoclen) != 1 ||
	    (len && EVP_EncryptUpdate(e->ctx, wire + assoclen, &outl,
				      wire + assoclen, (int)len) != 1) ||
	    EVP_EncryptFinal_ex(e->ctx, wire + assoclen + len, &outl) != 1 ||
	    EVP_CIPHER_CTX_ctrl(e->ctx, EVP_CTRL_AEAD_GET_TAG,
				CPUMODEL_TAG_LEN, wire + assoclen + len) != 1)
		return -1;
	return 0;
}

static int evp_open(void *tfm, const uint8_t *nonce, uint8_t *wire,
		    unsigned int assoclen, unsigned int len)
{
	struct evp *e = tfm;
	int outl;

	if (EVP_DecryptInit_ex(e->ctx, NULL, NULL, NULL, nonce) != 1 ||
	    EVP_DecryptUpdate(e->ctx, NULL, &outl, wire, (int)assoclen) != 1 ||
	    (len && EVP_DecryptUpdate(e->ctx, wire + assoclen, &outl,
				      wire + assoclen, (int)len) != 1) ||
	    EVP_CIPHER_CTX_ctrl(e->ctx, EVP_CTRL_AEAD_SET_TAG,
				CPUMODEL_TAG_LEN, wire + assoclen + len) != 1 ||
	    EVP_DecryptFinal_ex(e->ctx, wire + assoclen + len, &outl) != 1)
		return -1;
	return 0;
}

static void evp_free(void *tfm)
{
	struct evp *e = tfm;

	if (e) {
		EVP_CIPHER_CTX_free(e->ctx);
		free(e);
	}
}

/* ---- the drivers ---------------------------------------------------------- */

struct driver {
	const char *name;
	void *(*new)(const uint8_t *key, unsigned int keylen);
	cpumodel_seal_fn *seal;
	void (*free)(void *tfm);
	bool fpu_busy;		/* run with crypto_simd_usable() false */
	bool chacha;		/* 32-byte key whatever CPUMODEL_KEYLEN */
	const char *what;
	unsigned int k612;	/* 6.12 driver: its index + 1; 0 otherwise */
};

/* The 6.1 kernel's drivers; the references (OpenSSL) in ref_drivers. */
static const struct driver k61_drivers[] = {
	{ "__generic-gcm-aesni", cpumodel_gcm_aesni_new,
	  cpumodel_gcm_aesni_seal, cpumodel_gcm_aesni_free, false, false,
	  "the kernel's AES-NI GCM (aesni-intel_glue.c + aesni-intel_asm.S / "
	  "aesni-intel_avx-x86_64.S): the module with simd=1, kernel ESP, "
	  "MACsec; the reference of the 6.1 and OpenSSL rows' ratios", 0 },
	{ "gcm_base(ctr(aes-aesni),ghash-generic)", cpumodel_gcm_generic_new,
	  cpumodel_gcm_generic_seal, cpumodel_gcm_generic_free, false, false,
	  "synchronous gcm(aes): crypto/gcm.c flow over crypto/ctr.c, one "
	  "aes-aesni block (aesni_enc in its own kernel FPU section) per call, "
	  "ghash-generic (gf128mul_4k_lle): the module with simd=0", 0 },
	{ "gcm_base(ctr(aes-aesni),ghash-generic)/fpu-busy",
	  cpumodel_gcm_generic_new, cpumodel_gcm_generic_seal,
	  cpumodel_gcm_generic_free, true, false,
	  "the same where crypto_simd_usable() is false (a softirq that "
	  "interrupted a kernel FPU section): aes-aesni falls back to "
	  "aes_encrypt() of lib/crypto/aes.c per block; the module's fallback",
	  0 },
};

static const struct driver ref_drivers[] = {
	{ "openssl:aes-gcm", evp_aes_gcm_new, evp_seal, evp_free, false, false,
	  "OpenSSL EVP AES-GCM (its AES-NI/PCLMUL or VAES assembly): a "
	  "userspace reference, not a kernel driver; includes the EVP per-call "
	  "overhead (init with the nonce, updates, final, tag), large for "
	  "small datagrams", 0 },
	{ "openssl:chacha20-poly1305(simd-equivalent)", evp_chacha_new,
	  evp_seal, evp_free, false, true,
	  "OpenSSL EVP ChaCha20-Poly1305 (SIMD assembly) standing in for the "
	  "kernel's rfc7539(chacha20-simd,poly1305-simd): SIMD-equivalent, "
	  "not the kernel's code; includes the same EVP overhead", 0 },
};

/* All the rows: 6.1's, then 6.12's (its choice first), then OpenSSL's. */
static struct driver drivers[MAX_DRIVERS];
static unsigned int ndrivers;

/* ---- Linux 6.12 ------------------------------------------------------------ */

#ifdef CPUMODEL_K612
static struct cpumodel_gcm612_info k612_info[CPUMODEL_GCM612_MAX];
static unsigned int k612_n;
static int k612_chosen = -1;
static char k612_cpu[160];
static char k612_names[CPUMODEL_GCM612_MAX][64];
static char k612_what[CPUMODEL_GCM612_MAX][320];

static void *k612_new(const struct driver *d, const uint8_t *key,
		      unsigned int keylen)
{
	return cpumodel_gcm612_new(d->k612 - 1, key, keylen);
}

/* Append the 6.12 driver i as a row. */
static void k612_add(unsigned int i)
{
	struct driver *d = &drivers[ndrivers++];
	const struct cpumodel_gcm612_info *in = &k612_info[i];

	snprintf(k612_names[i], sizeof(k612_names[i]), "6.12:%s",
		 in->driver_name);
	if ((int)i == k612_chosen)
		snprintf(k612_what[i], sizeof(k612_what[i]),
			 "%s, priority %d: the 6.12 kernel's choice on this CPU "
			 "(the module with simd=1 on 6.12, kernel ESP, MACsec); "
			 "the reference of the 6.12 ratios", in->code,
			 in->priority);
	else
		snprintf(k612_what[i], sizeof(k612_what[i]),
			 "%s, priority %d: registered on this CPU, outranked by "
			 "%s", in->code, in->priority,
			 k612_info[k612_chosen].driver_name);
	memset(d, 0, sizeof(*d));
	d->name = k612_names[i];
	d->seal = cpumodel_gcm612_seal_fn(i);
	d->free = cpumodel_gcm612_free;
	d->what = k612_what[i];
	d->k612 = i + 1;
}

/* The probe, its notes, and the rows: the choice, then by priority. */
static void k612_setup(void)
{
	unsigned int i, j;
	int best;
	bool added[CPUMODEL_GCM612_MAX] = { false };

	k612_n = cpumodel_gcm612_probe(k612_info, &k612_chosen, k612_cpu,
				       sizeof(k612_cpu));
	fprintf(stderr, "# 6.12 __gcm(aes) drivers on this CPU (%s), by the "
		"checks of aesni-intel_glue.c aesni_init() and "
		"register_avx_algs():\n", k612_cpu);
	for (i = 0; i < k612_n; i++)
		fprintf(stderr, "# 6.12 %s (priority %d): %s: %s\n",
			k612_info[i].driver_name, k612_info[i].priority,
			k612_info[i].registered ? "registered" : "NOT registered",
			k612_info[i].why);
	if (k612_chosen < 0) {
		fprintf(stderr, "# 6.12: no AES-GCM driver on this CPU; "
			"no 6.12 rows\n");
		return;
	}
	fprintf(stderr, "# 6.12 picks %s, the highest-priority registered "
		"__gcm(aes): what the module allocates for simd=1, and what "
		"kernel ESP (rfc4106(gcm(aes))) and MACsec (gcm(aes)) get "
		"through the simd wrapper\n",
		k612_info[k612_chosen].driver_name);
	k612_add((unsigned int)k612_chosen);
	for (;;) {
		best = -1;
		for (j = 0; j < k612_n; j++)
			if (k612_info[j].registered && (int)j != k612_chosen &&
			    !added[j] && (best < 0 ||
			    k612_info[j].priority > k612_info[best].priority))
				best = (int)j;
		if (best < 0)
			break;
		added[best] = true;
		k612_add((unsigned int)best);
	}
}

/* /proc/cpuinfo (the running kernel's view) against the probe's. */
static void k612_cpuinfo_check(void)
{
	static const char *const flags[] = {
		"aes", "avx", "avx2", "vaes", "vpclmulqdq", "pclmulqdq",
		"avx512bw", "avx512vl", "bmi2",
	};
	FILE *f = fopen("/proc/cpuinfo", "r");
	static char line[8192];
	char differ[256] = "";
	size_t i;

	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "flags", 5))
			break;
	fclose(f);
	if (strncmp(line, "flags", 5))
		return;
	line[strcspn(line, "\n")] = ' ';
	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		char word[32];
		bool listed;

		snprintf(word, sizeof(word), " %s ", flags[i]);
		listed = strstr(line, word) != NULL;
		if (listed != (cpumodel_gcm612_has(flags[i]) == 1)) {
			size_t len = strlen(differ);

			snprintf(differ + len, sizeof(differ) - len, " %s",
				 flags[i]);
		}
	}
	if (*differ)
		fprintf(stderr, "# 6.12 probe: /proc/cpuinfo (the running "
			"kernel) disagrees with cpuid on:%s (clearcpuid=?); "
			"the probe follows cpuid\n", differ);
	else
		fprintf(stderr, "# 6.12 probe: /proc/cpuinfo of the running "
			"kernel agrees with cpuid on the %zu features checked\n",
			sizeof(flags) / sizeof(flags[0]));
}
#endif

static void *driver_new(const struct driver *d, const uint8_t *key,
			unsigned int keylen)
{
#ifdef CPUMODEL_K612
	if (d->k612)
		return k612_new(d, key, keylen);
#endif
	return d->new(key, keylen);
}

static void build_drivers(void)
{
	size_t i;

	for (i = 0; i < sizeof(k61_drivers) / sizeof(k61_drivers[0]); i++)
		drivers[ndrivers++] = k61_drivers[i];
#ifdef CPUMODEL_K612
	k612_setup();
	k612_cpuinfo_check();
#else
	fprintf(stderr, "# 6.12: skipped: %s not found (install "
		"linux-source-6.12: tools/deps.sh); only the 6.1 rows\n",
		CPUMODEL_K612_MISSING);
#endif
	for (i = 0; i < sizeof(ref_drivers) / sizeof(ref_drivers[0]); i++)
		drivers[ndrivers++] = ref_drivers[i];
}

/* ---- self-check ------------------------------------------------------------ */

static void fill(uint8_t *p, size_t n, uint32_t seed)
{
	size_t i;

	for (i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		p[i] = (uint8_t)(seed >> 16);
	}
}

static int hex(uint8_t *out, const char *s)
{
	size_t i, n = strlen(s) / 2;

	for (i = 0; i < n; i++) {
		unsigned int v;

		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			return -1;
		out[i] = (uint8_t)v;
	}
	return (int)n;
}

static const char *path_label(enum cpumodel_aesni_path p)
{
	return cpumodel_gcm_aesni_path_name(p);
}

/* Seal a copy of in with tfm, compare with want. */
static int check_one(const char *name, void *tfm, cpumodel_seal_fn *seal,
		     bool fpu_busy, const uint8_t *nonce, const uint8_t *in,
		     unsigned int assoclen, unsigned int len, const uint8_t *want)
{
	static uint8_t buf[MAX_LEN + 64];
	size_t total = assoclen + len + CPUMODEL_TAG_LEN;
	int err;

	memcpy(buf, in, assoclen + len);
	memset(buf + assoclen + len, 0xa5, CPUMODEL_TAG_LEN);
	cpumodel_fpu_set_busy(fpu_busy);
	err = seal(tfm, nonce, buf, assoclen, len);
	cpumodel_fpu_set_busy(false);
	if (err || memcmp(buf, want, total)) {
		fprintf(stderr, "cpumodel: self-check FAILED: %s, %u bytes "
			"(assoc %u)%s\n", name, len, assoclen,
			err ? " (error)" : "");
		return 1;
	}
	return 0;
}

static int self_check(const unsigned int *sizes, unsigned int nsizes)
{
	static const unsigned int lens[] = {
		0, 1, 15, 16, 17, 31, 32, 48, 63, 64, 65, 100, 255, 256, 511,
		512, 513, 639, 640, 641, 1023, 1024, 1400, 1472, 1500, 2048,
		4095, 4096, 4097, 8192, 9000,
	};
	static const unsigned int keylens[] = { 16, 32 };
	static uint8_t in[MAX_LEN + 64], want[MAX_LEN + 64];
	uint8_t key[32], nonce[CPUMODEL_NONCE_LEN];
	unsigned int fails = 0, checks = 0;
	unsigned int k, i, p, n, d;
	void *t612[MAX_DRIVERS];
	char name[128];

	/* GCM spec (McGrew-Viega) test case 4, through OpenSSL and the models. */
	{
		uint8_t tk[16], tiv[12], ta[20], tp[60], tc[60 + 16], w[96];
		void *e, *g, *a;
		unsigned int tl;

		hex(tk, "feffe9928665731c6d6a8f9467308308");
		hex(tiv, "cafebabefacedbaddecaf888");
		hex(ta, "feedfacedeadbeeffeedfacedeadbeefabaddad2");
		hex(tp, "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d"
			"8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657"
			"ba637b39");
		hex(tc, "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e23"
			"29aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac97"
			"3d58e0915bc94fbc3221a5db94fae95ae7121a47");
		tl = sizeof(tp);
		memcpy(w, ta, sizeof(ta));
		memcpy(w + sizeof(ta), tc, sizeof(tc));
		memcpy(in, ta, sizeof(ta));
		memcpy(in + sizeof(ta), tp, tl);
		e = evp_aes_gcm_new(tk, 16);
		g = cpumodel_gcm_generic_new(tk, 16);
		a = cpumodel_gcm_aesni_new(tk, 16);
		if (!e || !g || !a) {
			fprintf(stderr, "cpumodel: setup failed\n");
			return 1;
		}
		fails += check_one("openssl:aes-gcm (GCM test case 4)", e,
				   evp_seal, false, tiv, in, sizeof(ta), tl, w);
		fails += check_one("gcm_base (GCM test case 4)", g,
				   cpumodel_gcm_generic_seal, false, tiv, in,
				   sizeof(ta), tl, w);
		fails += check_one("__generic-gcm-aesni (GCM test case 4)", a,
				   cpumodel_gcm_aesni_seal, false, tiv, in,
				   sizeof(ta), tl, w);
		checks += 3;
		for (d = 0; d < ndrivers; d++) {
			void *t;

			if (!drivers[d].k612)
				continue;
			t = driver_new(&drivers[d], tk, 16);
			if (!t) {
				fprintf(stderr, "cpumodel: %s: setup failed\n",
					drivers[d].name);
				return 1;
			}
			snprintf(name, sizeof(name), "%s (GCM test case 4)",
				 drivers[d].name);
			fails += check_one(name, t, drivers[d].seal, false, tiv,
					   in, sizeof(ta), tl, w);
			checks++;
			drivers[d].free(t);
		}
		evp_free(e);
		cpumodel_gcm_generic_free(g);
		cpumodel_gcm_aesni_free(a);
	}

	for (k = 0; k < sizeof(keylens) / sizeof(keylens[0]); k++) {
		unsigned int kl = keylens[k];
		void *e, *g, *a;

		fill(key, sizeof(key), 7 + kl);
		fill(nonce, sizeof(nonce), 11);
		e = evp_aes_gcm_new(key, kl);
		g = cpumodel_gcm_generic_new(key, kl);
		a = cpumodel_gcm_aesni_new(key, kl);
		if (!e || !g || !a) {
			fprintf(stderr, "cpumodel: setup failed\n");
			return 1;
		}
		for (d = 0; d < ndrivers; d++) {
			t612[d] = NULL;
			if (!drivers[d].k612)
				continue;
			t612[d] = driver_new(&drivers[d], key, kl);
			if (!t612[d]) {
				fprintf(stderr, "cpumodel: %s: setup failed\n",
					drivers[d].name);
				return 1;
			}
		}
		for (i = 0; i < sizeof(lens) / sizeof(lens[0]) + nsizes; i++) {
			unsigned int len = i < sizeof(lens) / sizeof(lens[0]) ?
				lens[i] : sizes[i - sizeof(lens) / sizeof(lens[0])];

			for (n = 0; n < 2; n++) {
				/* the module's 16-byte header, and 8..20 */
				unsigned int assoc = n ? 8 + len % 13 : ASSOC_LEN;

				fill(in, assoc + len, len * 31 + kl + n);
				memcpy(want, in, assoc + len);
				if (evp_seal(e, nonce, want, assoc, len)) {
					fprintf(stderr, "cpumodel: OpenSSL failed\n");
					return 1;
				}
				snprintf(name, sizeof(name), "gcm_base AES-%u", kl * 8);
				fails += check_one(name, g, cpumodel_gcm_generic_seal,
						   false, nonce, in, assoc, len, want);
				snprintf(name, sizeof(name), "gcm_base/fpu-busy AES-%u",
					 kl * 8);
				fails += check_one(name, g, cpumodel_gcm_generic_seal,
						   true, nonce, in, assoc, len, want);
				checks += 2;
				for (p = CPUMODEL_AESNI_AUTO;
				     p <= CPUMODEL_AESNI_AVX_GEN4; p++) {
					if (!cpumodel_gcm_aesni_path_supported(p))
						continue;
					cpumodel_gcm_aesni_force(p);
					snprintf(name, sizeof(name),
						 "__generic-gcm-aesni AES-%u %s",
						 kl * 8, path_label(p));
					fails += check_one(name, a,
							   cpumodel_gcm_aesni_seal,
							   false, nonce, in, assoc,
							   len, want);
					checks++;
				}
				cpumodel_gcm_aesni_force(CPUMODEL_AESNI_AUTO);
				for (d = 0; d < ndrivers; d++) {
					if (!t612[d])
						continue;
					snprintf(name, sizeof(name), "%s AES-%u",
						 drivers[d].name, kl * 8);
					fails += check_one(name, t612[d],
							   drivers[d].seal, false,
							   nonce, in, assoc, len,
							   want);
					checks++;
				}
			}
		}
		evp_free(e);
		cpumodel_gcm_generic_free(g);
		cpumodel_gcm_aesni_free(a);
		for (d = 0; d < ndrivers; d++)
			if (t612[d])
				drivers[d].free(t612[d]);
	}

	/* ChaCha20-Poly1305: OpenSSL's own round trip (seal, then open). */
	{
		void *c;

		fill(key, sizeof(key), 99);
		c = evp_chacha_new(key, 32);
		if (!c)
			return 1;
		for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
			unsigned int len = lens[i];

			fill(in, ASSOC_LEN + len, len);
			memcpy(want, in, ASSOC_LEN + len);
			if (evp_seal(c, nonce, want, ASSOC_LEN, len) ||
			    evp_open(c, nonce, want, ASSOC_LEN, len) ||
			    memcmp(want, in, ASSOC_LEN + len)) {
				fprintf(stderr, "cpumodel: self-check FAILED: "
					"chacha20-poly1305 round trip, %u bytes\n",
					len);
				fails++;
			}
			checks++;
		}
		evp_free(c);
	}

	if (cpumodel_fpu_warnings()) {
		fprintf(stderr, "cpumodel: self-check FAILED: FPU model warned\n");
		fails++;
	}
	fprintf(stderr, "# self-check: %u of %u comparisons with OpenSSL "
		"(and GCM test case 4) passed\n", checks - fails, checks);
	return fails ? 1 : 0;
}

/* ---- timing ---------------------------------------------------------------- */

/* CPUMODEL_CLOCK=thread: this thread's CPU time instead of wall time. */
static clockid_t timing_clock = CLOCK_MONOTONIC;

static double clock_s(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Over all timed runs: wall time and this thread's CPU time, to report
 * how much of the wall time the scheduler gave to something else. */
static double total_wall, total_cpu;

static uint8_t wirebuf[MAX_LEN + 64] __attribute__((aligned(64)));

/* n datagrams; the nonce's last 8 bytes count them, as a sequence number. */
static double run(const struct driver *d, void *tfm, unsigned int len,
		  unsigned long n)
{
	uint8_t nonce[CPUMODEL_NONCE_LEN] = { 0x01, 0x02, 0x03, 0x04 };
	static uint64_t seq;
	double w0, w1, c0, c1;
	unsigned long i;
	int err = 0;

	cpumodel_fpu_set_busy(d->fpu_busy);
	c0 = clock_s(CLOCK_THREAD_CPUTIME_ID);
	w0 = clock_s(CLOCK_MONOTONIC);
	for (i = 0; i < n; i++) {
		seq++;
		memcpy(nonce + 4, &seq, 8);
		err |= d->seal(tfm, nonce, wirebuf, ASSOC_LEN, len);
	}
	w1 = clock_s(CLOCK_MONOTONIC);
	c1 = clock_s(CLOCK_THREAD_CPUTIME_ID);
	cpumodel_fpu_set_busy(false);
	if (err) {
		fprintf(stderr, "cpumodel: %s failed\n", d->name);
		exit(1);
	}
	total_wall += w1 - w0;
	total_cpu += c1 - c0;
	return timing_clock == CLOCK_MONOTONIC ? w1 - w0 : c1 - c0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* One cell of the table: a driver at a size. */
struct cell {
	const struct driver *d;
	void *tfm;
	unsigned int len;
	unsigned long n;	/* datagrams per repeat */
	double ns[16];
};

/* Calibrate (and warm up) to about seconds per repeat. */
static void calibrate(struct cell *c, double seconds)
{
	unsigned long n = 16;
	double t;

	while ((t = run(c->d, c->tfm, c->len, n)) < seconds / 8)
		n *= 2;
	c->n = (unsigned long)((double)n * seconds / t) + 1;
}

static double median(double *v, unsigned int n)
{
	qsort(v, n, sizeof(v[0]), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* ---- main --------------------------------------------------------------------- */

static unsigned int parse_sizes(const char *s, unsigned int *sizes)
{
	unsigned int n = 0;
	char *end;

	while (*s && n < MAX_SIZES) {
		unsigned long v = strtoul(s, &end, 10);

		if (end == s || v > MAX_LEN) {
			fprintf(stderr, "cpumodel: bad CPUMODEL_SIZES\n");
			exit(2);
		}
		sizes[n++] = (unsigned int)v;
		s = *end ? end + 1 : end;
	}
	return n;
}

static void cpu_model(char *out, size_t n)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[256];

	snprintf(out, n, "unknown");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "model name", 10)) {
			char *v = strchr(line, ':');

			if (v) {
				v += 1 + (v[1] == ' ');
				v[strcspn(v, "\n")] = 0;
				snprintf(out, n, "%s", v);
			}
			break;
		}
	fclose(f);
}

static void csv_name(const char *name)
{
	if (strchr(name, ',') || strchr(name, '"'))
		printf("\"%s\"", name);	/* no '"' in any name */
	else
		printf("%s", name);
}

int main(void)
{
	const char *env;
	unsigned int sizes[MAX_SIZES], nsizes, keylen = 16, repeats = 5;
	double seconds = 0.2;
	uint8_t key[32];
	char model[200];
	void *tfms[MAX_DRIVERS];
	struct cell *cells;
	int cpu = -1;
	unsigned int i, s, r, ncells;
	cpu_set_t set;

	env = getenv("CPUMODEL_SIZES");
	nsizes = parse_sizes(env && *env ? env : "64,512,1400", sizes);
	if ((env = getenv("CPUMODEL_KEYLEN")) && *env)
		keylen = (unsigned int)atoi(env);
	if (keylen != 16 && keylen != 32) {
		fprintf(stderr, "cpumodel: CPUMODEL_KEYLEN must be 16 or 32\n");
		return 2;
	}
	if ((env = getenv("CPUMODEL_SECONDS")) && *env)
		seconds = atof(env);
	if ((env = getenv("CPUMODEL_REPEATS")) && *env)
		repeats = (unsigned int)atoi(env);
	if (repeats < 1 || repeats > 16 || !(seconds > 0)) {
		fprintf(stderr, "cpumodel: bad CPUMODEL_REPEATS/SECONDS\n");
		return 2;
	}
	if ((env = getenv("CPUMODEL_CLOCK")) && *env) {
		if (!strcmp(env, "thread")) {
			timing_clock = CLOCK_THREAD_CPUTIME_ID;
		} else if (strcmp(env, "monotonic")) {
			fprintf(stderr, "cpumodel: CPUMODEL_CLOCK: monotonic or thread\n");
			return 2;
		}
	}
	if ((env = getenv("CPUMODEL_CPU")) && *env)
		cpu = atoi(env);
	else
		cpu = sched_getcpu();
	CPU_ZERO(&set);
	if (cpu >= 0)
		CPU_SET(cpu, &set);
	if (cpu < 0 || sched_setaffinity(0, sizeof(set), &set)) {
		fprintf(stderr, "# not pinned to a CPU (%s)\n", strerror(errno));
		cpu = -1;
	}

	cpu_model(model, sizeof(model));
	fprintf(stderr, "# CPU: %s; pinned to CPU %d; AES-%u (ChaCha20: 256)\n",
		model, cpu, keylen * 8);
	build_drivers();
	if (self_check(sizes, nsizes))
		return 1;
	for (s = 0; s < nsizes; s++)
		fprintf(stderr, "# __generic-gcm-aesni at %u bytes: %s\n", sizes[s],
			cpumodel_gcm_aesni_path_name(cpumodel_gcm_aesni_path(sizes[s])));

	/*
	 * Every repeat times every cell in turn, so that a slow spell of a
	 * shared machine falls on all drivers alike rather than on one.
	 */
	memset(wirebuf, 0x5a, sizeof(wirebuf));
	ncells = ndrivers * nsizes;
	cells = calloc(ncells, sizeof(*cells));
	if (!cells)
		return 1;
	for (i = 0; i < ndrivers; i++) {
		const struct driver *d = &drivers[i];

		fill(key, sizeof(key), 1234);
		tfms[i] = driver_new(d, key, d->chacha ? 32 : keylen);
		if (!tfms[i]) {
			fprintf(stderr, "cpumodel: %s: setkey failed\n", d->name);
			return 1;
		}
		for (s = 0; s < nsizes; s++) {
			struct cell *c = &cells[i * nsizes + s];

			c->d = d;
			c->tfm = tfms[i];
			c->len = sizes[s];
			calibrate(c, seconds);
		}
	}
	for (r = 0; r < repeats; r++)
		for (i = 0; i < ncells; i++)
			cells[i].ns[r] = run(cells[i].d, cells[i].tfm, cells[i].len,
					     cells[i].n) * 1e9 / (double)cells[i].n;

	printf("driver,size,ns_per_datagram\n");
	for (i = 0; i < ncells; i++) {
		csv_name(cells[i].d->name);
		printf(",%u,%.1f\n", cells[i].len, median(cells[i].ns, repeats));
	}
	fflush(stdout);
	for (i = 0; i < ndrivers; i++)
		drivers[i].free(tfms[i]);
	free(cells);
	for (i = 0; i < ndrivers; i++)
		fprintf(stderr, "# %s: %s\n", drivers[i].name, drivers[i].what);
	fprintf(stderr, "#ref 6.1 __generic-gcm-aesni\n");
#ifdef CPUMODEL_K612
	if (k612_chosen >= 0)
		fprintf(stderr, "#ref 6.12 %s\n", k612_names[k612_chosen]);
	if (CPUMODEL_K612_GENERIC_DIFFER == 0)
		fprintf(stderr, "# 6.12's synchronous gcm(aes) is the same "
			"gcm_base(ctr(aes-aesni),ghash-generic) as 6.1's: %d "
			"functions it runs per datagram (crypto/gcm.c, ctr.c, "
			"cipher.c, ghash-generic.c, gf128mul_4k_lle, aes-aesni's "
			"aesni_encrypt/aesni_enc, aes_encrypt, crypto_xor/inc, "
			"the kernel FPU section) compared between the two "
			"trees, %d identical, %d differing in form only (%s); "
			"the gcm_base rows stand for 6.12 too\n"
			"#generic 6.12 same\n",
			CPUMODEL_K612_GENERIC_COMPARED,
			CPUMODEL_K612_GENERIC_COMPARED -
			CPUMODEL_K612_GENERIC_REVIEWED,
			CPUMODEL_K612_GENERIC_REVIEWED,
			CPUMODEL_K612_GENERIC_REVIEWED_LIST);
	else
		fprintf(stderr, "# 6.12's synchronous gcm(aes) DIFFERS from "
			"6.1's in %d of the %d functions compared (%s): the "
			"gcm_base rows are 6.1's only\n#generic 6.12 differs\n",
			CPUMODEL_K612_GENERIC_DIFFER,
			CPUMODEL_K612_GENERIC_COMPARED,
			CPUMODEL_K612_GENERIC_DIFFER_LIST);
#endif
	fprintf(stderr,
		"# The gcm_base rows are a lower bound: each AES block's "
		"kernel_fpu_begin/end bookkeeping and LDMXCSR are modelled, but "
		"not what userspace cannot reproduce (the kernel's %%gs per-CPU "
		"accesses, return thunks and retpolines on every call, the "
		"skcipher and ahash scatterlist walks, the XSAVE of an "
		"interrupted task's FPU state).\n"
		"# Timing: %s, median of %u repeats of ~%.2f s, "
		"16 bytes of associated data, seal (encrypt + tag) only.\n",
		timing_clock == CLOCK_MONOTONIC ? "CLOCK_MONOTONIC" :
		"CLOCK_THREAD_CPUTIME_ID", repeats, seconds);
	fprintf(stderr, "# This thread ran %.1f%% of the timed wall-clock time%s\n",
		total_wall > 0 ? 100 * total_cpu / total_wall : 0.0,
		total_cpu < 0.95 * total_wall ?
		" (the CPU was shared: wall-clock figures are inflated; rerun on "
		"an idle machine, or with CPUMODEL_CLOCK=thread)" : "");
	if (cpumodel_fpu_warnings()) {
		fprintf(stderr, "cpumodel: FPU model warned during timing\n");
		return 1;
	}
	return 0;
}

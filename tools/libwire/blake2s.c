// SPDX-License-Identifier: GPL-2.0 OR MIT
/* The kernel's keyed BLAKE2s calls over OpenSSL (see blake2s.h). */
#include <stdio.h>
#include <stdlib.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "blake2s.h"

static void broken(const char *what)
{
	fprintf(stderr, "libwire: OpenSSL BLAKE2SMAC: %s failed\n", what);
	abort();
}

void blake2s_init_key(struct blake2s_state *state, size_t outlen,
		      const void *key, size_t keylen)
{
	OSSL_PARAM params[2];
	EVP_MAC_CTX *ctx;
	EVP_MAC *mac;

	mac = EVP_MAC_fetch(NULL, "BLAKE2SMAC", NULL);
	if (!mac)
		broken("fetch");
	ctx = EVP_MAC_CTX_new(mac);
	EVP_MAC_free(mac);	/* the context holds its own reference */
	if (!ctx)
		broken("context");
	params[0] = OSSL_PARAM_construct_size_t(OSSL_MAC_PARAM_SIZE, &outlen);
	params[1] = OSSL_PARAM_construct_end();
	if (!EVP_MAC_init(ctx, key, keylen, params))
		broken("init");
	state->ctx = ctx;
	state->outlen = outlen;
}

void blake2s_update(struct blake2s_state *state, const u8 *in, size_t inlen)
{
	if (inlen && !EVP_MAC_update(state->ctx, in, inlen))
		broken("update");
}

void blake2s_final(struct blake2s_state *state, u8 *out)
{
	size_t n = 0;

	if (!EVP_MAC_final(state->ctx, out, &n, state->outlen) ||
	    n != state->outlen)
		broken("final");
	EVP_MAC_CTX_free(state->ctx);	/* clears the keyed state */
	OPENSSL_cleanse(state, sizeof(*state));
}

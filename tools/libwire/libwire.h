/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * libwire: the data wire format v1 (messages 7a-7c) in userspace, with
 * OpenSSL's libcrypto. Header and nonce come from the module's own codec
 * (kmod/wire.c), so the bytes are the module's by construction; this adds
 * the crypto. See docs/wire-format.md.
 *
 * Every function returns 0 or a negative errno and never prints. Buffers
 * passed in and out must not overlap.
 */
#ifndef ANTIGONE_LIBWIRE_H
#define ANTIGONE_LIBWIRE_H

#include <stddef.h>
#include <stdint.h>

#include "wire.h"
#include "tesla.h"

#define WIRE_KEY_MAX		32
/* The largest UDP payload a UDP length field can carry (65535 - 8). */
#define WIRE_DGRAM_MAX		65527
#define WIRE_PAYLOAD_MAX	(WIRE_DGRAM_MAX - ANTIGONE_WIRE_OVERHEAD)

/* A session key: suite, epoch and key bytes. Wipe with wire_key_wipe(). */
struct wire_key {
	uint8_t suite;		/* enum antigone_suite */
	uint32_t epoch;		/* != 0 */
	size_t keylen;		/* wire_key_len(suite) */
	uint8_t key[WIRE_KEY_MAX];
};

/* Key bytes of a suite: 16 or 32, or -EINVAL. */
int wire_key_len(uint8_t suite);
/* Fills k; -EINVAL if the suite is unknown, keylen wrong or epoch 0. */
int wire_key_set(struct wire_key *k, uint8_t suite, uint32_t epoch,
		 const uint8_t *key, size_t keylen);
/* Zeroes the whole key so that it does not linger in memory. */
void wire_key_wipe(struct wire_key *k);

/* "aes128-gcm", "aes256-gcm", "chacha20-poly1305"; NULL if unknown. */
const char *wire_suite_name(uint8_t suite);
/* The suite named so, or -EINVAL. */
int wire_suite_parse(const char *name);
/* "integrity" (7a), "confidentiality" (7b), "both" (7c); NULL if unknown. */
const char *wire_guarantee_name(uint8_t guarantee);
/* The guarantee named so, or -EINVAL. */
int wire_guarantee_parse(const char *name);

/*
 * Protects payload[0..len) as one UDP payload into out: header, body, and
 * the tag of 7a and 7c. out must have room for len + ANTIGONE_WIRE_OVERHEAD
 * bytes; *outlen gets the length used. The caller must never seal twice
 * with the same (key, sender, seq): the nonce would repeat.
 * -EINVAL (key, guarantee, seq 0), -EMSGSIZE (len > WIRE_PAYLOAD_MAX),
 * -ENOBUFS (outcap too small), -ENOMEM or -EIO (libcrypto failed).
 */
int wire_seal(const struct wire_key *k, uint8_t guarantee, uint32_t sender,
	      uint64_t seq, const uint8_t *payload, size_t len, uint8_t *out,
	      size_t outcap, size_t *outlen);

/*
 * Checks and opens the UDP payload in[0..len) into payload_out, which must
 * have room for len bytes. On success *hdr and *payload_len are set.
 * -EMSGSIZE or -EPROTO (header, from antigone_hdr_parse), -EKEYREJECTED
 * (the header's epoch is not the key's), -EBADMSG (authentication failed;
 * payload_out is wiped), -EINVAL, -ENOMEM or -EIO. Does not check the
 * replay window nor whether the guarantee is strong enough for the
 * receiver: both are the caller's (antigone_replay_update(),
 * antigone_guarantee_meets()).
 */
int wire_open(const struct wire_key *k, const uint8_t *in, size_t len,
	      struct antigone_hdr *hdr, uint8_t *payload_out,
	      size_t *payload_len);

/*
 * 7d (docs/sender-authenticity.md): @ext's interval i, @chain_key its K_i;
 * the MAC under K'_i goes inside the AEAD. out needs len +
 * ANTIGONE_TESLA_OVERHEAD bytes. -EINVAL also for an ext a receiver
 * refuses (interval 0, disclosed >= interval, a key with nothing
 * disclosed). The same rule as wire_seal(): never twice (key, sender, seq).
 */
int wire_seal_7d(const struct wire_key *k, uint32_t sender, uint64_t seq,
		 const struct antigone_tesla_ext *ext,
		 const uint8_t chain_key[ANTIGONE_TESLA_KEY_LEN],
		 const uint8_t *payload, size_t len, uint8_t *out,
		 size_t outcap, size_t *outlen);
/*
 * What a receiver does at arrival: parses header and ext and opens the
 * group AEAD, giving the payload and the MAC (not yet checkable: K_i comes
 * d intervals later). Errors as wire_open().
 */
int wire_open_7d(const struct wire_key *k, const uint8_t *in, size_t len,
		 struct antigone_hdr *hdr, struct antigone_tesla_ext *ext,
		 uint8_t *payload_out, size_t *payload_len,
		 uint8_t mac[ANTIGONE_TESLA_MAC_LEN]);
/*
 * Once K_i is known: the MAC over the datagram's clear part @in (header
 * and ext, as received) and the payload. 0 or -EBADMSG (constant time).
 */
int wire_check_7d(const uint8_t *in, const uint8_t *payload, size_t len,
		  const uint8_t mac[ANTIGONE_TESLA_MAC_LEN],
		  const uint8_t chain_key[ANTIGONE_TESLA_KEY_LEN]);

/*
 * The primitives wire_seal() and wire_open() are built on, exposed so that
 * published known-answer vectors can check the very same libcrypto calls.
 * wire_aead_seal/open: the suite's AEAD with a 12-byte nonce and a 16-byte
 * tag (wire_aead_open: -EBADMSG and out wiped on a wrong tag).
 * wire_stream_xor: the keystream that AEAD encrypts with under this nonce
 * (AES-CTR from counter block nonce || be32(2); ChaCha20 from block 1).
 * k->epoch is not used.
 */
int wire_aead_seal(const struct wire_key *k,
		   const uint8_t nonce[ANTIGONE_NONCE_LEN],
		   const uint8_t *aad, size_t aadlen, const uint8_t *in,
		   size_t len, uint8_t *out,
		   uint8_t tag[ANTIGONE_WIRE_TAG_LEN]);
int wire_aead_open(const struct wire_key *k,
		   const uint8_t nonce[ANTIGONE_NONCE_LEN],
		   const uint8_t *aad, size_t aadlen, const uint8_t *in,
		   size_t len, uint8_t *out,
		   const uint8_t tag[ANTIGONE_WIRE_TAG_LEN]);
int wire_stream_xor(const struct wire_key *k,
		    const uint8_t nonce[ANTIGONE_NONCE_LEN], const uint8_t *in,
		    size_t len, uint8_t *out);

#endif

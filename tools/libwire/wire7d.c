// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * 7d datagrams in userspace (docs/sender-authenticity.md, "Datagram"):
 *   header || ext || AEAD_SK(N, header || ext, payload || MAC) || tag
 * with MAC = BLAKE2s-128(K'_i, header || ext || payload), from kmod/tesla.c.
 */
#include <errno.h>
#include <string.h>

#include <openssl/crypto.h>

#include "libwire.h"
#include "tesla.h"

#define CLEAR_LEN	(ANTIGONE_WIRE_HDR_LEN + ANTIGONE_TESLA_EXT_LEN)

static void mac_of(const uint8_t chain_key[ANTIGONE_TESLA_KEY_LEN],
		   const uint8_t *clear, const uint8_t *payload, size_t len,
		   uint8_t mac[ANTIGONE_TESLA_MAC_LEN])
{
	uint8_t mk[ANTIGONE_TESLA_KEY_LEN];
	struct antigone_tesla_mac m;

	antigone_tesla_mac_key(chain_key, mk);
	antigone_tesla_mac_init(&m, mk);
	antigone_tesla_mac_update(&m, clear, CLEAR_LEN);
	antigone_tesla_mac_update(&m, payload, len);
	antigone_tesla_mac_final(&m, mac);
	OPENSSL_cleanse(mk, sizeof(mk));
}

int wire_seal_7d(const struct wire_key *k, uint32_t sender, uint64_t seq,
		 const struct antigone_tesla_ext *ext,
		 const uint8_t chain_key[ANTIGONE_TESLA_KEY_LEN],
		 const uint8_t *payload, size_t len, uint8_t *out,
		 size_t outcap, size_t *outlen)
{
	struct antigone_hdr h = {
		.guarantee = ANTIGONE_TESLA_GUARANTEE,
		.epoch = k ? k->epoch : 0,
		.sender = sender,
		.seq = seq,
	};
	uint8_t nonce[ANTIGONE_NONCE_LEN], *body;
	struct antigone_tesla_ext check;
	size_t need;
	int ret;

	if (!k || !k->epoch || !seq || !ext || !chain_key ||
	    (len && !payload) || !out || !outlen)
		return -EINVAL;
	if (len > WIRE_DGRAM_MAX - ANTIGONE_TESLA_OVERHEAD)
		return -EMSGSIZE;
	need = len + ANTIGONE_TESLA_OVERHEAD;
	if (outcap < need)
		return -ENOBUFS;
	antigone_hdr_pack(&h, out);
	antigone_tesla_ext_pack(ext, out + ANTIGONE_WIRE_HDR_LEN);
	/* what a receiver would refuse is not sent */
	if (antigone_tesla_ext_parse(out + ANTIGONE_WIRE_HDR_LEN,
				     need - ANTIGONE_WIRE_HDR_LEN, &check))
		return -EINVAL;
	body = out + CLEAR_LEN;
	if (len)
		memcpy(body, payload, len);
	mac_of(chain_key, out, body, len, body + len);
	antigone_nonce(sender, seq, nonce);
	/* in place: the AEAD reads each block before it writes it */
	ret = wire_aead_seal(k, nonce, out, CLEAR_LEN, body,
			     len + ANTIGONE_TESLA_MAC_LEN, body,
			     body + len + ANTIGONE_TESLA_MAC_LEN);
	if (ret) {
		OPENSSL_cleanse(out, need);
		return ret;
	}
	*outlen = need;
	return 0;
}

int wire_open_7d(const struct wire_key *k, const uint8_t *in, size_t len,
		 struct antigone_hdr *hdr, struct antigone_tesla_ext *ext,
		 uint8_t *payload_out, size_t *payload_len,
		 uint8_t mac[ANTIGONE_TESLA_MAC_LEN])
{
	uint8_t nonce[ANTIGONE_NONCE_LEN], plain[WIRE_DGRAM_MAX];
	size_t plen;
	int ret;

	if (!k || (len && !in) || !hdr || !ext || !payload_len || !mac)
		return -EINVAL;
	if (len > WIRE_DGRAM_MAX)
		return -EMSGSIZE;
	ret = antigone_tesla_parse(in, len, hdr, ext);
	if (ret)
		return ret;
	if (hdr->epoch != k->epoch)
		return -EKEYREJECTED;
	plen = len - ANTIGONE_TESLA_OVERHEAD;
	if (plen && !payload_out)
		return -EINVAL;
	antigone_nonce(hdr->sender, hdr->seq, nonce);
	ret = wire_aead_open(k, nonce, in, CLEAR_LEN, in + CLEAR_LEN,
			     plen + ANTIGONE_TESLA_MAC_LEN, plain,
			     in + len - ANTIGONE_WIRE_TAG_LEN);
	if (!ret) {
		if (plen)
			memcpy(payload_out, plain, plen);
		memcpy(mac, plain + plen, ANTIGONE_TESLA_MAC_LEN);
		*payload_len = plen;
	}
	OPENSSL_cleanse(plain, plen + ANTIGONE_TESLA_MAC_LEN);
	return ret;
}

int wire_check_7d(const uint8_t *in, const uint8_t *payload, size_t len,
		  const uint8_t mac[ANTIGONE_TESLA_MAC_LEN],
		  const uint8_t chain_key[ANTIGONE_TESLA_KEY_LEN])
{
	uint8_t want[ANTIGONE_TESLA_MAC_LEN];
	int ret;

	if (!in || (len && !payload) || !mac || !chain_key)
		return -EINVAL;
	mac_of(chain_key, in, payload, len, want);
	ret = CRYPTO_memcmp(want, mac, sizeof(want)) ? -EBADMSG : 0;
	OPENSSL_cleanse(want, sizeof(want));
	return ret;
}

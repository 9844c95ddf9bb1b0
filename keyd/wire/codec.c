// SPDX-License-Identifier: GPL-2.0
/*
 * The framing every control message shares (docs/control-protocol.md):
 * identities, the duplicate check of 6b and 6c, and proto_peek(), which
 * reads the header of any message. The small helpers the message files
 * share (integers, header, view ids, the prefix, AEAD and MAC shapes) are
 * static inline in codec.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "lib/crypto.h"
#include "lib/util.h"

/* ---- identities and header ---------------------------------------------- */

bool proto_id_valid(const char id[PROTO_ID_LEN])
{
	size_t i;

	/* name_valid() reads at most 16 bytes: 1..15 allowed characters. */
	if (!id || !name_valid(id))
		return false;
	for (i = strnlen(id, PROTO_ID_LEN); i < PROTO_ID_LEN; i++)
		if (id[i])
			return false;
	return true;
}

int proto_id_set(char id[PROTO_ID_LEN], const char *name)
{
	if (!id || !name || !name_valid(name))
		return -EINVAL;
	memset(id, 0, PROTO_ID_LEN);
	memcpy(id, name, strlen(name));
	return 0;
}

static int id_cmp(const void *a, const void *b)
{
	return memcmp(*(const uint8_t *const *)a, *(const uint8_t *const *)b,
		      PROTO_ID_LEN);
}

/* Sorted pointers, so that thousands stay cheap. */
int codec_ids_dup(const uint8_t *base, size_t n, size_t stride)
{
	const uint8_t **v;
	size_t i, j;
	int dup = 0;

	if (n <= 16) {
		for (i = 0; i < n; i++)
			for (j = i + 1; j < n; j++)
				if (codec_id_eq(base + i * stride,
						base + j * stride))
					return 1;
		return 0;
	}
	v = malloc(n * sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		v[i] = base + i * stride;
	qsort(v, n, sizeof(*v), id_cmp);
	for (i = 1; i < n && !dup; i++)
		dup = codec_id_eq(v[i - 1], v[i]);
	free(v);
	return dup;
}

int proto_peek(const uint8_t *buf, size_t len, uint8_t *type,
	       char id[PROTO_ID_LEN])
{
	size_t off = 0;
	int ret;

	if (!buf || !type || !id)
		return -EINVAL;
	ret = codec_check_hdr(buf, len);
	if (ret)
		return ret;
	switch (buf[3]) {
	case PROTO_AUTH_REQ: case PROTO_JOIN: case PROTO_LEAVE:
	case PROTO_RELAY: case PROTO_TIME_REQ: case PROTO_TIME_RESP:
	case PROTO_CHAIN:
		off = PROTO_HDR_LEN;
		break;
	case PROTO_PAIR_REQ: case PROTO_PAIR_RESP: case PROTO_AUTH_RESP:
		off = PROTO_HDR_LEN + PROTO_ID_LEN;
		break;
	case PROTO_RETRANSMIT: case PROTO_CHAIN_REQ:
		off = PROTO_HDR_LEN + PROTO_VIEW_LEN;
		break;
	case PROTO_MEMBER_HB: case PROTO_KEY: case PROTO_KEY_MEMBERS:
		off = CODEC_PREFIX_LEN;
		break;
	}
	memset(id, 0, PROTO_ID_LEN);
	if (off) {
		if (len < off + PROTO_ID_LEN)
			return -EMSGSIZE;
		ret = codec_get_id(id, buf + off);
		if (ret)
			return ret;
	}
	*type = buf[3];
	return 0;
}

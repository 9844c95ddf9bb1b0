// SPDX-License-Identifier: GPL-2.0
/*
 * Leave and eject, message 11, both sides (leave.h).
 */
#include <errno.h>
#include <string.h>

#include "leave.h"

int view_on_leave(const struct leader_view *v, const uint8_t *in,
		  size_t len, char a[PROTO_ID_LEN], char b[PROTO_ID_LEN])
{
	struct view_member *m;
	struct msg_leave l;
	int ret;

	ret = view_claimed((struct leader_view *)v, in, len, &m);
	if (ret)
		return ret;
	ret = proto_decode_leave(in, len, m->k_ch, &l);
	if (ret)
		return ret;
	if (memcmp(l.g.name, v->g.name, PROTO_ID_LEN))
		return -EPROTO;
	memcpy(a, l.a, PROTO_ID_LEN);
	memcpy(b, l.b, PROTO_ID_LEN);
	return 0;
}

int member_leave(struct member_state *ms, const char *eject, uint8_t *out,
		 size_t cap, size_t *len)
{
	struct msg_leave l = { .g = ms->g };
	int ret;

	memcpy(l.a, ms->auth.a, PROTO_ID_LEN);
	if (eject) {
		ret = proto_id_set(l.b, eject);
		if (ret)
			return ret;
	}
	return proto_encode_leave(&l, ms->auth.k_ch, out, cap, len);
}

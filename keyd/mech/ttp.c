// SPDX-License-Identifier: GPL-2.0
/*
 * The trusted third party's pair-key service (see ttp.h).
 */
#include <errno.h>
#include <string.h>

#include "lib/crypto.h"
#include "ttp.h"
#include "wire/proto.h"

int ttp_answer(const struct registry *reg, const uint8_t *req, size_t len,
	       uint8_t *resp, size_t cap, size_t *resp_len)
{
	const struct registry_entry *sl, *a;
	struct msg_pair_resp out;
	struct msg_pair_req in;
	uint8_t k_ttp[CRYPTO_KEY_LEN];
	int ret;

	ret = proto_decode_pair_req(req, len, &in);
	if (ret)
		return ret;
	sl = registry_find(reg, in.sl);
	a = registry_find(reg, in.a);
	if (!sl || !a || sl == a)
		return -ENOENT;

	memset(&out, 0, sizeof(out));
	memcpy(out.sl, in.sl, sizeof(out.sl));
	memcpy(out.a, in.a, sizeof(out.a));
	out.i1 = in.i1;
	proto_id_set(out.role, a->role[0] ? a->role : "member");
	ret = crypto_pair_key(sl->key, sl->id, a->key, a->id, out.pi);
	if (!ret)
		ret = crypto_k_ttp(sl->key, sl->id, k_ttp);
	if (!ret)
		ret = proto_encode_pair_resp(&out, k_ttp, resp, cap, resp_len);
	crypto_wipe(k_ttp, sizeof(k_ttp));
	crypto_wipe(&out, sizeof(out));
	return ret;
}

int ttp_unregistered(const struct registry *reg, const uint8_t *req,
		     size_t len, char sl[PROTO_ID_LEN], char a[PROTO_ID_LEN],
		     char who[PROTO_ID_LEN])
{
	struct msg_pair_req in;
	int ret;

	ret = proto_decode_pair_req(req, len, &in);
	if (ret)
		return ret;
	memcpy(sl, in.sl, PROTO_ID_LEN);
	memcpy(a, in.a, PROTO_ID_LEN);
	memcpy(who, registry_find(reg, in.sl) ? in.a : in.sl, PROTO_ID_LEN);
	return 0;
}

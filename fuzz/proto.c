// SPDX-License-Identifier: GPL-2.0
/*
 * The control protocol (keyd/wire/) and the micro-protocols that take
 * its messages (keyd/mech/: auth, keydist, fdetect, leave, ttp), messages 1-11 and
 * RELAY, before and after authentication.
 *
 * A fuzzer cannot forge an AEAD tag, MAC or signature, so the harness
 * seals for it: byte 0 picks a mode; in every mode but RAW byte 1 holds
 * flags (fixed identities, the right nonce, a cut of the message) and the
 * rest gives the fields and the plaintext of one message type, which the
 * harness lays out, encrypts, MACs or signs under fixed test keys exactly
 * as a sender holding them would (docs/control-protocol.md), without the
 * encoders' validation, so that what the decoders check only once the
 * tag verified (inner identities, view numbers, grants, counts, the
 * policy block, duplicates) sees arbitrary content. Each message goes to
 * its decoder and to the state machine that would receive it, set up with
 * the same keys (a member that sent 1, a leader with alice pending or in
 * its view, a TTP with both registered).
 *
 * RAW sends the rest as it is to every decoder and receiver: the path of
 * anything unauthenticated. POLICY decodes a policy block and checks that
 * encoding what it accepted gives the same block back.
 */
#include <errno.h>
#include <string.h>
#include <linux/antigone.h>

#include "mech/auth.h"
#include "fuzz.h"
#include "libwire.h"
#include "mech/fdetect.h"
#include "mech/keydist.h"
#include "mech/leave.h"
#include "mech/registry.h"
#include "mech/ttp.h"

enum mode {
	M_RAW, M_AUTH_RESP, M_PAIR_RESP, M_JOIN, M_KEY, M_KEY_MEMBERS,
	M_REKEY, M_MEMBER_HB, M_LEADER_HB, M_LEAVE, M_RELAY, M_POLICY,
	M_RETRANSMIT, M_AUTH_REQ, M_MODES
};

#define PREFIX_LEN	(PROTO_HDR_LEN + PROTO_VIEW_LEN + 8)
#define I0		0x0102030405060708ull
#define I1		0x1112131415161718ull
#define I2		0x2122232425262728ull
#define REKEY_BLOCKS	8

/* The registry both sides' long-term keys come from (fixed). */
static const char registry_text[] =
	"antigone-ttp-registry 1\n"
	"alice member "
	"a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf\n"
	"leader member "
	"c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf\n";
static const uint8_t nonce[CRYPTO_NONCE_LEN] = { 0x4e, 0x4f, 0x4e, 0x43 };
static const uint8_t prg_seed[CRYPTO_SEED_LEN] = { 0x50, 0x72, 0x47 };

static struct registry reg;
static uint8_t k_ch[CRYPTO_KEY_LEN], k_ttp[CRYPTO_KEY_LEN];
static char sl[PROTO_ID_LEN], alice[PROTO_ID_LEN], group[PROTO_ID_LEN];
static struct crypto_sig_key *prg;
static struct auth_leader leader0;	/* alice's 1 answered by 2 */
static struct auth_member member0;	/* alice, having sent 1 */
static struct member_state joined0;	/* alice after 5 */
static struct leader_view view0;	/* the leader's, with alice */
static struct policy_block pb0;
static uint8_t pug[PROTO_PUG_LEN];

int LLVMFuzzerInitialize(int *argc, char **argv[])
{
	const struct registry_entry *a, *l;
	uint8_t s_a[CRYPTO_BLOCK_LEN];
	struct policy p;
	size_t line;
	bool rk;

	FUZZ_ASSERT(!registry_parse(&reg, registry_text,
				    sizeof(registry_text) - 1, &line));
	a = registry_find(&reg, "alice");
	l = registry_find(&reg, "leader");
	proto_id_set(sl, "leader");
	proto_id_set(alice, "alice");
	proto_id_set(group, "g");
	FUZZ_ASSERT(!crypto_shared_member(a->key, sl, s_a));
	FUZZ_ASSERT(!crypto_k_ch(s_a, I0, sl, alice, k_ch));
	FUZZ_ASSERT(!crypto_k_ttp(l->key, sl, k_ttp));
	FUZZ_ASSERT(!crypto_sig_from_seed(prg_seed, &prg));
	FUZZ_ASSERT(!crypto_sig_public(prg, pug));

	memcpy(leader0.sl, sl, PROTO_ID_LEN);
	memcpy(leader0.k_sl, l->key, CRYPTO_KEY_LEN);
	leader0.pending[0] = (struct auth_pending){ .used = true, .i0 = I0,
						    .i1 = I1, .i2 = I2 };
	memcpy(leader0.pending[0].a, alice, PROTO_ID_LEN);
	/* A second one that got its 4 already: 5 is what it waits for. */
	leader0.pending[1] = leader0.pending[0];
	leader0.pending[1].answered = true;
	memcpy(leader0.pending[1].k_ch, k_ch, CRYPTO_KEY_LEN);
	proto_id_set(leader0.pending[1].role, "member");
	proto_id_set(leader0.pending[1].a, "bob");

	memcpy(member0.a, alice, PROTO_ID_LEN);
	memcpy(member0.sl, sl, PROTO_ID_LEN);
	memcpy(member0.k_a, a->key, CRYPTO_KEY_LEN);
	member0.i0 = I0;

	joined0.auth = member0;
	joined0.auth.joined = true;
	memcpy(joined0.auth.k_ch, k_ch, CRYPTO_KEY_LEN);
	memcpy(joined0.auth.resp.g.name, group, PROTO_ID_LEN);
	joined0.auth.resp.g.number = 1;
	memcpy(joined0.auth.resp.pug, pug, PROTO_PUG_LEN);
	FUZZ_ASSERT(!member_init(&joined0, 0));

	policy_predefined("member", &p);
	FUZZ_ASSERT(!view_init(&view0, "g", &p));
	p.sensitivity = 0;	/* a join does not rekey here */
	view0.policy = p;
	FUZZ_ASSERT(!view_admit(&view0, alice, "member", k_ch, 0, &rk));
	pb0.present = 1u << POLICY_TLV_SG;
	pb0.sg = ANTIGONE_G_BOTH;
	return 0;
}

static void put_hdr(uint8_t *p, uint8_t type)
{
	memset(p, 0, PROTO_HDR_LEN);
	p[0] = 'A';
	p[1] = 'G';
	p[2] = PROTO_VERSION;
	p[3] = type;
}

/* An identity: alice or the leader when the flag bit says, else input. */
static void take_id(struct fuzz_in *in, uint8_t flags, unsigned int bit,
		    const char *fixed, uint8_t *out)
{
	if (flags >> bit & 1)
		memcpy(out, fixed, PROTO_ID_LEN);
	else
		fuzz_take(in, out, PROTO_ID_LEN);
}

/* H || ids || n || AEAD(key, aad = all before n, pt): the length. */
static size_t seal_msg(uint8_t *buf, size_t aad_len, const uint8_t *key,
		       const uint8_t *pt, size_t pt_len)
{
	memcpy(buf + aad_len, nonce, CRYPTO_NONCE_LEN);
	FUZZ_ASSERT(!crypto_aead_seal_nonce(key, nonce, buf, aad_len, pt,
					    pt_len,
					    buf + aad_len + CRYPTO_NONCE_LEN));
	return aad_len + CRYPTO_NONCE_LEN + pt_len + CRYPTO_TAG_LEN;
}

/* H || g || S from the input: the prefix of 6a-6c, 8 and 9. */
static void take_prefix(struct fuzz_in *in, uint8_t *buf, uint8_t type,
			uint8_t flags)
{
	put_hdr(buf, type);
	fuzz_take(in, buf + PROTO_HDR_LEN, PROTO_VIEW_LEN + 8);
	if (flags & 4)
		memcpy(buf + PROTO_HDR_LEN, group, PROTO_ID_LEN);
}

/*
 * block(X) at out: X, the nonce, a grant of 45 input bytes sealed under
 * K_ch with H || g || S || X. The grant's SK (its last 32 bytes) in sk.
 */
static void take_block(struct fuzz_in *in, uint8_t *out,
		       const uint8_t *prefix, uint8_t flags, uint8_t *sk)
{
	uint8_t aad[PREFIX_LEN + PROTO_ID_LEN], grant[PROTO_GRANT_LEN];

	take_id(in, flags, 1, alice, out);
	fuzz_take(in, grant, sizeof(grant));
	memcpy(aad, prefix, PREFIX_LEN);
	memcpy(aad + PREFIX_LEN, out, PROTO_ID_LEN);
	memcpy(out + PROTO_ID_LEN, nonce, CRYPTO_NONCE_LEN);
	FUZZ_ASSERT(!crypto_aead_seal_nonce(k_ch, nonce, aad, sizeof(aad),
					    grant, sizeof(grant),
					    out + PROTO_ID_LEN +
					    CRYPTO_NONCE_LEN));
	memcpy(sk, grant + 13, PROTO_SK_LEN);
}

static void mac(uint8_t *buf, size_t len, const uint8_t *sk)
{
	FUZZ_ASSERT(!crypto_mac_sk(sk, buf, len, buf + len));
}

/* What a member does with a key message (6a, 6b, 6c). */
static void to_member_key(const uint8_t *buf, size_t len)
{
	struct member_state ms = joined0;
	bool fresh;

	if (!member_on_key(&ms, buf, len, &fresh) && fresh) {
		FUZZ_ASSERT(ms.have_key && ms.key.epoch == ms.g.number);
		FUZZ_ASSERT(!memcmp(ms.g.name, group, PROTO_ID_LEN));
	}
	crypto_wipe(&ms, sizeof(ms));
}

/* Every decoder and receiver, as for an unauthenticated datagram. */
static void everyone(const uint8_t *buf, size_t len)
{
	static uint8_t out[PROTO_DGRAM_MAX], data[PROTO_DGRAM_MAX];
	static struct auth_leader l;
	struct msg_auth_req m1;
	struct msg_pair_req m2;
	struct msg_pair_resp m3;
	struct msg_auth_resp m4;
	struct msg_join m5;
	struct msg_key m6a;
	struct msg_key_members_part m6b;
	struct msg_rekey_part m6c;
	struct key_grant key;
	struct msg_member_hb m8;
	struct msg_leader_hb m9;
	struct msg_retransmit m10;
	struct msg_leave m11;
	struct msg_relay r;
	struct msg_time_req tq;
	struct msg_time_resp ts;
	struct msg_chain ch;
	struct msg_chain_announce_part ca;
	struct msg_disclose dc;
	struct msg_chain_req cr;
	struct tesla_entry te;
	struct policy_block pb;
	struct auth_member am;
	struct member_state ms;
	const uint8_t *ids;
	char id[PROTO_ID_LEN], a[PROTO_ID_LEN], b[PROTO_ID_LEN];
	char role[PROTO_ID_LEN];
	uint8_t type, kc[CRYPTO_KEY_LEN];
	size_t n;
	bool flag;

	if (!proto_peek(buf, len, &type, id))
		FUZZ_ASSERT(type == buf[3]);
	proto_decode_auth_req(buf, len, &m1);
	proto_decode_pair_req(buf, len, &m2);
	proto_decode_pair_resp(buf, len, k_ttp, &m3);
	proto_decode_auth_resp(buf, len, k_ch, &m4);
	proto_decode_join(buf, len, k_ch, &m5);
	proto_decode_key(buf, len, k_ch, &m6a);
	proto_decode_key_members(buf, len, k_ch, &m6b);
	if (!proto_decode_rekey_self(buf, len, alice, k_ch, &m6c, &key)) {
		unsigned int i;

		FUZZ_ASSERT(!proto_decode_rekey(buf, len, key.sk, &m6c));
		FUZZ_ASSERT(proto_rekey_find(&m6c, alice) >= 0);
		for (i = 0; i < m6c.count; i++)
			if (!proto_rekey_open(&m6c, i, k_ch, &key))
				FUZZ_ASSERT(key.epoch == m6c.g.number);
		crypto_wipe(&key, sizeof(key));
	}
	proto_decode_member_hb(buf, len, k_ch, &m8);
	proto_decode_leader_hb(buf, len, prg, &m9);
	proto_decode_retransmit(buf, len, &m10);
	proto_decode_leave(buf, len, k_ch, &m11);
	proto_decode_relay(buf, len, k_ch, &r, data, sizeof(data));
	proto_decode_time_req(buf, len, k_ch, &tq);
	proto_decode_time_resp(buf, len, k_ch, &ts);
	if (!proto_decode_chain(buf, len, k_ch, &ch))
		FUZZ_ASSERT(proto_tesla_entry_valid(&ch.e, ch.g.number));
	if (!proto_decode_chain_announce(buf, len, prg, &ca)) {
		unsigned int i;

		FUZZ_ASSERT(ca.part < ca.parts && PROTO_CHAIN_ANNOUNCE_MIN +
			    ca.count * PROTO_TESLA_ENTRY_LEN == len);
		for (i = 0; i < ca.count; i++) {
			proto_chain_announce_entry(&ca, i, &te);
			FUZZ_ASSERT(proto_tesla_entry_valid(&te, ca.g.number));
		}
	}
	if (!proto_decode_disclose(buf, len, &dc))
		FUZZ_ASSERT(dc.epoch && dc.interval);
	if (!proto_decode_chain_req(buf, len, &cr))
		FUZZ_ASSERT(cr.epoch && cr.epoch <= cr.g.number);
	n = proto_rekey_peek_ids(buf, len, &ids);
	FUZZ_ASSERT(!n || PROTO_REKEY_MIN + n * PROTO_BLOCK_LEN == len);
	proto_policy_decode(buf, len, &pb);

	l = leader0;
	auth_leader_on_auth_req(&l, buf, len, 0, out, sizeof(out), &n);
	l = leader0;
	auth_leader_on_pair_resp(&l, buf, len, &view0.g, pug, &pb0, out,
				 sizeof(out), &n, a);
	l = leader0;
	auth_leader_on_join(&l, buf, len, a, kc, role);
	am = member0;
	auth_member_on_auth_resp(&am, buf, len, out, sizeof(out), &n);
	ttp_answer(&reg, buf, len, out, sizeof(out), &n);
	to_member_key(buf, len);
	ms = joined0;
	member_on_leader_hb(&ms, buf, len, 1, &flag);
	view0.m[0].last_s_a = 0;
	view_on_member_hb(&view0, buf, len, 1);
	view_on_retransmit(&view0, buf, len, a);
	view_on_leave(&view0, buf, len, a, b);
	crypto_wipe(&l, sizeof(l));
	crypto_wipe(&am, sizeof(am));
	crypto_wipe(&ms, sizeof(ms));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t buf[PROTO_DGRAM_MAX], pt[PROTO_DGRAM_MAX];
	static uint8_t sks[REKEY_BLOCKS][PROTO_SK_LEN];
	struct fuzz_in in = { data, size };
	uint8_t mode, flags, sk[PROTO_SK_LEN];
	struct policy_block p, q;
	size_t len, n, i;

	if (!size)
		return 0;
	mode = fuzz_u8(&in) % M_MODES;
	if (mode == M_RAW) {
		everyone(in.p, in.left);
		return 0;
	}
	flags = fuzz_u8(&in);
	switch (mode) {
	case M_AUTH_RESP:	/* H SL A n AEAD_Kch(g A I0 I2 PuG policy) */
		put_hdr(buf, PROTO_AUTH_RESP);
		take_id(&in, flags, 0, sl, buf + 8);
		take_id(&in, flags, 1, alice, buf + 24);
		n = in.left < 96 + PROTO_POLICY_MAX + 8 ? in.left :
		    96 + PROTO_POLICY_MAX + 8;
		fuzz_take(&in, pt, n);
		if (flags & 8)	/* the right I0: it is alice's answer */
			for (i = 0; i < 8 && n >= 56; i++)
				pt[48 + i] = (uint8_t)(I0 >> (56 - 8 * i));
		len = seal_msg(buf, 40, k_ch, pt, n);
		break;
	case M_PAIR_RESP:	/* H || SL || A || n || AEAD_Kttp(pi I1 role) */
		put_hdr(buf, PROTO_PAIR_RESP);
		take_id(&in, flags, 0, sl, buf + 8);
		take_id(&in, flags, 1, alice, buf + 24);
		n = in.left < 64 ? in.left : 64;
		fuzz_take(&in, pt, n);
		if (flags & 8)	/* the leader's own I1 */
			for (i = 0; i < 8 && n >= 24; i++)
				pt[16 + i] = (uint8_t)(I1 >> (56 - 8 * i));
		len = seal_msg(buf, 40, k_ttp, pt, n);
		break;
	case M_JOIN:		/* H || A || n || AEAD_Kch(A I2) */
		put_hdr(buf, PROTO_JOIN);
		if (flags & 2)
			proto_id_set((char *)buf + 8, "bob");
		else
			fuzz_take(&in, buf + 8, PROTO_ID_LEN);
		n = in.left < 48 ? in.left : 48;
		fuzz_take(&in, pt, n);
		len = seal_msg(buf, 24, k_ch, pt, n);
		break;
	case M_KEY:		/* prefix || block(A) || MAC_SK */
		take_prefix(&in, buf, PROTO_KEY, flags);
		take_block(&in, buf + PREFIX_LEN, buf, flags, sk);
		len = PROTO_KEY_LEN - CRYPTO_MAC_LEN;
		mac(buf, len, sk);
		len += CRYPTO_MAC_LEN;
		break;
	case M_KEY_MEMBERS:	/* prefix || block(A) || counts || ids || MAC */
		take_prefix(&in, buf, PROTO_KEY_MEMBERS, flags);
		take_block(&in, buf + PREFIX_LEN, buf, flags, sk);
		len = PREFIX_LEN + PROTO_BLOCK_LEN;
		fuzz_take(&in, buf + len, 6);
		len += 6;
		n = in.left < 2048 ? in.left : 2048;
		fuzz_take(&in, buf + len, n);
		len += n;
		mac(buf, len, sk);
		len += CRYPTO_MAC_LEN;
		break;
	case M_REKEY:		/* prefix || counts || blocks || MAC_SK' */
		take_prefix(&in, buf, PROTO_REKEY, flags);
		fuzz_take(&in, buf + PREFIX_LEN, 6);
		len = PREFIX_LEN + 6;
		n = fuzz_u8(&in) % REKEY_BLOCKS + 1;
		for (i = 0; i < n; i++) {
			/* The first block is alice's unless flagged. */
			take_block(&in, buf + len, buf, i ? 0 : flags,
				   sks[i]);
			len += PROTO_BLOCK_LEN;
		}
		mac(buf, len, sks[(flags >> 4) % n]);
		len += CRYPTO_MAC_LEN;
		break;
	case M_MEMBER_HB:	/* prefix(S_A) || A || HMAC_Kch */
		take_prefix(&in, buf, PROTO_MEMBER_HB, flags);
		take_id(&in, flags, 1, alice, buf + PREFIX_LEN);
		FUZZ_ASSERT(!crypto_hmac16(k_ch, buf, 64, buf + 64));
		len = PROTO_MEMBER_HB_LEN;
		break;
	case M_LEADER_HB:	/* prefix || Sig */
		take_prefix(&in, buf, PROTO_LEADER_HB, flags);
		FUZZ_ASSERT(!crypto_sig_sign(prg, buf, PREFIX_LEN,
					     buf + PREFIX_LEN));
		len = PROTO_LEADER_HB_LEN;
		break;
	case M_LEAVE:		/* H || A || n || AEAD_Kch(g A B) */
		put_hdr(buf, PROTO_LEAVE);
		take_id(&in, flags, 1, alice, buf + 8);
		n = in.left < 96 ? in.left : 96;
		fuzz_take(&in, pt, n);
		len = seal_msg(buf, 24, k_ch, pt, n);
		break;
	case M_RELAY:		/* H || A || n || AEAD_Kch(port datagram) */
		put_hdr(buf, PROTO_RELAY);
		take_id(&in, flags, 1, alice, buf + 8);
		n = in.left < 4096 ? in.left : 4096;
		fuzz_take(&in, pt, n);
		len = seal_msg(buf, 24, k_ch, pt, n);
		break;
	case M_POLICY:
		if (proto_policy_decode(in.p, in.left, &p))
			return 0;
		FUZZ_ASSERT(!proto_policy_encode(&p, buf, PROTO_POLICY_MAX,
						 &n));
		FUZZ_ASSERT(n <= in.left);
		FUZZ_ASSERT(!proto_policy_decode(buf, n, &q));
		FUZZ_ASSERT(!memcmp(&p, &q, sizeof(p)));
		return 0;
	case M_RETRANSMIT:	/* H || g || A, in clear */
		put_hdr(buf, PROTO_RETRANSMIT);
		fuzz_take(&in, buf + 8, PROTO_VIEW_LEN);
		if (flags & 4)
			memcpy(buf + 8, group, PROTO_ID_LEN);
		take_id(&in, flags, 1, alice, buf + 40);
		len = PROTO_RETRANSMIT_LEN;
		break;
	default:		/* 1 and 2: H || [SL] || A || I */
		put_hdr(buf, flags & 1 ? PROTO_PAIR_REQ : PROTO_AUTH_REQ);
		len = PROTO_HDR_LEN;
		if (flags & 1) {
			take_id(&in, flags, 2, sl, buf + len);
			len += PROTO_ID_LEN;
		}
		take_id(&in, flags, 1, alice, buf + len);
		len += PROTO_ID_LEN;
		fuzz_take(&in, buf + len, 8);
		len += 8;
		break;
	}
	everyone(buf, len);
	/* Every cut of it is refused where the length shows it. */
	if (flags & 0x80)
		everyone(buf, len - 1 - (flags & 0x3f) % len);
	crypto_wipe(sk, sizeof(sk));
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * pktfuzz: one datagram. Sealed under one epoch or another, then
 * mutated (header fields, bit flips, lengths, checksums, IPv4 options,
 * IPv6 extension headers, fragments, cut frames, replays...) and sent
 * through the veth pair, whole or as fragments; counted per mutation.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>

#include "libwire.h"
#include "pktfuzz.h"

struct stats pf_st;

const char *const pf_mutation_names[__M_MAX] = {
	"header", "bitflip", "truncate", "grow", "udp-len", "ip-len",
	"udp-csum", "ip-options", "ihl", "ip-version", "ip-csum", "ext-hdrs",
	"fragments", "cut-frame", "protocol", "far-seq", "replay", "epoch",
	"guarantee",
};

uint64_t pf_seqs[4][3][128];	/* epoch slot, class, sender */

/* A sealed payload for @t; plaintext of @plen random bytes. */
size_t pf_sealed(const struct target *t, uint8_t *out, size_t cap,
		 size_t plen, uint32_t epoch_hdr, int key_epoch,
		 uint8_t guarantee, uint32_t sender, uint64_t seq)
{
	static uint8_t plain[WIRE_PAYLOAD_MAX];
	unsigned int keylen = t->suite == ANTIGONE_SUITE_AES128_GCM ? 16 : 32;
	struct wire_key k;
	size_t n = 0, i;

	for (i = 0; i < plen; i++)
		plain[i] = (uint8_t)pf_rnd();
	if (wire_key_set(&k, t->suite, epoch_hdr ? epoch_hdr : 1,
			 key_epoch == 2 ? pf_key2 : pf_key1, keylen))
		return 0;
	if (wire_seal(&k, guarantee, sender, seq ? seq : 1, plain, plen, out,
		      cap, &n))
		n = 0;
	wire_key_wipe(&k);
	if (n && !epoch_hdr)
		memset(out + 4, 0, 4);	/* epoch 0: never valid */
	return n;
}

static size_t random_ipopts(uint8_t *o)
{
	size_t len = 4 * (1 + pf_below(10)), i = 0;

	while (i < len) {
		switch (pf_below(5)) {
		case 0:
			o[i++] = 1;			/* NOP */
			break;
		case 1:
			o[i++] = 0;			/* EOL */
			break;
		case 2: {				/* record route */
			size_t l = 3 + 4 * pf_below(3);

			if (i + l > len) {
				o[i++] = 1;
				break;
			}
			o[i] = 7;
			o[i + 1] = (uint8_t)(pf_chance(80) ? l : pf_rnd());
			o[i + 2] = 4;
			memset(o + i + 3, 0, l - 3);
			i += l;
			break;
		}
		default:
			o[i++] = (uint8_t)pf_rnd();
		}
	}
	return len;
}

/* A chain of IPv6 extension headers ending in @last. */
static size_t random_ext(uint8_t *e, uint8_t *first, uint8_t last)
{
	static const uint8_t kinds[] = { 0, 60, 43, 44, 60, 0 };
	size_t n = 1 + pf_below(4), i, off = 0;
	uint8_t *prev_next = first;

	for (i = 0; i < n; i++) {
		uint8_t kind = kinds[pf_below(sizeof(kinds))];
		size_t len;

		if (pf_chance(3))
			kind = (uint8_t)pf_rnd();
		*prev_next = kind;
		if (kind == 44) {			/* fragment, atomic */
			len = 8;
			memset(e + off, 0, len);
			if (pf_chance(20))
				e[off + 3] = (uint8_t)pf_rnd();	/* offset, M */
			e[off + 4] = (uint8_t)pf_rnd();
		} else {
			len = 8 * (1 + pf_below(3));
			memset(e + off, 0, len);
			e[off + 1] = (uint8_t)(len / 8 - 1);
			if (kind == 43) {		/* routing, segleft 0 */
				e[off + 2] = (uint8_t)pf_below(5);
				e[off + 3] = pf_chance(90) ? 0 : (uint8_t)pf_rnd();
			} else {
				e[off + 2] = 1;		/* PadN */
				e[off + 3] = (uint8_t)(len - 4);
				if (pf_chance(10))
					e[off + 2] = (uint8_t)pf_rnd();
			}
			if (pf_chance(5))
				e[off + 1] = (uint8_t)pf_rnd();
		}
		prev_next = &e[off];
		off += len;
	}
	*prev_next = last;
	return off;
}

uint64_t pf_datagram_no;
uint64_t pf_trace_from = UINT64_MAX, pf_trace_to;	/* --trace I[-J] */

void pf_send_counted(const uint8_t *f, size_t len)
{
	size_t i;

	if (pf_datagram_no >= pf_trace_from && pf_datagram_no <= pf_trace_to) {
		printf("# frame of %zu bytes:", len);
		for (i = 0; i < len; i++)
			printf("%s%02x", i % 32 ? "" : "\n#   ", f[i]);
		printf("\n");
	}
	if (!frame_send(&pf_link_tx, f, len))
		pf_st.frames++;
}

/* Sends @f, an IP datagram in a frame, as 2-5 fragments in some order. */
static void send_fragments(const uint8_t *f, size_t len, int family)
{
	static uint8_t out[FRAME_MAX];
	size_t hl = family == AF_INET ? 20 : 40, body, start[6], n, i, k;
	size_t order[6];

	/* One id per datagram, unique for longer than reassembly waits
	 * (30 s): a hole left in one phase filled by another phase's
	 * fragments would be counted against the wrong phase.
	 */
	static uint16_t ipv4_id;
	uint32_t frag_id = (uint32_t)pf_st.frames;

	if (len < 14 + hl + 16)
		return pf_send_counted(f, len);
	body = len - 14 - hl;
	ipv4_id++;
	n = 2 + pf_below(4);
	/* Cut points on 8-byte boundaries. */
	start[0] = 0;
	for (i = 1; i < n; i++)
		start[i] = ((body * i / n) / 8) * 8;
	start[n] = body;
	for (i = 0; i < n; i++)
		order[i] = i;
	if (pf_chance(50))
		for (i = n - 1; i > 0; i--) {
			size_t j = pf_below(i + 1), t = order[i];

			order[i] = order[j];
			order[j] = t;
		}
	for (k = 0; k < n; k++) {
		size_t p = order[k], from = start[p], to = start[p + 1];
		bool more = p + 1 < n;

		if (pf_chance(8))
			continue;			/* a hole */
		if (pf_chance(8) && p + 1 < n)
			to = start[p + 1] + 8 < body ? start[p + 1] + 8 : body;
		/* Headers are edited in aligned copies: f + 14 is not. */
		memcpy(out, f, 14);
		if (family == AF_INET) {
			struct iphdr ip;

			memcpy(&ip, f + 14, sizeof(ip));
			ip.id = htons(ipv4_id);
			ip.frag_off = htons((uint16_t)((from / 8) |
						      (more ? IP_MF : 0)));
			ip.tot_len = htons((uint16_t)(hl + to - from));
			ip.check = 0;
			ip.check = htons(frame_csum_fold(
				frame_csum_add(0, &ip, hl)));
			memcpy(out + 14, &ip, hl);
			memcpy(out + 14 + hl, f + 14 + hl + from, to - from);
			pf_send_counted(out, 14 + hl + to - from);
		} else {
			struct ip6_hdr ip6;
			uint8_t fh[8];

			memcpy(&ip6, f + 14, sizeof(ip6));
			fh[0] = ip6.ip6_nxt;
			fh[1] = 0;
			fh[2] = (uint8_t)((from >> 8) & 0xff);
			fh[3] = (uint8_t)((from & 0xf8) | (more ? 1 : 0));
			/* Its first frame number: unique too. */
			fh[4] = (uint8_t)(frag_id >> 24);
			fh[5] = (uint8_t)(frag_id >> 16);
			fh[6] = (uint8_t)(frag_id >> 8);
			fh[7] = (uint8_t)frag_id;
			ip6.ip6_nxt = 44;
			ip6.ip6_plen = htons((uint16_t)(8 + to - from));
			memcpy(out + 14, &ip6, hl);
			memcpy(out + 14 + hl, fh, 8);
			memcpy(out + 14 + hl + 8, f + 14 + hl + from, to - from);
			pf_send_counted(out, 14 + hl + 8 + to - from);
		}
		pf_st.fragments++;
	}
}

int pf_force_family;		/* ANTIGONE_FUZZ_FAMILY: 4 or 6 */
int pf_only_mutation = -1;		/* ANTIGONE_FUZZ_MUTATION */

void pf_one_datagram(const struct target *t, bool random_port)
{
	static uint8_t payload[WIRE_DGRAM_MAX + 64], f[FRAME_MAX];
	static uint8_t opts[40], ext[128];
	int family = pf_force_family ? pf_force_family :
		     pf_chance(50) ? AF_INET : AF_INET6;
	uint32_t sender = 1 + pf_below(24), epoch = 1 + pf_below(2);
	uint8_t guarantee = t->guarantee;
	int key_epoch = (int)epoch, slot, cls;
	size_t plen = pf_chance(90) ? pf_below(1400) : 1400 + pf_below(7000), n;
	bool mut[__M_MAX] = { 0 };
	struct frame_spec s;
	uint64_t seq;
	int i, nmut = pf_chance(30) ? 0 : 1 + (int)pf_below(3);

	for (i = 0; i < nmut; i++)
		mut[pf_below(__M_MAX)] = true;
	if (pf_only_mutation >= 0) {
		memset(mut, 0, sizeof(mut));
		mut[pf_only_mutation] = pf_chance(70);
	}
	if (t->tagged)
		mut[M_EXT] = false;	/* see stack_drops() */
	for (i = 0; i < __M_MAX; i++)
		if (mut[i])
			pf_st.mutations[i]++;
	if (pf_datagram_no >= pf_trace_from && pf_datagram_no <= pf_trace_to) {
		printf("# datagram %" PRIu64 " to %s (%s), IPv%d:", pf_datagram_no,
		       t->group, random_port ? "random port" : "its port",
		       family == AF_INET ? 4 : 6);
		for (i = 0; i < __M_MAX; i++)
			if (mut[i])
				printf(" %s", pf_mutation_names[i]);
		printf("\n");
	}
	if (mut[M_GUARANTEE])
		guarantee = 1 + pf_below(3);
	else if (pf_chance(50))
		guarantee = ANTIGONE_G_BOTH;		/* meets every minimum */
	if (mut[M_EPOCH]) {
		static const uint32_t odd[] = { 0, 3, 0xffffffff, 0x80000000 };

		epoch = odd[pf_below(4)];
		key_epoch = pf_chance(50) ? 1 : 2;
	}
	slot = epoch == 1 ? 1 : epoch == 2 ? 2 : 3;
	cls = guarantee - 1;
	seq = ++pf_seqs[slot][cls][sender];
	if (mut[M_SEQ])
		seq = pf_chance(50) ? pf_rnd() : seq + 1 + pf_below(100000);
	if (mut[M_REPLAY] && seq > 2)
		seq -= 1 + pf_below((uint32_t)(seq - 1));
	n = pf_sealed(t, payload, sizeof(payload), plen, epoch, key_epoch,
		      guarantee, sender, seq);
	if (!n)
		return;
	if (mut[M_HDR])
		payload[pf_below(ANTIGONE_WIRE_HDR_LEN)] = (uint8_t)pf_rnd();
	if (mut[M_FLIP])
		payload[pf_below((uint32_t)n)] ^= (uint8_t)(1u << pf_below(8));
	if (mut[M_TRUNC])
		n = pf_below((uint32_t)n);
	if (mut[M_GROW]) {
		size_t more = 1 + pf_below(40);

		for (i = 0; i < (int)more; i++)
			payload[n + i] = (uint8_t)pf_rnd();
		n += more;
	}
	frame_spec_init(&s, family, family == AF_INET ? "10.9.0.1" : "fd00::1",
			family == AF_INET ? "10.9.0.2" : "fd00::2",
			(uint16_t)(1024 + pf_below(60000)),
			random_port ? (uint16_t)pf_rnd() : t->port, payload, n);
	s.ip_id = (uint16_t)pf_rnd();
	if (mut[M_ULEN])
		s.udp_len = pf_chance(50) ? (int)(uint16_t)pf_rnd() :
			    (int)(n + 8) + (int)pf_below(80) - 40;
	if (mut[M_IPLEN])
		s.ip_len = pf_chance(50) ? (int)(uint16_t)pf_rnd() :
			   (int)(n + 8 + (family == AF_INET ? 20 : 0)) +
			   (int)pf_below(20) - 10;
	if (mut[M_CSUM])
		s.csum = pf_chance(50) ? FRAME_CSUM_ZERO : FRAME_CSUM_BAD;
	if (family == AF_INET) {
		if (mut[M_IPOPTS]) {
			s.ipopts = opts;
			s.ipopts_len = random_ipopts(opts);
		}
		if (mut[M_IHL])
			s.ihl = (int)pf_below(16);
		if (mut[M_IPCSUM])
			s.bad_ip_csum = true;
	} else if (mut[M_EXT]) {
		s.ext = ext;
		s.ext_len = random_ext(ext, &s.ext_first,
				       pf_chance(90) ? IPPROTO_UDP :
				       (uint8_t)pf_rnd());
	}
	if (mut[M_VERSION])
		s.version = (int)pf_below(16);
	if (mut[M_PROTO])
		s.l4proto = (uint8_t)pf_rnd();
	n = frame_build(&pf_link_tx, f, &s);
	if (mut[M_CUT])
		n = 14 + pf_below((uint32_t)(n - 14));
	/* Past the MTU it must be fragments anyway. */
	if (mut[M_FRAG] || n > 1514)
		send_fragments(f, n, family);
	else
		pf_send_counted(f, n);
}


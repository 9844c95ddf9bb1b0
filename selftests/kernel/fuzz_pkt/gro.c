// SPDX-License-Identifier: GPL-2.0
/*
 * pktfuzz: the GRO trains phase: bursts of one flow that GRO on vb
 * merges for the UDP_GRO sockets, a bad datagram among good ones now and
 * then; every good one must be delivered and every bad one counted.
 */
#include <inttypes.h>
#include <unistd.h>
#include <netinet/ip6.h>

#include "libwire.h"
#include "../lib/vmtest.h"
#include "pktfuzz.h"

/*
 * Trains: bursts of one flow's datagrams of one size, so that GRO on vb
 * merges them for the UDP_GRO sockets, a bad one among the good now and
 * then. Every good one is delivered; every bad one is counted.
 */
void pf_gro_phase(uint64_t bursts)
{
	static uint8_t payload[2048], f[FRAME_MAX];
	uint64_t good[NTARGETS] = { 0 }, bad[NTARGETS] = { 0 };
	uint64_t expect[NTARGETS] = { 0 };
	uint64_t pkts0[NTARGETS], bad0[NTARGETS], bytes0[NTARGETS];
	uint64_t msgs0[NTARGETS], udp0 = pf_stack_drops(), lost;
	uint64_t b;
	size_t t;

	/* veth hands frames to GRO only from a sender without TSO, and
	 * GRO merges only what one NAPI poll finds: netem on va releases
	 * each burst at once.
	 */
	vm_sh("ethtool -K vb gro on >/dev/null 2>&1 && "
	   "ip netns exec %s ethtool -K va tso off >/dev/null 2>&1 && "
	   "tc -n %s qdisc add dev va root netem delay 2ms limit 10000",
	   pf_txns, pf_txns);
	for (t = 0; t < NTARGETS; t++) {
		pf_group_in(&pf_targets[t], &pkts0[t]);
		bad0[t] = pf_group_stat(&pf_targets[t], ANTIGONE_STAT_IN_NOT_VALID);
		bytes0[t] = pf_delivered_bytes[t];
		msgs0[t] = pf_delivered_msgs[t];
	}
	for (b = 0; b < bursts; b++) {
		size_t plen = 100 + pf_below(1200), n, k, nseg = 2 + pf_below(15);
		size_t badseg = pf_chance(50) ? pf_below((uint32_t)nseg) : SIZE_MAX;
		int family = pf_chance(50) ? AF_INET : AF_INET6;
		uint16_t sport = (uint16_t)(1024 + pf_below(60000));
		/* Senders of their own: earlier phases moved the others'
		 * windows far ahead on purpose.
		 */
		uint32_t sender = 100 + pf_below(24);
		struct target *tg;

		do {
			t = pf_below(NTARGETS);
			tg = &pf_targets[t];
		} while (!tg->gro);
		for (k = 0; k < nseg; k++) {
			uint64_t seq = ++pf_seqs[1][2][sender];
			struct frame_spec s;

			n = pf_sealed(tg, payload, sizeof(payload), plen, 1, 1,
				      ANTIGONE_G_BOTH, sender, seq);
			if (k == badseg) {
				payload[ANTIGONE_WIRE_HDR_LEN +
					pf_below((uint32_t)plen)] ^= 1;
				bad[t]++;
			} else {
				good[t]++;
				expect[t] += plen;
			}
			frame_spec_init(&s, family,
					family == AF_INET ? "10.9.0.1" : "fd00::1",
					family == AF_INET ? "10.9.0.2" : "fd00::2",
					sport, tg->port, payload, n);
			s.ip_id = (uint16_t)(b * 64 + k);
			pf_send_counted(f, frame_build(&pf_link_tx, f, &s));
		}
		pf_drain();
	}
	usleep(300 * 1000);
	pf_drain();
	/* A full socket buffer drops after the module counted: UDP says. */
	lost = pf_stack_drops() - udp0;
	for (t = 0; t < NTARGETS; t++) {
		uint64_t pk, nv, got;
		bool ok;

		if (!pf_targets[t].gro)
			continue;
		pf_group_in(&pf_targets[t], &pk);
		nv = pf_group_stat(&pf_targets[t], ANTIGONE_STAT_IN_NOT_VALID);
		/* Tagged sockets get none: UDP splits trains before
		 * encap_rcv (udp_unexpected_gso).
		 */
		got = pf_delivered_bytes[t] - bytes0[t];
		ok = pk - pkts0[t] == good[t] && nv - bad0[t] == bad[t];
		if (pf_targets[t].tagged)	/* one message per datagram */
			ok = ok && pf_delivered_msgs[t] - msgs0[t] + lost >= good[t] &&
			     got <= expect[t];
		else
			ok = ok && got == expect[t] && pf_trains[t] > 0;
		pf_tap(ok, "GRO trains to %s: %" PRIu64 " good counted, %" PRIu64
		       " of %" PRIu64 " bytes delivered (%" PRIu64 " trains, %"
		       PRIu64 " dropped by UDP), %" PRIu64 " of %" PRIu64
		       " bad counted", pf_targets[t].group, pk - pkts0[t], got,
		       expect[t], pf_trains[t], lost, nv - bad0[t], bad[t]);
	}
	vm_sh("ethtool -K vb gro off >/dev/null 2>&1; "
	   "tc -n %s qdisc del dev va root 2>/dev/null", pf_txns);
}


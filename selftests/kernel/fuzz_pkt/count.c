// SPDX-License-Identifier: GPL-2.0
/*
 * pktfuzz: the accounting and the phases that check it. nftables
 * counts what reached LOCAL_IN, the groups count what they received, UDP
 * counts what it dropped before a socket; the selector and tagged-socket
 * phases send datagrams and compare the three.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/ip6.h>

#include "../../../keyd/dp/kernel_nl.h"
#include "pktfuzz.h"

static const int in_stats[] = {
	ANTIGONE_STAT_IN_PKTS, ANTIGONE_STAT_IN_MALFORMED,
	ANTIGONE_STAT_IN_NOT_VALID, ANTIGONE_STAT_IN_REPLAYED,
	ANTIGONE_STAT_IN_UNKNOWN_EPOCH, ANTIGONE_STAT_IN_OLD_EPOCH,
	ANTIGONE_STAT_IN_STALE, ANTIGONE_STAT_IN_EXPIRED,
	ANTIGONE_STAT_IN_CLEAR, ANTIGONE_STAT_IN_WEAK,
	ANTIGONE_STAT_IN_ERRORS, ANTIGONE_STAT_IN_CSUM,
	/* A relaying leader's: checked and sent on, or refused unopened. */
	ANTIGONE_STAT_RELAY_IN, ANTIGONE_STAT_RELAY_REFUSED,
};
#define NSTATS (sizeof(in_stats) / sizeof(in_stats[0]))

/* nftables counter c<port>, or call for port 0. */
static uint64_t nft_count(uint16_t port)
{
	char cmd[96], line[256];
	uint64_t n = UINT64_MAX;
	FILE *p;

	if (port)
		snprintf(cmd, sizeof(cmd), "nft list counter inet pf c%u",
			 port);
	else
		snprintf(cmd, sizeof(cmd), "nft list counter inet pf call");
	p = popen(cmd, "r");
	if (!p)
		return n;
	while (fgets(line, sizeof(line), p)) {
		char *s = strstr(line, "packets ");

		if (s)
			n = strtoull(s + 8, NULL, 10);
	}
	pclose(p);
	return n;
}

/* The group's receive counters, one reason per datagram: their sum. */
uint64_t pf_group_in(const struct target *t, uint64_t *pkts)
{
	struct kernel_group g;
	uint64_t sum = 0;
	size_t i;

	if (kernel_group_get(pf_nl, 0, t->group, &g))
		return UINT64_MAX;
	for (i = 0; i < NSTATS; i++)
		sum += g.stats[in_stats[i]];
	if (pkts)
		*pkts = g.stats[ANTIGONE_STAT_IN_PKTS];
	return sum;
}

uint64_t pf_group_stat(const struct target *t, int stat)
{
	struct kernel_group g;

	if (kernel_group_get(pf_nl, 0, t->group, &g))
		return UINT64_MAX;
	return g.stats[stat];
}

/*
 * What UDP itself dropped after LOCAL_IN, before a tagged socket's
 * encap_rcv: Udp and Udp6 InErrors (lengths, checksums) and NoPorts (an
 * IPv4 header length that moves the UDP header moves the port too). These
 * count every port, so the tagged phase counts every UDP datagram at
 * LOCAL_IN. IPv6 extension headers, which the stack processes after
 * LOCAL_IN and counts nowhere per port, go only to selectors, where the
 * module sees them first.
 */
uint64_t pf_stack_drops(void)
{
	char line[1024], *names = NULL;
	uint64_t sum = 0;
	FILE *f = fopen("/proc/net/snmp", "r");

	if (f) {
		while (fgets(line, sizeof(line), f)) {
			if (strncmp(line, "Udp:", 4))
				continue;
			if (!names) {
				names = strdup(line);
				continue;
			}
			{
				char *save1, *save2;
				char *n = strtok_r(names, " \n", &save1);
				char *v = strtok_r(line, " \n", &save2);

				while (n && v) {
					if (!strcmp(n, "InErrors") ||
					    !strcmp(n, "NoPorts"))
						sum += strtoull(v, NULL, 10);
					n = strtok_r(NULL, " \n", &save1);
					v = strtok_r(NULL, " \n", &save2);
				}
			}
			break;
		}
		fclose(f);
		free(names);
	}
	f = fopen("/proc/net/snmp6", "r");
	if (f) {
		while (fgets(line, sizeof(line), f)) {
			char name[64];
			unsigned long long v;

			if (sscanf(line, "%63s %llu", name, &v) == 2 &&
			    (!strcmp(name, "Udp6InErrors") ||
			     !strcmp(name, "Udp6NoPorts")))
				sum += v;
		}
		fclose(f);
	}
	return sum;
}

/* ---- phases ------------------------------------------------------------- */

uint64_t pf_check_every;			/* --check-every M */

struct tally {
	uint64_t nft[NTARGETS], in[NTARGETS], nft_all, udp;
};

static void tally_read(struct tally *t)
{
	size_t i;

	for (i = 0; i < NTARGETS; i++) {
		t->nft[i] = nft_count(pf_targets[i].port);
		t->in[i] = pf_group_in(&pf_targets[i], NULL);
	}
	t->nft_all = nft_count(0);
	t->udp = pf_stack_drops();
}

/* Whether what reached LOCAL_IN since @a is what was counted: per group
 * for selectors; for tagged sockets, all UDP at LOCAL_IN is what all
 * groups and UDP's own drops counted.
 */
static bool tally_ok(const struct tally *a, const struct tally *b,
		     bool tagged, const char *name, bool report)
{
	uint64_t nft_total = b->nft_all - a->nft_all, in_total = 0;
	uint64_t udp_total = b->udp - a->udp;
	bool ok = true;
	size_t t;

	for (t = 0; t < NTARGETS; t++) {
		uint64_t nft = b->nft[t] - a->nft[t], in = b->in[t] - a->in[t];

		in_total += in;
		if (tagged || pf_targets[t].tagged)
			continue;
		ok &= nft == in;
		if (report)
			pf_tap(nft == in && nft > 0,
			       "%s: %s: %" PRIu64 " reached LOCAL_IN, %" PRIu64
			       " counted", name, pf_targets[t].group, nft, in);
	}
	if (!tagged)
		return ok;
	ok = nft_total == in_total + udp_total;
	if (report)
		pf_tap(ok && in_total > 0,
		       "%s: %" PRIu64 " UDP datagrams reached LOCAL_IN = %"
		       PRIu64 " counted by the groups + %" PRIu64
		       " dropped by UDP",
		       name, nft_total, in_total, udp_total);
	return ok;
}

void pf_phase(const char *name, bool tagged, uint64_t count)
{
	uint64_t frames0 = pf_st.frames, i, last_good = pf_datagram_no;
	struct tally start, now;
	bool broken = false;

	tally_read(&start);
	for (i = 0; i < count; i++) {
		struct target *tg;

		do {
			tg = &pf_targets[pf_below(NTARGETS)];
		} while (tg->tagged != tagged);
		pf_one_datagram(tg, !tagged && pf_chance(3));
		pf_datagram_no++;
		if (!(i % 128))
			pf_drain();
		if (pf_check_every && !broken && !(pf_datagram_no % pf_check_every) &&
		    (pf_trace_from == UINT64_MAX ||
		     (pf_datagram_no > pf_trace_from && pf_datagram_no <= pf_trace_to + 1))) {
			usleep(300 * 1000);
			pf_drain();
			tally_read(&now);
			if (tally_ok(&start, &now, tagged, name, false)) {
				last_good = pf_datagram_no;
			} else {
				printf("# %s: the accounting broke at datagram "
				       "%" PRIu64 "..%" PRIu64 "\n", name,
				       last_good, pf_datagram_no - 1);
				broken = true;
			}
		}
	}
	usleep(300 * 1000);
	pf_drain();
	tally_read(&now);
	tally_ok(&start, &now, tagged, name, true);
	printf("# %s: %" PRIu64 " frames sent\n", name, pf_st.frames - frames0);
}


/*
 * The relaying leader: some of what reached it was checked and sent on,
 * a copy to each of the other 23 members (or counted as not sent), and
 * some refused before any crypto (an index registered at the other
 * family's address, no tag, no header).
 */
void pf_relay_check(void)
{
	const struct target *t = NULL;
	uint64_t in, copies, errors, refused;
	size_t i;

	for (i = 0; i < NTARGETS; i++)
		if (pf_targets[i].relay)
			t = &pf_targets[i];
	if (!t) {
		pf_tap(false, "a relaying leader among the targets");
		return;
	}
	in = pf_group_stat(t, ANTIGONE_STAT_RELAY_IN);
	copies = pf_group_stat(t, ANTIGONE_STAT_RELAY_COPIES);
	errors = pf_group_stat(t, ANTIGONE_STAT_RELAY_ERRORS);
	refused = pf_group_stat(t, ANTIGONE_STAT_RELAY_REFUSED);
	pf_tap(in > 0 && refused > 0 && copies + errors == 23 * in,
	       "relaying leader %s: %" PRIu64 " checked and sent on (%" PRIu64
	       " copies, %" PRIu64 " not sent), %" PRIu64
	       " refused before any crypto", t->group, in, copies, errors,
	       refused);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Packet fuzzer: mutated IPv4/IPv6 + UDP + version-1 datagrams from
 * another network namespace at groups of every guarantee, transparent and
 * tagged, and checks that the module accounts for every one.
 *
 *   netns pf-tx-PID           this process's netns
 *   AF_PACKET ── va ══ veth ══ vb 10.9.0.2, fd00::2
 *                                 ta/tb/tc/tch: selectors, ports 7301-7304
 *                                 xa/xb/xc: tagged sockets, ports 7311-7313
 *
 * Each datagram starts true (sealed under epoch 1 or 2, or an epoch the
 * receivers do not have) and then has some of these done to it: header
 * fields, bit flips, truncation and growth of the payload; lying UDP and
 * IP lengths (also with a valid tag), bad or zero checksums, IPv4 options
 * and header lengths, IPv6 extension header chains, IP versions, other
 * protocols, fragments in any order with overlaps and holes, frames cut
 * anywhere; replays and far sequences; trains that GRO merges, with a bad
 * datagram among good ones.
 *
 * Accounting, by phase:
 *  1. selectors: nftables counts what reaches LOCAL_IN for each group
 *     address and port; the group's receive counters must have moved by
 *     exactly as much, one reason per datagram.
 *  2. tagged sockets: all UDP that nftables counted at LOCAL_IN is what
 *     the groups counted plus what UDP itself dropped (Udp/Udp6 InErrors,
 *     NoPorts) before a socket.
 *  3. GRO trains: every good datagram delivered, every bad one counted.
 * The kernel log is checked by run-vm (and KASAN, lockdep under the debug
 * kernel). Runs in the VM.
 *
 *   pktfuzz [--count N] [--seed S] [--trace I[-J]] [--check-every M]
 *     N: datagrams (ANTIGONE_FUZZ_PACKETS, default 20000); S: the seed a
 *     failed run printed; I-J: print the choices and frames of those
 *     datagrams (counted from 0 over the selector and tagged phases);
 *     M: check the accounting every M datagrams (with --trace, only
 *     there) and say where it broke
 *
 * This file: the command line, the TAP lines, the seeded generator and
 * main. The fuzzer's parts are in kernel/fuzz_pkt/, one concern a file
 * (fuzz_pkt/pktfuzz.h lists them).
 */
#include <inttypes.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <netinet/ip6.h>
#include <sys/socket.h>

#include "../../keyd/dp/kernel_nl.h"
#include "libwire.h"
#include "lib/vmtest.h"
#include "fuzz_pkt/pktfuzz.h"

static int tap_n;
static int failed;

void pf_tap(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s %d ", ok ? "ok" : "not ok", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (!ok)
		failed++;
}

/* xorshift64*: reproducible per seed. */
static uint64_t rng_state;

uint64_t pf_rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

uint32_t pf_below(uint32_t n)
{
	return n ? (uint32_t)(pf_rnd() % n) : 0;
}

bool pf_chance(unsigned int percent)
{
	return pf_below(100) < percent;
}

int main(int argc, char **argv)
{
	const char *env = getenv("ANTIGONE_FUZZ_PACKETS");
	uint64_t count = env ? strtoull(env, NULL, 10) : 20000;
	uint64_t seed = (uint64_t)time(NULL) ^ (uint64_t)getpid() << 32;
	struct timespec t0, t1;
	double secs;
	int i, plan;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--count") && i + 1 < argc)
			count = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 0);
		else if (!strcmp(argv[i], "--trace") && i + 1 < argc) {
			char *end;

			pf_trace_from = strtoull(argv[++i], &end, 0);
			pf_trace_to = *end == '-' ? strtoull(end + 1, NULL, 0) :
				   pf_trace_from;
		} else if (!strcmp(argv[i], "--check-every") && i + 1 < argc)
			pf_check_every = strtoull(argv[++i], NULL, 0);
		else {
			fprintf(stderr, "usage: pktfuzz [--count N] [--seed S] [--trace I[-J]] [--check-every M]\n");
			return 2;
		}
	}
	rng_state = seed ? seed : 1;
	env = getenv("ANTIGONE_FUZZ_FAMILY");
	if (env)
		pf_force_family = atoi(env) == 6 ? AF_INET6 : AF_INET;
	env = getenv("ANTIGONE_FUZZ_MUTATION");
	for (i = 0; env && i < __M_MAX; i++)
		if (!strcmp(env, pf_mutation_names[i]))
			pf_only_mutation = i;
	/* A line per selector group and GRO target, tagged sockets, the
	 * relaying leader, the frame count.
	 */
	for (i = 0, plan = 3; i < (int)NTARGETS; i++)
		plan += !pf_targets[i].tagged + pf_targets[i].gro;
	printf("TAP version 13\n1..%d\n", plan);
	printf("# pktfuzz: seed %" PRIu64 ", %" PRIu64 " datagrams\n", seed,
	       count);
	if (unshare(CLONE_NEWNET) || pf_topology() || kernel_open(&pf_nl) ||
	    pf_make_groups() || pf_open_receivers()) {
		pf_tap(false, "set up the fuzzing topology");
		vm_sh("ip netns del %s 2>/dev/null", pf_txns);
		return 1;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pf_phase("selectors", false, count * 6 / 10);
	pf_phase("tagged sockets", true, count * 3 / 10);
	pf_gro_phase(count / 10 / 8 + 1);
	pf_relay_check();
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) +
	       (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("# %" PRIu64 " frames (%" PRIu64 " fragments) in %.1f s: %.0f/s\n",
	       pf_st.frames, pf_st.fragments, secs, (double)pf_st.frames / secs);
	for (i = 0; i < __M_MAX; i++)
		printf("#   %-11s %" PRIu64 "\n", pf_mutation_names[i],
		       pf_st.mutations[i]);
	pf_tap(pf_st.frames >= count, "sent at least %" PRIu64 " frames", count);
	kernel_close(pf_nl);
	frame_link_close(&pf_link_tx);
	vm_sh("ip netns del %s", pf_txns);
	return failed ? 1 : 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * ctlfuzz: a control-plane fuzzer for antigone.ko. Runs in the VM with the
 * module loaded (selftests/run-vm runs it with every kernel test).
 *
 * What it sends, interleaved at random:
 *  - raw generic netlink messages to the "antigone" family: every command
 *    of enum antigone_cmd and unknown ones, every attribute id and unknown,
 *    out-of-range ones, right and wrong types and lengths, nested selector
 *    arrays with bad nests, empty/huge/unterminated strings, random header
 *    flags (NLM_F_DUMP on every command), batches of several messages in
 *    one datagram, dumps abandoned half read;
 *  - valid sequences on groups only this process touches (group new, key
 *    add/del/set, heartbeat, group set, get, dump, del), checked against a
 *    model of what the kernel must answer (docs/netlink.md);
 *  - socket operations: UDP sockets of both families, bound or not,
 *    connected or not, ANTIGONE_SO_ATTACH with valid and broken struct
 *    antigone_attach to live, foreign and just-deleted groups, DETACH,
 *    getsockopt, UDP_ENCAP/UDP_GRO/UDP_SEGMENT, traffic to loopback and to
 *    selectors (GSO too), tagged round trips that must arrive, close, dup,
 *    raw/UDP-Lite/TCP/ping sockets attempting to attach, fork children
 *    racing on shared sockets, and children in network namespaces of their
 *    own that set groups and sockets up in every state and exit (some hand
 *    sockets back over SCM_RIGHTS first, so their namespace dies later).
 *
 * Who sends: two network namespaces at once, each hammered by --procs
 * processes (default two per CPU): "root" (real root, a fresh netns) and
 * "userns" (uid 65534 in a user + network namespace of its own, as
 * `unshare -Urn` makes it). In each, the last process has no
 * CAP_NET_ADMIN (uid 65534, or root of the userns without capabilities):
 * every admin command must be EPERM, and it attaches only where a group
 * allows its uid or gid.
 *
 * What fails the run: an errno that the documentation does not give for a
 * valid-shaped request, a modelled request answered otherwise, a garbage
 * request answered with an errno netlink and the module never return
 * (ENOTSUPP, EFAULT...), a malformed reply or event, a dump out of id
 * order, a tagged round trip lost, a process killed by a signal or hung,
 * and groups left behind. Kernel reports (WARN, KASAN, lockdep, leaks)
 * are run-vm's to catch; the kernel panics on a WARN or an oops.
 *
 * Determinism: the requests of op N of process P of namespace M are drawn
 * from a generator seeded by (seed, M, P, N) alone; the kernel's answers
 * only feed the model (ids, epochs) and clocks only decide what the model
 * accepts (a key's grace). Every run prints its seed and each process's
 * op count; a failure names its namespace, process and op, with the
 * request's bytes. `--seed S --mode M --procs N --only P --iterations K`
 * replays process P alone, ops 0..K-1, as it ran among the others.
 *
 * Usage: ctlfuzz [--seed S] [--seconds N] [--iterations N] [--procs N]
 *                [--only P] [--mode root|userns|both] [--verbose]
 * The default run lasts ANTIGONE_FUZZ_SECONDS (60 if unset) in all;
 * --iterations alone runs that many ops per process, however long.
 * --verbose prints every failure as it happens (the report keeps 24).
 * A long run:
 *   ANTIGONE_FUZZ_SECONDS=600 tools/vm/run --timeout 900 -- sh -c \
 *     'insmod kmod/antigone.ko && build/selftests/kernel/ctlfuzz'
 * and under the debug kernel (KASAN, lockdep, kmemleak), after
 * `make kmod-debug`:
 *   ANTIGONE_FUZZ_SECONDS=600 tools/vm/run --debug --timeout 1200 -- sh -c \
 *     'insmod build/kmod-debug/kmod/antigone.ko && build/selftests/kernel/ctlfuzz'
 * then check dmesg as selftests/run-vm does.
 *
 * This file: the command line, the family's lookup, the report and
 * main. The fuzzer's parts are in kernel/fuzz_ctl/, one concern a file
 * (fuzz_ctl/ctlfuzz.h lists them).
 */
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <linux/genetlink.h>

#include "lib/vmtest.h"
#include "fuzz_ctl/ctlfuzz.h"

/*
 * Eight processes and their children share the VM's memory: ASan's
 * default quarantine (256 MiB each) would have the OOM killer end them.
 * ASAN_OPTIONS still overrides this.
 */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
	return "quarantine_size_mb=16";
}

/* Declared in fuzz_ctl/ctlfuzz.h; set here before the first fork. */
struct shared *cf_sh;
uint16_t cf_fam_id;
uint32_t cf_mcgrp_id;
uint64_t cf_seed;
long cf_iterations;
int cf_procs;
int cf_only = -1;		/* run only this process of each namespace */
bool cf_verbose;

/* ---- main --------------------------------------------------------------- */

/* The family's id and its "events" group, from the genl controller. */
static int resolve_family(void)
{
	struct sockaddr_nl k = { .nl_family = AF_NETLINK };
	struct buf *b = calloc(1, sizeof(*b));
	struct nlmsghdr h;
	struct pollfd p;
	int fd = cf_nl_open(NULL), ret = -1;
	ssize_t n;
	size_t off;

	if (!b || fd < 0)
		goto out;
	off = b->len;
	h = (struct nlmsghdr){ .nlmsg_type = GENL_ID_CTRL,
			       .nlmsg_flags = NLM_F_REQUEST, .nlmsg_seq = 1 };
	cf_b_bytes(b, &h, sizeof(h));
	cf_b_bytes(b, &(struct genlmsghdr){ .cmd = CTRL_CMD_GETFAMILY,
					 .version = 2 }, GENL_HDRLEN);
	cf_a_str(b, CTRL_ATTR_FAMILY_NAME, ANTIGONE_GENL_NAME);
	cf_msg_end(b, off);
	if (sendto(fd, cf_bp(b), b->len, 0, (struct sockaddr *)&k, sizeof(k)) < 0)
		goto out;
	p = (struct pollfd){ .fd = fd, .events = POLLIN };
	if (poll(&p, 1, 5000) != 1)
		goto out;
	n = recv(fd, cf_rxbuf, sizeof(cf_rxbuf), 0);
	if (n < NLMSG_HDRLEN + GENL_HDRLEN)
		goto out;
	memcpy(&h, cf_rxbuf, sizeof(h));
	if (h.nlmsg_type == GENL_ID_CTRL && h.nlmsg_len <= n) {
		struct tb t;

		if (!cf_parse_attrs(cf_rxbuf + NLMSG_HDRLEN + GENL_HDRLEN,
				    h.nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN, &t,
				    CTRL_ATTR_MAX) ||
		    !t.p[CTRL_ATTR_FAMILY_ID] || !t.p[CTRL_ATTR_MCAST_GROUPS])
			goto out;
		cf_fam_id = cf_get16(t.p[CTRL_ATTR_FAMILY_ID]);
		{
			const uint8_t *q = t.p[CTRL_ATTR_MCAST_GROUPS];
			size_t left = t.l[CTRL_ATTR_MCAST_GROUPS];

			while (left >= NLA_HDRLEN) {
				struct nlattr a;
				struct tb g;

				memcpy(&a, q, sizeof(a));
				if (a.nla_len < NLA_HDRLEN || a.nla_len > left)
					break;
				if (cf_parse_attrs(q + NLA_HDRLEN,
						   a.nla_len - NLA_HDRLEN, &g,
						   CTRL_ATTR_MCAST_GRP_MAX) &&
				    g.p[CTRL_ATTR_MCAST_GRP_NAME] &&
				    g.p[CTRL_ATTR_MCAST_GRP_ID] &&
				    !strcmp((const char *)
					    g.p[CTRL_ATTR_MCAST_GRP_NAME],
					    ANTIGONE_GENL_MCGRP_EVENTS))
					cf_mcgrp_id = cf_get32(g.p[CTRL_ATTR_MCAST_GRP_ID]);
				if (NLA_ALIGN(a.nla_len) >= left)
					break;
				q += NLA_ALIGN(a.nla_len);
				left -= NLA_ALIGN(a.nla_len);
			}
		}
		ret = cf_fam_id && cf_mcgrp_id ? 0 : -1;
	}
out:
	if (fd >= 0)
		close(fd);
	free(b);
	return ret;
}

static void usage(const char *argv0)
{
	fprintf(stderr, "usage: %s [--seed S] [--seconds N] [--iterations N] "
		"[--procs N] [--only P] [--mode root|userns|both] [--verbose]\n"
		"  default: ANTIGONE_FUZZ_SECONDS (60) s, 2 processes per CPU "
		"in each namespace\n", argv0);
	exit(2);
}

static void report(double secs)
{
	uint64_t total = 0;
	int i, m, w, col;

	for (i = 0; i < OP_MAX; i++)
		total += cf_sh->ops[i];
	printf("# %llu ops in %.1f s: %.0f ops/s (%llu tagged round trips, "
	       "%llu events, %llu forks, %llu/%llu netns children ok, %llu "
	       "fds passed)\n", (unsigned long long)total, secs,
	       secs > 0 ? total / secs : 0.0,
	       (unsigned long long)cf_sh->roundtrips,
	       (unsigned long long)cf_sh->events, (unsigned long long)cf_sh->forks,
	       (unsigned long long)cf_sh->nschild_ok,
	       (unsigned long long)cf_sh->nschild_started,
	       (unsigned long long)cf_sh->fds_passed);
	{
		struct rusage ru;

		if (!getrusage(RUSAGE_CHILDREN, &ru))
			printf("# largest process: %ld MiB resident\n",
			       ru.ru_maxrss / 1024);
	}
	printf("# ops per kind:");
	for (i = 0, col = 0; i < OP_MAX; i++) {
		if (!cf_sh->ops[i])
			continue;
		if (!(col++ % 6))
			printf("\n#  ");
		printf(" %s %llu", cf_op_name[i], (unsigned long long)cf_sh->ops[i]);
	}
	printf("\n# ops per namespace/process (replay one: --seed S --mode M "
	       "--procs N --only P --iterations OPS):");
	for (m = 0; m < M_MAX; m++)
		for (w = 0; w < MAXW; w++)
			if (cf_sh->slot[m][w].used)
				printf(" %s/%d:%ld", cf_mode_name[m], w,
				       cf_sh->slot[m][w].done);
	printf("\n# results per class:\n");
	for (i = 0; i < C_MAX; i++) {
		unsigned int e;

		printf("#   %s:", cf_cls_name[i]);
		for (e = 0; e < ERRN; e++)
			if (cf_sh->errs[i][e])
				printf(" %s %llu",
				       e == ERRN - 1 ? "other" :
				       cf_errname(e == ERRN - 2 ? -NOANSWER :
						  cf_slot_errno(e)),
				       (unsigned long long)cf_sh->errs[i][e]);
		printf("\n");
	}
	for (i = 0; i < (int)cf_sh->nfail && i < NFAIL; i++)
		printf("# FAIL %s\n", cf_sh->fail[i]);
	if (cf_sh->nfail > NFAIL)
		printf("# ... and %u more failures\n", cf_sh->nfail - NFAIL);
}

int main(int argc, char **argv)
{
	const char *env = getenv("ANTIGONE_FUZZ_SECONDS");
	double seconds = env ? atof(env) : 60, t0, hard;
	bool seed_given = false, seconds_given = false;
	int i, modes = 3, bad = 0;
	pid_t leaders[M_MAX] = { 0 };

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--verbose") || !strcmp(a, "-v")) {
			cf_verbose = true;
			continue;
		}
		if (!v)
			usage(argv[0]);
		i++;
		if (!strcmp(a, "--seed")) {
			cf_seed = strtoull(v, NULL, 0);
			seed_given = true;
		} else if (!strcmp(a, "--seconds")) {
			seconds = atof(v);
			seconds_given = true;
		} else if (!strcmp(a, "--iterations")) {
			cf_iterations = atol(v);
		} else if (!strcmp(a, "--procs")) {
			cf_procs = atoi(v);
		} else if (!strcmp(a, "--only")) {
			cf_only = atoi(v);
		} else if (!strcmp(a, "--mode")) {
			modes = !strcmp(v, "root") ? 1 : !strcmp(v, "userns") ?
				2 : !strcmp(v, "both") ? 3 : 0;
			if (!modes)
				usage(argv[0]);
		} else {
			usage(argv[0]);
		}
	}
	/* --iterations alone: as many ops as asked, however long they take. */
	if (cf_iterations > 0 && !seconds_given)
		seconds = 0;
	if (!seed_given)
		cf_seed = ((uint64_t)time(NULL) << 20) ^ getpid();
	if (cf_procs <= 0)
		cf_procs = 2 * (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (cf_procs < 1)
		cf_procs = 2;
	if (cf_procs > MAXW)
		cf_procs = MAXW;
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);
	cf_sh = mmap(NULL, sizeof(*cf_sh), PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	cf_msgbuf = calloc(1, sizeof(*cf_msgbuf));
	if (cf_sh == MAP_FAILED || !cf_msgbuf)
		return 1;
	printf("1..%d\n", CK_MAX);
	printf("# ctlfuzz --seed %#llx --seconds %g --iterations %ld --procs %d "
	       "--mode %s (seconds/iterations 0: no limit)\n",
	       (unsigned long long)cf_seed, seconds, cf_iterations, cf_procs,
	       modes == 3 ? "both" : cf_mode_name[modes - 1]);
	if (resolve_family()) {
		printf("not ok 1 %s # family \"antigone\" unknown: is "
		       "antigone.ko loaded?\n", cf_check_name[CK_SETUP]);
		for (i = 1; i < CK_MAX; i++)
			printf("ok %d %s # SKIP no module\n", i + 1,
			       cf_check_name[i]);
		return 1;
	}
	t0 = cf_now();
	/* The hammering ends a little before the time given, to wind down. */
	cf_sh->deadline = seconds > 0 ? t0 + seconds - (seconds > 20 ? 5 : 0) :
		       1e18;
	hard = seconds > 0 ? cf_sh->deadline + 120 : 1e18;
	for (i = 0; i < M_MAX; i++) {
		if (!(modes & (1 << i)))
			continue;
		leaders[i] = fork();
		if (leaders[i] == 0)
			_exit(cf_leader(i, hard));
	}
	for (i = 0; i < M_MAX; i++) {
		pid_t p;
		int st;

		if (leaders[i] <= 0)
			continue;
		/* A leader whose process is stuck in the kernel gives up. */
		while ((p = waitpid(leaders[i], &st, WNOHANG)) == 0 &&
		       cf_now() < hard + 90)
			usleep(100 * 1000);
		if (p <= 0) {
			cf_fail(NULL, CK_PROCS, "%s namespace leader does not end",
				cf_mode_name[i]);
			cf_sh->stuck = 1;
			continue;
		}
		cf_inc(&cf_sh->checks[CK_PROCS]);
		if (!WIFEXITED(st) || WEXITSTATUS(st))
			cf_fail(NULL, CK_PROCS, "%s namespace leader: %s %d",
				cf_mode_name[i], WIFEXITED(st) ? "exited" : "signal",
				WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
	}
	if (cf_sh->stuck) {
		/* The blocked tasks' stacks, into the kernel log. */
		vm_write_file("/proc/sysrq-trigger", "w");
		printf("# a process is stuck in the kernel: blocked tasks are "
		       "in dmesg (sysrq w)\n");
	}
	/* The module still answers in the initial namespace. */
	if (!cf_sh->stuck) {
		struct ctx c0 = { .mode = M_ROOT, .w = -1, .op = -1 };
		struct collect colbuf = { 0 }, *col = &colbuf;
		struct xfer x = { .n = 1 };

		c0.nl = cf_nl_open(NULL);
		x.seq0 = c0.seq;
		cf_model_begin(&c0, ANTIGONE_CMD_GET_INFO, 0);
		cf_msg_end(cf_msgbuf, 0);
		if (c0.nl < 0 || cf_nl_xfer(&c0, c0.nl, cf_msgbuf, &x,
						 cf_on_group, col))
			cf_fail(NULL, CK_ALIVE, "GET_INFO not sent");
		else
			cf_check_true(&c0, CK_ALIVE, !x.a[0].err && col->info_ok,
				      "GET_INFO: %s", cf_errname(x.a[0].err));
		if (c0.nl >= 0)
			close(c0.nl);
	}
	report(cf_now() - t0);
	for (i = 0; i < CK_MAX; i++) {
		bool ok = !cf_sh->bad[i] && (cf_sh->checks[i] || i == CK_NSCHILD);

		bad += !ok;
		printf("%sok %d %s (%llu checked%s%llu failed)\n", ok ? "" : "not ",
		       i + 1, cf_check_name[i], (unsigned long long)cf_sh->checks[i],
		       ", ", (unsigned long long)cf_sh->bad[i]);
	}
	/* Namespaces die in a worker after their last process: let them. */
	sleep(1);
	munmap(cf_sh, sizeof(*cf_sh));
	free(cf_msgbuf);
	return bad ? 1 : 0;
}

// SPDX-License-Identifier: GPL-2.0
/* keyd/role/relay.c, the leader's side of RELAY: a real leader session (null
 * datapath, loopback UDP) with this test as its TTP and as member alice.
 * What alice relays reaches alice's own application socket (the
 * point-to-point fan-out sends a copy to every member), so the test sees
 * exactly what the leader let through. The relay window may only move for
 * a datagram that authenticates under a key of the group's current or
 * previous epoch, as the member's: a local user who reaches alice's relay
 * inlet must not be able to silence her (epoch 0xffffffff, a far sequence).
 */
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "kselftest_harness.h"
#include <linux/antigone.h>
#include "libwire.h"
#include "../../keyd/config.h"
#include "../../keyd/dp/datapath.h"
#include "../../keyd/lib/log.h"
#include "../../keyd/mech/keydist.h"
#include "../../keyd/mech/registry.h"
#include "../../keyd/role/session.h"
#include "../../keyd/mech/ttp.h"

#define ALICE_PAYLOAD "hello group"
#define G_BOTH ANTIGONE_G_BOTH

struct lab {
	struct registry reg;
	struct config cfg;
	struct dp dp;
	struct session s;
	struct eloop loop;	/* never run: the test serves the socket */
	bool open;
	struct member_state ms;
	struct sockaddr_in leader;
	int mfd, afd, tfd;	/* alice's control and app sockets, TTP */
	uint16_t aport;
	char dir[64], keyfile[128];
	uint64_t now;
};

static int bind_lo(uint16_t *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) ||
	    getsockname(fd, (struct sockaddr *)&a, &len))
		return -1;
	if (port)
		*port = ntohs(a.sin_port);
	return fd;
}

static bool readable(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, ms) == 1;
}

static ssize_t recv_wait(int fd, uint8_t *buf, size_t cap, int ms)
{
	if (!readable(fd, ms))
		return -1;
	return recv(fd, buf, cap, 0);
}

/* The leader serves what is waiting on its control socket. */
static void leader_serve(struct lab *l)
{
	if (readable(l->s.fd, 1000))
		session_on_readable(&l->s, l->s.fd, l->now);
}

static int to_leader(struct lab *l, const uint8_t *buf, size_t len)
{
	if (sendto(l->mfd, buf, len, 0, (struct sockaddr *)&l->leader,
		   sizeof(l->leader)) != (ssize_t)len)
		return -errno;
	leader_serve(l);
	return 0;
}

static int write_key(const char *path, const uint8_t *key)
{
	FILE *f = fopen(path, "w");
	int i;

	if (!f)
		return -errno;
	for (i = 0; i < REGISTRY_KEY_LEN; i++)
		fprintf(f, "%02x", key[i]);
	fputc('\n', f);
	fclose(f);
	return chmod(path, 0600);
}

/* Everything a leader session needs, but the session. */
static int lab_prepare(struct lab *l, const char *sg)
{
	const struct registry_entry *e;
	struct config_group *g;
	struct kernel_group kg;
	char v[64];
	const char *why;
	uint16_t lport, tport;
	int fd;

	memset(l, 0, sizeof(*l));
	eloop_init(&l->loop);
	l->mfd = l->afd = l->tfd = -1;
	log_set_level(LOG_WARN_);
	snprintf(l->dir, sizeof(l->dir), "%s/relayXXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(l->dir))
		return -errno;
	snprintf(l->keyfile, sizeof(l->keyfile), "%s/leader.key", l->dir);
	if (registry_add(&l->reg, "leader", "member", &e) ||
	    write_key(l->keyfile, e->key) ||
	    registry_add(&l->reg, "alice", "member", NULL))
		return -EIO;
	l->tfd = bind_lo(&tport);
	l->mfd = bind_lo(NULL);
	l->afd = bind_lo(&l->aport);
	fd = bind_lo(&lport);	/* a free port for the leader */
	if (l->tfd < 0 || l->mfd < 0 || l->afd < 0 || fd < 0)
		return -EIO;
	close(fd);

	config_defaults(&l->cfg);
	snprintf(v, sizeof(v), "127.0.0.1:%u", tport);
	if (config_set(&l->cfg, "daemon", "identity", "leader", &why) ||
	    config_set(&l->cfg, "daemon", "key-file", l->keyfile, &why) ||
	    config_set(&l->cfg, "daemon", "datapath", "null", &why) ||
	    config_set(&l->cfg, "daemon", "ttp", v, &why))
		return -EINVAL;
	l->cfg.port = lport;
	g = config_group_add(&l->cfg, "g", &why);
	if (!g || config_set(&l->cfg, "group g", "role", "leader", &why) ||
	    config_set(&l->cfg, "group g", "policy", "leave", &why) ||
	    config_set(&l->cfg, "group g", "transport", "point-to-point",
		       &why) ||
	    config_set(&l->cfg, "group g", "guarantee", sg, &why) ||
	    config_group_check(g, &why))
		return -EINVAL;
	if (dp_open(&l->dp, "null"))
		return -EIO;
	kernel_group_init(&kg);
	strcpy(kg.name, "g");
	if (l->dp.ops->group_create(&l->dp, &kg))
		return -EIO;
	l->leader.sin_family = AF_INET;
	l->leader.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	l->leader.sin_port = htons(lport);
	return 0;
}

/* A leader of group "g" (point-to-point, policy leave) for guarantee @sg. */
static int lab_open(struct lab *l, const char *sg)
{
	int ret = lab_prepare(l, sg);

	if (!ret)
		ret = session_open(&l->s, &l->cfg, &l->cfg.groups[0], &l->dp,
				   &l->loop, l->now);
	l->open = !ret;
	return ret;
}

static void lab_close(struct lab *l)
{
	char cmd[128];

	if (l->open)
		session_close(&l->s);
	if (l->dp.ops)
		dp_close(&l->dp);
	if (l->ms.pug)
		member_free(&l->ms);
	eloop_free(&l->loop);
	registry_free(&l->reg);
	if (l->mfd >= 0)
		close(l->mfd);
	if (l->afd >= 0)
		close(l->afd);
	if (l->tfd >= 0)
		close(l->tfd);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", l->dir);
	if (l->dir[0] && system(cmd))
		fprintf(stderr, "# could not remove %s\n", l->dir);
}

/* A key message (6a or 6c) from the leader to alice, taken. */
static int alice_key(struct lab *l)
{
	uint8_t buf[PROTO_DGRAM_DEFAULT];
	ssize_t n = recv_wait(l->mfd, buf, sizeof(buf), 1000);
	bool fresh;
	int ret;

	if (n < 0)
		return -ETIMEDOUT;
	ret = member_on_key(&l->ms, buf, (size_t)n, &fresh);
	return ret ? ret : fresh ? 0 : -EALREADY;
}

/* Messages 1-5 with the TTP and the first key (6a). */
static int alice_join(struct lab *l)
{
	const struct registry_entry *e = registry_find(&l->reg, "alice");
	uint8_t b1[2048], b2[2048];
	struct sockaddr_storage from;
	socklen_t flen = sizeof(from);
	size_t n1, n2;
	ssize_t n;

	proto_id_set(l->ms.auth.a, "alice");
	proto_id_set(l->ms.auth.sl, "leader");
	memcpy(l->ms.auth.k_a, e->key, CRYPTO_KEY_LEN);
	if (auth_member_start(&l->ms.auth, b1, sizeof(b1), &n1) ||
	    to_leader(l, b1, n1))					/* 1 */
		return -EIO;
	n = -1;
	if (readable(l->tfd, 1000))
		n = recvfrom(l->tfd, b1, sizeof(b1), 0,
			     (struct sockaddr *)&from, &flen);		/* 2 */
	if (n < 0 || ttp_answer(&l->reg, b1, (size_t)n, b2, sizeof(b2), &n2))
		return -EIO;
	if (sendto(l->tfd, b2, n2, 0, (struct sockaddr *)&from, flen) !=
	    (ssize_t)n2)						/* 3 */
		return -EIO;
	leader_serve(l);
	n = recv_wait(l->mfd, b1, sizeof(b1), 1000);			/* 4 */
	if (n < 0 || auth_member_on_auth_resp(&l->ms.auth, b1, (size_t)n, b2,
					      sizeof(b2), &n2) ||
	    member_init(&l->ms, l->now) || to_leader(l, b2, n2))	/* 5 */
		return -EIO;
	return alice_key(l);						/* 6a */
}

/*
 * Alice relays a datagram (epoch, sender, seq): sealed under @k if it is
 * given, else a v1 header with a junk tag, as a local user could hand
 * her inlet. Whether the leader fanned it out: 1 (and the copy is the
 * datagram), 0, or a negative errno.
 */
static int relay(struct lab *l, const struct key_grant *k, uint8_t guarantee,
		 uint32_t epoch, uint32_t sender, uint64_t seq)
{
	uint8_t dgram[256], msg[512], got[512];
	struct msg_relay r = { .port = l->aport };
	struct wire_key wk;
	size_t len, n;
	ssize_t rn;
	int ret;

	if (k) {
		ret = wire_key_set(&wk, k->suite, epoch, k->sk,
				   (size_t)wire_key_len(k->suite));
		if (!ret)
			ret = wire_seal(&wk, guarantee, sender, seq,
					(const uint8_t *)ALICE_PAYLOAD,
					strlen(ALICE_PAYLOAD), dgram,
					sizeof(dgram), &len);
		wire_key_wipe(&wk);
		if (ret)
			return ret;
	} else {
		struct antigone_hdr h = { .guarantee = guarantee,
					  .epoch = epoch, .sender = sender,
					  .seq = seq };

		antigone_hdr_pack(&h, dgram);
		len = ANTIGONE_WIRE_HDR_LEN;
		memcpy(dgram + len, ALICE_PAYLOAD, strlen(ALICE_PAYLOAD));
		len += strlen(ALICE_PAYLOAD);
		memset(dgram + len, 0xa5, ANTIGONE_WIRE_TAG_LEN);
		len += antigone_tag_len(guarantee);
	}
	memcpy(r.a, l->ms.auth.a, PROTO_ID_LEN);
	r.data = dgram;
	r.len = len;
	ret = proto_encode_relay(&r, l->ms.auth.k_ch, msg, sizeof(msg), &n);
	if (!ret)
		ret = to_leader(l, msg, n);
	if (ret)
		return ret;
	rn = recv_wait(l->afd, got, sizeof(got), 100);
	if (rn < 0)
		return 0;
	return rn == (ssize_t)len && !memcmp(got, dgram, len) ? 1 : -EBADMSG;
}

FIXTURE(relay) {
	struct lab l;
	struct key_grant k;	/* alice's key of the current view */
	uint32_t me;		/* her sender index */
};

FIXTURE_SETUP(relay)
{
	ASSERT_EQ(0, lab_open(&self->l, "both"));
	ASSERT_EQ(0, alice_join(&self->l));
	self->k = self->l.ms.key;
	self->me = self->k.sender;
	ASSERT_EQ(1, self->k.epoch);
}

FIXTURE_TEARDOWN(relay)
{
	crypto_wipe(&self->k, sizeof(self->k));
	lab_close(&self->l);
}


/* The attack: one datagram to alice's inlet claiming epoch 0xffffffff. */
TEST_F(relay, a_claimed_epoch_does_not_silence_the_member)
{
	struct lab *l = &self->l;

	EXPECT_EQ(0, relay(l, NULL, G_BOTH, 0xffffffff, self->me, 1));
	EXPECT_EQ(0, relay(l, NULL, G_BOTH, 0xffffffff, self->me,
			   UINT64_MAX - 1));
	/* Alice's own datagrams still go through. */
	EXPECT_EQ(1, relay(l, &self->k, G_BOTH, 1, self->me, 1));
	EXPECT_EQ(1, relay(l, &self->k, G_BOTH, 1, self->me, 2));
	EXPECT_EQ(2, l->s.st.relayed);
	EXPECT_EQ(2, l->s.st.relay_dropped);
}

/* A forged tag under the current epoch moves nothing either. */
TEST_F(relay, a_forged_datagram_does_not_move_the_window)
{
	struct lab *l = &self->l;

	EXPECT_EQ(0, relay(l, NULL, G_BOTH, 1, self->me, 1000000));
	EXPECT_EQ(0, relay(l, NULL, G_BOTH, 1, self->me, 5));
	EXPECT_EQ(1, relay(l, &self->k, G_BOTH, 1, self->me, 5));
	EXPECT_EQ(1, relay(l, &self->k, G_BOTH, 1, self->me, 1));
}

TEST_F(relay, each_datagram_is_relayed_once)
{
	struct lab *l = &self->l;

	EXPECT_EQ(1, relay(l, &self->k, G_BOTH, 1, self->me, 7));
	EXPECT_EQ(0, relay(l, &self->k, G_BOTH, 1, self->me, 7));
	EXPECT_EQ(1, relay(l, &self->k, G_BOTH, 1, self->me, 6));
	EXPECT_EQ(0, relay(l, &self->k, G_BOTH, 1, self->me, 6));
}

/* The kernel's own window (kmod/wire.c): 1984 below the highest. */
TEST_F(relay, the_window_is_the_datapaths)
{
	struct lab *l = &self->l;
	uint64_t top = 5000;

	EXPECT_EQ(1, relay(l, &self->k, G_BOTH, 1, self->me, top));
	EXPECT_EQ(1, relay(l, &self->k, G_BOTH, 1, self->me,
			   top - ANTIGONE_REPLAY_WINDOW));
	EXPECT_EQ(1, relay(l, &self->k, G_BOTH, 1, self->me, top - 100));
	EXPECT_EQ(0, relay(l, &self->k, G_BOTH, 1, self->me,
			   top - ANTIGONE_REPLAY_WINDOW - 1));
	EXPECT_EQ(0, relay(l, &self->k, G_BOTH, 1, self->me, top - 100));
}

TEST_F(relay, only_under_the_members_own_sender_index)
{
	struct lab *l = &self->l;

	EXPECT_EQ(0, relay(l, &self->k, G_BOTH, 1, self->me + 1, 1));
	EXPECT_EQ(1, relay(l, &self->k, G_BOTH, 1, self->me, 1));
}

/* Below the group's minimum guarantee: receivers would drop it. */
TEST_F(relay, a_weaker_guarantee_is_not_relayed)
{
	struct lab *l = &self->l;

	EXPECT_EQ(0, relay(l, &self->k, ANTIGONE_G_CONFIDENTIALITY, 1,
			   self->me, 1));
	EXPECT_EQ(0, relay(l, &self->k, ANTIGONE_G_INTEGRITY, 1, self->me, 2));
	EXPECT_EQ(1, relay(l, &self->k, G_BOTH, 1, self->me, 1));
}

/* After a rekey the previous epoch still relays (packets in flight),
 * with its own window; two rekeys later it does not.
 */
TEST_F(relay, current_and_previous_epochs_only)
{
	struct lab *l = &self->l;
	struct key_grant k1 = self->k, k2;

	EXPECT_EQ(1, relay(l, &k1, G_BOTH, 1, self->me, 10));
	ASSERT_EQ(0, session_rekey(&l->s));
	ASSERT_EQ(0, alice_key(l));				/* 6c */
	k2 = l->ms.key;
	ASSERT_EQ(2, k2.epoch);
	EXPECT_EQ(self->me, k2.sender);
	EXPECT_EQ(1, relay(l, &k2, G_BOTH, 2, self->me, 1));
	EXPECT_EQ(1, relay(l, &k1, G_BOTH, 1, self->me, 11));
	EXPECT_EQ(0, relay(l, &k1, G_BOTH, 1, self->me, 10));
	EXPECT_EQ(1, relay(l, &k2, G_BOTH, 2, self->me, 10));
	/* A key of a view the leader never made. */
	EXPECT_EQ(0, relay(l, &k2, G_BOTH, 3, self->me, 1));
	ASSERT_EQ(0, session_rekey(&l->s));
	ASSERT_EQ(0, alice_key(l));
	EXPECT_EQ(0, relay(l, &k1, G_BOTH, 1, self->me, 12));
	EXPECT_EQ(1, relay(l, &k2, G_BOTH, 2, self->me, 11));
	EXPECT_EQ(1, relay(l, &l->ms.key, G_BOTH, 3, self->me, 1));
	crypto_wipe(&k1, sizeof(k1));
	crypto_wipe(&k2, sizeof(k2));
}

/*
 * 7b carries no tag: the leader cannot authenticate it (nor can any
 * receiver: 7b is malleable by design). Its epoch must still be the
 * group's, so the claimed epoch cannot silence a 7b member either.
 */
TEST(confidentiality_only_groups_keep_the_epoch_rule)
{
	struct lab l;
	struct key_grant k;
	uint32_t me;

	ASSERT_EQ(0, lab_open(&l, "confidentiality"));
	ASSERT_EQ(0, alice_join(&l));
	k = l.ms.key;
	me = k.sender;
	EXPECT_EQ(0, relay(&l, NULL, ANTIGONE_G_CONFIDENTIALITY, 0xffffffff,
			   me, 1));
	EXPECT_EQ(1, relay(&l, &k, ANTIGONE_G_CONFIDENTIALITY, 1, me, 1));
	EXPECT_EQ(0, relay(&l, &k, ANTIGONE_G_CONFIDENTIALITY, 1, me, 1));
	/* A stronger guarantee than the minimum is verified. */
	EXPECT_EQ(0, relay(&l, NULL, G_BOTH, 1, me, 2));
	EXPECT_EQ(1, relay(&l, &k, G_BOTH, 1, me, 2));
	crypto_wipe(&k, sizeof(k));
	lab_close(&l);
}

/*
 * Whether @masked (key bytes xor 0xa5, so that this test holds no copy of
 * the key itself) is anywhere in this process's writable memory: heap,
 * stack, anonymous mappings (ASan's quarantine keeps freed chunks as they
 * were). Read through /proc/self/mem, into a mapping of its own that is
 * skipped, so that poisoned memory is not touched by instrumented code.
 */
static int key_in_memory(const uint8_t *masked, size_t len)
{
	enum { CHUNK = 1 << 20 };
	uint8_t *buf = mmap(NULL, CHUNK + 64, PROT_READ | PROT_WRITE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned long lo, hi, at;
	char line[512], perms[8];
	int found = 0, mem;
	FILE *maps;

	if (buf == MAP_FAILED)
		return -1;
	maps = fopen("/proc/self/maps", "r");
	mem = open("/proc/self/mem", O_RDONLY);
	if (!maps || mem < 0)
		return -1;
	while (!found && fgets(line, sizeof(line), maps)) {
		if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) != 3 ||
		    perms[0] != 'r' || perms[1] != 'w' ||
		    hi - lo > (256ul << 20) ||	/* ASan's shadow */
		    (lo <= (unsigned long)buf && (unsigned long)buf < hi))
			continue;
		for (at = lo; !found && at < hi; at += CHUNK) {
			size_t want = hi - at < CHUNK + len ? hi - at : CHUNK + len;
			ssize_t n = pread(mem, buf, want, (off_t)at);
			size_t i, j;

			for (i = 0; n > 0 && i + len <= (size_t)n; i++) {
				for (j = 0; j < len; j++)
					if ((buf[i + j] ^ 0xa5) != masked[j])
						break;
				if (j == len) {
					fprintf(stderr, "# key bytes at %#lx "
						"(%s", at + i, line);
					found = 1;
					break;
				}
			}
			memset(buf, 0, CHUNK + 64);
		}
	}
	fclose(maps);
	close(mem);
	munmap(buf, CHUNK + 64);
	return found;
}

static void mask(uint8_t *out, const uint8_t *key, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		out[i] = key[i] ^ 0xa5;
}

/*
 * Once the leader's session and the member are closed, no session key
 * of any view and no channel key is left anywhere in memory: not in a
 * freed buffer, nor in a cache of the MAC key (crypto.c), nor in a copy
 * a function made on its way (the leader's own key grant).
 */
TEST(no_key_survives_the_session)
{
	uint8_t sk1[PROTO_SK_LEN], sk2[PROTO_SK_LEN], kch[CRYPTO_KEY_LEN];
	struct lab l;
	uint32_t me;

	ASSERT_EQ(0, lab_open(&l, "both"));
	ASSERT_EQ(0, alice_join(&l));
	me = l.ms.key.sender;
	mask(sk1, l.ms.key.sk, sizeof(sk1));
	mask(kch, l.ms.auth.k_ch, sizeof(kch));
	EXPECT_EQ(1, relay(&l, &l.ms.key, G_BOTH, 1, me, 1));
	ASSERT_EQ(0, session_rekey(&l.s));
	ASSERT_EQ(0, alice_key(&l));
	mask(sk2, l.ms.key.sk, sizeof(sk2));
	EXPECT_EQ(1, relay(&l, &l.ms.key, G_BOTH, 2, me, 1));
	EXPECT_EQ(1, key_in_memory(sk2, sizeof(sk2)));	/* the probe works */
	lab_close(&l);

	EXPECT_EQ(0, key_in_memory(sk1, sizeof(sk1)));
	EXPECT_EQ(0, key_in_memory(sk2, sizeof(sk2)));
	EXPECT_EQ(0, key_in_memory(kch, sizeof(kch)));
}

static int open_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	if (!d)
		return -1;
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

/*
 * A leader whose port is taken does not start; what session_open() had
 * set up by then (the leader's long-term key, view 1's key, the group
 * signing key, its socket) is wiped and released, not left for a
 * session_close() that a failed open never gets.
 */
TEST(a_failed_open_leaves_no_key_and_no_socket)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6,
				  .sin6_addr = IN6ADDR_ANY_INIT };
	uint8_t k_sl[CRYPTO_KEY_LEN];
	struct lab l;
	int busy, off = 0, fds;

	ASSERT_EQ(0, lab_prepare(&l, "both"));
	mask(k_sl, registry_find(&l.reg, "leader")->key, sizeof(k_sl));
	registry_free(&l.reg);
	busy = socket(AF_INET6, SOCK_DGRAM, 0);
	a.sin6_port = l.leader.sin_port;
	ASSERT_EQ(0, setsockopt(busy, IPPROTO_IPV6, IPV6_V6ONLY, &off,
				sizeof(off)));
	ASSERT_EQ(0, bind(busy, (struct sockaddr *)&a, sizeof(a)));
	fds = open_fds();
	EXPECT_EQ(-EADDRINUSE, session_open(&l.s, &l.cfg, &l.cfg.groups[0],
					    &l.dp, &l.loop, 0));
	EXPECT_EQ(fds, open_fds());
	/* Nor sockets or timers left in the loop. */
	EXPECT_EQ(0, l.loop.nfds);
	EXPECT_EQ(0, l.loop.reserved);
	EXPECT_EQ(0, key_in_memory(k_sl, sizeof(k_sl)));
	close(busy);
	lab_close(&l);
}

TEST_HARNESS_MAIN

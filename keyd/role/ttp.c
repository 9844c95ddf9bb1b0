// SPDX-License-Identifier: GPL-2.0
/*
 * The TTP role of antigoned (see ttp_role.h).
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "lib/log.h"
#include "mech/ttp.h"
#include "ttp.h"
#include "wire/proto.h"

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int ttp_role_open(struct ttp_role *t, const char *registry, uint16_t port,
		  char *why, size_t whylen)
{
	struct sockaddr_in6 a = {
		.sin6_family = AF_INET6,
		.sin6_port = htons(port),
		.sin6_addr = IN6ADDR_ANY_INIT,
	};
	int off = 0, ret;

	memset(t, 0, sizeof(*t));
	t->registry_path = registry;
	ret = registry_load(&t->reg, registry, why, whylen);
	if (ret)
		return ret;
	/* 50 requests/s per leader address, 2000/s in all. */
	ret = ratelimit_init(&t->limit, 50, 100, 2000);
	if (ret) {
		snprintf(why, whylen, "rate limiter: %s", strerror(-ret));
		registry_free(&t->reg);
		return ret;
	}
	t->fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (t->fd < 0 ||
	    setsockopt(t->fd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof(off)) ||
	    bind(t->fd, (struct sockaddr *)&a, sizeof(a))) {
		ret = -errno;
		snprintf(why, whylen, "UDP port %u: %s", port, strerror(errno));
		if (t->fd >= 0)
			close(t->fd);
		registry_free(&t->reg);
		return ret;
	}
	log_info("ttp: serving pair keys on UDP port %u for %zu identities",
		 port, t->reg.n);
	return 0;
}

/*
 * An unregistered identity gets no answer (one would tell anyone who is
 * registered); the log names it, at most once a second: anyone may ask.
 */
static void refused(struct ttp_role *t, const uint8_t *req, size_t len)
{
	char sl[PROTO_ID_LEN], a[PROTO_ID_LEN], who[PROTO_ID_LEN];
	uint64_t now = now_ns();

	if (t->refused_logged_ns &&
	    now - t->refused_logged_ns < 1000000000ull)
		return;
	t->refused_logged_ns = now;
	if (ttp_unregistered(&t->reg, req, len, sl, a, who))
		return;
	if (!strcmp(sl, a))
		log_warn("ttp: refused a pair key of '%s' with itself", sl);
	else
		log_warn("ttp: refused a pair key for '%s' joining leader "
			 "'%s': '%s' is not registered (antigone ttp add %s, "
			 "then reload this daemon)", a, sl, who, who);
}

void ttp_role_serve(struct ttp_role *t)
{
	uint8_t req[PROTO_PAIR_REQ_LEN + 64], resp[PROTO_PAIR_RESP_LEN + 16];
	struct sockaddr_storage from;
	socklen_t flen;
	size_t rlen;
	ssize_t n;
	int ret;

	for (;;) {
		flen = sizeof(from);
		n = recvfrom(t->fd, req, sizeof(req), 0,
			     (struct sockaddr *)&from, &flen);
		if (n < 0)
			return;
		t->requests++;
		if (!ratelimit_allow(&t->limit, &from, now_ns())) {
			t->limited++;
			continue;
		}
		ret = ttp_answer(&t->reg, req, (size_t)n, resp, sizeof(resp),
				 &rlen);
		if (ret == -ENOENT) {
			t->unknown++;
			refused(t, req, (size_t)n);
			continue;
		}
		if (ret) {
			t->malformed++;
			continue;
		}
		if (sendto(t->fd, resp, rlen, 0, (struct sockaddr *)&from,
			   flen) == (ssize_t)rlen)
			t->answered++;
		crypto_wipe(resp, sizeof(resp));
	}
}

void ttp_role_reload(struct ttp_role *t)
{
	struct registry fresh;
	char why[512];

	if (registry_load(&fresh, t->registry_path, why, sizeof(why))) {
		log_err("ttp: registry reload refused, keeping %zu identities: "
			"%s", t->reg.n, why);
		return;
	}
	registry_free(&t->reg);
	t->reg = fresh;
	log_info("ttp: registry reloaded, %zu identities", t->reg.n);
}

void ttp_role_status_json(const struct ttp_role *t, FILE *out)
{
	fprintf(out, "{\"identities\":%zu,\"requests\":%llu,\"answered\":%llu,"
		"\"unknown\":%llu,\"malformed\":%llu,\"rate_limited\":%llu}",
		t->reg.n, (unsigned long long)t->requests,
		(unsigned long long)t->answered,
		(unsigned long long)t->unknown,
		(unsigned long long)t->malformed,
		(unsigned long long)t->limited);
}

void ttp_role_close(struct ttp_role *t)
{
	if (t->fd > 0)
		close(t->fd);
	registry_free(&t->reg);
	t->fd = -1;
}

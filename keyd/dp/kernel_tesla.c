// SPDX-License-Identifier: GPL-2.0
/*
 * 7d's requests to antigone.ko (docs/sender-authenticity.md, "Netlink"):
 * TESLA_CLOCK, TESLA_CHAIN_ADD, TESLA_KEYS, TESLA_DISCLOSE, and the peers
 * a GROUP_GET reply lists.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <openssl/crypto.h>

#include "kernel_nl.h"

/* A TESLA_* request naming @group, its ANTIGONE_A_TESLA nest open. */
static struct nl_msg *tesla_msg(struct kernel_nl *k, uint8_t cmd,
				const char *group, size_t size,
				struct nlattr **nest)
{
	struct nl_msg *msg = kernel_msg_new_sized(k, cmd, 0, size);

	if (!msg)
		return NULL;
	if (kernel_put_group_ref(msg, 0, group) ||
	    !(*nest = nla_nest_start(msg, ANTIGONE_A_TESLA))) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

static int send_tesla(struct kernel_nl *k, struct nl_msg *msg,
		      struct nlattr *nest, int put_failed)
{
	if (put_failed) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return kernel_request(k, msg, NULL, NULL);
}

int kernel_tesla_clock(struct kernel_nl *k, const char *group, uint64_t t_s,
		       uint64_t t_r, uint64_t t_sl, uint32_t drift_ppm)
{
	struct nlattr *nest;
	struct nl_msg *msg = tesla_msg(k, ANTIGONE_CMD_TESLA_CLOCK, group, 0,
				       &nest);

	if (!msg)
		return -ENOMEM;
	return send_tesla(k, msg, nest,
			  nla_put_u64(msg, ANTIGONE_TESLA_A_T_S, t_s) < 0 ||
			  nla_put_u64(msg, ANTIGONE_TESLA_A_T_R, t_r) < 0 ||
			  nla_put_u64(msg, ANTIGONE_TESLA_A_T_SL, t_sl) < 0 ||
			  nla_put_u32(msg, ANTIGONE_TESLA_A_DRIFT_PPM,
				      drift_ppm) < 0);
}

int kernel_tesla_chain_add(struct kernel_nl *k, const char *group,
			   const struct kernel_tesla_chain *c, bool own)
{
	struct nlattr *nest;
	struct nl_msg *msg = tesla_msg(k, ANTIGONE_CMD_TESLA_CHAIN_ADD, group,
				       0, &nest);

	if (!msg)
		return -ENOMEM;
	return send_tesla(k, msg, nest,
			  nla_put_u32(msg, ANTIGONE_TESLA_A_EPOCH, c->epoch) < 0 ||
			  nla_put_u32(msg, ANTIGONE_TESLA_A_SENDER, c->sender) < 0 ||
			  nla_put_u32(msg, ANTIGONE_TESLA_A_CHAIN, c->chain) < 0 ||
			  nla_put_u32(msg, ANTIGONE_TESLA_A_CHAIN_LEN,
				      c->chain_len) < 0 ||
			  nla_put_u32(msg, ANTIGONE_TESLA_A_PERIOD_US,
				      c->period_us) < 0 ||
			  nla_put_u8(msg, ANTIGONE_TESLA_A_LAG, c->lag) < 0 ||
			  nla_put_u64(msg, ANTIGONE_TESLA_A_T0_NS, c->t0_ns) < 0 ||
			  nla_put(msg, ANTIGONE_TESLA_A_COMMITMENT,
				  sizeof(c->commitment), c->commitment) < 0 ||
			  (own && nla_put_flag(msg, ANTIGONE_TESLA_A_OWN) < 0));
}

int kernel_tesla_keys(struct kernel_nl *k, const char *group, uint32_t epoch,
		      uint32_t chain, uint32_t first, const uint8_t *keys,
		      size_t n)
{
	struct nlattr *nest;
	struct nl_msg *msg;
	int ret;

	if (!n || n > 512)
		return -EINVAL;
	msg = tesla_msg(k, ANTIGONE_CMD_TESLA_KEYS, group, n * 16 + 512,
			&nest);
	if (!msg)
		return -ENOMEM;
	ret = send_tesla(k, msg, nest,
			 nla_put_u32(msg, ANTIGONE_TESLA_A_EPOCH, epoch) < 0 ||
			 nla_put_u32(msg, ANTIGONE_TESLA_A_CHAIN, chain) < 0 ||
			 nla_put_u32(msg, ANTIGONE_TESLA_A_FIRST, first) < 0 ||
			 nla_put(msg, ANTIGONE_TESLA_A_KEYS, (int)(n * 16),
				 keys) < 0);
	return ret;
}

int kernel_tesla_disclose(struct kernel_nl *k, const char *group,
			  uint32_t epoch, uint32_t sender, uint32_t interval,
			  const uint8_t key[16])
{
	struct nlattr *nest;
	struct nl_msg *msg = tesla_msg(k, ANTIGONE_CMD_TESLA_DISCLOSE, group, 0,
				       &nest);

	if (!msg)
		return -ENOMEM;
	return send_tesla(k, msg, nest,
			  nla_put_u32(msg, ANTIGONE_TESLA_A_EPOCH, epoch) < 0 ||
			  nla_put_u32(msg, ANTIGONE_TESLA_A_SENDER, sender) < 0 ||
			  nla_put_u32(msg, ANTIGONE_TESLA_A_INTERVAL,
				      interval) < 0 ||
			  nla_put(msg, ANTIGONE_TESLA_A_KEY, 16, key) < 0);
}

struct peers_ctx {
	int (*fn)(const struct kernel_tesla_peer *p, void *arg);
	void *arg;
	uint64_t width;
	int ret;
};

static uint32_t get32(struct nlattr **tb, int i)
{
	return tb[i] ? nla_get_u32(tb[i]) : 0;
}

static int parse_peers(struct nlattr **top, void *arg)
{
	struct nlattr *tb[ANTIGONE_GROUP_A_MAX + 1], *one;
	struct peers_ctx *c = arg;
	int rem;

	if (!top[ANTIGONE_A_GROUP] ||
	    nla_parse_nested(tb, ANTIGONE_GROUP_A_MAX, top[ANTIGONE_A_GROUP],
			     NULL) < 0)
		return -EBADMSG;
	if (tb[ANTIGONE_GROUP_A_TESLA_CLOCK_WIDTH])
		c->width = nla_get_u64(tb[ANTIGONE_GROUP_A_TESLA_CLOCK_WIDTH]);
	if (!tb[ANTIGONE_GROUP_A_TESLA_PEERS])
		return 0;
	nla_for_each_nested(one, tb[ANTIGONE_GROUP_A_TESLA_PEERS], rem) {
		struct nlattr *pt[ANTIGONE_TESLA_A_MAX + 1];
		struct kernel_tesla_peer p = { 0 };

		if (nla_parse_nested(pt, ANTIGONE_TESLA_A_MAX, one, NULL) < 0 ||
		    !pt[ANTIGONE_TESLA_A_EPOCH] || !pt[ANTIGONE_TESLA_A_T0_NS])
			return -EBADMSG;
		p.epoch = get32(pt, ANTIGONE_TESLA_A_EPOCH);
		p.sender = get32(pt, ANTIGONE_TESLA_A_SENDER);
		p.chain = get32(pt, ANTIGONE_TESLA_A_CHAIN);
		p.chain_len = get32(pt, ANTIGONE_TESLA_A_CHAIN_LEN);
		p.period_us = get32(pt, ANTIGONE_TESLA_A_PERIOD_US);
		p.verified = get32(pt, ANTIGONE_TESLA_A_VERIFIED);
		p.lag = pt[ANTIGONE_TESLA_A_LAG] ?
			nla_get_u8(pt[ANTIGONE_TESLA_A_LAG]) : 0;
		p.t0_ns = nla_get_u64(pt[ANTIGONE_TESLA_A_T0_NS]);
		p.own = pt[ANTIGONE_TESLA_A_OWN] != NULL;
		p.ring_lo = get32(pt, ANTIGONE_TESLA_A_RING_LO);
		p.ring_hi = get32(pt, ANTIGONE_TESLA_A_RING_HI);
		if (!c->ret)
			c->ret = c->fn(&p, c->arg);
	}
	return 0;
}

int kernel_tesla_peers(struct kernel_nl *k, const char *group,
		       int (*fn)(const struct kernel_tesla_peer *p, void *arg),
		       void *arg, uint64_t *width_ns)
{
	struct peers_ctx c = { .fn = fn, .arg = arg, .width = UINT64_MAX };
	struct nl_msg *msg = kernel_msg_new(k, ANTIGONE_CMD_GROUP_GET, 0);
	int ret;

	if (!msg)
		return -ENOMEM;
	if (kernel_put_group_ref(msg, 0, group)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	ret = kernel_request(k, msg, parse_peers, &c);
	if (width_ns)
		*width_ns = c.width;
	return ret ? ret : c.ret;
}

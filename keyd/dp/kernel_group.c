// SPDX-License-Identifier: GPL-2.0
/*
 * The requests on antigone.ko's groups, keys and heartbeats, and the
 * group reply's parser; kernel_nl.c has the socket and the exchange.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <openssl/crypto.h>

#include "kernel_nl.h"

/* The ANTIGONE_A_GROUP nest of a reply: -EBADMSG if it is not one. */
static int parse_group(struct nlattr **top, struct kernel_group *g)
{
	struct nlattr *tb[ANTIGONE_GROUP_A_MAX + 1];

	kernel_group_init(g);
	if (!top[ANTIGONE_A_GROUP] ||
	    nla_parse_nested(tb, ANTIGONE_GROUP_A_MAX, top[ANTIGONE_A_GROUP],
			     NULL) < 0)
		return -EBADMSG;
	if (!tb[ANTIGONE_GROUP_A_ID] || !tb[ANTIGONE_GROUP_A_NAME])
		return -EBADMSG;
	g->id = nla_get_u32(tb[ANTIGONE_GROUP_A_ID]);
	snprintf(g->name, sizeof(g->name), "%s",
		 nla_get_string(tb[ANTIGONE_GROUP_A_NAME]));
	if (tb[ANTIGONE_GROUP_A_SUITE])
		g->suite = nla_get_u8(tb[ANTIGONE_GROUP_A_SUITE]);
	if (tb[ANTIGONE_GROUP_A_GUARANTEE])
		g->guarantee = nla_get_u8(tb[ANTIGONE_GROUP_A_GUARANTEE]);
	if (tb[ANTIGONE_GROUP_A_FAIL_POLICY])
		g->fail_policy = nla_get_u8(tb[ANTIGONE_GROUP_A_FAIL_POLICY]);
	if (tb[ANTIGONE_GROUP_A_HB_TIMEOUT_MS])
		g->hb_timeout_ms = nla_get_u32(tb[ANTIGONE_GROUP_A_HB_TIMEOUT_MS]);
	if (tb[ANTIGONE_GROUP_A_KEY_LIFETIME_MS])
		g->key_lifetime_ms =
			nla_get_u32(tb[ANTIGONE_GROUP_A_KEY_LIFETIME_MS]);
	if (tb[ANTIGONE_GROUP_A_REKEY_GRACE_MS])
		g->rekey_grace_ms =
			nla_get_u32(tb[ANTIGONE_GROUP_A_REKEY_GRACE_MS]);
	if (tb[ANTIGONE_GROUP_A_ALLOW_UID])
		g->allow_uid = nla_get_u32(tb[ANTIGONE_GROUP_A_ALLOW_UID]);
	if (tb[ANTIGONE_GROUP_A_ALLOW_GID])
		g->allow_gid = nla_get_u32(tb[ANTIGONE_GROUP_A_ALLOW_GID]);
	if (tb[ANTIGONE_GROUP_A_EPOCH])
		g->epoch = nla_get_u32(tb[ANTIGONE_GROUP_A_EPOCH]);
	if (tb[ANTIGONE_GROUP_A_PREV_EPOCH])
		g->prev_epoch = nla_get_u32(tb[ANTIGONE_GROUP_A_PREV_EPOCH]);
	if (tb[ANTIGONE_GROUP_A_STATE])
		g->state = nla_get_u8(tb[ANTIGONE_GROUP_A_STATE]);
	if (tb[ANTIGONE_GROUP_A_RELAY_PORT])
		g->relay_port = nla_get_u16(tb[ANTIGONE_GROUP_A_RELAY_PORT]);
	if (tb[ANTIGONE_GROUP_A_RELAY_MODE])
		g->relay.mode = nla_get_u8(tb[ANTIGONE_GROUP_A_RELAY_MODE]);
	if (tb[ANTIGONE_GROUP_A_RELAY_LEADER]) {
		struct nlattr *a = tb[ANTIGONE_GROUP_A_RELAY_LEADER];

		if (nla_len(a) != 4 && nla_len(a) != 16)
			return -EBADMSG;
		g->relay.family = nla_len(a) == 4 ? AF_INET : AF_INET6;
		memcpy(g->relay.leader, nla_data(a), (size_t)nla_len(a));
	}
	if (tb[ANTIGONE_GROUP_A_RELAY_IFINDEX])
		g->relay.ifindex = nla_get_u32(tb[ANTIGONE_GROUP_A_RELAY_IFINDEX]);
	if (tb[ANTIGONE_GROUP_A_RELAY_NMEMBERS])
		g->relay.nmembers =
			nla_get_u32(tb[ANTIGONE_GROUP_A_RELAY_NMEMBERS]);
	if (tb[ANTIGONE_GROUP_A_CRYPTO_DRIVER])
		snprintf(g->crypto_driver, sizeof(g->crypto_driver), "%s",
			 nla_get_string(tb[ANTIGONE_GROUP_A_CRYPTO_DRIVER]));
	if (tb[ANTIGONE_GROUP_A_CRYPTO_FALLBACK])
		snprintf(g->crypto_fallback, sizeof(g->crypto_fallback), "%s",
			 nla_get_string(tb[ANTIGONE_GROUP_A_CRYPTO_FALLBACK]));
	if (tb[ANTIGONE_GROUP_A_EPOCH_FLOOR])
		g->epoch_floor = nla_get_u32(tb[ANTIGONE_GROUP_A_EPOCH_FLOOR]);
	if (tb[ANTIGONE_GROUP_A_STATS]) {
		struct nlattr *a;
		int rem;

		nla_for_each_nested(a, tb[ANTIGONE_GROUP_A_STATS], rem) {
			int t = nla_type(a);

			if (t > 0 && t < __ANTIGONE_STAT_MAX &&
			    nla_len(a) == sizeof(uint64_t))
				g->stats[t] = nla_get_u64(a);
		}
	}
	if (tb[ANTIGONE_GROUP_A_SELECTORS]) {
		struct nlattr *one;
		int rem;

		nla_for_each_nested(one, tb[ANTIGONE_GROUP_A_SELECTORS], rem) {
			struct nlattr *st[ANTIGONE_SELECTOR_A_MAX + 1];
			struct kernel_selector *s;
			int len;

			if (g->nsel == ANTIGONE_MAX_SELECTORS ||
			    nla_parse_nested(st, ANTIGONE_SELECTOR_A_MAX, one,
					     NULL) < 0 ||
			    !st[ANTIGONE_SELECTOR_A_ADDR] || !st[ANTIGONE_SELECTOR_A_PORT])
				return -EBADMSG;
			s = &g->sel[g->nsel++];
			len = nla_len(st[ANTIGONE_SELECTOR_A_ADDR]);
			if (len != 4 && len != 16)
				return -EBADMSG;
			s->family = len == 4 ? AF_INET : AF_INET6;
			memcpy(s->addr, nla_data(st[ANTIGONE_SELECTOR_A_ADDR]), len);
			s->port = nla_get_u16(st[ANTIGONE_SELECTOR_A_PORT]);
		}
	}
	return 0;
}

static int parse_one_group(struct nlattr **tb, void *arg)
{
	return parse_group(tb, arg);
}

/* ID and/or NAME of a group, into the open ANTIGONE_A_GROUP nest. */
static int put_ref(struct nl_msg *msg, uint32_t id, const char *name)
{
	if (id && nla_put_u32(msg, ANTIGONE_GROUP_A_ID, id) < 0)
		return -EMSGSIZE;
	if (name && nla_put_string(msg, ANTIGONE_GROUP_A_NAME, name) < 0)
		return -EMSGSIZE;
	return 0;
}

/* The whole ANTIGONE_A_GROUP nest of a request that only names a group. */
int kernel_put_group_ref(struct nl_msg *msg, uint32_t id, const char *name)
{
	struct nlattr *nest = nla_nest_start(msg, ANTIGONE_A_GROUP);

	if (!nest || put_ref(msg, id, name))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

int kernel_group_new(struct kernel_nl *k, const struct kernel_group *req,
		     struct kernel_group *created)
{
	struct nl_msg *msg = kernel_msg_new(k, ANTIGONE_CMD_GROUP_NEW, 0);
	struct kernel_group ignored;
	struct nlattr *nest;
	int bad = 0;

	if (!msg)
		return -ENOMEM;
	nest = nla_nest_start(msg, ANTIGONE_A_GROUP);
	bad |= !nest;
	bad |= nla_put_string(msg, ANTIGONE_GROUP_A_NAME, req->name);
	if (req->suite)
		bad |= nla_put_u8(msg, ANTIGONE_GROUP_A_SUITE, req->suite);
	if (req->guarantee)
		bad |= nla_put_u8(msg, ANTIGONE_GROUP_A_GUARANTEE,
				  req->guarantee);
	bad |= nla_put_u8(msg, ANTIGONE_GROUP_A_FAIL_POLICY, req->fail_policy);
	bad |= nla_put_u32(msg, ANTIGONE_GROUP_A_HB_TIMEOUT_MS,
			   req->hb_timeout_ms);
	bad |= nla_put_u32(msg, ANTIGONE_GROUP_A_KEY_LIFETIME_MS,
			   req->key_lifetime_ms);
	if (req->rekey_grace_ms != UINT32_MAX)
		bad |= nla_put_u32(msg, ANTIGONE_GROUP_A_REKEY_GRACE_MS,
				   req->rekey_grace_ms);
	if (req->allow_uid >= 0)
		bad |= nla_put_u32(msg, ANTIGONE_GROUP_A_ALLOW_UID,
				   (uint32_t)req->allow_uid);
	if (req->allow_gid >= 0)
		bad |= nla_put_u32(msg, ANTIGONE_GROUP_A_ALLOW_GID,
				   (uint32_t)req->allow_gid);
	if (req->nsel) {
		struct nlattr *list = nla_nest_start(msg,
						     ANTIGONE_GROUP_A_SELECTORS);
		unsigned int i;

		bad |= !list;
		for (i = 0; list && i < req->nsel &&
		     i < ANTIGONE_MAX_SELECTORS; i++) {
			const struct kernel_selector *s = &req->sel[i];
			/* Array entries: type 0 (uapi/linux/antigone.h). */
			struct nlattr *one = nla_nest_start(msg, 0);

			bad |= !one;
			if (!one)
				break;
			bad |= nla_put(msg, ANTIGONE_SELECTOR_A_ADDR,
				       s->family == AF_INET ? 4 : 16, s->addr);
			bad |= nla_put_u16(msg, ANTIGONE_SELECTOR_A_PORT, s->port);
			nla_nest_end(msg, one);
		}
		if (list)
			nla_nest_end(msg, list);
	}
	if (nest)
		nla_nest_end(msg, nest);
	if (bad) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return kernel_request(k, msg, parse_one_group, created ? created : &ignored);
}

int kernel_group_del(struct kernel_nl *k, uint32_t id, const char *name)
{
	struct nl_msg *msg = kernel_msg_new(k, ANTIGONE_CMD_GROUP_DEL, 0);

	if (!msg)
		return -ENOMEM;
	if (kernel_put_group_ref(msg, id, name)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return kernel_request(k, msg, NULL, NULL);
}

/* GROUP_SET of one attribute (u16 or u32, by @size) of group @name. */
static int group_set_one(struct kernel_nl *k, const char *name, int attr,
			 uint32_t value, int size)
{
	struct nl_msg *msg = kernel_msg_new(k, ANTIGONE_CMD_GROUP_SET, 0);
	struct nlattr *nest;

	if (!msg)
		return -ENOMEM;
	nest = nla_nest_start(msg, ANTIGONE_A_GROUP);
	if (!nest || put_ref(msg, 0, name) ||
	    (size == 2 ? nla_put_u16(msg, attr, (uint16_t)value) :
			 nla_put_u32(msg, attr, value)) < 0) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return kernel_request(k, msg, NULL, NULL);
}

int kernel_group_set_relay(struct kernel_nl *k, const char *name,
			   uint16_t port)
{
	return group_set_one(k, name, ANTIGONE_GROUP_A_RELAY_PORT, port, 2);
}

static int put_relay(struct nl_msg *msg, const struct kernel_relay *r)
{
	struct nlattr *list, *one;
	size_t i;

	if (nla_put_u8(msg, ANTIGONE_GROUP_A_RELAY_MODE, r->mode) < 0 ||
	    (r->leader_family &&
	     nla_put(msg, ANTIGONE_GROUP_A_RELAY_LEADER,
		     r->leader_family == AF_INET ? 4 : 16, r->leader) < 0) ||
	    (r->ifindex &&
	     nla_put_u32(msg, ANTIGONE_GROUP_A_RELAY_IFINDEX, r->ifindex) < 0))
		return -EMSGSIZE;
	if (!r->nmembers)
		return 0;
	list = nla_nest_start(msg, ANTIGONE_GROUP_A_RELAY_MEMBERS);
	if (!list)
		return -EMSGSIZE;
	for (i = 0; i < r->nmembers; i++) {
		const struct kernel_relay_member *m = &r->members[i];

		one = nla_nest_start(msg, 0);
		if (!one ||
		    nla_put(msg, ANTIGONE_RELAY_MEMBER_A_ADDR,
			    m->family == AF_INET ? 4 : 16, m->addr) < 0 ||
		    nla_put_u32(msg, ANTIGONE_RELAY_MEMBER_A_SENDER,
				m->sender) < 0)
			return -EMSGSIZE;
		nla_nest_end(msg, one);
	}
	nla_nest_end(msg, list);
	return 0;
}

int kernel_group_set_relay_mode(struct kernel_nl *k, const char *name,
				const struct kernel_relay *r)
{
	struct nl_msg *msg;
	struct nlattr *nest;

	if (r->nmembers > ANTIGONE_RELAY_MAX_MEMBERS)
		return -E2BIG;
	/* 1,024 IPv6 members take 36 KiB. */
	msg = kernel_msg_new_sized(k, ANTIGONE_CMD_GROUP_SET, 0, 64 * 1024);
	if (!msg)
		return -ENOMEM;
	nest = nla_nest_start(msg, ANTIGONE_A_GROUP);
	if (!nest || put_ref(msg, 0, name) || put_relay(msg, r)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return kernel_request(k, msg, NULL, NULL);
}

int kernel_group_set_hb_timeout(struct kernel_nl *k, const char *name,
				uint32_t ms)
{
	return group_set_one(k, name, ANTIGONE_GROUP_A_HB_TIMEOUT_MS, ms, 4);
}

int kernel_group_get(struct kernel_nl *k, uint32_t id, const char *name,
		     struct kernel_group *out)
{
	struct nl_msg *msg = kernel_msg_new(k, ANTIGONE_CMD_GROUP_GET, 0);

	if (!msg)
		return -ENOMEM;
	if (kernel_put_group_ref(msg, id, name)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return kernel_request(k, msg, parse_one_group, out);
}

int kernel_key_add(struct kernel_nl *k, const char *group, uint32_t epoch,
		   uint32_t sender, const uint8_t *key, size_t key_len,
		   int64_t lifetime_ms)
{
	struct nl_msg *msg = kernel_msg_new(k, ANTIGONE_CMD_KEY_ADD, 0);
	struct nlattr *nest;
	int bad = 0, ret;

	if (!msg)
		return -ENOMEM;
	bad |= kernel_put_group_ref(msg, 0, group);
	nest = nla_nest_start(msg, ANTIGONE_A_KEY);
	bad |= !nest;
	bad |= nla_put_u32(msg, ANTIGONE_KEY_A_EPOCH, epoch);
	bad |= nla_put(msg, ANTIGONE_KEY_A_DATA, (int)key_len, key);
	if (sender)
		bad |= nla_put_u32(msg, ANTIGONE_KEY_A_SENDER, sender);
	if (lifetime_ms >= 0)
		bad |= nla_put_u32(msg, ANTIGONE_KEY_A_LIFETIME_MS,
				   (uint32_t)lifetime_ms);
	if (nest)
		nla_nest_end(msg, nest);
	if (bad) {
		OPENSSL_cleanse(nlmsg_data(nlmsg_hdr(msg)),
				nlmsg_datalen(nlmsg_hdr(msg)));
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	/* The message held the key: wipe it once sent. */
	nlmsg_get(msg);
	ret = kernel_request(k, msg, NULL, NULL);
	OPENSSL_cleanse(nlmsg_data(nlmsg_hdr(msg)), nlmsg_datalen(nlmsg_hdr(msg)));
	nlmsg_free(msg);
	return ret;
}

/* KEY_DEL or KEY_SET: the group; the key's EPOCH and, if >= 0, SENDER. */
static int key_request(struct kernel_nl *k, uint8_t cmd, const char *group,
		       uint32_t epoch, int64_t sender)
{
	struct nl_msg *msg = kernel_msg_new(k, cmd, 0);
	struct nlattr *nest;

	if (!msg)
		return -ENOMEM;
	if (kernel_put_group_ref(msg, 0, group) ||
	    !(nest = nla_nest_start(msg, ANTIGONE_A_KEY)) ||
	    nla_put_u32(msg, ANTIGONE_KEY_A_EPOCH, epoch) < 0 ||
	    (sender >= 0 &&
	     nla_put_u32(msg, ANTIGONE_KEY_A_SENDER, (uint32_t)sender) < 0)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return kernel_request(k, msg, NULL, NULL);
}

int kernel_key_del(struct kernel_nl *k, const char *group, uint32_t epoch)
{
	return key_request(k, ANTIGONE_CMD_KEY_DEL, group, epoch, -1);
}

int kernel_key_set_sender(struct kernel_nl *k, const char *group,
			  uint32_t epoch, uint32_t sender)
{
	return key_request(k, ANTIGONE_CMD_KEY_SET, group, epoch, sender);
}

int kernel_heartbeat(struct kernel_nl *k, const char *group, uint64_t seq,
		     uint32_t epoch)
{
	struct nl_msg *msg = kernel_msg_new(k, ANTIGONE_CMD_HEARTBEAT, 0);
	struct nlattr *nest;

	if (!msg)
		return -ENOMEM;
	if (kernel_put_group_ref(msg, 0, group) ||
	    !(nest = nla_nest_start(msg, ANTIGONE_A_HEARTBEAT)) ||
	    nla_put_u64(msg, ANTIGONE_HEARTBEAT_A_SEQ, seq) < 0 ||
	    nla_put_u32(msg, ANTIGONE_HEARTBEAT_A_EPOCH, epoch) < 0) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return kernel_request(k, msg, NULL, NULL);
}

struct dump_ctx {
	int (*fn)(const struct kernel_group *g, void *arg);
	void *arg;
	bool stopped;
};

static int parse_dumped_group(struct nlattr **tb, void *arg)
{
	struct dump_ctx *ctx = arg;
	struct kernel_group g;
	int ret;

	if (ctx->stopped)
		return 0;
	ret = parse_group(tb, &g);
	if (ret)
		return ret;
	if (ctx->fn(&g, ctx->arg))
		ctx->stopped = true;
	return 0;
}

int kernel_group_dump(struct kernel_nl *k,
		      int (*fn)(const struct kernel_group *g, void *arg),
		      void *arg)
{
	struct nl_msg *msg = kernel_msg_new(k, ANTIGONE_CMD_GROUP_GET, NLM_F_DUMP);
	struct dump_ctx ctx = { .fn = fn, .arg = arg };

	if (!msg)
		return -ENOMEM;
	return kernel_request(k, msg, parse_dumped_group, &ctx);
}

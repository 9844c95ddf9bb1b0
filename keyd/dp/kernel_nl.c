// SPDX-License-Identifier: GPL-2.0
/*
 * Client of the antigone.ko generic netlink family, on libnl-genl-3.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <netlink/netlink.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/family.h>
#include <openssl/crypto.h>

#include "kernel_nl.h"
#include "lib/names.h"

#define ANTIGONE_STR_(x) #x
#define ANTIGONE_STR(x) ANTIGONE_STR_(x)

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

struct kernel_nl {
	struct nl_sock *sk;
	int family;
	char error[256];
};

/* State of one request/response exchange. */
struct exchange {
	struct kernel_nl *k;
	int error;		/* kernel's errno, negative */
	bool done;
	int (*parse)(struct nlattr **tb, void *arg);
	void *arg;
	int parse_error;
};

void kernel_group_init(struct kernel_group *g)
{
	memset(g, 0, sizeof(*g));
	g->allow_uid = -1;
	g->allow_gid = -1;
	g->rekey_grace_ms = UINT32_MAX;	/* "kernel default" */
}

const char *kernel_last_error(const struct kernel_nl *k)
{
	return k->error[0] ? k->error : NULL;
}

/* The version the family registered with, as the controller reports it;
 * -1 if it cannot tell.
 */
static int family_version(struct nl_sock *sk)
{
	struct genl_family *family;
	struct nl_cache *cache;
	int version = -1;

	if (genl_ctrl_alloc_cache(sk, &cache) < 0)
		return -1;
	family = genl_ctrl_search_by_name(cache, ANTIGONE_GENL_NAME);
	if (family) {
		version = (int)genl_family_get_version(family);
		genl_family_put(family);
	}
	nl_cache_free(cache);
	return version;
}

const char *kernel_open_strerror(int err)
{
	switch (err) {
	case -ENOENT:
		return "the antigone kernel module is not loaded (generic "
		       "netlink family '" ANTIGONE_GENL_NAME "' not found)";
	case -EPROTO:
		return "the loaded antigone kernel module speaks another "
		       "netlink API than this program's (version "
		       ANTIGONE_STR(ANTIGONE_GENL_VERSION) "): load the "
		       "module of the same release";
	default:
		return strerror(-err);
	}
}

int kernel_open(struct kernel_nl **out)
{
	struct kernel_nl *k;
	int one = 1, ret;

	k = calloc(1, sizeof(*k));
	if (!k)
		return -ENOMEM;
	k->sk = nl_socket_alloc();
	if (!k->sk) {
		free(k);
		return -ENOMEM;
	}
	ret = genl_connect(k->sk);
	if (ret < 0) {
		ret = -EPROTONOSUPPORT;
		goto fail;
	}
	/* Ask for the kernel's error strings (extended ack). */
	setsockopt(nl_socket_get_fd(k->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	k->family = genl_ctrl_resolve(k->sk, ANTIGONE_GENL_NAME);
	if (k->family < 0) {
		ret = -ENOENT;
		goto fail;
	}
	if (family_version(k->sk) != ANTIGONE_GENL_VERSION) {
		ret = -EPROTO;
		goto fail;
	}
	*out = k;
	return 0;
fail:
	nl_socket_free(k->sk);
	free(k);
	return ret;
}

void kernel_close(struct kernel_nl *k)
{
	if (!k)
		return;
	nl_socket_free(k->sk);
	free(k);
}

static int on_error(struct sockaddr_nl *nla, struct nlmsgerr *err, void *arg)
{
	struct exchange *ex = arg;
	struct nlmsghdr *nlh = (struct nlmsghdr *)err - 1;
	size_t len = nlh->nlmsg_len;
	size_t off = NLMSG_HDRLEN + sizeof(*err);

	ex->error = err->error;
	ex->done = true;
	/* Extended ack: TLVs after the error, past the echoed request
	 * unless the kernel capped it.
	 */
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NL_STOP;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += err->msg.nlmsg_len - NLMSG_HDRLEN;
	while (off + NLA_HDRLEN <= len) {
		struct nlattr *a = (struct nlattr *)((char *)nlh + off);

		if (a->nla_len < NLA_HDRLEN || off + a->nla_len > len)
			break;
		if ((a->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG &&
		    a->nla_len > NLA_HDRLEN) {
			size_t n = a->nla_len - NLA_HDRLEN;

			if (n >= sizeof(ex->k->error))
				n = sizeof(ex->k->error) - 1;
			memcpy(ex->k->error, (char *)a + NLA_HDRLEN, n);
			ex->k->error[n] = '\0';
		}
		off += NLA_ALIGN(a->nla_len);
	}
	return NL_STOP;
}

static int on_finish(struct nl_msg *msg, void *arg)
{
	((struct exchange *)arg)->done = true;
	return NL_STOP;
}

static int on_ack(struct nl_msg *msg, void *arg)
{
	((struct exchange *)arg)->done = true;
	return NL_STOP;
}

static int on_valid(struct nl_msg *msg, void *arg)
{
	struct exchange *ex = arg;
	struct nlattr *tb[ANTIGONE_A_MAX + 1];
	int ret;

	/* Keep reading to the end of the reply even after a failure, so
	 * that nothing stale is left on the socket for the next request.
	 */
	if (!ex->parse || ex->parse_error)
		return NL_OK;
	ret = genlmsg_parse(nlmsg_hdr(msg), 0, tb, ANTIGONE_A_MAX, NULL);
	if (ret < 0)
		ex->parse_error = -EBADMSG;
	else
		ex->parse_error = ex->parse(tb, ex->arg);
	return NL_OK;
}

/* Sends msg (consumed) and reads until the ack, the error or the end of
 * the dump; parse is called with each reply's attributes.
 */
int kernel_request(struct kernel_nl *k, struct nl_msg *msg,
		   int (*parse)(struct nlattr **tb, void *arg), void *arg)
{
	struct exchange ex = { .k = k, .parse = parse, .arg = arg };
	struct nl_cb *cb;
	int ret;

	k->error[0] = '\0';
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		nlmsg_free(msg);
		return -ENOMEM;
	}
	nl_cb_err(cb, NL_CB_CUSTOM, on_error, &ex);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, on_finish, &ex);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, on_ack, &ex);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_valid, &ex);

	ret = nl_send_auto(k->sk, msg);
	nlmsg_free(msg);
	if (ret < 0) {
		nl_cb_put(cb);
		return -EIO;
	}
	while (!ex.done) {
		ret = nl_recvmsgs(k->sk, cb);
		if (ret == -NLE_DUMP_INTR) {
			/* The table changed during the dump. */
			ex.error = -EAGAIN;
			break;
		}
		if (ret < 0 && !ex.done) {
			ex.error = ex.error ? ex.error : -EIO;
			break;
		}
	}
	nl_cb_put(cb);
	if (ex.error)
		return ex.error;
	return ex.parse_error;
}

struct nl_msg *kernel_msg_new(struct kernel_nl *k, uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (msg && !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, k->family, 0,
				flags, cmd, ANTIGONE_GENL_VERSION)) {
		nlmsg_free(msg);
		msg = NULL;
	}
	return msg;
}

static int parse_info(struct nlattr **top, void *arg)
{
	struct nlattr *tb[ANTIGONE_INFO_A_MAX + 1];
	struct kernel_info *info = arg;

	if (!top[ANTIGONE_A_INFO] ||
	    nla_parse_nested(tb, ANTIGONE_INFO_A_MAX, top[ANTIGONE_A_INFO],
			     NULL) < 0 ||
	    !tb[ANTIGONE_INFO_A_VERSION] || !tb[ANTIGONE_INFO_A_API])
		return -EBADMSG;
	snprintf(info->version, sizeof(info->version), "%s",
		 nla_get_string(tb[ANTIGONE_INFO_A_VERSION]));
	info->api = nla_get_u32(tb[ANTIGONE_INFO_A_API]);
	if (tb[ANTIGONE_INFO_A_MAX_GROUPS])
		info->max_groups = nla_get_u32(tb[ANTIGONE_INFO_A_MAX_GROUPS]);
	if (tb[ANTIGONE_INFO_A_MAX_SELECTORS])
		info->max_selectors =
			nla_get_u32(tb[ANTIGONE_INFO_A_MAX_SELECTORS]);
	if (tb[ANTIGONE_INFO_A_NAME_MAX])
		info->name_max = nla_get_u32(tb[ANTIGONE_INFO_A_NAME_MAX]);
	return 0;
}

int kernel_get_info(struct kernel_nl *k, struct kernel_info *info)
{
	struct nl_msg *msg = kernel_msg_new(k, ANTIGONE_CMD_GET_INFO, 0);

	if (!msg)
		return -ENOMEM;
	memset(info, 0, sizeof(*info));
	return kernel_request(k, msg, parse_info, info);
}

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
static int put_group_ref(struct nl_msg *msg, uint32_t id, const char *name)
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
	if (put_group_ref(msg, id, name)) {
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
	msg = nlmsg_alloc_size(64 * 1024);
	if (!msg)
		return -ENOMEM;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, k->family, 0,
			 0, ANTIGONE_CMD_GROUP_SET, ANTIGONE_GENL_VERSION)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
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
	if (put_group_ref(msg, id, name)) {
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
	bad |= put_group_ref(msg, 0, group);
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
	if (put_group_ref(msg, 0, group) ||
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
	if (put_group_ref(msg, 0, group) ||
	    !(nest = nla_nest_start(msg, ANTIGONE_A_HEARTBEAT)) ||
	    nla_put_u64(msg, ANTIGONE_HEARTBEAT_A_SEQ, seq) < 0 ||
	    nla_put_u32(msg, ANTIGONE_HEARTBEAT_A_EPOCH, epoch) < 0) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return kernel_request(k, msg, NULL, NULL);
}

int kernel_events_open(struct kernel_nl **out)
{
	struct kernel_nl *k;
	int grp, ret;

	ret = kernel_open(&k);
	if (ret)
		return ret;
	grp = genl_ctrl_resolve_grp(k->sk, ANTIGONE_GENL_NAME,
				    ANTIGONE_GENL_MCGRP_EVENTS);
	if (grp < 0 || nl_socket_add_membership(k->sk, grp) < 0) {
		kernel_close(k);
		return -ENOENT;
	}
	nl_socket_disable_seq_check(k->sk);
	*out = k;
	return 0;
}

int kernel_events_fd(const struct kernel_nl *k)
{
	return nl_socket_get_fd(k->sk);
}

struct event_ctx {
	void (*fn)(const struct kernel_event *ev, void *arg);
	void *arg;
};

static int on_event(struct nl_msg *msg, void *arg)
{
	struct nlattr *top[ANTIGONE_A_MAX + 1];
	struct nlattr *grp[ANTIGONE_GROUP_A_MAX + 1];
	struct nlattr *tb[ANTIGONE_EVENT_A_MAX + 1];
	struct event_ctx *ctx = arg;
	struct kernel_event ev = { 0 };

	if (genlmsg_parse(nlmsg_hdr(msg), 0, top, ANTIGONE_A_MAX, NULL) < 0 ||
	    !top[ANTIGONE_A_EVENT] || !top[ANTIGONE_A_GROUP] ||
	    nla_parse_nested(tb, ANTIGONE_EVENT_A_MAX, top[ANTIGONE_A_EVENT],
			     NULL) < 0 ||
	    nla_parse_nested(grp, ANTIGONE_GROUP_A_MAX, top[ANTIGONE_A_GROUP],
			     NULL) < 0 ||
	    !tb[ANTIGONE_EVENT_A_TYPE])
		return NL_SKIP;
	ev.type = nla_get_u8(tb[ANTIGONE_EVENT_A_TYPE]);
	if (grp[ANTIGONE_GROUP_A_ID])
		ev.group_id = nla_get_u32(grp[ANTIGONE_GROUP_A_ID]);
	if (grp[ANTIGONE_GROUP_A_NAME])
		snprintf(ev.group_name, sizeof(ev.group_name), "%s",
			 nla_get_string(grp[ANTIGONE_GROUP_A_NAME]));
	if (tb[ANTIGONE_EVENT_A_EPOCH])
		ev.epoch = nla_get_u32(tb[ANTIGONE_EVENT_A_EPOCH]);
	if (tb[ANTIGONE_EVENT_A_SENDER])
		ev.sender = nla_get_u32(tb[ANTIGONE_EVENT_A_SENDER]);
	ctx->fn(&ev, ctx->arg);
	return NL_OK;
}

static int no_seq_check(struct nl_msg *msg, void *arg)
{
	return NL_OK;
}

int kernel_events_read(struct kernel_nl *k,
		       void (*fn)(const struct kernel_event *ev, void *arg),
		       void *arg)
{
	struct event_ctx ctx = { .fn = fn, .arg = arg };
	struct nl_cb *cb = nl_cb_alloc(NL_CB_DEFAULT);
	int ret;

	if (!cb)
		return -ENOMEM;
	/* Notifications carry sequence 0: no request to match. */
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, no_seq_check, NULL);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, on_event, &ctx);
	ret = nl_recvmsgs(k->sk, cb);
	nl_cb_put(cb);
	return ret < 0 ? -EIO : 0;
}

const char *kernel_state_name(uint8_t state)
{
	const char *n = name_of(names_state(), state);

	return n ? n : "unknown";
}

const char *kernel_event_name(uint8_t type)
{
	const char *n = name_of(names_event(), type);

	return n ? n : "unknown";
}

const char *kernel_stat_name(int stat)
{
	return name_of(names_stat(), stat);
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

const char *kernel_suite_name(uint8_t suite)
{
	const char *n = name_of(names_suite(), suite);

	return n ? n : "unknown";
}

void kernel_selector_str(const struct kernel_selector *sel, char *buf,
			 size_t len)
{
	char addr[INET6_ADDRSTRLEN];

	inet_ntop(sel->family, sel->addr, addr, sizeof(addr));
	snprintf(buf, len, sel->family == AF_INET6 ? "[%s]:%u" : "%s:%u",
		 addr, sel->port);
}

const char *kernel_guarantee_name(uint8_t guarantee)
{
	const char *n = name_of(names_guarantee(), guarantee);

	return n ? n : "unknown";
}

const char *kernel_fail_policy_name(uint8_t policy)
{
	const char *n = name_of(names_fail_policy(), policy);

	return n ? n : "unknown";
}

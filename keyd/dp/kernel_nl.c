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
	return kernel_msg_new_sized(k, cmd, flags, 0);
}

struct nl_msg *kernel_msg_new_sized(struct kernel_nl *k, uint8_t cmd,
				    int flags, size_t size)
{
	struct nl_msg *msg = size ? nlmsg_alloc_size(size) : nlmsg_alloc();

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

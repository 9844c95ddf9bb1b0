// SPDX-License-Identifier: GPL-2.0
/*
 * Client of the antigone.ko generic netlink family, on libnl-genl-3.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <netlink/netlink.h>
#include <netlink/genl/genl.h>
#include <netlink/genl/ctrl.h>

#include "kernel_nl.h"

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

static int parse_info(struct nlattr **tb, void *arg)
{
	struct kernel_info *info = arg;

	if (!tb[ANTIGONE_A_INFO_VERSION] || !tb[ANTIGONE_A_INFO_API])
		return -EBADMSG;
	snprintf(info->version, sizeof(info->version), "%s",
		 nla_get_string(tb[ANTIGONE_A_INFO_VERSION]));
	info->api = nla_get_u32(tb[ANTIGONE_A_INFO_API]);
	if (tb[ANTIGONE_A_INFO_MAX_GROUPS])
		info->max_groups = nla_get_u32(tb[ANTIGONE_A_INFO_MAX_GROUPS]);
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

static int parse_group(struct nlattr **tb, struct kernel_group *g)
{
	kernel_group_init(g);
	if (!tb[ANTIGONE_A_GROUP_ID] || !tb[ANTIGONE_A_GROUP_NAME])
		return -EBADMSG;
	g->id = nla_get_u32(tb[ANTIGONE_A_GROUP_ID]);
	snprintf(g->name, sizeof(g->name), "%s",
		 nla_get_string(tb[ANTIGONE_A_GROUP_NAME]));
	if (tb[ANTIGONE_A_GROUP_SUITE])
		g->suite = nla_get_u8(tb[ANTIGONE_A_GROUP_SUITE]);
	if (tb[ANTIGONE_A_GROUP_GUARANTEE])
		g->guarantee = nla_get_u8(tb[ANTIGONE_A_GROUP_GUARANTEE]);
	if (tb[ANTIGONE_A_GROUP_FAIL_POLICY])
		g->fail_policy = nla_get_u8(tb[ANTIGONE_A_GROUP_FAIL_POLICY]);
	if (tb[ANTIGONE_A_GROUP_HB_TIMEOUT_MS])
		g->hb_timeout_ms = nla_get_u32(tb[ANTIGONE_A_GROUP_HB_TIMEOUT_MS]);
	if (tb[ANTIGONE_A_GROUP_KEY_LIFETIME_MS])
		g->key_lifetime_ms =
			nla_get_u32(tb[ANTIGONE_A_GROUP_KEY_LIFETIME_MS]);
	if (tb[ANTIGONE_A_GROUP_REKEY_GRACE_MS])
		g->rekey_grace_ms =
			nla_get_u32(tb[ANTIGONE_A_GROUP_REKEY_GRACE_MS]);
	if (tb[ANTIGONE_A_GROUP_ALLOW_UID])
		g->allow_uid = nla_get_u32(tb[ANTIGONE_A_GROUP_ALLOW_UID]);
	if (tb[ANTIGONE_A_GROUP_ALLOW_GID])
		g->allow_gid = nla_get_u32(tb[ANTIGONE_A_GROUP_ALLOW_GID]);
	return 0;
}

static int parse_one_group(struct nlattr **tb, void *arg)
{
	return parse_group(tb, arg);
}

static int put_selector(struct nl_msg *msg, uint32_t id, const char *name)
{
	if (id && nla_put_u32(msg, ANTIGONE_A_GROUP_ID, id) < 0)
		return -EMSGSIZE;
	if (name && nla_put_string(msg, ANTIGONE_A_GROUP_NAME, name) < 0)
		return -EMSGSIZE;
	return 0;
}

int kernel_group_new(struct kernel_nl *k, const struct kernel_group *req,
		     struct kernel_group *created)
{
	struct nl_msg *msg = kernel_msg_new(k, ANTIGONE_CMD_GROUP_NEW, 0);
	struct kernel_group ignored;
	int bad = 0;

	if (!msg)
		return -ENOMEM;
	bad |= nla_put_string(msg, ANTIGONE_A_GROUP_NAME, req->name);
	if (req->suite)
		bad |= nla_put_u8(msg, ANTIGONE_A_GROUP_SUITE, req->suite);
	if (req->guarantee)
		bad |= nla_put_u8(msg, ANTIGONE_A_GROUP_GUARANTEE,
				  req->guarantee);
	bad |= nla_put_u8(msg, ANTIGONE_A_GROUP_FAIL_POLICY, req->fail_policy);
	bad |= nla_put_u32(msg, ANTIGONE_A_GROUP_HB_TIMEOUT_MS,
			   req->hb_timeout_ms);
	bad |= nla_put_u32(msg, ANTIGONE_A_GROUP_KEY_LIFETIME_MS,
			   req->key_lifetime_ms);
	if (req->rekey_grace_ms != UINT32_MAX)
		bad |= nla_put_u32(msg, ANTIGONE_A_GROUP_REKEY_GRACE_MS,
				   req->rekey_grace_ms);
	if (req->allow_uid >= 0)
		bad |= nla_put_u32(msg, ANTIGONE_A_GROUP_ALLOW_UID,
				   (uint32_t)req->allow_uid);
	if (req->allow_gid >= 0)
		bad |= nla_put_u32(msg, ANTIGONE_A_GROUP_ALLOW_GID,
				   (uint32_t)req->allow_gid);
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
	if (put_selector(msg, id, name)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return kernel_request(k, msg, NULL, NULL);
}

int kernel_group_get(struct kernel_nl *k, uint32_t id, const char *name,
		     struct kernel_group *out)
{
	struct nl_msg *msg = kernel_msg_new(k, ANTIGONE_CMD_GROUP_GET, 0);

	if (!msg)
		return -ENOMEM;
	if (put_selector(msg, id, name)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	return kernel_request(k, msg, parse_one_group, out);
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
	switch (suite) {
	case ANTIGONE_SUITE_AES128_GCM: return "aes128-gcm";
	case ANTIGONE_SUITE_AES256_GCM: return "aes256-gcm";
	case ANTIGONE_SUITE_CHACHA20_POLY1305: return "chacha20-poly1305";
	}
	return "unknown";
}

const char *kernel_guarantee_name(uint8_t guarantee)
{
	switch (guarantee) {
	case ANTIGONE_G_INTEGRITY: return "integrity";
	case ANTIGONE_G_CONFIDENTIALITY: return "confidentiality";
	case ANTIGONE_G_BOTH: return "integrity+confidentiality";
	}
	return "unknown";
}

const char *kernel_fail_policy_name(uint8_t policy)
{
	switch (policy) {
	case ANTIGONE_FAIL_CLOSED: return "closed";
	case ANTIGONE_FAIL_EVENT_ONLY: return "event-only";
	}
	return "unknown";
}

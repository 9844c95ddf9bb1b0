// SPDX-License-Identifier: GPL-2.0
/*
 * antigone kernel info|list|show|add|del: the kernel's groups, over the
 * module's generic netlink family.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "dp/kernel_nl.h"
#include "group.h"
#include "kernel.h"
#include "lib/names.h"
#include "lib/util.h"
#include "opt.h"

static const char *relay_mode_name(uint8_t mode)
{
	const char *n = name_of(names_relay_mode(), mode);

	return n ? n : "unknown";
}

static void relay_leader_str(const struct kernel_group *g, char *buf,
			     size_t len)
{
	if (!inet_ntop(g->relay.family, g->relay.leader, buf, (socklen_t)len))
		snprintf(buf, len, "?");
}

static void print_group(const struct kernel_group *g, bool json, bool first)
{
	char buf[INET6_ADDRSTRLEN + 16];
	unsigned int i, n;

	if (json) {
		printf("%s{\"id\":%u,\"name\":", first ? "" : ",", g->id);
		json_string(stdout, g->name);
		printf(",\"suite\":\"%s\",\"guarantee\":\"%s\","
		       "\"fail_policy\":\"%s\",\"heartbeat_timeout_ms\":%u,"
		       "\"key_lifetime_ms\":%u,\"rekey_grace_ms\":%u",
		       kernel_suite_name(g->suite),
		       kernel_guarantee_name(g->guarantee),
		       kernel_fail_policy_name(g->fail_policy),
		       g->hb_timeout_ms, g->key_lifetime_ms, g->rekey_grace_ms);
		if (g->allow_uid >= 0)
			printf(",\"allow_uid\":%lld", (long long)g->allow_uid);
		if (g->allow_gid >= 0)
			printf(",\"allow_gid\":%lld", (long long)g->allow_gid);
		printf(",\"epoch\":%u,\"state\":\"%s\"", g->epoch,
		       kernel_state_name(g->state));
		if (g->prev_epoch)
			printf(",\"prev_epoch\":%u", g->prev_epoch);
		if (g->crypto_driver[0]) {
			printf(",\"crypto_driver\":");
			json_string(stdout, g->crypto_driver);
			printf(",\"crypto_fallback\":");
			json_string(stdout, g->crypto_fallback);
		}
		printf(",\"relay_port\":%u,\"relay_mode\":\"%s\"", g->relay_port,
		       relay_mode_name(g->relay.mode));
		if (g->relay.family) {
			relay_leader_str(g, buf, sizeof(buf));
			printf(",\"relay_leader\":");
			json_string(stdout, buf);
		}
		if (g->relay.mode == ANTIGONE_RELAY_MULTICAST ||
		    g->relay.mode == ANTIGONE_RELAY_UNICAST)
			printf(",\"relay_members\":%u", g->relay.nmembers);
		if (g->relay.mode == ANTIGONE_RELAY_MULTICAST)
			printf(",\"relay_ifindex\":%u", g->relay.ifindex);
		printf(",\"selectors\":[");
		for (i = 0; i < g->nsel; i++) {
			kernel_selector_str(&g->sel[i], buf, sizeof(buf));
			printf("%s", i ? "," : "");
			json_string(stdout, buf);
		}
		printf("],\"stats\":{");
		for (i = 1, n = 0; i < __ANTIGONE_STAT_MAX; i++) {
			if (!kernel_stat_name(i))
				continue;
			printf("%s\"%s\":%llu", n++ ? "," : "",
			       kernel_stat_name(i),
			       (unsigned long long)g->stats[i]);
		}
		printf("}}");
		return;
	}
	printf("group %s (id %u)\n", g->name, g->id);
	printf("  suite %s, guarantee %s, fail policy %s\n",
	       kernel_suite_name(g->suite), kernel_guarantee_name(g->guarantee),
	       kernel_fail_policy_name(g->fail_policy));
	printf("  heartbeat timeout %u ms, key lifetime %u ms, rekey grace %u ms\n",
	       g->hb_timeout_ms, g->key_lifetime_ms, g->rekey_grace_ms);
	if (g->allow_uid >= 0 || g->allow_gid >= 0) {
		printf("  sockets may be attached by");
		if (g->allow_uid >= 0)
			printf(" uid %lld", (long long)g->allow_uid);
		if (g->allow_gid >= 0)
			printf(" gid %lld", (long long)g->allow_gid);
		printf("\n");
	}
	printf("  key epoch %u%s, state %s\n", g->epoch,
	       g->prev_epoch ? "" : "", kernel_state_name(g->state));
	if (g->prev_epoch)
		printf("  previous epoch %u accepted until its grace ends\n",
		       g->prev_epoch);
	if (g->crypto_driver[0] && strcmp(g->crypto_driver, g->crypto_fallback))
		printf("  crypto %s (where the FPU is busy: %s)\n",
		       g->crypto_driver, g->crypto_fallback);
	else if (g->crypto_driver[0])
		printf("  crypto %s\n", g->crypto_driver);
	for (i = 0; i < g->nsel; i++) {
		kernel_selector_str(&g->sel[i], buf, sizeof(buf));
		printf("  protects %s\n", buf);
	}
	if (g->relay.mode == ANTIGONE_RELAY_TO_LEADER) {
		relay_leader_str(g, buf, sizeof(buf));
		printf("  kernel relay: sends datagrams to its selectors' ports "
		       "to the leader at %s\n", buf);
	} else if (g->relay.mode != ANTIGONE_RELAY_NONE) {
		printf("  kernel relay: checks %u members' datagrams and sends "
		       "them on (%s)\n", g->relay.nmembers,
		       g->relay.mode == ANTIGONE_RELAY_MULTICAST ?
		       "multicast to its selectors" :
		       "a copy to every other member");
	}
	if (g->relay_port)
		printf("  relays: sends through the inlet on loopback port %u "
		       "what the kernel relay does not take\n", g->relay_port);
	if (g->relay_port || g->relay.mode != ANTIGONE_RELAY_NONE)
		printf("  its ports are checked on every local address\n");
	for (i = 1, n = 0; i < __ANTIGONE_STAT_MAX; i++) {
		if (!g->stats[i] || !kernel_stat_name(i))
			continue;
		printf("%s%s %llu", n++ % 4 ? ", " : "  ", kernel_stat_name(i),
		       (unsigned long long)g->stats[i]);
		if (n % 4 == 0)
			printf("\n");
	}
	if (n % 4)
		printf("\n");
}

const struct opt kernel_json_opts[OPT_MAX] = {
	[0] = { "json", NULL, "print JSON", 0 },
};

int cmd_kernel_info(const struct cli_cmd *c, int argc, char **argv)
{
	struct kernel_info info;
	struct opt_args a;
	struct kernel_nl *k;
	int ret;

	if (opt_parse(c, kernel_json_opts, argc, argv, &a))
		return EXIT_USAGE;
	if (open_kernel(&k))
		return 1;
	ret = kernel_get_info(k, &info);
	if (ret) {
		ret = kernel_failed(k, "reading module info", ret);
		kernel_close(k);
		return ret;
	}
	if (a.val[0]) {
		printf("{\"version\":");
		json_string(stdout, info.version);
		printf(",\"api\":%u,\"max_groups\":%u,\"max_selectors\":%u,"
		       "\"name_max\":%u}\n", info.api, info.max_groups,
		       info.max_selectors, info.name_max);
	} else {
		printf("antigone.ko version %s, netlink API %u, "
		       "up to %u groups per network namespace, %u selectors "
		       "per group, names of up to %u characters\n",
		       info.version, info.api, info.max_groups,
		       info.max_selectors, info.name_max);
	}
	kernel_close(k);
	return 0;
}

struct list_state {
	bool json;
	unsigned int count;
};

static int list_one(const struct kernel_group *g, void *arg)
{
	struct list_state *st = arg;

	print_group(g, st->json, st->count == 0);
	st->count++;
	return 0;
}

int cmd_kernel_list(const struct cli_cmd *c, int argc, char **argv)
{
	struct list_state st = { 0 };
	struct opt_args a;
	struct kernel_nl *k;
	int ret;

	if (opt_parse(c, kernel_json_opts, argc, argv, &a))
		return EXIT_USAGE;
	st.json = a.val[0] != NULL;
	if (open_kernel(&k))
		return 1;
	if (st.json)
		printf("[");
	ret = kernel_group_dump(k, list_one, &st);
	if (st.json)
		printf("]\n");
	else if (!ret && st.count == 0)
		printf("no groups\n");
	if (ret == -EAGAIN)
		fprintf(stderr, "%s: the group table changed during the "
			"listing; run it again\n", prog);
	ret = ret ? kernel_failed(k, "listing groups", ret) : 0;
	kernel_close(k);
	return ret;
}

enum { A_NAME, A_SUITE, A_GUARANTEE, A_FAIL_POLICY, A_HB_TIMEOUT,
       A_KEY_LIFETIME, A_REKEY_GRACE, A_ALLOW_UID, A_ALLOW_GID, A_SELECTOR,
       A_JSON };

const struct opt kernel_add_opts[OPT_MAX] = {
	[A_NAME] = { "NAME", NULL, NULL, OPT_POS },
	[A_SUITE] = { "suite", "aes128-gcm|aes256-gcm|chacha20-poly1305",
		      "(aes128-gcm)", 0 },
	[A_GUARANTEE] = { "guarantee", "integrity|confidentiality|both",
			  "(both)", 0 },
	[A_FAIL_POLICY] = { "fail-policy", "closed|event-only", "(closed)", 0 },
	[A_HB_TIMEOUT] = { "heartbeat-timeout", "MS",
		"fail after MS without a leader heartbeat (0: off)", 0 },
	[A_KEY_LIFETIME] = { "key-lifetime", "MS",
		"a key expires MS after it is installed (0: never)", 0 },
	[A_REKEY_GRACE] = { "rekey-grace", "MS",
		"keep accepting the previous key MS after a rekey", 0 },
	[A_ALLOW_UID] = { "allow-uid", "UID", NULL, 0 },
	[A_ALLOW_GID] = { "allow-gid", "GID",
			  "who may attach sockets without CAP_NET_ADMIN", 0 },
	[A_SELECTOR] = { "selector", "ADDR:PORT",
			 "protect every datagram to ADDR:PORT (IPv6:\n"
			 "[ADDR]:PORT), whatever program sends it;\n"
			 "repeatable, 16 at most", 0 },
	[A_JSON] = { "json", NULL, "print the created group as JSON",
		     OPT_NO_OVERVIEW },
};

/* A value that is not one of @m's names: say which are. */
static int bad_choice(const struct cli_cmd *c, const struct opt_item *o,
		      const struct name_map *m)
{
	char choices[128];

	return cli_usage_error(c, "--%.*s '%s': not %s", o->keylen, o->key,
			       o->val, name_choices(m, choices,
						    sizeof(choices)));
}

/* One option of kernel add into @req; 0 or EXIT_USAGE. */
static int add_option(const struct cli_cmd *c, const struct opt_item *o,
		      struct kernel_group *req)
{
	struct kernel_selector *sel = &req->sel[req->nsel];
	const char *why;
	uint32_t v;
	int ret;

	switch (o->id) {
	case A_SUITE:
		ret = parse_suite(o->val);
		if (ret < 0)
			return bad_choice(c, o, names_suite());
		req->suite = (uint8_t)ret;
		break;
	case A_GUARANTEE:
		ret = parse_guarantee(o->val);
		if (ret < 0)
			return bad_choice(c, o, names_guarantee());
		req->guarantee = (uint8_t)ret;
		break;
	case A_FAIL_POLICY:
		ret = parse_fail_policy(o->val);
		if (ret < 0)
			return bad_choice(c, o, names_fail_policy());
		req->fail_policy = (uint8_t)ret;
		break;
	case A_HB_TIMEOUT: case A_KEY_LIFETIME: case A_REKEY_GRACE:
	case A_ALLOW_UID: case A_ALLOW_GID:
		if (parse_u32(o->val, 0, UINT32_MAX - 1, &v))
			goto bad_value;
		if (o->id == A_HB_TIMEOUT)
			req->hb_timeout_ms = v;
		else if (o->id == A_KEY_LIFETIME)
			req->key_lifetime_ms = v;
		else if (o->id == A_REKEY_GRACE)
			req->rekey_grace_ms = v;
		else if (o->id == A_ALLOW_UID)
			req->allow_uid = v;
		else
			req->allow_gid = v;
		break;
	case A_SELECTOR:
		if (req->nsel == ANTIGONE_MAX_SELECTORS) {
			usage_error("at most %d selectors",
				    ANTIGONE_MAX_SELECTORS);
			return EXIT_USAGE;
		}
		if (parse_host_port(o->val, false, &sel->family, sel->addr,
				    &sel->port, &why)) {
			if (!why)
				goto bad_value;
			usage_error("invalid selector '%s': %s", o->val, why);
			return EXIT_USAGE;
		}
		req->nsel++;
		break;
	}
	return 0;

bad_value:
	return cli_usage_error(c, "invalid value '%s'", o->val);
}

int cmd_kernel_add(const struct cli_cmd *c, int argc, char **argv)
{
	struct kernel_group req, created;
	const char *name;
	struct opt_args a;
	struct kernel_nl *k;
	int i, ret;

	if (opt_parse(c, kernel_add_opts, argc, argv, &a))
		return EXIT_USAGE;
	kernel_group_init(&req);
	for (i = 0; i < a.nitem; i++)
		if (add_option(c, &a.item[i], &req))
			return EXIT_USAGE;
	name = a.val[A_NAME];
	if (!name)
		return cli_usage(c);
	if (!name_valid(name)) {
		usage_error("invalid group name '%s': 1-15 characters of "
			    "[A-Za-z0-9._-]", name);
		return EXIT_USAGE;
	}
	snprintf(req.name, sizeof(req.name), "%s", name);

	if (open_kernel(&k))
		return 1;
	ret = kernel_group_new(k, &req, &created);
	if (ret) {
		ret = kernel_failed(k, "creating the group", ret);
	} else {
		print_group(&created, a.val[A_JSON] != NULL, true);
		if (a.val[A_JSON])
			printf("\n");
	}
	kernel_close(k);
	return ret;
}

/* NAME, or --id N: how the del and show commands name a group. */
enum { R_NAME, R_ID, R_JSON };

const struct opt kernel_show_opts[OPT_MAX] = {
	[R_NAME] = { "NAME", NULL, NULL, OPT_POS },
	[R_ID] = { "id", "ID", "the group of that id (instead of NAME)", 0 },
	[R_JSON] = { "json", NULL, "print JSON", 0 },
};

/* The same, without --json. */
const struct opt kernel_del_opts[OPT_MAX] = {
	[R_NAME] = { "NAME", NULL, NULL, OPT_POS },
	[R_ID] = { "id", "ID", "the group of that id (instead of NAME)", 0 },
};

static int group_ref(const struct cli_cmd *c, const struct opt *opts,
		     int argc, char **argv, uint32_t *id, const char **name,
		     bool *json)
{
	struct opt_args a;
	int i;

	if (opt_parse(c, opts, argc, argv, &a))
		return EXIT_USAGE;
	*id = 0;
	for (i = 0; i < a.nitem; i++) {
		if (a.item[i].id == R_ID &&
		    parse_u32(a.item[i].val, 1, UINT32_MAX, id)) {
			usage_error("invalid group id '%s'", a.item[i].val);
			return EXIT_USAGE;
		}
	}
	*name = a.val[R_NAME];
	if (json)
		*json = a.val[R_JSON] != NULL;
	if (!*id && !*name)
		return cli_usage(c);
	if (*name && !name_valid(*name)) {
		usage_error("invalid group name '%s'", *name);
		return EXIT_USAGE;
	}
	return 0;
}

int cmd_kernel_del(const struct cli_cmd *c, int argc, char **argv)
{
	struct kernel_nl *k;
	const char *name;
	uint32_t id;
	int ret;

	ret = group_ref(c, kernel_del_opts, argc, argv, &id, &name, NULL);
	if (ret)
		return ret;
	if (open_kernel(&k))
		return 1;
	ret = kernel_group_del(k, id, name);
	ret = ret ? kernel_failed(k, "deleting the group", ret) : 0;
	kernel_close(k);
	return ret;
}

int cmd_kernel_show(const struct cli_cmd *c, int argc, char **argv)
{
	struct kernel_group g;
	struct kernel_nl *k;
	const char *name;
	bool json = false;
	uint32_t id;
	int ret;

	ret = group_ref(c, kernel_show_opts, argc, argv, &id, &name, &json);
	if (ret)
		return ret;
	if (open_kernel(&k))
		return 1;
	ret = kernel_group_get(k, id, name, &g);
	if (ret) {
		ret = kernel_failed(k, "reading the group", ret);
	} else {
		print_group(&g, json, true);
		if (json)
			printf("\n");
	}
	kernel_close(k);
	return ret;
}

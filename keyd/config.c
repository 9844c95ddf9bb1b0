// SPDX-License-Identifier: GPL-2.0
/*
 * antigoned's configuration file: "key = value" lines in sections,
 * '#' comments. Every value is checked; an error names file and line.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "lib/util.h"

#define DEFAULT_PORT 4510
#define DEFAULT_TTP_PORT 4511

void config_defaults(struct config *c)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->datapath, sizeof(c->datapath), "kernel");
	snprintf(c->control_socket, sizeof(c->control_socket),
		 "/run/antigone/antigoned.sock");
	snprintf(c->registry, sizeof(c->registry),
		 "/var/lib/antigone/ttp.registry");
	c->port = DEFAULT_PORT;
	c->ttp_port = DEFAULT_TTP_PORT;
}

/*
 * "ADDR", "ADDR:PORT", "V6ADDR", "[V6ADDR]" or "[V6ADDR]:PORT" (port
 * defaults to @port): an unbracketed IPv6 address is all address.
 */
static int parse_endpoint(const char *s, unsigned short port,
			  struct sockaddr_storage *out)
{
	struct sockaddr_in *in4 = (struct sockaddr_in *)out;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)out;
	uint8_t addr[16];
	uint16_t p = port;
	int family;

	memset(out, 0, sizeof(*out));
	if (parse_host_port(s, true, &family, addr, &p, NULL))
		return -EINVAL;
	if (family == AF_INET) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons(p);
		memcpy(&in4->sin_addr, addr, 4);
	} else {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons(p);
		memcpy(&in6->sin6_addr, addr, 16);
	}
	return 0;
}

/* The whole field is rewritten: nothing of a longer earlier value stays. */
static int copy_str(char *dst, size_t len, const char *v)
{
	if (strlen(v) >= len)
		return -EINVAL;
	memset(dst, 0, len);
	memcpy(dst, v, strlen(v));
	return 0;
}

/* As the kernel takes one (dev_valid_name): 1..15 visible characters. */
static bool ifname_valid(const char *v)
{
	size_t n = strlen(v), i;

	if (!n || n >= IFNAMSIZ || !strcmp(v, ".") || !strcmp(v, ".."))
		return false;
	for (i = 0; i < n; i++)
		if (!isgraph((unsigned char)v[i]) || v[i] == '/' ||
		    v[i] == ':' || v[i] == '#')
			return false;
	return true;
}

/*
 * Role names separated by commas or blanks (as the leader reads them),
 * each one as identities are named, at least one: into @out, comma
 * separated, so that the file and showconf say it one way.
 */
static int roles_set(char *out, size_t cap, const char *v)
{
	char role[16], list[sizeof(((struct config_group *)0)->eject_roles)];
	size_t n, used = 0;

	for (;;) {
		v += strspn(v, ", \t");
		if (!*v)
			break;
		n = strcspn(v, ", \t");
		if (n >= sizeof(role))
			return -EINVAL;
		memcpy(role, v, n);
		role[n] = '\0';
		if (!name_valid(role) || used + !!used + n >= sizeof(list))
			return -EINVAL;
		if (used)
			list[used++] = ',';
		memcpy(list + used, role, n);
		used += n;
		v += n;
	}
	if (!used)
		return -EINVAL;
	list[used] = '\0';
	return copy_str(out, cap, list);
}

static struct config_group *find_group(struct config *c, const char *name)
{
	unsigned int i;

	for (i = 0; i < c->ngroups; i++)
		if (!strcmp(c->groups[i].name, name))
			return &c->groups[i];
	return NULL;
}

static int parse_port(const char *v, unsigned short *port)
{
	uint32_t n;

	if (parse_u32(v, 1, 65535, &n))
		return -EINVAL;
	*port = (unsigned short)n;
	return 0;
}

static int set_daemon(struct config *c, const char *k, const char *v,
		      const char **why)
{
	if (!strcmp(k, "identity")) {
		*why = "identity: 1-15 characters of [A-Za-z0-9._-]";
		return name_valid(v) ? copy_str(c->identity,
						sizeof(c->identity), v) :
				       -EINVAL;
	}
	if (!strcmp(k, "key-file")) {
		*why = "path too long";
		return copy_str(c->key_file, sizeof(c->key_file), v);
	}
	if (!strcmp(k, "datapath")) {
		*why = "datapath is kernel or null";
		if (strcmp(v, "kernel") && strcmp(v, "null"))
			return -EINVAL;
		return copy_str(c->datapath, sizeof(c->datapath), v);
	}
	if (!strcmp(k, "control-socket")) {
		*why = "path too long";
		return copy_str(c->control_socket, sizeof(c->control_socket),
				v);
	}
	if (!strcmp(k, "control-group")) {
		*why = "group name too long";
		return copy_str(c->control_group, sizeof(c->control_group), v);
	}
	if (!strcmp(k, "port")) {
		*why = "port is 1..65535";
		return parse_port(v, &c->port);
	}
	if (!strcmp(k, "ttp")) {
		*why = "ttp is the TTP's address (ADDR, ADDR:PORT or "
		       "[V6ADDR]:PORT)";
		return parse_endpoint(v, DEFAULT_TTP_PORT, &c->ttp_addr);
	}
	*why = "unknown setting in [daemon]";
	return -ENOENT;
}

static int set_ttp(struct config *c, const char *k, const char *v,
		   const char **why)
{
	if (!strcmp(k, "enable")) {
		*why = "enable is yes or no";
		if (!strcmp(v, "yes"))
			c->ttp = true;
		else if (!strcmp(v, "no"))
			c->ttp = false;
		else
			return -EINVAL;
		return 0;
	}
	if (!strcmp(k, "registry")) {
		*why = "path too long";
		return copy_str(c->registry, sizeof(c->registry), v);
	}
	if (!strcmp(k, "port")) {
		*why = "port is 1..65535";
		return parse_port(v, &c->ttp_port);
	}
	*why = "unknown setting in [ttp]";
	return -ENOENT;
}

static int set_group(struct config_group *g, const char *k, const char *v,
		     unsigned short port, const char **why)
{
	int ret;

	if (!strcmp(k, "role")) {
		*why = "role is leader or member";
		if (!strcmp(v, "leader"))
			g->role = ROLE_LEADER;
		else if (!strcmp(v, "member"))
			g->role = ROLE_MEMBER;
		else
			return -EINVAL;
		return 0;
	}
	if (!strcmp(k, "leader")) {
		*why = "leader is IDENTITY@ADDR[:PORT] ([V6ADDR]:PORT)";
		const char *at = strchr(v, '@');
		char id[16] = "";

		if (!at || at == v || (size_t)(at - v) >= sizeof(id))
			return -EINVAL;
		memcpy(id, v, (size_t)(at - v));
		id[at - v] = '\0';
		if (!name_valid(id))
			return -EINVAL;
		memcpy(g->leader, id, sizeof(id));
		return parse_endpoint(at + 1, port, &g->leader_addr);
	}
	if (!strcmp(k, "port")) {
		*why = "port (a leader's, for this group) is 1..65535";
		return parse_port(v, &g->port);
	}
	if (!strcmp(k, "group-address")) {
		*why = "group-address is a multicast ADDR[:PORT] (port "
		       "default 4512)";
		ret = parse_endpoint(v, DEFAULT_GROUP_PORT, &g->group_addr);
		if (!ret && !sockaddr_multicast(&g->group_addr))
			ret = -EINVAL;
		return ret;
	}
	if (!strcmp(k, "multicast-interface")) {
		*why = "multicast-interface is an interface name";
		if (!ifname_valid(v))
			return -EINVAL;
		return copy_str(g->mcast_if, sizeof(g->mcast_if), v);
	}
	if (!strcmp(k, "selector")) {
		struct kernel_selector *s = &g->sel[g->nsel];

		const char *v6why;

		*why = "selector is ADDR:PORT ([V6]:PORT), 16 at most";
		_Static_assert(ANTIGONE_MAX_SELECTORS == 16, "the text above");
		if (g->nsel == ANTIGONE_MAX_SELECTORS)
			return -EINVAL;
		if (parse_host_port(v, false, &s->family, s->addr, &s->port,
				    &v6why)) {
			if (v6why)
				*why = "selector: an IPv6 address with a port is "
				       "written [ADDR]:PORT, e.g. [ff0e::1]:5000";
			return -EINVAL;
		}
		g->nsel++;
		return 0;
	}
	if (!strcmp(k, "transport"))
		g->transport_set = true;
	if (!strcmp(k, "eject-roles")) {
		*why = "eject-roles: a list of roles (NAME,NAME...)";
		return roles_set(g->eject_roles, sizeof(g->eject_roles), v);
	}
	ret = policy_set(&g->policy, k, v, why);
	if (ret == -ENOENT)
		*why = "unknown setting in [group]";
	return ret;
}

void config_group_write(const struct config_group *g, FILE *out)
{
	char buf[INET6_ADDRSTRLEN + 16];
	unsigned int i;

	fprintf(out, "[group %s]\nrole = %s\n", g->name,
		g->role == ROLE_LEADER ? "leader" : "member");
	if (g->leader[0]) {	/* a leader's own is unused, but was set */
		sockaddr_str(&g->leader_addr, buf, sizeof(buf));
		fprintf(out, "leader = %s@%s\n", g->leader, buf);
	}
	if (g->port)
		fprintf(out, "port = %u\n", g->port);
	if (g->group_addr.ss_family) {
		sockaddr_str(&g->group_addr, buf, sizeof(buf));
		fprintf(out, "group-address = %s\n", buf);
	}
	if (g->mcast_if[0])
		fprintf(out, "multicast-interface = %s\n", g->mcast_if);
	for (i = 0; i < g->nsel; i++) {
		kernel_selector_str(&g->sel[i], buf, sizeof(buf));
		fprintf(out, "selector = %s\n", buf);
	}
	if (g->eject_roles[0])
		fprintf(out, "eject-roles = %s\n", g->eject_roles);
	policy_write(&g->policy, g->transport_set, out);
}

int config_set(struct config *c, const char *section, const char *key,
	       const char *value, const char **why)
{
	struct config_group *g;

	*why = NULL;
	if (!strcmp(section, "daemon"))
		return set_daemon(c, key, value, why);
	if (!strcmp(section, "ttp"))
		return set_ttp(c, key, value, why);
	if (strncmp(section, "group ", 6)) {
		*why = "unknown section";
		return -EINVAL;
	}
	g = find_group(c, section + 6);
	if (!g) {
		*why = "no such group section";
		return -ENOENT;
	}
	return set_group(g, key, value, c->port, why);
}

int config_group_check(struct config_group *g, const char **why)
{
	*why = NULL;
	/* No group address and no transport named: unicast, not an error. */
	if (!g->transport_set && !g->group_addr.ss_family)
		g->policy.transport = TRANSPORT_P2P;
	if (!g->role) {
		*why = "a group needs role = leader or member";
		return -EINVAL;
	}
	if (g->role == ROLE_MEMBER && !g->leader[0]) {
		*why = "a member group needs leader = ID@ADDR";
		return -EINVAL;
	}
	if (g->role == ROLE_LEADER &&
	    g->policy.transport != TRANSPORT_P2P && !g->group_addr.ss_family) {
		*why = "the symmetric and asymmetric transports need "
		       "group-address (or transport = point-to-point)";
		return -EINVAL;
	}
	return policy_check(&g->policy, why);
}

struct config_group *config_group_add(struct config *c, const char *name,
				      const char **why)
{
	struct config_group *g = NULL;
	unsigned int i;

	*why = "a group name is 1-15 of A-Z a-z 0-9 . _ -";
	if (!name_valid(name))
		return NULL;
	*why = "a group of that name exists";
	if (find_group(c, name))
		return NULL;
	for (i = 0; i < c->ngroups && !g; i++)
		if (!c->groups[i].name[0])
			g = &c->groups[i];	/* a slot a removed group left */
	*why = "too many groups (16)";
	if (!g && c->ngroups == CONFIG_MAX_GROUPS)
		return NULL;
	if (!g)
		g = &c->groups[c->ngroups++];
	memset(g, 0, sizeof(*g));
	memcpy(g->name, name, strlen(name) + 1);
	policy_predefined("member", &g->policy);
	*why = NULL;
	return g;
}

struct config_group *config_group_request(struct config *c,
					  enum group_role role, char *args,
					  char *err, size_t errlen)
{
	char *save = NULL, *name = strtok_r(args, " ", &save), *kv;
	char section[32];
	struct config_group *g;
	const char *why;
	int ret = 0;

	if (!name) {
		snprintf(err, errlen, "a group name is needed");
		return NULL;
	}
	g = config_group_add(c, name, &why);
	if (!g) {
		snprintf(err, errlen, "group %s: %s", name, why);
		return NULL;
	}
	g->role = role;
	snprintf(section, sizeof(section), "group %s", name);
	if (role == ROLE_LEADER)
		policy_predefined("leave", &g->policy);
	while (!ret && (kv = strtok_r(NULL, " ", &save))) {
		char *eq = strchr(kv, '=');

		if (!eq) {
			snprintf(err, errlen, "%s: settings are KEY=VALUE", kv);
			ret = -EINVAL;
			break;
		}
		*eq = '\0';
		ret = config_set(c, section, kv, eq + 1, &why);
		if (!strcmp(kv, "role") && !ret && g->role != role) {
			why = "role is given by the command";
			ret = -EINVAL;
		}
		if (ret)
			snprintf(err, errlen, "%s: %s", kv,
				 why ? why : strerror(-ret));
	}
	if (!ret) {
		ret = config_group_check(g, &why);
		if (ret)
			snprintf(err, errlen, "group %s: %s", name, why);
	}
	if (ret) {
		memset(g, 0, sizeof(*g));
		return NULL;
	}
	return g;
}

static char *trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

static int parse_file(struct config *c, FILE *f, const char *path,
		      char *errbuf, size_t errlen)
{
	char line[512], section[64] = "", *k, *v, *eq;
	const char *why;
	unsigned int lineno = 0, i;
	int ret = 0;

	while (fgets(line, sizeof(line), f)) {
		lineno++;
		why = NULL;
		if (!strchr(line, '\n') && !feof(f)) {
			why = "line too long";
			ret = -EINVAL;
			break;
		}
		k = trim(line);
		if (!*k || *k == '#')
			continue;
		if (*k == '[') {
			char *end = strchr(k, ']');
			char *name;

			ret = -EINVAL;
			if (!end || end[1] || (size_t)(end - k) >= sizeof(section)) {
				why = "a section is [daemon], [ttp] or [group NAME]";
				break;
			}
			*end = '\0';
			snprintf(section, sizeof(section), "%s", trim(k + 1));
			if (!strcmp(section, "daemon") || !strcmp(section, "ttp")) {
				ret = 0;
				continue;
			}
			name = section + 6;
			if (strncmp(section, "group ", 6) || !name_valid(name)) {
				why = "a section is [daemon], [ttp] or [group NAME]";
				break;
			}
			if (find_group(c, name)) {
				why = "group defined twice";
				break;
			}
			if (!config_group_add(c, name, &why))
				break;
			ret = 0;
			continue;
		}
		eq = strchr(k, '=');
		if (!eq || !section[0]) {
			why = section[0] ? "expected key = value" :
					   "setting outside a section";
			ret = -EINVAL;
			break;
		}
		*eq = '\0';
		v = trim(eq + 1);
		k = trim(k);
		ret = config_set(c, section, k, v, &why);
		if (ret)
			break;
	}
	if (!ret) {
		lineno = 0;
		for (i = 0; i < c->ngroups && !ret; i++) {
			struct config_group *g = &c->groups[i];

			ret = config_group_check(g, &why);
			if (ret)
				snprintf(errbuf, errlen, "%s: group %s: %s",
					 path, g->name, why);
		}
		if (!ret && (c->ngroups || c->ttp) && !c->identity[0]) {
			snprintf(errbuf, errlen, "%s: [daemon] identity is "
				 "required", path);
			ret = -EINVAL;
		}
		return ret;
	}
	snprintf(errbuf, errlen, "%s:%u: %s", path, lineno,
		 why ? why : "invalid value");
	return ret;
}

int config_load(struct config *c, const char *path, char *errbuf,
		size_t errlen)
{
	FILE *f;
	int ret;

	config_defaults(c);
	f = fopen(path, "re");
	if (!f) {
		ret = -errno;
		snprintf(errbuf, errlen, "%s: %s", path, strerror(errno));
		return ret;
	}
	ret = parse_file(c, f, path, errbuf, errlen);
	fclose(f);
	return ret;
}

int config_load_buffer(struct config *c, const char *buf, size_t len,
		       const char *name, char *errbuf, size_t errlen)
{
	static const char empty[1];
	FILE *f;
	int ret;

	config_defaults(c);
	/* The very code config_load() runs, on a stream over the buffer. */
	f = fmemopen((void *)(len ? buf : empty), len ? len : 1, "r");
	if (!f) {
		ret = -errno;
		snprintf(errbuf, errlen, "%s: %s", name, strerror(errno));
		return ret;
	}
	if (!len)
		fgetc(f);	/* an empty file: at its end at once */
	ret = parse_file(c, f, name, errbuf, errlen);
	fclose(f);
	return ret;
}

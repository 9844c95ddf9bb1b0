// SPDX-License-Identifier: GPL-2.0
/*
 * antigone ttp add|list|remove: the trusted third party's registry of
 * identities and their long-term keys (registry.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/crypto.h>

#include "lib/util.h"
#include "mech/registry.h"
#include "opt.h"
#include "ttp.h"

/* The rows of the three commands, numbered alike. */
enum { T_ID, T_ROLE, T_KEY_OUT, T_JSON, T_REGISTRY };

#define REGISTRY_HELP "the registry (default: $ANTIGONE_TTP_REGISTRY,\n" \
		      "else " TTP_DEFAULT_REGISTRY ")"

const struct opt ttp_add_opts[OPT_MAX] = {
	[T_ID] = { "ID", NULL, NULL, OPT_POS },
	[T_ROLE] = { "role", "ROLE", "ID's role (default member)", 0 },
	[T_KEY_OUT] = { "key-out", "FILE",
			"where ID's key goes (default ID.key, mode 0600)", 0 },
	[T_REGISTRY] = { "registry", "PATH", REGISTRY_HELP, 0 },
};

const struct opt ttp_list_opts[OPT_MAX] = {
	[T_JSON] = { "json", NULL, "print JSON", 0 },
	[T_REGISTRY] = { "registry", "PATH", REGISTRY_HELP, 0 },
};

const struct opt ttp_remove_opts[OPT_MAX] = {
	[T_ID] = { "ID", NULL, NULL, OPT_POS },
	[T_REGISTRY] = { "registry", "PATH", REGISTRY_HELP, 0 },
};

struct ttp_opts {
	const char *registry;
	const char *role;
	const char *key_out;
	const char *id;
	bool json;
};

/* 0 or EXIT_USAGE. */
static int ttp_opts(const struct cli_cmd *c, const struct opt *opts,
		    int argc, char **argv, struct ttp_opts *o)
{
	struct opt_args a;

	if (opt_parse(c, opts, argc, argv, &a))
		return EXIT_USAGE;
	o->registry = a.val[T_REGISTRY];
	if (!o->registry)
		o->registry = getenv("ANTIGONE_TTP_REGISTRY");
	if (!o->registry)
		o->registry = TTP_DEFAULT_REGISTRY;
	o->role = a.val[T_ROLE] ? a.val[T_ROLE] : "member";
	o->key_out = a.val[T_KEY_OUT];
	o->id = a.val[T_ID];
	o->json = a.val[T_JSON] != NULL;
	if (opts[T_ID].name && !o->id)
		return cli_usage(c);
	if (o->id && !name_valid(o->id)) {
		usage_error("invalid identity '%s': 1-15 characters of "
			    "[A-Za-z0-9._-]", o->id);
		return EXIT_USAGE;
	}
	if (!name_valid(o->role)) {
		usage_error("invalid role '%s'", o->role);
		return EXIT_USAGE;
	}
	return 0;
}

static int load_registry(struct registry *r, const char *path)
{
	char why[512];
	int ret = registry_load(r, path, why, sizeof(why));

	if (ret)
		fprintf(stderr, "%s: TTP registry %s\n", prog, why);
	return ret;
}

/* Writes the member's key file (hex, mode 0600), never over a file. */
static int write_key_file(const char *path, const uint8_t *key, size_t len)
{
	char hex[2 * REGISTRY_KEY_LEN + 2];
	size_t i;
	int fd, ret = 0;

	for (i = 0; i < len; i++)
		snprintf(hex + 2 * i, 3, "%02x", key[i]);
	hex[2 * len] = '\n';
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
		  0600);
	if (fd < 0)
		ret = -errno;
	else
		ret = own_like_dir(fd, path);
	if (!ret && (write(fd, hex, 2 * len + 1) != (ssize_t)(2 * len + 1) ||
		     fsync(fd)))
		ret = errno ? -errno : -EIO;
	if (fd >= 0)
		close(fd);
	OPENSSL_cleanse(hex, sizeof(hex));
	if (ret && fd >= 0)
		unlink(path);
	return ret;
}

static int ensure_dir_of(const char *path)
{
	char dir[4096], *slash;

	snprintf(dir, sizeof(dir), "%s", path);
	slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return 0;
	*slash = '\0';
	if (mkdir(dir, 0700) && errno != EEXIST)
		return -errno;
	return 0;
}

int cmd_ttp_add(const struct cli_cmd *c, int argc, char **argv)
{
	const struct registry_entry *e;
	struct registry r;
	struct ttp_opts o;
	char out[64];
	int ret;

	ret = ttp_opts(c, ttp_add_opts, argc, argv, &o);
	if (ret)
		return ret;
	if (!o.key_out) {
		snprintf(out, sizeof(out), "%s.key", o.id);
		o.key_out = out;
	}
	if (ensure_dir_of(o.registry)) {
		fprintf(stderr, "%s: cannot create the directory of %s: %s\n",
			prog, o.registry, strerror(errno));
		return 1;
	}
	if (load_registry(&r, o.registry))
		return 1;
	ret = registry_add(&r, o.id, o.role, &e);
	if (ret == -EEXIST) {
		fprintf(stderr, "%s: %s is registered already (remove it "
			"first to issue a new key)\n", prog, o.id);
		goto out;
	} else if (ret) {
		fprintf(stderr, "%s: adding %s: %s\n", prog, o.id,
			strerror(-ret));
		goto out;
	}
	/* Key file first: a registry entry whose key nobody has is useless,
	 * a key file without an entry is harmless.
	 */
	ret = write_key_file(o.key_out, e->key, REGISTRY_KEY_LEN);
	if (ret) {
		fprintf(stderr, "%s: writing the key file %s: %s\n", prog,
			o.key_out, strerror(-ret));
		goto out;
	}
	ret = registry_save(&r, o.registry);
	if (ret) {
		fprintf(stderr, "%s: saving %s: %s\n", prog, o.registry,
			strerror(-ret));
		unlink(o.key_out);
		goto out;
	}
	printf("registered %s (role %s); its long-term key is in %s "
	       "(mode 0600): give it to %s out of band\n", o.id, o.role,
	       o.key_out, o.id);
out:
	registry_free(&r);
	return ret ? 1 : 0;
}

int cmd_ttp_list(const struct cli_cmd *c, int argc, char **argv)
{
	struct registry r;
	struct ttp_opts o;
	size_t i;
	int ret;

	ret = ttp_opts(c, ttp_list_opts, argc, argv, &o);
	if (ret)
		return ret;
	if (load_registry(&r, o.registry))
		return 1;
	if (o.json)
		printf("[");
	for (i = 0; i < r.n; i++) {
		if (o.json) {
			printf("%s{\"id\":", i ? "," : "");
			json_string(stdout, r.e[i].id);
			printf(",\"role\":");
			json_string(stdout, r.e[i].role);
			printf("}");
		} else {
			printf("%-15s %s\n", r.e[i].id, r.e[i].role);
		}
	}
	if (o.json)
		printf("]\n");
	else if (!r.n)
		printf("no identities registered in %s\n", o.registry);
	registry_free(&r);
	return 0;
}

int cmd_ttp_remove(const struct cli_cmd *c, int argc, char **argv)
{
	struct registry r;
	struct ttp_opts o;
	int ret;

	ret = ttp_opts(c, ttp_remove_opts, argc, argv, &o);
	if (ret)
		return ret;
	if (load_registry(&r, o.registry))
		return 1;
	ret = registry_remove(&r, o.id);
	if (ret)
		fprintf(stderr, "%s: %s is not registered\n", prog, o.id);
	else if ((ret = registry_save(&r, o.registry)))
		fprintf(stderr, "%s: saving %s: %s\n", prog, o.registry,
			strerror(-ret));
	else
		printf("removed %s\n", o.id);
	registry_free(&r);
	return ret ? 1 : 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The TTP's registry of long-term keys (see registry.h).
 *
 * File format, one entry a line after a version line:
 *   antigone-ttp-registry 1
 *   ID ROLE HEX64
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "registry.h"
#include "util.h"

#define REGISTRY_MAGIC "antigone-ttp-registry 1"

static int cmp_entry(const void *a, const void *b)
{
	return strcmp(((const struct registry_entry *)a)->id,
		      ((const struct registry_entry *)b)->id);
}

void registry_free(struct registry *r)
{
	if (r->e)
		OPENSSL_cleanse(r->e, r->n * sizeof(*r->e));
	free(r->e);
	r->e = NULL;
	r->n = 0;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* "ID ROLE HEX64": every field checked, nothing else on the line. */
static int parse_line(char *line, struct registry_entry *e)
{
	char *id = strtok(line, " "), *role = strtok(NULL, " ");
	char *hex = strtok(NULL, " "), *extra = strtok(NULL, " ");
	size_t i;

	if (!id || !role || !hex || extra || !name_valid(id) ||
	    !name_valid(role) || strlen(hex) != 2 * REGISTRY_KEY_LEN)
		return -EINVAL;
	memset(e, 0, sizeof(*e));
	strcpy(e->id, id);
	strcpy(e->role, role);
	for (i = 0; i < REGISTRY_KEY_LEN; i++) {
		int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -EINVAL;
		e->key[i] = (uint8_t)(hi << 4 | lo);
	}
	return 0;
}

int registry_load(struct registry *r, const char *path, char *errbuf,
		  size_t errlen)
{
	char line[256];
	struct stat st;
	size_t cap = 0, lineno = 0;
	FILE *f;
	int ret = 0, fd;

	r->e = NULL;
	r->n = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 && errno == ENOENT)
		return 0;
	if (fd < 0) {
		snprintf(errbuf, errlen, "%s: %s", path, strerror(errno));
		return -errno;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		snprintf(errbuf, errlen, "%s: not a regular file", path);
		close(fd);
		return -EINVAL;
	}
	if (st.st_mode & 077) {
		snprintf(errbuf, errlen, "%s: mode %03o: group or others may "
			 "access the keys; refusing (chmod 600 it)", path,
			 st.st_mode & 0777);
		close(fd);
		return -EACCES;
	}
	f = fdopen(fd, "r");
	if (!f) {
		close(fd);
		return -errno;
	}
	while (fgets(line, sizeof(line), f)) {
		size_t len = strlen(line);

		lineno++;
		if (len == 0 || line[len - 1] != '\n') {
			ret = -EINVAL;
			break;
		}
		line[len - 1] = '\0';
		if (lineno == 1) {
			if (strcmp(line, REGISTRY_MAGIC)) {
				ret = -EINVAL;
				break;
			}
			continue;
		}
		if (r->n == REGISTRY_MAX) {
			ret = -E2BIG;
			break;
		}
		if (r->n == cap) {
			struct registry_entry *grown;

			cap = cap ? cap * 2 : 64;
			grown = calloc(cap, sizeof(*grown));
			if (!grown) {
				ret = -ENOMEM;
				break;
			}
			if (r->e) {
				memcpy(grown, r->e, r->n * sizeof(*grown));
				OPENSSL_cleanse(r->e, r->n * sizeof(*grown));
				free(r->e);
			}
			r->e = grown;
		}
		ret = parse_line(line, &r->e[r->n]);
		if (ret)
			break;
		if (r->n && strcmp(r->e[r->n - 1].id, r->e[r->n].id) >= 0) {
			ret = -EINVAL;	/* unsorted or duplicate */
			break;
		}
		r->n++;
	}
	OPENSSL_cleanse(line, sizeof(line));
	if (!ret && ferror(f))
		ret = -EIO;
	if (!ret && lineno == 0)
		ret = -EINVAL;	/* empty file: not ours, or truncated */
	fclose(f);
	if (ret) {
		snprintf(errbuf, errlen, "%s: corrupt at line %zu; refusing "
			 "(restore it from a backup)", path, lineno);
		registry_free(r);
	}
	return ret;
}

int registry_save(const struct registry *r, const char *path)
{
	char tmp[PATH_MAX], dir[PATH_MAX];
	FILE *f;
	size_t i, j;
	int fd, dfd, ret = 0;

	if (snprintf(tmp, sizeof(tmp), "%s.new", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
		  0600);
	if (fd < 0)
		return -errno;
	f = fdopen(fd, "w");
	if (!f) {
		ret = -errno;
		close(fd);
		goto fail;
	}
	fprintf(f, "%s\n", REGISTRY_MAGIC);
	for (i = 0; i < r->n; i++) {
		fprintf(f, "%s %s ", r->e[i].id, r->e[i].role);
		for (j = 0; j < REGISTRY_KEY_LEN; j++)
			fprintf(f, "%02x", r->e[i].key[j]);
		fputc('\n', f);
	}
	if (fflush(f) || fsync(fileno(f)))
		ret = -errno;
	if (fclose(f) && !ret)
		ret = -errno;
	if (ret)
		goto fail;
	if (rename(tmp, path)) {
		ret = -errno;
		goto fail;
	}
	/* The rename itself must survive a crash too. */
	snprintf(dir, sizeof(dir), "%s", path);
	dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return 0;
fail:
	unlink(tmp);
	return ret;
}

const struct registry_entry *registry_find(const struct registry *r,
					   const char *id)
{
	struct registry_entry key;

	if (!name_valid(id) || !r->n)
		return NULL;
	memset(&key, 0, sizeof(key));
	strcpy(key.id, id);
	return bsearch(&key, r->e, r->n, sizeof(*r->e), cmp_entry);
}

int registry_add(struct registry *r, const char *id, const char *role,
		 const struct registry_entry **added)
{
	struct registry_entry *grown, e;
	size_t i;

	if (!name_valid(id) || !name_valid(role))
		return -EINVAL;
	if (registry_find(r, id))
		return -EEXIST;
	if (r->n == REGISTRY_MAX)
		return -E2BIG;
	memset(&e, 0, sizeof(e));
	strcpy(e.id, id);
	strcpy(e.role, role);
	if (RAND_bytes(e.key, sizeof(e.key)) != 1)
		return -EIO;
	/* Copy, wipe the old array: it held keys. */
	grown = calloc(r->n + 1, sizeof(*grown));
	if (!grown) {
		OPENSSL_cleanse(&e, sizeof(e));
		return -ENOMEM;
	}
	for (i = 0; i < r->n && strcmp(r->e[i].id, id) < 0; i++)
		;
	if (i)
		memcpy(grown, r->e, i * sizeof(*grown));
	grown[i] = e;
	if (r->n > i)
		memcpy(grown + i + 1, r->e + i, (r->n - i) * sizeof(*grown));
	OPENSSL_cleanse(&e, sizeof(e));
	if (r->e) {
		OPENSSL_cleanse(r->e, r->n * sizeof(*r->e));
		free(r->e);
	}
	r->e = grown;
	r->n++;
	if (added)
		*added = &r->e[i];
	return 0;
}

int registry_remove(struct registry *r, const char *id)
{
	const struct registry_entry *e = registry_find(r, id);
	size_t i;

	if (!e)
		return -ENOENT;
	i = (size_t)(e - r->e);
	OPENSSL_cleanse(&r->e[i], sizeof(r->e[i]));
	memmove(&r->e[i], &r->e[i + 1], (r->n - i - 1) * sizeof(*r->e));
	r->n--;
	OPENSSL_cleanse(&r->e[r->n], sizeof(r->e[r->n]));
	return 0;
}

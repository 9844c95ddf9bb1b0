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

#include "lib/util.h"
#include "registry.h"

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
	char *save = NULL, *id = strtok_r(line, " ", &save);
	char *role = strtok_r(NULL, " ", &save);
	char *hex = strtok_r(NULL, " ", &save);
	char *extra = strtok_r(NULL, " ", &save);
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

/* Room for one more entry; the old array is wiped (it held keys). */
static int grow(struct registry *r, size_t *cap)
{
	struct registry_entry *grown;

	if (r->n < *cap)
		return 0;
	*cap = *cap ? *cap * 2 : 64;
	grown = calloc(*cap, sizeof(*grown));
	if (!grown)
		return -ENOMEM;
	if (r->e) {
		memcpy(grown, r->e, r->n * sizeof(*grown));
		OPENSSL_cleanse(r->e, r->n * sizeof(*grown));
		free(r->e);
	}
	r->e = grown;
	return 0;
}

int registry_parse(struct registry *r, const char *buf, size_t len,
		   size_t *lineno)
{
	char line[REGISTRY_LINE_MAX];
	size_t cap = 0, off = 0;
	int ret = 0;

	r->e = NULL;
	r->n = 0;
	*lineno = 0;
	while (off < len) {
		const char *nl = memchr(buf + off, '\n', len - off);
		size_t n = nl ? (size_t)(nl - (buf + off)) : len - off;

		(*lineno)++;
		/* Whole lines of at most REGISTRY_LINE_MAX - 1 bytes with their
		 * newline, no NUL: a truncated file or a foreign one is refused.
		 */
		if (!nl || n + 1 >= sizeof(line) || memchr(buf + off, '\0', n)) {
			ret = -EINVAL;
			break;
		}
		memcpy(line, buf + off, n);
		line[n] = '\0';
		off += n + 1;
		if (*lineno == 1) {
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
		ret = grow(r, &cap);
		if (!ret)
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
	if (!ret && *lineno == 0)
		ret = -EINVAL;	/* empty file: not ours, or truncated */
	if (ret)
		registry_free(r);
	return ret;
}

/* The whole file, into a buffer the caller wipes and frees. */
static int read_all(int fd, size_t size_hint, char **out, size_t *len)
{
	size_t cap = size_hint + 1, n = 0;
	char *buf = malloc(cap);
	ssize_t got;

	if (!buf)
		return -ENOMEM;
	for (;;) {
		if (n == cap) {
			/* The file grew under us: never realloc (keys). */
			OPENSSL_cleanse(buf, n);
			free(buf);
			return -EAGAIN;
		}
		got = read(fd, buf + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			int err = -errno;

			OPENSSL_cleanse(buf, n);
			free(buf);
			return err;
		}
		if (!got)
			break;
		n += (size_t)got;
	}
	*out = buf;
	*len = n;
	return 0;
}

int registry_load(struct registry *r, const char *path, char *errbuf,
		  size_t errlen)
{
	struct stat st;
	size_t len = 0, lineno = 0;
	char *buf = NULL;
	int ret, fd;

	r->e = NULL;
	r->n = 0;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 && errno == ENOENT)
		return 0;
	if (fd < 0) {
		ret = -errno;
		snprintf(errbuf, errlen, "%s: %s", path, strerror(errno));
		return ret;
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
	/* More than REGISTRY_MAX lines of the longest length cannot parse. */
	if ((unsigned long long)st.st_size >
	    (unsigned long long)(REGISTRY_MAX + 1) * REGISTRY_LINE_MAX) {
		snprintf(errbuf, errlen, "%s: too large for a registry; "
			 "refusing", path);
		close(fd);
		return -EFBIG;
	}
	ret = read_all(fd, (size_t)st.st_size, &buf, &len);
	close(fd);
	if (ret) {
		snprintf(errbuf, errlen, "%s: %s", path, strerror(-ret));
		return ret;
	}
	ret = registry_parse(r, buf, len, &lineno);
	OPENSSL_cleanse(buf, len);
	free(buf);
	if (ret)
		snprintf(errbuf, errlen, "%s: corrupt at line %zu; refusing "
			 "(restore it from a backup)", path, lineno);
	return ret;
}

/* The file's text, into a buffer the caller wipes and frees. */
static char *format(const struct registry *r, size_t *len)
{
	/* Magic, then "ID ROLE HEX64\n" of at most 15 + 1 + 15 + 1 + 64 + 1. */
	size_t cap = sizeof(REGISTRY_MAGIC) + 1 + r->n * 97, n, i, j;
	char *buf = malloc(cap);

	if (!buf)
		return NULL;
	n = (size_t)snprintf(buf, cap, "%s\n", REGISTRY_MAGIC);
	for (i = 0; i < r->n; i++) {
		n += (size_t)snprintf(buf + n, cap - n, "%s %s ", r->e[i].id,
				      r->e[i].role);
		for (j = 0; j < REGISTRY_KEY_LEN; j++)
			n += (size_t)snprintf(buf + n, cap - n, "%02x",
					      r->e[i].key[j]);
		buf[n++] = '\n';
	}
	*len = n;
	return buf;
}

static int write_all(int fd, const char *buf, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

int registry_save(const struct registry *r, const char *path)
{
	char tmp[PATH_MAX], dir[PATH_MAX];
	size_t len = 0;
	char *text = NULL;
	int fd, dfd, ret;

	if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	/* A name of our own (O_EXCL): nothing planted beside the registry
	 * is followed, truncated or reused.
	 */
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = fchmod(fd, 0600) ? -errno : 0;
	if (!ret)
		ret = own_like_dir(fd, path);
	if (!ret) {
		text = format(r, &len);
		ret = text ? write_all(fd, text, len) : -ENOMEM;
	}
	if (text) {
		OPENSSL_cleanse(text, len);
		free(text);
	}
	if (!ret && fsync(fd))
		ret = -errno;
	if (close(fd) && !ret)
		ret = -errno;
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret) {
		unlink(tmp);
		return ret;
	}
	/* The rename itself must survive a crash too; it is done, so a
	 * directory that cannot be synced does not undo the save.
	 */
	snprintf(dir, sizeof(dir), "%s", path);
	dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return 0;
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

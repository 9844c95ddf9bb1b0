/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The TTP's registry of long-term keys: identity, role and 256-bit key per
 * member, in one file that only its owner may read. Changes are written to
 * a new temporary file, synced and renamed over the old one, so a crash at
 * any instant leaves either the old registry or the new one.
 */
#ifndef ANTIGONE_MECH_REGISTRY_H
#define ANTIGONE_MECH_REGISTRY_H

#include <stddef.h>
#include <stdint.h>

#define REGISTRY_KEY_LEN	32
#define REGISTRY_ROLE_MAX	15
#define REGISTRY_MAX		100000	/* entries */
#define REGISTRY_LINE_MAX	256	/* bytes a line, newline included, + 1 */

struct registry_entry {
	char id[16];			/* NUL-terminated, name_valid() */
	char role[REGISTRY_ROLE_MAX + 1];	/* same alphabet, "member" by default */
	uint8_t key[REGISTRY_KEY_LEN];
};

struct registry {
	struct registry_entry *e;	/* sorted by id */
	size_t n;
};

/*
 * Loads @path. A missing file is an empty registry; a file readable or
 * writable by group or others, or one that does not parse, is refused:
 * the error says why and where (why is a static string or written into
 * errbuf).
 */
int registry_load(struct registry *r, const char *path, char *errbuf,
		  size_t errlen);
/*
 * The parser registry_load() uses, on the file's text buf[0..len): 0, or
 * -EINVAL/-E2BIG/-ENOMEM with *lineno the line at fault (0: empty).
 */
int registry_parse(struct registry *r, const char *buf, size_t len,
		   size_t *lineno);
/*
 * Writes atomically: a fresh temporary file of its own beside @path
 * (mkstemp, mode 0600), fsync, rename over @path, fsync of the directory.
 * On failure the temporary file is removed and @path is untouched.
 */
int registry_save(const struct registry *r, const char *path);
/* Wipes every key and frees. */
void registry_free(struct registry *r);

const struct registry_entry *registry_find(const struct registry *r,
					   const char *id);
/* Adds @id with a fresh random key; -EEXIST if present. */
int registry_add(struct registry *r, const char *id, const char *role,
		 const struct registry_entry **added);
int registry_remove(struct registry *r, const char *id);

#endif

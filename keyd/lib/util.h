/* SPDX-License-Identifier: GPL-2.0 */
/* Small helpers shared by the daemon and the CLI. */
#ifndef ANTIGONE_LIB_UTIL_H
#define ANTIGONE_LIB_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define ANTIGONE_USERSPACE_VERSION "0.1.0"

/* Identities and group names: 1..15 of [A-Za-z0-9._-]. */
bool name_valid(const char *name);
/* Strict decimal parse of a whole string into [min, max]. */
int parse_u32(const char *s, uint32_t min, uint32_t max, uint32_t *out);
/*
 * Run by root, gives the new file @fd (to be at @path) the owner and group
 * of the directory it goes into: a key file or registry that `antigone`
 * writes into a directory antigoned's service user owns (/var/lib/antigone,
 * its StateDirectory) is that user's to read, and stays unreadable to
 * anyone else. Otherwise (not root, a root-owned directory) does nothing.
 * 0 or -errno.
 */
int own_like_dir(int fd, const char *path);

/*
 * Reads a key written as hex (optionally followed by whitespace) from a
 * file that only its owner may read. Returns its length in bytes (1..max)
 * or a negative errno; on failure *why explains. Buffers are wiped.
 */
int read_key_file(const char *path, uint8_t *key, size_t max,
		  const char **why);
/*
 * "ADDR:PORT" (IPv4) or "[V6ADDR]:PORT": family, address bytes, port.
 * With @port_optional also "ADDR", "V6ADDR" and "[V6ADDR]", leaving *port
 * as it was. An IPv6 address needs the brackets to carry a port:
 * unbracketed, "2001:db8::1:80" is that whole address (@port_optional) or
 * refused, never address 2001:db8::1 and port 80. -EINVAL; *why (if
 * @why) then names the fix for an unbracketed IPv6 address with a port,
 * else is NULL.
 */
int parse_host_port(const char *s, bool port_optional, int *family,
		    uint8_t addr[16], uint16_t *port, const char **why);
/* parse_host_port() with the port required. */
int parse_addr_port(const char *s, int *family, uint8_t addr[16],
		    uint16_t *port);
struct sockaddr_storage;
/* Whether an AF_INET or AF_INET6 address is a multicast one. */
bool sockaddr_multicast(const struct sockaddr_storage *a);
/* "ADDR:PORT" or "[V6ADDR]:PORT" of a, into buf. */
void sockaddr_str(const struct sockaddr_storage *a, char *buf, size_t len);
/*
 * SipHash-2-4 (Aumasson and Bernstein) of msg[0..len) under a 128-bit key:
 * a keyed hash for tables whose inputs an attacker picks (ratelimit.c),
 * so that which entries collide depends on a key it does not know.
 */
uint64_t siphash24(const uint8_t key[16], const void *msg, size_t len);
/* Writes s as a JSON string literal, quotes included. */
void json_string(FILE *f, const char *s);

#endif

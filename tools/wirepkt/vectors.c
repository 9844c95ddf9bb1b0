// SPDX-License-Identifier: GPL-2.0
/*
 * wirepkt: wirepkt vectors: the wire format's test vectors.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "wirepkt.h"

/* ---- vectors ------------------------------------------------------------- */

#define VEC_EPOCH	7
#define VEC_SENDER	0x01020304u
#define VEC_SEQ		0x1122334455667788ull
#define VEC_PAYLOAD	"Antigone 7x test"

/* Hex in 4-byte words, 5 words (a header's worth) a line. */
static void print_hex(const char *label, const uint8_t *p, size_t len,
		      bool first)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (i % 20 == 0) {
			if (i || !first)
				fputs("\n            ", stdout);
			else
				printf("    %-8s", label);
		} else if (i % 4 == 0) {
			putchar(' ');
		}
		printf("%02x", p[i]);
	}
}

int cmd_vectors(int argc, char **argv)
{
	static const uint8_t guarantees[] = {
		ANTIGONE_G_INTEGRITY, ANTIGONE_G_CONFIDENTIALITY,
		ANTIGONE_G_BOTH,
	};
	static const char *const labels[] = { "", "7a", "7b", "7c" };
	uint8_t keybytes[WIRE_KEY_MAX], out[64 + ANTIGONE_WIRE_OVERHEAD];
	uint8_t nonce[ANTIGONE_NONCE_LEN];
	const size_t plen = strlen(VEC_PAYLOAD);
	size_t gi, i, outlen, taglen;
	uint8_t suite;
	int err;

	if (argc > 0) {
		usage_error("'vectors' takes no arguments");
		return EXIT_USAGE;
	}
	for (i = 0; i < sizeof(keybytes); i++)
		keybytes[i] = (uint8_t)i;
	antigone_nonce(VEC_SENDER, VEC_SEQ, nonce);

	/* A section of docs/wire-format.md, which ends with it verbatim. */
	printf("## Test vectors\n\n"
	       "Printed by `wirepkt vectors`. Every vector seals the same "
	       "inputs:\n\n"
	       "- key: the bytes 00 01 02 ... (16 for aes128-gcm, 32 for "
	       "aes256-gcm and\n  chacha20-poly1305)\n"
	       "- epoch %u, sender 0x%08x, seq 0x%016llx\n"
	       "- payload: the %zu ASCII bytes \"%s\"\n\n"
	       "Hex is in 4-byte words. `udp` is the whole UDP payload: the "
	       "header on its\nfirst line, then the body, then the 16-byte "
	       "tag on its own line (none for 7b).\n",
	       VEC_EPOCH, VEC_SENDER, VEC_SEQ, plen, VEC_PAYLOAD);

	for (gi = 0; gi < sizeof(guarantees); gi++) {
		uint8_t g = guarantees[gi];

		for (suite = ANTIGONE_SUITE_AES128_GCM;
		     suite <= ANTIGONE_SUITE_CHACHA20_POLY1305; suite++) {
			struct wire_key key;

			err = wire_key_set(&key, suite, VEC_EPOCH, keybytes,
					   (size_t)wire_key_len(suite));
			if (!err)
				err = wire_seal(&key, g, VEC_SENDER, VEC_SEQ,
						(const uint8_t *)VEC_PAYLOAD,
						plen, out, sizeof(out),
						&outlen);
			wire_key_wipe(&key);
			if (err) {
				tool_error("cannot seal a vector: %s",
				      strerror(-err));
				return 1;
			}
			taglen = antigone_tag_len(g);
			printf("\n### %s %s, %s%s\n\n```\n", labels[g],
			       wire_guarantee_name(g), wire_suite_name(suite),
			       taglen ? "" : " (no tag: malleable)");
			print_hex("key", keybytes,
				  (size_t)wire_key_len(suite), true);
			putchar('\n');
			print_hex("nonce", nonce, sizeof(nonce), true);
			putchar('\n');
			print_hex("header", out, ANTIGONE_WIRE_HDR_LEN, true);
			putchar('\n');
			print_hex("payload", (const uint8_t *)VEC_PAYLOAD,
				  plen, true);
			putchar('\n');
			print_hex("udp", out, ANTIGONE_WIRE_HDR_LEN, true);
			print_hex(NULL, out + ANTIGONE_WIRE_HDR_LEN, plen,
				  false);
			if (taglen)
				print_hex(NULL,
					  out + ANTIGONE_WIRE_HDR_LEN + plen,
					  taglen, false);
			printf("\n```\n\nUDP payload: %zu bytes.\n", outlen);
		}
	}
	return 0;
}

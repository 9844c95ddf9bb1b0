// SPDX-License-Identifier: GPL-2.0
/*
 * wirepkt: wirepkt send: seal and send, or tamper with, datagrams.
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

/* ---- send ---------------------------------------------------------------- */

static uint8_t dgram[WIRE_DGRAM_MAX];

int cmd_send(int argc, char **argv)
{
	struct args a = { .cmd = "send" };
	struct wire_key key = { 0 };
	struct sockaddr_storage to;
	uint64_t sender = 0, seq, count, port, tamper = 0, truncate = 0;
	uint8_t chain_key[ANTIGONE_TESLA_KEY_LEN] = { 0 };
	struct antigone_tesla_ext ext = { 0 };
	uint64_t i, interval = 0, disclosed = 0;
	bool sevend = false;
	socklen_t tolen;
	int ret, fd = -1, ifindex, guarantee = ANTIGONE_G_BOTH;
	bool raw;

	ret = parse_args(C_SEND, argc, argv, &a);
	if (ret)
		return ret;
	raw = a.set[O_RAW];
	if (!require(&a, O_TO))
		return EXIT_USAGE;
	if (!raw && (!require(&a, O_SENDER) || !require(&a, O_SEQ)))
		return EXIT_USAGE;
	if (a.set[O_GUARANTEE]) {
		sevend = !strcmp(a.val[O_GUARANTEE][0], "sender");
		guarantee = sevend ? ANTIGONE_TESLA_GUARANTEE :
			    wire_guarantee_parse(a.val[O_GUARANTEE][0]);
		if (guarantee < 0) {
			usage_error("unknown guarantee '%s': expected "
				    "integrity, confidentiality, both or "
				    "sender", a.val[O_GUARANTEE][0]);
			return EXIT_USAGE;
		}
	}
	if (!sevend && (a.set[O_INTERVAL] || a.set[O_CHAIN_KEY_FILE] ||
			a.set[O_DISCLOSE])) {
		usage_error("--interval, --chain-key-file and --disclose are "
			    "for --guarantee sender (7d)");
		return EXIT_USAGE;
	}
	if (sevend) {
		if (raw || !require(&a, O_INTERVAL) ||
		    opt_u64(&a, O_INTERVAL, 1, UINT32_MAX, 0, &interval))
			return EXIT_USAGE;
		ext.interval = (uint32_t)interval;
		if (a.set[O_DISCLOSE] &&
		    (parse_u64(a.val[O_DISCLOSE][0], 1, interval - 1,
			       &disclosed) ||
		     parse_hex_exact(a.val[O_DISCLOSE][1], ext.key,
				     sizeof(ext.key)))) {
			usage_error("--disclose J KEY: J from 1 to %" PRIu64
				    " (before the interval), KEY 32 hex "
				    "digits", interval - 1);
			return EXIT_USAGE;
		}
		ext.disclosed = (uint32_t)disclosed;
		ret = load_chain_key(&a, chain_key);
		if (ret)
			return ret;
	}
	if (opt_u64(&a, O_SENDER, 0, UINT32_MAX, 0, &sender) ||
	    opt_u64(&a, O_SEQ, 1, UINT64_MAX, 1, &seq) ||
	    opt_u64(&a, O_COUNT, 1, COUNT_MAX, 1, &count) ||
	    opt_u64(&a, O_TAMPER, 0, WIRE_DGRAM_MAX - 1, 0, &tamper) ||
	    opt_u64(&a, O_TRUNCATE, 0, WIRE_DGRAM_MAX, 0, &truncate))
		return EXIT_USAGE;
	if (seq > UINT64_MAX - (count - 1)) {
		usage_error("--seq %" PRIu64 " --count %" PRIu64 " runs past "
			    "the last sequence number", seq, count);
		return EXIT_USAGE;
	}
	if (a.set[O_PAYLOAD] &&
	    strlen(a.val[O_PAYLOAD][0]) > (raw ? WIRE_DGRAM_MAX :
					   WIRE_PAYLOAD_MAX)) {
		usage_error("--payload is longer than a datagram can carry");
		return EXIT_USAGE;
	}
	if (parse_u64(a.val[O_TO][1], 1, 65535, &port)) {
		usage_error("invalid --to port '%s': expected 1 to 65535",
			    a.val[O_TO][1]);
		return EXIT_USAGE;
	}
	if (resolve(a.val[O_TO][0], (uint16_t)port, &to, &tolen))
		return EXIT_USAGE;
	if (a.set[O_IFNAME] && !is_multicast(&to)) {
		usage_error("--ifname needs a multicast --to address");
		return EXIT_USAGE;
	}
	ifindex = opt_ifindex(&a);
	if (ifindex < 0)
		return 1;
	if (!raw) {
		ret = load_key(&a, &key);
		if (ret)
			return ret;
	}

	ret = 1;
	fd = socket(to.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		tool_error("cannot create a UDP socket: %s", strerror(errno));
		goto out;
	}
	if (is_multicast(&to) && multicast_sender(fd, to.ss_family, ifindex))
		goto out;

	for (i = 0; i < count; i++, seq++) {
		char text[32];
		const char *payload = text;
		size_t plen, dlen;
		ssize_t n;
		int err;

		if (a.set[O_PAYLOAD])
			payload = a.val[O_PAYLOAD][0];
		else
			snprintf(text, sizeof(text), "wirepkt %" PRIu64, seq);
		plen = strlen(payload);
		if (raw) {
			memcpy(dgram, payload, plen);
			dlen = plen;
		} else {
			err = sevend ?
			      wire_seal_7d(&key, (uint32_t)sender, seq, &ext,
					   chain_key, (const uint8_t *)payload,
					   plen, dgram, sizeof(dgram), &dlen) :
			      wire_seal(&key, (uint8_t)guarantee,
					(uint32_t)sender, seq,
					(const uint8_t *)payload, plen, dgram,
					sizeof(dgram), &dlen);
			if (err) {
				tool_error("cannot seal: %s", strerror(-err));
				goto out;
			}
		}
		if (a.set[O_TAMPER]) {
			if (tamper >= dlen) {
				usage_error("--tamper %" PRIu64 " is beyond "
					    "the %zu-byte datagram", tamper,
					    dlen);
				ret = EXIT_USAGE;
				goto out;
			}
			dgram[tamper] ^= 0x01;
		}
		if (a.set[O_TRUNCATE]) {
			if (truncate > dlen) {
				usage_error("--truncate %" PRIu64 " is longer "
					    "than the %zu-byte datagram",
					    truncate, dlen);
				ret = EXIT_USAGE;
				goto out;
			}
			dlen = truncate;
		}
		n = sendto(fd, dgram, dlen, 0, (struct sockaddr *)&to, tolen);
		if (n < 0) {
			tool_error("cannot send to %s port %" PRIu64 ": %s",
			      a.val[O_TO][0], port, strerror(errno));
			goto out;
		}
		if (raw)
			printf("sent raw seq=%" PRIu64 " len=%zu\n", seq, dlen);
		else
			printf("sent guarantee=%s epoch=%" PRIu32 " sender=%"
			       PRIu64 " seq=%" PRIu64 " len=%zu\n",
			       sevend ? "sender" :
			       wire_guarantee_name((uint8_t)guarantee),
			       key.epoch, sender, seq, dlen);
		fflush(stdout);
	}
	ret = 0;
out:
	if (fd >= 0)
		close(fd);
	wire_key_wipe(&key);
	OPENSSL_cleanse(chain_key, sizeof(chain_key));
	return ret;
}

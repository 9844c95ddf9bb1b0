// SPDX-License-Identifier: GPL-2.0
/*
 * antigone kernel key-add|key-del|heartbeat|events: a kernel group's keys,
 * its leader's heartbeats and the module's events.
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <openssl/crypto.h>

#include "dp/kernel_nl.h"
#include "kernel.h"
#include "key.h"
#include "lib/util.h"
#include "opt.h"

/* The rows of the four commands, numbered alike. */
enum { K_GROUP, K_EPOCH, K_KEY_FILE, K_SENDER, K_LIFETIME, K_SEQ, K_COUNT,
       K_TIMEOUT };

const struct opt kernel_key_add_opts[OPT_MAX] = {
	[K_GROUP] = { "GROUP", NULL, NULL, OPT_POS },
	[K_EPOCH] = { "epoch", "E",
		      "the key's epoch (the view it belongs to), from 1", 0 },
	[K_KEY_FILE] = { "key-file", "FILE",
			 "the key in hex (16 bytes for aes128-gcm, 32\n"
			 "otherwise); only its owner may read FILE", 0 },
	[K_SENDER] = { "sender", "S",
		       "this host's sender index under the key (0 or\n"
		       "absent: receive only)", 0 },
	[K_LIFETIME] = { "lifetime", "MS",
			 "the key expires MS after it is installed\n"
			 "(default: the group's key lifetime)", 0 },
};

const struct opt kernel_key_del_opts[OPT_MAX] = {
	[K_GROUP] = { "GROUP", NULL, NULL, OPT_POS },
	[K_EPOCH] = { "epoch", "E", "the epoch whose key to erase", 0 },
};

const struct opt kernel_heartbeat_opts[OPT_MAX] = {
	[K_GROUP] = { "GROUP", NULL, NULL, OPT_POS },
	[K_EPOCH] = { "epoch", "E", "the epoch of the leader's view", 0 },
	[K_SEQ] = { "seq", "N", "the heartbeat's sequence (it must grow)", 0 },
};

const struct opt kernel_events_opts[OPT_MAX] = {
	[K_COUNT] = { "count", "N",
		      "stop after N events (exit 1 if fewer came)", 0 },
	[K_TIMEOUT] = { "timeout", "MS", "stop after MS milliseconds", 0 },
};

struct key_opts {
	const char *group;
	uint32_t epoch;
	uint32_t sender;
	int64_t lifetime_ms;
	uint64_t seq;
	const char *key_file;
	uint32_t count;
	uint32_t timeout_ms;
};

/* The values of the options given, checked in order; 0 or EXIT_USAGE. */
static int key_opts(const struct cli_cmd *c, const struct opt *opts,
		    int argc, char **argv, struct key_opts *o)
{
	unsigned long long seq;
	struct opt_args a;
	const char *val;
	uint32_t v;
	char *end;
	int i, id;

	if (opt_parse(c, opts, argc, argv, &a))
		return EXIT_USAGE;
	memset(o, 0, sizeof(*o));
	o->lifetime_ms = -1;
	for (i = 0; i < a.nitem; i++) {
		id = a.item[i].id;
		val = a.item[i].val;
		if (id == K_SEQ) {
			errno = 0;
			seq = strtoull(val, &end, 10);
			if (errno || *end || !seq || val[0] == '-')
				goto bad;
			o->seq = seq;
		} else if (id == K_KEY_FILE) {
			o->key_file = val;
		} else {
			if (parse_u32(val, id == K_EPOCH ? 1 : 0, UINT32_MAX,
				      &v))
				goto bad;
			if (id == K_EPOCH)
				o->epoch = v;
			else if (id == K_SENDER)
				o->sender = v;
			else if (id == K_LIFETIME)
				o->lifetime_ms = v;
			else if (id == K_COUNT)
				o->count = v;
			else
				o->timeout_ms = v;
		}
	}
	o->group = a.val[K_GROUP];
	if (o->group && !name_valid(o->group))
		return cli_usage(c);
	return 0;
bad:
	return cli_usage_error(c, "invalid value '%s'", val);
}

int cmd_kernel_key_add(const struct cli_cmd *c, int argc, char **argv)
{
	struct key_opts o;
	struct kernel_nl *k;
	const char *why;
	uint8_t key[32];
	int len, ret;

	ret = key_opts(c, kernel_key_add_opts, argc, argv, &o);
	if (ret)
		return ret;
	if (!o.group || !o.epoch || !o.key_file)
		return cli_usage(c);
	len = read_key_file(o.key_file, key, sizeof(key), &why);
	if (len < 0) {
		fprintf(stderr, "%s: key file %s: %s\n", prog, o.key_file, why);
		return 1;
	}
	if (open_kernel(&k)) {
		OPENSSL_cleanse(key, sizeof(key));
		return 1;
	}
	ret = kernel_key_add(k, o.group, o.epoch, o.sender, key, (size_t)len,
			     o.lifetime_ms);
	OPENSSL_cleanse(key, sizeof(key));
	ret = ret ? kernel_failed(k, "installing the key", ret) : 0;
	kernel_close(k);
	return ret;
}

/* Opens the module, runs @op with the parsed options, reports a failure. */
static int run_kernel(const struct key_opts *o, const char *what,
		      int (*op)(struct kernel_nl *k, const struct key_opts *o))
{
	struct kernel_nl *k;
	int ret;

	if (open_kernel(&k))
		return 1;
	ret = op(k, o);
	ret = ret ? kernel_failed(k, what, ret) : 0;
	kernel_close(k);
	return ret;
}

static int key_del_op(struct kernel_nl *k, const struct key_opts *o)
{
	return kernel_key_del(k, o->group, o->epoch);
}

int cmd_kernel_key_del(const struct cli_cmd *c, int argc, char **argv)
{
	struct key_opts o;
	int ret;

	ret = key_opts(c, kernel_key_del_opts, argc, argv, &o);
	if (ret)
		return ret;
	if (!o.group || !o.epoch)
		return cli_usage(c);
	return run_kernel(&o, "erasing the key", key_del_op);
}

static int heartbeat_op(struct kernel_nl *k, const struct key_opts *o)
{
	return kernel_heartbeat(k, o->group, o->seq, o->epoch);
}

int cmd_kernel_heartbeat(const struct cli_cmd *c, int argc, char **argv)
{
	struct key_opts o;
	int ret;

	ret = key_opts(c, kernel_heartbeat_opts, argc, argv, &o);
	if (ret)
		return ret;
	if (!o.group || !o.seq)
		return cli_usage(c);
	return run_kernel(&o, "recording the heartbeat", heartbeat_op);
}

static void print_event(const struct kernel_event *ev, void *arg)
{
	unsigned int *seen = arg;

	printf("event %s group %s epoch %u sender %u\n",
	       kernel_event_name(ev->type), ev->group_name, ev->epoch,
	       ev->sender);
	fflush(stdout);
	(*seen)++;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int cmd_kernel_events(const struct cli_cmd *c, int argc, char **argv)
{
	struct key_opts o;
	struct kernel_nl *k;
	unsigned int seen = 0;
	long long deadline;
	int ret;

	ret = key_opts(c, kernel_events_opts, argc, argv, &o);
	if (ret)
		return ret;
	ret = kernel_events_open(&k);
	if (ret) {
		fprintf(stderr, "%s: cannot listen to module events: %s\n",
			prog, strerror(-ret));
		return 1;
	}
	deadline = o.timeout_ms ? now_ms() + o.timeout_ms : 0;
	while (!o.count || seen < o.count) {
		struct pollfd pfd = { .fd = kernel_events_fd(k),
				      .events = POLLIN };
		int wait = -1;

		if (deadline) {
			long long left = deadline - now_ms();

			if (left <= 0)
				break;
			wait = (int)left;
		}
		ret = poll(&pfd, 1, wait);
		if (ret < 0 && errno != EINTR)
			break;
		if (ret > 0 && kernel_events_read(k, print_event, &seen))
			break;
	}
	kernel_close(k);
	return o.count && seen < o.count ? 1 : 0;
}

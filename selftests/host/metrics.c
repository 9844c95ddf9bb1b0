// SPDX-License-Identifier: GPL-2.0
/* The Prometheus text of antigone status --prometheus without a kernel:
 * keyd/dp/kernel_metrics.c over made-up groups (every counter of enum
 * antigone_stat has a metric and shows its own value; drops are one family
 * with direction and reason labels; the text passes promtool check
 * metrics) and keyd/lib/prom.c's label escaping.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "dp/kernel_metrics.h"
#include "lib/prom.h"

/* Two groups, every counter a value of its own: 1000 * group + stat. */
static char *sample_text(size_t *len)
{
	static struct kernel_group g[2];
	char *text = NULL;
	FILE *f = open_memstream(&text, len);
	int i, s;

	for (i = 0; i < 2; i++) {
		kernel_group_init(&g[i]);
		snprintf(g[i].name, sizeof(g[i].name), "grp%d", i);
		g[i].id = 7 + i;
		g[i].epoch = 3;
		g[i].state = i ? ANTIGONE_STATE_HB_STALE : ANTIGONE_STATE_OK;
		g[i].rekey_grace_ms = 2500;
		for (s = 1; s < __ANTIGONE_STAT_MAX; s++)
			g[i].stats[s] = 1000u * (i + 1) + s;
	}
	kernel_metrics_write(f, g, 2);
	fclose(f);
	return text;
}

/* The value of the sample NAME{LABELS}, or -1. */
static long long value_of(const char *text, const char *sample)
{
	const char *p = text;
	size_t n = strlen(sample);

	while ((p = strstr(p, sample))) {
		if ((p == text || p[-1] == '\n') && p[n] == ' ')
			return atoll(p + n + 1);
		p += n;
	}
	return -1;
}

TEST(every_stat_has_a_metric_with_its_value)
{
	const char *fam, *dir, *why;
	char want[256];
	size_t len;
	char *text = sample_text(&len);
	int s, i;

	for (s = 1; s < __ANTIGONE_STAT_MAX; s++) {
		ASSERT_EQ(0, kernel_metrics_stat(s, &fam, &dir, &why))
			TH_LOG("stat %d has no metric", s);
		for (i = 0; i < 2; i++) {
			if (dir)
				snprintf(want, sizeof(want), "%s{group=\"grp%d\","
					 "direction=\"%s\",reason=\"%s\"}", fam,
					 i, dir, why);
			else
				snprintf(want, sizeof(want), "%s{group=\"grp%d\"}",
					 fam, i);
			EXPECT_EQ(1000 * (i + 1) + s, value_of(text, want))
				TH_LOG("%s", want);
		}
	}
	EXPECT_EQ(-ENOENT, kernel_metrics_stat(0, &fam, &dir, &why));
	EXPECT_EQ(-ENOENT, kernel_metrics_stat(__ANTIGONE_STAT_MAX, &fam,
					       &dir, &why));
	free(text);
}

TEST(the_drops_an_operator_alerts_on)
{
	size_t len;
	char *text = sample_text(&len);

	EXPECT_EQ(1000 + ANTIGONE_STAT_IN_REPLAYED, value_of(text,
		"antigone_kernel_dropped_total{group=\"grp0\",direction=\"in\","
		"reason=\"replay\"}"));
	EXPECT_EQ(1000 + ANTIGONE_STAT_IN_NOT_VALID, value_of(text,
		"antigone_kernel_dropped_total{group=\"grp0\",direction=\"in\","
		"reason=\"auth_failed\"}"));
	EXPECT_EQ(2000 + ANTIGONE_STAT_OUT_NO_KEY, value_of(text,
		"antigone_kernel_dropped_total{group=\"grp1\",direction=\"out\","
		"reason=\"no_key\"}"));
	EXPECT_EQ(1, value_of(text, "antigone_kernel_group_state{group=\"grp0\","
			      "state=\"ok\"}"));
	EXPECT_EQ(0, value_of(text, "antigone_kernel_group_state{group=\"grp1\","
			      "state=\"ok\"}"));
	EXPECT_EQ(1, value_of(text, "antigone_kernel_group_state{group=\"grp1\","
			      "state=\"heartbeat-stale\"}"));
	EXPECT_EQ(3, value_of(text, "antigone_kernel_key_epoch{group=\"grp1\"}"));
	EXPECT_NE(NULL, strstr(text, "antigone_kernel_rekey_grace_seconds"
			       "{group=\"grp0\"} 2.5\n"));
	/* One TYPE line per family, before its samples. */
	EXPECT_NE(NULL, strstr(text, "# TYPE antigone_kernel_dropped_total "
			       "counter\n"));
	EXPECT_EQ(NULL, strstr(strstr(text, "# TYPE antigone_kernel_dropped_"
				      "total") + 1, "# TYPE antigone_kernel_"
			       "dropped_total"));
	free(text);
}

TEST(promtool_accepts_it)
{
	char path[] = "/tmp/antigone-metrics.XXXXXX", cmd[128];
	size_t len;
	char *text = sample_text(&len);
	int fd = mkstemp(path);
	FILE *p;
	char line[512];

	ASSERT_LE(0, fd);
	ASSERT_EQ((ssize_t)len, write(fd, text, len));
	close(fd);
	free(text);
	ASSERT_EQ(0, system("command -v promtool >/dev/null"))
		TH_LOG("promtool not found: run 'make deps' (package prometheus)");
	snprintf(cmd, sizeof(cmd), "promtool check metrics <%s 2>&1", path);
	p = popen(cmd, "r");
	ASSERT_NE(NULL, p);
	while (fgets(line, sizeof(line), p))
		TH_LOG("promtool: %s", line);
	EXPECT_EQ(0, pclose(p));
	unlink(path);
}

TEST(label_values_are_escaped_and_never_cut_in_half)
{
	char l[PROM_LABELS_MAX], small[24];

	prom_labels(l, sizeof(l), "a", "x\"y\\z\nw", "b", NULL, "c", "", NULL);
	EXPECT_STREQ("a=\"x\\\"y\\\\z\\nw\",c=\"\"", l);
	prom_labels(small, sizeof(small), "group", "abc", "reason",
		    "too-long-to-fit", NULL);
	EXPECT_STREQ("group=\"abc\"", small);
}

TEST_HARNESS_MAIN

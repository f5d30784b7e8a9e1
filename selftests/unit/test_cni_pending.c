// SPDX-License-Identifier: GPL-2.0
/*
 * Pending references (txn.h): pairs and classifiers may name a pod's port
 * (NAMESPACE/POD) before sfc-cni adds it; validation accepts that, and the
 * active configuration the data plane gets leaves out what depends on a
 * missing port, until it comes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_json.h"
#include "tap.h"
#include "txn.h"

/*
 *   web: classifier fc-web from pod ns/client to pod ns/web (both pods
 *        to come), through g-fw: pair pp-fw (ports fw-in/fw-out, present)
 *        and pair pp-pod (a VNF pod ns/ids, to come, one port)
 *   ids: through g-ids, whose only pair is pp-pod; classifier fc-any
 */
static const char base[] =
	"{ \"ports\": [ { \"name\": \"fw-in\", \"device\": \"h1\" },\n"
	"    { \"name\": \"fw-out\", \"device\": \"h2\" } ],\n"
	"  \"port_pairs\": [\n"
	"    { \"name\": \"pp-fw\", \"ingress\": \"fw-in\", \"egress\": \"fw-out\" },\n"
	"    { \"name\": \"pp-pod\", \"ingress\": \"ns/ids\", \"egress\": \"ns/ids\" } ],\n"
	"  \"port_pair_groups\": [\n"
	"    { \"name\": \"g-fw\", \"port_pairs\": [\"pp-fw\", \"pp-pod\"] },\n"
	"    { \"name\": \"g-ids\", \"port_pairs\": [\"pp-pod\"] } ],\n"
	"  \"flow_classifiers\": [\n"
	"    { \"name\": \"fc-web\", \"logical_source_port\": \"ns/client\",\n"
	"      \"logical_destination_port\": \"ns/web\" },\n"
	"    { \"name\": \"fc-any\", \"protocol\": \"udp\" } ],\n"
	"  \"port_chains\": [\n"
	"    { \"name\": \"web\", \"port_pair_groups\": [\"g-fw\"],\n"
	"      \"flow_classifiers\": [\"fc-web\"] },\n"
	"    { \"name\": \"ids\", \"port_pair_groups\": [\"g-ids\"],\n"
	"      \"flow_classifiers\": [\"fc-any\"] } ] }\n";

static int load(const char *text, struct sfc_config *c)
{
	char err[512];
	int ret = sfc_config_from_text(text, strlen(text), c, err, sizeof(err));

	if (!ret)
		ret = sfc_config_assign_ids(c, err, sizeof(err));
	if (ret)
		printf("# %s\n", err);
	return ret;
}

/* base with more ports (JSON objects, comma-separated, or ""). */
static int load_with(const char *ports, struct sfc_config *c)
{
	static char text[4096];
	const char *at = strstr(base, "\"ports\": [") + strlen("\"ports\": [");

	snprintf(text, sizeof(text), "%.*s%s%s%s", (int)(at - base), base, ports,
		 *ports ? ", " : "", at);
	return load(text, c);
}

static void test_validation(void)
{
	struct sfc_config c;
	char err[512] = "";

	if (load_with("", &c))
		exit(KSFT_FAIL);
	TAP_CHECK(!sfc_config_validate(&c, err, sizeof(err)),
		  "references to missing pod ports (NAMESPACE/POD) validate (%s)", err);
	strcpy(c.fcs.v[1].lsp, "nope");
	TAP_CHECK(sfc_config_validate(&c, err, sizeof(err)) &&
		  strstr(err, "logical-source-port: unknown port nope"),
		  "a missing port without '/' is still refused (%s)", err);
	sfc_config_free(&c);
}

static bool chain_lists(const struct sfc_config *c, const char *chain,
			const char *fc)
{
	const struct sfc_cfg_chain *ch = sfc_cfg_find_chain(c, chain);
	int i;

	for (i = 0; ch && i < ch->nr_fcs; i++)
		if (!strcmp(ch->fcs[i], fc))
			return true;
	return false;
}

static void test_nothing_there(void)
{
	struct sfc_config c, a;
	const struct sfc_cfg_ppg *g;
	char err[512] = "";

	if (load_with("", &c) || sfc_config_active(&c, &a))
		exit(KSFT_FAIL);
	TAP_CHECK(!sfc_cfg_find_pair(&a, "pp-pod") && sfc_cfg_find_pair(&a, "pp-fw"),
		  "no pods: the pair of the VNF pod is left out, the other stays");
	g = sfc_cfg_find_ppg(&a, "g-fw");
	TAP_CHECK(g && g->nr_pairs == 1 && !strcmp(g->pairs[0], "pp-fw"),
		  "... its group goes on with the pair that is there");
	TAP_CHECK(!sfc_cfg_find_ppg(&a, "g-ids") && !sfc_cfg_find_chain(&a, "ids"),
		  "... a group left without pairs, and its chain, are left out");
	TAP_CHECK(!sfc_cfg_find_fc(&a, "fc-web") && sfc_cfg_find_chain(&a, "web") &&
		  !chain_lists(&a, "web", "fc-web"),
		  "... a classifier naming a missing pod is left out, its chain stays");
	TAP_CHECK(sfc_cfg_find_chain(&a, "web")->id == sfc_cfg_find_chain(&c, "web")->id &&
		  sfc_cfg_find_ppg(&a, "g-fw")->id == sfc_cfg_find_ppg(&c, "g-fw")->id,
		  "... ids are kept (counters follow)");
	TAP_CHECK(!sfc_config_validate(&a, err, sizeof(err)),
		  "the active configuration validates as a whole (%s)", err);
	sfc_config_free(&a);
	sfc_config_free(&c);
}

static void test_pods_come(void)
{
	struct sfc_config c, a;
	char *x, *y;

	if (load_with("{ \"name\": \"ns/client\", \"device\": \"v1\" }", &c) ||
	    sfc_config_active(&c, &a))
		exit(KSFT_FAIL);
	TAP_CHECK(!sfc_cfg_find_fc(&a, "fc-web"),
		  "one of the classifier's two pods: still pending");
	sfc_config_free(&a);
	sfc_config_free(&c);

	if (load_with("{ \"name\": \"ns/client\", \"device\": \"v1\" }, "
		      "{ \"name\": \"ns/web\", \"device\": \"v2\", \"mac\": \"02:00:00:00:00:02\" }",
		      &c) || sfc_config_active(&c, &a))
		exit(KSFT_FAIL);
	TAP_CHECK(sfc_cfg_find_fc(&a, "fc-web") && chain_lists(&a, "web", "fc-web"),
		  "both pods there: the classifier is active in its chain");
	TAP_CHECK(!sfc_cfg_find_chain(&a, "ids"), "... chain ids still waits for ns/ids");
	sfc_config_free(&a);
	sfc_config_free(&c);

	if (load_with("{ \"name\": \"ns/client\", \"device\": \"v1\" }, "
		      "{ \"name\": \"ns/web\", \"device\": \"v2\", \"mac\": \"02:00:00:00:00:02\" }, "
		      "{ \"name\": \"ns/ids\", \"device\": \"v3\" }", &c) ||
	    sfc_config_active(&c, &a))
		exit(KSFT_FAIL);
	x = sfc_config_to_text(&c);
	y = sfc_config_to_text(&a);
	TAP_CHECK(x && y && !strcmp(x, y),
		  "every pod there: the active configuration is the whole one");
	free(x);
	free(y);
	sfc_config_free(&a);
	sfc_config_free(&c);
}

int main(void)
{
	test_validation();
	test_nothing_there();
	test_pods_come();
	return tap_finish();
}

// SPDX-License-Identifier: GPL-2.0
/*
 * Not the protocol: helpers for installers, run by hand or by install.sh
 * (runtimes never pass arguments to a plugin).
 *
 *   sfc-cni chain FILE [KEY=VALUE]...
 *
 * puts sfc-cni at the end of the plugins of the network configuration
 * list FILE (the node's main CNI's .conflist), with the options given
 * ("bpffs=/sys/fs/bpf/sfc", "logFile=..."), or updates the sfc-cni entry
 * already there, and replaces FILE atomically: the runtime reads either
 * the old list or the new one.
 *
 *   sfc-cni sweep [state=FILE] [bpffs=DIR]
 *
 * removes the ports of attachments whose devices are gone (what every
 * ADD, DEL and GC does first), e.g. at boot, before `sfcctl restore`:
 * the pods of before the reboot are gone, their records and ports not.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cni.h"
#include "state.h"

static int usage(void)
{
	fprintf(stderr,
		"Usage: sfc-cni chain FILE [ KEY=VALUE ]...\n"
		"       sfc-cni sweep [ state=FILE ] [ bpffs=DIR ]\n"
		"chain appends sfc-cni (or updates it) at the end of the plugins of\n"
		"the network configuration list FILE, with the options given, e.g.\n"
		"  sfc-cni chain /etc/cni/net.d/10-bridge.conflist logFile=/var/log/sfc-cni.log\n"
		"sweep removes the ports of pods whose devices are gone.\n"
		"Without CNI_COMMAND and arguments, sfc-cni says what it is.\n");
	return 2;
}

/* The sfc-cni entry of plugins, appended when missing. */
static struct json_object *our_entry(struct json_object *plugins)
{
	struct json_object *p, *type;
	size_t i;

	for (i = 0; i < json_object_array_length(plugins); i++) {
		p = json_object_array_get_idx(plugins, i);
		if (json_object_object_get_ex(p, "type", &type) &&
		    !strcmp(json_object_get_string(type), "sfc-cni"))
			return p;
	}
	p = json_object_new_object();
	json_object_object_add(p, "type", json_object_new_string("sfc-cni"));
	json_object_array_add(plugins, p);
	return p;
}

static int set_options(struct json_object *entry, int argc, char **argv)
{
	char key[64];
	const char *eq;
	int i;

	for (i = 0; i < argc; i++) {
		eq = strchr(argv[i], '=');
		if (!eq || eq == argv[i] || (size_t)(eq - argv[i]) >= sizeof(key) ||
		    !strncmp(argv[i], "type=", 5)) {
			fprintf(stderr, "sfc-cni chain: bad option '%s'\n", argv[i]);
			return -EINVAL;
		}
		snprintf(key, sizeof(key), "%.*s", (int)(eq - argv[i]), argv[i]);
		json_object_object_add(entry, key, json_object_new_string(eq + 1));
	}
	return 0;
}

static int sweep_tool(int argc, char **argv)
{
	struct cni_error e = { 0 };
	struct cni_req r = { 0 };
	int i, err;

	for (i = 0; i < argc; i++) {
		if (!strncmp(argv[i], "state=", 6))
			r.state = argv[i] + 6;
		else if (!strncmp(argv[i], "bpffs=", 6))
			r.pin_root = argv[i] + 6;
		else
			return usage();
	}
	cni_log_context("sweep", NULL, NULL);
	r.state = sfc_state_path(r.state);
	if (!r.pin_root)
		r.pin_root = SFC_DEFAULT_PIN_ROOT;
	err = cni_records_root(r.state, r.records, sizeof(r.records));
	if (err || cni_sweep(&r, &e)) {
		fprintf(stderr, "sfc-cni sweep: %s\n", err ? strerror(-err) : e.msg);
		return 1;
	}
	return 0;
}

static int chain_tool(int argc, char **argv)
{
	struct json_object *doc, *plugins;
	int err;

	if (argc < 3)
		return usage();
	doc = json_object_from_file(argv[2]);
	if (!doc || !json_object_object_get_ex(doc, "plugins", &plugins) ||
	    !json_object_is_type(plugins, json_type_array)) {
		fprintf(stderr, "sfc-cni chain: %s: not a network configuration list (no \"plugins\" array)\n",
			argv[2]);
		json_object_put(doc);
		return 1;
	}
	err = set_options(our_entry(plugins), argc - 3, argv + 3);
	if (!err)	/* the runtime reads *.conflist: FILE.tmp is no list */
		err = cni_replace_json(argv[2], doc, JSON_C_TO_STRING_PRETTY |
				       JSON_C_TO_STRING_NOSLASHESCAPE, 0644);
	json_object_put(doc);
	if (err && err != -EINVAL)
		fprintf(stderr, "sfc-cni chain: %s: %s\n", argv[2], strerror(-err));
	return err ? 1 : 0;
}

int cni_tool(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "chain"))
		return chain_tool(argc, argv);
	if (argc > 1 && !strcmp(argv[1], "sweep"))
		return sweep_tool(argc - 2, argv + 2);
	return usage();
}

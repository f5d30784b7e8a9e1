// SPDX-License-Identifier: GPL-2.0
/*
 * sfc-cni: the protocol side. The runtime runs us with CNI_COMMAND and
 * friends in the environment and the request configuration on stdin; we
 * answer on stdout (a result, or the spec's error object) and exit 0 or 1.
 * Logs go to stderr or "logFile".
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>

#include "cni.h"
#include "state.h"

#define ABOUT "sfc-cni: makes a pod's host veth an sfc port named NAMESPACE/POD (sfc " SFC_VERSION ")"

static const struct {
	const char *name;
	enum cni_cmd cmd;
} commands[] = {
	{ "ADD", CNI_CMD_ADD }, { "DEL", CNI_CMD_DEL },
	{ "CHECK", CNI_CMD_CHECK }, { "GC", CNI_CMD_GC },
	{ "STATUS", CNI_CMD_STATUS }, { "VERSION", CNI_CMD_VERSION },
};

/* The environment each command requires (the spec's "Required"). */
#define NEED_CID	(1u << 0)
#define NEED_NETNS	(1u << 1)
#define NEED_IFNAME	(1u << 2)
#define NEED_PATH	(1u << 3)

static unsigned int needs(enum cni_cmd cmd)
{
	switch (cmd) {
	case CNI_CMD_ADD:
	case CNI_CMD_CHECK:
		return NEED_CID | NEED_NETNS | NEED_IFNAME;
	case CNI_CMD_DEL:
		return NEED_CID | NEED_IFNAME;
	case CNI_CMD_GC:
		return NEED_PATH;
	default:
		return 0;
	}
}

/* The lowest cniVersion a command exists in. */
static const char *since(enum cni_cmd cmd)
{
	switch (cmd) {
	case CNI_CMD_CHECK:
		return "0.4.0";
	case CNI_CMD_GC:
	case CNI_CMD_STATUS:
		return "1.1.0";
	default:
		return NULL;
	}
}

static const char *env(const char *name)
{
	const char *v = getenv(name);

	return v && *v ? v : NULL;
}

/* As the kernel's dev_valid_name(). */
static bool valid_ifname(const char *s)
{
	return strlen(s) < IF_NAMESIZE && strcmp(s, ".") && strcmp(s, "..") &&
	       !strpbrk(s, "/: \t\n\r\v\f");
}

static void add_missing(char *buf, size_t len, bool missing, const char *name)
{
	size_t n = strlen(buf);

	if (missing)
		snprintf(buf + n, len - n, "%s%s", n ? "," : "", name);
}

static unsigned int read_env(struct cni_req *r, struct cni_error *e)
{
	unsigned int need = needs(r->cmd);
	char missing[128] = "";

	r->container_id = env("CNI_CONTAINERID");
	r->netns = env("CNI_NETNS");
	r->ifname = env("CNI_IFNAME");
	r->args = env("CNI_ARGS");
	add_missing(missing, sizeof(missing), !r->command, "CNI_COMMAND");
	add_missing(missing, sizeof(missing),
		    (need & NEED_CID) && !r->container_id, "CNI_CONTAINERID");
	add_missing(missing, sizeof(missing),
		    (need & NEED_NETNS) && !r->netns, "CNI_NETNS");
	add_missing(missing, sizeof(missing),
		    (need & NEED_IFNAME) && !r->ifname, "CNI_IFNAME");
	add_missing(missing, sizeof(missing),
		    (need & NEED_PATH) && !env("CNI_PATH"), "CNI_PATH");
	if (missing[0])
		return cni_fail(e, CNI_ERR_ENV, "required env variables [%s] missing",
				missing);
	if (!r->cmd)
		return cni_fail(e, CNI_ERR_ENV, "unknown CNI_COMMAND: %s",
				r->command);
	if ((need & NEED_CID) && !cni_valid_id(r->container_id, CNI_CID_MAX))
		return cni_fail(e, CNI_ERR_ENV,
				"invalid CNI_CONTAINERID '%s': alphanumeric first, then alphanumerics, '_', '.' or '-'",
				r->container_id);
	if ((need & NEED_IFNAME) && !valid_ifname(r->ifname))
		return cni_fail(e, CNI_ERR_ENV, "invalid CNI_IFNAME '%s'",
				r->ifname);
	return 0;
}

static unsigned int read_stdin(char **text, size_t *len, struct cni_error *e)
{
	int err = sfc_read_all(STDIN_FILENO, text, len);

	if (err)
		return cni_fail(e, CNI_ERR_IO, "reading the configuration from stdin: %s",
				strerror(-err));
	return 0;
}

static unsigned int check_version(const struct cni_req *r, struct cni_error *e)
{
	const char *min = since(r->cmd);

	if (!min || cni_version_cmp(r->version, min) >= 0)
		return 0;
	return cni_fail(e, CNI_ERR_VERSION, "config version %s does not allow %s",
			r->version, r->command);
}

static int print_version(const struct cni_req *r)
{
	struct json_object *out = json_object_new_object(), *list;
	const char *const *v;

	list = json_object_new_array();
	for (v = cni_versions; *v; v++)
		json_object_array_add(list, json_object_new_string(*v));
	json_object_object_add(out, "cniVersion", json_object_new_string(
				       r->version ? r->version : CNI_VERSION_LATEST));
	json_object_object_add(out, "supportedVersions", list);
	puts(json_object_to_json_string_ext(out, JSON_C_TO_STRING_PLAIN));
	json_object_put(out);
	return 0;
}

static void print_error(const struct cni_req *r, const struct cni_error *e)
{
	struct json_object *out = json_object_new_object();

	json_object_object_add(out, "cniVersion", json_object_new_string(
				       r->version ? r->version : CNI_VERSION_LATEST));
	json_object_object_add(out, "code", json_object_new_int((int)e->code));
	json_object_object_add(out, "msg", json_object_new_string(e->msg));
	if (e->details[0])
		json_object_object_add(out, "details",
				       json_object_new_string(e->details));
	puts(json_object_to_json_string_ext(out, JSON_C_TO_STRING_PLAIN));
	json_object_put(out);
	cni_log(CNI_LOG_ERROR, "%s%s%s", e->msg, e->details[0] ? ": " : "",
		e->details);
}

static void print_about(void)
{
	const char *const *v;

	fprintf(stderr, "%s\nCNI protocol versions supported:", ABOUT);
	for (v = cni_versions; *v; v++)
		fprintf(stderr, "%s %s", v == cni_versions ? "" : ",", *v);
	fputc('\n', stderr);
}

static int libbpf_log(enum libbpf_print_level level, const char *fmt,
		      va_list ap)
{
	char line[512];

	if (level == LIBBPF_DEBUG)
		return 0;
	vsnprintf(line, sizeof(line), fmt, ap);
	line[strcspn(line, "\n")] = '\0';
	cni_log(CNI_LOG_DEBUG, "%s", line);	/* "libbpf: ..." */
	return 0;
}

static unsigned int run(struct cni_req *r, struct cni_error *e)
{
	unsigned int (*const fns[])(struct cni_req *, struct cni_error *) = {
		[CNI_CMD_ADD] = cni_add, [CNI_CMD_DEL] = cni_del,
		[CNI_CMD_CHECK] = cni_check, [CNI_CMD_GC] = cni_gc,
		[CNI_CMD_STATUS] = cni_status,
	};
	size_t len = 0;
	char *text = NULL;
	size_t i;

	r->command = env("CNI_COMMAND");
	for (i = 0; r->command && i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(r->command, commands[i].name))
			r->cmd = commands[i].cmd;
	if (!r->command)
		print_about();
	cni_log_context(r->command, env("CNI_CONTAINERID"), env("CNI_IFNAME"));
	if (read_env(r, e))
		return e->code;
	if (read_stdin(&text, &len, e))
		return e->code;
	/* VERSION answers whatever the input; it only echoes cniVersion. */
	if (cni_parse_conf(r, text, len, e) && r->cmd != CNI_CMD_VERSION) {
		free(text);
		return e->code;
	}
	free(text);
	if (r->cmd == CNI_CMD_VERSION) {
		e->code = 0;
		return (unsigned int)print_version(r);
	}
	if (check_version(r, e))
		return e->code;
	return fns[r->cmd](r, e);
}

int main(int argc, char **argv)
{
	struct cni_error e = { 0 };
	struct cni_req r = { 0 };

	if (argc > 1 && !env("CNI_COMMAND"))
		return cni_tool(argc, argv);
	libbpf_set_print(libbpf_log);
	if (!run(&r, &e))
		return 0;
	print_error(&r, &e);
	json_object_put(r.conf);
	return 1;
}

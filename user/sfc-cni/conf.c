// SPDX-License-Identifier: GPL-2.0
/*
 * The request configuration on stdin, as the runtime derives it from the
 * network configuration list:
 *
 *   { "cniVersion": "1.1.0", "name": "NET", "type": "sfc-cni",
 *     "bpffs": "/sys/fs/bpf/sfc",          the pin root (sfcctl --bpffs)
 *     "state": "/var/lib/sfc/config.json", the state file (sfcctl --state)
 *     "logFile": "/var/log/sfc-cni.log",   default: stderr
 *     "logLevel": "error" | "info" | "debug",
 *     "portName": "NS/NAME",               overrides CNI_ARGS' pod name
 *     "runtimeConfig": { "sfcPortName": "NS/NAME" },  overrides both
 *     "prevResult": { ... } }
 *
 * Unknown keys are ignored: runtimes add their own.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cni.h"
#include "config.h"
#include "config_schema.h"
#include "state.h"

const char *const cni_versions[] = {
	"0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0", NULL,
};

unsigned int cni_fail(struct cni_error *e, unsigned int code, const char *fmt,
		      ...)
{
	va_list ap;

	e->code = code;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return code;
}

void cni_details(struct cni_error *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->details, sizeof(e->details), fmt, ap);
	va_end(ap);
}

/* "X.Y.Z" into three numbers; -1 when it is not one. */
static int parse_version(const char *s, long v[3])
{
	char *end;
	int i;

	for (i = 0; i < 3; i++) {
		if (!isdigit((unsigned char)*s))
			return -1;
		v[i] = strtol(s, &end, 10);
		s = end;
		if (i < 2 && *s++ != '.')
			return -1;
	}
	return *s ? -1 : 0;
}

int cni_version_cmp(const char *a, const char *b)
{
	long x[3], y[3];
	int bad_a = parse_version(a, x), bad_b = parse_version(b, y), i;

	if (bad_a || bad_b)
		return bad_b - bad_a;	/* a bad one is the lowest */
	for (i = 0; i < 3; i++)
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	return 0;
}

bool cni_version_supported(const char *v)
{
	const char *const *s;

	for (s = cni_versions; *s; s++)
		if (!strcmp(*s, v))
			return true;
	return false;
}

/* An optional string member: 0 and *out (NULL when absent), or code 7. */
static unsigned int opt_string(struct json_object *obj, const char *key,
			       const char **out, struct cni_error *e)
{
	struct json_object *v;

	*out = NULL;
	if (!json_object_object_get_ex(obj, key, &v) || json_object_is_type(v, json_type_null))
		return 0;
	if (!json_object_is_type(v, json_type_string))
		return cni_fail(e, CNI_ERR_CONFIG, "%s must be a string", key);
	*out = json_object_get_string(v);
	return 0;
}

bool cni_valid_id(const char *s, size_t size)
{
	if (!isalnum((unsigned char)*s) || strlen(s) >= size)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("_.-", *s))
			return false;
	return true;
}

static unsigned int parse_logging(struct json_object *conf, struct cni_error *e)
{
	enum cni_log_level level = CNI_LOG_INFO;
	const char *file, *lvl;
	int err;

	if (opt_string(conf, "logFile", &file, e) ||
	    opt_string(conf, "logLevel", &lvl, e))
		return e->code;
	if (lvl && cni_log_level_parse(lvl, &level))
		return cni_fail(e, CNI_ERR_CONFIG,
				"logLevel '%s': use error, info or debug", lvl);
	err = cni_log_open(file, level);
	if (err)
		return cni_fail(e, CNI_ERR_IO, "logFile %s: %s", file,
				strerror(-err));
	return 0;
}

static unsigned int parse_version_field(struct cni_req *r, struct cni_error *e)
{
	struct json_object *v;

	if (!json_object_object_get_ex(r->conf, "cniVersion", &v) ||
	    !json_object_is_type(v, json_type_string)) {
		cni_fail(e, CNI_ERR_VERSION, "incompatible CNI versions");
		cni_details(e, "the configuration gives no cniVersion (0.1.0 is assumed); supported: 0.3.0 to " CNI_VERSION_LATEST);
		return e->code;
	}
	r->version = json_object_get_string(v);
	if (!cni_version_supported(r->version)) {
		cni_fail(e, CNI_ERR_VERSION, "incompatible CNI versions");
		cni_details(e, "config is \"%s\", plugin supports [\"0.3.0\" \"0.3.1\" \"0.4.0\" \"1.0.0\" \"1.1.0\"]",
			    r->version);
		r->version = NULL;	/* errors then use the latest */
		return e->code;
	}
	return 0;
}

static unsigned int parse_prev_result(struct cni_req *r, struct cni_error *e)
{
	struct json_object *v;

	r->prev_result = NULL;
	if (!json_object_object_get_ex(r->conf, "prevResult", &v) ||
	    json_object_is_type(v, json_type_null))
		return 0;
	if (!json_object_is_type(v, json_type_object))
		return cni_fail(e, CNI_ERR_CONFIG, "prevResult must be an object");
	r->prev_result = v;
	return 0;
}

unsigned int cni_parse_conf(struct cni_req *r, const char *text, size_t len,
			    struct cni_error *e)
{
	enum json_tokener_error jerr = json_tokener_success;
	struct json_tokener *tok = json_tokener_new();
	struct json_object *ipam;
	size_t end;
	int err;

	if (!tok)
		return cni_fail(e, CNI_ERR_INTERNAL, "out of memory");
	r->conf = json_tokener_parse_ex(tok, text, (int)len);
	jerr = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	/* Text after the object is as bad as a broken object. */
	while (r->conf && end < len && isspace((unsigned char)text[end]))
		end++;
	if (r->conf && end < len) {
		json_object_put(r->conf);
		r->conf = NULL;
		jerr = json_tokener_error_parse_unexpected;
	}
	if (!r->conf || !json_object_is_type(r->conf, json_type_object)) {
		json_object_put(r->conf);
		r->conf = NULL;
		cni_fail(e, CNI_ERR_DECODE, "error decoding the network configuration");
		cni_details(e, "%s", jerr == json_tokener_success ?
			    "not a JSON object" : jerr == json_tokener_continue ?
			    "unexpected end of input" :
			    json_tokener_error_desc(jerr));
		return e->code;
	}
	if (parse_logging(r->conf, e) || parse_version_field(r, e))
		return e->code;
	if (r->cmd == CNI_CMD_VERSION)
		return 0;
	if (opt_string(r->conf, "name", &r->network, e))
		return e->code;
	if (!r->network || !*r->network)
		return cni_fail(e, CNI_ERR_CONFIG, "missing network name");
	if (!cni_valid_id(r->network, SFC_NAME_MAX))	/* names a directory */
		return cni_fail(e, CNI_ERR_CONFIG,
				"network name '%s': letters, digits and _.- (alphanumeric first)",
				r->network);
	if (json_object_object_get_ex(r->conf, "ipam", &ipam))
		return cni_fail(e, CNI_ERR_FIELD,
				"unsupported field ipam=%.200s: sfc-cni allocates no addresses (chain it after the plugin that does)",
				json_object_to_json_string_ext(ipam, JSON_C_TO_STRING_PLAIN));
	if (opt_string(r->conf, "state", &r->state, e) ||
	    opt_string(r->conf, "bpffs", &r->pin_root, e) ||
	    parse_prev_result(r, e))
		return e->code;
	r->state = sfc_state_path(r->state);
	if (!r->pin_root)
		r->pin_root = SFC_DEFAULT_PIN_ROOT;
	err = cni_records_root(r->state, r->records, sizeof(r->records));
	if (err)
		return cni_fail(e, CNI_ERR_CONFIG, "state %s: %s", r->state,
				strerror(-err));
	return 0;
}

bool cni_arg(const char *args, const char *key, char *buf, size_t len)
{
	size_t klen = strlen(key), vlen;
	const char *p = args;

	while (p && *p) {
		vlen = strcspn(p, ";");
		if (vlen > klen && !strncmp(p, key, klen) && p[klen] == '=') {
			snprintf(buf, len, "%.*s", (int)(vlen - klen - 1),
				 p + klen + 1);
			return true;
		}
		p += vlen;
		if (*p == ';')
			p++;
	}
	return false;
}

/* runtimeConfig.sfcPortName, else "portName", else CNI_ARGS' pod. */
static unsigned int name_from_conf(struct cni_req *r, const char **name,
				   struct cni_error *e)
{
	struct json_object *rc;

	*name = NULL;
	if (json_object_object_get_ex(r->conf, "runtimeConfig", &rc) &&
	    json_object_is_type(rc, json_type_object) &&
	    opt_string(rc, "sfcPortName", name, e))
		return e->code;
	if (!*name && opt_string(r->conf, "portName", name, e))
		return e->code;
	return 0;
}

/*
 * A pod's second interface (Multus) must not take its first one's port:
 * interfaces other than eth0 get ":IFNAME" after the pod's name.
 */
unsigned int cni_port_name(struct cni_req *r, struct cni_error *e)
{
	char ns[SFC_NAME_MAX * 2], pod[SFC_NAME_MAX * 4], why[256];
	char clean[SFC_NAME_MAX];
	const char *name;
	int n;

	if (name_from_conf(r, &name, e))
		return e->code;
	if (name) {
		n = snprintf(r->port, sizeof(r->port), "%s", name);
	} else if (cni_arg(r->args, "K8S_POD_NAMESPACE", ns, sizeof(ns)) &&
		   cni_arg(r->args, "K8S_POD_NAME", pod, sizeof(pod)) &&
		   *ns && *pod) {
		n = snprintf(r->port, sizeof(r->port), "%s/%s%s%s", ns, pod,
			     strcmp(r->ifname, "eth0") ? ":" : "",
			     strcmp(r->ifname, "eth0") ? r->ifname : "");
	} else {
		cni_fail(e, CNI_ERR_CONFIG, "no port name");
		cni_details(e, "CNI_ARGS has no K8S_POD_NAMESPACE and K8S_POD_NAME, and neither runtimeConfig.sfcPortName nor portName is set");
		return e->code;
	}
	if (n < 0 || (size_t)n >= sizeof(r->port))
		return cni_fail(e, CNI_ERR_CONFIG,
				"port name '%.40s...' is too long (max %d characters)",
				name ? name : ns, SFC_NAME_MAX - 1);
	if (sfc_copy_name(clean, r->port, why, sizeof(why)))
		return cni_fail(e, CNI_ERR_CONFIG, "port name: %s", why);
	if (!sfc_port_may_pend(r->port))
		return cni_fail(e, CNI_ERR_CONFIG,
				"port name '%s' has no '/': sfc-cni names are NAMESPACE/NAME",
				r->port);
	return 0;
}

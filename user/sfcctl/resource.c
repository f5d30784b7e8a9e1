// SPDX-License-Identifier: GPL-2.0
/*
 * The transaction of every configuration change, and the verbs of the
 * five resource objects, table-driven from config_schema.h:
 *
 *   sfcctl OBJECT { add | create } NAME [ KEYWORD VALUE ]...
 *   sfcctl OBJECT set NAME [ KEYWORD VALUE ]...
 *   sfcctl OBJECT { del | delete } NAME
 *   sfcctl OBJECT { show [ NAME ] | list }
 *   sfcctl OBJECT help
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

#include "config_json.h"
#include "print.h"
#include "resource.h"
#include "sfcctl.h"
#include "txn.h"

/* ---- the transaction ---- */

int sfcctl_open_state(struct sfc_state *st, enum sfc_lock lock)
{
	if (!sfc_state_begin(sfcctl_opts.state, lock, st))
		return 0;
	sfc_error("%s", st->err);
	return 1;
}

/* The generic part lives in libsfc (txn.h): sfc-cni runs the same one. */
int sfcctl_change(sfcctl_change_fn fn, void *ctx)
{
	char err[512];

	if (!sfc_txn_change(sfcctl_opts.state, sfcctl_opts.pin_root, fn, ctx,
			    err, sizeof(err)))
		return 0;
	sfc_error("%s", err);
	return 1;
}

/* ---- help, generated from the attribute table ---- */

#define USAGE_WIDTH	78
#define USAGE_INDENT	11

/* Appends one token to a usage line, wrapping before it if needed. */
static void usage_token(int *col, const char *tok)
{
	int n = (int)strlen(tok);

	if (*col + 1 + n > USAGE_WIDTH) {
		printf("\n%*s", USAGE_INDENT, "");
		*col = USAGE_INDENT;
	} else {
		putchar(' ');
		(*col)++;
	}
	fputs(tok, stdout);
	*col += n;
}

/* "sfcctl WORD VERBS NAME" and every keyword, required ones first on add. */
static void usage_line(const struct sfc_kind_info *ki, const char *lead,
		       const char *verbs, bool add)
{
	const struct sfc_attr *a;
	char meta[96], tok[256];
	int col = printf("%s sfcctl %s %s NAME", lead, ki->word, verbs);
	int pass;

	for (pass = add ? 0 : 1; pass < 2; pass++) {
		for (a = ki->attrs; a < ki->attrs + ki->nr_attrs; a++) {
			bool required = add && (a->flags & SFC_ATTR_REQUIRED);

			if (!a->word || (a->flags & SFC_ATTR_READONLY) ||
			    required != !pass)
				continue;
			sfc_attr_metavar(a, meta, sizeof(meta));
			if (sfc_attr_is_list(a) && required)
				snprintf(tok, sizeof(tok), "%s %s [ %s %s ... ]",
					 a->word, meta, a->word, meta);
			else if (sfc_attr_is_list(a))
				snprintf(tok, sizeof(tok), "[ %s %s ... ]",
					 a->word, meta);
			else
				snprintf(tok, sizeof(tok), required ? "%s %s" :
					 "[ %s %s ]", a->word, meta);
			usage_token(&col, tok);
		}
	}
	putchar('\n');
}

static void resource_usage(const struct sfcctl_object *obj)
{
	const struct sfc_kind_info *ki = sfc_kind_info(obj->kind);

	usage_line(ki, "Usage:", "{ add | create }", true);
	usage_line(ki, "      ", "set", false);
	printf("       sfcctl %s { del | delete } NAME\n"
	       "       sfcctl %s { show [ NAME ] | list }\n"
	       "       sfcctl %s help\n%s",
	       ki->word, ki->word, ki->word, obj->about);
}

/* ---- keyword arguments ---- */

static bool settable(const struct sfc_attr *a)
{
	return a->word && !(a->flags & SFC_ATTR_READONLY);
}

/* The keyword an argument names: exactly, or as its only prefix. */
static const struct sfc_attr *find_keyword(enum sfc_kind k, const char *arg,
					   char *err, size_t errlen)
{
	const struct sfc_kind_info *ki = sfc_kind_info(k);
	const struct sfc_attr *a, *found = NULL;

	for (a = ki->attrs; a < ki->attrs + ki->nr_attrs; a++)
		if (settable(a) && !strcmp(arg, a->word))
			return a;
	for (a = ki->attrs; a < ki->attrs + ki->nr_attrs; a++) {
		if (!settable(a) || !matches(arg, a->word))
			continue;
		if (found) {
			sfc_errf(err, errlen, "ambiguous keyword '%s': %s or %s?",
				 arg, found->word, a->word);
			return NULL;
		}
		found = a;
	}
	if (!found)
		sfc_errf(err, errlen, "unknown keyword '%s' for %s, try 'sfcctl %s help'",
			 arg, ki->word, ki->word);
	return found;
}

/*
 * "KEYWORD VALUE"... onto res. A list keyword's first use in a command
 * replaces the old list; later uses add to it.
 */
static int apply_keywords(enum sfc_kind k, void *res, int argc, char **argv,
			  char *err, size_t errlen)
{
	const struct sfc_kind_info *ki = sfc_kind_info(k);
	const struct sfc_attr *a;
	uint32_t seen = 0, bit;
	char why[256];
	int i;

	for (i = 0; i < argc; i += 2) {
		a = find_keyword(k, argv[i], err, errlen);
		if (!a)
			return -1;
		if (i + 1 >= argc)
			return sfc_errf(err, errlen, "%s %s: %s: missing value",
					ki->label, sfc_res_name(res), a->word);
		bit = 1u << (a - ki->attrs);
		if ((seen & bit) && !sfc_attr_is_list(a))
			return sfc_errf(err, errlen, "%s %s: %s: given twice",
					ki->label, sfc_res_name(res), a->word);
		if (!(seen & bit))
			sfc_attr_clear(a, res);
		seen |= bit;
		if (sfc_attr_parse(a, res, argv[i + 1], why, sizeof(why)))
			return sfc_errf(err, errlen, "%s %s: %s: %s", ki->label,
					sfc_res_name(res), a->word, why);
	}
	return 0;
}

static int check_required(enum sfc_kind k, const void *res, char *err,
			  size_t errlen)
{
	const struct sfc_kind_info *ki = sfc_kind_info(k);
	const struct sfc_attr *a;
	char meta[96];

	for (a = ki->attrs; a < ki->attrs + ki->nr_attrs; a++) {
		if (!(a->flags & SFC_ATTR_REQUIRED) || sfc_attr_count(a, res))
			continue;
		sfc_attr_metavar(a, meta, sizeof(meta));
		return sfc_errf(err, errlen, "%s %s: missing '%s %s'", ki->label,
				sfc_res_name(res), a->word, meta);
	}
	return 0;
}

/* ---- verbs that change the configuration ---- */

struct verb_args {
	enum sfc_kind kind;
	int argc;		/* after NAME */
	char **argv;
	const char *name;
};

static void *find_named(const struct sfc_config *cfg, const struct verb_args *v,
			char *err, size_t errlen)
{
	void *res = sfc_cfg_find(cfg, v->kind, v->name);

	if (!res)
		sfc_errf(err, errlen, "no %s named %s", sfc_kind_info(v->kind)->label,
			 v->name);
	return res;
}

static int change_add(struct sfc_config *cfg, void *ctx, char *err,
		      size_t errlen)
{
	const struct verb_args *v = ctx;
	void *res;

	if (sfc_cfg_find(cfg, v->kind, v->name))
		return sfc_errf(err, errlen, "%s %s already exists",
				sfc_kind_info(v->kind)->label, v->name);
	res = sfc_cfg_add(cfg, v->kind, v->name, err, errlen);
	if (!res || apply_keywords(v->kind, res, v->argc, v->argv, err, errlen))
		return -1;
	return check_required(v->kind, res, err, errlen);
}

static int change_set(struct sfc_config *cfg, void *ctx, char *err,
		      size_t errlen)
{
	const struct verb_args *v = ctx;
	void *res = find_named(cfg, v, err, errlen);

	if (!res)
		return -1;
	return apply_keywords(v->kind, res, v->argc, v->argv, err, errlen);
}

static int change_del(struct sfc_config *cfg, void *ctx, char *err,
		      size_t errlen)
{
	const struct verb_args *v = ctx;
	struct sfc_ref user;

	if (v->argc)
		return sfc_errf(err, errlen, "unexpected argument '%s'", v->argv[0]);
	if (!find_named(cfg, v, err, errlen))
		return -1;
	if (sfc_cfg_find_user(cfg, v->kind, v->name, &user))
		return sfc_errf(err, errlen, "%s %s is used by %s %s (%s)",
				sfc_kind_info(v->kind)->label, v->name,
				sfc_kind_info(user.from_kind)->label,
				sfc_res_name(user.from), user.attr->word);
	sfc_cfg_remove(cfg, v->kind,
		       (size_t)sfc_cfg_index(cfg, v->kind, v->name));
	return 0;
}

/* ---- verbs that show it ---- */

static void print_json_value(const char *key, struct json_object *v);

static void print_json_members(struct json_object *obj)
{
	json_object_object_foreach(obj, k, member)
		print_json_value(k, member);
}

/* Replays a JSON value through the printer (-j output = export format). */
static void print_json_value(const char *key, struct json_object *v)
{
	size_t i;

	switch (json_object_get_type(v)) {
	case json_type_object:
		sfc_print_open_object(key);
		print_json_members(v);
		sfc_print_close_object();
		break;
	case json_type_array:
		sfc_print_open_array(key);
		for (i = 0; i < json_object_array_length(v); i++)
			print_json_value(NULL, json_object_array_get_idx(v, i));
		sfc_print_close_array();
		break;
	case json_type_boolean:
		sfc_print_bool(PRINT_JSON, key, NULL, json_object_get_boolean(v));
		break;
	case json_type_int:
		sfc_print_int(PRINT_JSON, key, NULL, json_object_get_int64(v));
		break;
	default:
		sfc_print_string(PRINT_JSON, key, NULL, json_object_get_string(v));
	}
}

/* Text: one line in command-line words, "port-pair pp1 ingress v1i ...". */
static void print_text(enum sfc_kind k, const void *res)
{
	const struct sfc_kind_info *ki = sfc_kind_info(k);
	const struct sfc_attr *a;
	char val[SFC_VALUE_MAX];
	size_t i;

	sfc_print_text("%s %s", ki->word, sfc_res_name(res));
	for (a = ki->attrs; a < ki->attrs + ki->nr_attrs; a++)
		for (i = 0; a->word && i < sfc_attr_count(a, res); i++)
			if (!sfc_attr_format(a, res, i, val, sizeof(val)))
				sfc_print_text(" %s %s", a->word, val);
	sfc_print_text("\n");
}

static void print_resource(const struct sfcctl_object *o,
			   const struct sfc_config *cfg, const void *res)
{
	struct json_object *obj;

	if (!sfc_print_is_json()) {
		print_text(o->kind, res);
	} else {
		obj = sfc_res_to_json(o->kind, res);
		sfc_print_open_object(NULL);
		print_json_members(obj);
		json_object_put(obj);
	}
	if (o->show_runtime)
		o->show_runtime(cfg, res);
	sfc_print_close_object();
}

static int show(const struct sfcctl_object *o, int argc, char **argv)
{
	enum sfc_kind k = o->kind;
	struct sfc_state st;
	const void *res;
	size_t i;

	if (argc > 1) {
		sfc_error("unexpected argument '%s'", argv[1]);
		return 1;
	}
	if (sfcctl_open_state(&st, SFC_LOCK_SHARED))
		return 1;
	res = argc ? sfc_cfg_find(&st.cfg, k, argv[0]) : NULL;
	if (argc && !res) {
		sfc_error("no %s named %s", sfc_kind_info(k)->label, argv[0]);
		sfc_state_end(&st);
		return 1;
	}
	if (res) {
		print_resource(o, &st.cfg, res);
	} else {
		sfc_print_open_array(NULL);
		for (i = 0; i < sfc_cfg_count(&st.cfg, k); i++)
			print_resource(o, &st.cfg, sfc_cfg_at(&st.cfg, k, i));
		sfc_print_close_array();
	}
	sfc_state_end(&st);
	return 0;
}

/* ---- dispatch ---- */

enum verb { VERB_ADD, VERB_SET, VERB_DEL, VERB_SHOW, VERB_LIST, VERB_HELP };

/* Abbreviations resolve in this order: "s" is show, "d" delete. */
static const struct {
	const char *word;
	enum verb verb;
} verbs[] = {
	{ "add", VERB_ADD }, { "create", VERB_ADD }, { "delete", VERB_DEL },
	{ "del", VERB_DEL }, { "show", VERB_SHOW }, { "list", VERB_LIST },
	{ "set", VERB_SET }, { "help", VERB_HELP },
};

static int find_verb(const char *arg)
{
	size_t i;

	if (is_help(arg))
		return VERB_HELP;
	for (i = 0; i < sizeof(verbs) / sizeof(verbs[0]); i++)
		if (matches(arg, verbs[i].word))
			return (int)verbs[i].verb;
	return -1;
}

static int change(enum verb verb, enum sfc_kind k, int argc, char **argv)
{
	static const sfcctl_change_fn fns[] = {
		[VERB_ADD] = change_add, [VERB_SET] = change_set,
		[VERB_DEL] = change_del,
	};
	struct verb_args v = { k, argc - 1, argv + 1, argv[0] };

	if (!argc) {
		sfc_error("%s: missing NAME", sfc_kind_info(k)->word);
		return 1;
	}
	return sfcctl_change(fns[verb], &v);
}

int sfcctl_resource(const struct sfcctl_object *obj, int argc, char **argv)
{
	int verb = argc ? find_verb(argv[0]) : VERB_LIST;

	/* "help" in place of a NAME or a keyword is a request for help. */
	if (verb == VERB_HELP || (argc > 1 && is_help(argv[1]))) {
		resource_usage(obj);
		return 0;
	}
	switch (verb) {
	case VERB_ADD:
	case VERB_SET:
	case VERB_DEL:
		return change(verb, obj->kind, argc - 1, argv + 1);
	case VERB_LIST:
		if (argc > 1) {
			sfc_error("list: unexpected argument '%s'", argv[1]);
			return 1;
		}
		return show(obj, 0, NULL);
	case VERB_SHOW:
		return show(obj, argc - 1, argv + 1);
	default:
		sfc_error("%s: unknown command '%s', try 'sfcctl %s help'",
			  sfc_kind_info(obj->kind)->word, argv[0],
			  sfc_kind_info(obj->kind)->word);
		return 1;
	}
}

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The schema of the configuration model (config.h): its five resource
 * kinds and, per kind, one table of attributes giving each field's
 * command-line keyword, JSON key, type and place in the struct.
 *
 * That one table drives the command-line parser and its help text, the
 * text printer, the JSON reader and writer, the reference graph (which
 * resource names which) and the per-field part of validation, so a field
 * is declared once and behaves the same everywhere.
 */
#ifndef SFC_CONFIG_SCHEMA_H
#define SFC_CONFIG_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"

enum sfc_kind {
	SFC_KIND_PORT,
	SFC_KIND_PAIR,
	SFC_KIND_PPG,
	SFC_KIND_FC,
	SFC_KIND_CHAIN,
	SFC_KIND_TUNNEL,
	SFC_KIND_GRAPH,
	SFC_KIND__MAX,
};

enum sfc_attr_type {
	SFC_ATTR_REF,		/* char[SFC_NAME_MAX]: a resource's name, "" none */
	SFC_ATTR_REFS,		/* char[max][SFC_NAME_MAX]; int count at aux */
	SFC_ATTR_DEV,		/* char[IF_NAMESIZE] */
	SFC_ATTR_MAC,		/* uint8_t[6]; bool "has" at aux */
	SFC_ATTR_U32,		/* uint32_t within [min, max] */
	SFC_ATTR_ENUM,		/* int-sized, by name (names) */
	SFC_ATTR_PROTO,		/* int, -1 any: a name (names) or 0..255 */
	SFC_ATTR_PREFIX,	/* struct sfc_prefix; bool "has" at aux */
	SFC_ATTR_RANGE,		/* uint16_t lo, hi at aux: "N" or "N-M" */
	SFC_ATTR_RANGE_MIN,	/* the same two fields, one end each (JSON) */
	SFC_ATTR_RANGE_MAX,
	SFC_ATTR_BOOL,		/* bool: on|off on the command line */
	SFC_ATTR_IPV4,		/* uint8_t[4], network order: a unicast address */
	SFC_ATTR_LB_FIELDS,	/* uint32_t SFC_LB_*: "ip_src&ip_dst" (config.h) */
	SFC_ATTR_EDGES,		/* graph edges: char[2 * max][SFC_NAME_MAX],
				 * int count at aux; a value is "SRC:DST",
				 * parse also takes "SRC:DST1,DST2" */
};

#define SFC_ATTR_REQUIRED	(1u << 0)	/* "add" needs it */
#define SFC_ATTR_READONLY	(1u << 1)	/* printed, not set by keyword */
/* Left out (unset) when the value is def: ids, "any", a group's defaults. */
#define SFC_ATTR_OMIT_DEFAULT	(1u << 2)
#define SFC_ATTR_NEGATED	(1u << 3)	/* BOOL: the field holds !value */

/* A symbolic value; arrays of them end with { NULL, 0 }. */
struct sfc_enum_name {
	const char *name;
	int val;
};

struct sfc_attr {
	const char *word;	/* command-line keyword; NULL: JSON only */
	const char *key;	/* JSON key; NULL: command line only */
	const char *group;	/* JSON sub-object holding key, or NULL;
				 * "a.b": object b inside object a */
	enum sfc_attr_type type;
	unsigned int flags;	/* SFC_ATTR_* */
	size_t off;		/* the value, in the resource struct */
	size_t aux;		/* a second field, see the type */
	uint32_t min, max;	/* U32 bounds; REFS capacity */
	/*
	 * With SFC_ATTR_OMIT_DEFAULT, the field's default (what the kind's
	 * init sets; 0 unless given): U32, ENUM, BOOL (the field, not the
	 * value) and IPV4 (host order) are compared with it.
	 */
	uint32_t def;
	const struct sfc_enum_name *names;	/* ENUM, PROTO */
	const char *meta;	/* in help, if not the type's: "MS" */
	enum sfc_kind ref;	/* REF, REFS: the kind named */
};

/* No kind has more attributes: a bitmask of them fits a uint32_t. */
#define SFC_MAX_ATTRS	32

struct sfc_kind_info {
	const char *word;	/* object word: "port-pair" */
	const char *label;	/* in messages: "port pair" */
	const char *plural;	/* "port pairs" */
	const char *key;	/* top-level JSON array: "port_pairs" */
	const char *metavar;	/* a reference in help texts: "PAIR" */
	size_t size;		/* of the resource struct */
	void (*init)(void *res);	/* defaults, or NULL: all zero */
	const struct sfc_attr *attrs;
	size_t nr_attrs;
};

const struct sfc_kind_info *sfc_kind_info(enum sfc_kind k);
/* The attribute with JSON key (in group, NULL for top level), or NULL. */
const struct sfc_attr *sfc_attr_by_key(enum sfc_kind k, const char *group,
				       const char *key);

/* Every resource struct begins with its name. */
static inline const char *sfc_res_name(const void *res)
{
	return (const char *)res;
}

/* Resources of any kind, by position or name. */
size_t sfc_cfg_count(const struct sfc_config *c, enum sfc_kind k);
void *sfc_cfg_at(const struct sfc_config *c, enum sfc_kind k, size_t i);
void *sfc_cfg_find(const struct sfc_config *c, enum sfc_kind k,
		   const char *name);
/* Index of the named resource, or -1. */
long sfc_cfg_index(const struct sfc_config *c, enum sfc_kind k,
		   const char *name);
/*
 * Appends a resource with the kind's defaults. NULL with a message in err
 * on a bad name or no memory. Moves the other resources of that kind.
 */
void *sfc_cfg_add(struct sfc_config *c, enum sfc_kind k, const char *name,
		  char *err, size_t errlen);
void sfc_cfg_remove(struct sfc_config *c, enum sfc_kind k, size_t i);

/*
 * Gives each resource of c without an id (or chain_id) the one its
 * namesake in old has, unless another resource of c holds it: a file
 * applied without ids keeps the counters of what it does not change.
 */
void sfc_config_inherit_ids(struct sfc_config *c,
			    const struct sfc_config *old);

/* One name a resource gives in a REF or REFS attribute. */
struct sfc_ref {
	enum sfc_kind from_kind;
	const void *from;
	const struct sfc_attr *attr;	/* attr->ref is the kind named */
	const char *to;
};

/* Calls fn for every reference in c until fn returns non-zero. */
int sfc_cfg_for_each_ref(const struct sfc_config *c,
			 int (*fn)(const struct sfc_ref *r, void *ctx),
			 void *ctx);
/* The first reference to kind k's resource name: true and *out, or false. */
bool sfc_cfg_find_user(const struct sfc_config *c, enum sfc_kind k,
		       const char *name, struct sfc_ref *out);

/*
 * Attribute values in their text form (the command line, JSON strings).
 * parse sets the attribute from val (REFS: appends one name) and never
 * touches res on failure; the message says what was wrong with the value,
 * the caller says where. format writes value number i (0 unless REFS).
 */
#define SFC_VALUE_MAX	96
int sfc_attr_parse(const struct sfc_attr *a, void *res, const char *val,
		   char *err, size_t errlen);
int sfc_attr_format(const struct sfc_attr *a, const void *res, size_t i,
		    char *buf, size_t len);
/* How many values the attribute holds: 0 when unset, a REFS' length. */
size_t sfc_attr_count(const struct sfc_attr *a, const void *res);
/* Empties a REFS list (a list given again replaces the old one). */
void sfc_attr_clear(const struct sfc_attr *a, void *res);
/* Whether the attribute holds a list (REFS, EDGES): given many times. */
static inline bool sfc_attr_is_list(const struct sfc_attr *a)
{
	return a->type == SFC_ATTR_REFS || a->type == SFC_ATTR_EDGES;
}
/* Whether the value is one parse would accept (see sfc_config_validate). */
int sfc_attr_check(const struct sfc_attr *a, const void *res,
		   char *err, size_t errlen);
/* The command-line form of what the attribute takes: "PORT", "{ on | off }". */
void sfc_attr_metavar(const struct sfc_attr *a, char *buf, size_t len);

/* Formats a one-line message into err; returns -EINVAL. */
int sfc_errf(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A resource name into dst, or -EINVAL with a message (bad, too long). */
int sfc_copy_name(char *dst, const char *src, char *err, size_t errlen);

const char *sfc_enum_name(const struct sfc_enum_name *names, int val);
extern const struct sfc_enum_name sfc_correlation_names[];

#endif /* SFC_CONFIG_SCHEMA_H */

// SPDX-License-Identifier: GPL-2.0
/*
 * The classifier's tuple space: building it from compiled rules and
 * writing it into one slot of the maps (tss.h; the idea is tuple space
 * search, Srinivasan et al., as Open vSwitch's classifier uses it).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/bpf.h>

#include "tss.h"

static int tss_fail(char *err, size_t errlen, int ret, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int tss_fail(char *err, size_t errlen, int ret, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return ret;
}

int sfc_port_blocks(__u16 lo, __u16 hi, struct sfc_port_block *out)
{
	unsigned int cur = lo, end = hi;
	int n = 0;

	if (lo == 0 && hi == 0xffff) {
		out[0].value = 0;
		out[0].mask = 0;
		return 1;
	}
	/* Greedy: the largest aligned block that starts at cur and fits. */
	while (cur <= end) {
		unsigned int size = 1;

		while (size < 0x10000 && !(cur & (2 * size - 1)) &&
		       cur + 2 * size - 1 <= end)
			size *= 2;
		out[n].value = (__u16)cur;
		out[n].mask = (__u16)~(size - 1);
		n++;
		cur += size;
	}
	return n;
}

/* A tuple's identity: everything its mask is made of. */
struct shape {
	__be32 src_mask[4];
	__be32 dst_mask[4];
	__u16 sport_mask;
	__u16 dport_mask;
	__u8 family;
	__u8 proto_mask;
	__u8 dst_port;		/* logical destination port exact */
	__u8 pad;
};

#define SHAPE_HASH_SIZE	1024	/* open addressing, > 2 * SFC_MAX_TUPLES */

struct shapes {
	struct shape s[SFC_MAX_TUPLES];
	__u32 best[SFC_MAX_TUPLES];
	__u8 flags[SFC_MAX_TUPLES];
	int n;
	short slot[SHAPE_HASH_SIZE];	/* index + 1, 0: empty */
};

static unsigned int shape_hash(const struct shape *s)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned int h = 2166136261u;
	size_t i;

	for (i = 0; i < sizeof(*s); i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

/* The index of shape s, added if new; -1 when SFC_MAX_TUPLES are used. */
static int shape_index(struct shapes *sh, const struct shape *s)
{
	unsigned int h = shape_hash(s) % SHAPE_HASH_SIZE;

	while (sh->slot[h]) {
		int i = sh->slot[h] - 1;

		if (!memcmp(&sh->s[i], s, sizeof(*s)))
			return i;
		h = (h + 1) % SHAPE_HASH_SIZE;
	}
	if (sh->n == SFC_MAX_TUPLES)
		return -1;
	sh->s[sh->n] = *s;
	sh->best[sh->n] = 0xffffffff;
	sh->slot[h] = (short)(sh->n + 1);
	return sh->n++;
}

static __u8 list_flag(__u32 list)
{
	if (!list)
		return SFC_TUPLE_F_ANY_PORT;
	return list < SFC_MAX_PORTS ? SFC_TUPLE_F_PORT : SFC_TUPLE_F_BRANCH;
}

static void rule_shape(const struct sfc_rule *r, __u16 smask, __u16 dmask,
		       struct shape *s)
{
	memset(s, 0, sizeof(*s));
	memcpy(s->src_mask, r->src_mask, sizeof(s->src_mask));
	memcpy(s->dst_mask, r->dst_mask, sizeof(s->dst_mask));
	s->sport_mask = smask;
	s->dport_mask = dmask;
	s->family = r->family;
	s->proto_mask = r->proto ? 0xff : 0;
	s->dst_port = r->dst_port_id != 0;
}

/* One (list, block) of a rule before keys are shared between lists. */
struct raw_entry {
	struct sfc_class_rule_key key;
	__u16 list;
	__u16 chain;
	__u32 rank;
};

/* Every rule's entries, before keys shared by lists are grouped. */
struct raw_entries {
	struct raw_entry *v;
	size_t n;
};

static void rule_key(const struct sfc_listed_rule *lr, __u32 slot, int tuple,
		     const struct sfc_port_block *sb,
		     const struct sfc_port_block *db, struct raw_entry *e)
{
	const struct sfc_rule *r = &lr->r;
	int w;

	memset(e, 0, sizeof(*e));
	e->key.slot = (__u8)slot;
	e->key.proto = r->proto;
	e->key.tuple = (__u16)tuple;
	e->key.dst_port_id = r->dst_port_id;
	e->key.sport = sb->value;
	e->key.dport = db->value;
	for (w = 0; w < 4; w++) {
		e->key.src[w] = r->src[w] & r->src_mask[w];
		e->key.dst[w] = r->dst[w] & r->dst_mask[w];
	}
	e->list = (__u16)lr->list;
	e->rank = r->rank;
	e->chain = r->chain;
}

/* How many entries the rules expand to: counted before anything is built. */
static size_t count_entries(const struct sfc_listed_rule *rules, size_t n)
{
	struct sfc_port_block b[SFC_PORT_BLOCKS_MAX];
	size_t i, total = 0;

	for (i = 0; i < n; i++) {
		const struct sfc_rule *r = &rules[i].r;

		total += (size_t)sfc_port_blocks(r->sport_lo, r->sport_hi, b) *
			 (size_t)sfc_port_blocks(r->dport_lo, r->dport_hi, b);
	}
	return total;
}

static int by_key_list_rank(const void *a, const void *b)
{
	const struct raw_entry *x = a, *y = b;
	int c = memcmp(&x->key, &y->key, sizeof(x->key));

	if (c)
		return c;
	if (x->list != y->list)
		return x->list < y->list ? -1 : 1;
	return x->rank < y->rank ? -1 : x->rank > y->rank;
}

/*
 * One sfc_class_rules entry per key: list 0's best and the best of the
 * lowest-numbered other list; the other lists' bests of a shared key go
 * to sfc_class_more. Sorted by key, list, rank, the first entry of each
 * (key, list) run is its best: rules of one list with the same key never
 * need more than the best.
 */
static int group_keys(struct raw_entries *raw, struct sfc_tss *t)
{
	size_t i;

	qsort(raw->v, raw->n, sizeof(*raw->v), by_key_list_rank);
	t->e = calloc(raw->n + 1, sizeof(*t->e));
	t->m = calloc(raw->n + 1, sizeof(*t->m));
	if (!t->e || !t->m)
		return -ENOMEM;
	for (i = 0; i < raw->n; i++) {
		const struct raw_entry *r = &raw->v[i];
		struct sfc_tss_entry *e;

		if (i && !memcmp(&r->key, &raw->v[i - 1].key, sizeof(r->key)) &&
		    r->list == raw->v[i - 1].list)
			continue;	/* a worse rule of the same list and key */
		if (!t->n || memcmp(&t->e[t->n - 1].key, &r->key, sizeof(r->key))) {
			e = &t->e[t->n++];
			e->key = r->key;
			e->val.any_rank = SFC_CLASS_NO_RANK;
			e->val.rank = SFC_CLASS_NO_RANK;
		}
		e = &t->e[t->n - 1];
		if (!r->list) {
			e->val.any_rank = r->rank;
			e->val.any_chain = r->chain;
		} else if (!e->val.list) {
			e->val.list = r->list;
			e->val.rank = r->rank;
			e->val.chain = r->chain;
		} else {
			struct sfc_tss_more *m = &t->m[t->nm++];

			e->val.flags |= SFC_CLASS_F_MORE;
			m->key.k = r->key;
			m->key.list = r->list;
			m->val.rank = r->rank;
			m->val.chain = r->chain;
		}
	}
	return 0;
}

static const struct shapes *sort_shapes;

static int by_best_rank(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	if (sort_shapes->best[x] != sort_shapes->best[y])
		return sort_shapes->best[x] < sort_shapes->best[y] ? -1 : 1;
	return x - y;
}

/*
 * The table in walk order (best rank first, so the data plane stops at
 * the first tuple that cannot win) and the entries renumbered to match.
 */
static void order_tuples(struct shapes *sh, struct sfc_tss *t,
			 struct raw_entries *raw)
{
	int order[SFC_MAX_TUPLES], pos[SFC_MAX_TUPLES], i;
	size_t j;

	for (i = 0; i < sh->n; i++)
		order[i] = i;
	sort_shapes = sh;
	qsort(order, (size_t)sh->n, sizeof(order[0]), by_best_rank);
	memset(&t->table, 0, sizeof(t->table));
	t->table.count = (__u32)sh->n;
	for (i = 0; i < sh->n; i++) {
		const struct shape *s = &sh->s[order[i]];
		struct sfc_tuple *tu = &t->table.t[i];

		pos[order[i]] = i;
		memcpy(tu->src_mask, s->src_mask, sizeof(tu->src_mask));
		memcpy(tu->dst_mask, s->dst_mask, sizeof(tu->dst_mask));
		tu->best_rank = sh->best[order[i]];
		tu->sport_mask = s->sport_mask;
		tu->dport_mask = s->dport_mask;
		tu->family = s->family;
		tu->proto_mask = s->proto_mask;
		tu->flags = sh->flags[order[i]];
		if (s->sport_mask || s->dport_mask)
			tu->flags |= SFC_TUPLE_F_L4;
		if (s->dst_port)
			tu->flags |= SFC_TUPLE_F_DST_PORT;
	}
	for (j = 0; j < raw->n; j++)
		raw->v[j].key.tuple = (__u16)pos[raw->v[j].key.tuple];
}

/* Every entry of one rule: the product of its port blocks. */
static int expand_rule(const struct sfc_listed_rule *lr, __u32 slot,
		       struct shapes *sh, struct raw_entries *raw)
{
	struct sfc_port_block sb[SFC_PORT_BLOCKS_MAX], db[SFC_PORT_BLOCKS_MAX];
	const struct sfc_rule *r = &lr->r;
	int ns, nd, i, j, idx;
	struct shape s;

	ns = sfc_port_blocks(r->sport_lo, r->sport_hi, sb);
	nd = sfc_port_blocks(r->dport_lo, r->dport_hi, db);
	for (i = 0; i < ns; i++) {
		for (j = 0; j < nd; j++) {
			rule_shape(r, sb[i].mask, db[j].mask, &s);
			idx = shape_index(sh, &s);
			if (idx < 0)
				return -E2BIG;
			if (r->rank < sh->best[idx])
				sh->best[idx] = r->rank;
			sh->flags[idx] |= list_flag(lr->list);
			rule_key(lr, slot, idx, &sb[i], &db[j], &raw->v[raw->n++]);
		}
	}
	return 0;
}

int sfc_tss_build(const struct sfc_listed_rule *rules, size_t n, __u32 slot,
		  struct sfc_tss *t, char *err, size_t errlen)
{
	size_t total = count_entries(rules, n), i;
	struct raw_entries raw = { 0 };
	struct shapes *sh;
	int ret = 0;

	memset(t, 0, sizeof(*t));
	if (total > SFC_MAX_CLASS_ENTRIES)
		return tss_fail(err, errlen, -E2BIG,
				"%zu classifier rules expand to %zu entries (port ranges as prefix blocks): the data plane holds %u",
				n, total, SFC_MAX_CLASS_ENTRIES);
	sh = calloc(1, sizeof(*sh));
	raw.v = calloc(total + 1, sizeof(*raw.v));
	if (!sh || !raw.v) {
		free(sh);
		free(raw.v);
		return tss_fail(err, errlen, -ENOMEM, "out of memory");
	}
	for (i = 0; i < n && !ret; i++) {
		ret = expand_rule(&rules[i], slot, sh, &raw);
		t->uses_dst_ports |= rules[i].r.dst_port_id != 0;
	}
	if (ret) {
		tss_fail(err, errlen, ret,
			 "classifier rules need more than %d distinct shapes (family, protocol, prefix lengths, port blocks, destination port)",
			 SFC_MAX_TUPLES);
	} else {
		order_tuples(sh, t, &raw);
		ret = group_keys(&raw, t);
		if (ret)
			tss_fail(err, errlen, ret, "out of memory");
		else if (t->nm > SFC_MAX_CLASS_MORE)
			ret = tss_fail(err, errlen, -E2BIG,
				       "%zu classifier entries share their fields with another port's: the data plane holds %u",
				       t->nm, SFC_MAX_CLASS_MORE);
	}
	free(raw.v);
	free(sh);
	return ret;
}

void sfc_tss_free(struct sfc_tss *t)
{
	free(t->e);
	free(t->m);
	t->e = NULL;
	t->m = NULL;
	t->n = t->nm = 0;
}

#define TSS_BATCH	4096
/* write_batches() finds keys and values by these layouts. */
_Static_assert(sizeof(struct sfc_tss_entry) == sizeof(struct sfc_class_rule_key) +
	       sizeof(struct sfc_class_rule_val), "sfc_tss_entry unpadded");
_Static_assert(sizeof(struct sfc_tss_more) == sizeof(struct sfc_class_more_key) +
	       sizeof(struct sfc_class_more_val), "sfc_tss_more unpadded");
#define TSS_KEY_MAX	sizeof(struct sfc_class_more_key)
#define TSS_VAL_MAX	sizeof(struct sfc_class_rule_val)

/*
 * Deletes the entries of slot (the first byte of both maps' keys), one
 * batch of buckets at a time: the batch token is a bucket index, so
 * deleting what a batch returned never disturbs the buckets to come.
 */
static int delete_slot(int fd, size_t ksize, __u32 slot)
{
	static unsigned char keys[TSS_BATCH * TSS_KEY_MAX];
	static unsigned char stale[TSS_BATCH * TSS_KEY_MAX];
	static unsigned char vals[TSS_BATCH * TSS_VAL_MAX];
	__u64 in_tok = 0, out_tok = 0;
	bool first = true, done = false;
	LIBBPF_OPTS(bpf_map_batch_opts, opts);

	while (!done) {
		__u32 count = TSS_BATCH, nstale = 0, i;
		int ret = bpf_map_lookup_batch(fd, first ? NULL : &in_tok, &out_tok,
					       keys, vals, &count, &opts);

		if (ret && errno != ENOENT)
			return -errno;
		done = ret != 0;	/* ENOENT: that was the last batch */
		first = false;
		in_tok = out_tok;
		for (i = 0; i < count; i++)
			if (keys[i * ksize] == slot)
				memcpy(stale + ksize * nstale++, keys + i * ksize, ksize);
		if (nstale && bpf_map_delete_batch(fd, stale, &nstale, &opts))
			return -errno;
	}
	return 0;
}

/* n entries of size esize (key, then value of vsize) at e, in batches. */
static int write_batches(int fd, const void *e, size_t n, size_t esize,
			 size_t ksize, size_t vsize)
{
	static unsigned char keys[TSS_BATCH * TSS_KEY_MAX];
	static unsigned char vals[TSS_BATCH * TSS_VAL_MAX];
	LIBBPF_OPTS(bpf_map_batch_opts, opts);
	const unsigned char *p = e;
	size_t done = 0;

	while (done < n) {
		__u32 count = 0;

		while (count < TSS_BATCH && done + count < n) {
			const unsigned char *x = p + (done + count) * esize;

			memcpy(keys + count * ksize, x, ksize);
			memcpy(vals + count * vsize, x + esize - vsize, vsize);
			count++;
		}
		if (bpf_map_update_batch(fd, keys, vals, &count, &opts))
			return -errno;
		done += count;
	}
	return 0;
}

int sfc_tss_write(const struct sfc_tss_maps *maps, const struct sfc_tss *t,
		  __u32 slot, char *err, size_t errlen)
{
	int ret = delete_slot(maps->rules_fd, sizeof(t->e->key), slot);

	if (!ret)
		ret = delete_slot(maps->more_fd, sizeof(t->m->key), slot);
	if (ret)
		return tss_fail(err, errlen, ret, "clearing classifier slot %u: %s",
				slot, strerror(-ret));
	ret = write_batches(maps->rules_fd, t->e, t->n, sizeof(*t->e),
			    sizeof(t->e->key), sizeof(t->e->val));
	if (!ret)
		ret = write_batches(maps->more_fd, t->m, t->nm, sizeof(*t->m),
				    sizeof(t->m->key), sizeof(t->m->val));
	if (ret)
		return tss_fail(err, errlen, ret, "writing classifier entries: %s",
				strerror(-ret));
	if (bpf_map_update_elem(maps->tuples_fd, &slot, &t->table, BPF_ANY))
		return tss_fail(err, errlen, -errno, "writing classifier tuples: %s",
				strerror(errno));
	return 0;
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The configuration as a whole:
 *
 *   sfcctl apply -f { FILE | - }   replace it, in one transaction
 *   sfcctl export                  print it, in the format apply reads
 *   sfcctl restore                 rebuild the data plane from it
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compile.h"
#include "config_json.h"
#include "print.h"
#include "resource.h"
#include "sfcctl.h"
#include "txn.h"

static void config_usage(void)
{
	printf("Usage: sfcctl apply -f { FILE | - }\n"
	       "       sfcctl export\n"
	       "       sfcctl restore\n"
	       "apply replaces the whole configuration with FILE (- reads standard\n"
	       "input) in one transaction: all of it takes effect, or nothing does.\n"
	       "Ids missing from FILE are kept from the resources of the same name.\n"
	       "export prints the saved configuration in that format (the same bytes\n"
	       "for the same configuration). restore rebuilds the whole data plane\n"
	       "from it, e.g. after a reboot.\n");
}

/* 0: go on; 1: help printed; -1: an unexpected argument (reported). */
static int want_no_args(const char *cmd, int argc, char **argv)
{
	if (argc && is_help(argv[0])) {
		config_usage();
		return 1;
	}
	if (argc) {
		sfc_error("%s: unexpected argument '%s'", cmd, argv[0]);
		return -1;
	}
	return 0;
}

static int read_source(const char *path, char **text, size_t *len)
{
	int fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : 0;
	int err;

	if (fd < 0)
		return -errno;
	err = sfc_read_all(fd, text, len);
	if (fd)
		close(fd);
	return err;
}

/* The saved configuration's ids go to the namesakes the file left without. */
static int replace_config(struct sfc_config *cfg, void *ctx, char *err,
			  size_t errlen)
{
	struct sfc_config *next = ctx;

	(void)err;
	(void)errlen;
	sfc_config_inherit_ids(next, cfg);
	next->generation = cfg->generation;
	sfc_config_free(cfg);
	*cfg = *next;
	sfc_config_init(next);	/* cfg owns its resources now */
	return 0;
}

static int parse_apply_args(int argc, char **argv, const char **file)
{
	*file = NULL;
	for (; argc > 0; argc -= 2, argv += 2) {
		if (is_help(argv[0])) {
			config_usage();
			return 1;
		}
		if (strcmp(argv[0], "-f") && !matches(argv[0], "file")) {
			sfc_error("apply: unknown argument '%s'", argv[0]);
			return -1;
		}
		if (argc < 2) {
			sfc_error("apply: %s: missing value", argv[0]);
			return -1;
		}
		*file = argv[1];
	}
	if (!*file) {
		sfc_error("apply: missing '-f FILE'");
		return -1;
	}
	return 0;
}

int do_apply(int argc, char **argv)
{
	struct sfc_config next;
	const char *file;
	char err[512], *text;
	size_t len;
	int ret = parse_apply_args(argc, argv, &file);

	if (ret)
		return ret < 0;
	ret = read_source(file, &text, &len);
	if (ret) {
		sfc_error("%s: %s", file, strerror(-ret));
		return 1;
	}
	ret = sfc_config_from_text(text, len, &next, err, sizeof(err));
	free(text);
	if (ret) {
		sfc_error("%s: %s", file, err);
		return 1;
	}
	ret = sfcctl_change(replace_config, &next);
	sfc_config_free(&next);
	return ret;
}

int do_export(int argc, char **argv)
{
	struct sfc_state st;
	char *text;
	int ret = want_no_args("export", argc, argv);

	if (ret)
		return ret < 0;
	if (sfcctl_open_state(&st, SFC_LOCK_SHARED))
		return 1;
	text = sfc_config_to_text(&st.cfg);
	sfc_state_end(&st);
	if (!text) {
		sfc_error("out of memory");
		return 1;
	}
	fputs(text, stdout);	/* a file format, whatever -j says */
	free(text);
	return 0;
}

/*
 * Under the exclusive lock: no change may commit while every map is
 * rebuilt. The new generation is saved so the file keeps naming the live
 * one.
 */
int do_restore(int argc, char **argv)
{
	char err[512];
	int ret = want_no_args("restore", argc, argv);

	if (ret)
		return ret < 0;
	/* The active part only: references to pods not there yet stay pending. */
	ret = sfc_txn_restore(sfcctl_opts.state, sfcctl_opts.pin_root, err,
			      sizeof(err));
	if (ret)
		sfc_error("restore: %s", err);
	return ret ? 1 : 0;
}

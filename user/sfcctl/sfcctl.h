/* SPDX-License-Identifier: GPL-2.0 */
#ifndef SFCCTL_H
#define SFCCTL_H

#include <stdbool.h>

/* Global options, parsed before the object word (iproute2 style). */
struct sfcctl_opts {
	bool json;		/* -j */
	bool pretty;		/* -p */
	bool debug;		/* -d: libbpf's messages too */
	const char *pin_root;	/* --bpffs DIR, default SFC_DEFAULT_PIN_ROOT */
	const char *state;	/* --state FILE, else $SFC_STATE, else default */
};
extern struct sfcctl_opts sfcctl_opts;

/*
 * One object word of the command line ("sfcctl OBJECT ..."). do_* get the
 * arguments after the object word and return a process exit code.
 */
struct sfcctl_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

int do_version(int argc, char **argv);
int do_status(int argc, char **argv);
/* The Geneve mode of the loaded data plane (cmd_status.c). */
const char *geneve_mode_in_use(void);
int do_attach(int argc, char **argv);
int do_detach(int argc, char **argv);
int do_module(int argc, char **argv);
int do_port(int argc, char **argv);
int do_port_pair(int argc, char **argv);
int do_port_pair_group(int argc, char **argv);
int do_flow_classifier(int argc, char **argv);
int do_port_chain(int argc, char **argv);
int do_tunnel(int argc, char **argv);
int do_service_graph(int argc, char **argv);
int do_apply(int argc, char **argv);
int do_export(int argc, char **argv);
int do_restore(int argc, char **argv);
int do_stats(int argc, char **argv);
int do_graph(int argc, char **argv);
int do_trace(int argc, char **argv);
int do_health(int argc, char **argv);

/* Helpers shared by the command files. */
bool matches(const char *arg, const char *word);	/* arg is a prefix of word */
bool is_help(const char *arg);

#endif /* SFCCTL_H */

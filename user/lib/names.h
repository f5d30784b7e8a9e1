/* SPDX-License-Identifier: GPL-2.0 */
/* Printable names of the data plane's enums, from the uapi X-macros. */
#ifndef SFC_NAMES_H
#define SFC_NAMES_H

/* "malformed-l3", ...; NULL for SFC_DROP_NONE or out of range. */
const char *sfc_drop_name(unsigned int reason);
/* The reason with that name, or 0 (SFC_DROP_NONE) when none has it. */
unsigned int sfc_drop_by_name(const char *name);

#endif /* SFC_NAMES_H */

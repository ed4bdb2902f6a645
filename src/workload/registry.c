/*
 * registry.c - the tables of trace formats, generators and writers.
 *
 * Adding a format: write src/workload/NAME.c exporting a const struct
 * workload_ops (and, if it can be written, a const struct wl_writer_ops),
 * add it to the tables below, add tests.  Adding a generator: gen_NAME.c,
 * one line below, tests.  The order of the tables is the order of
 * `vmlab list` and the tie-break of format detection (earlier wins).
 */
#include "vmlab/workload.h"

#include "vmlab/base.h"
#include "workload/writer.h"

#include <strings.h>

extern const struct workload_ops wl_format_vmt;
extern const struct workload_ops wl_format_vmsim;
extern const struct workload_ops wl_format_lackey;
extern const struct workload_ops wl_format_din;
extern const struct workload_ops wl_format_pages;
extern const struct workload_ops wl_format_oracle_general;
extern const struct workload_ops wl_format_script;
extern const struct workload_ops wl_gen_uniform;
extern const struct workload_ops wl_gen_hotcold;
extern const struct workload_ops wl_gen_hotscan;
extern const struct workload_ops wl_gen_loop;
extern const struct workload_ops wl_gen_zipf;
extern const struct workload_ops wl_gen_phase;

extern const struct wl_writer_ops wl_writer_vmt;
extern const struct wl_writer_ops wl_writer_vmsim;
extern const struct wl_writer_ops wl_writer_lackey;
extern const struct wl_writer_ops wl_writer_din;
extern const struct wl_writer_ops wl_writer_pages;
extern const struct wl_writer_ops wl_writer_oracle_general;

static const struct workload_ops *const registry[] = {
	&wl_format_vmt,
	&wl_format_vmsim,
	&wl_format_lackey,
	&wl_format_din,
	&wl_format_pages,
	&wl_format_oracle_general,
	&wl_format_script,
	&wl_gen_uniform,
	&wl_gen_hotcold,
	&wl_gen_hotscan,
	&wl_gen_loop,
	&wl_gen_zipf,
	&wl_gen_phase,
};

static const struct wl_writer_ops *const writers[] = {
	&wl_writer_vmt,
	&wl_writer_vmsim,
	&wl_writer_lackey,
	&wl_writer_din,
	&wl_writer_pages,
	&wl_writer_oracle_general,
};

/* Other spellings users bring from the tools the formats come from. */
static const struct {
	const char *alias, *name;
} aliases[] = {
	{ "memsim", "vmsim" },
	{ "valgrind", "lackey" },
	{ "dinero", "din" },
	{ "ostep", "pages" },
	{ "oracleGeneral", "oracle-general" },
	{ "oracle_general", "oracle-general" },
};

const struct workload_ops *const *workload_registry(size_t *n)
{
	*n = ARRAY_LEN(registry);
	return registry;
}

const struct wl_writer_ops *const *wl_writer_registry(size_t *n)
{
	*n = ARRAY_LEN(writers);
	return writers;
}

const struct workload_ops *workload_find(const char *name, int generator)
{
	for (size_t i = 0; i < ARRAY_LEN(aliases); i++)
		if (!generator && strcasecmp(aliases[i].alias, name) == 0)
			name = aliases[i].name;
	for (size_t i = 0; i < ARRAY_LEN(registry); i++)
		if (registry[i]->is_generator == generator &&
		    strcasecmp(registry[i]->name, name) == 0)
			return registry[i];
	return NULL;
}

/*
 * test_ostep_registry.c - the table of OSTEP programs: every program is
 * found by its name and its Python file name, and `vmlab ostep --help`
 * (a static text) lists every one of them.
 */
#include "unit.h"

#include "cli/cli.h"
#include "vmlab/ostep.h"

extern const struct cli_command cmd_ostep;

TEST(ostep_registry_find)
{
	size_t n;
	const struct ostep_sim *const *reg = ostep_registry(&n);
	char name[64];

	CHECK(n >= 6);
	for (size_t i = 0; i < n; i++) {
		CHECK(ostep_find(reg[i]->name) == reg[i]);
		snprintf(name, sizeof(name), "%s.py", reg[i]->name);
		CHECK(ostep_find(name) == reg[i]);
	}
	CHECK(ostep_find("paging") == NULL);
	CHECK(ostep_find(".py") == NULL);
}

TEST(ostep_help_lists_every_program)
{
	size_t n;
	const struct ostep_sim *const *reg = ostep_registry(&n);
	char line[80];

	for (size_t i = 0; i < n; i++) {
		snprintf(line, sizeof(line), "\n  %s ", reg[i]->name);
		if (!strstr(cmd_ostep.help, line))
			unit_fail(__FILE__, __LINE__, "help does not list %s",
				  reg[i]->name);
	}
}

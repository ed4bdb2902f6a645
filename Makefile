# vmlab build.  `make` builds build/vmlab and the library (libvmlab.a and
# libvmlab.so); `make check` installs what the suite needs (make deps) and
# runs the whole suite (gcc), the clang build and a short fuzzing pass;
# `make check-sanitize` runs the suite again under AddressSanitizer +
# UndefinedBehaviorSanitizer (CI runs both); `make bench` measures speed.
# Sources are found by wildcard: adding a policy, format or test is adding
# a file.  Plain `make` never runs a package manager: `make deps` does.
#
#   make CC=clang                   build with clang instead of gcc
#   make BUILD=build-asan SAN=1     sanitizer build (what `make check` does)
#   make CC=clang BUILD=build-fuzz FUZZ=1 fuzz-targets
#                                   libFuzzer-instrumented library, and the
#                                   fuzz/fuzz_*.c targets linked against it
#   make CC=clang syntax-check      warnings of main.c and the unit tests,
#                                   without compiling them
#   make install [PREFIX=/usr/local] [DESTDIR=]   and make uninstall
#
# Layout of a build directory: src/.../*.o (the library's objects, -fPIC,
# which go into both libvmlab.a and libvmlab.so.VERSION), vmlab (main.c and
# the src/cli/ commands linked against libvmlab.a), unit-tests, man/*.1
# (generated from the built vmlab's own help by scripts/manpages.sh).

CC      ?= cc
BUILD   ?= build
SAN     ?= 0
FUZZ    ?= 0
OPT     ?= -O2

PREFIX     ?= /usr/local
DESTDIR    ?=
BINDIR     ?= $(PREFIX)/bin
LIBDIR     ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
MANDIR     ?= $(PREFIX)/share/man
DOCDIR     ?= $(PREFIX)/share/doc/vmlab

# include/vmlab/version.h is the one place the version is written.
VERSION := $(shell sed -n 's/^\#define VMLAB_VERSION "\(.*\)"/\1/p' include/vmlab/version.h)
MAJOR   := $(firstword $(subst ., ,$(VERSION)))
SONAME  := libvmlab.so.$(MAJOR)
SOFILE  := libvmlab.so.$(VERSION)

WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wno-unused-parameter
CFLAGS  ?= $(OPT) -g
# -fPIC so the same objects make the shared library; without semantic
# interposition the compiler may still inline and call the library's own
# functions directly, as in a static build.
ALL_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) -fPIC -fno-semantic-interposition \
              -Iinclude -Isrc -MMD -MP
LDLIBS  := -lzstd -lz -lm -lpthread

ifeq ($(SAN),1)
ALL_CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined -DVMLAB_DEBUG
LDFLAGS    += -fsanitize=address,undefined
# gcc links the sanitizer runtimes dynamically unless told (clang links
# them statically anyway): statically, each of the suite's hundreds of
# processes starts about 20 ms sooner here.
ifneq ($(findstring clang,$(shell $(CC) --version 2>/dev/null | head -1)),clang)
LDFLAGS    += -static-libasan -static-libubsan
endif
# The programs (not the shared library) linked at a fixed address: a
# position-independent one relocates the sanitizer's tables of globals
# at every start, a quarter of the page faults of a start here.
EXE_LDFLAGS += -no-pie
endif
ifeq ($(FUZZ),1)
ALL_CFLAGS += -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
LDFLAGS    += -fsanitize=address,undefined
endif

LIB_SRC  := $(sort $(filter-out src/cli/%,$(wildcard src/*/*.c)))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
CLI_SRC  := $(sort $(filter-out src/cli/main.c,$(wildcard src/cli/*.c)))
CLI_OBJ  := $(CLI_SRC:%.c=$(BUILD)/%.o)
UNIT_SRC := $(sort $(wildcard tests/unit/*.c))
UNIT_OBJ := $(UNIT_SRC:%.c=$(BUILD)/%.o)
FUZZ_SRC := $(sort $(wildcard fuzz/fuzz_*.c))
FUZZ_BIN := $(FUZZ_SRC:fuzz/%.c=$(BUILD)/fuzz/%)

VMLAB := $(BUILD)/vmlab
UNIT  := $(BUILD)/unit-tests
LIBS  := $(BUILD)/libvmlab.a $(BUILD)/$(SOFILE) $(BUILD)/$(SONAME) $(BUILD)/libvmlab.so

.PHONY: all check check-sanitize test bench fuzz fuzz-targets syntax-check clean deps man install uninstall

all: $(VMLAB) $(LIBS)

$(BUILD)/libvmlab.a: $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(BUILD)/$(SOFILE): $(LIB_OBJ)
	$(CC) -shared $(LDFLAGS) -Wl,-soname,$(SONAME) -o $@ $^ $(LDLIBS)

$(BUILD)/$(SONAME): $(BUILD)/$(SOFILE)
	ln -sf $(SOFILE) $@

$(BUILD)/libvmlab.so: $(BUILD)/$(SONAME)
	ln -sf $(SONAME) $@

$(VMLAB): $(BUILD)/src/cli/main.o $(CLI_OBJ) $(BUILD)/libvmlab.a
	$(CC) $(LDFLAGS) $(EXE_LDFLAGS) -o $@ $^ $(LDLIBS)

$(UNIT): $(UNIT_OBJ) $(CLI_OBJ) $(BUILD)/libvmlab.a
	$(CC) $(LDFLAGS) $(EXE_LDFLAGS) -o $@ $^ $(LDLIBS)

# A fresh machine may lack the -dev packages: say so once, and how to get
# them (make deps), rather than fail in the middle of the compile.
$(BUILD)/.have-headers:
	@mkdir -p $(BUILD)
	@printf '#include <zstd.h>\n#include <zlib.h>\n' | $(CC) -E -x c - >/dev/null 2>&1 || \
	{ echo "vmlab: the build needs the zstd and zlib development files" \
	       "(Debian: libzstd-dev zlib1g-dev); 'make deps' installs them" >&2; exit 1; }
	@touch $@

$(BUILD)/%.o: %.c | $(BUILD)/.have-headers
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# Fuzz targets (FUZZ=1 with clang): the library is compiled once, with
# coverage instrumentation, and every target links against it.
fuzz-targets: $(FUZZ_BIN)

# The sources no fuzz target links (main.c, the unit tests), compiled for
# their warnings only: make check's clang build holds them to -Werror
# without generating code nobody runs.
SYNTAX := $(UNIT_SRC:%.c=$(BUILD)/%.syntax) $(BUILD)/src/cli/main.syntax
syntax-check: $(SYNTAX)

$(BUILD)/%.syntax: %.c | $(BUILD)/.have-headers
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -fsyntax-only -MF $(@:.syntax=.sd) -MT $@ $<
	@touch $@

$(FUZZ_BIN): $(BUILD)/fuzz/%: $(BUILD)/fuzz/%.o $(CLI_OBJ) $(BUILD)/libvmlab.a
	$(CC) $(LDFLAGS) -fsanitize=fuzzer -o $@ $^ $(LDLIBS)

# Manual pages, generated from the built vmlab's --help and `help CMD`, so
# they say exactly what the program says (scripts/manpages.sh).
man: $(BUILD)/man/vmlab.1

$(BUILD)/man/vmlab.1: $(VMLAB) scripts/manpages.sh
	scripts/manpages.sh $(VMLAB) $(BUILD)/man $(VERSION)

# One pass of the suite against $(BUILD).
test: $(VMLAB) $(UNIT)
	tests/run.sh $(BUILD)

# The whole suite, as CI runs it (README: `make check`), and the suite
# again under the sanitizers (tests/check.sh says why they are apart).
check: deps
	tests/check.sh

check-sanitize: deps
	tests/check.sh sanitize

bench: $(VMLAB)
	bench/run.sh $(BUILD)

fuzz:
	fuzz/run.sh $(or $(FUZZ_SECONDS),10)

# Install the Debian packages the build and the suite need, when missing.
deps:
	scripts/deps.sh

install: all man
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR)/pkgconfig \
		$(DESTDIR)$(INCLUDEDIR)/vmlab $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(DOCDIR)/examples/api $(DESTDIR)$(DOCDIR)/examples/slurm
	install -m 755 $(VMLAB) $(DESTDIR)$(BINDIR)/vmlab
	install -m 644 $(BUILD)/libvmlab.a $(DESTDIR)$(LIBDIR)/libvmlab.a
	install -m 755 $(BUILD)/$(SOFILE) $(DESTDIR)$(LIBDIR)/$(SOFILE)
	ln -sf $(SOFILE) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libvmlab.so
	install -m 644 include/vmlab/*.h $(DESTDIR)$(INCLUDEDIR)/vmlab/
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' \
		-e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' -e 's|@VERSION@|$(VERSION)|' \
		scripts/vmlab.pc.in >$(DESTDIR)$(LIBDIR)/pkgconfig/vmlab.pc
	install -m 644 $(BUILD)/man/*.1 $(DESTDIR)$(MANDIR)/man1/
	install -m 644 README.md LICENSE $(DESTDIR)$(DOCDIR)/
	install -m 644 examples/*.vms $(DESTDIR)$(DOCDIR)/examples/
	install -m 644 examples/api/* $(DESTDIR)$(DOCDIR)/examples/api/
	install -m 644 examples/slurm/* $(DESTDIR)$(DOCDIR)/examples/slurm/

# Removes exactly what install put there (directories it created stay).
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/vmlab $(DESTDIR)$(LIBDIR)/libvmlab.a \
		$(DESTDIR)$(LIBDIR)/libvmlab.so $(DESTDIR)$(LIBDIR)/libvmlab.so.* \
		$(DESTDIR)$(LIBDIR)/pkgconfig/vmlab.pc \
		$(DESTDIR)$(MANDIR)/man1/vmlab.1 $(DESTDIR)$(MANDIR)/man1/vmlab-*.1
	rm -rf $(DESTDIR)$(INCLUDEDIR)/vmlab $(DESTDIR)$(DOCDIR)

clean:
	rm -rf build build-* bench/out

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(UNIT_OBJ:.o=.d) $(BUILD)/src/cli/main.d \
	$(FUZZ_BIN:=.d) $(SYNTAX:.syntax=.sd)

# vmlab build.  `make` builds build/vmlab; `make check` runs the whole test
# suite (normal build, then AddressSanitizer + UndefinedBehaviorSanitizer,
# then a short fuzzing pass); `make bench` measures speed.  Sources are found
# by wildcard: adding a policy, format or test is adding a file.
#
#   make CC=clang           build with clang instead of gcc
#   make BUILD=build-asan SAN=1   sanitizer build (what `make check` does)

CC      ?= cc
BUILD   ?= build
SAN     ?= 0
OPT     ?= -O2

WARN    := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
           -Wno-unused-parameter
CFLAGS  ?= $(OPT) -g
ALL_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARN) $(CFLAGS) -Iinclude -Isrc -MMD -MP
LDLIBS  := -lzstd -lz -lm -lpthread

ifeq ($(SAN),1)
ALL_CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined -DVMLAB_DEBUG
LDFLAGS    += -fsanitize=address,undefined
endif

LIB_SRC  := $(sort $(wildcard src/*/*.c))
LIB_SRC  := $(filter-out src/cli/main.c,$(LIB_SRC))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
UNIT_SRC := $(sort $(wildcard tests/unit/*.c))
UNIT_OBJ := $(UNIT_SRC:%.c=$(BUILD)/%.o)

VMLAB := $(BUILD)/vmlab
UNIT  := $(BUILD)/unit-tests

.PHONY: all check test bench fuzz clean deps

all: $(VMLAB)

$(BUILD)/libvmlab.a: $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(VMLAB): $(BUILD)/src/cli/main.o $(BUILD)/libvmlab.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(UNIT): $(UNIT_OBJ) $(BUILD)/libvmlab.a
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

# A fresh machine may lack the -dev packages the build needs: install them
# once per build directory (scripts/deps.sh does nothing if they are there).
$(BUILD)/.deps:
	@mkdir -p $(BUILD)
	scripts/deps.sh build
	@touch $@

$(BUILD)/%.o: %.c | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# One pass of the suite against $(BUILD).
test: $(VMLAB) $(UNIT)
	tests/run.sh $(BUILD)

# The whole suite, as CI runs it (README: `make check`).
check:
	scripts/deps.sh
	tests/check.sh

bench: $(VMLAB)
	bench/run.sh $(BUILD)

fuzz:
	fuzz/run.sh $(or $(FUZZ_SECONDS),10)

deps:
	scripts/deps.sh

clean:
	rm -rf build build-* bench/out

-include $(LIB_OBJ:.o=.d) $(UNIT_OBJ:.o=.d) $(BUILD)/src/cli/main.d

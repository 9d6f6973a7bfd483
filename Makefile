# costcap: plain Makefile. `make` builds ./costcap; `make check` runs every
# test; `make asan` runs them under AddressSanitizer + UBSan.
PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc
WERROR  ?= 0
SANITIZE ?=
BUILD   ?= build
PKGS     = yaml-0.1 gsl ncursesw
VERSION  = 0.1.0

# Recursively expanded on purpose: pkg-config runs when a recipe needs the
# flags, after `deps` has had the chance to install what is missing.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   = $(shell pkg-config --libs $(PKGS)) -lm
CORE_LIBS  = $(shell pkg-config --libs yaml-0.1 gsl) -lm
CMOCKA_LIBS = $(shell pkg-config --libs cmocka)

CFLAGS ?= -O2 -g
WARN    = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wformat=2 -Wno-format-nonliteral
ifeq ($(WERROR),1)
WARN   += -Werror
endif
ifneq ($(SANITIZE),)
SANFLAGS = -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
endif
# -ffp-contract=off: no fused multiply-add, so that every compiler and
# target rounds each product and sum as the source says (the simulator's
# block paths rely on giving the second-by-second doubles exactly).
ALL_CFLAGS = -std=c11 -ffp-contract=off -D_POSIX_C_SOURCE=200809L -DCOSTCAP_VERSION='"$(VERSION)"' \
	-DCOSTCAP_PREFIX='"$(PREFIX)"' $(WARN) $(CFLAGS) $(SANFLAGS) $(PKG_CFLAGS) -MMD -MP
ALL_LDFLAGS = $(LDFLAGS) $(SANFLAGS)

CORE_SRC   = $(wildcard src/core/*.c)
IO_SRC     = $(wildcard src/io/*.c)
REPORT_SRC = $(wildcard src/report/*.c)
TUI_SRC    = $(wildcard src/tui/*.c)
LIB_SRC    = $(CORE_SRC) $(IO_SRC) $(REPORT_SRC)
LIB_OBJ    = $(LIB_SRC:%.c=$(BUILD)/%.o)
TUI_OBJ    = $(TUI_SRC:%.c=$(BUILD)/%.o)
MAIN_SRC   = src/main.c $(wildcard src/cmd_*.c)
MAIN_OBJ   = $(MAIN_SRC:%.c=$(BUILD)/%.o)
UNIT_SRC   = $(wildcard tests/unit/test_*.c)
UNIT_BIN   = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

ifeq ($(BUILD),build)
BIN = costcap
else
BIN = $(BUILD)/costcap
endif

.PHONY: all deps check unit golden golden-update asan valgrind lint install uninstall clean run

all: $(BIN)

deps:
	@sh tools/deps.sh

$(BIN): $(LIB_OBJ) $(TUI_OBJ) $(MAIN_OBJ)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(shell pkg-config --cflags cmocka) -Isrc -o $@ $< $(LIB_OBJ) \
		$(ALL_LDFLAGS) $(CORE_LIBS) $(CMOCKA_LIBS)

run: deps
	@$(MAKE) --no-print-directory all
	./costcap report

# Test suites; fragments included below append to this list.
CHECK_TARGETS = unit golden

check: deps
	@$(MAKE) --no-print-directory $(CHECK_TARGETS)

unit: $(UNIT_BIN)
	@sh tests/run-unit.sh $(UNIT_BIN)

golden: $(BIN)
	@sh tests/golden/run.sh $(BIN)

golden-update: $(BIN)
	@sh tests/golden/run.sh --update $(BIN)

asan: deps
	@$(MAKE) --no-print-directory BUILD=build-asan SANITIZE=address,undefined,float-cast-overflow CFLAGS='-O1 -g' $(CHECK_TARGETS)

valgrind: deps
	@$(MAKE) --no-print-directory all $(UNIT_BIN)
	@VALGRIND=1 sh tests/run-unit.sh $(UNIT_BIN)
	@VALGRIND=1 sh tests/golden/run.sh $(BIN)

lint:
	@if grep -rlE '#include <n?curses' src --include='*.[ch]' | grep -v '^src/tui/'; then \
		echo "curses included outside src/tui/"; exit 1; fi
	@if grep -rn 'exit(' src --include='*.c' | grep -vE '^src/(main|core/util)\.c'; then \
		echo "exit() outside main.c and util_fatal"; exit 1; fi
	@echo "lint: ok"

install: $(BIN)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/costcap/models/aws \
		$(DESTDIR)$(PREFIX)/share/costcap/data
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/costcap
	install -m 644 models/aws/*.yaml $(DESTDIR)$(PREFIX)/share/costcap/models/aws/
	install -m 644 data/*.yaml $(DESTDIR)$(PREFIX)/share/costcap/data/
	install -d $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions
	install -m 644 man/costcap.1 $(DESTDIR)$(PREFIX)/share/man/man1/costcap.1
	install -m 644 completions/costcap.bash \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions/costcap

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/costcap
	rm -rf $(DESTDIR)$(PREFIX)/share/costcap
	rm -f $(DESTDIR)$(PREFIX)/share/man/man1/costcap.1
	rm -f $(DESTDIR)$(PREFIX)/share/bash-completion/completions/costcap

clean:
	rm -rf build build-asan costcap

# Optional fragments: fuzzing (make fuzz), TUI tests, benchmarks (make bench).
-include tests/fuzz/fuzz.mk
-include tests/tui/tui.mk
-include bench/bench.mk

-include $(LIB_OBJ:.o=.d) $(TUI_OBJ:.o=.d) $(MAIN_OBJ:.o=.d)

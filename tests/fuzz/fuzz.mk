# Fuzzing and hostile-input tests (included by the Makefile).
#
#   make fuzz            run every fuzz target for FUZZ_SECONDS (default 60)
#   make fuzz-ci         the same for FUZZ_CI_SECONDS (default 20) each
#   make fuzz-plan       one target (plan, model, trace_long, trace_wide,
#                        trace_events) for FUZZ_SECONDS
#   make fuzz-build      build the fuzzers only (build-fuzz/fuzz_*)
#   make hostile         the table-driven hostile-input test (tests/hostile/run.sh)
#   make fuzz-regress    replay the seed corpus and every saved crash
#                        (tests/fuzz/regress/TARGET/) through the harnesses,
#                        built with $(CC) like the rest of the tests
#
# `make check` and `make asan` run hostile and fuzz-regress (CHECK_TARGETS);
# `make valgrind` runs them under valgrind too.
#
# The fuzzers need clang with the libFuzzer runtime: on Debian, the
# packages clang and libclang-rt-14-dev (llvm-14 adds llvm-symbolizer for
# readable stack traces). A crash is written to build-fuzz/crashes/TARGET/;
# copy it to tests/fuzz/regress/TARGET/ once fixed.

FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_CI_SECONDS ?= 20
FUZZ_BUILD   ?= build-fuzz
FUZZ_TARGETS  = plan model trace_long trace_wide trace_events
FUZZ_SAN      = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS   = -std=c11 -ffp-contract=off -D_POSIX_C_SOURCE=200809L -DCOSTCAP_VERSION='"$(VERSION)"' \
	-DCOSTCAP_PREFIX='"$(PREFIX)"' -g -O1 $(WARN) $(FUZZ_SAN) $(PKG_CFLAGS)
FUZZ_LIB_OBJ  = $(LIB_SRC:%.c=$(FUZZ_BUILD)/%.o)
FUZZ_BINS     = $(FUZZ_TARGETS:%=$(FUZZ_BUILD)/fuzz_%)
# Replays of saved inputs (no libFuzzer; $(CC), same sanitizers as the build).
FUZZ_REPLAY   = $(FUZZ_TARGETS:%=$(BUILD)/tests/replay_%)
# libFuzzer options: inputs up to 64 KB (plans and model files are small;
# the hostile tests cover megabyte lines), 30 s per input is a hang (a
# 30-byte event file may span 17 years: 2 GB of 1-second buckets, 5 s to
# fill, more under ASan), and
# room for the trace reader's largest legitimate grids.
FUZZ_OPTS    ?= -max_len=65536 -timeout=30 -rss_limit_mb=4096 -malloc_limit_mb=4096 \
	-print_final_stats=1

# Harness sources per target; the three trace targets share one source.
fuzz_src_plan         = tests/fuzz/fuzz_plan.c
fuzz_src_model        = tests/fuzz/fuzz_model.c
fuzz_src_trace_long   = tests/fuzz/fuzz_trace.c
fuzz_src_trace_wide   = tests/fuzz/fuzz_trace.c
fuzz_src_trace_events = tests/fuzz/fuzz_trace.c
fuzz_def_trace_long   = -DTRACE_FORM=0
fuzz_def_trace_wide   = -DTRACE_FORM=1
fuzz_def_trace_events = -DTRACE_FORM=2

.PHONY: fuzz fuzz-ci fuzz-build fuzz-regress hostile valgrind-extra \
	$(FUZZ_TARGETS:%=fuzz-%)

CHECK_TARGETS += hostile fuzz-regress

# A clear message when clang or its libFuzzer runtime is missing.
.PHONY: fuzz-check-cc
fuzz-check-cc:
	@printf 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n)\n{ (void)d; (void)n; return 0; }\n' | \
	$(FUZZ_CC) -fsanitize=fuzzer -x c -o /dev/null - 2>/dev/null || { \
	echo "make fuzz: '$(FUZZ_CC) -fsanitize=fuzzer' does not work; on Debian:" \
	"apt-get install clang libclang-rt-14-dev"; exit 2; }

$(FUZZ_LIB_OBJ): | fuzz-check-cc

$(FUZZ_BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -MMD -MP -c -o $@ $<

# An archive, so that a harness links only the modules it reaches.
$(FUZZ_BUILD)/libcostcap.a: $(FUZZ_LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

# One rule per target (written out with eval: the three trace targets
# share a source and differ by a -D flag).
define fuzz_rules
$$(FUZZ_BUILD)/fuzz_$(1): $$(fuzz_src_$(1)) tests/fuzz/fuzz_common.c tests/fuzz/fuzz_common.h \
		$$(FUZZ_BUILD)/libcostcap.a
	@mkdir -p $$(dir $$@)
	$$(FUZZ_CC) $$(FUZZ_CFLAGS) -fsanitize=fuzzer $$(fuzz_def_$(1)) -Isrc -Itests/fuzz -o $$@ \
		$$(fuzz_src_$(1)) tests/fuzz/fuzz_common.c $$(FUZZ_BUILD)/libcostcap.a $$(CORE_LIBS)

$$(BUILD)/tests/replay_$(1): $$(fuzz_src_$(1)) tests/fuzz/fuzz_common.c tests/fuzz/fuzz_common.h \
		tests/fuzz/replay.c $$(LIB_OBJ)
	@mkdir -p $$(dir $$@)
	$$(CC) $$(ALL_CFLAGS) $$(fuzz_def_$(1)) -Isrc -Itests/fuzz -o $$@ $$(fuzz_src_$(1)) \
		tests/fuzz/fuzz_common.c tests/fuzz/replay.c $$(LIB_OBJ) $$(ALL_LDFLAGS) $$(CORE_LIBS)
endef
$(foreach t,$(FUZZ_TARGETS),$(eval $(call fuzz_rules,$(t))))

fuzz-build: $(FUZZ_BINS)

# Runs one fuzzer: new inputs go to build-fuzz/corpus/TARGET (the seed
# corpus in tests/fuzz/corpus/TARGET is read, never written), crashes to
# build-fuzz/crashes/TARGET/.
$(FUZZ_TARGETS:%=fuzz-%): fuzz-%: $(FUZZ_BUILD)/fuzz_%
	@rm -rf $(FUZZ_BUILD)/crashes/$*
	@mkdir -p $(FUZZ_BUILD)/corpus/$* $(FUZZ_BUILD)/crashes/$*
	@echo "fuzz-$*: $(FUZZ_SECONDS) s (log: $(FUZZ_BUILD)/fuzz-$*.log)"
	@cd $(FUZZ_BUILD) && COSTCAP_ROOT=$(CURDIR) UBSAN_OPTIONS=print_stacktrace=1 \
		./fuzz_$* $(FUZZ_OPTS) -dict=$(CURDIR)/tests/fuzz/$(firstword $(subst _, ,$*)).dict \
		-max_total_time=$(FUZZ_SECONDS) -artifact_prefix=crashes/$*/ \
		corpus/$* $(CURDIR)/tests/fuzz/corpus/$* >fuzz-$*.log 2>&1; \
		grep -E '^(==[0-9]+==ERROR|SUMMARY|stat::number_of_executed_units|stat::peak_rss_mb|Done)' \
		fuzz-$*.log | sed 's/^/  /'
	@if ls $(FUZZ_BUILD)/crashes/$*/ 2>/dev/null | grep -q .; then \
		echo "fuzz-$*: FAILED: inputs in $(FUZZ_BUILD)/crashes/$*/"; \
		exit 1; else echo "fuzz-$*: no crash"; fi

fuzz: $(FUZZ_BINS)
	@fail=0; for t in $(FUZZ_TARGETS); do \
		$(MAKE) --no-print-directory fuzz-$$t FUZZ_SECONDS=$(FUZZ_SECONDS) || fail=1; \
	done; exit $$fail

fuzz-ci: $(FUZZ_BINS)
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(FUZZ_CI_SECONDS)

fuzz-regress: $(FUZZ_REPLAY)
	@sh tests/fuzz/replay.sh $(BUILD)/tests $(FUZZ_TARGETS)

hostile: $(BIN)
	@sh tests/hostile/run.sh $(BIN)

# `make valgrind` also runs these two under valgrind.
valgrind: valgrind-extra
valgrind-extra: $(BIN) $(FUZZ_REPLAY)
	@VALGRIND=1 sh tests/hostile/run.sh $(BIN)
	@VALGRIND=1 sh tests/fuzz/replay.sh $(BUILD)/tests $(FUZZ_TARGETS)

clean: clean-fuzz
.PHONY: clean-fuzz
clean-fuzz:
	rm -rf $(FUZZ_BUILD)

-include $(FUZZ_LIB_OBJ:.o=.d)

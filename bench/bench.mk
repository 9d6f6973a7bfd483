# make bench: generates a seeded 30-day per-second trace (8 streams) and a
# plan, then measures costcap on them; see bench/bench.py. The bench
# reports figures; it never fails on timings.
# Debian's python3 (with python3-numpy and python3-pandas, when installed)
# rather than another python3 earlier on PATH.
BENCH_PYTHON ?= $(shell test -x /usr/bin/python3 && echo /usr/bin/python3 || echo python3)

.PHONY: bench
bench: all
	@$(BENCH_PYTHON) bench/bench.py --bin ./costcap --work build/bench

# make bench-callgrind: instruction counts of one report under callgrind (a
# stable figure to compare changes with, where wall times are noisy), and
# where they go. CALLGRIND_PLAN picks the plan (default: the built-in
# example; build/bench/plan-30d.yaml after `make bench` is the bench's own,
# which takes a few minutes under valgrind).
CALLGRIND_PLAN ?=
.PHONY: bench-callgrind
bench-callgrind: all
	@mkdir -p build/bench
	valgrind --tool=callgrind --callgrind-out-file=build/bench/callgrind.out \
		./costcap report $(CALLGRIND_PLAN) --format json >/dev/null
	@callgrind_annotate --auto=no build/bench/callgrind.out | grep -A14 'PROGRAM TOTALS'

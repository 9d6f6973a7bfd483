# make bench: generates a seeded 30-day per-second trace (8 streams) and a
# plan, then measures costcap on them; see bench/bench.py. The bench
# reports figures; it never fails on timings.
# Debian's python3 (with python3-numpy and python3-pandas, when installed)
# rather than another python3 earlier on PATH.
BENCH_PYTHON ?= $(shell test -x /usr/bin/python3 && echo /usr/bin/python3 || echo python3)

.PHONY: bench
bench: all
	@$(BENCH_PYTHON) bench/bench.py --bin ./costcap --work build/bench

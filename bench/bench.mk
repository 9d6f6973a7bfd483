# make bench: generates a seeded 30-day per-second trace (8 streams) and a
# plan, then measures costcap on them; see bench/bench.py. The bench
# reports figures; it never fails on timings.
.PHONY: bench
bench: all
	@python3 bench/bench.py --bin ./costcap --work build/bench

build-fcast/src/core/whatif.o: src/core/whatif.c src/core/whatif.h \
 src/core/err.h src/core/plan.h src/core/model.h src/core/usage.h \
 src/core/bill.h src/core/sim.h src/core/stats.h src/core/trace.h \
 src/core/util.h
src/core/whatif.h:
src/core/err.h:
src/core/plan.h:
src/core/model.h:
src/core/usage.h:
src/core/bill.h:
src/core/sim.h:
src/core/stats.h:
src/core/trace.h:
src/core/util.h:

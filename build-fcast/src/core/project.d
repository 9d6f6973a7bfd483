build-fcast/src/core/project.o: src/core/project.c src/core/project.h \
 src/core/bill.h src/core/plan.h src/core/model.h src/core/usage.h \
 src/core/err.h src/core/stats.h src/core/trace.h src/core/util.h \
 src/core/whatif.h
src/core/project.h:
src/core/bill.h:
src/core/plan.h:
src/core/model.h:
src/core/usage.h:
src/core/err.h:
src/core/stats.h:
src/core/trace.h:
src/core/util.h:
src/core/whatif.h:

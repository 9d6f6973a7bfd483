build-fcast/src/core/tracegen.o: src/core/tracegen.c src/core/tracegen.h \
 src/core/err.h src/core/trace.h src/core/stats.h src/core/util.h
src/core/tracegen.h:
src/core/err.h:
src/core/trace.h:
src/core/stats.h:
src/core/util.h:

build-fcast/src/core/trace.o: src/core/trace.c src/core/trace.h \
 src/core/stats.h src/core/util.h
src/core/trace.h:
src/core/stats.h:
src/core/util.h:

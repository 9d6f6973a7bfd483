build-fcast/src/core/stats.o: src/core/stats.c src/core/stats.h \
 src/core/util.h
src/core/stats.h:
src/core/util.h:

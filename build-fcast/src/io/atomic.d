build-fcast/src/io/atomic.o: src/io/atomic.c src/io/atomic.h \
 src/io/../core/err.h src/io/../core/util.h src/io/paths.h
src/io/atomic.h:
src/io/../core/err.h:
src/io/../core/util.h:
src/io/paths.h:

build-fcast/src/io/paths.o: src/io/paths.c src/io/paths.h \
 src/io/../core/util.h
src/io/paths.h:
src/io/../core/util.h:

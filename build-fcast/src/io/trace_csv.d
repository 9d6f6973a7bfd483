build-fcast/src/io/trace_csv.o: src/io/trace_csv.c src/io/trace_csv.h \
 src/io/../core/err.h src/io/../core/trace.h src/io/../core/util.h
src/io/trace_csv.h:
src/io/../core/err.h:
src/io/../core/trace.h:
src/io/../core/util.h:

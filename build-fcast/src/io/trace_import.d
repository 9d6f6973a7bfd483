build-fcast/src/io/trace_import.o: src/io/trace_import.c \
 src/io/trace_import.h src/io/../core/err.h src/io/../core/trace.h \
 src/io/../core/util.h src/io/trace_csv.h
src/io/trace_import.h:
src/io/../core/err.h:
src/io/../core/trace.h:
src/io/../core/util.h:
src/io/trace_csv.h:

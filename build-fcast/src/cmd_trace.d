build-fcast/src/cmd_trace.o: src/cmd_trace.c src/cmd_trace.h \
 src/core/err.h src/core/trace.h src/core/tracegen.h src/core/err.h \
 src/core/trace.h src/core/units.h src/core/util.h src/io/atomic.h \
 src/io/../core/err.h src/io/trace_csv.h src/io/../core/trace.h \
 src/io/trace_import.h
src/cmd_trace.h:
src/core/err.h:
src/core/trace.h:
src/core/tracegen.h:
src/core/err.h:
src/core/trace.h:
src/core/units.h:
src/core/util.h:
src/io/atomic.h:
src/io/../core/err.h:
src/io/trace_csv.h:
src/io/../core/trace.h:
src/io/trace_import.h:

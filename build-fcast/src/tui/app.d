build-fcast/src/tui/app.o: src/tui/app.c src/tui/app.h \
 src/tui/../core/bill.h src/tui/../core/plan.h src/tui/../core/model.h \
 src/tui/../core/usage.h src/tui/../core/err.h src/tui/../core/plan.h \
 src/tui/../core/usage.h src/tui/../core/util.h src/tui/../core/sim.h \
 src/tui/../core/err.h src/tui/../core/trace.h src/tui/../io/atomic.h \
 src/tui/../io/../core/err.h src/tui/../io/model_load.h \
 src/tui/../io/../core/model.h src/tui/../io/yaml.h src/tui/../io/paths.h \
 src/tui/../io/plan_load.h src/tui/../io/../core/plan.h \
 src/tui/../io/trace_csv.h src/tui/../io/../core/trace.h \
 src/tui/../io/yaml.h src/tui/../report/report.h \
 src/tui/../report/../core/bill.h src/tui/../report/../core/plan.h \
 src/tui/../report/../core/usage.h src/tui/../report/../core/util.h \
 src/tui/../report/check.h src/tui/../report/../core/err.h
src/tui/app.h:
src/tui/../core/bill.h:
src/tui/../core/plan.h:
src/tui/../core/model.h:
src/tui/../core/usage.h:
src/tui/../core/err.h:
src/tui/../core/plan.h:
src/tui/../core/usage.h:
src/tui/../core/util.h:
src/tui/../core/sim.h:
src/tui/../core/err.h:
src/tui/../core/trace.h:
src/tui/../io/atomic.h:
src/tui/../io/../core/err.h:
src/tui/../io/model_load.h:
src/tui/../io/../core/model.h:
src/tui/../io/yaml.h:
src/tui/../io/paths.h:
src/tui/../io/plan_load.h:
src/tui/../io/../core/plan.h:
src/tui/../io/trace_csv.h:
src/tui/../io/../core/trace.h:
src/tui/../io/yaml.h:
src/tui/../report/report.h:
src/tui/../report/../core/bill.h:
src/tui/../report/../core/plan.h:
src/tui/../report/../core/usage.h:
src/tui/../report/../core/util.h:
src/tui/../report/check.h:
src/tui/../report/../core/err.h:

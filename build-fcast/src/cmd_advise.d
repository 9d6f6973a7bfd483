build-fcast/src/cmd_advise.o: src/cmd_advise.c src/cmd.h \
 src/core/advise.h src/core/bill.h src/core/plan.h src/core/model.h \
 src/core/usage.h src/core/err.h src/core/project.h src/core/whatif.h \
 src/core/err.h src/core/trace.h src/core/units.h src/core/util.h \
 src/io/atomic.h src/io/../core/err.h src/io/paths.h src/io/plan_load.h \
 src/io/../core/plan.h src/io/yaml.h src/io/trace_csv.h \
 src/io/../core/trace.h src/io/yaml.h src/report/report.h \
 src/report/../core/bill.h src/report/../core/plan.h \
 src/report/../core/usage.h src/report/../core/util.h src/report/check.h \
 src/report/../core/err.h
src/cmd.h:
src/core/advise.h:
src/core/bill.h:
src/core/plan.h:
src/core/model.h:
src/core/usage.h:
src/core/err.h:
src/core/project.h:
src/core/whatif.h:
src/core/err.h:
src/core/trace.h:
src/core/units.h:
src/core/util.h:
src/io/atomic.h:
src/io/../core/err.h:
src/io/paths.h:
src/io/plan_load.h:
src/io/../core/plan.h:
src/io/yaml.h:
src/io/trace_csv.h:
src/io/../core/trace.h:
src/io/yaml.h:
src/report/report.h:
src/report/../core/bill.h:
src/report/../core/plan.h:
src/report/../core/usage.h:
src/report/../core/util.h:
src/report/check.h:
src/report/../core/err.h:

build-fcast/src/report/html.o: src/report/html.c src/report/report.h \
 src/report/../core/bill.h src/report/../core/plan.h \
 src/report/../core/model.h src/report/../core/usage.h \
 src/report/../core/plan.h src/report/../core/usage.h \
 src/report/../core/util.h src/report/check.h src/report/../core/err.h \
 src/report/fmt.h src/report/assumptions.h src/report/svg.h
src/report/report.h:
src/report/../core/bill.h:
src/report/../core/plan.h:
src/report/../core/model.h:
src/report/../core/usage.h:
src/report/../core/plan.h:
src/report/../core/usage.h:
src/report/../core/util.h:
src/report/check.h:
src/report/../core/err.h:
src/report/fmt.h:
src/report/assumptions.h:
src/report/svg.h:

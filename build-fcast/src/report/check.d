build-fcast/src/report/check.o: src/report/check.c src/report/check.h \
 src/report/../core/bill.h src/report/../core/plan.h \
 src/report/../core/model.h src/report/../core/usage.h \
 src/report/../core/err.h src/report/../core/plan.h \
 src/report/../core/util.h src/report/../core/units.h src/report/fmt.h
src/report/check.h:
src/report/../core/bill.h:
src/report/../core/plan.h:
src/report/../core/model.h:
src/report/../core/usage.h:
src/report/../core/err.h:
src/report/../core/plan.h:
src/report/../core/util.h:
src/report/../core/units.h:
src/report/fmt.h:

build-fcast/src/tui/draw.o: src/tui/draw.c src/tui/draw.h src/tui/app.h \
 src/tui/../core/bill.h src/tui/../core/plan.h src/tui/../core/model.h \
 src/tui/../core/usage.h src/tui/../core/err.h src/tui/../core/plan.h \
 src/tui/../core/usage.h src/tui/../core/util.h src/tui/canvas.h \
 src/tui/../report/report.h src/tui/../report/../core/bill.h \
 src/tui/../report/../core/plan.h src/tui/../report/../core/usage.h \
 src/tui/../report/../core/util.h src/tui/../report/check.h \
 src/tui/../report/../core/err.h
src/tui/draw.h:
src/tui/app.h:
src/tui/../core/bill.h:
src/tui/../core/plan.h:
src/tui/../core/model.h:
src/tui/../core/usage.h:
src/tui/../core/err.h:
src/tui/../core/plan.h:
src/tui/../core/usage.h:
src/tui/../core/util.h:
src/tui/canvas.h:
src/tui/../report/report.h:
src/tui/../report/../core/bill.h:
src/tui/../report/../core/plan.h:
src/tui/../report/../core/usage.h:
src/tui/../report/../core/util.h:
src/tui/../report/check.h:
src/tui/../report/../core/err.h:

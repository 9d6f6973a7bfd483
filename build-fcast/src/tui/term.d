build-fcast/src/tui/term.o: src/tui/term.c src/tui/tui.h \
 src/tui/../core/util.h src/tui/app.h src/tui/../core/bill.h \
 src/tui/../core/plan.h src/tui/../core/model.h src/tui/../core/usage.h \
 src/tui/../core/err.h src/tui/../core/plan.h src/tui/../core/usage.h \
 src/tui/canvas.h src/tui/draw.h
src/tui/tui.h:
src/tui/../core/util.h:
src/tui/app.h:
src/tui/../core/bill.h:
src/tui/../core/plan.h:
src/tui/../core/model.h:
src/tui/../core/usage.h:
src/tui/../core/err.h:
src/tui/../core/plan.h:
src/tui/../core/usage.h:
src/tui/canvas.h:
src/tui/draw.h:

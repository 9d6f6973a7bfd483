build-fcast/src/tui/canvas.o: src/tui/canvas.c src/tui/canvas.h \
 src/tui/../core/util.h
src/tui/canvas.h:
src/tui/../core/util.h:

build-fcast/src/report/svg.o: src/report/svg.c src/report/svg.h \
 src/report/../core/util.h src/report/fmt.h
src/report/svg.h:
src/report/../core/util.h:
src/report/fmt.h:

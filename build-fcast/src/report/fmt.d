build-fcast/src/report/fmt.o: src/report/fmt.c src/report/fmt.h \
 src/report/../core/util.h
src/report/fmt.h:
src/report/../core/util.h:

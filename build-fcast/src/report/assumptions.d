build-fcast/src/report/assumptions.o: src/report/assumptions.c \
 src/report/assumptions.h src/report/../core/plan.h \
 src/report/../core/model.h src/report/../core/util.h
src/report/assumptions.h:
src/report/../core/plan.h:
src/report/../core/model.h:
src/report/../core/util.h:

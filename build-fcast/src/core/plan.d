build-fcast/src/core/plan.o: src/core/plan.c src/core/plan.h \
 src/core/model.h
src/core/plan.h:
src/core/model.h:

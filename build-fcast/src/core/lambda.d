build-fcast/src/core/lambda.o: src/core/lambda.c src/core/lambda.h \
 src/core/model.h src/core/plan.h src/core/stats.h src/core/util.h
src/core/lambda.h:
src/core/model.h:
src/core/plan.h:
src/core/stats.h:
src/core/util.h:

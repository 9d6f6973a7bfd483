build-fcast/src/core/dynamo.o: src/core/dynamo.c src/core/dynamo.h \
 src/core/model.h src/core/plan.h src/core/util.h
src/core/dynamo.h:
src/core/model.h:
src/core/plan.h:
src/core/util.h:
